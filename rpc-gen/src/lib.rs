//! rpc-gen: darlingserver's RPC calls, from a small DSL (`defs/rpc/*.rpc`) to ABI-identical C client
//! wrappers and the Rust side of the protocol.
//!
//! The pipeline is the workspace's usual one, one module per stage: [`parse`] (pest, to a typed AST
//! with spans) → [`check`] (every error at once) → [`lower`] (to the plain-data [`model`]) →
//! [`emit`] (one module per output; emitters cannot fail). xtask calls [`compile`]; the `rpc-gen`
//! binary wraps it for use outside the workspace.

pub mod ast;
pub mod check;
pub mod emit;
pub mod lower;
pub mod model;
pub mod parse;

use std::fmt;

use codegen::{Diagnostic, Diagnostics, Sources};

pub use model::Interface;

/// What to compile and how.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The path shown in diagnostics and preambles (`defs/rpc/darlingserver.rpc`).
    pub source_name: String,
    /// The file's text.
    pub text: String,
    /// The line `rpc.c` includes the public header with (`<darlingserver/rpc.h>`, or a quoted path
    /// as darlingserver's own build passes).
    pub c_include: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            source_name: "input.rpc".to_string(),
            text: String::new(),
            c_include: "<darlingserver/rpc.h>".to_string(),
        }
    }
}

impl Options {
    /// Options for `text`, shown as `source_name`.
    pub fn new(source_name: impl Into<String>, text: impl Into<String>) -> Self {
        Options { source_name: source_name.into(), text: text.into(), ..Options::default() }
    }

    /// Sets the include line of `rpc.c`.
    pub fn with_c_include(mut self, include: impl Into<String>) -> Self {
        self.c_include = include.into();
        self
    }
}

/// Everything rpc-gen writes for one `.rpc` file.
#[derive(Debug, Clone)]
pub struct Output {
    /// The model it was generated from.
    pub interface: Interface,
    /// `darlingserver/rpc.h`.
    pub c_header: String,
    /// `rpc.c`.
    pub c_source: String,
    /// `wire.rs`.
    pub rust_wire: String,
    /// `server.rs`.
    pub rust_server: String,
    /// `client.rs`.
    pub rust_client: String,
    /// `ffi.rs`.
    pub rust_ffi: String,
    /// Warnings, rendered (empty when there are none).
    pub warnings: String,
}

impl Output {
    /// Every output with the snapshot suffix and file name it is known by.
    pub fn files(&self) -> [(&'static str, &'static str, &str); 6] {
        [
            ("c_header", "rpc.h", &self.c_header),
            ("c_source", "rpc.c", &self.c_source),
            ("rust_wire", "wire.rs", &self.rust_wire),
            ("rust_server", "server.rs", &self.rust_server),
            ("rust_client", "client.rs", &self.rust_client),
            ("rust_ffi", "ffi.rs", &self.rust_ffi),
        ]
    }
}

/// A compilation that stopped: the diagnostics of the failing phase, and the sources they point
/// into. `Display` renders them like rustc does.
#[derive(Debug, Clone)]
pub struct Failure {
    /// What went wrong.
    pub diagnostics: Diagnostics,
    /// The files the diagnostics point into.
    pub sources: Sources,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostics.render(&self.sources))
    }
}

impl std::error::Error for Failure {}

/// Parses, checks and lowers a file into its model.
pub fn load(options: &Options) -> Result<(Interface, Diagnostics, Sources), Failure> {
    let mut sources = Sources::new();
    let file = sources.add(options.source_name.clone(), options.text.clone());
    let ast = match parse::parse(file, &options.text) {
        Ok(ast) => ast,
        Err(d) => return Err(Failure { diagnostics: Diagnostics::from(*d), sources }),
    };
    let mut diagnostics = check::check(&ast);
    if let Err(diagnostics) = diagnostics.propagate() {
        return Err(Failure { diagnostics, sources });
    }
    Ok((lower::lower(&ast, &options.source_name), diagnostics, sources))
}

/// Compiles a file into every output.
pub fn compile(options: &Options) -> Result<Output, Failure> {
    let (interface, diagnostics, sources) = load(options)?;
    let source = interface.source.clone();
    let rust = |tokens| codegen::rust::generated_file("rpc-gen", &source, tokens);
    Ok(Output {
        c_header: emit::c_header::emit(&interface),
        c_source: emit::c_source::emit(&interface, &options.c_include),
        rust_wire: rust(emit::rust_wire::emit(&interface)),
        rust_server: rust(emit::rust_server::emit(&interface)),
        rust_client: rust(emit::rust_client::emit(&interface)),
        rust_ffi: rust(emit::rust_ffi::emit(&interface)),
        warnings: if diagnostics.items.is_empty() { String::new() } else { diagnostics.render(&sources) },
        interface,
    })
}

/// A diagnostic for a problem outside any file (bad command-line value, unreadable input).
pub fn unlocated(message: impl Into<String>) -> Failure {
    Failure { diagnostics: Diagnostics::from(Diagnostic::unlocated(message)), sources: Sources::new() }
}
