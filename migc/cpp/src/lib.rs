//! The C preprocessor migc runs over `.defs` files, in-process, with a source map back to the files.
//!
//! Apple's `mig` runs `cc -E` before parsing; migc calls [`preprocess_file`] instead. The output is
//! token-for-token what `cc -E` gives for MIG input (whitespace may differ; newlines are kept where the
//! source had them, directive lines and comments become empty lines), it has no line markers, and its
//! [`Output::map`] maps every byte back: verbatim stretches to their file offsets, macro-expanded text to
//! the invocation (the macro's name through its closing parenthesis), and argument tokens that pass
//! through a macro unchanged to where they were written.
//!
//! What it implements, and where it deliberately differs from `cc -E`:
//!
//! - `#include "..."` and `#include <...>` search the `-I` directories in order and then the directory
//!   of the including file, for both forms (the order migc's issue asks for; `cc` searches the
//!   includer's directory first for `"..."`, and never for `<...>`). No system directories are searched.
//!   `#import` includes a file only if it was not included before. A file is shown and recorded under
//!   the path it was opened by (`dir.join(name)`), never canonicalized. Includes nest at most
//!   200 deep; deeper is reported as a recursive include.
//! - Object-like and function-like macros with `#`, `##`, `__VA_ARGS__`, GNU named variadic
//!   parameters and GNU `, ## __VA_ARGS__`; not `__VA_OPT__`. Rescanning follows C's "painted blue"
//!   rule, but a macro name left unexpanded because it refers to itself is reported as an error
//!   ("recursive macro"), since a `.defs` author never means it. Expansion that grows without bound is
//!   an error too.
//! - `#if`/`#elif` with `defined`, C integer arithmetic in 64 bits (signed and unsigned), character
//!   constants; `#ifdef`, `#ifndef`, `#else`, `#endif`, `#undef`, `#error` (an error), `#warning` (a
//!   warning), `#pragma`, `#ident` and `#sccs` (ignored), `#line N "file"` and `# N "file" flags` line
//!   markers. Those two only change what `__LINE__` and `__FILE__` say: positions in diagnostics and in
//!   the map always refer to the real bytes of the file that was read.
//! - Predefined macros: only `__FILE__` and `__LINE__`. Everything else (`__MACH30__`, `__LP64__` for a
//!   64-bit `-arch`...) is the caller's to pass in [`Options::macros`].
//! - Files are lexed once per thread and reused by later runs while their size and modification time
//!   are unchanged (migc compiles many `.defs` that all include the same type files).
//! - No digraphs, trigraphs, `_Pragma`, `__has_include` or `__COUNTER__`. Files that are not UTF-8 are
//!   read with invalid bytes replaced (positions then refer to that text).

mod cache;
mod expand;
mod expr;
mod lex;
mod macros;
mod output;
mod pp;

use std::path::{Path, PathBuf};

use codegen::{Diagnostic, Diagnostics, SourceMap, Sources};

/// What to preprocess with: the equivalent of `cc`'s `-I`, `-D` and `-U`.
#[non_exhaustive]
#[derive(Default, Clone, Debug)]
pub struct Options {
    /// `-I` directories, searched in this order.
    pub include_dirs: Vec<PathBuf>,
    /// `-D` and `-U`, applied in command-line order before the main file.
    pub macros: Vec<MacroOption>,
}

impl Options {
    /// Options with no include directories and no macros.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an `-I` directory.
    pub fn include_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.include_dirs.push(dir.into());
        self
    }

    /// Adds `-D NAME` (`value` `None`, which means `1` as for `cc`) or `-D NAME=VALUE`.
    pub fn define(mut self, name: impl Into<String>, value: Option<&str>) -> Self {
        self.macros.push(MacroOption::Define { name: name.into(), value: value.map(str::to_string) });
        self
    }

    /// Adds `-U NAME`.
    pub fn undefine(mut self, name: impl Into<String>) -> Self {
        self.macros.push(MacroOption::Undefine(name.into()));
        self
    }
}

/// One `-D` or `-U` option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MacroOption {
    /// `-DNAME` (value `None`, meaning `1` like `cc`) or `-DNAME=VALUE`. `NAME` may carry a parameter
    /// list, as in `-D'f(x)=x'`.
    Define { name: String, value: Option<String> },
    /// `-UNAME`.
    Undefine(String),
}

impl MacroOption {
    /// Parses the text after `-D` (`NAME` or `NAME=VALUE`) as `cc` does.
    pub fn parse_define(text: &str) -> Self {
        match text.split_once('=') {
            Some((name, value)) => {
                MacroOption::Define { name: name.to_string(), value: Some(value.to_string()) }
            }
            None => MacroOption::Define { name: text.to_string(), value: None },
        }
    }
}

/// Preprocessed text.
#[derive(Debug)]
pub struct Output {
    /// The text, without line markers.
    pub text: String,
    /// Maps every byte of `text` back to the files in the caller's [`Sources`].
    pub map: SourceMap,
    /// Every file read from disk, in first-read order (the main file first): what `-MD` lists.
    pub dependencies: Vec<PathBuf>,
    /// Warnings (`#warning`, a macro redefined differently, extra tokens after a directive).
    pub warnings: Diagnostics,
}

/// Preprocesses the file at `path`. Every file read is added to `sources` under the path it was
/// opened by; on failure, every error found (and the warnings) is returned.
pub fn preprocess_file(path: &Path, options: &Options, sources: &mut Sources) -> Result<Output, Diagnostics> {
    run(&path.to_string_lossy(), None, options, sources)
}

/// Preprocesses `text` as if it were the file `name` (which is not read; includes are searched relative
/// to its directory as usual). `name` is not listed in [`Output::dependencies`].
pub fn preprocess_str(
    name: &str,
    text: &str,
    options: &Options,
    sources: &mut Sources,
) -> Result<Output, Diagnostics> {
    if text.len() >= u32::MAX as usize {
        return Err(Diagnostic::unlocated(format!("`{name}` is too large to preprocess")).into());
    }
    run(name, Some(text.to_string()), options, sources)
}

fn run(
    name: &str,
    text: Option<String>,
    options: &Options,
    sources: &mut Sources,
) -> Result<Output, Diagnostics> {
    cache::CACHE
        .with_borrow_mut(|cache| pp::Preprocessor::new(options, sources, cache).run(options, name, text))
}
