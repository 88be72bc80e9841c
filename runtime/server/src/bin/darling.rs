//! `darling`: the user's handle on a prefix's server. `darling start`, `darling shutdown`,
//! `darling status`; the prefix is `--prefix`, else `$DPREFIX`, else the prefix this tool is installed in
//! (`<prefix>/bin/darling`), else `~/.darling`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;
use clap::{Parser, Subcommand};
use darling_core::launch;
use darling_core::prefix::Prefix;

#[derive(Debug, Parser)]
#[command(name = "darling", version, about = "Manage the darlingserver of a prefix")]
struct Args {
    /// The prefix (default: `$DPREFIX`, else the one this tool is installed in, else `~/.darling`).
    #[arg(long, global = true)]
    prefix: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the prefix's server unless one runs.
    Start,
    /// Stop the prefix's server and remove its socket.
    Shutdown,
    /// Say whether a server serves the prefix, and its pid.
    Status,
}

fn installed_prefix() -> Option<PathBuf> {
    // `<prefix>/bin/darling` -> `<prefix>`, when the server binary is where build-prefix puts it.
    let exe = std::env::current_exe().ok()?;
    let prefix = exe.parent()?.parent()?.to_path_buf();
    Prefix::new(&prefix).server_binary().exists().then_some(prefix)
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let prefix = match args.prefix {
        Some(dir) => Prefix::new(dir),
        None => Prefix::from_env_or(installed_prefix()),
    };
    match args.command {
        Command::Start => {
            let binary = prefix.server_binary();
            match launch::ensure_running(&prefix, &binary).map_err(anyhow::Error::msg)? {
                launch::Started::AlreadyRunning => {
                    eprintln!("darlingserver already serves {}", prefix.root().display())
                }
                launch::Started::Started => {
                    eprintln!("started darlingserver for {}", prefix.root().display())
                }
            }
        }
        Command::Shutdown => {
            match launch::shutdown(&prefix, Duration::from_secs(5)).map_err(anyhow::Error::msg)? {
                Some(pid) => eprintln!("stopped darlingserver (pid {pid}) of {}", prefix.root().display()),
                None => eprintln!("no darlingserver serves {}", prefix.root().display()),
            }
        }
        Command::Status => match launch::running_server_pid(&prefix) {
            Some(pid) => println!("darlingserver (pid {pid}) serves {}", prefix.root().display()),
            None => bail!("no darlingserver serves {}", prefix.root().display()),
        },
    }
    Ok(())
}
