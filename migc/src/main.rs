//! The `migc` binary: mig's command line over the migc library (see `cli.rs`).

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match migc::cli::main(std::env::args().skip(1)) {
        Ok(report) => {
            let _ = std::io::stdout().write_all(report.stdout.as_bytes());
            let _ = std::io::stderr().write_all(report.stderr.as_bytes());
            ExitCode::SUCCESS
        }
        Err(error) => {
            let _ = std::io::stderr().write_all(error.render().as_bytes());
            ExitCode::FAILURE
        }
    }
}
