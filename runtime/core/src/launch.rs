//! Starting and stopping the server of a prefix without races, for the shim (first client starts it),
//! the `darling` tool and the tests. Standard library only, so the shim can use it.
//!
//! The protocol:
//! - A running server holds an exclusive `flock` on `<prefix>/.darlingserver.lock` (which holds its pid)
//!   for its whole life, and its socket is bound.
//! - A server is reachable when a datagram socket can `connect` to `<prefix>/.darlingserver.sock`.
//! - A starter takes `<prefix>/.darlingserver.start.lock`, checks reachability again (another starter
//!   may have won), and only then starts `darlingserver --prefix DIR --daemon`. The daemon prints
//!   [`READY_LINE`] on its standard output once its socket is bound and it serves calls, then its first
//!   process exits; so when the starter's `wait` returns, the server is up. Nobody polls, and the
//!   starter reaps the process it started, so no zombie is left behind.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::net::UnixDatagram;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::errno::describe_io;
use crate::prefix::Prefix;

/// What a server prints on standard output once it serves calls.
pub const READY_LINE: &str = "darlingserver ready";

/// Is a server serving this prefix?
pub fn is_reachable(prefix: &Prefix) -> bool {
    UnixDatagram::unbound().and_then(|s| s.connect(prefix.socket())).is_ok()
}

/// The pid of the server holding the prefix's lock, if one runs.
pub fn running_server_pid(prefix: &Prefix) -> Option<i32> {
    let file = File::open(prefix.server_lock()).ok()?;
    match file.try_lock_shared() {
        // We got the lock: nobody holds it exclusively, so no server runs.
        Ok(()) => None,
        Err(_) => std::fs::read_to_string(prefix.server_lock()).ok()?.trim().parse().ok(),
    }
}

/// How `ensure_running` found the server.
#[derive(Debug, PartialEq, Eq)]
pub enum Started {
    AlreadyRunning,
    Started,
}

/// Makes sure a server serves `prefix`, starting `binary` if none does.
pub fn ensure_running(prefix: &Prefix, binary: &Path) -> Result<Started, String> {
    if is_reachable(prefix) {
        return Ok(Started::AlreadyRunning);
    }
    std::fs::create_dir_all(prefix.root())
        .map_err(|e| format!("creating the prefix {}: {}", prefix.root().display(), describe_io(&e)))?;
    let lock_path = prefix.start_lock();
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("opening {}: {}", lock_path.display(), describe_io(&e)))?;
    lock.lock().map_err(|e| format!("locking {}: {}", lock_path.display(), describe_io(&e)))?;
    // Another starter may have finished while we waited for the lock.
    if is_reachable(prefix) {
        return Ok(Started::AlreadyRunning);
    }
    start(prefix, binary, &["--daemon"])?;
    Ok(Started::Started)
    // `lock` drops here, releasing the start lock after the server is reachable.
}

/// Runs `binary --prefix DIR <extra>` and waits for [`READY_LINE`] (for `--daemon`, also for the
/// first process to exit). Fails with the server's own error text when it does not come up.
pub fn start(prefix: &Prefix, binary: &Path, extra: &[&str]) -> Result<(), String> {
    if !binary.exists() {
        return Err(format!("cannot start the server: {} does not exist", binary.display()));
    }
    let mut child = Command::new(binary)
        .arg("--prefix")
        .arg(prefix.root())
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group: a Ctrl-C meant for the first client does not stop the server.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("starting {}: {}", binary.display(), describe_io(&e)))?;
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = String::new();
    let _ = stdout.read_line(&mut line);
    if line.starts_with(READY_LINE) {
        if extra.contains(&"--daemon") {
            let _ = child.wait();
        }
        return Ok(());
    }
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    let status = child.wait().map(|s| s.to_string()).unwrap_or_else(|e| describe_io(&e));
    Err(format!(
        "{} --prefix {} did not become ready ({status}): {}",
        binary.display(),
        prefix.root().display(),
        stderr.trim()
    ))
}

/// Stops the server of `prefix` (SIGTERM, then SIGKILL after `grace`) and removes its socket.
/// Returns the pid that was stopped, or `None` when no server ran.
pub fn shutdown(prefix: &Prefix, grace: Duration) -> Result<Option<i32>, String> {
    let Some(pid) = running_server_pid(prefix) else {
        // Nothing holds the lock; a socket file left behind is stale.
        let _ = std::fs::remove_file(prefix.socket());
        return Ok(None);
    };
    // SAFETY: kill has no memory effects.
    let signal = |sig: i32| unsafe { libc::kill(pid, sig) };
    if signal(libc::SIGTERM) < 0 {
        let e = std::io::Error::last_os_error();
        return Err(format!("sending SIGTERM to darlingserver pid {pid}: {}", describe_io(&e)));
    }
    let deadline = Instant::now() + grace;
    while running_server_pid(prefix).is_some() {
        if Instant::now() > deadline {
            signal(libc::SIGKILL);
            std::thread::sleep(Duration::from_millis(100));
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_file(prefix.socket());
    Ok(Some(pid))
}
