//! The self-check at the end of `cargo xtask build-prefix` (skipped with `--no-verify`): a C client,
//! `smoke.c`, compiled against the prefix alone and run in it, as a developer's program would be.
//!
//! Laying the files out proves nothing about whether they work together: a header the shim does not
//! match, a library that does not link, a server that does not start on demand would all go unnoticed
//! until someone built against the prefix. So the check compiles `smoke.c` with
//! `cc -Wall -Wextra -Werror` against `<prefix>/usr/include` and `<prefix>/usr/lib` only, runs it with
//! `DPREFIX` set and autostart on (it starts the server like any first client), has it do the uidgid
//! round trip and write a line to its console, looks for that line in the server's log, and stops the
//! server with `<prefix>/bin/darling shutdown`. Each step that fails is named in the error. The scratch
//! binary goes in `<prefix>/tmp`, never the source tree.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use darling_core::launch;
use darling_core::prefix::Prefix;

/// Generous: the first start of a debug server on a loaded machine takes a while, and a hang must
/// still end in an error rather than a stuck build.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the console line may take to travel through the server's relay into its log.
const LOG_TIMEOUT: Duration = Duration::from_secs(10);

pub fn run(root: &Path, prefix_dir: &Path) -> anyhow::Result<()> {
    let prefix = Prefix::new(prefix_dir);
    let source = root.join("xtask/src/build_prefix/smoke.c");
    let scratch = prefix_dir.join("tmp/build-prefix-check");
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let binary = scratch.join("smoke");
    compile(&source, prefix_dir, &binary)?;

    // A server already serving the prefix was started before this build, perhaps from the binary just
    // replaced: the check uses it (as a client would) but leaves it running, since it is not ours.
    let earlier = launch::running_server_pid(&prefix);
    let line = format!("build-prefix self-check {}", std::process::id());
    let result = run_client(&binary, &prefix, &line).and_then(|()| console_line_logged(&prefix, &line));
    let result = match (result, earlier) {
        (Err(e), Some(pid)) => Err(e.context(format!(
            "a darlingserver (pid {pid}) already served {} before this build and may be out of date; \
             stop it with `{}/bin/darling shutdown` and build the prefix again",
            prefix_dir.display(),
            prefix_dir.display()
        ))),
        (result, Some(pid)) => {
            eprintln!(
                "self-check: used the darlingserver (pid {pid}) that was already running; left it running"
            );
            result
        }
        // We started it (or tried to): stop it whatever happened, so no daemon outlives the check.
        (result, None) => {
            let stopped = shutdown(prefix_dir, &prefix);
            result.and(stopped)
        }
    };
    result?;
    let _ = std::fs::remove_dir_all(&scratch);
    if earlier.is_none() {
        eprintln!(
            "self-check passed: a client built against the prefix started its server, called it, and \
             `darling shutdown` stopped it"
        );
    } else {
        eprintln!("self-check passed: a client built against the prefix called the running server");
    }
    Ok(())
}

fn compile(source: &Path, prefix: &Path, binary: &Path) -> anyhow::Result<()> {
    let lib = prefix.join("usr/lib");
    let output = Command::new("cc")
        .args(["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(prefix.join("usr/include"))
        .arg("-o")
        .arg(binary)
        .arg(source)
        .arg("-L")
        .arg(&lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lsystem_kernel")
        .output()
        .context("self-check step `compile`: running cc")?;
    if !output.status.success() {
        bail!(
            "self-check step `compile` failed: {} does not build against the prefix's usr/include and \
             usr/lib ({}):\n{}",
            source.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    Ok(())
}

/// Runs the client to completion (killed after [`RUN_TIMEOUT`]) with the prefix as `DPREFIX` and
/// autostart on, whatever the caller's environment says.
fn run_client(binary: &Path, prefix: &Prefix, line: &str) -> anyhow::Result<()> {
    let mut child = Command::new(binary)
        .arg(line)
        .env("DPREFIX", prefix.root())
        .env_remove("DARLING_NO_AUTOSTART")
        // The server it starts inherits this: info level is where console lines are logged.
        .env("DARLINGSERVER_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("self-check step `run`: starting {}", binary.display()))?;
    let deadline = Instant::now() + RUN_TIMEOUT;
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "self-check step `run` failed: {} did not finish within {} s (see {})",
                binary.display(),
                RUN_TIMEOUT.as_secs(),
                prefix.server_log().display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output: Output = child.wait_with_output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || !stdout.contains("smoke ok:") {
        bail!(
            "self-check step `run` failed: a client built against the prefix could not start or call its \
             server ({}; server log: {}):\n{}{}",
            output.status,
            prefix.server_log().display(),
            String::from_utf8_lossy(&output.stderr),
            stdout
        );
    }
    eprintln!("self-check: {}", stdout.trim_end());
    Ok(())
}

/// What the client wrote to its console must reach the server's log through the console relay.
fn console_line_logged(prefix: &Prefix, line: &str) -> anyhow::Result<()> {
    let log = prefix.server_log();
    let deadline = Instant::now() + LOG_TIMEOUT;
    loop {
        if std::fs::read_to_string(&log).is_ok_and(|text| text.contains(line)) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "self-check step `console` failed: the line the client wrote to its console_open \
                 descriptor (`{line}`) did not reach the server's log {} within {} s",
                log.display(),
                LOG_TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn shutdown(prefix_dir: &Path, prefix: &Prefix) -> anyhow::Result<()> {
    let darling = prefix_dir.join("bin/darling");
    let output = Command::new(&darling)
        .arg("shutdown")
        .env("DPREFIX", prefix_dir)
        .output()
        .with_context(|| format!("self-check step `shutdown`: running {}", darling.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || !stderr.contains("stopped darlingserver") {
        bail!(
            "self-check step `shutdown` failed: `{} shutdown` did not stop the server it started ({}):\n{}",
            darling.display(),
            output.status,
            stderr.trim_end()
        );
    }
    if let Some(pid) = launch::running_server_pid(prefix) {
        bail!(
            "self-check step `shutdown` failed: darlingserver pid {pid} still serves {}",
            prefix_dir.display()
        );
    }
    if prefix.socket().exists() {
        bail!("self-check step `shutdown` failed: {} is still there", prefix.socket().display());
    }
    Ok(())
}
