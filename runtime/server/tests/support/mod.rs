//! What the runtime integration tests share: a temporary prefix with the shim and the server in it, a
//! server started (and always stopped) per test, C programs compiled against the generated `rpc.h` and
//! linked with the shim, and the server's descriptor count.
//!
//! Each test gets its own prefix, so tests run in parallel without meeting; dropping the prefix stops
//! its server and removes the directory, so no process outlives a test.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use darling_tests::workspace_root;

/// The generated RPC wrappers; until rpc-gen has generated them, the C tests cannot be built.
pub fn rpc_available() -> bool {
    let root = workspace_root();
    root.join("runtime/generated/src/rpc/rpc.c").exists()
        && root.join("runtime/generated/include/darlingserver/rpc.h").exists()
}

/// Skips the calling test, with the reason, when the generated wrappers are missing.
#[macro_export]
macro_rules! require_rpc {
    () => {
        if !support::rpc_available() {
            eprintln!("skipped: runtime/generated/src/rpc/rpc.c is not generated yet (rpc-gen; run `cargo xtask gen`)");
            return;
        }
    };
}

/// The shim library, built once per test binary (`cargo test` builds bins for integration tests, but
/// not the cdylib of another package).
pub fn shim_library() -> &'static Path {
    static SHIM: OnceLock<PathBuf> = OnceLock::new();
    SHIM.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", "darling-shim"])
            .current_dir(workspace_root())
            .status()
            .expect("running cargo build -p darling-shim");
        assert!(status.success(), "cargo build -p darling-shim failed");
        let dir = target_dir();
        let lib = dir.join("libsystem_kernel.so");
        assert!(lib.exists(), "{} missing after the build", lib.display());
        lib
    })
}

/// `target/debug`, found from the test executable (`target/debug/deps/<test>`).
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<exe>").to_path_buf()
}

pub fn server_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_darlingserver"))
}

/// A client process killed (and reaped) when the test ends, however it ends.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A prefix in a fresh temporary directory, laid out like `build-prefix` lays one out (with links to
/// the freshly built shim and server), with at most one server.
pub struct TestPrefix {
    pub root: PathBuf,
    server: Option<Child>,
    pub server_pid: Option<i32>,
}

impl TestPrefix {
    pub fn new(name: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // Short: the socket path must fit in sun_path (108 bytes).
        let root = std::env::temp_dir().join(format!("drt-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("usr/lib")).unwrap();
        std::fs::create_dir_all(root.join("usr/libexec")).unwrap();
        std::fs::create_dir_all(root.join("bin")).unwrap();
        if rpc_available() {
            std::os::unix::fs::symlink(shim_library(), root.join("usr/lib/libsystem_kernel.so")).unwrap();
        }
        std::os::unix::fs::symlink(server_binary(), root.join("usr/libexec/darlingserver")).unwrap();
        Self { root, server: None, server_pid: None }
    }

    pub fn socket(&self) -> PathBuf {
        self.root.join(".darlingserver.sock")
    }

    pub fn log_path(&self) -> PathBuf {
        self.root.join("server.log")
    }

    /// Starts the server in the foreground with a debug log, and waits for its readiness line.
    pub fn start_server(&mut self) -> i32 {
        self.start_server_with(&[])
    }

    pub fn start_server_with(&mut self, env: &[(&str, &str)]) -> i32 {
        self.start_server_logging("debug", env)
    }

    /// Starts the server with the log filter `log` (`--log`), and waits for its readiness line.
    pub fn start_server_logging(&mut self, log: &str, env: &[(&str, &str)]) -> i32 {
        let mut child = Command::new(server_binary())
            .arg("--prefix")
            .arg(&self.root)
            .arg("--log-file")
            .arg(self.log_path())
            .arg("--log")
            .arg(log)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning darlingserver");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.starts_with("darlingserver ready"), "server did not become ready: {line:?}");
        let pid = child.id() as i32;
        self.server = Some(child);
        self.server_pid = Some(pid);
        pid
    }

    /// How the server this test started ended, or `None` while it runs. A crashed server is a
    /// zombie until reaped here, and a zombie has no descriptors, so a descriptor count alone cannot
    /// tell a clean server from a dead one.
    pub fn server_exit_status(&mut self) -> Option<std::process::ExitStatus> {
        self.server.as_mut().expect("server started").try_wait().expect("try_wait on the server")
    }

    pub fn server_log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// The server's open descriptors, from `/proc/<pid>/fd`.
    pub fn server_fd_count(&self) -> usize {
        let pid = self.server_pid.expect("server started");
        std::fs::read_dir(format!("/proc/{pid}/fd")).expect("server alive").count()
    }

    /// Waits up to `timeout` for `cond`, polling; returns whether it became true. Used only for
    /// asynchronous server-side effects (a death noticed), never to measure time.
    pub fn wait_for(&self, timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if cond() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        cond()
    }

    /// Compiles `tests/c/<name>.c` (warning-free) against this prefix's `usr/include` alone, linked with
    /// the shim, as a developer's program is built against a prefix.
    pub fn compile(&self, name: &str) -> PathBuf {
        let root = workspace_root();
        let source = root.join("runtime/server/tests/c").join(format!("{name}.c"));
        let out = self.root.join("bin").join(name);
        let include = self.install_headers();
        let output = Command::new("cc")
            .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O1", "-pthread"])
            .arg("-I")
            .arg(&include)
            .arg("-o")
            .arg(&out)
            .arg(&source)
            .arg("-L")
            .arg(self.root.join("usr/lib"))
            .arg(format!("-Wl,-rpath,{}", self.root.join("usr/lib").display()))
            .arg("-lsystem_kernel")
            .output()
            .expect("running cc");
        assert!(
            output.status.success(),
            "compiling {} failed:\n{}",
            source.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        out
    }

    /// Lays out `usr/include` as `cargo xtask build-prefix` does (the hand-written headers, then the
    /// generated ones over them), once per test prefix; returns it.
    fn install_headers(&self) -> PathBuf {
        let include = self.root.join("usr/include");
        if !include.is_dir() {
            let root = workspace_root();
            for tree in ["defs/include", "runtime/generated/include"] {
                copy_tree(&root.join(tree), &include);
            }
        }
        include
    }

    /// Runs a compiled client with this prefix as `DPREFIX`.
    pub fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command.env("DPREFIX", &self.root).env("DARLING_NO_AUTOSTART", "1");
        command
    }

    /// Runs a client to completion (killing it after 60 s, so a hang fails the test instead of
    /// stalling the suite) and fails the test, with the server's log, when it fails.
    pub fn run(&self, program: &Path, args: &[&str]) -> Output {
        let child = self
            .command(program)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("running a test client");
        let pid = child.id() as i32;
        let watchdog = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
                // SAFETY: signal 0 only probes.
                if unsafe { libc::kill(pid, 0) } != 0 {
                    return;
                }
            }
            // SAFETY: kill has no memory effects.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        });
        let output = child.wait_with_output().expect("waiting for a test client");
        let _ = watchdog.join();
        if !output.status.success() {
            panic!(
                "{} {args:?} failed ({}):\nstdout:\n{}\nstderr:\n{}\nserver log:\n{}",
                program.display(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
                self.server_log()
            );
        }
        output
    }

    /// The namespaced pids `debug_list_processes` reports, through the `ps` client.
    pub fn listed_pids(&self, ps: &Path) -> Vec<i32> {
        let output = self.run(ps, &[]);
        String::from_utf8_lossy(&output.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect()
    }

    pub fn stop_server(&mut self) {
        if let Some(mut child) = self.server.take() {
            // SAFETY: kill has no memory effects.
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
            let deadline = Instant::now() + Duration::from_secs(5);
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    _ if Instant::now() > deadline => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                    _ => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        }
    }
}

impl Drop for TestPrefix {
    fn drop(&mut self) {
        self.stop_server();
        // A server started on demand by a client (not by the test) is stopped through the prefix.
        let _ = darling_core::launch::shutdown(
            &darling_core::prefix::Prefix::new(&self.root),
            Duration::from_secs(5),
        );
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}

/// Copies every file under `from` into `to`, keeping relative paths.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("creating {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("reading {}: {e}", from.display())) {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copying {}: {e}", entry.path().display()));
        }
    }
}
