//! Parsing: preprocessed `.defs` text to the typed [`ast`](crate::ast), with spans in the original files.
//!
//! The pest grammar (`mig.pest`) is applied one statement at a time. After a syntax error the parser skips
//! to the next `;` outside parentheses and goes on, so a file with several mistakes reports all of them.
//! Nothing outside this module sees a pest `Pair`.

use std::cell::Cell;

use codegen::{Diagnostic, Diagnostics, SourceMap, Span};
use pest::Parser;
use pest::iterators::Pair;

use crate::ast::*;

#[derive(pest_derive::Parser)]
#[grammar = "mig.pest"]
struct MigParser;

/// At most this many syntax errors are reported per file; after that, the rest is noise.
const MAX_SYNTAX_ERRORS: usize = 20;

/// How deep a type (`array[] of ^struct[2] of ...`) or an integer expression (parentheses, and each
/// operator of a chain, which nests the tree one level) may nest. The AST, the checker and the
/// emitters walk both recursively, so without a bound a long enough input overflows the stack; real
/// interfaces nest a handful of levels.
pub const MAX_NESTING: usize = 256;

/// Parses preprocessed text. `map` translates offsets of `text` to original spans; `fallback` is used
/// for offsets it does not cover.
pub fn parse(text: &str, map: &SourceMap, fallback: Span) -> Result<File, Diagnostics> {
    // The common case, a correct file, in one pass; statement by statement only to collect errors.
    if let Ok(mut pairs) = MigParser::parse(Rule::file, text) {
        let mut diagnostics = Diagnostics::new();
        let mut file = File::default();
        let ctx = Ctx::new(map, 0, fallback);
        for pair in pairs.next().into_iter().flat_map(|p| p.into_inner()) {
            match pair.as_rule() {
                Rule::statement => {
                    if let Some(statement) = ctx.statement(pair, &mut diagnostics) {
                        file.statements.push(statement);
                    }
                }
                Rule::end => file.end = Some(ctx.span_of(pair.as_span().start(), pair.as_span().end())),
                _ => {}
            }
        }
        diagnostics.propagate()?;
        return Ok(file);
    }
    parse_recovering(text, map, fallback)
}

/// Parses statement by statement, skipping past each syntax error, to report all of them.
fn parse_recovering(text: &str, map: &SourceMap, fallback: Span) -> Result<File, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut file = File::default();
    let mut pos = 0;
    loop {
        let ctx = Ctx::new(map, pos, fallback);
        match MigParser::parse(Rule::statement_or_end, &text[pos..]) {
            Ok(mut pairs) => {
                let Some(top) = pairs.next() else { break };
                let Some(inner) = top.into_inner().find(is_syntax) else { break };
                if inner.as_rule() == Rule::end {
                    file.end = Some(ctx.span_of(inner.as_span().start(), inner.as_span().end()));
                    break;
                }
                let consumed = inner.as_span().end();
                if let Some(statement) = ctx.statement(inner, &mut diagnostics) {
                    file.statements.push(statement);
                }
                if consumed == 0 {
                    break;
                }
                pos += consumed;
            }
            Err(error) => {
                let at = match error.location {
                    pest::error::InputLocation::Pos(p) => p,
                    pest::error::InputLocation::Span((s, _)) => s,
                };
                diagnostics.push(syntax_error(&error, &text[pos..], &ctx, at));
                if diagnostics.items.len() >= MAX_SYNTAX_ERRORS {
                    break;
                }
                match resume_after(&text[pos..], at) {
                    Some(next) => pos += next,
                    None => break,
                }
            }
        }
    }
    diagnostics.propagate()?;
    Ok(file)
}

/// Where to resume after a syntax error at `at`: just past the first `;` at parenthesis depth 0 (counted
/// from the start of the failed statement) that lies at or after the error.
fn resume_after(text: &str, at: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            ';' if depth == 0 && i >= at => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn syntax_error(error: &pest::error::Error<Rule>, text: &str, ctx: &Ctx, at: usize) -> Diagnostic {
    let found = describe_found(&text[at.min(text.len())..]);
    let expected = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().filter_map(|r| rule_name(*r)).collect();
            names.sort_unstable();
            names.dedup();
            names
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let message = if expected.is_empty() {
        format!("syntax error: unexpected {found}")
    } else {
        format!("syntax error: expected {}, found {found}", join_or(&expected))
    };
    let len = found_len(&text[at.min(text.len())..]).max(1);
    Diagnostic::error(message, ctx.span_of(at, at + len))
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn found_len(rest: &str) -> usize {
    let word: usize =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').map(char::len_utf8).sum();
    if word > 0 { word } else { rest.chars().next().map_or(0, char::len_utf8) }
}

fn describe_found(rest: &str) -> String {
    let len = found_len(rest);
    if len == 0 { "end of file".to_string() } else { format!("`{}`", &rest[..len]) }
}

/// Human names for the rules a user may be told were expected; `None` hides internal rules.
fn rule_name(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::prim_type => "an identifier",
        Rule::number | Rule::int_exp | Rule::int_term | Rule::int_atom => "a number",
        Rule::statement | Rule::end => "a statement",
        Rule::routine_kind => "`routine`",
        Rule::type_spec | Rule::arg_type | Rule::ipc_type => "a type",
        Rule::argument => "an argument",
        Rule::direction => "a direction",
        Rule::file_name => "a file name in `<>` or `\"\"`",
        Rule::qstring => "a quoted string",
        Rule::word => "a word",
        Rule::type_attr => "a type attribute",
        Rule::ipc_flag => "a flag",
        Rule::array_bound => "an array bound",
        Rule::add_op | Rule::mul_op => "an operator",
        Rule::subsystem_mod => "`KernelUser` or `KernelServer`",
        Rule::kw_of => "`of`",
        Rule::semicolon => "`;`",
        Rule::close_paren => "`)`",
        Rule::comma => "`,`",
        _ => return None,
    })
}

struct Ctx<'a> {
    map: &'a SourceMap,
    base: usize,
    fallback: Span,
    /// How many types are being converted, one inside the other.
    type_depth: Cell<usize>,
    /// How many expressions are being converted, one inside the other (in the innermost type).
    expr_depth: Cell<usize>,
    /// The first construct found nested deeper than [`MAX_NESTING`], reported by `statement`.
    too_deep: Cell<Option<(Span, &'static str)>>,
}

impl<'a> Ctx<'a> {
    fn new(map: &'a SourceMap, base: usize, fallback: Span) -> Self {
        Ctx {
            map,
            base,
            fallback,
            type_depth: Cell::new(0),
            expr_depth: Cell::new(0),
            too_deep: Cell::new(None),
        }
    }

    /// Enters one more level of `depth`; `false` (and the error recorded) past [`MAX_NESTING`].
    /// Every `true` is followed by [`Ctx::leave`].
    fn enter(&self, depth: &Cell<usize>, what: &'static str, span: Span) -> bool {
        if depth.get() >= MAX_NESTING {
            self.nested_too_deeply(what, span);
            return false;
        }
        depth.set(depth.get() + 1);
        true
    }

    fn nested_too_deeply(&self, what: &'static str, span: Span) {
        if self.too_deep.get().is_none() {
            self.too_deep.set(Some((span, what)));
        }
    }

    fn leave(depth: &Cell<usize>) {
        depth.set(depth.get() - 1);
    }
    /// The original span of `start..end`, offsets relative to the current statement slice.
    fn span_of(&self, start: usize, end: usize) -> Span {
        self.map.span(self.base + start..self.base + end.max(start)).unwrap_or(self.fallback)
    }

    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        self.span_of(s.start(), s.end())
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident { name: pair.as_str().to_string(), span: self.span(&pair) }
    }

    fn statement(&self, pair: Pair<Rule>, diagnostics: &mut Diagnostics) -> Option<Statement> {
        let statement = self.statement_parts(pair, diagnostics);
        if let Some((span, what)) = self.too_deep.take() {
            diagnostics.push(
                Diagnostic::error(format!("this {what} nests more than {MAX_NESTING} levels deep"), span)
                    .with_label("nested too deeply"),
            );
            return None;
        }
        statement
    }

    fn statement_parts(&self, pair: Pair<Rule>, diagnostics: &mut Diagnostics) -> Option<Statement> {
        let span = self.span(&pair);
        let inner = pair.into_inner().find(is_syntax)?;
        let rule = inner.as_rule();
        let mut parts = inner.into_inner().filter(is_syntax);
        Some(match rule {
            Rule::empty_stmt => return None,
            Rule::subsystem_stmt => {
                let mut kernel_user = false;
                let mut kernel_server = false;
                let _keyword = parts.next();
                let mut name = None;
                let mut base = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::subsystem_mod => match p.into_inner().find(is_syntax).map(|k| k.as_rule()) {
                            Some(Rule::kw_kernel_user) => kernel_user = true,
                            _ => kernel_server = true,
                        },
                        Rule::ident => name = Some(self.ident(p)),
                        Rule::int_exp => base = Some(self.expr(p)),
                        _ => {}
                    }
                }
                Statement::Subsystem(SubsystemDecl {
                    kernel_user,
                    kernel_server,
                    name: name?,
                    base: base?,
                    span,
                })
            }
            Rule::routine_stmt => {
                let kind = parts.next()?;
                let simple =
                    kind.into_inner().find(is_syntax).map(|k| k.as_rule()) == Some(Rule::kw_simpleroutine);
                let name = self.ident(parts.next()?);
                let args = parts
                    .next()?
                    .into_inner()
                    .filter(is_syntax)
                    .filter_map(|a| self.argument(a, diagnostics))
                    .collect();
                Statement::Routine(RoutineDecl { simple, name, args, span })
            }
            Rule::skip_stmt => Statement::Skip(span),
            Rule::type_stmt => {
                let _keyword = parts.next();
                Statement::Type(self.named_type(parts.next()?)?)
            }
            Rule::import_stmt => {
                let kind = match parts.next()?.into_inner().find(is_syntax)?.as_rule() {
                    Rule::kw_uimport => ImportKind::User,
                    Rule::kw_simport => ImportKind::Server,
                    Rule::kw_dimport => ImportKind::Definitions,
                    Rule::kw_iimport => ImportKind::Internal,
                    _ => ImportKind::All,
                };
                Statement::Import(Import { kind, file: parts.next()?.as_str().to_string(), span })
            }
            Rule::prefix_stmt => {
                let kind = match parts.next()?.into_inner().find(is_syntax)?.as_rule() {
                    Rule::kw_serverprefix => PrefixKind::Server,
                    Rule::kw_userprefix => PrefixKind::User,
                    _ => PrefixKind::ServerDemux,
                };
                Statement::Prefix(kind, self.ident(parts.next()?))
            }
            Rule::rcsid_stmt => {
                let _keyword = parts.next();
                let q = parts.next()?.as_str();
                Statement::RcsId(q[1..q.len() - 1].to_string(), span)
            }
            Rule::option_stmt => {
                let kind = match parts.next()?.into_inner().find(is_syntax)?.as_rule() {
                    Rule::kw_msgoption => OptionKind::MsgOption,
                    Rule::kw_waittime => OptionKind::WaitTime,
                    Rule::kw_nowaittime => OptionKind::NoWaitTime,
                    Rule::kw_sendtime => OptionKind::SendTime,
                    Rule::kw_nosendtime => OptionKind::NoSendTime,
                    _ => OptionKind::ConsumeOnSendError,
                };
                Statement::Option(kind, parts.next().map(|w| self.ident(w)), span)
            }
            Rule::number_stmt => {
                let kind = match parts.next()?.into_inner().find(is_syntax)?.as_rule() {
                    Rule::kw_use_special_reply => NumberKind::UseSpecialReplyPort,
                    Rule::kw_user_type_limit => NumberKind::UserTypeLimit,
                    _ => NumberKind::OnStackLimit,
                };
                Statement::Number(kind, self.expr(parts.next()?), span)
            }
            Rule::error_stmt => {
                let _keyword = parts.next();
                Statement::Error(self.ident(parts.next()?))
            }
            _ => return None,
        })
    }

    fn named_type(&self, pair: Pair<Rule>) -> Option<NamedType> {
        let span = self.span(&pair);
        let mut parts = pair.into_inner().filter(is_syntax);
        let name = self.ident(parts.next()?);
        let spec = self.type_spec(parts.next()?)?;
        let attrs = parts.filter_map(|a| self.type_attr(a)).collect();
        Some(NamedType { name, spec, attrs, span })
    }

    fn type_attr(&self, pair: Pair<Rule>) -> Option<TypeAttr> {
        let inner = pair.into_inner().find(is_syntax)?;
        let rule = inner.as_rule();
        let mut idents = inner
            .into_inner()
            .filter(is_syntax)
            .filter(|p| p.as_rule() == Rule::ident)
            .map(|p| self.ident(p));
        Some(match rule {
            Rule::ctype => TypeAttr::CType(idents.next()?),
            Rule::cusertype => TypeAttr::CUserType(idents.next()?),
            Rule::cservertype => TypeAttr::CServerType(idents.next()?),
            Rule::intran => {
                TypeAttr::InTran { ty: idents.next()?, function: idents.next()?, from: idents.next()? }
            }
            Rule::outtran => {
                TypeAttr::OutTran { ty: idents.next()?, function: idents.next()?, from: idents.next()? }
            }
            Rule::destructor => TypeAttr::Destructor { function: idents.next()?, ty: idents.next()? },
            Rule::intranpayload => TypeAttr::InTranPayload { ty: idents.next()?, function: idents.next()? },
            _ => return None,
        })
    }

    fn type_spec(&self, pair: Pair<Rule>) -> Option<TypeSpec> {
        let span = self.span(&pair);
        if !self.enter(&self.type_depth, "type", span) {
            return None;
        }
        let spec = self.type_spec_parts(pair, span);
        Self::leave(&self.type_depth);
        spec
    }

    fn type_spec_parts(&self, pair: Pair<Rule>, span: Span) -> Option<TypeSpec> {
        let inner = pair.into_inner().find(is_syntax)?;
        let rule = inner.as_rule();
        if rule == Rule::ipc_type {
            let (first, second) = self.ipc_type(inner)?;
            return Some(TypeSpec::Ipc { first, second, span });
        }
        let mut parts = inner.into_inner().filter(is_syntax);
        Some(match rule {
            Rule::pointer_spec => TypeSpec::Pointer { inner: Box::new(self.type_spec(parts.next()?)?), span },
            Rule::array_spec => {
                let _keyword = parts.next();
                let bound_pair = parts.next()?.into_inner().find(is_syntax)?;
                let bound = match bound_pair.as_rule() {
                    Rule::star_max => ArrayBound::Max(self.expr(bound_pair.into_inner().find(is_syntax)?)),
                    Rule::star => ArrayBound::Star,
                    Rule::unbounded => ArrayBound::Unbounded,
                    _ => ArrayBound::Fixed(self.expr(bound_pair)),
                };
                let _of = parts.next();
                TypeSpec::Array { bound, element: Box::new(self.type_spec(parts.next()?)?), span }
            }
            Rule::struct_spec => {
                let _keyword = parts.next();
                let count = self.expr(parts.next()?);
                let _of = parts.next();
                TypeSpec::Struct { count, element: Box::new(self.type_spec(parts.next()?)?), span }
            }
            Rule::c_string_spec => {
                let _keyword = parts.next();
                let bound = parts.next()?;
                match bound.as_rule() {
                    Rule::star_max => TypeSpec::CString {
                        max: self.expr(bound.into_inner().find(is_syntax)?),
                        variable: true,
                        span,
                    },
                    _ => TypeSpec::CString { max: self.expr(bound), variable: false, span },
                }
            }
            Rule::basic_long => {
                let (first, second) = self.ipc_type(parts.next()?)?;
                let size = self.expr(parts.next()?);
                let flags = parts.next().map(|f| self.flags(f)).unwrap_or_default();
                TypeSpec::Sized { first, second, size, flags, span }
            }
            _ => return None,
        })
    }

    fn ipc_type(&self, pair: Pair<Rule>) -> Option<(IpcName, Option<IpcName>)> {
        let mut names = pair.into_inner().filter(is_syntax).map(|p| self.ipc_name(p));
        let first = names.next()??;
        let second = names.next().flatten();
        Some((first, second))
    }

    fn ipc_name(&self, prim: Pair<Rule>) -> Option<IpcName> {
        let inner = prim.into_inner().find(is_syntax)?;
        Some(match inner.as_rule() {
            Rule::number => {
                IpcName::Number(parse_number(inner.as_str()).unwrap_or(u64::MAX), self.span(&inner))
            }
            _ => IpcName::Name(self.ident(inner)),
        })
    }

    fn flags(&self, pair: Pair<Rule>) -> Vec<Flag> {
        pair.into_inner()
            .filter(is_syntax)
            .map(|f| {
                let span = self.span(&f);
                let text = f.as_str();
                let name =
                    if f.into_inner().find(is_syntax).is_some_and(|i| i.as_rule() == Rule::dealloc_array) {
                        "dealloc[]".to_string()
                    } else {
                        text.to_string()
                    };
                Flag { name, span }
            })
            .collect()
    }

    fn argument(&self, pair: Pair<Rule>, _diagnostics: &mut Diagnostics) -> Option<Argument> {
        let span = self.span(&pair);
        let mut direction = None;
        let mut name = None;
        let mut ty = None;
        let mut flags = Vec::new();
        for p in pair.into_inner().filter(is_syntax) {
            match p.as_rule() {
                Rule::direction => {
                    let s = self.span(&p);
                    direction = Direction::from_keyword(p.as_str()).map(|d| (d, s));
                }
                Rule::ident => name = Some(self.ident(p)),
                Rule::arg_type => {
                    let inner = p.into_inner().find(is_syntax)?;
                    ty = Some(match inner.as_rule() {
                        Rule::named_type => ArgType::Named(self.named_type(inner)?),
                        _ => ArgType::Spec(self.type_spec(inner)?),
                    });
                }
                Rule::ipc_flags => flags = self.flags(p),
                _ => {}
            }
        }
        Some(Argument { direction, name: name?, ty: ty?, flags, span })
    }

    fn expr(&self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        if !self.enter(&self.expr_depth, "expression", span) {
            return Expr { kind: ExprKind::Number(0), span };
        }
        let expr = self.expr_parts(pair, span);
        Self::leave(&self.expr_depth);
        expr
    }

    fn expr_parts(&self, pair: Pair<Rule>, span: Span) -> Expr {
        match pair.as_rule() {
            Rule::int_exp | Rule::int_term => {
                let mut parts = pair.into_inner().filter(is_syntax);
                let Some(first) = parts.next() else {
                    return Expr { kind: ExprKind::Number(0), span };
                };
                let mut acc = self.expr(first);
                // Each operator nests the tree one level deeper on its left.
                let mut chain = 0;
                while let (Some(op), Some(rhs)) = (parts.next(), parts.next()) {
                    chain += 1;
                    if self.expr_depth.get() + chain > MAX_NESTING {
                        self.nested_too_deeply("expression", span);
                        break;
                    }
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" => BinOp::Sub,
                        "*" => BinOp::Mul,
                        _ => BinOp::Div,
                    };
                    let rhs = self.expr(rhs);
                    let span = if acc.span.file == rhs.span.file { acc.span.to(rhs.span) } else { acc.span };
                    acc = Expr { kind: ExprKind::Binary(Box::new(acc), op, Box::new(rhs)), span };
                }
                acc
            }
            Rule::int_atom => match pair.into_inner().find(is_syntax) {
                Some(inner) => self.expr(inner),
                None => Expr { kind: ExprKind::Number(0), span },
            },
            Rule::number => {
                Expr { kind: ExprKind::Number(parse_number(pair.as_str()).unwrap_or(u64::MAX)), span }
            }
            _ => Expr { kind: ExprKind::Name(pair.as_str().to_string()), span },
        }
    }
}

/// Whether a pair carries meaning (punctuation pairs exist only for error messages).
fn is_syntax(pair: &Pair<Rule>) -> bool {
    !matches!(pair.as_rule(), Rule::semicolon | Rule::close_paren | Rule::comma)
}

/// Parses a decimal or `0x` hexadecimal literal; `None` on overflow.
pub fn parse_number(text: &str) -> Option<u64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else {
        text.parse().ok()
    }
}
