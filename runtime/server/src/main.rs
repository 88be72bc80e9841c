//! `darlingserver --prefix DIR`: runs the server of one prefix, in the foreground (logs to standard
//! error) or, with `--daemon`, detached (logs to `<prefix>/var/log/darlingserver.log`).
//!
//! Either way it prints `darlingserver ready` on standard output once its socket is bound and calls are
//! served (with `--daemon`, the first process prints it and exits then), so a starter never races it.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Parser;
use darling_core::launch::READY_LINE;
use darling_core::prefix::Prefix;
use darlingserver::server::{Config, Server};
use darlingserver::socket::ServerSocket;
use nix::libc;

/// The darlingserver of one prefix.
#[derive(Debug, Parser)]
#[command(name = "darlingserver", version, about)]
struct Args {
    /// The prefix to serve (default: `$DPREFIX`, else `~/.darling`).
    #[arg(long)]
    prefix: Option<PathBuf>,
    /// Detach: fork, start a new session, log to the prefix's log file.
    #[arg(long)]
    daemon: bool,
    /// Write the log here instead of standard error (default with `--daemon`:
    /// `<prefix>/var/log/darlingserver.log`).
    #[arg(long)]
    log_file: Option<PathBuf>,
    /// What to log, as a tracing filter (`debug` shows every call); `DARLINGSERVER_LOG` also works.
    #[arg(long)]
    log: Option<String>,
}

fn main() {
    let args = Args::parse();
    let prefix = Prefix::from_env_or(args.prefix.clone());
    let ready_pipe = if args.daemon { daemonize() } else { None };
    let mut ready = Ready { pipe: ready_pipe };
    if let Err(e) = run(&args, &prefix, &mut ready) {
        let message = format!("darlingserver: {e:#}");
        tracing::error!("{message}");
        ready.fail(&message);
        std::process::exit(1);
    }
}

/// Tells whoever started the server that it is ready, or why it is not.
struct Ready {
    pipe: Option<File>,
}

impl Ready {
    fn ready(&mut self) {
        match self.pipe.take() {
            Some(mut pipe) => {
                let _ = pipe.write_all(b"READY");
            }
            None => {
                println!("{READY_LINE}: pid {}", std::process::id());
                let _ = std::io::stdout().flush();
            }
        }
    }

    fn fail(&mut self, message: &str) {
        match self.pipe.take() {
            Some(mut pipe) => {
                let _ = pipe.write_all(message.as_bytes());
            }
            None => eprintln!("{message}"),
        }
    }
}

/// Forks before any thread exists. The parent waits for the child's verdict on a pipe, reports it and
/// exits; the child starts a new session and carries on with the write end of the pipe.
fn daemonize() -> Option<File> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fresh descriptors; fork happens while the process has one thread.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) < 0 {
            eprintln!("darlingserver: pipe2 for --daemon: {}", std::io::Error::last_os_error());
            std::process::exit(1);
        }
        let (read_end, write_end) = (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]));
        match libc::fork() {
            -1 => {
                eprintln!("darlingserver: fork for --daemon: {}", std::io::Error::last_os_error());
                std::process::exit(1);
            }
            0 => {
                drop(read_end);
                libc::setsid();
                Some(File::from(write_end))
            }
            _ => {
                drop(write_end);
                let mut verdict = String::new();
                let _ = File::from(read_end).read_to_string(&mut verdict);
                if verdict == "READY" {
                    println!("{READY_LINE}");
                    std::process::exit(0);
                }
                if verdict.is_empty() {
                    verdict = "darlingserver: the daemon exited before it was ready".into();
                }
                eprintln!("{verdict}");
                std::process::exit(1);
            }
        }
    }
}

fn run(args: &Args, prefix: &Prefix, ready: &mut Ready) -> anyhow::Result<()> {
    std::fs::create_dir_all(prefix.root())
        .with_context(|| format!("creating the prefix {}", prefix.root().display()))?;
    let log_file = args.log_file.clone().or_else(|| args.daemon.then(|| prefix.server_log()));
    init_logging(args.log.as_deref(), log_file.as_deref())?;
    // A daemon's standard error is /dev/null: panics must reach the log.
    std::panic::set_hook(Box::new(|info| tracing::error!("panic: {info}")));

    // The server lock: held for the life of the process, released by the kernel however it ends.
    let lock_path = prefix.server_lock();
    let mut lock = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("opening {}", lock_path.display()))?;
    if lock.try_lock().is_err() {
        let other = std::fs::read_to_string(&lock_path).unwrap_or_default();
        bail!("a darlingserver (pid {}) already serves prefix {}", other.trim(), prefix.root().display());
    }
    lock.set_len(0)?;
    write!(lock, "{}", std::process::id())?;

    let socket = ServerSocket::bind(&prefix.socket())?;
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting tokio")?;
    let server = Server::new(socket, Config::new(prefix.clone()), runtime.handle().clone());
    let receiver = {
        let server = Arc::clone(&server);
        std::thread::Builder::new().name("receiver".into()).spawn(move || server.serve())?
    };
    tracing::info!(prefix = %prefix.root().display(), socket = %prefix.socket().display(), pid = std::process::id(), "darlingserver ready");
    ready.ready();
    if args.daemon {
        detach_stdio();
    }

    let signal = runtime.block_on(async {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let mut hup = signal(SignalKind::hangup())?;
        anyhow::Ok(tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
            _ = hup.recv() => "SIGHUP",
        })
    })?;
    tracing::info!("{signal}: shutting down");
    server.stop();
    // The receiver wakes up from `stop`; should a call be stuck anyway, do not hang the shutdown.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while !receiver.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    if receiver.is_finished() {
        let _ = receiver.join();
    } else {
        tracing::error!("the receiver thread did not stop within 2 s; exiting without it");
    }
    drop(server);
    drop(runtime);
    drop(lock);
    Ok(())
}

fn init_logging(filter: Option<&str>, file: Option<&std::path::Path>) -> anyhow::Result<()> {
    use tracing_subscriber::EnvFilter;
    let filter = match filter.map(str::to_owned).or_else(|| std::env::var("DARLINGSERVER_LOG").ok()) {
        Some(f) => EnvFilter::try_new(&f).with_context(|| format!("bad log filter `{f}`"))?,
        None => EnvFilter::new("info"),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(true);
    match file {
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            let file = File::options()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("opening the log file {}", path.display()))?;
            builder.with_ansi(false).with_writer(std::sync::Mutex::new(file)).init();
        }
        None => builder.with_writer(std::io::stderr).init(),
    }
    Ok(())
}

/// A daemon keeps no terminal: standard streams go to /dev/null (the log has its own file).
fn detach_stdio() {
    if let Ok(null) = File::options().read(true).write(true).open("/dev/null") {
        for fd in 0..3 {
            // SAFETY: dup2 onto the standard descriptors, which we own.
            unsafe { libc::dup2(null.as_raw_fd(), fd) };
        }
    }
}
