//! The typed syntax tree of a `.master` file, as `parse.rs` builds it from pest's pairs.
//!
//! Every node keeps the span it came from, so that `check.rs` can point at the offending text. Nothing
//! after `parse.rs` sees a `pest::iterators::Pair`. The tree is still syntax: types are token lists, names
//! are unresolved strings, conditions are unevaluated expressions.

use std::fmt;

use codegen::{FileId, Span};

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// `value` at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// One parsed `.master` file.
#[derive(Debug, Clone)]
pub struct File {
    /// The file in [`codegen::Sources`].
    pub file: FileId,
    /// Directives and entries in file order (comments and blank lines are gone).
    pub items: Vec<Item>,
}

/// One meaningful line.
#[derive(Debug, Clone)]
pub enum Item {
    /// `#include <...>` or `#include "..."`.
    Include {
        /// The header as written, with its `<>` or `""`.
        header: String,
        /// The whole line.
        span: Span,
    },
    /// `#if EXPR`, `#ifdef NAME` or `#ifndef NAME`.
    If {
        /// The condition (`#ifdef X` is `defined(X)`, `#ifndef X` is `!defined(X)`).
        condition: Expr,
        /// The condition as written (after `#if`, without a trailing comment), for messages.
        text: String,
        /// The whole line.
        span: Span,
    },
    /// `#else`.
    Else {
        /// The whole line.
        span: Span,
    },
    /// `#endif`.
    Endif {
        /// The whole line.
        span: Span,
    },
    /// Any other directive (`#define`, `#elif` ...), which `check.rs` rejects.
    Unsupported {
        /// Its name (`define`, `elif`).
        name: Spanned<String>,
    },
    /// One table entry.
    Entry(Box<Entry>),
}

/// An `#if` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `defined(NAME)` or `defined NAME`.
    Defined(String),
    /// A bare identifier: a macro's value (0 when undefined, as in C).
    Ident(String),
    /// A decimal literal.
    Number(u64),
    /// `!e`.
    Not(Box<Expr>),
    /// `a && b`.
    And(Box<Expr>, Box<Expr>),
    /// `a || b`.
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Every identifier the expression mentions, bare or inside `defined`, in order of appearance.
    pub fn identifiers<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Defined(name) | Expr::Ident(name) => out.push(name),
            Expr::Number(_) => {}
            Expr::Not(e) => e.identifiers(out),
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.identifiers(out);
                b.identifiers(out);
            }
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Expr::Or(..) => 1,
            Expr::And(..) => 2,
            Expr::Not(_) => 3,
            _ => 4,
        }
    }

    /// Prints the expression in C syntax with only the parentheses it needs, spelling each bare
    /// identifier as `ident` returns it (so a header can turn `X` into `(!defined(X) || X)`).
    pub fn render(&self, ident: &dyn Fn(&str) -> String) -> String {
        let mut out = String::new();
        self.render_into(&mut out, 0, ident);
        out
    }

    fn render_into(&self, out: &mut String, parent: u8, ident: &dyn Fn(&str) -> String) {
        let own = self.precedence();
        if own < parent {
            out.push('(');
        }
        match self {
            Expr::Defined(name) => {
                out.push_str("defined(");
                out.push_str(name);
                out.push(')');
            }
            Expr::Ident(name) => out.push_str(&ident(name)),
            Expr::Number(n) => out.push_str(&n.to_string()),
            Expr::Not(e) => {
                out.push('!');
                e.render_into(out, own, ident);
            }
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.render_into(out, own, ident);
                out.push_str(if matches!(self, Expr::And(..)) { " && " } else { " || " });
                b.render_into(out, own + 1, ident);
            }
        }
        if own < parent {
            out.push(')');
        }
    }
}

/// Prints the expression in C syntax with only the parentheses it needs.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&|name| name.to_string()))
    }
}

/// `NUMBER AUDIT FILES { RETURN-TYPE NAME(ARGUMENTS) [ATTRIBUTES]; } [{ NOTE }]`.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The whole logical line.
    pub span: Span,
    /// The call number (the table index, for Mach traps).
    pub number: Spanned<u32>,
    /// The audit event column.
    pub audit_event: Spanned<String>,
    /// The files column (`ALL` or letters from `TNHP`).
    pub files: Spanned<String>,
    /// The return type.
    pub return_type: TypeName,
    /// The function name.
    pub name: Spanned<String>,
    /// `None` for `(void)`.
    pub params: Option<Vec<Param>>,
    /// The span of the argument list, parentheses included.
    pub params_span: Span,
    /// `NO_SYSCALL_STUB`, `MUNGE32(wwl)` ...
    pub attributes: Vec<Attribute>,
    /// The `{ ... }` note after the prototype, trimmed.
    pub note: Option<Spanned<String>>,
    /// Superfluous `}` after the entry.
    pub stray_braces: Vec<Span>,
}

/// A C type as a list of tokens: words (`const`, `struct`, `timeval`) and stars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// The tokens in order.
    pub tokens: Vec<String>,
    /// Where the type was written.
    pub span: Span,
}

impl TypeName {
    /// How many `*` the type has.
    pub fn pointer_depth(&self) -> usize {
        self.tokens.iter().filter(|t| *t == "*").count()
    }

    /// The words without the stars (`const struct timeval`).
    pub fn base(&self) -> String {
        let mut base = String::new();
        // Writing to a `String` cannot fail.
        let _ = self.write_base(&mut base);
        base
    }

    fn write_base(&self, out: &mut impl fmt::Write) -> fmt::Result {
        for (i, word) in self.tokens.iter().filter(|t| *t != "*").enumerate() {
            if i > 0 {
                out.write_char(' ')?;
            }
            out.write_str(word)?;
        }
        Ok(())
    }

    /// Whether all stars come after all words, the only shape the format supports.
    pub fn is_well_formed(&self) -> bool {
        let first_star = self.tokens.iter().position(|t| t == "*").unwrap_or(self.tokens.len());
        !self.tokens.is_empty() && self.tokens[first_star..].iter().all(|t| t == "*") && first_star > 0
    }
}

/// The one spelling of a type used everywhere (`char **`, `const struct timeval *`, `int`): words
/// separated by one space, then a space and the stars, with no space between stars.
impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_base(f)?;
        let depth = self.pointer_depth();
        if depth > 0 {
            f.write_str(" ")?;
            for _ in 0..depth {
                f.write_str("*")?;
            }
        }
        Ok(())
    }
}

/// One argument: its type and name.
#[derive(Debug, Clone)]
pub struct Param {
    /// The type.
    pub ty: TypeName,
    /// The name.
    pub name: Spanned<String>,
    /// Type and name together.
    pub span: Span,
}

/// An attribute after the argument list.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// `NO_SYSCALL_STUB`, `MUNGE32`.
    pub name: Spanned<String>,
    /// The text in parentheses, if any.
    pub argument: Option<Spanned<String>>,
    /// The whole attribute.
    pub span: Span,
}
