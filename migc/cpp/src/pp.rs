//! The preprocessor's state and its outer loop: files and the include stack, directives and
//! conditional groups. Macro expansion lives in `expand.rs`, writing the output in `output.rs`.
//!
//! Every file is lexed once, on first read, into tokens that are shared by every later `#include` of
//! it. Reading is a stack: macro expansion contexts on top (see `expand.rs`), and under them the file
//! being read, whose tokens are taken one by one; a `#` that starts a logical line is a directive and
//! is handled right there, so directives run in order with the text around them, even between a
//! function-like macro's name and its arguments, as GCC does.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use codegen::{Diagnostic, Diagnostics, FileId, Sources, Span};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cache::{self, Cache};
use crate::expr;
use crate::lex::{self, BOL, HASH, Interner, Kind, LT, NO_SITE, SPACE, Sym, Token, UNTERMINATED};
use crate::macros::{self, DefineError, Macro, MacroKind};
use crate::output::Emitter;
use crate::{MacroOption, Options, Output};

/// How deep `#include`s may nest before we call it recursion (GCC's limit too).
pub(crate) const MAX_INCLUDE_DEPTH: usize = 200;

/// An error after which preprocessing cannot sensibly go on (runaway expansion); the diagnostic has
/// already been pushed.
#[derive(Debug)]
pub(crate) struct Fatal;

pub(crate) type R<T> = Result<T, Fatal>;

/// A file that was read, by its index in [`Preprocessor::files`].
pub(crate) struct FileInfo {
    pub id: FileId,
    /// The path it was opened by (or the name it was given), as shown in diagnostics.
    pub name: String,
    pub text: Rc<str>,
    pub tokens: Rc<[Token]>,
}

/// One open conditional group (`#if` ... `#endif`).
struct Cond {
    /// The `#if`/`#ifdef`/`#ifndef` directive, for "unterminated" errors.
    opened: Span,
    /// Its name (`if`, `ifdef` or `ifndef`).
    directive: &'static str,
    /// The `#else`, once seen.
    else_seen: Option<Span>,
    /// Some branch of this group was taken (so later `#elif`/`#else` are skipped).
    taken: bool,
    /// Tokens are being skipped right now.
    skipping: bool,
    /// The enclosing group is skipped, so nothing in this one is ever taken.
    in_skipped: bool,
}

/// A file being read: an entry of the include stack.
struct FileState {
    file: usize,
    tokens: Rc<[Token]>,
    pos: usize,
    conds: Vec<Cond>,
    /// Added to a real line number to get the presumed one (`#line`).
    line_delta: i64,
    /// The presumed file name (`#line N "name"`).
    presumed_name: Option<String>,
}

/// A macro expansion being read (or an argument being pre-expanded when `macro_index` is `None`).
pub(crate) struct Context {
    pub tokens: Vec<Token>,
    pub pos: usize,
    pub macro_index: Option<usize>,
}

pub(crate) struct Preprocessor<'s> {
    pub sources: &'s mut Sources,
    pub interner: &'s mut Interner,
    cache: &'s mut FxHashMap<String, cache::Entry>,
    /// Every definition ever made; [`Preprocessor::table`] points at the live ones.
    pub macros: Vec<Macro>,
    pub table: FxHashMap<Sym, usize>,
    pub files: Vec<FileInfo>,
    by_path: FxHashMap<String, usize>,
    /// Files entered at least once (for `#import`).
    entered: FxHashSet<usize>,
    stack: Vec<FileState>,
    pub contexts: Vec<Context>,
    /// While pre-expanding an argument or a directive's operand: contexts below this index are out of
    /// reach, and no file is read.
    pub floor: Option<usize>,
    /// Evaluating `#if`: `defined` is an operator.
    pub in_if: bool,
    /// Macro invocation sites, indexed by `Token::site`.
    pub sites: Vec<Span>,
    pub diagnostics: Diagnostics,
    pub out: Emitter,
    include_dirs: Vec<PathBuf>,
    dependencies: Vec<PathBuf>,
    /// Tokens produced by expansion since the output last caught up with the file.
    pub expansion_budget_used: usize,
    /// Nesting of argument pre-expansions.
    pub isolation_depth: usize,
    /// `(macro, site)` pairs already reported as recursive.
    pub reported_recursion: FxHashSet<(usize, u32)>,
}

impl<'s> Preprocessor<'s> {
    pub(crate) fn new(options: &Options, sources: &'s mut Sources, cache: &'s mut Cache) -> Self {
        let (interner, cache) = cache.split();
        let mut pp = Preprocessor {
            sources,
            interner,
            cache,
            macros: Vec::new(),
            table: FxHashMap::default(),
            files: Vec::new(),
            by_path: FxHashMap::default(),
            entered: FxHashSet::default(),
            stack: Vec::new(),
            contexts: Vec::new(),
            floor: None,
            in_if: false,
            sites: Vec::new(),
            diagnostics: Diagnostics::new(),
            out: Emitter::default(),
            include_dirs: options.include_dirs.clone(),
            dependencies: Vec::new(),
            expansion_budget_used: 0,
            isolation_depth: 0,
            reported_recursion: FxHashSet::default(),
        };
        for (sym, kind) in [(lex::FILE_MACRO, MacroKind::File), (lex::LINE_MACRO, MacroKind::Line)] {
            pp.define(Macro {
                name: sym,
                kind,
                params: Vec::new(),
                body: Vec::new(),
                defined_at: None,
                disabled: false,
            });
        }
        pp
    }

    /// Runs the `-D`/`-U` options, then the main file (read from disk when `text` is `None`), and
    /// returns the output or every error.
    pub(crate) fn run(
        mut self,
        options: &Options,
        name: &str,
        text: Option<String>,
    ) -> Result<Output, Diagnostics> {
        if !options.macros.is_empty() {
            let mut command_line = String::new();
            for option in &options.macros {
                match option {
                    MacroOption::Define { name, value } => {
                        let value = value.as_deref().unwrap_or("1").replace(['\n', '\r'], " ");
                        command_line.push_str(&format!("#define {name} {value}\n"));
                    }
                    MacroOption::Undefine(name) => command_line.push_str(&format!("#undef {name}\n")),
                }
            }
            let lexed = cache::lex_text(command_line, self.interner);
            let file = self.add_file("<command line>".into(), lexed, None);
            if self.enter(file).is_ok() {
                let _ = self.run_loop();
            }
            self.out.discard_pending();
        }
        if self.diagnostics.has_errors() {
            return Err(self.diagnostics);
        }
        let main = match text {
            Some(text) => {
                let lexed = cache::lex_text(text, self.interner);
                self.add_file(name.to_string(), lexed, None)
            }
            None => match cache::read(self.cache, self.interner, Path::new(name)) {
                Ok(lexed) => self.add_file(name.to_string(), lexed, Some(PathBuf::from(name))),
                Err(e) => {
                    self.diagnostics.push(Diagnostic::unlocated(format!("cannot read `{name}`: {e}")));
                    return Err(self.diagnostics);
                }
            },
        };
        if self.enter(main).is_ok() {
            let _ = self.run_loop();
        }
        let main_info = &self.files[main];
        self.out.finish(main_info.id, main_info.text.len());
        if self.diagnostics.has_errors() {
            return Err(self.diagnostics);
        }
        let (text, map) = self.out.into_parts();
        Ok(Output { text, map, dependencies: self.dependencies, warnings: self.diagnostics })
    }

    /// Reads every token of the files on the stack, expanding and writing them out.
    fn run_loop(&mut self) -> R<()> {
        let base = self.stack.len() - 1;
        loop {
            let Some(t) = self.next_expanded()? else { return Ok(()) };
            if t.kind == Kind::Eof {
                self.leave_file(t);
                if self.stack.len() <= base {
                    return Ok(());
                }
                continue;
            }
            if t.has(UNTERMINATED) {
                let quote = if t.kind == Kind::Char { "'" } else { "\"" };
                let span = self.token_span(&t);
                self.error(
                    Diagnostic::error(format!("missing terminating `{quote}` character"), span)
                        .with_label("this literal is not closed on its line"),
                );
            }
            self.emit(t);
            if self.contexts.is_empty() {
                self.expansion_budget_used = 0;
            }
        }
    }

    // ---- files ----

    /// Registers a file read or lexed for this run and returns its index.
    fn add_file(&mut self, name: String, lexed: cache::Lexed, path: Option<PathBuf>) -> usize {
        let index = self.files.len();
        // Cached tokens are numbered for file 0; renumbering is a copy, far cheaper than lexing.
        let tokens: Rc<[Token]> = if index == 0 {
            lexed.tokens.clone()
        } else {
            lexed.tokens.iter().map(|t| Token { file: index as u32, ..*t }).collect()
        };
        let id = self.sources.add(name.clone(), lexed.text.to_string());
        for e in lexed.errors.iter() {
            self.error(
                Diagnostic::error(e.message, Span::new(id, e.start as usize..e.end as usize))
                    .with_label(e.label),
            );
        }
        if let Some(path) = path {
            self.by_path.insert(name.clone(), index);
            self.dependencies.push(path);
        }
        self.files.push(FileInfo { id, name, text: lexed.text, tokens });
        index
    }

    fn enter(&mut self, file: usize) -> R<()> {
        self.entered.insert(file);
        self.stack.push(FileState {
            file,
            tokens: self.files[file].tokens.clone(),
            pos: 0,
            conds: Vec::new(),
            line_delta: 0,
            presumed_name: None,
        });
        Ok(())
    }

    fn leave_file(&mut self, eof: Token) {
        self.out.add_newlines(eof.nl);
        if let Some(state) = self.stack.pop() {
            for cond in state.conds.iter().rev() {
                let directive = cond.directive;
                self.error(
                    Diagnostic::error(format!("unterminated `#{directive}`"), cond.opened)
                        .with_label(format!("this `#{directive}` has no `#endif`")),
                );
            }
        }
    }

    /// The next token of the file on top of the stack, after running the directives and skipping the
    /// skipped groups before it. `Eof` is returned without being consumed.
    pub(crate) fn file_token(&mut self, consume: bool) -> R<Token> {
        loop {
            let Some(state) = self.stack.last_mut() else {
                // Only reachable through a bug; end the input rather than panic.
                return Ok(Token {
                    kind: Kind::Eof,
                    flags: BOL,
                    sym: 0,
                    file: 0,
                    start: 0,
                    end: 0,
                    site: NO_SITE,
                    nl: 0,
                    gap: 0,
                });
            };
            let t = state.tokens[state.pos];
            if t.kind == Kind::Eof {
                return Ok(t);
            }
            if t.has(BOL) && t.is_punct(HASH) {
                state.pos += 1;
                self.directive(t)?;
                continue;
            }
            if state.conds.last().is_some_and(|c| c.skipping) {
                state.pos += 1;
                self.out.add_newlines(t.nl);
                continue;
            }
            if consume {
                state.pos += 1;
            }
            return Ok(t);
        }
    }

    // ---- spans and diagnostics ----

    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Where a token is, for a diagnostic: its invocation site if a macro produced it.
    pub(crate) fn token_span(&self, t: &Token) -> Span {
        if t.site != NO_SITE {
            return self.sites[t.site as usize];
        }
        let id = self.files.get(t.file as usize).map_or(0, |f| f.id);
        Span::new(id, t.start as usize..t.end.max(t.start + 1) as usize)
    }

    /// From the start of `a` to the end of `b` when they are in the same file, else `a`.
    fn span_between(&self, a: &Token, b: &Token) -> Span {
        let (sa, sb) = (self.token_span(a), self.token_span(b));
        if sa.file == sb.file && sb.end >= sa.start { sa.to(sb) } else { sa }
    }

    pub(crate) fn spelling(&self, t: &Token) -> &str {
        self.interner.get(t.sym)
    }

    /// Spellings joined with single spaces where the source had whitespace (for messages).
    fn joined(&self, tokens: &[Token]) -> String {
        let mut s = String::new();
        for (i, t) in tokens.iter().enumerate() {
            if i > 0 && t.has(SPACE) {
                s.push(' ');
            }
            s.push_str(self.spelling(t));
        }
        s
    }

    fn define_error(&mut self, e: DefineError, fallback: Span) {
        let span = e.at.map_or(fallback, |t| self.token_span(&t));
        self.error(Diagnostic::error(e.message, span).with_label(e.label));
    }

    // ---- directives ----

    /// The rest of the directive's logical line (consumed).
    fn line_tokens(&mut self) -> Vec<Token> {
        let mut line = Vec::new();
        let Some(state) = self.stack.last_mut() else { return line };
        while let Some(&t) = state.tokens.get(state.pos) {
            if t.kind == Kind::Eof || t.has(BOL) {
                break;
            }
            self.out.add_newlines(t.nl);
            let mut t = t;
            if t.nl > 0 {
                t.flags |= SPACE;
                t.nl = 0;
            }
            line.push(t);
            state.pos += 1;
        }
        line
    }

    fn directive(&mut self, hash: Token) -> R<()> {
        self.out.add_newlines(hash.nl);
        let line = self.line_tokens();
        let Some(&name) = line.first() else {
            return Ok(()); // The null directive.
        };
        let at = self.span_between(&hash, &name);
        let skipping = self.stack.last().and_then(|s| s.conds.last()).is_some_and(|c| c.skipping);
        let directive =
            if name.kind == Kind::Ident { self.spelling(&name).to_string() } else { String::new() };
        match directive.as_str() {
            "if" | "ifdef" | "ifndef" => return self.open_conditional(&directive, at, &line, skipping),
            "elif" => return self.elif(at, &line),
            "else" => {
                self.else_directive(at, &line);
                return Ok(());
            }
            "endif" => {
                self.endif(at, &line);
                return Ok(());
            }
            _ if skipping => return Ok(()),
            "define" => self.define_directive(at, &line[1..]),
            "undef" => self.undef_directive(at, &line[1..]),
            "include" => self.include(at, &line[1..], false)?,
            "import" => self.include(at, &line[1..], true)?,
            "line" => {
                let operand = self.expand_isolated(line[1..].to_vec(), false)?;
                self.line_directive(hash, at, &operand, false);
            }
            "error" | "warning" => {
                let text = self.joined(&line[1..]);
                let message =
                    if text.is_empty() { format!("#{directive}") } else { format!("#{directive} {text}") };
                let d = if directive == "error" {
                    Diagnostic::error(message, at).with_label("`#error` directive")
                } else {
                    Diagnostic::warning(message, at).with_label("`#warning` directive")
                };
                self.error(d);
            }
            // Compiler-specific requests and identification strings mean nothing to MIG.
            "pragma" | "ident" | "sccs" => {}
            _ if name.kind == Kind::Number => self.line_directive(hash, at, &line, true),
            _ => {
                let span = self.token_span(&name);
                self.error(
                    Diagnostic::error(format!("unknown directive `#{}`", self.spelling(&name)), span)
                        .with_label("not a preprocessor directive"),
                );
            }
        }
        Ok(())
    }

    fn open_conditional(&mut self, directive: &str, at: Span, line: &[Token], skipping: bool) -> R<()> {
        let value = if skipping {
            false
        } else if directive == "if" {
            self.evaluate(at, &line[1..])?
        } else {
            match line.get(1) {
                None => {
                    self.error(
                        Diagnostic::error(format!("no macro name given in `#{directive}`"), at)
                            .with_label("expected a macro name"),
                    );
                    false
                }
                Some(&name) => {
                    if let Err(e) = macros::check_macro_name(name, self.interner, &format!("#{directive}")) {
                        self.define_error(e, at);
                    }
                    self.extra_tokens(directive, &line[2..]);
                    self.table.contains_key(&name.sym) == (directive == "ifdef")
                }
            }
        };
        if let Some(state) = self.stack.last_mut() {
            let directive = match directive {
                "ifdef" => "ifdef",
                "ifndef" => "ifndef",
                _ => "if",
            };
            state.conds.push(Cond {
                opened: at,
                directive,
                else_seen: None,
                taken: value,
                skipping: !value,
                in_skipped: skipping,
            });
        }
        Ok(())
    }

    fn elif(&mut self, at: Span, line: &[Token]) -> R<()> {
        let Some(cond) = self.stack.last().and_then(|s| s.conds.last()) else {
            self.error(Diagnostic::error("`#elif` without `#if`", at).with_label("no open `#if` here"));
            return Ok(());
        };
        let (else_seen, in_skipped, taken) = (cond.else_seen, cond.in_skipped, cond.taken);
        if let Some(else_span) = else_seen {
            let d = Diagnostic::error("`#elif` after `#else`", at)
                .with_label("this `#elif`")
                .with_secondary(else_span, "the `#else` is here");
            self.error(d);
        }
        // C does not evaluate an `#elif` once a branch was taken, so errors in it do not count.
        let value = if in_skipped || taken { false } else { self.evaluate(at, &line[1..])? };
        if let Some(cond) = self.stack.last_mut().and_then(|s| s.conds.last_mut()) {
            cond.skipping = !value;
            cond.taken |= value;
        }
        Ok(())
    }

    fn else_directive(&mut self, at: Span, line: &[Token]) {
        let Some(cond) = self.stack.last_mut().and_then(|s| s.conds.last_mut()) else {
            self.error(Diagnostic::error("`#else` without `#if`", at).with_label("no open `#if` here"));
            return;
        };
        let previous = cond.else_seen.replace(at);
        cond.skipping = cond.in_skipped || cond.taken;
        cond.taken = true;
        let quiet = cond.in_skipped;
        if let Some(first) = previous {
            let d = Diagnostic::error("`#else` after `#else`", at)
                .with_label("second `#else`")
                .with_secondary(first, "the first `#else` is here");
            self.error(d);
        }
        if !quiet {
            self.extra_tokens("else", &line[1..]);
        }
    }

    fn endif(&mut self, at: Span, line: &[Token]) {
        match self.stack.last_mut().and_then(|s| s.conds.pop()) {
            None => {
                self.error(Diagnostic::error("`#endif` without `#if`", at).with_label("no open `#if` here"))
            }
            Some(cond) if !cond.in_skipped => self.extra_tokens("endif", &line[1..]),
            Some(_) => {}
        }
    }

    /// Warns about tokens after a directive that takes none (GCC does too; `#endif FOO` is common).
    fn extra_tokens(&mut self, directive: &str, extra: &[Token]) {
        if let (Some(first), Some(last)) = (extra.first(), extra.last()) {
            let span = self.span_between(first, last);
            self.error(
                Diagnostic::warning(format!("extra tokens at end of `#{directive}` directive"), span)
                    .with_label("ignored"),
            );
        }
    }

    /// Evaluates an `#if`/`#elif` expression; an error makes the group false.
    fn evaluate(&mut self, at: Span, operand: &[Token]) -> R<bool> {
        let saved = std::mem::replace(&mut self.in_if, true);
        let expanded = self.expand_isolated(operand.to_vec(), true);
        self.in_if = saved;
        let expanded = expanded?;
        match expr::evaluate(&expanded, self.interner) {
            Ok(v) => Ok(v),
            Err(e) => {
                let span = e.at.map_or(at, |t| self.token_span(&t));
                let mut d = Diagnostic::error(e.message, span).with_label(e.label);
                if let Some((t, label)) = e.secondary {
                    d = d.with_secondary(self.token_span(&t), label);
                }
                self.error(d);
                Ok(false)
            }
        }
    }

    fn define_directive(&mut self, at: Span, line: &[Token]) {
        match macros::parse_define(line, self.interner) {
            Ok(mut m) => {
                let name_span = self.token_span(&line[0]);
                m.defined_at = Some(name_span);
                if let Some(&old) = self.table.get(&m.name) {
                    let previous = &self.macros[old];
                    if !previous.same_as(&m) {
                        let name = self.interner.get(m.name).to_string();
                        let mut d = if previous.defined_at.is_none() {
                            Diagnostic::warning(format!("redefining built-in macro `{name}`"), name_span)
                        } else {
                            Diagnostic::warning(format!("`{name}` redefined"), name_span)
                                .with_label("differs from the previous definition")
                        };
                        if let Some(prev) = previous.defined_at {
                            d = d.with_secondary(prev, "previous definition");
                        }
                        self.error(d);
                    }
                }
                self.define(m);
            }
            Err(e) => self.define_error(e, at),
        }
    }

    pub(crate) fn define(&mut self, m: Macro) {
        let index = self.macros.len();
        self.table.insert(m.name, index);
        self.macros.push(m);
    }

    fn undef_directive(&mut self, at: Span, line: &[Token]) {
        let Some(&name) = line.first() else {
            self.error(
                Diagnostic::error("no macro name given in `#undef`", at).with_label("expected a macro name"),
            );
            return;
        };
        if let Err(e) = macros::check_macro_name(name, self.interner, "#undef") {
            self.define_error(e, at);
            return;
        }
        self.extra_tokens("undef", &line[1..]);
        self.table.remove(&name.sym);
    }

    /// `#line N ["file"]` and the line markers `# N ["file" [flags]]` that `cc -E` writes. Positions in
    /// diagnostics and the source map keep pointing at the real bytes of the file that was read; what
    /// changes is what `__LINE__` and `__FILE__` expand to from the next line on.
    fn line_directive(&mut self, hash: Token, at: Span, operand: &[Token], marker: bool) {
        let what = if marker { "line marker" } else { "`#line`" };
        let number = operand.first().filter(|t| t.kind == Kind::Number);
        let Some(n) = number.and_then(|t| self.spelling(t).parse::<u64>().ok()) else {
            let span = operand.first().map_or(at, |t| self.token_span(t));
            self.error(
                Diagnostic::error(format!("{what} expects a line number"), span)
                    .with_label("expected a decimal line number"),
            );
            return;
        };
        let mut rest = &operand[1..];
        let mut name = None;
        // An unterminated name (`# 7 "`) is not a name: it is reported below as an unexpected token.
        if let Some(t) = rest
            .first()
            .filter(|t| t.kind == Kind::Str && !t.has(UNTERMINATED) && self.spelling(t).starts_with('"'))
        {
            let s = self.spelling(t);
            name = Some(s[1..s.len() - 1].to_string());
            rest = &rest[1..];
        }
        // Line markers carry flags (1 to 4) after the name; `#line` takes nothing more.
        let bad = if marker {
            rest.iter()
                .find(|t| !(t.kind == Kind::Number && matches!(self.spelling(t), "1" | "2" | "3" | "4")))
        } else {
            rest.first()
        };
        if let Some(t) = bad {
            let span = self.token_span(t);
            let label = if t.has(UNTERMINATED) { "unterminated file name" } else { "unexpected token" };
            self.error(Diagnostic::error(format!("invalid {what}"), span).with_label(label));
            return;
        }
        let id = self.files[hash.file as usize].id;
        let (line, _) = self.sources.line_col(id, hash.start as usize);
        if let Some(state) = self.stack.last_mut() {
            state.line_delta = n as i64 - (line as i64 + 1);
            if name.is_some() {
                state.presumed_name = name;
            }
        }
    }

    /// The presumed line of a position in the file being read (`__LINE__`).
    pub(crate) fn presumed_line(&self, span: Span) -> i64 {
        let (line, _) = self.sources.line_col(span.file, span.start);
        line as i64 + self.stack.last().map_or(0, |s| s.line_delta)
    }

    /// The presumed name of the file being read (`__FILE__`).
    pub(crate) fn presumed_name(&self) -> String {
        match self.stack.last() {
            Some(state) => state.presumed_name.clone().unwrap_or_else(|| self.files[state.file].name.clone()),
            None => String::new(),
        }
    }

    fn include(&mut self, at: Span, operand: &[Token], import: bool) -> R<()> {
        let directive = if import { "#import" } else { "#include" };
        let Some((name, extra)) = self.header_name(operand)? else {
            let span = operand.first().map_or(at, |t| self.token_span(t));
            self.error(
                Diagnostic::error(format!("`{directive}` expects \"FILENAME\" or <FILENAME>"), span)
                    .with_label("expected a file name"),
            );
            return Ok(());
        };
        if let (Some(first), Some(last)) = (extra.first(), extra.last()) {
            let span = self.span_between(first, last);
            self.error(
                Diagnostic::warning(format!("extra tokens at end of `{directive}` directive"), span)
                    .with_label("ignored"),
            );
        }
        if name.is_empty() {
            self.error(Diagnostic::error("empty file name in `#include`", at));
            return Ok(());
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            let chain: Vec<&str> = self.stack.iter().map(|s| self.files[s.file].name.as_str()).collect();
            let current = chain.last().copied().unwrap_or_default();
            let mut d = Diagnostic::error("`#include` nested too deeply", at)
                .with_label(format!("this would be level {} of nested includes", MAX_INCLUDE_DEPTH + 1));
            if let Some(first) = chain.iter().position(|n| *n == current).filter(|&i| i + 1 < chain.len()) {
                let cycle_end = chain[first + 1..]
                    .iter()
                    .position(|n| *n == current)
                    .map_or(chain.len(), |p| first + 2 + p);
                d = d.with_note(format!("recursive include: {}", chain[first..cycle_end].join(" -> ")));
            }
            self.error(d);
            return Ok(());
        }
        let includer = self.stack.last().map(|s| self.files[s.file].name.clone()).unwrap_or_default();
        let includer_dir = Path::new(&includer).parent().map(Path::to_path_buf).unwrap_or_default();
        let name_path = Path::new(&name);
        let candidates: Vec<PathBuf> = if name_path.is_absolute() {
            vec![name_path.to_path_buf()]
        } else {
            self.include_dirs
                .iter()
                .chain(std::iter::once(&includer_dir))
                .map(|d| d.join(name_path))
                .collect()
        };
        let Some(found) =
            candidates.iter().find(|c| self.by_path.contains_key(&*c.to_string_lossy()) || c.is_file())
        else {
            let searched: Vec<String> = candidates
                .iter()
                .map(|c| c.parent().map_or(String::new(), |p| p.display().to_string()))
                .map(|d| if d.is_empty() { ".".to_string() } else { d })
                .collect();
            self.error(
                Diagnostic::error(format!("`{name}` not found"), at)
                    .with_label("included here")
                    .with_note(format!("searched: {}", searched.join(", "))),
            );
            return Ok(());
        };
        let shown = found.to_string_lossy().into_owned();
        let file = match self.by_path.get(&shown) {
            Some(&file) => file,
            None => match cache::read(self.cache, self.interner, found) {
                Ok(lexed) => self.add_file(shown, lexed, Some(found.clone())),
                Err(e) => {
                    self.error(
                        Diagnostic::error(format!("cannot read `{shown}`: {e}"), at)
                            .with_label("included here"),
                    );
                    return Ok(());
                }
            },
        };
        if import && self.entered.contains(&file) {
            return Ok(());
        }
        self.enter(file)
    }

    /// The file name of an `#include` and the tokens after it, or `None` if the operand is not a name.
    fn header_name(&mut self, operand: &[Token]) -> R<Option<(String, Vec<Token>)>> {
        let Some(&first) = operand.first() else { return Ok(None) };
        if first.kind == Kind::Str && !first.has(UNTERMINATED) && self.spelling(&first).starts_with('"') {
            let s = self.spelling(&first);
            return Ok(Some((s[1..s.len() - 1].to_string(), operand[1..].to_vec())));
        }
        if first.is_punct(LT) && first.site == NO_SITE {
            // `<...>` is one header-name token in C: read it from the raw text, so that `<a//b.h>` or
            // `<a'b.h>` mean what they say.
            let text = self.files[first.file as usize].text.clone();
            let line_end = operand.last().map_or(first.end, |t| t.end) as usize;
            let from = first.end as usize;
            if let Some(gt) = text[from..line_end].find('>') {
                let close = (from + gt + 1) as u32;
                let rest = operand.iter().filter(|t| t.start >= close).copied().collect();
                return Ok(Some((text[from..from + gt].to_string(), rest)));
            }
            return Ok(None);
        }
        // A macro that expands to one of the two forms.
        let expanded = self.expand_isolated(operand.to_vec(), false)?;
        let Some(&first) = expanded.first() else { return Ok(None) };
        if first.kind == Kind::Str && !first.has(UNTERMINATED) && self.spelling(&first).starts_with('"') {
            let s = self.spelling(&first);
            return Ok(Some((s[1..s.len() - 1].to_string(), expanded[1..].to_vec())));
        }
        if first.is_punct(LT)
            && let Some(close) = expanded.iter().position(|t| t.is_punct(lex::GT))
        {
            let name = self.joined(&expanded[1..close]);
            return Ok(Some((name, expanded[close + 1..].to_vec())));
        }
        Ok(None)
    }
}
