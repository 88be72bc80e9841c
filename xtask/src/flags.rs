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
    /// Build and run a cargo-fuzz target (no target: list them; `all`: each in turn).
    Fuzz(Fuzz),
}

#[derive(Debug, Args)]
pub struct Fuzz {
    /// The target to run (`all` for every one in turn); without one, the targets are listed.
    pub target: Option<String>,
    /// How long to fuzz each target.
    #[arg(long, default_value_t = 600)]
    pub seconds: u64,
    /// The sanitizer to build with: `none` (default; works on stable) or `address` (needs
    /// `-Zsanitizer`, enabled on stable through `RUSTC_BOOTSTRAP=1`).
    #[arg(long)]
    pub sanitizer: Option<String>,
    /// Only build the target(s).
    #[arg(long)]
    pub build_only: bool,
    /// Check that every fuzz crate is formatted and compiles clippy-clean (no cargo-fuzz needed;
    /// `.ci/run` runs this so the targets cannot rot outside the workspace).
    #[arg(long, conflicts_with_all = ["target", "build_only", "sanitizer"])]
    pub check: bool,
    /// Extra libFuzzer options, after `--` (e.g. `-- -fork=1 -ignore_crashes=1`).
    #[arg(last = true)]
    pub libfuzzer_args: Vec<String>,
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
    /// Skip the self-check: compiling a C client against the prefix, running it (which starts the
    /// server on demand) and stopping the server again.
    #[arg(long)]
    pub no_verify: bool,
}
