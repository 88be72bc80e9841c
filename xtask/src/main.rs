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

use clap::Parser;

fn main() -> anyhow::Result<()> {
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
