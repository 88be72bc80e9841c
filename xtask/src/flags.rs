//! The command line of `cargo xtask`: one subcommand per task.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// darling-rs project automation.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
pub struct Xtask {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate every checked-in generated file from `defs/`.
    Gen(Gen),
    /// Build everything and lay out a prefix (headers, libraries, server, tools).
    BuildPrefix(BuildPrefix),
    /// Check repository conventions: `//!` headers, trailing whitespace, `@generated` markers.
    Tidy,
    /// Run benchmarks (all, or the one named), each reported as a ratio to a same-run baseline.
    Bench(Bench),
}

#[derive(Debug, Args)]
pub struct Bench {
    /// Only this benchmark.
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct Gen {
    /// Write nothing; fail if any generated file is stale.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct BuildPrefix {
    /// Where to lay the prefix out (default: `$DPREFIX`, else `target/prefix`).
    #[arg(long)]
    pub prefix: Option<PathBuf>,
    /// Build the runtime (server, shim, tools) with the release profile instead of dev.
    #[arg(long)]
    pub release: bool,
}
