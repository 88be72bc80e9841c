//! `cargo xtask gen [--check]`: runs every generator over `defs/` into its checked-in location.
//!
//! Each generator contributes one function that adds its files to a shared [`Generated`] set, so one run
//! writes (or checks) everything and reports every stale file at once. The freshness `#[test]` below runs
//! the same code in check mode, so plain `cargo test` fails on stale output too.

pub mod syscall_tables;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use codegen::{GenMode, Generated};

/// One generator: a name for messages, and the function that adds its outputs.
pub struct Generator {
    pub name: &'static str,
    pub run: fn(&mut Generated) -> anyhow::Result<()>,
}

/// Every generator, in the order they run.
pub fn generators() -> Vec<Generator> {
    vec![
        Generator { name: "rpc-gen", run: crate::gen_rpc::run },
        Generator { name: "syscall-tables", run: syscall_tables::run },
    ]
}

/// Runs every generator in `mode` and returns the set of paths they produce. Fails with the list of
/// stale files (check mode) or the first generator error.
pub fn generate(root: &Path, mode: GenMode) -> anyhow::Result<Vec<PathBuf>> {
    let mut generated = Generated::new(root, mode);
    for generator in generators() {
        (generator.run)(&mut generated).with_context(|| format!("generator `{}` failed", generator.name))?;
    }
    let paths: Vec<PathBuf> = generated.paths().map(Path::to_path_buf).collect();
    generated.finish()?;
    Ok(paths)
}

pub fn run(root: &Path, check: bool) -> anyhow::Result<()> {
    let mode = if check { GenMode::Check } else { GenMode::Write };
    match generate(root, mode) {
        Ok(paths) => {
            let verb = if check { "checked" } else { "generated" };
            eprintln!("{verb} {} file(s); all fresh", paths.len());
            Ok(())
        }
        Err(e) if check => bail!("{e:#}"),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_are_fresh() {
        if let Err(e) = generate(&crate::project_root(), GenMode::Check) {
            panic!("{e:#}");
        }
    }
}
