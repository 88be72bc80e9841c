//! Stage 2, check: everything about a parsed master that can be wrong, reported all at once.
//!
//! Structure (numbers in order, every `#if` closed, both branches of an `#if` covering the same
//! numbers), then each entry (files column, placeholders, types, attributes, argument names), then the
//! table as a whole (duplicate calls, names that collide once turned into Rust). The result records what
//! was resolved on the way, so that `lower.rs` never has to look anything up again and cannot fail.

use std::collections::HashMap;

use codegen::diagnostics::Severity;
use codegen::names::{rust_ident_name, to_snake_case};
use codegen::{Diagnostic, Diagnostics, Span};

use crate::TableKind;
use crate::ast::{self, Expr, Item};
use crate::model::{Branch, Files, Placeholder};
use crate::names;
use crate::types::{self, ArgTypeInfo, Munge, ReturnKind};

/// The most arguments an entry may have: the sysent and Mach trap tables have room for eight.
pub const MAX_ARGS: usize = 8;

/// A master that passed every check, with what the checks resolved.
#[derive(Debug, Clone)]
pub struct Checked<'a> {
    /// The table kind it was checked as.
    pub kind: TableKind,
    /// Lines in file order.
    pub lines: Vec<CheckedLine>,
    /// Every `#if` condition, indexed by [`CheckedLine::If`] and [`CheckedEntry::conditions`].
    pub conditions: Vec<(Expr, String)>,
    /// Every entry, in file order.
    pub entries: Vec<CheckedEntry<'a>>,
    /// Warnings: what was accepted but looks wrong.
    pub warnings: Vec<Diagnostic>,
}

/// One structural line.
#[derive(Debug, Clone)]
pub enum CheckedLine {
    /// `#include` with the header as written.
    Include(String),
    /// `#if` of condition N.
    If(usize),
    /// `#else` of condition N.
    Else(usize),
    /// `#endif` of condition N.
    Endif(usize),
    /// Entry N.
    Entry(usize),
}

/// One entry with everything resolved.
#[derive(Debug, Clone)]
pub struct CheckedEntry<'a> {
    /// The syntax.
    pub ast: &'a ast::Entry,
    /// 1-based line.
    pub line: usize,
    /// The enclosing conditions, outermost first, with the branch the entry is in.
    pub conditions: Vec<(usize, Branch)>,
    /// The decoded files column.
    pub files: Files,
    /// What the return type means.
    pub return_kind: ReturnKind,
    /// What each argument type means, in order.
    pub arg_types: Vec<ArgTypeInfo>,
    /// `nosys`, `enosys`, `kern_invalid`.
    pub placeholder: Option<Placeholder>,
    /// `NO_SYSCALL_STUB` was given.
    pub no_syscall_stub: bool,
    /// `MUNGE32(...)` was given: the letters.
    pub munge_override: Option<Vec<Munge>>,
    /// `WORDS32(N)` was given: the number of 32-bit words.
    pub words32_override: Option<u32>,
}

/// Checks `file` as a table of `kind`.
pub fn check<'a>(
    sources: &codegen::Sources,
    file: &'a ast::File,
    kind: TableKind,
) -> Result<Checked<'a>, Diagnostics> {
    let mut checker = Checker { kind, diagnostics: Diagnostics::new(), conditions: Vec::new() };
    let (lines, entries) = checker.structure(sources, file);
    checker.diagnostics.propagate()?;
    let entries: Vec<CheckedEntry<'a>> =
        entries.into_iter().filter_map(|(entry, line, conds)| checker.entry(entry, line, conds)).collect();
    checker.diagnostics.propagate()?;
    checker.table(&entries);
    checker.diagnostics.propagate()?;
    let warnings = checker.diagnostics.take_warnings();
    Ok(Checked { kind, lines, conditions: checker.conditions, entries, warnings })
}

struct Checker {
    kind: TableKind,
    diagnostics: Diagnostics,
    conditions: Vec<(Expr, String)>,
}

/// An open `#if` while walking the file.
struct Frame {
    condition: usize,
    span: Span,
    start: u32,
    else_span: Option<Span>,
    if_end: u32,
}

type PendingEntry<'a> = (&'a ast::Entry, usize, Vec<(usize, Branch)>);

impl Checker {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Walks directives and entries: numbering and `#if` nesting.
    fn structure<'a>(
        &mut self,
        sources: &codegen::Sources,
        file: &'a ast::File,
    ) -> (Vec<CheckedLine>, Vec<PendingEntry<'a>>) {
        let mut lines = Vec::new();
        let mut entries = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut expected: u32 = 0;
        let numbering_note = "numbers count up from 0 without gaps; an `#else` branch starts again at the number its `#if` branch started at";
        for item in &file.items {
            match item {
                Item::Include { header, .. } => lines.push(CheckedLine::Include(header.clone())),
                Item::If { condition, span, .. } => {
                    let index = self.conditions.len();
                    self.conditions.push((condition.clone(), condition.to_string()));
                    stack.push(Frame {
                        condition: index,
                        span: *span,
                        start: expected,
                        else_span: None,
                        if_end: 0,
                    });
                    lines.push(CheckedLine::If(index));
                }
                Item::Else { span } => match stack.last_mut() {
                    None => self.error(Diagnostic::error("`#else` without `#if`", *span)),
                    Some(frame) => {
                        if let Some(first) = frame.else_span {
                            let d = Diagnostic::error("second `#else` for one `#if`", *span)
                                .with_secondary(first, "first `#else` here")
                                .with_secondary(frame.span, "the `#if`");
                            self.diagnostics.push(d);
                        } else {
                            frame.else_span = Some(*span);
                            frame.if_end = expected;
                            expected = frame.start;
                            lines.push(CheckedLine::Else(frame.condition));
                        }
                    }
                },
                Item::Endif { span } => match stack.pop() {
                    None => self.error(Diagnostic::error("`#endif` without `#if`", *span)),
                    Some(frame) => {
                        let mismatch = frame.else_span.filter(|_| expected != frame.if_end);
                        if let Some(else_span) = mismatch {
                            let d = Diagnostic::error(
                                format!(
                                    "the branches of this `#if` cover different numbers: `#if` ends before `{}`, `#else` before `{}`",
                                    frame.if_end, expected
                                ),
                                *span,
                            )
                            .with_secondary(frame.span, "the `#if`")
                            .with_secondary(else_span, "the `#else`")
                            .with_note("both branches must define the same numbers, so that the table has one entry per number whichever branch applies");
                            self.diagnostics.push(d);
                            expected = expected.max(frame.if_end);
                        }
                        lines.push(CheckedLine::Endif(frame.condition));
                    }
                },
                Item::Unsupported { name } => {
                    let d = Diagnostic::error(format!("unsupported directive `#{}`", name.value), name.span)
                        .with_help(
                            "the format knows `#include`, `#if`, `#ifdef`, `#ifndef`, `#else` and `#endif`",
                        );
                    self.diagnostics.push(d);
                }
                Item::Entry(entry) => {
                    let number = entry.number.value;
                    if number != expected {
                        let d = Diagnostic::error(
                            format!("entry number out of order: expected `{expected}`, found `{number}`"),
                            entry.number.span,
                        )
                        .with_label(format!("expected `{expected}`"))
                        .with_note(numbering_note);
                        self.diagnostics.push(d);
                    }
                    expected = number.saturating_add(1);
                    let conditions = stack
                        .iter()
                        .map(|f| (f.condition, if f.else_span.is_some() { Branch::Else } else { Branch::If }))
                        .collect();
                    let (line, _) = sources.line_col(entry.span.file, entry.span.start);
                    lines.push(CheckedLine::Entry(entries.len()));
                    entries.push((&**entry, line, conditions));
                }
            }
        }
        for frame in stack.iter().rev() {
            let d =
                Diagnostic::error("unterminated `#if`", frame.span).with_label("no `#endif` for this `#if`");
            self.diagnostics.push(d);
        }
        (lines, entries)
    }

    /// Checks one entry on its own.
    fn entry<'a>(
        &mut self,
        entry: &'a ast::Entry,
        line: usize,
        conditions: Vec<(usize, Branch)>,
    ) -> Option<CheckedEntry<'a>> {
        let before = self.diagnostics.items.len();
        let files = self.files(&entry.files);
        let placeholder = Placeholder::from_function(&entry.name.value);
        if let Some(p) = placeholder {
            let allowed = match self.kind {
                TableKind::Bsd => p != Placeholder::KernInvalid,
                TableKind::MachTraps | TableKind::Machdep => p == Placeholder::KernInvalid,
            };
            if !allowed {
                let help = match self.kind {
                    TableKind::Bsd => "a BSD table marks unused numbers with `nosys` or `enosys`",
                    _ => "a Mach table marks unused numbers with `kern_invalid`",
                };
                self.error(
                    Diagnostic::error(
                        format!(
                            "`{}` cannot mark an unused number in a {} table",
                            p.function(),
                            self.kind.entry_noun()
                        ),
                        entry.name.span,
                    )
                    .with_help(help),
                );
            }
            if entry.params.is_some() {
                self.error(
                    Diagnostic::error(
                        format!("placeholder `{}` takes no arguments", p.function()),
                        entry.params_span,
                    )
                    .with_label("expected `(void)`"),
                );
            }
        }
        if entry.name.value.strip_prefix("sys_").is_some_and(str::is_empty) {
            self.error(Diagnostic::error(
                "name `sys_` is empty once its `sys_` prefix is dropped",
                entry.name.span,
            ));
        }
        let return_kind = self.return_type(&entry.return_type);
        let arg_types = self.params(entry);
        let (no_syscall_stub, munge_override, words32_override) = self.attributes(entry);
        for stray in &entry.stray_braces {
            self.diagnostics
                .push(Diagnostic::warning("superfluous `}` after the entry", *stray).with_label("ignored"));
        }
        let errors =
            self.diagnostics.items[before..].iter().filter(|d| d.severity == Severity::Error).count();
        if errors > 0 {
            return None;
        }
        Some(CheckedEntry {
            ast: entry,
            line,
            conditions,
            files: files?,
            return_kind: return_kind?,
            arg_types,
            placeholder,
            no_syscall_stub,
            munge_override,
            words32_override,
        })
    }

    fn files(&mut self, files: &ast::Spanned<String>) -> Option<Files> {
        if files.value == "ALL" {
            return Some(Files::ALL);
        }
        let mut decoded = Files { table: false, names: false, header: false, proto: false };
        for c in files.value.chars() {
            let flag = match c {
                'T' => &mut decoded.table,
                'N' => &mut decoded.names,
                'H' => &mut decoded.header,
                'P' => &mut decoded.proto,
                _ => {
                    self.error(
                        Diagnostic::error(format!("unknown files column `{}`", files.value), files.span)
                            .with_label(format!("`{c}` is not one of `T`, `N`, `H`, `P`"))
                            .with_help("write `ALL`, or the letters of the outputs that carry the entry: T (entry table), N (names), H (sys/syscall.h), P (argument structure)"),
                    );
                    return None;
                }
            };
            if *flag {
                self.error(Diagnostic::error(
                    format!("files column `{}` names `{c}` twice", files.value),
                    files.span,
                ));
                return None;
            }
            *flag = true;
        }
        Some(decoded)
    }

    fn return_type(&mut self, ty: &ast::TypeName) -> Option<ReturnKind> {
        let spelled = ty.to_string();
        if let Some(kind) = types::return_type(self.kind, &spelled) {
            return Some(kind);
        }
        let accepted = types::return_type_names(self.kind);
        let mut d = Diagnostic::error(format!("unknown return type `{spelled}`"), ty.span);
        if let Some(suggestion) = did_you_mean(&spelled, accepted.iter().copied()) {
            d = d.with_label(format!("did you mean `{suggestion}`?"));
        }
        let list: Vec<String> = accepted.iter().map(|n| format!("`{n}`")).collect();
        d = d.with_help(format!("a {} returns one of {}", self.kind.entry_noun(), list.join(", ")));
        self.error(d);
        None
    }

    fn params(&mut self, entry: &ast::Entry) -> Vec<ArgTypeInfo> {
        let Some(params) = &entry.params else { return Vec::new() };
        if params.len() > MAX_ARGS {
            self.error(Diagnostic::error(
                format!(
                    "too many arguments: `{}` has {}, at most {MAX_ARGS} fit in a table entry",
                    entry.name.value,
                    params.len()
                ),
                entry.params_span,
            ));
        }
        // At most a few arguments each: a list is cheaper than a map.
        let mut seen: Vec<(&str, Span)> = Vec::with_capacity(params.len());
        let mut seen_rust: Vec<(String, &str, Span)> = Vec::with_capacity(params.len());
        let mut infos = Vec::new();
        for param in params {
            let name = param.name.value.as_str();
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                self.error(
                    Diagnostic::error(
                        format!("duplicate argument name `{}`", param.name.value),
                        param.name.span,
                    )
                    .with_secondary(*first, "first used here"),
                );
            } else {
                seen.push((name, param.name.span));
                let rust = rust_ident_name(&to_snake_case(name));
                if let Some((_, other, span)) = seen_rust.iter().find(|(r, _, _)| *r == rust) {
                    self.error(
                        Diagnostic::error(
                            format!(
                                "arguments `{other}` and `{}` both become `{rust}` in Rust",
                                param.name.value
                            ),
                            param.name.span,
                        )
                        .with_secondary(*span, "the other argument"),
                    );
                } else {
                    seen_rust.push((rust, name, param.name.span));
                }
            }
            if !param.ty.is_well_formed() {
                self.error(
                    Diagnostic::error(
                        format!("unsupported type `{}`", param.ty.tokens.join(" ")),
                        param.ty.span,
                    )
                    .with_help("write the type's words, then its `*`s"),
                );
                continue;
            }
            match types::arg_type(&param.ty.base(), param.ty.pointer_depth()) {
                Some(info) => infos.push(info),
                None => {
                    let spelled = param.ty.to_string();
                    let mut d =
                        Diagnostic::error(format!("unknown argument type `{spelled}`"), param.ty.span);
                    if let Some(suggestion) = did_you_mean(&spelled, types::scalar_names()) {
                        d = d.with_label(format!("did you mean `{suggestion}`?"));
                    }
                    d = if param.ty.tokens.first().is_some_and(|t| t == "struct" || t == "union") {
                        d.with_label("a structure cannot be passed in a register")
                            .with_help(format!("pass it by address: `{spelled} *{}`", param.name.value))
                    } else {
                        d.with_help("pointers to any type are accepted; scalar types must be listed in `syscall-tables/src/types.rs`, which says how wide they are and how 32-bit callers pass them")
                    };
                    self.error(d);
                }
            }
        }
        infos
    }

    fn attributes(&mut self, entry: &ast::Entry) -> (bool, Option<Vec<Munge>>, Option<u32>) {
        const KNOWN: [&str; 3] = ["NO_SYSCALL_STUB", "MUNGE32", "WORDS32"];
        let mut no_stub = false;
        let mut munge = None;
        let mut words = None;
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for attribute in &entry.attributes {
            let name = attribute.name.value.as_str();
            if let Some(first) = seen.get(name) {
                self.error(
                    Diagnostic::error(format!("duplicate attribute `{name}`"), attribute.span)
                        .with_secondary(*first, "first given here"),
                );
                continue;
            }
            seen.insert(name, attribute.span);
            match (name, &attribute.argument) {
                ("NO_SYSCALL_STUB", None) => no_stub = true,
                ("NO_SYSCALL_STUB", Some(arg)) => self.error(
                    Diagnostic::error("`NO_SYSCALL_STUB` takes no argument", arg.span)
                        .with_label("remove this"),
                ),
                ("MUNGE32", Some(arg)) => {
                    let letters: Option<Vec<Munge>> = arg.value.chars().map(Munge::from_letter).collect();
                    match letters {
                        Some(letters) if !letters.is_empty() => munge = Some(letters),
                        _ => self.error(
                            Diagnostic::error(format!("malformed munger `{}`", arg.value), arg.span).with_help(
                                "give one letter per 32-bit argument: `w` (word), `s` (sign-extended word) or `l` (two words)",
                            ),
                        ),
                    }
                }
                ("MUNGE32", None) => self.error(
                    Diagnostic::error("`MUNGE32` needs the munger letters", attribute.span)
                        .with_help("for example `MUNGE32(wwl)`"),
                ),
                ("WORDS32", Some(arg)) => match arg.value.parse::<u32>() {
                    Ok(n) if n <= 2 * MAX_ARGS as u32 => words = Some(n),
                    _ => self.error(
                        Diagnostic::error(format!("malformed word count `{}`", arg.value), arg.span)
                            .with_help(format!("give the number of 32-bit words, at most {}", 2 * MAX_ARGS)),
                    ),
                },
                ("WORDS32", None) => self.error(
                    Diagnostic::error("`WORDS32` needs the number of words", attribute.span)
                        .with_help("for example `WORDS32(6)`"),
                ),
                _ => {
                    let mut d = Diagnostic::error(format!("unknown attribute `{name}`"), attribute.name.span);
                    if let Some(suggestion) = did_you_mean(name, KNOWN.into_iter()) {
                        d = d.with_label(format!("did you mean `{suggestion}`?"));
                    }
                    self.error(d.with_help(
                        "the attributes are `NO_SYSCALL_STUB`, `MUNGE32(letters)` and `WORDS32(count)`",
                    ));
                }
            }
        }
        (no_stub, munge, words)
    }

    /// Checks across entries: every call once, and distinct names on the Rust side.
    fn table(&mut self, entries: &[CheckedEntry<'_>]) {
        let mut calls: HashMap<String, Span> = HashMap::new();
        let mut methods: HashMap<String, (String, Span)> = HashMap::new();
        let mut variants: HashMap<String, (String, Span)> = HashMap::new();
        for entry in entries {
            if entry.placeholder.is_some() {
                continue;
            }
            let name = names::table_name(&entry.ast.name.value);
            let span = entry.ast.name.span;
            if let Some(first) = calls.get(&name) {
                let d = Diagnostic::error(format!("duplicate {} `{name}`", self.kind.entry_noun()), span)
                    .with_secondary(*first, "first defined here")
                    .with_note("each call has one entry, so that it has one prototype and one Rust method");
                self.diagnostics.push(d);
                continue;
            }
            calls.insert(name.clone(), span);
            let (method, variant) = names::rust_names(&name);
            let clash = methods
                .get(&method)
                .map(|c| (c, &method))
                .or_else(|| variants.get(&variant).map(|c| (c, &variant)));
            if let Some(((other, other_span), rust)) = clash {
                let d = Diagnostic::error(format!("`{other}` and `{name}` are both `{rust}` in Rust"), span)
                    .with_secondary(*other_span, format!("`{other}` here"))
                    .with_note(format!(
                        "a call is the Rust method `{method}` and the enum variant `{variant}`; leading underscores are dropped"
                    ));
                self.diagnostics.push(d);
                continue;
            }
            methods.insert(method, (name.clone(), span));
            variants.insert(variant, (name.clone(), span));
        }
    }
}

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.len() / 3).max(2);
    candidates
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit && *d > 0)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_matches_only() {
        let types = ["mach_port_name_t", "int", "uint32_t"];
        assert_eq!(did_you_mean("mach_port_nme_t", types.into_iter()), Some("mach_port_name_t"));
        assert_eq!(did_you_mean("completely_else", types.into_iter()), None);
    }
}
