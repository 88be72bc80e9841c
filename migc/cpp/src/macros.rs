//! Macro definitions: parsing a `#define` line into a [`Macro`], and comparing two definitions.
//!
//! A function-like macro's body is stored pre-classified: parameter uses become [`Kind::Param`], `# param`
//! becomes [`Kind::Stringify`] and the `##` operator becomes [`Kind::Paste`], so substitution
//! (in `expand.rs`) never re-parses the body and an argument that happens to contain `##` is never taken
//! for the operator.

use codegen::Span;

use crate::lex::{
    COMMA, ELLIPSIS, HASH, HASHHASH, Interner, Kind, LPAREN, RPAREN, SPACE, Sym, Token, VA_ARGS,
};

/// What a macro is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MacroKind {
    Object,
    Function {
        /// The last parameter takes the rest of the arguments (`...` or `name...`).
        variadic: bool,
    },
    /// `__FILE__`: the presumed name of the current file.
    File,
    /// `__LINE__`: the presumed line of the invocation.
    Line,
}

/// One defined macro.
#[derive(Debug, Clone)]
pub(crate) struct Macro {
    pub name: Sym,
    pub kind: MacroKind,
    pub params: Vec<Sym>,
    pub body: Vec<Token>,
    /// The name in its `#define`, for "defined here" labels; `None` for built-in macros.
    pub defined_at: Option<Span>,
    /// Being expanded right now: a use of its name is painted blue instead of expanded.
    pub disabled: bool,
}

impl Macro {
    pub(crate) fn is_function(&self) -> bool {
        matches!(self.kind, MacroKind::Function { .. })
    }

    /// Whether `other` is the same definition, as C's redefinition rule counts sameness: the same kind,
    /// parameters and body tokens, with whitespace in the same places.
    pub(crate) fn same_as(&self, other: &Macro) -> bool {
        self.kind == other.kind
            && self.params == other.params
            && self.body.len() == other.body.len()
            && self.body.iter().zip(&other.body).enumerate().all(|(i, (a, b))| {
                a.kind == b.kind && a.sym == b.sym && (i == 0 || a.has(SPACE) == b.has(SPACE))
            })
    }
}

/// Why a `#define` line is malformed: the offending token (or `None` for "at the end of the line").
#[derive(Debug)]
pub(crate) struct DefineError {
    pub at: Option<Token>,
    pub message: String,
    pub label: String,
}

fn error(at: Option<Token>, message: impl Into<String>, label: impl Into<String>) -> DefineError {
    DefineError { at, message: message.into(), label: label.into() }
}

/// Parses the tokens after `#define` (name, optional parameter list, body).
pub(crate) fn parse_define(line: &[Token], interner: &Interner) -> Result<Macro, DefineError> {
    let Some(&name) = line.first() else {
        return Err(error(None, "no macro name given in `#define`", "expected a macro name"));
    };
    check_macro_name(name, interner, "#define")?;
    let mut rest = &line[1..];
    let mut params = Vec::new();
    let mut kind = MacroKind::Object;
    // A parenthesis right after the name, with no space, makes a function-like macro.
    if let Some(open) = rest.first().filter(|t| t.is_punct(LPAREN) && !t.has(SPACE)) {
        let mut variadic = false;
        let mut i = 1;
        loop {
            let Some(&t) = rest.get(i) else {
                return Err(error(
                    Some(*open),
                    "missing `)` in macro parameter list",
                    "this `(` is never closed",
                ));
            };
            i += 1;
            if t.is_punct(RPAREN) && params.is_empty() && !variadic {
                break;
            }
            if t.is_punct(ELLIPSIS) {
                params.push(VA_ARGS);
                variadic = true;
            } else if t.kind == Kind::Ident {
                if t.sym == VA_ARGS {
                    return Err(error(
                        Some(t),
                        "`__VA_ARGS__` can only appear in the expansion of a variadic macro",
                        "write `...` for a variadic macro",
                    ));
                }
                if params.contains(&t.sym) {
                    return Err(error(
                        Some(t),
                        format!("duplicate macro parameter `{}`", interner.get(t.sym)),
                        "already a parameter",
                    ));
                }
                params.push(t.sym);
                // GNU named variadic parameter: `args...`.
                if rest.get(i).is_some_and(|n| n.is_punct(ELLIPSIS)) {
                    i += 1;
                    variadic = true;
                }
            } else {
                return Err(error(Some(t), "expected parameter name", "not an identifier"));
            }
            match rest.get(i) {
                Some(t) if t.is_punct(RPAREN) => {
                    i += 1;
                    break;
                }
                Some(t) if t.is_punct(COMMA) && !variadic => i += 1,
                Some(&t) => {
                    let expected = if variadic { "expected `)` after `...`" } else { "expected `,` or `)`" };
                    return Err(error(Some(t), format!("{expected} in macro parameter list"), expected));
                }
                None => {
                    return Err(error(
                        Some(*open),
                        "missing `)` in macro parameter list",
                        "this `(` is never closed",
                    ));
                }
            }
        }
        kind = MacroKind::Function { variadic };
        rest = &rest[i..];
    }
    let function = matches!(kind, MacroKind::Function { .. });
    let mut body: Vec<Token> = Vec::with_capacity(rest.len());
    let mut i = 0;
    while i < rest.len() {
        let mut t = rest[i];
        t.nl = 0;
        i += 1;
        if function && t.kind == Kind::Ident {
            if let Some(p) = params.iter().position(|&p| p == t.sym) {
                t.kind = Kind::Param;
                t.sym = p as Sym;
            } else if t.sym == VA_ARGS {
                return Err(error(
                    Some(t),
                    "`__VA_ARGS__` can only appear in the expansion of a variadic macro",
                    "this macro takes no `...`",
                ));
            }
        } else if t.is_punct(HASHHASH) {
            t.kind = Kind::Paste;
        } else if function && t.is_punct(HASH) {
            let param = rest.get(i).and_then(|n| {
                (n.kind == Kind::Ident).then(|| params.iter().position(|&p| p == n.sym)).flatten()
            });
            let Some(p) = param else {
                return Err(error(
                    Some(t),
                    "`#` is not followed by a macro parameter",
                    "expected a parameter name",
                ));
            };
            t.kind = Kind::Stringify;
            t.sym = p as Sym;
            t.end = rest[i].end;
            i += 1;
        }
        body.push(t);
    }
    if let Some(first) = body.first_mut() {
        // Whitespace between the name (or parameter list) and the body is not part of the body.
        first.flags &= !SPACE;
        if first.kind == Kind::Paste {
            return Err(error(Some(*first), "`##` cannot appear at either end of a macro expansion", ""));
        }
    }
    if let Some(last) = body.last().filter(|t| t.kind == Kind::Paste) {
        return Err(error(Some(*last), "`##` cannot appear at either end of a macro expansion", ""));
    }
    Ok(Macro { name: name.sym, kind, params, body, defined_at: None, disabled: false })
}

/// Checks that `name` may be defined or undefined (`directive` is the directive's name, for the message).
pub(crate) fn check_macro_name(name: Token, interner: &Interner, directive: &str) -> Result<(), DefineError> {
    if name.kind != Kind::Ident {
        return Err(error(
            Some(name),
            "macro names must be identifiers",
            format!("`{}` is not an identifier", interner.get(name.sym)),
        ));
    }
    if interner.get(name.sym) == "defined" {
        return Err(error(
            Some(name),
            format!("`defined` cannot be used as a macro name in `{directive}`"),
            "",
        ));
    }
    Ok(())
}
