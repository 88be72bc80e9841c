//! `cargo xtask build-prefix [--prefix DIR]`: generates, builds and lays out a prefix.
//!
//! The prefix is what a Darling developer builds C programs against: `usr/include` (hand-written Mach
//! headers and generated MIG headers), `usr/lib` (the shim), `usr/libexec` (the server) and `bin` (tools).
//! Generation runs first in write mode so a prefix is never built from stale generated files, and a
//! self-check (`verify.rs`, unless `--no-verify`) runs last: a C client built against the prefix must
//! start its server, call it and stop it.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context;
use codegen::GenMode;

use crate::flags::BuildPrefix;

mod verify;

/// Where the prefix goes: `--prefix`, else `$DPREFIX`, else `target/prefix`.
pub fn prefix_dir(root: &Path, flag: Option<PathBuf>) -> PathBuf {
    let dir = flag
        .or_else(|| std::env::var_os("DPREFIX").map(PathBuf::from))
        .unwrap_or_else(|| root.join("target/prefix"));
    if dir.is_absolute() { dir } else { std::env::current_dir().map(|d| d.join(&dir)).unwrap_or(dir) }
}

pub fn run(root: &Path, flags: BuildPrefix) -> anyhow::Result<()> {
    let prefix = prefix_dir(root, flags.prefix);
    crate::codegen::generate(root, GenMode::Write)?;
    let include = prefix.join("usr/include");
    fs::create_dir_all(&include).with_context(|| format!("creating {}", include.display()))?;
    let mut count = 0;
    for source in header_roots(root) {
        count += copy_tree(&source, &include)?;
    }
    count += install_defs(root, &include)?;
    let runtime = crate::build_runtime::install(root, &prefix, flags.release)?;
    eprintln!("prefix ready at {} ({count} header(s) in usr/include)", prefix.display());
    for path in runtime {
        eprintln!("  {}", path.display());
    }
    if flags.no_verify {
        eprintln!("self-check skipped (--no-verify)");
    } else {
        verify::run(root, &prefix)?;
    }
    Ok(())
}

/// Directories whose contents become `usr/include`, in order; later ones win on a name clash.
fn header_roots(root: &Path) -> Vec<PathBuf> {
    ["defs/include", "runtime/generated/include"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect()
}

/// Installs `defs/mach` as `usr/include/mach/*.defs`, as Apple's SDK ships its `.defs`: a program that
/// serves or calls a Mach interface (an exception handler, say) can run migc with `-I usr/include`, and
/// the definitions' own `#include <mach/std_types.defs>` resolve there.
fn install_defs(root: &Path, include: &Path) -> anyhow::Result<usize> {
    let defs = root.join("defs/mach");
    if !defs.is_dir() {
        return Ok(0);
    }
    let target = include.join("mach");
    fs::create_dir_all(&target).with_context(|| format!("creating {}", target.display()))?;
    copy_tree(&defs, &target)
}

/// Copies every file under `from` into `to`, keeping relative paths; returns how many were copied.
pub fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<usize> {
    let mut count = 0;
    let entries = fs::read_dir(from).with_context(|| format!("reading {}", from.display()))?;
    for entry in entries {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&target)?;
            count += copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {} to {}", entry.path().display(), target.display()))?;
            count += 1;
        }
    }
    Ok(count)
}
