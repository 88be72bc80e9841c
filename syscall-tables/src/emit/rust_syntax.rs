//! Small builders of `syn` nodes, for the parts of the Rust output that repeat once per call.
//!
//! The module skeleton is written with `quote!` and parsed once; the hundreds of per-call items (enum
//! variants, table rows, trait methods, match arms) are built here as syntax trees directly and inserted
//! into it. Parsing those as tokens cost about 40 ms for the BSD table (syn parses expressions
//! speculatively); building them costs a fraction of that, and prettyplease prints both the same way.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{
    AttrStyle, Attribute, Expr, ExprArray, ExprCall, ExprLit, ExprMethodCall, ExprPath, ExprReference,
    ExprStruct, FieldValue, Ident, Lit, LitInt, LitStr, Member, Meta, MetaNameValue, Path, PathSegment,
};

/// An identifier (already a legal Rust name).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `a::b::c`.
pub fn path(text: &str) -> Path {
    let mut segments = Punctuated::new();
    for segment in text.split("::") {
        segments.push(PathSegment::from(ident(segment)));
    }
    Path { leading_colon: None, segments }
}

/// The path with these segments.
pub fn path_of(segments: &[&str]) -> Path {
    let mut path = Punctuated::new();
    for segment in segments {
        path.push(PathSegment::from(ident(segment)));
    }
    Path { leading_colon: None, segments: path }
}

/// A path expression, `Sysno::Read`.
pub fn path_expr(text: &str) -> Expr {
    Expr::Path(ExprPath { attrs: Vec::new(), qself: None, path: path(text) })
}

/// `"text"`.
pub fn str_lit(text: &str) -> Expr {
    Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Str(LitStr::new(text, Span::call_site())) })
}

/// An integer without suffix.
pub fn int_lit(value: u64) -> Expr {
    Expr::Lit(ExprLit {
        attrs: Vec::new(),
        lit: Lit::Int(LitInt::new(&value.to_string(), Span::call_site())),
    })
}

/// `true` or `false`.
pub fn bool_lit(value: bool) -> Expr {
    Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Bool(syn::LitBool::new(value, Span::call_site())) })
}

/// `f(args...)`.
pub fn call_expr(func: Expr, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `receiver.method(args...)`.
pub fn method_call(receiver: Expr, method: &str, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::MethodCall(ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `Some(value)` or `None`.
pub fn option(value: Option<Expr>) -> Expr {
    match value {
        Some(v) => call_expr(path_expr("Some"), [v]),
        None => path_expr("None"),
    }
}

/// `[elems...]`.
pub fn array(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `&expr`.
pub fn reference(expr: Expr) -> Expr {
    Expr::Reference(ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `Path { field: value, ..., ..rest }`.
pub fn struct_expr(type_path: &str, fields: Vec<(&str, Expr)>, rest: Option<Expr>) -> Expr {
    Expr::Struct(ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(type_path),
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(name, expr)| FieldValue {
                attrs: Vec::new(),
                member: Member::Named(ident(name)),
                colon_token: Some(Default::default()),
                expr,
            })
            .collect(),
        dot2_token: rest.as_ref().map(|_| Default::default()),
        rest: rest.map(Box::new),
    })
}

/// `#[doc = "text"]`.
pub fn doc(text: &str) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: Meta::NameValue(MetaNameValue {
            path: path("doc"),
            eq_token: Default::default(),
            value: str_lit(text),
        }),
    }
}
