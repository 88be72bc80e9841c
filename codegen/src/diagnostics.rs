//! Located diagnostics, collected per phase and rendered the same way by every generator.
//!
//! Generators push every error of a phase into [`Diagnostics`] and stop between phases (cxx's
//! `Errors::propagate`), so a user sees all the mistakes in a file at once. Rendering goes through
//! codespan-reporting, which gives the `--> file:line:col` line and the caret under the offending text.
//! Rendered text never contains colour codes, so it can be snapshotted.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::{self, Chars, Config};

/// Index of a file in [`Sources`].
pub type FileId = usize;

/// The text of every file a diagnostic may point into, by the name it is shown with.
///
/// Names are shown as given, so callers pass workspace-relative or command-line paths, never absolute
/// ones, to keep rendered diagnostics stable across machines.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    count: usize,
}

impl Sources {
    /// An empty set of sources.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.count += 1;
        self.files.add(name.into(), text.into())
    }

    /// The name a file was added with.
    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file).map(|f| f.name().as_str()).unwrap_or("<unknown>")
    }

    /// The text of a file.
    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file).map(|f| f.source().as_str()).unwrap_or("")
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The 1-based line and column of a byte offset, as a diagnostic shows them.
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        let Ok(line) = self.files.line_index(file, offset) else {
            return (0, 0);
        };
        let col = self.files.column_number(file, line, offset).unwrap_or(1);
        (line + 1, col)
    }
}

/// A byte range in one file of [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

impl Span {
    /// A span over `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, start: range.start, end: range.end }
    }

    /// The byte range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The smallest span that covers both (which must be in the same file).
    pub fn to(self, other: Span) -> Span {
        debug_assert_eq!(self.file, other.file);
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Stops the compilation after the current phase.
    Error,
    /// Reported, but output is still produced.
    Warning,
}

/// One located message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Lowercase, no trailing period, identifiers in backticks.
    pub message: String,
    /// Where, and what to say under the caret (may be empty). `None` for errors that have no place in a
    /// file, such as a bad command-line value.
    pub primary: Option<(Span, String)>,
    /// Other places worth showing (the earlier definition of a duplicate, the `#include` line...).
    pub secondary: Vec<(Span, String)>,
    /// `= note:` and `= help:` lines under the snippet.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            primary: Some((span, String::new())),
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A warning at `span`.
    pub fn warning(message: impl Into<String>, span: Span) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message, span) }
    }

    /// An error that belongs to no place in a file.
    pub fn unlocated(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Sets the text under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        if let Some((_, l)) = &mut self.primary {
            *l = label.into();
        }
        self
    }

    /// Adds another place to show.
    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    /// Adds a `= note:` line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(format!("note: {}", note.into()));
        self
    }

    /// Adds a `= help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.notes.push(format!("help: {}", help.into()));
        self
    }

    /// Renders the diagnostic as plain text, rustc style.
    pub fn render(&self, sources: &Sources) -> String {
        let severity = match self.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
        };
        let mut labels = Vec::new();
        if let Some((span, label)) = &self.primary {
            labels.push(Label::primary(span.file, span.range()).with_message(label));
        }
        for (span, label) in &self.secondary {
            labels.push(Label::secondary(span.file, span.range()).with_message(label));
        }
        let diagnostic = CsDiagnostic::new(severity)
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(self.notes.clone());
        // ASCII, rustc-style (`-->`, `|`), so output reads the same in any terminal, log or snapshot.
        let config = Config { chars: Chars::ascii(), ..Config::default() };
        match term::emit_into_string(&config, &sources.files, &diagnostic) {
            Ok(text) => text,
            // A span outside its file is a bug in the caller, but the message must still reach the user.
            Err(_) => format!("error: {}\n", self.message),
        }
    }

    /// The one-line GNU form `file:line:col: error: message`, for tools that parse compiler output.
    pub fn render_short(&self, sources: &Sources) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.primary {
            Some((span, _)) => {
                let (line, col) = sources.line_col(span.file, span.start);
                format!("{}:{line}:{col}: {kind}: {}", sources.name(span.file), self.message)
            }
            None => format!("{kind}: {}", self.message),
        }
    }

    /// What is wrong with where this diagnostic points, if anything: every span must lie in a file of
    /// `sources`, inside its text or one byte past its end (where "found end of file" points) and on
    /// character boundaries, and the rendered text must keep its `file:line:col`. With
    /// `require_location`, an unlocated diagnostic is wrong too. The fuzz targets of every parser
    /// assert this on whatever they produce: a misplaced span is the bug that makes an error unreadable
    /// or the renderer panic.
    pub fn placement_problem(&self, sources: &Sources, require_location: bool) -> Option<String> {
        if self.message.is_empty() {
            return Some("a diagnostic without a message".to_string());
        }
        if self.primary.is_none() && require_location {
            return Some(format!("unlocated {:?}: {}", self.severity, self.message));
        }
        for (span, _) in self.primary.iter().chain(&self.secondary) {
            if span.file >= sources.len() {
                return Some(format!(
                    "`{}` points into file #{} of {}",
                    self.message,
                    span.file,
                    sources.len()
                ));
            }
            let text = sources.text(span.file);
            let inside = span.start <= span.end
                && span.end <= text.len() + 1
                && text.is_char_boundary(span.start.min(text.len()))
                && text.is_char_boundary(span.end.min(text.len()));
            if !inside {
                return Some(format!(
                    "`{}` points at {}..{} of a {}-byte file",
                    self.message,
                    span.start,
                    span.end,
                    text.len()
                ));
            }
        }
        let rendered = self.render(sources);
        if self.primary.is_some() && !rendered.contains("-->") {
            return Some(format!("`{}` lost its place when rendered:\n{rendered}", self.message));
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if !rendered.starts_with(kind) {
            return Some(format!("`{}` does not render as a {kind}:\n{rendered}", self.message));
        }
        None
    }
}

/// The diagnostics of one phase.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// In the order they were found.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No diagnostics yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Whether any error (not warning) was reported.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Ends a phase: `Err` with everything collected if there was an error, so the next phase never runs
    /// on a broken model.
    pub fn propagate(&mut self) -> Result<(), Diagnostics> {
        if self.has_errors() { Err(std::mem::take(self)) } else { Ok(()) }
    }

    /// Moves the warnings out (to be shown even though compilation succeeds).
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let (warnings, errors) =
            std::mem::take(&mut self.items).into_iter().partition(|d| d.severity == Severity::Warning);
        self.items = errors;
        warnings
    }

    /// The first diagnostic whose place is wrong, and what is wrong with it (see
    /// [`Diagnostic::placement_problem`]).
    pub fn placement_problem(&self, sources: &Sources, require_location: bool) -> Option<String> {
        self.items.iter().find_map(|d| d.placement_problem(sources, require_location))
    }

    /// Renders all of them, then a summary line.
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = String::new();
        // Each rendered diagnostic already ends with a blank line, which is the one rustc leaves
        // between diagnostics.
        for d in &self.items {
            out.push_str(&d.render(sources));
        }
        let errors = self.items.iter().filter(|d| d.severity == Severity::Error).count();
        if errors > 0 {
            let plural = if errors == 1 { "" } else { "s" };
            out.push_str(&format!("error: aborting due to {errors} error{plural}\n"));
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_problems_are_found() {
        let mut sources = Sources::new();
        let file = sources.add("x.defs", "routine é;\n");
        let ok = Diagnostic::error("expected `(`", Span::new(file, 12..12));
        assert_eq!(ok.placement_problem(&sources, true), None, "one past the end is where EOF points");
        let past = Diagnostic::error("bad", Span::new(file, 5..14));
        assert!(past.placement_problem(&sources, true).unwrap().contains("5..14 of a 12-byte file"));
        let split = Diagnostic::error("bad", Span::new(file, 9..10));
        assert!(split.placement_problem(&sources, true).is_some(), "inside a two-byte character");
        let elsewhere = Diagnostic::warning("bad", Span::new(7, 0..1));
        assert!(elsewhere.placement_problem(&sources, true).unwrap().contains("file #7 of 1"));
        let unlocated: Diagnostics = Diagnostic::unlocated("bad value").into();
        assert_eq!(unlocated.placement_problem(&sources, false), None);
        assert!(unlocated.placement_problem(&sources, true).unwrap().starts_with("unlocated Error"));
    }

    #[test]
    fn renders_location_caret_and_help() {
        let mut sources = Sources::new();
        let text = "routine a(\n    name : mach_port_nme_t);\n";
        let file = sources.add("defs/mach/x.defs", text);
        let start = text.find("mach_port_nme_t").unwrap();
        let d = Diagnostic::error("unknown type `mach_port_nme_t`", Span::new(file, start..start + 15))
            .with_label("did you mean `mach_port_name_t`?");
        let out = d.render(&sources);
        assert!(out.starts_with("error: unknown type `mach_port_nme_t`\n"), "{out}");
        assert!(out.contains("--> defs/mach/x.defs:2:12"), "{out}");
        assert!(out.contains("^^^^^^^^^^^^^^^ did you mean"), "{out}");
        assert_eq!(d.render_short(&sources), "defs/mach/x.defs:2:12: error: unknown type `mach_port_nme_t`");
    }

    #[test]
    fn propagate_stops_only_on_errors() {
        let mut sources = Sources::new();
        let file = sources.add("f", "abc");
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::warning("w", Span::new(file, 0..1)));
        assert!(ds.propagate().is_ok());
        ds.push(Diagnostic::error("e", Span::new(file, 1..2)));
        let all = ds.propagate().unwrap_err();
        assert_eq!(all.items.len(), 2);
        assert!(all.render(&sources).ends_with("error: aborting due to 1 error\n"));
    }
}
