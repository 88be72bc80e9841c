//! syscall-tables: XNU's `syscalls.master` format in; system call numbers, names, argument structures,
//! entry tables and Rust dispatch code out.
//!
//! One format describes three tables ([`TableKind`]): the BSD system calls (`defs/syscalls/syscalls.master`,
//! what XNU's `makesyscalls.sh` reads), the Mach traps and the machine-dependent calls (which XNU writes
//! by hand in C). Each master goes through the same pipeline, one module per stage:
//!
//! 1. [`parse`]: pest grammar to a typed AST with spans;
//! 2. [`check`]: every error of the file at once, as located diagnostics;
//! 3. [`lower`]: the plain-data [`model::Table`];
//! 4. [`emit`]: one module per output (`sys/syscall.h`, argument structures, names, entry table, Rust),
//!    each a function from the model to text that cannot fail.
//!
//! `cargo xtask gen` calls [`compile`] and writes the [`Output`]s into `runtime/generated` (C) and
//! `runtime/core/src/syscalls` (Rust).

pub mod ast;
pub mod check;
pub mod emit;
pub mod lower;
pub mod model;
pub mod names;
pub mod parse;
pub mod types;

use std::fmt;

use codegen::{Diagnostics, Sources};

pub use model::{Table, TableKind};

/// One master to compile.
#[derive(Debug, Clone)]
pub struct Master {
    /// Which table it describes.
    pub kind: TableKind,
    /// Its path as diagnostics and preambles show it (workspace-relative, never absolute).
    pub path: String,
    /// Its text.
    pub text: String,
}

impl Master {
    /// A master of `kind` at `path` with `text`.
    pub fn new(kind: TableKind, path: impl Into<String>, text: impl Into<String>) -> Self {
        Master { kind, path: path.into(), text: text.into() }
    }
}

/// What to compile.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// The masters, at most one per [`TableKind`].
    pub masters: Vec<Master>,
}

impl Options {
    /// Options compiling `masters`.
    pub fn new(masters: Vec<Master>) -> Self {
        Options { masters }
    }
}

/// Where an output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    /// C, relative to `runtime/generated/` (`include/sys/syscall.h`, `src/syscalls/...`).
    C,
    /// Rust, relative to darling-core's `src/syscalls/` (`generated/bsd.rs`).
    Rust,
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct Output {
    /// Where its path is relative to.
    pub dest: Dest,
    /// The path under the destination root.
    pub path: String,
    /// A short name of the output kind for snapshots (`syscall_h`, `bsd_args_h`, `bsd_rust`).
    pub snapshot: String,
    /// The file's content, preamble included.
    pub contents: String,
}

/// The result of a successful compilation.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// One model per master, in the order given.
    pub tables: Vec<Table>,
    /// Every output file.
    pub outputs: Vec<Output>,
    /// The warnings, rendered (empty when there are none).
    pub warnings: String,
}

/// A failed compilation: the diagnostics and the sources they point into.
#[derive(Debug)]
pub struct Failure {
    /// The text of every master, for rendering.
    pub sources: Sources,
    /// Every error found, in every master.
    pub diagnostics: Diagnostics,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.diagnostics.render(&self.sources).trim_end())
    }
}

impl std::error::Error for Failure {}

/// Parses, checks and lowers one master whose text is file `file` of `sources`.
pub fn load(sources: &Sources, file: codegen::FileId, kind: TableKind) -> Result<Table, Diagnostics> {
    load_with_warnings(sources, file, kind).map(|(table, _)| table)
}

/// [`load`], also returning the warnings (what was accepted but looks wrong).
pub fn load_with_warnings(
    sources: &Sources,
    file: codegen::FileId,
    kind: TableKind,
) -> Result<(Table, Diagnostics), Diagnostics> {
    let ast = parse::parse(sources, file)?;
    let checked = check::check(sources, &ast, kind)?;
    let table = lower::lower(&checked, sources.name(file));
    Ok((table, Diagnostics { items: checked.warnings }))
}

/// Compiles every master of `options`, then emits every output. Errors in one master do not stop the
/// others from being checked: the failure lists them all.
pub fn compile(options: &Options) -> Result<Compiled, Failure> {
    let mut sources = Sources::new();
    let files: Vec<_> =
        options.masters.iter().map(|m| (sources.add(m.path.clone(), m.text.clone()), m.kind)).collect();
    // The masters are independent: load them side by side.
    let results: Vec<Result<(Table, Diagnostics), Diagnostics>> = std::thread::scope(|scope| {
        let sources = &sources;
        let handles: Vec<_> = files
            .iter()
            .map(|(file, kind)| scope.spawn(move || load_with_warnings(sources, *file, *kind)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut diagnostics = Diagnostics::new();
    let mut warnings = Diagnostics::new();
    let mut tables = Vec::new();
    for result in results {
        match result {
            Ok((table, w)) => {
                tables.push(table);
                warnings.extend(w.items);
            }
            Err(d) => diagnostics.extend(d.items),
        }
    }
    let mut seen = Vec::new();
    for master in &options.masters {
        if seen.contains(&master.kind) {
            diagnostics.push(codegen::Diagnostic::unlocated(format!(
                "two masters for the {} table (`{}` is the second)",
                master.kind.entry_noun(),
                master.path
            )));
        }
        seen.push(master.kind);
    }
    if diagnostics.has_errors() {
        diagnostics.extend(warnings.items);
        return Err(Failure { sources, diagnostics });
    }
    let outputs = emit::all(&tables);
    Ok(Compiled { tables, outputs, warnings: warnings.render(&sources) })
}
