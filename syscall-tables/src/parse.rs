//! Stage 1, parse: `.master` text to the typed [`ast::File`], with a diagnostic for every bad line.
//!
//! The file is split into logical lines (a line ending in `\` continues on the next, as makesyscalls.sh
//! allows); blank lines and `;` comments are dropped; every other line is parsed on its own with the
//! pest grammar in `master.pest`. A line that does not parse becomes one located diagnostic and the
//! next line is parsed regardless, so a user sees every syntax error of a file at once.

use codegen::{Diagnostic, Diagnostics, FileId, Sources, Span};
use pest::Parser;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;

use crate::ast::{Attribute, Entry, Expr, File, Item, Param, Spanned, TypeName};

#[derive(pest_derive::Parser)]
#[grammar = "master.pest"]
struct MasterParser;

/// Parses the file `file` of `sources`. Fails with every syntax error found.
pub fn parse(sources: &Sources, file: FileId) -> Result<File, Diagnostics> {
    let text = sources.text(file);
    // Fast path: the whole file in one pest run. A file that does not parse is parsed again line by line,
    // which finds every bad line rather than only the first.
    if let Ok(mut pairs) = MasterParser::parse(Rule::file, text) {
        let builder = Builder { file, base: 0 };
        let mut items = Vec::new();
        let mut diagnostics = Diagnostics::new();
        let inner = pairs.next().map(|p| p.into_inner());
        for pair in inner.into_iter().flatten() {
            // Comment lines leave a `comment_text` pair (an atomic rule, so that pest skips to the end
            // of the line at once rather than a character at a time).
            if matches!(pair.as_rule(), Rule::EOI | Rule::comment_text) {
                continue;
            }
            match builder.item(pair) {
                Ok(item) => items.push(item),
                Err(d) => diagnostics.push(*d),
            }
        }
        diagnostics.propagate()?;
        return Ok(File { file, items });
    }
    parse_by_line(file, text)
}

fn parse_by_line(file: FileId, text: &str) -> Result<File, Diagnostics> {
    let mut items = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for (start, line) in logical_lines(text) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with(';') {
            continue;
        }
        // Trailing whitespace is not part of the line (XNU's master has some after `}`).
        let line = line.trim_end();
        let builder = Builder { file, base: start };
        match MasterParser::parse(Rule::line, line) {
            Ok(mut pairs) => {
                let Some(line_pair) = pairs.next() else { continue };
                let Some(inner) = line_pair.into_inner().next() else { continue };
                match builder.item(inner) {
                    Ok(item) => items.push(item),
                    Err(d) => diagnostics.push(*d),
                }
            }
            Err(error) => diagnostics.push(syntax_error(&builder, line, &error)),
        }
    }
    diagnostics.propagate()?;
    Ok(File { file, items })
}

/// Splits `text` into logical lines with their byte offsets. A line ending in a backslash continues on
/// the next one (the backslash and newline stay in the slice, and the grammar treats them as
/// whitespace). Line terminators are not part of the slices.
fn logical_lines(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let continued = text[start..i].trim_end_matches('\r').ends_with('\\');
            if !continued {
                lines.push((start, text[start..i].trim_end_matches('\r')));
                start = i + 1;
            }
        }
        i += 1;
    }
    if start < text.len() {
        lines.push((start, &text[start..]));
    }
    lines
}

/// Turns pest's error into our diagnostic: what was expected, where, and what was found instead.
fn syntax_error(builder: &Builder, line: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
    .min(line.len());
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => describe_expected(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let what = if line.trim_start().starts_with('#') {
        "malformed directive"
    } else if line[..pos].contains('{') && !line[..pos].contains('}') {
        "malformed prototype"
    } else {
        "malformed entry"
    };
    let found = found_at(line, pos);
    let end = pos + found_token_len(line, pos);
    let label = match found {
        Some(tok) => format!("unexpected `{tok}`"),
        None => "unexpected end of line".to_string(),
    };
    Diagnostic::error(format!("{what}: expected {expected}"), builder.span(pos, end)).with_label(label)
}

/// The token that starts at `pos`, if any: an identifier, a number or one character.
fn found_at(line: &str, pos: usize) -> Option<&str> {
    let len = found_token_len(line, pos);
    if len == 0 { None } else { Some(&line[pos..pos + len]) }
}

fn found_token_len(line: &str, pos: usize) -> usize {
    let rest = &line[pos..];
    let word = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    if word > 0 { word } else { rest.chars().next().map_or(0, char::len_utf8) }
}

/// "`,` or `)`", "an argument type and name, or `void`" ...
fn describe_expected(rules: &[Rule]) -> String {
    // Where punctuation would end an argument or a prototype, say that rather than "or one more word":
    // continuing a type or adding an attribute is rarely what the author meant.
    let ends_argument = rules.iter().any(|r| matches!(r, Rule::comma | Rule::rparen));
    let ends_prototype = rules.contains(&Rule::semicolon);
    let mut names: Vec<&str> = Vec::new();
    for rule in rules {
        if (ends_argument && *rule == Rule::type_token) || (ends_prototype && *rule == Rule::ident) {
            continue;
        }
        let name = describe_rule(*rule);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.len() {
        0 => "something else".to_string(),
        1 => names[0].to_string(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn describe_rule(rule: Rule) -> &'static str {
    match rule {
        Rule::directive | Rule::hash => "`#`",
        Rule::entry | Rule::number => "an entry number",
        Rule::audit_event => "an audit event",
        Rule::files => "a files column (`ALL` or letters from `TNHP`)",
        Rule::signature => "a return type and name",
        Rule::params | Rule::param => "an argument",
        Rule::void_params | Rule::kw_void => "`void`",
        Rule::type_token => "a type or name",
        Rule::attribute => "an attribute",
        Rule::attribute_arg => "an attribute argument",
        Rule::note | Rule::note_text => "a `{ note }`",
        Rule::ident => "an identifier",
        Rule::lbrace => "`{`",
        Rule::rbrace | Rule::stray_brace => "`}`",
        Rule::lparen => "`(`",
        Rule::rparen => "`)`",
        Rule::comma => "`,`",
        Rule::semicolon => "`;`",
        Rule::include | Rule::kw_include => "`include`",
        Rule::if_ | Rule::kw_if => "`if`",
        Rule::ifdef | Rule::kw_ifdef => "`ifdef`",
        Rule::ifndef | Rule::kw_ifndef => "`ifndef`",
        Rule::else_ | Rule::kw_else => "`else`",
        Rule::endif | Rule::kw_endif => "`endif`",
        Rule::other_directive => "a directive name",
        Rule::header_name => "a header name (`<...>` or `\"...\"`)",
        Rule::directive_comment => "a comment",
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::unary
        | Rule::primary
        | Rule::number_literal
        | Rule::not_op => "a condition",
        Rule::defined | Rule::kw_defined => "`defined`",
        Rule::or_op => "`||`",
        Rule::and_op => "`&&`",
        Rule::EOI => "the end of the line",
        Rule::line => "an entry number, a `#` directive or a `;` comment",
        Rule::WHITESPACE
        | Rule::file
        | Rule::file_line
        | Rule::comment_line
        | Rule::comment_text
        | Rule::directive_rest
        | Rule::ident_char => "something else",
    }
}

/// Builds AST nodes from the pairs of one logical line that starts at byte `base` of `file`.
struct Builder {
    file: FileId,
    base: usize,
}

impl Builder {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.base + start..self.base + end)
    }

    fn span_of(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        self.span(s.start(), s.end())
    }

    fn spanned(&self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        Spanned::new(pair.as_str().to_string(), self.span_of(pair))
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Result<Item, Box<Diagnostic>> {
        match pair.as_rule() {
            Rule::directive => self.directive(pair),
            _ => self.entry(pair).map(|e| Item::Entry(Box::new(e))),
        }
    }

    fn directive(&self, pair: Pair<'_, Rule>) -> Result<Item, Box<Diagnostic>> {
        let span = self.span_of(&pair);
        // The first inner pair is `#`, the second the directive itself.
        let Some(body) = pair.into_inner().nth(1) else {
            return Err(Box::new(Diagnostic::error("malformed directive", span)));
        };
        let rule = body.as_rule();
        let mut inner = body.into_inner().filter(|p| p.as_rule() != Rule::directive_comment);
        // The keyword is the first inner pair of every directive except `other_directive`.
        if rule != Rule::other_directive {
            inner.next();
        }
        let item = match rule {
            Rule::include => {
                let header = inner.next().map(|p| p.as_str().to_string()).unwrap_or_default();
                Item::Include { header, span }
            }
            Rule::ifdef | Rule::ifndef => {
                let name = inner.next().map(|p| p.as_str().to_string()).unwrap_or_default();
                let defined = Expr::Defined(name.clone());
                let (condition, text) = if rule == Rule::ifdef {
                    (defined, format!("defined({name})"))
                } else {
                    (Expr::Not(Box::new(defined)), format!("!defined({name})"))
                };
                Item::If { condition, text, span }
            }
            Rule::if_ => {
                let Some(expr) = inner.next() else {
                    return Err(Box::new(Diagnostic::error(
                        "malformed directive: expected a condition",
                        span,
                    )));
                };
                let text = expr.as_str().trim().to_string();
                Item::If { condition: self.expr(expr), text, span }
            }
            Rule::else_ => Item::Else { span },
            Rule::endif => Item::Endif { span },
            _ => {
                let name =
                    inner.next().map(|p| self.spanned(&p)).unwrap_or(Spanned::new(String::new(), span));
                Item::Unsupported { name }
            }
        };
        Ok(item)
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Expr {
        match pair.as_rule() {
            Rule::expr => pair.into_inner().next().map(|p| self.expr(p)).unwrap_or(Expr::Number(0)),
            Rule::or_expr | Rule::and_expr => {
                let is_or = pair.as_rule() == Rule::or_expr;
                let mut operands =
                    pair.into_inner().filter(|p| !matches!(p.as_rule(), Rule::or_op | Rule::and_op));
                let mut acc = operands.next().map(|p| self.expr(p)).unwrap_or(Expr::Number(0));
                for operand in operands {
                    let rhs = Box::new(self.expr(operand));
                    acc = if is_or { Expr::Or(Box::new(acc), rhs) } else { Expr::And(Box::new(acc), rhs) };
                }
                acc
            }
            Rule::unary => {
                let mut nots = 0;
                let mut result = Expr::Number(0);
                for p in pair.into_inner() {
                    if p.as_rule() == Rule::not_op {
                        nots += 1;
                    } else {
                        result = self.expr(p);
                    }
                }
                for _ in 0..nots {
                    result = Expr::Not(Box::new(result));
                }
                result
            }
            Rule::primary => {
                let inner: Vec<Pair<'_, Rule>> = pair
                    .into_inner()
                    .filter(|p| !matches!(p.as_rule(), Rule::lparen | Rule::rparen))
                    .collect();
                inner.into_iter().next().map(|p| self.expr(p)).unwrap_or(Expr::Number(0))
            }
            Rule::defined => {
                let name = pair.into_inner().find(|p| p.as_rule() == Rule::ident);
                Expr::Defined(name.map(|p| p.as_str().to_string()).unwrap_or_default())
            }
            // Out-of-range literals saturate: they are only ever compared against zero.
            Rule::number_literal => Expr::Number(pair.as_str().parse().unwrap_or(u64::MAX)),
            _ => Expr::Ident(pair.as_str().to_string()),
        }
    }

    fn entry(&self, pair: Pair<'_, Rule>) -> Result<Entry, Box<Diagnostic>> {
        let span = self.span_of(&pair);
        let mut number = None;
        let mut audit_event = None;
        let mut files = None;
        let mut signature = None;
        let mut params: Option<Vec<Param>> = None;
        let mut params_start = None;
        let mut params_end = None;
        let mut attributes = Vec::new();
        let mut note = None;
        let mut stray_braces = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::number => {
                    let span = self.span_of(&p);
                    let value = p.as_str().parse::<u32>().map_err(|_| {
                        Box::new(
                            Diagnostic::error(format!("entry number `{}` is too large", p.as_str()), span)
                                .with_label("at most 4294967295"),
                        )
                    })?;
                    number = Some(Spanned::new(value, span));
                }
                Rule::audit_event => audit_event = Some(self.spanned(&p)),
                Rule::files => files = Some(self.spanned(&p)),
                Rule::signature => signature = Some(p),
                Rule::lparen => params_start = Some(p.as_span().start()),
                Rule::rparen => params_end = Some(p.as_span().end()),
                Rule::params => params = self.params(p)?,
                Rule::attribute => attributes.push(self.attribute(p)),
                Rule::stray_brace => stray_braces.push(self.span_of(&p)),
                Rule::note => {
                    if let Some(text) = p.into_inner().find(|i| i.as_rule() == Rule::note_text) {
                        let s = text.as_span();
                        let trimmed = text.as_str().trim();
                        if !trimmed.is_empty() {
                            let lead = text.as_str().len() - text.as_str().trim_start().len();
                            let start = s.start() + lead;
                            note = Some(Spanned::new(
                                trimmed.to_string(),
                                self.span(start, start + trimmed.len()),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        let (Some(number), Some(audit_event), Some(files), Some(signature)) =
            (number, audit_event, files, signature)
        else {
            return Err(Box::new(Diagnostic::error("malformed entry", span)));
        };
        let (return_type, name) = self.signature(signature)?;
        let params_span = self.span(params_start.unwrap_or(0), params_end.unwrap_or(0));
        Ok(Entry {
            span,
            number,
            audit_event,
            files,
            return_type,
            name,
            params,
            params_span,
            attributes,
            note,
            stray_braces,
        })
    }

    /// Splits `RETURN-TYPE NAME` into its two parts.
    fn signature(&self, pair: Pair<'_, Rule>) -> Result<(TypeName, Spanned<String>), Box<Diagnostic>> {
        let span = self.span_of(&pair);
        let tokens: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
        let Some((last, rest)) = tokens.split_last() else {
            return Err(Box::new(Diagnostic::error(
                "malformed prototype: expected a return type and name",
                span,
            )));
        };
        if last.as_str() == "*" {
            return Err(Box::new(
                Diagnostic::error("malformed prototype: expected a function name", self.span_of(last))
                    .with_label("expected a name after the return type"),
            ));
        }
        if rest.is_empty() {
            return Err(Box::new(
                Diagnostic::error(
                    format!("malformed prototype: `{}` has no return type", last.as_str()),
                    self.span_of(last),
                )
                .with_label("expected a return type before the name"),
            ));
        }
        let ty = self.type_name(rest);
        Ok((ty, self.spanned(last)))
    }

    fn type_name(&self, tokens: &[Pair<'_, Rule>]) -> TypeName {
        let start = tokens.first().map_or(0, |p| p.as_span().start());
        let end = tokens.last().map_or(0, |p| p.as_span().end());
        TypeName {
            tokens: tokens.iter().map(|p| p.as_str().to_string()).collect(),
            span: self.span(start, end),
        }
    }

    fn params(&self, pair: Pair<'_, Rule>) -> Result<Option<Vec<Param>>, Box<Diagnostic>> {
        let mut params = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::void_params => return Ok(None),
                Rule::param => params.push(self.param(p)?),
                _ => {}
            }
        }
        Ok(Some(params))
    }

    fn param(&self, pair: Pair<'_, Rule>) -> Result<Param, Box<Diagnostic>> {
        let span = self.span_of(&pair);
        let tokens: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
        let Some((last, rest)) = tokens.split_last() else {
            return Err(Box::new(Diagnostic::error("malformed prototype: expected an argument", span)));
        };
        if last.as_str() == "*" {
            return Err(Box::new(
                Diagnostic::error("malformed prototype: argument has no name", span)
                    .with_label("expected a name after the type"),
            ));
        }
        if rest.is_empty() {
            return Err(Box::new(
                Diagnostic::error(
                    format!("malformed prototype: argument `{}` has no type", last.as_str()),
                    span,
                )
                .with_label("expected `type name`"),
            ));
        }
        Ok(Param { ty: self.type_name(rest), name: self.spanned(last), span })
    }

    fn attribute(&self, pair: Pair<'_, Rule>) -> Attribute {
        let span = self.span_of(&pair);
        let mut name = Spanned::new(String::new(), span);
        let mut argument = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = self.spanned(&p),
                Rule::attribute_arg => argument = Some(self.spanned(&p)),
                _ => {}
            }
        }
        Attribute { name, argument, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<File, String> {
        let mut sources = Sources::new();
        let file = sources.add("t.master", text);
        parse(&sources, file).map_err(|d| d.render(&sources))
    }

    #[test]
    fn entry_with_pointers_attributes_and_note() {
        let file = parse_text(
            "; comment\n\n5\tAUE_OPEN\tALL\t{ int open(const char **path, int flags) NO_SYSCALL_STUB ; }   { a note }  \n",
        )
        .unwrap();
        let [Item::Entry(e)] = file.items.as_slice() else { panic!("{:?}", file.items) };
        assert_eq!(e.number.value, 5);
        assert_eq!(e.name.value, "open");
        assert_eq!(e.return_type.to_string(), "int");
        let params = e.params.as_ref().unwrap();
        assert_eq!(params[0].ty.to_string(), "const char **");
        assert_eq!(params[0].name.value, "path");
        assert_eq!(e.attributes[0].name.value, "NO_SYSCALL_STUB");
        assert_eq!(e.note.as_ref().unwrap().value, "a note");
    }

    #[test]
    fn directives_and_conditions() {
        let file = parse_text(
            "#include <sys/x.h>\n#if SOCKETS\t/* why */\n#else /* x */\n#endif // y\n#ifdef A\n#if !defined(X) && (Y || 2)\n",
        )
        .unwrap();
        let texts: Vec<String> = file
            .items
            .iter()
            .map(|i| match i {
                Item::Include { header, .. } => header.clone(),
                Item::If { condition, .. } => condition.to_string(),
                Item::Else { .. } => "else".into(),
                Item::Endif { .. } => "endif".into(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, ["<sys/x.h>", "SOCKETS", "else", "endif", "defined(A)", "!defined(X) && (Y || 2)"]);
    }

    #[test]
    fn continuation_lines_join() {
        let file = parse_text("1\tAUE_NULL\tALL\t{ int f(int a, \\\n int b); }\n").unwrap();
        let [Item::Entry(e)] = file.items.as_slice() else { panic!() };
        assert_eq!(e.params.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn every_bad_line_is_reported() {
        let err =
            parse_text("1 AUE_NULL ALL { int f(int a; }\n2 AUE_NULL ALL { int g(void) }\n").unwrap_err();
        assert!(err.contains("malformed prototype: expected `)` or `,`"), "{err}");
        assert!(err.contains("malformed prototype: expected `;`"), "{err}");
        assert!(err.contains("t.master:1:"), "{err}");
        assert!(err.contains("t.master:2:"), "{err}");
        assert!(err.contains("aborting due to 2 errors"), "{err}");
    }
}
