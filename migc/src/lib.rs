//! migc: a MIG compiler, a drop-in for Apple's `mig`. `.defs` in; C user and server stubs and headers out.
//!
//! The pipeline is the workspace's: [`preprocess`] (the project's own preprocessor, `migc-cpp`, or an
//! external `cc -E`) → [`parse`] (pest, to a typed [`ast`] with spans in the original files) →
//! [`check`] (every error of the phase at once) → [`model`] (plain data, layouts per target, computed in
//! [`layout`]) → [`emit`] (one module per output; emitters cannot fail).
//!
//! xtask and the `migc` binary both call [`compile`]; the binary adds mig's command line on top.

pub mod ast;
pub mod check;
pub mod cli;
pub mod emit;
pub mod layout;
pub mod model;
pub mod parse;
pub mod preprocess;

use std::path::PathBuf;

use codegen::{Diagnostic, Diagnostics, Sources, Span, Target};

pub use model::Module;
pub use preprocess::{MacroOption, Preprocessor};

/// What to compile and how.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The `.defs` file.
    pub input: PathBuf,
    /// The target whose message layouts to compute (`-arch`).
    pub target: Target,
    /// `-I` directories, in order.
    pub include_dirs: Vec<PathBuf>,
    /// `-D`/`-U`, in order.
    pub macros: Vec<MacroOption>,
    /// Which preprocessor runs.
    pub preprocessor: Preprocessor,
    /// What generated files say they were generated from (a workspace-relative path); defaults to the
    /// input path as given.
    pub source_label: Option<String>,
    /// How the user source includes the user header (default: the header's file name, `<name>.h`).
    pub user_header_include: Option<String>,
    /// How the server source includes the server header (default: `<name>Server.h`).
    pub server_header_include: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            input: PathBuf::new(),
            target: Target::X86_64,
            include_dirs: Vec::new(),
            macros: Vec::new(),
            preprocessor: Preprocessor::default(),
            source_label: None,
            user_header_include: None,
            server_header_include: None,
        }
    }
}

impl Options {
    /// Options to compile `input` with every other setting at its default.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        Options { input: input.into(), ..Options::default() }
    }
}

/// A successful compilation: the model, the four C files, and what was read.
#[derive(Debug)]
pub struct Output {
    /// The checked model.
    pub module: Module,
    /// `<name>User.c`.
    pub user: String,
    /// `<name>.h`.
    pub header: String,
    /// `<name>Server.c`.
    pub server: String,
    /// `<name>Server.h`.
    pub server_header: String,
    /// Every file read, the input first (for `-MD`).
    pub dependencies: Vec<PathBuf>,
    /// Warnings, rendered against `sources`.
    pub warnings: Diagnostics,
    /// The text of every file read, for rendering `warnings`.
    pub sources: Sources,
}

/// A failed compilation: every error of the phase that failed, and the files they point into.
#[derive(Debug)]
pub struct Error {
    /// The errors.
    pub diagnostics: Diagnostics,
    /// The text of every file read.
    pub sources: Sources,
}

impl Error {
    /// The errors, rendered rustc-style with file:line:col and carets.
    pub fn render(&self) -> String {
        self.diagnostics.render(&self.sources)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.render().trim_end())
    }
}

impl std::error::Error for Error {}

/// What the front end produces: the model, the files read, and warnings.
#[derive(Debug)]
pub struct Frontend {
    /// The checked model.
    pub module: Module,
    /// Every file read, the input first.
    pub dependencies: Vec<PathBuf>,
    /// Warnings of every phase.
    pub warnings: Diagnostics,
}

/// Preprocesses, parses and checks `options.input` into a model (no C is generated).
pub fn frontend(options: &Options, sources: &mut Sources) -> Result<Frontend, Diagnostics> {
    let pp_options = preprocess::PreprocessOptions {
        include_dirs: options.include_dirs.clone(),
        macros: options.macros.clone(),
        preprocessor: options.preprocessor.clone(),
    };
    let pre = preprocess::preprocess(&options.input, options.target, &pp_options, sources)?;
    let fallback = Span { file: pre.main_file, start: 0, end: 0 };
    let file = parse::parse(&pre.text, &pre.map, fallback)?;
    let label = source_label(options);
    let module = check::check(&file, &label, options.target, fallback)?;
    Ok(Frontend { module, dependencies: pre.dependencies, warnings: pre.warnings })
}

/// Compiles one `.defs` file to the model and the four C outputs.
pub fn compile(options: &Options) -> Result<Output, Error> {
    let mut sources = Sources::new();
    match frontend(options, &mut sources) {
        Ok(Frontend { module, dependencies, warnings }) => {
            let names = emit::FileNames::for_module(&module, options);
            let user = emit::c_user::emit(&module, &names);
            let header = emit::c_header::emit(&module, &names);
            let server = emit::c_server::emit(&module, &names);
            let server_header = emit::c_server_header::emit(&module, &names);
            Ok(Output { module, user, header, server, server_header, dependencies, warnings, sources })
        }
        Err(diagnostics) => Err(Error { diagnostics, sources }),
    }
}

/// Compiles to the model only (for `--list` and `--layout-json`).
pub fn compile_model(options: &Options) -> Result<(Module, Vec<PathBuf>), Error> {
    let mut sources = Sources::new();
    match frontend(options, &mut sources) {
        Ok(f) => Ok((f.module, f.dependencies)),
        Err(diagnostics) => Err(Error { diagnostics, sources }),
    }
}

fn source_label(options: &Options) -> String {
    options.source_label.clone().unwrap_or_else(|| options.input.display().to_string())
}

/// An error about the command line or the environment, not a place in a file.
pub fn usage_error(message: impl Into<String>) -> Error {
    Error { diagnostics: Diagnostics::from(Diagnostic::unlocated(message)), sources: Sources::new() }
}
