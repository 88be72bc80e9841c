//! Helpers shared by the syscall-tables integration tests: where the workspace and `../shared` are, and
//! loading a master into its model.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use codegen::Sources;
use syscall_tables::{Table, TableKind};

pub use darling_tests::workspace_root as root;

/// `<root>/../shared`, or `None` (with the reason printed) when it is absent.
pub fn shared(test: &str) -> Option<PathBuf> {
    darling_tests::shared_or_skip(test, "oracle")
}

/// A JSON file of `../shared`.
pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// The model of the master at `path` (shown as `shown`), or a panic with the rendered diagnostics.
pub fn load(path: &Path, shown: &str, kind: TableKind) -> Table {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut sources = Sources::new();
    let file = sources.add(shown, text);
    syscall_tables::load(&sources, file, kind).unwrap_or_else(|d| panic!("{}", d.render(&sources)))
}

/// The project's own master of `kind`.
pub fn defs(kind: TableKind) -> Table {
    let rel = format!("defs/syscalls/{}", kind.master_file_name());
    load(&root().join(&rel), &rel, kind)
}

/// Where a generated C file is checked in.
pub fn generated_c(rel: &str) -> PathBuf {
    root().join("runtime/generated").join(rel)
}
