//! The typed syntax tree of an `.rpc` file, as the parser produces it and the checker reads it.
//!
//! Every node keeps the [`Span`] it came from so that any later error can point at it. Nothing in
//! here is validated yet: wire types are just identifiers and flags just names.

use codegen::Span;

/// A name or other word, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

/// A whole `.rpc` file.
#[derive(Debug, Clone)]
pub struct File {
    /// The `//!` lines at the top, without the marker.
    pub doc: Vec<String>,
    /// Calls and records in file order (which is call-number order), each with its group.
    pub items: Vec<Item>,
    /// The groups, in file order; items refer to them by index.
    pub groups: Vec<Group>,
}

/// A `group "title" { ... }`.
#[derive(Debug, Clone)]
pub struct Group {
    /// The `///` lines before the group.
    pub doc: Vec<String>,
    /// The quoted title, without quotes.
    pub title: Spanned<String>,
}

/// A top-level or grouped declaration.
#[derive(Debug, Clone)]
pub enum Item {
    /// A `call`.
    Call(Call),
    /// A `struct`: a record carried through descriptors, declared for both sides.
    Record(Record),
}

/// A `call name(params) -> (returns) flags(...);`.
#[derive(Debug, Clone)]
pub struct Call {
    /// The `///` lines before the call.
    pub doc: Vec<String>,
    /// The call's name.
    pub name: Spanned<String>,
    /// What the caller sends.
    pub params: Vec<Param>,
    /// What the server replies with.
    pub returns: Vec<Param>,
    /// The names inside `flags(...)`.
    pub flags: Vec<Spanned<String>>,
    /// The group the call sits in, if any.
    pub group: Option<usize>,
    /// The whole declaration.
    pub span: Span,
}

/// A `struct name { fields }`.
#[derive(Debug, Clone)]
pub struct Record {
    /// The `///` lines before the struct.
    pub doc: Vec<String>,
    /// The record's name.
    pub name: Spanned<String>,
    /// Its fields.
    pub fields: Vec<Param>,
    /// The group it sits in, if any.
    pub group: Option<usize>,
}

/// A `name: type [as wire]` parameter, return value or record field.
#[derive(Debug, Clone)]
pub struct Param {
    /// The `///` lines before it.
    pub doc: Vec<String>,
    /// Its name.
    pub name: Spanned<String>,
    /// The type callers see.
    pub ty: Spanned<Type>,
    /// The type on the wire, when written with `as`.
    pub wire: Option<Spanned<String>>,
}

/// A public type as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// `@fd`: a descriptor passed with `SCM_RIGHTS`.
    Fd,
    /// A C type: `[const] base *...`.
    C {
        /// Whether `const` was written before the base.
        is_const: bool,
        /// The base type's name (`char`, `uint32_t`, `void`).
        base: String,
        /// How many `*` follow.
        pointers: usize,
    },
}

impl Type {
    /// The C spelling (`const char*`, `int` for `@fd`).
    pub fn c_spelling(&self) -> String {
        match self {
            Type::Fd => "int".to_string(),
            Type::C { is_const, base, pointers } => {
                let konst = if *is_const { "const " } else { "" };
                format!("{konst}{base}{}", "*".repeat(*pointers))
            }
        }
    }

    /// The spelling in the DSL (`@fd`, `const char*`).
    pub fn source_spelling(&self) -> String {
        match self {
            Type::Fd => "@fd".to_string(),
            Type::C { .. } => self.c_spelling(),
        }
    }
}
