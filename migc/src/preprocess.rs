//! The preprocessing seam: a `.defs` file in, preprocessed text plus a source map and the list of files
//! read out, from either preprocessor.
//!
//! - [`Preprocessor::External`] runs a C compiler's preprocessor (`cc -E`, as Apple's `mig` does), parses
//!   its `# N "file"` line markers and builds the same triple. Positions are exact to the line; columns
//!   are exact where the preprocessor kept the line as written (it replaces comments by one space).
//! - [`Preprocessor::Internal`] (the default) is the project's own preprocessor library, `migc-cpp`:
//!   no subprocess, exact positions through includes and macro expansions.
//!
//! Both get the same predefined macros ([`predefined_macros`]): `__MACH30__` as Apple's mig defines it,
//! and the target's architecture macros (`__LP64__`, `__x86_64__`...), so that `#if defined(__LP64__)`
//! in `machine_types.defs` follows `-arch`, not the machine migc runs on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::source_map::Origin;
use codegen::{Diagnostic, Diagnostics, FileId, SourceMap, Sources, Span, Target};

/// Which preprocessor to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preprocessor {
    /// The project's own preprocessor (`migc-cpp`), in process.
    Internal,
    /// Run an external C preprocessor: the program (and leading arguments) to run as `<cmd> -E ...`.
    External(String),
}

impl Default for Preprocessor {
    /// The internal preprocessor, unless `$MIGC_CPP` names an external command.
    fn default() -> Self {
        match std::env::var("MIGC_CPP") {
            Ok(cmd) if !cmd.trim().is_empty() => Preprocessor::External(cmd),
            _ => Preprocessor::Internal,
        }
    }
}

/// A `-D` or `-U` option, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MacroOption {
    /// `-DNAME` or `-DNAME=VALUE`.
    Define {
        /// The macro.
        name: String,
        /// Its value (`1` when absent, as cc does).
        value: Option<String>,
    },
    /// `-UNAME`.
    Undefine(String),
}

/// What the preprocessor needs to know.
#[derive(Debug, Clone, Default)]
pub struct PreprocessOptions {
    /// `-I` directories, in order.
    pub include_dirs: Vec<PathBuf>,
    /// `-D`/`-U`, in order (after the predefined ones, so they can override them).
    pub macros: Vec<MacroOption>,
    /// Which preprocessor.
    pub preprocessor: Preprocessor,
}

/// The result of preprocessing one file.
#[derive(Debug, Clone)]
pub struct Preprocessed {
    /// Preprocessed text without line markers.
    pub text: String,
    /// Every byte of `text` back to a span in the sources.
    pub map: SourceMap,
    /// Every file read, the main one first.
    pub dependencies: Vec<PathBuf>,
    /// The main file's id in the sources.
    pub main_file: FileId,
    /// Warnings (`#warning`, a macro redefined differently...).
    pub warnings: Diagnostics,
}

/// The macros every preprocessing run starts with, for `target`.
pub fn predefined_macros(target: Target) -> Vec<MacroOption> {
    let define = |name: &str| MacroOption::Define { name: name.to_string(), value: Some("1".to_string()) };
    let mut macros = vec![define("__MACH30__")];
    match target {
        Target::X86_64 => macros.extend([define("__x86_64__"), define("__LP64__")]),
        Target::I386 => macros.push(define("__i386__")),
        Target::Arm64 => macros.extend([define("__arm64__"), define("__aarch64__"), define("__LP64__")]),
    }
    macros
}

/// Preprocesses `path` for `target`, adding every file read to `sources`.
pub fn preprocess(
    path: &Path,
    target: Target,
    options: &PreprocessOptions,
    sources: &mut Sources,
) -> Result<Preprocessed, Diagnostics> {
    let mut macros = predefined_macros(target);
    macros.extend(options.macros.iter().cloned());
    match &options.preprocessor {
        Preprocessor::Internal => internal(path, &options.include_dirs, &macros, sources),
        Preprocessor::External(command) => external(command, path, &options.include_dirs, &macros, sources),
    }
}

fn internal(
    path: &Path,
    include_dirs: &[PathBuf],
    macros: &[MacroOption],
    sources: &mut Sources,
) -> Result<Preprocessed, Diagnostics> {
    let mut options = migc_cpp::Options::new();
    for dir in include_dirs {
        options = options.include_dir(dir);
    }
    for m in macros {
        options = match m {
            MacroOption::Define { name, value } => options.define(name, value.as_deref()),
            MacroOption::Undefine(name) => options.undefine(name),
        };
    }
    let first_new = sources.len();
    let output = migc_cpp::preprocess_file(path, &options, sources)?;
    // The main file is the one added under the path it was given by (the preprocessor may add a
    // `<command line>` pseudo-file for the macros first).
    let shown = path.to_string_lossy();
    let main_file = (first_new..sources.len()).find(|&id| sources.name(id) == shown).unwrap_or(first_new);
    Ok(Preprocessed {
        text: output.text,
        map: output.map,
        dependencies: output.dependencies,
        main_file,
        warnings: output.warnings,
    })
}

fn external(
    command: &str,
    path: &Path,
    include_dirs: &[PathBuf],
    macros: &[MacroOption],
    sources: &mut Sources,
) -> Result<Preprocessed, Diagnostics> {
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("cc");
    let mut cmd = Command::new(program);
    cmd.args(words);
    // `-undef -nostdinc`: nothing from the host compiler's own configuration or headers leaks in; the
    // predefined macros come from `-arch`.
    cmd.args(["-E", "-x", "c", "-undef", "-nostdinc"]);
    for m in macros {
        match m {
            MacroOption::Define { name, value: Some(v) } => cmd.arg(format!("-D{name}={v}")),
            MacroOption::Define { name, value: None } => cmd.arg(format!("-D{name}")),
            MacroOption::Undefine(name) => cmd.arg(format!("-U{name}")),
        };
    }
    for dir in include_dirs {
        cmd.arg("-I").arg(dir);
    }
    cmd.arg(path);
    let output = cmd.output().map_err(|e| {
        Diagnostics::from(Diagnostic::unlocated(format!(
            "cannot run the preprocessor `{program}`: {e} (set MIGC_CPP or pass -cc to choose another)"
        )))
    })?;
    let mut files = FileTable::default();
    if !output.status.success() {
        return Err(cpp_errors(&String::from_utf8_lossy(&output.stderr), path, sources, &mut files));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let main_file = files.get(path, sources).ok_or_else(|| {
        Diagnostics::from(Diagnostic::unlocated(format!("cannot read `{}`", path.display())))
    })?;
    let mut text = String::with_capacity(stdout.len());
    let mut map = SourceMap::new();
    let mut current: Option<(FileId, usize)> = None;
    for line in stdout.split_inclusive('\n') {
        if let Some((number, name)) = line_marker(line) {
            current = match name {
                n if n.starts_with('<') => None,
                n => files.get(Path::new(n), sources).map(|f| (f, number)),
            };
            continue;
        }
        if let Some((file, number)) = current {
            let start = files.line_start(file, number, sources);
            map.push(text.len(), Origin::Verbatim { file, start });
            current = Some((file, number + 1));
        }
        text.push_str(line);
    }
    Ok(Preprocessed { text, map, dependencies: files.order.clone(), main_file, warnings: Diagnostics::new() })
}

/// `# 12 "path" 1 3` → (12, path).
fn line_marker(line: &str) -> Option<(usize, &str)> {
    let rest = line.strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("line").unwrap_or(rest).trim_start();
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    let number = rest[..digits].parse().ok()?;
    let rest = rest[digits..].trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    Some((number, &rest[..end]))
}

/// Files added to the sources while reading preprocessor output, and their line starts.
#[derive(Default)]
struct FileTable {
    ids: HashMap<PathBuf, Option<FileId>>,
    line_starts: HashMap<FileId, Vec<usize>>,
    order: Vec<PathBuf>,
}

impl FileTable {
    fn get(&mut self, path: &Path, sources: &mut Sources) -> Option<FileId> {
        if let Some(id) = self.ids.get(path) {
            return *id;
        }
        let id = std::fs::read(path).ok().map(|bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            let id = sources.add(path.display().to_string(), text);
            self.line_starts.insert(id, starts);
            id
        });
        if id.is_some() {
            self.order.push(path.to_path_buf());
        }
        self.ids.insert(path.to_path_buf(), id);
        id
    }

    fn line_start(&self, file: FileId, line: usize, sources: &Sources) -> usize {
        let starts = &self.line_starts[&file];
        starts.get(line.saturating_sub(1)).copied().unwrap_or_else(|| sources.text(file).len())
    }
}

/// Turns `file:line:col: error: message` lines from the preprocessor into located diagnostics.
fn cpp_errors(stderr: &str, path: &Path, sources: &mut Sources, files: &mut FileTable) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    for line in stderr.lines() {
        let Some((location, message)) =
            line.split_once(": error: ").or_else(|| line.split_once(": fatal error: "))
        else {
            continue;
        };
        let mut parts = location.rsplitn(3, ':');
        let (col, line_no, file) = (parts.next(), parts.next(), parts.next());
        let located = match (
            file,
            line_no.and_then(|l| l.parse::<usize>().ok()),
            col.and_then(|c| c.parse::<usize>().ok()),
        ) {
            (Some(file), Some(l), Some(c)) => files.get(Path::new(file), sources).map(|id| {
                let start = files.line_start(id, l, sources) + c.saturating_sub(1);
                let text = sources.text(id);
                let start = start.min(text.len());
                let end = text[start..]
                    .find(|ch: char| ch.is_whitespace())
                    .map_or(text.len(), |e| start + e.max(1));
                Span { file: id, start, end: end.max(start) }
            }),
            _ => None,
        };
        let message = message.trim().to_string();
        diagnostics.push(match located {
            Some(span) => Diagnostic::error(message, span),
            None => Diagnostic::unlocated(message),
        });
    }
    if diagnostics.items.is_empty() {
        diagnostics.push(Diagnostic::unlocated(format!(
            "preprocessing `{}` failed: {}",
            path.display(),
            stderr.trim()
        )));
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_markers() {
        assert_eq!(line_marker("# 12 \"a/b.defs\" 1 3\n"), Some((12, "a/b.defs")));
        assert_eq!(line_marker("#line 3 \"x\"\n"), Some((3, "x")));
        assert_eq!(line_marker("#define X\n"), None);
        assert_eq!(line_marker("type a = int;\n"), None);
    }
}
