//! The syscall-tables generator for `cargo xtask gen`: `defs/syscalls/*.master` into C under
//! `runtime/generated/` and Rust under `runtime/core/src/syscalls/generated/`.

use std::path::Path;

use anyhow::{Context, anyhow};
use codegen::Generated;
use syscall_tables::{Dest, Master, Options, TableKind};

/// Where the C outputs go (`include/sys/syscall.h`, `src/syscalls/...` below it).
pub const C_ROOT: &str = "runtime/generated";
/// Where the Rust outputs go (`generated/*.rs` below it).
pub const RUST_ROOT: &str = "runtime/core/src/syscalls";

/// The three masters, read from `defs/syscalls/` under `root`.
pub fn masters(root: &Path) -> anyhow::Result<Vec<Master>> {
    TableKind::ALL
        .iter()
        .map(|kind| {
            let rel = format!("defs/syscalls/{}", kind.master_file_name());
            let text = std::fs::read_to_string(root.join(&rel)).with_context(|| format!("reading {rel}"))?;
            Ok(Master::new(*kind, rel, text))
        })
        .collect()
}

/// The workspace-relative path of an output.
pub fn output_path(output: &syscall_tables::Output) -> String {
    let root = match output.dest {
        Dest::C => C_ROOT,
        Dest::Rust => RUST_ROOT,
    };
    format!("{root}/{}", output.path)
}

/// Compiles the masters and adds every output to `generated`.
pub fn run(generated: &mut Generated) -> anyhow::Result<()> {
    let masters = masters(generated.root())?;
    let compiled = syscall_tables::compile(&Options::new(masters)).map_err(|failure| anyhow!("{failure}"))?;
    if !compiled.warnings.is_empty() {
        eprint!("{}", compiled.warnings);
    }
    // These directories hold nothing but syscall-tables output; `include/sys` is shared, so it is not
    // owned.
    generated.own_dir(format!("{C_ROOT}/src/syscalls"), "c,h");
    generated.own_dir(format!("{RUST_ROOT}/generated"), "rs");
    for output in &compiled.outputs {
        generated.file(output_path(output), &output.contents)?;
    }
    Ok(())
}
