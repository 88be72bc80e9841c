//! Macro expansion: reading through the context stack, invoking macros, substituting arguments,
//! `#` and `##`, and rescanning under C's "painted blue" rule.
//!
//! An invoked macro's replacement is pushed as a context; while a context is on the stack its macro is
//! disabled, and a token that names a disabled macro is painted (flag [`PAINTED`]) and never expands,
//! wherever it goes later. That is what makes `#define foo foo` stop, as the C standard requires. Since
//! such a leftover name is never what a `.defs` author means, it is reported as a "recursive macro"
//! error (the output still holds the name, as `cc -E` would print it). Real runaway expansion (a macro
//! whose expansion grows exponentially) is stopped by a token budget, and argument pre-expansion by a
//! nesting limit, so no input can exhaust memory or the stack.
//!
//! Every produced token records its invocation site (`Token::site`): the outermost invocation, from the
//! macro's name to its closing parenthesis. Argument tokens that pass through unchanged keep their own
//! position in the file, so a diagnostic about `vm_read` in `PREFIX(vm_read)` points at `vm_read`.

use codegen::{Diagnostic, Span};

use crate::lex::{
    self, COMMA, DEFINED, FROM_VA, Kind, LPAREN, NO_SITE, ONE, PAINTED, RPAREN, SPACE, Token, UNTERMINATED,
    ZERO,
};
use crate::macros::MacroKind;
use crate::pp::{Context, Fatal, Preprocessor, R};

/// Tokens one top-level invocation may produce before expansion counts as runaway. Real `.defs` files
/// stay below a few hundred; `#define a b b` nested thirty deep would reach a billion.
pub(crate) const MAX_EXPANSION_TOKENS: usize = 1 << 20;

/// Nesting of macro invocations inside macro arguments (`f(f(f(...)))`), each of which recurses.
pub(crate) const MAX_ARGUMENT_NESTING: usize = 200;

impl Preprocessor<'_> {
    /// The next token before macro expansion: from the innermost context, or from the file when every
    /// context is exhausted (`None` at the end of an isolated operand; `Eof` at the end of a file).
    pub(crate) fn next_raw(&mut self) -> R<Option<Token>> {
        loop {
            let floor = self.floor.unwrap_or(0);
            if self.contexts.len() > floor {
                let ctx = self.contexts.last_mut().expect("contexts above the floor");
                if let Some(&t) = ctx.tokens.get(ctx.pos) {
                    ctx.pos += 1;
                    return Ok(Some(t));
                }
                self.pop_context();
                continue;
            }
            if self.floor.is_some() {
                return Ok(None);
            }
            return self.file_token(true).map(Some);
        }
    }

    /// Whether the next raw token is `(`, without consuming it. Exhausted contexts are popped on the
    /// way, as they would be by the next read.
    fn peek_is_lparen(&mut self) -> R<bool> {
        loop {
            let floor = self.floor.unwrap_or(0);
            if self.contexts.len() > floor {
                let ctx = self.contexts.last().expect("contexts above the floor");
                if let Some(t) = ctx.tokens.get(ctx.pos) {
                    return Ok(t.is_punct(LPAREN));
                }
                self.pop_context();
                continue;
            }
            if self.floor.is_some() {
                return Ok(false);
            }
            return Ok(self.file_token(false)?.is_punct(LPAREN));
        }
    }

    fn pop_context(&mut self) {
        if let Some(ctx) = self.contexts.pop()
            && let Some(m) = ctx.macro_index
        {
            self.macros[m].disabled = false;
        }
    }

    fn push_context(&mut self, tokens: Vec<Token>, macro_index: Option<usize>, site: u32) -> R<()> {
        self.expansion_budget_used += tokens.len();
        if self.expansion_budget_used > MAX_EXPANSION_TOKENS {
            let span = self.sites[site as usize];
            self.error(
                Diagnostic::error("macro expansion is too large", span)
                    .with_label("this expansion grows without bound")
                    .with_note(format!(
                        "it produced more than {MAX_EXPANSION_TOKENS} tokens; a macro probably uses another \
                         macro several times, and that one another, and so on"
                    )),
            );
            return Err(Fatal);
        }
        if tokens.is_empty() {
            return Ok(());
        }
        if let Some(m) = macro_index {
            self.macros[m].disabled = true;
        }
        self.contexts.push(Context { tokens, pos: 0, macro_index });
        Ok(())
    }

    /// The next token after macro expansion (`None` at the end of an isolated operand).
    pub(crate) fn next_expanded(&mut self) -> R<Option<Token>> {
        loop {
            let Some(mut t) = self.next_raw()? else { return Ok(None) };
            if t.kind != Kind::Ident || t.has(PAINTED) {
                return Ok(Some(t));
            }
            if self.in_if && t.sym == DEFINED {
                return self.defined_operator(t).map(Some);
            }
            let Some(&m) = self.table.get(&t.sym) else { return Ok(Some(t)) };
            if self.macros[m].disabled {
                t.flags |= PAINTED;
                // A function-like macro's name is only a (recursive) invocation when `(` follows.
                if !self.macros[m].is_function() || self.peek_is_lparen()? {
                    self.report_recursion(m, &t);
                }
                return Ok(Some(t));
            }
            match self.macros[m].kind {
                MacroKind::Object => self.expand_object(m, t)?,
                MacroKind::File | MacroKind::Line => self.expand_builtin(m, t)?,
                MacroKind::Function { .. } => {
                    if !self.peek_is_lparen()? {
                        return Ok(Some(t));
                    }
                    if let Some(open) = self.next_raw()? {
                        self.out.add_newlines(open.nl);
                    }
                    if let Some((args, close)) = self.collect_args(m, &t)? {
                        self.expand_function(m, t, args, close)?;
                    }
                }
            }
        }
    }

    /// `defined NAME` or `defined ( NAME )` in `#if`, as the token `1` or `0`.
    fn defined_operator(&mut self, t: Token) -> R<Token> {
        let mut result = Token { kind: Kind::Number, sym: ZERO, flags: t.flags & SPACE, ..t };
        let mut name = self.next_raw()?;
        let open = name.filter(|n| n.is_punct(LPAREN));
        if open.is_some() {
            name = self.next_raw()?;
        }
        match name {
            Some(n) if n.kind == Kind::Ident => {
                if self.table.contains_key(&n.sym) {
                    result.sym = ONE;
                }
                if let Some(open) = open {
                    let close = self.next_raw()?;
                    if !close.is_some_and(|c| c.is_punct(RPAREN)) {
                        let span = close.map_or_else(|| self.token_span(&n), |c| self.token_span(&c));
                        let d = Diagnostic::error("missing `)` after `defined`", span)
                            .with_label("expected `)`")
                            .with_secondary(self.token_span(&open), "to close this `(`");
                        self.error(d);
                    }
                }
            }
            other => {
                let span = other.map_or_else(|| self.token_span(&t), |o| self.token_span(&o));
                self.error(
                    Diagnostic::error("operator `defined` requires an identifier", span)
                        .with_label("expected a macro name"),
                );
            }
        }
        Ok(result)
    }

    /// Reads a function-like macro's arguments after its `(`; `None` (after an error) if they are
    /// unterminated or do not match the parameters.
    #[allow(clippy::type_complexity)]
    fn collect_args(&mut self, m: usize, name: &Token) -> R<Option<(Vec<Vec<Token>>, Token)>> {
        let params = self.macros[m].params.len();
        let variadic = matches!(self.macros[m].kind, MacroKind::Function { variadic: true });
        let mut args: Vec<Vec<Token>> = vec![Vec::new()];
        let mut depth = 0usize;
        let close = loop {
            let t = match self.next_raw()? {
                Some(t) if t.kind != Kind::Eof => t,
                _ => {
                    let span = self.token_span(name);
                    let macro_name = self.spelling(name).to_string();
                    self.error(
                        Diagnostic::error(
                            format!("unterminated argument list invoking macro `{macro_name}`"),
                            span,
                        )
                        .with_label("its `(` is never closed"),
                    );
                    return Ok(None);
                }
            };
            self.out.add_newlines(t.nl);
            let mut t = t;
            if t.nl > 0 {
                t.flags = (t.flags | SPACE) & !lex::CLEAN_GAP;
                t.nl = 0;
            }
            t.flags &= !lex::BOL;
            if t.is_punct(LPAREN) {
                depth += 1;
            } else if t.is_punct(RPAREN) {
                if depth == 0 {
                    break t;
                }
                depth -= 1;
            } else if t.is_punct(COMMA) && depth == 0 && !(variadic && args.len() == params) {
                args.push(Vec::new());
                continue;
            }
            args.last_mut().expect("at least one argument").push(t);
        };
        let given = if args.len() == 1 && args[0].is_empty() && params == 0 { 0 } else { args.len() };
        if given == 0 && params == 0 {
            args.clear();
        } else if variadic && given == params - 1 {
            // GNU: the variadic argument may be left out entirely.
            args.push(Vec::new());
        } else if given != params {
            let span = self.span_of_invocation(name, &close);
            let macro_name = self.spelling(name).to_string();
            let takes = match (params, variadic) {
                (1, false) => "1 argument".to_string(),
                (n, false) => format!("{n} arguments"),
                (n, true) => format!("at least {} arguments", n - 1),
            };
            let mut d = Diagnostic::error(
                format!(
                    "macro `{macro_name}` takes {takes}, but {given} {} given",
                    if given == 1 { "was" } else { "were" }
                ),
                span,
            );
            if let Some(def) = self.macros[m].defined_at {
                d = d.with_secondary(def, "defined here");
            }
            self.error(d);
            return Ok(None);
        }
        Ok(Some((args, close)))
    }

    fn span_of_invocation(&self, name: &Token, close: &Token) -> Span {
        let (a, b) = (self.token_span(name), self.token_span(close));
        if a.file == b.file && b.end >= a.start { a.to(b) } else { a }
    }

    /// The site index for an invocation: the outermost invocation when the name itself came from one,
    /// else the name through the closing parenthesis.
    fn site_for(&mut self, name: &Token, close: Option<&Token>) -> u32 {
        if name.site != NO_SITE {
            if let Some(close) = close.filter(|c| c.site == NO_SITE) {
                let outer = self.sites[name.site as usize];
                let end = self.token_span(close);
                if end.file == outer.file && end.end > outer.end {
                    self.sites.push(Span { end: end.end, ..outer });
                    return (self.sites.len() - 1) as u32;
                }
            }
            return name.site;
        }
        let span = match close {
            Some(close) => self.span_of_invocation(name, close),
            None => self.token_span(name),
        };
        self.sites.push(span);
        (self.sites.len() - 1) as u32
    }

    fn expand_object(&mut self, m: usize, name: Token) -> R<()> {
        let site = self.site_for(&name, None);
        let mut out: Vec<Token> = self.macros[m].body.iter().map(|b| Token { site, nl: 0, ..*b }).collect();
        if out.iter().any(|t| t.kind == Kind::Paste) {
            out = self.paste_pass(out, site);
        }
        self.finish_expansion(m, name, out, site)
    }

    fn expand_builtin(&mut self, m: usize, name: Token) -> R<()> {
        let site = self.site_for(&name, None);
        let span = self.sites[site as usize];
        let (kind, text) = if self.macros[m].kind == MacroKind::Line {
            (Kind::Number, self.presumed_line(span).to_string())
        } else {
            (Kind::Str, format!("\"{}\"", escape(&self.presumed_name())))
        };
        let sym = self.interner.intern(&text);
        let token = Token { kind, sym, flags: 0, site, nl: 0, gap: 0, ..name };
        self.finish_expansion(m, name, vec![token], site)
    }

    fn expand_function(&mut self, m: usize, name: Token, args: Vec<Vec<Token>>, close: Token) -> R<()> {
        let site = self.site_for(&name, Some(&close));
        let body = self.macros[m].body.clone();
        let variadic_param = match self.macros[m].kind {
            MacroKind::Function { variadic: true } => Some(self.macros[m].params.len() - 1),
            _ => None,
        };
        let mut expanded: Vec<Option<Vec<Token>>> = vec![None; args.len()];
        let mut out = Vec::with_capacity(body.len() + args.iter().map(Vec::len).sum::<usize>());
        for (i, b) in body.iter().enumerate() {
            match b.kind {
                Kind::Param => {
                    let p = b.sym as usize;
                    let pasted = body.get(i + 1).is_some_and(|n| n.kind == Kind::Paste)
                        || (i > 0 && body[i - 1].kind == Kind::Paste);
                    let from_va = variadic_param == Some(p);
                    let start = out.len();
                    if pasted {
                        // Operands of `##` are the arguments as written, not expanded.
                        if args[p].is_empty() {
                            let flags = if from_va { FROM_VA } else { 0 };
                            out.push(Token { kind: Kind::Placemarker, flags, site, nl: 0, ..*b });
                        } else {
                            out.extend_from_slice(&args[p]);
                        }
                    } else {
                        if expanded[p].is_none() {
                            let in_if = self.in_if;
                            expanded[p] = Some(self.expand_isolated(args[p].clone(), in_if)?);
                        }
                        out.extend_from_slice(expanded[p].as_deref().unwrap_or_default());
                    }
                    if let Some(first) = out.get_mut(start) {
                        first.flags = (first.flags & !SPACE) | (b.flags & SPACE);
                        if from_va {
                            first.flags |= FROM_VA;
                        }
                    }
                }
                Kind::Stringify => {
                    let token = self.stringify(&args[b.sym as usize], b, site);
                    out.push(token);
                }
                _ => out.push(Token { site, nl: 0, ..*b }),
            }
        }
        if body.iter().any(|t| t.kind == Kind::Paste) {
            out = self.paste_pass(out, site);
        }
        self.finish_expansion(m, name, out, site)
    }

    /// Pushes a macro's replacement for rescanning; it takes the place (line and spacing) of the name.
    fn finish_expansion(&mut self, m: usize, name: Token, mut out: Vec<Token>, site: u32) -> R<()> {
        out.retain(|t| t.kind != Kind::Placemarker);
        for t in &mut out {
            t.flags &= !(FROM_VA | lex::BOL);
        }
        // Only the first token can start a line: the one that takes the name's place.
        match out.first_mut() {
            Some(first) => {
                first.nl = name.nl;
                first.flags = (first.flags & !(SPACE | lex::BOL)) | (name.flags & (SPACE | lex::BOL));
            }
            None => self.out.add_newlines(name.nl),
        }
        self.push_context(out, Some(m), site)
    }

    /// `#param`: the argument as written, as a string literal.
    fn stringify(&mut self, arg: &[Token], hash: &Token, site: u32) -> Token {
        let mut s = String::from("\"");
        for (i, t) in arg.iter().enumerate() {
            if i > 0 && t.has(SPACE) {
                s.push(' ');
            }
            let spelling = self.interner.get(t.sym);
            if matches!(t.kind, Kind::Str | Kind::Char) {
                s.push_str(&escape(spelling));
            } else {
                s.push_str(spelling);
            }
        }
        s.push('"');
        let sym = self.interner.intern(&s);
        Token { kind: Kind::Str, sym, flags: hash.flags & SPACE, site, nl: 0, ..*hash }
    }

    /// Applies the `##` operators of a substituted replacement list, left to right.
    fn paste_pass(&mut self, tokens: Vec<Token>, site: u32) -> Vec<Token> {
        let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
        let mut i = 0;
        while i < tokens.len() {
            let t = tokens[i];
            i += 1;
            if t.kind != Kind::Paste {
                out.push(t);
                continue;
            }
            let (Some(lhs), Some(&rhs)) = (out.pop(), tokens.get(i)) else { continue };
            i += 1;
            // GNU: `, ## __VA_ARGS__` drops the comma when the variadic argument is empty, and is a
            // plain comma followed by the arguments otherwise.
            if lhs.is_punct(COMMA) && rhs.has(FROM_VA) {
                if rhs.kind != Kind::Placemarker {
                    out.push(lhs);
                    out.push(rhs);
                }
                continue;
            }
            match (lhs.kind, rhs.kind) {
                (Kind::Placemarker, _) => out.push(Token { flags: rhs.flags | (lhs.flags & SPACE), ..rhs }),
                (_, Kind::Placemarker) => out.push(lhs),
                _ => match self.paste(&lhs, &rhs, site) {
                    Some(pasted) => out.push(pasted),
                    None => {
                        out.push(lhs);
                        out.push(rhs);
                    }
                },
            }
        }
        out
    }

    /// One `a ## b`: the token their spellings make together, or an error if they make no single token.
    fn paste(&mut self, lhs: &Token, rhs: &Token, site: u32) -> Option<Token> {
        let text = format!("{}{}", self.interner.get(lhs.sym), self.interner.get(rhs.sym));
        let (tokens, errors) = lex::lex(&text, u32::MAX, self.interner);
        if errors.is_empty()
            && tokens.len() == 2
            && tokens[0].gap == 0
            && tokens[1].gap == 0
            && !tokens[0].has(UNTERMINATED)
        {
            let kind = if tokens[0].kind == Kind::Punct && tokens[0].sym == lex::HASHHASH {
                Kind::Punct
            } else {
                tokens[0].kind
            };
            return Some(Token {
                kind,
                sym: tokens[0].sym,
                flags: lhs.flags & SPACE,
                site,
                nl: 0,
                gap: 0,
                ..*lhs
            });
        }
        let span = self.sites[site as usize];
        let (a, b) = (self.interner.get(lhs.sym).to_string(), self.interner.get(rhs.sym).to_string());
        self.error(
            Diagnostic::error(
                format!("pasting `{a}` and `{b}` does not give a valid preprocessing token"),
                span,
            )
            .with_label("in this expansion"),
        );
        None
    }

    /// Fully macro-expands `tokens` on their own (a macro argument, or a directive's operand): nothing
    /// past their end is read, and macros being expanded around them stay disabled.
    pub(crate) fn expand_isolated(&mut self, tokens: Vec<Token>, in_if: bool) -> R<Vec<Token>> {
        let needs_work = tokens.iter().any(|t| {
            t.kind == Kind::Ident
                && !t.has(PAINTED)
                && (self.table.contains_key(&t.sym) || (in_if && t.sym == DEFINED))
        });
        if !needs_work {
            return Ok(tokens);
        }
        if self.isolation_depth >= MAX_ARGUMENT_NESTING {
            let span = self.token_span(&tokens[0]);
            self.error(
                Diagnostic::error("macro invocations nested too deeply in macro arguments", span)
                    .with_label(format!("more than {MAX_ARGUMENT_NESTING} levels deep")),
            );
            return Err(Fatal);
        }
        self.isolation_depth += 1;
        let floor = self.contexts.len();
        let saved_floor = self.floor.replace(floor);
        let saved_if = std::mem::replace(&mut self.in_if, in_if);
        self.contexts.push(Context { tokens, pos: 0, macro_index: None });
        let mut out = Vec::new();
        let result = loop {
            match self.next_expanded() {
                Ok(Some(t)) => out.push(t),
                Ok(None) => break Ok(()),
                Err(f) => break Err(f),
            }
        };
        while self.contexts.len() > floor {
            self.pop_context();
        }
        self.floor = saved_floor;
        self.in_if = saved_if;
        self.isolation_depth -= 1;
        result.map(|()| out)
    }

    /// Reports a painted-blue macro name once per macro and invocation site.
    fn report_recursion(&mut self, m: usize, t: &Token) {
        if !self.reported_recursion.insert((m, t.site)) {
            return;
        }
        let chain: Vec<usize> = match self.contexts.iter().position(|c| c.macro_index == Some(m)) {
            Some(i) => self.contexts[i..].iter().filter_map(|c| c.macro_index).collect(),
            None => vec![m],
        };
        let names: Vec<String> =
            chain.iter().map(|&i| self.interner.get(self.macros[i].name).to_string()).collect();
        let name = &names[0];
        let label = if names.len() <= 1 {
            format!("`{name}` expands to itself")
        } else {
            let through: Vec<String> = names[1..].iter().map(|n| format!("`{n}`")).collect();
            format!("`{name}` expands to itself through {}", through.join(", "))
        };
        let mut d =
            Diagnostic::error(format!("recursive macro `{name}`"), self.token_span(t)).with_label(label);
        for &i in &chain {
            if let Some(def) = self.macros[i].defined_at {
                let n = self.interner.get(self.macros[i].name);
                d = d.with_secondary(def, format!("`{n}` is defined here"));
            }
        }
        d = d.with_note(format!(
            "C leaves the inner `{name}` unexpanded, so the output would still contain `{name}`; a `.defs` file never means that"
        ));
        self.error(d);
    }
}

/// Escapes `\` and `"` for a string literal.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
