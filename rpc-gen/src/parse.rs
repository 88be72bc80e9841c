//! Stage 1: pest parse of an `.rpc` file into the typed [`ast`](crate::ast), keeping spans.
//!
//! Nothing after this module sees a `pest::iterators::Pair`. A syntax error becomes one located
//! [`Diagnostic`] (pest stops at the first), phrased with our rule names rather than pest's.

use codegen::{Diagnostic, FileId, Span};
use pest::Parser;
use pest::iterators::Pair;

use crate::ast::{Call, File, Group, Item, Param, Record, Spanned, Type};

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct RpcParser;

/// Parses `text` (the contents of `file`) into a syntax tree.
pub fn parse(file: FileId, text: &str) -> Result<File, Box<Diagnostic>> {
    let mut pairs = RpcParser::parse(Rule::file, text).map_err(|e| Box::new(syntax_error(file, text, e)))?;
    let mut out = File { doc: Vec::new(), items: Vec::new(), groups: Vec::new() };
    let Some(root) = pairs.next() else { return Ok(out) };
    for pair in root.into_inner() {
        match pair.as_rule() {
            Rule::inner_doc => out.doc.push(doc_line(pair)),
            Rule::group => {
                let index = out.groups.len();
                let mut doc = Vec::new();
                let mut title = None;
                let mut items = Vec::new();
                for inner in pair.into_inner() {
                    match inner.as_rule() {
                        Rule::outer_doc => doc.push(doc_line(inner)),
                        Rule::string => {
                            let raw = inner.as_str();
                            let text = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("").to_string();
                            title = Some(Spanned { value: text, span: span(file, &inner) });
                        }
                        Rule::call => items.push(Item::Call(call(file, inner, Some(index)))),
                        Rule::record => items.push(Item::Record(record(file, inner, Some(index)))),
                        _ => {}
                    }
                }
                let title = title.unwrap_or(Spanned { value: String::new(), span: Span::new(file, 0..0) });
                out.groups.push(Group { doc, title });
                out.items.extend(items);
            }
            Rule::call => out.items.push(Item::Call(call(file, pair, None))),
            Rule::record => out.items.push(Item::Record(record(file, pair, None))),
            _ => {}
        }
    }
    Ok(out)
}

fn span(file: FileId, pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(file, s.start()..s.end())
}

fn spanned_str(file: FileId, pair: &Pair<'_, Rule>) -> Spanned<String> {
    Spanned { value: pair.as_str().to_string(), span: span(file, pair) }
}

/// The text of a doc comment line, with the one space after the marker removed.
fn doc_line(pair: Pair<'_, Rule>) -> String {
    let text = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
    let text = text.strip_prefix(' ').unwrap_or(text);
    text.trim_end().to_string()
}

fn call(file: FileId, pair: Pair<'_, Rule>, group: Option<usize>) -> Call {
    let whole = span(file, &pair);
    let mut call = Call {
        doc: Vec::new(),
        name: Spanned { value: String::new(), span: whole },
        params: Vec::new(),
        returns: Vec::new(),
        flags: Vec::new(),
        group,
        span: whole,
    };
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::outer_doc => call.doc.push(doc_line(inner)),
            Rule::ident => call.name = spanned_str(file, &inner),
            Rule::params => call.params = params(file, inner),
            Rule::returns => {
                if let Some(p) = inner.into_inner().next() {
                    call.returns = params(file, p);
                }
            }
            Rule::flags => {
                call.flags = inner
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::ident)
                    .map(|p| spanned_str(file, &p))
                    .collect();
            }
            _ => {}
        }
    }
    call
}

fn record(file: FileId, pair: Pair<'_, Rule>, group: Option<usize>) -> Record {
    let whole = span(file, &pair);
    let mut record = Record {
        doc: Vec::new(),
        name: Spanned { value: String::new(), span: whole },
        fields: Vec::new(),
        group,
    };
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::outer_doc => record.doc.push(doc_line(inner)),
            Rule::ident => record.name = spanned_str(file, &inner),
            Rule::param => record.fields.push(param(file, inner)),
            _ => {}
        }
    }
    record
}

fn params(file: FileId, pair: Pair<'_, Rule>) -> Vec<Param> {
    pair.into_inner().filter(|p| p.as_rule() == Rule::param).map(|p| param(file, p)).collect()
}

fn param(file: FileId, pair: Pair<'_, Rule>) -> Param {
    let whole = span(file, &pair);
    let mut param = Param {
        doc: Vec::new(),
        name: Spanned { value: String::new(), span: whole },
        ty: Spanned { value: Type::Fd, span: whole },
        wire: None,
    };
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::outer_doc => param.doc.push(doc_line(inner)),
            Rule::ident => param.name = spanned_str(file, &inner),
            Rule::ty => param.ty = ty(file, inner),
            Rule::wire => {
                if let Some(id) = inner.into_inner().find(|p| p.as_rule() == Rule::ident) {
                    param.wire = Some(spanned_str(file, &id));
                }
            }
            _ => {}
        }
    }
    param
}

fn ty(file: FileId, pair: Pair<'_, Rule>) -> Spanned<Type> {
    let whole = span(file, &pair);
    let Some(inner) = pair.into_inner().next() else {
        return Spanned { value: Type::Fd, span: whole };
    };
    let value = match inner.as_rule() {
        Rule::fd_type => Type::Fd,
        _ => {
            let mut is_const = false;
            let mut base = String::new();
            let mut pointers = 0;
            for part in inner.into_inner() {
                match part.as_rule() {
                    Rule::const_kw => is_const = true,
                    Rule::ident => base = part.as_str().to_string(),
                    Rule::star => pointers += 1,
                    _ => {}
                }
            }
            Type::C { is_const, base, pointers }
        }
    };
    Spanned { value, span: whole }
}

fn syntax_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    // Point at the character that could not be parsed (or the end of the file), never at nothing.
    let end = if end > start { end } else { next_char_end(text, start) };
    let message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut wanted: Vec<&str> = positives.iter().filter_map(|r| rule_name(*r)).collect();
            wanted.sort_unstable();
            wanted.dedup();
            let found = match text.get(start..end) {
                Some(s) if !s.trim().is_empty() => format!("found `{}`", s.trim()),
                _ if start >= text.len() => "found the end of the file".to_string(),
                _ => "found whitespace".to_string(),
            };
            match wanted.as_slice() {
                [] => format!("syntax error: {found}"),
                [one] => format!("expected {one}, {found}"),
                many => {
                    let (last, rest) = many.split_last().unwrap_or((&"", &[]));
                    format!("expected {} or {last}, {found}", rest.join(", "))
                }
            }
        }
        ErrorVariant::CustomError { message } => message.clone(),
    };
    Diagnostic::error(message, Span::new(file, start..end))
}

/// The end of the word (or single character) at `start`, so an error shows `call`, not `c`.
fn next_char_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let word: usize =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').map(char::len_utf8).sum();
    if word > 0 {
        return start + word;
    }
    match rest.chars().next() {
        Some(c) if c != '\n' => start + c.len_utf8(),
        _ => start,
    }
}

/// How a rule is named in a syntax error; `None` for rules a user never needs to hear about.
fn rule_name(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::group | Rule::kw_group => "`group`",
        Rule::record | Rule::kw_struct => "`struct`",
        Rule::call | Rule::kw_call => "`call`",
        Rule::params => "`(`",
        Rule::returns => "`->`",
        Rule::param => "a parameter (`name: type`)",
        Rule::wire | Rule::kw_as => "`as`",
        Rule::ty | Rule::c_type | Rule::fd_type => "a type",
        Rule::flags | Rule::kw_flags => "`flags`",
        Rule::ident => "a name",
        Rule::string => "a quoted group title",
        Rule::outer_doc => "a doc comment",
        Rule::inner_doc => "a `//!` comment",
        Rule::star => "`*`",
        Rule::EOI => "the end of the file",
        Rule::semi => "`;`",
        Rule::colon => "`:`",
        Rule::comma => "`,`",
        Rule::rparen => "`)`",
        Rule::rbrace => "`}`",
        _ => return None,
    })
}
