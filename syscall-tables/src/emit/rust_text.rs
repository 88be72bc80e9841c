//! A small, deterministic writer for the regular parts of the Rust modules: the per-call data tables,
//! enum variants, trait methods and match arms, hundreds of each and all of a few fixed shapes.
//!
//! The module skeleton (imports, `impl` blocks, lookup and dispatch functions) is still written with
//! `quote!` and printed by prettyplease. Building and printing a syntax tree for every row cost about
//! two thirds of generating all three tables (see ARCHITECTURE.md), while these shapes need only one
//! layout rule, the one rustfmt applies under the workspace's `rustfmt.toml` (`max_width = 110`,
//! `use_small_heuristics = "Max"`):
//!
//! - an expression goes on one line if the line fits in [`MAX_WIDTH`] columns;
//! - otherwise a call, array, tuple or struct literal opens on its line and puts each element on a line
//!   of its own, one level deeper, with a trailing comma; a list whose only element is itself a call,
//!   array or struct literal "overflows" instead (`[CallInfo {` ... `}]`), as rustfmt does;
//! - the value of a `static` or `const` that does not fit after its `=` moves to the next line if it fits
//!   there, and breaks after the `=` if not;
//! - a function signature that does not fit puts each parameter on its own line;
//! - a match arm that does not fit moves its body into a block on the next line.
//!
//! This is deliberately not a general formatter: it knows these shapes only. `tests/rustfmt.rs` checks
//! that rustfmt leaves every text this writer produces for the real masters and the fixtures unchanged.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The workspace's `max_width`.
pub const MAX_WIDTH: usize = 110;

/// One indentation level.
const INDENT: usize = 4;

/// An expression of one of the shapes the tables are made of. The leaves borrow what they show, so
/// building a table's rows allocates only their lists.
#[derive(Debug, Clone)]
pub enum Expr<'a> {
    /// Written as is: `None`, `ArgKind::I32`, `handler`.
    Atom(Cow<'a, str>),
    /// `first::second`: `Sysno::Read`, `H::read`.
    Path(&'a str, &'a str),
    /// A string literal with this content.
    Str(&'a str),
    /// An integer literal without suffix.
    Int(u64),
    /// `head(args...)`; with an empty head, a tuple.
    Call(&'a str, Vec<Expr<'a>>),
    /// `[elems...]`, or `&[elems...]` when `reference` is set.
    Array { reference: bool, elems: Vec<Expr<'a>> },
    /// `Path { field: value, ..., ..base }`.
    Struct { path: &'a str, fields: Vec<(&'a str, Expr<'a>)>, base: Option<&'a str> },
}

impl<'a> Expr<'a> {
    /// A path or other token written as is.
    pub fn atom(text: impl Into<Cow<'a, str>>) -> Self {
        Expr::Atom(text.into())
    }

    /// `Some(value)` or `None`.
    pub fn option(value: Option<Expr<'a>>) -> Self {
        match value {
            Some(v) => Expr::Call("Some", vec![v]),
            None => Expr::atom("None"),
        }
    }

    /// Whether rustfmt lets this expression overflow from a list it is the only element of.
    fn is_composite(&self) -> bool {
        matches!(self, Expr::Call(..) | Expr::Array { .. } | Expr::Struct { .. })
    }

    /// The width of the expression on one line, or `None` if that is more than `limit`.
    fn flat_width(&self, limit: usize) -> Option<usize> {
        let width = match self {
            Expr::Atom(text) => width(text),
            Expr::Path(first, second) => width(first) + 2 + width(second),
            Expr::Str(text) => string_width(text),
            Expr::Int(value) => value.checked_ilog10().map_or(1, |digits| digits as usize + 1),
            Expr::Call(head, args) => list_width(width(head) + 2, args.iter(), limit)?,
            Expr::Array { reference, elems } => list_width(2 + usize::from(*reference), elems.iter(), limit)?,
            Expr::Struct { path, fields, base } => {
                if fields.is_empty() && base.is_none() {
                    width(path) + 3
                } else {
                    // `Path { ` and ` }`, `name: ` per field, `, ` between the parts, `..base`.
                    let mut total = width(path) + 5;
                    let parts = fields.len() + usize::from(base.is_some());
                    total += 2 * (parts - 1);
                    if let Some(base) = base {
                        total += 2 + width(base);
                    }
                    for (name, value) in fields {
                        total += width(name) + 2;
                        total += value.flat_width(limit.checked_sub(total)?)?;
                    }
                    total
                }
            }
        };
        (width <= limit).then_some(width)
    }

    /// Writes the expression on one line.
    fn flat(&self, out: &mut String) {
        match self {
            Expr::Atom(text) => out.push_str(text),
            Expr::Path(first, second) => {
                out.push_str(first);
                out.push_str("::");
                out.push_str(second);
            }
            Expr::Str(text) => push_string(out, text),
            Expr::Int(value) => {
                let _ = write!(out, "{value}");
            }
            Expr::Call(head, args) => {
                out.push_str(head);
                flat_list(out, "(", args, ")");
            }
            Expr::Array { reference, elems } => {
                if *reference {
                    out.push('&');
                }
                flat_list(out, "[", elems, "]");
            }
            Expr::Struct { path, fields, base } => {
                out.push_str(path);
                if fields.is_empty() && base.is_none() {
                    out.push_str(" {}");
                    return;
                }
                out.push_str(" { ");
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    out.push_str(": ");
                    value.flat(out);
                }
                if let Some(base) = base {
                    if !fields.is_empty() {
                        out.push_str(", ");
                    }
                    out.push_str("..");
                    out.push_str(base);
                }
                out.push_str(" }");
            }
        }
    }

    /// Writes the expression starting where `out` ends, on a line indented by `indent`, with its
    /// closing delimiter at that indentation followed by `suffix` and a newline.
    fn broken(&self, out: &mut String, indent: usize, suffix: &str) {
        let (open, items, close): (&str, &[Expr<'a>], &str) = match self {
            Expr::Atom(_) | Expr::Path(..) | Expr::Str(_) | Expr::Int(_) => {
                // A leaf cannot break: it overflows the line (rustfmt leaves such lines as they are).
                self.flat(out);
                out.push_str(suffix);
                out.push('\n');
                return;
            }
            Expr::Call(head, args) => {
                out.push_str(head);
                ("(", args, ")")
            }
            Expr::Array { reference, elems } => {
                if *reference {
                    out.push('&');
                }
                ("[", elems, "]")
            }
            Expr::Struct { path, fields, base } => {
                out.push_str(path);
                out.push_str(" {\n");
                for (name, value) in fields {
                    let mut prefix = String::with_capacity(name.len() + 2);
                    prefix.push_str(name);
                    prefix.push_str(": ");
                    value.write(out, indent + INDENT, &prefix, ",");
                }
                if let Some(base) = base {
                    push_indent(out, indent + INDENT);
                    out.push_str("..");
                    out.push_str(base);
                    out.push('\n');
                }
                push_indent(out, indent);
                out.push('}');
                out.push_str(suffix);
                out.push('\n');
                return;
            }
        };
        out.push_str(open);
        if let [only] = items
            && only.is_composite()
        {
            // rustfmt's overflow: the only element opens on this line and closes on the last one.
            let mut closing = String::with_capacity(close.len() + suffix.len());
            closing.push_str(close);
            closing.push_str(suffix);
            only.broken(out, indent, &closing);
            return;
        }
        out.push('\n');
        for item in items {
            item.write(out, indent + INDENT, "", ",");
        }
        push_indent(out, indent);
        out.push_str(close);
        out.push_str(suffix);
        out.push('\n');
    }

    /// Writes one line (or, if it does not fit, several) holding `prefix`, the expression and `suffix`,
    /// indented by `indent`.
    pub fn write(&self, out: &mut String, indent: usize, prefix: &str, suffix: &str) {
        push_indent(out, indent);
        out.push_str(prefix);
        if self.fits(indent + width(prefix) + width(suffix)) {
            self.flat(out);
            out.push_str(suffix);
            out.push('\n');
        } else {
            self.broken(out, indent, suffix);
        }
    }

    /// Whether the expression fits on one line after `used` columns.
    fn fits(&self, used: usize) -> bool {
        MAX_WIDTH.checked_sub(used).is_some_and(|limit| self.flat_width(limit).is_some())
    }
}

/// Writes `{lhs} = {value}{suffix}` for an item or `let` (`lhs` is `static CALLS: [CallInfo; 3]`): the
/// value on the same line if it fits there, else on the next line (one level deeper) if it fits there on
/// one line, else broken after `=` as [`Expr::write`] breaks it (rustfmt's `choose_rhs`).
pub fn assignment(out: &mut String, indent: usize, lhs: &str, value: &Expr<'_>, suffix: &str) {
    push_indent(out, indent);
    out.push_str(lhs);
    if value.fits(indent + width(lhs) + 3 + width(suffix)) {
        out.push_str(" = ");
        value.flat(out);
        out.push_str(suffix);
        out.push('\n');
    } else if value.fits(indent + INDENT + width(suffix)) {
        out.push_str(" =\n");
        push_indent(out, indent + INDENT);
        value.flat(out);
        out.push_str(suffix);
        out.push('\n');
    } else {
        out.push_str(" = ");
        value.broken(out, indent, suffix);
    }
}

fn flat_list(out: &mut String, open: &str, items: &[Expr<'_>], close: &str) {
    out.push_str(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.flat(out);
    }
    out.push_str(close);
}

/// The width of a list's items on one line, separated by `, `, plus `overhead`; `None` beyond `limit`.
fn list_width<'e, 'a: 'e>(
    overhead: usize,
    items: impl Iterator<Item = &'e Expr<'a>>,
    limit: usize,
) -> Option<usize> {
    let mut total = overhead;
    for (i, item) in items.enumerate() {
        if i > 0 {
            total += 2;
        }
        total += item.flat_width(limit.checked_sub(total)?)?;
    }
    (total <= limit).then_some(total)
}

/// Whether `text` goes into a string literal unchanged.
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
}

/// Appends `text` as a string literal (escaped as Rust's `Debug` escapes it, which is valid Rust).
fn push_string(out: &mut String, text: &str) {
    if is_plain(text) {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        let _ = write!(out, "{text:?}");
    }
}

/// The width of `text` as a string literal.
fn string_width(text: &str) -> usize {
    if is_plain(text) { text.len() + 2 } else { width(&format!("{text:?}")) }
}

/// Columns a text takes (every character one column: the masters are ASCII).
fn width(line: &str) -> usize {
    if line.is_ascii() { line.len() } else { line.chars().count() }
}

/// Appends `indent` spaces.
pub fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// Appends an indented line.
pub fn line(out: &mut String, indent: usize, text: &str) {
    push_indent(out, indent);
    out.push_str(text);
    out.push('\n');
}

/// Appends a `///` doc line (`text` starts with the space after the slashes, as `#[doc]` strings do).
pub fn doc(out: &mut String, indent: usize, text: &str) {
    push_indent(out, indent);
    out.push_str("///");
    out.push_str(text);
    out.push('\n');
}

/// Appends a function signature up to and including its opening brace: `{head}({params}) -> {ret} {`
/// on one line if it fits, else with one parameter per line.
pub fn fn_signature(out: &mut String, indent: usize, head: &str, params: &[Cow<'_, str>], ret: &str) {
    let line_start = out.len();
    push_indent(out, indent);
    out.push_str(head);
    let params_start = out.len();
    out.push('(');
    for (i, param) in params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(param);
    }
    let _ = write!(out, ") -> {ret} {{");
    if width(&out[line_start..]) <= MAX_WIDTH {
        out.push('\n');
        return;
    }
    out.truncate(params_start);
    out.push_str("(\n");
    for param in params {
        push_indent(out, indent + INDENT);
        out.push_str(param);
        out.push_str(",\n");
    }
    push_indent(out, indent);
    let _ = writeln!(out, ") -> {ret} {{");
}

/// Appends a match arm `{pattern} => {body},`: on one line if it fits, else with the body in a block on
/// the next line, else with the body broken.
pub fn match_arm(out: &mut String, indent: usize, pattern: &str, body: &Expr<'_>) {
    let line_start = out.len();
    push_indent(out, indent);
    out.push_str(pattern);
    out.push_str(" => ");
    let body_start = out.len();
    body.flat(out);
    out.push(',');
    if width(&out[line_start..]) <= MAX_WIDTH {
        out.push('\n');
        return;
    }
    out.truncate(body_start);
    let block_start = out.len();
    out.push_str("{\n");
    let body_line = out.len();
    push_indent(out, indent + INDENT);
    body.flat(out);
    if width(&out[body_line..]) <= MAX_WIDTH {
        out.push('\n');
        push_indent(out, indent);
        out.push_str("}\n");
        return;
    }
    out.truncate(block_start);
    body.broken(out, indent, ",");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(name: &'static str) -> Expr<'static> {
        Expr::Call("Arg::new", vec![Expr::Str(name), Expr::Str("int"), Expr::atom("ArgKind::I32")])
    }

    #[test]
    fn short_rows_stay_on_one_line() {
        let row = Expr::Struct {
            path: "CallInfo",
            fields: vec![("number", Expr::Int(2)), ("name", Expr::Str("fork"))],
            base: Some("DEFAULTS"),
        };
        let mut out = String::new();
        row.write(&mut out, 4, "", ",");
        assert_eq!(out, "    CallInfo { number: 2, name: \"fork\", ..DEFAULTS },\n");
    }

    #[test]
    fn long_rows_break_and_single_composites_overflow() {
        let row = Expr::Struct {
            path: "CallInfo",
            fields: vec![
                ("args", Expr::Array { reference: true, elems: vec![arg("a"), arg("b"), arg("c")] }),
                ("note", Expr::option(Some(Expr::Str("a note")))),
            ],
            base: Some("DEFAULTS"),
        };
        let mut out = String::new();
        assignment(
            &mut out,
            0,
            "static CALLS: [CallInfo; 1]",
            &Expr::Array { reference: false, elems: vec![row] },
            ";",
        );
        assert_eq!(
            out,
            "static CALLS: [CallInfo; 1] = [CallInfo {\n    args: &[\n        Arg::new(\"a\", \"int\", ArgKind::I32),\n        \
             Arg::new(\"b\", \"int\", ArgKind::I32),\n        Arg::new(\"c\", \"int\", ArgKind::I32),\n    ],\n    \
             note: Some(\"a note\"),\n    ..DEFAULTS\n}];\n"
        );
    }

    #[test]
    fn signatures_and_arms_break_when_too_long() {
        let mut out = String::new();
        let params: Vec<Cow<'_, str>> = vec!["&mut self".into(), "fd: i32".into()];
        fn_signature(&mut out, 4, "fn close", &params, "SyscallResult<i32>");
        assert_eq!(out, "    fn close(&mut self, fd: i32) -> SyscallResult<i32> {\n");
        out.clear();
        let params: Vec<Cow<'_, str>> = (0..8).map(|i| Cow::Owned(format!("argument{i}: u64"))).collect();
        fn_signature(&mut out, 4, "fn many", &params, "SyscallResult<i32>");
        assert!(out.starts_with("    fn many(\n        argument0: u64,\n"), "{out}");
        assert!(out.ends_with("        argument7: u64,\n    ) -> SyscallResult<i32> {\n"), "{out}");

        out.clear();
        let body =
            Expr::Call("invoke", vec![Expr::atom("handler"), Expr::atom("args"), Expr::Path("H", "read")]);
        match_arm(&mut out, 8, "Sysno::Read", &body);
        assert_eq!(out, "        Sysno::Read => invoke(handler, args, H::read),\n");
        out.clear();
        let long = "Sysno::".to_string() + &"X".repeat(70);
        match_arm(&mut out, 8, &long, &body);
        assert_eq!(
            out,
            format!("        {long} => {{\n            invoke(handler, args, H::read)\n        }}\n")
        );
    }
}
