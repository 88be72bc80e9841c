//! `cargo xtask`: the project's automation, run as `cargo xtask <command>` (see `.cargo/config.toml`).
//!
//! Shaped like rust-analyzer's xtask: this file dispatches, `flags.rs` declares the commands, and each
//! command lives in its own module. Generators are called as libraries, never as subprocesses, so a
//! generator error arrives here as a value with its diagnostics.

mod bench;
mod build_prefix;
mod build_runtime;
mod codegen;
mod flags;
mod fuzz;
mod gen_rpc;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprint!("{}", report(&error));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes as the user should read them. Not anyhow's `Debug` (what `main -> Result`
/// prints): that indents every cause, so a generator's rendered diagnostics lose their column layout,
/// and adds a backtrace whenever `RUST_BACKTRACE` is set, though a mistake in `defs/` is not a bug in
/// xtask. A cause that is already a rendered block (diagnostics with their place and caret) is printed
/// as it is; a one-line cause is printed as `caused by:`.
fn report(error: &anyhow::Error) -> String {
    let mut out = format!("error: {error}\n");
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        if text.contains('\n') {
            out.push('\n');
            out.push_str(text.trim_matches('\n'));
            out.push('\n');
        } else {
            out.push_str(&format!("  caused by: {text}\n"));
        }
    }
    out
}

fn run() -> anyhow::Result<()> {
    let flags = flags::Xtask::parse();
    match flags.command {
        flags::Command::Gen(cmd) => codegen::run(&project_root(), cmd.check),
        flags::Command::BuildPrefix(cmd) => build_prefix::run(&project_root(), cmd),
        flags::Command::Tidy => tidy::run(&project_root()),
        flags::Command::Bench(cmd) => bench::run(&project_root(), cmd.name.as_deref()),
        flags::Command::Fuzz(cmd) => fuzz::run(&project_root(), cmd),
    }
}

/// The workspace root, found from this crate's manifest so that xtask works from any directory.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use anyhow::Context;

    #[test]
    fn reports_keep_rendered_diagnostics_as_they_are() {
        let diagnostics = "error: `int` cannot cross the wire\n  --> x.rpc:1:5\n  |\n1 | int\n";
        let error = Err::<(), _>(anyhow::anyhow!(diagnostics.to_string()))
            .context("generator `rpc-gen` failed")
            .unwrap_err();
        let text = super::report(&error);
        assert!(text.starts_with("error: generator `rpc-gen` failed\n\nerror: `int` cannot"), "{text}");
        assert!(text.contains("\n  --> x.rpc:1:5\n"), "the caret lines keep their indentation: {text}");
        let io = Err::<(), _>(std::io::Error::from_raw_os_error(2)).context("reading defs").unwrap_err();
        assert!(super::report(&io).contains("\n  caused by: No such file or directory"));
    }
}
