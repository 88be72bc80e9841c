//! Tokenizing one file into preprocessing tokens, each with its byte range and what lay before it.
//!
//! The preprocessor lexes every file once, up front, into a `Vec<Token>`; directives, macro expansion
//! and output all work on those tokens. A token remembers the whitespace gap before it (how many
//! newlines, whether it held a comment), so the output can copy comment-free stretches of a file byte
//! for byte and keep the file's lines, which keeps the source map small and the output readable.
//! Line continuations (backslash-newline) are removed inside tokens as C's translation phase 2 does.

use std::rc::Rc;

use rustc_hash::FxHashMap;

/// An interned spelling.
pub(crate) type Sym = u32;

/// What kind of preprocessing token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Ident,
    /// A pp-number: `12`, `0x1f`, `1e+5`, `1.2.3` (anything C's preprocessor calls a number).
    Number,
    /// A character constant, with its prefix (`L'a'`).
    Char,
    /// A string literal, with its prefix.
    Str,
    Punct,
    /// A character that belongs to no other token (`@`, a stray backslash).
    Other,
    /// The end of a file; its `nl` counts the newlines after the last token.
    Eof,
    /// In a macro body: parameter number `sym`.
    Param,
    /// In a macro body: `#` applied to parameter number `sym`.
    Stringify,
    /// In a macro body: the `##` operator.
    Paste,
    /// During substitution: an empty argument next to `##`.
    Placemarker,
}

/// Whitespace or a comment came before the token (on its line, or a newline).
pub(crate) const SPACE: u8 = 1;
/// The token is the first of a logical line (a newline outside comments came before it).
pub(crate) const BOL: u8 = 2;
/// The token names a macro that was being expanded when it was read; it never expands (C's "painted blue").
pub(crate) const PAINTED: u8 = 4;
/// The gap before the token is plain whitespace (no comment, no continuation), so it can be copied as is.
pub(crate) const CLEAN_GAP: u8 = 8;
/// The token contains a line continuation, so its spelling is not its raw text.
pub(crate) const SPLICED: u8 = 16;
/// A quote without its closing quote on the same line.
pub(crate) const UNTERMINATED: u8 = 32;
/// During substitution: the first token (or placemarker) of a variadic argument.
pub(crate) const FROM_VA: u8 = 64;

/// `Token::site` when the token comes straight from a file.
pub(crate) const NO_SITE: u32 = u32::MAX;

/// One preprocessing token. Small and `Copy`: the preprocessor moves many of them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: Kind,
    pub flags: u8,
    /// The spelling (for `Param`/`Stringify`, the parameter number).
    pub sym: Sym,
    /// Index of the file (in the preprocessor's file table) the token was read from.
    pub file: u32,
    /// Byte range in that file's text.
    pub start: u32,
    pub end: u32,
    /// Index of the macro invocation this token was produced by, or [`NO_SITE`].
    pub site: u32,
    /// Newlines (including continuations) in the gap before the token, for tokens read from a file.
    pub nl: u32,
    /// Length in bytes of the gap between the previous token of the file and this one.
    pub gap: u32,
}

impl Token {
    pub(crate) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    pub(crate) fn is_punct(&self, sym: Sym) -> bool {
        self.kind == Kind::Punct && self.sym == sym
    }
}

/// Symbols every preprocessor run knows by number (interned first, in this order).
const PREDEFINED: &[&str] =
    &["#", "##", "(", ")", ",", "defined", "__VA_ARGS__", "...", "<", ">", "0", "1", "__FILE__", "__LINE__"];
pub(crate) const HASH: Sym = 0;
pub(crate) const HASHHASH: Sym = 1;
pub(crate) const LPAREN: Sym = 2;
pub(crate) const RPAREN: Sym = 3;
pub(crate) const COMMA: Sym = 4;
pub(crate) const DEFINED: Sym = 5;
pub(crate) const VA_ARGS: Sym = 6;
pub(crate) const ELLIPSIS: Sym = 7;
pub(crate) const LT: Sym = 8;
pub(crate) const GT: Sym = 9;
pub(crate) const ZERO: Sym = 10;
pub(crate) const ONE: Sym = 11;
pub(crate) const FILE_MACRO: Sym = 12;
pub(crate) const LINE_MACRO: Sym = 13;

/// Spellings, interned so that macro lookup and comparisons are integer operations.
#[derive(Debug)]
pub(crate) struct Interner {
    map: FxHashMap<Rc<str>, Sym>,
    strings: Vec<Rc<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner { map: FxHashMap::default(), strings: Vec::new() };
        for s in PREDEFINED {
            interner.intern(s);
        }
        interner
    }
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.map.get(s) {
            return sym;
        }
        let sym = self.strings.len() as Sym;
        let rc: Rc<str> = Rc::from(s);
        self.strings.push(rc.clone());
        self.map.insert(rc, sym);
        sym
    }

    pub(crate) fn get(&self, sym: Sym) -> &str {
        &self.strings[sym as usize]
    }
}

/// A problem the lexer found, as a byte range and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub start: u32,
    pub end: u32,
    pub message: &'static str,
    pub label: &'static str,
}

/// A byte cursor that steps over line continuations, so the lexer sees C's logical characters.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    bytes: &'a [u8],
    /// Always at a byte that is not the start of a continuation.
    pos: usize,
    /// Continuations stepped over so far.
    splices: u32,
    /// Position just after the last logical character consumed (before any continuation that follows).
    last_end: usize,
    /// `splices` at `last_end`.
    last_splices: u32,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let mut cursor = Cursor { bytes, pos: 0, splices: 0, last_end: 0, last_splices: 0 };
        cursor.skip_splices();
        cursor
    }

    fn skip_splices(&mut self) {
        while self.bytes.get(self.pos) == Some(&b'\\') {
            let len = match (self.bytes.get(self.pos + 1), self.bytes.get(self.pos + 2)) {
                (Some(b'\n'), _) => 2,
                (Some(b'\r'), Some(b'\n')) => 3,
                _ => break,
            };
            self.pos += len;
            self.splices += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The logical character after the current one.
    fn peek2(&self) -> Option<u8> {
        let mut next = *self;
        next.bump();
        next.peek()
    }

    fn bump(&mut self) {
        self.pos += 1;
        self.last_end = self.pos;
        self.last_splices = self.splices;
        self.skip_splices();
    }
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80
}

fn is_ident_continue(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit()
}

/// Length of the punctuator starting with `c1 c2 c3`, or 0 when `c1` starts none.
pub(crate) fn punct_len(c1: u8, c2: Option<u8>, c3: Option<u8>) -> usize {
    let c2 = c2.unwrap_or(0);
    let c3 = c3.unwrap_or(0);
    match (c1, c2, c3) {
        (b'<', b'<', b'=') | (b'>', b'>', b'=') | (b'.', b'.', b'.') => 3,
        (b'-', b'>' | b'-' | b'=', _)
        | (b'+', b'+' | b'=', _)
        | (b'<', b'<' | b'=', _)
        | (b'>', b'>' | b'=', _)
        | (b'=' | b'!' | b'*' | b'/' | b'%' | b'^', b'=', _)
        | (b'&', b'&' | b'=', _)
        | (b'|', b'|' | b'=', _)
        | (b'#', b'#', _) => 2,
        (
            b'[' | b']' | b'(' | b')' | b'{' | b'}' | b'.' | b'&' | b'*' | b'+' | b'-' | b'~' | b'!' | b'/'
            | b'%' | b'<' | b'>' | b'^' | b'|' | b'?' | b':' | b';' | b'=' | b',' | b'#',
            _,
            _,
        ) => 1,
        _ => 0,
    }
}

/// Lexes `text` (the contents of file number `file`) into tokens ending with one `Eof` token.
pub(crate) fn lex(text: &str, file: u32, interner: &mut Interner) -> (Vec<Token>, Vec<LexError>) {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len() / 6 + 1);
    let mut errors = Vec::new();
    let mut cur = Cursor::new(bytes);
    let mut prev_end = 0usize;
    let mut prev_splices = 0u32;
    let mut first = true;
    loop {
        // The gap: whitespace, newlines and comments up to the next token.
        let mut nl = 0u32;
        let mut bol = first;
        let mut space = false;
        let mut clean = true;
        loop {
            match cur.peek() {
                Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c) => {
                    space = true;
                    cur.bump();
                }
                Some(b'\n') => {
                    nl += 1;
                    bol = true;
                    space = true;
                    cur.bump();
                }
                Some(b'/') if cur.peek2() == Some(b'*') => {
                    let start = cur.pos;
                    cur.bump();
                    cur.bump();
                    space = true;
                    clean = false;
                    let mut closed = false;
                    // Comments are most of a `.defs` file's bytes: jump to the next byte that matters.
                    while let Some(skip) =
                        bytes[cur.pos..].iter().position(|&c| matches!(c, b'*' | b'\n' | b'\\'))
                    {
                        cur.pos += skip;
                        cur.skip_splices();
                        match cur.peek() {
                            Some(b'*') if cur.peek2() == Some(b'/') => {
                                cur.bump();
                                cur.bump();
                                closed = true;
                                break;
                            }
                            // Kept for the output's line count; a comment does not end a logical line.
                            Some(b'\n') => {
                                nl += 1;
                                cur.bump();
                            }
                            Some(_) => cur.bump(),
                            None => break,
                        }
                    }
                    if !closed {
                        cur.pos = bytes.len();
                    }
                    if !closed {
                        errors.push(LexError {
                            start: start as u32,
                            end: (start + 2) as u32,
                            message: "unterminated comment",
                            label: "this comment is never closed with `*/`",
                        });
                    }
                }
                Some(b'/') if cur.peek2() == Some(b'/') => {
                    space = true;
                    clean = false;
                    // To the end of the line; a continuation continues the comment.
                    while let Some(skip) = bytes[cur.pos..].iter().position(|&c| matches!(c, b'\n' | b'\\')) {
                        cur.pos += skip;
                        cur.skip_splices();
                        match cur.peek() {
                            Some(b'\n') | None => break,
                            Some(_) => cur.bump(),
                        }
                    }
                    if !matches!(cur.peek(), Some(b'\n')) {
                        cur.pos = bytes.len();
                    }
                }
                _ => break,
            }
        }
        if cur.splices != prev_splices {
            clean = false;
            nl += cur.splices - prev_splices;
        }
        let start = cur.pos;
        let mut flags = 0u8;
        if bol {
            flags |= BOL;
        }
        if space {
            flags |= SPACE;
        }
        if clean {
            flags |= CLEAN_GAP;
        }
        let gap = (start - prev_end) as u32;
        let Some(c) = cur.peek() else {
            tokens.push(Token {
                kind: Kind::Eof,
                flags: flags | BOL,
                sym: 0,
                file,
                start: start as u32,
                end: start as u32,
                site: NO_SITE,
                nl,
                gap,
            });
            return (tokens, errors);
        };
        let splices_before = cur.splices;
        let kind = if is_ident_start(c) {
            while cur.peek().is_some_and(is_ident_continue) {
                cur.bump();
            }
            let quote = cur.peek();
            if matches!(quote, Some(b'\'' | b'"')) && is_literal_prefix(&bytes[start..cur.last_end]) {
                lex_quoted(&mut cur, &mut flags)
            } else {
                Kind::Ident
            }
        } else if c.is_ascii_digit() || (c == b'.' && cur.peek2().is_some_and(|d| d.is_ascii_digit())) {
            cur.bump();
            while let Some(d) = cur.peek() {
                if d.is_ascii_alphanumeric() || d == b'_' || d == b'.' {
                    cur.bump();
                    if matches!(d, b'e' | b'E' | b'p' | b'P') && matches!(cur.peek(), Some(b'+' | b'-')) {
                        cur.bump();
                    }
                } else {
                    break;
                }
            }
            Kind::Number
        } else if c == b'\'' || c == b'"' {
            lex_quoted(&mut cur, &mut flags)
        } else {
            let mut look = cur;
            look.bump();
            let c2 = look.peek();
            look.bump();
            let c3 = look.peek();
            match punct_len(c, c2, c3) {
                0 => {
                    cur.bump();
                    Kind::Other
                }
                n => {
                    for _ in 0..n {
                        cur.bump();
                    }
                    Kind::Punct
                }
            }
        };
        let end = cur.last_end;
        let sym = if cur.last_splices != splices_before {
            flags |= SPLICED;
            interner.intern(&remove_splices(&text[start..end]))
        } else {
            interner.intern(&text[start..end])
        };
        tokens.push(Token {
            kind,
            flags,
            sym,
            file,
            start: start as u32,
            end: end as u32,
            site: NO_SITE,
            nl,
            gap,
        });
        prev_end = end;
        prev_splices = cur.last_splices;
        first = false;
    }
}

fn is_literal_prefix(prefix: &[u8]) -> bool {
    matches!(prefix, b"L" | b"u" | b"U" | b"u8")
}

/// Lexes a character constant or string literal whose opening quote is at the cursor. A literal that
/// reaches the end of its line is cut there and flagged, as C compilers do, so that an apostrophe in a
/// skipped group or an `#error` message does not swallow the rest of the file.
fn lex_quoted(cur: &mut Cursor<'_>, flags: &mut u8) -> Kind {
    let quote = cur.peek().unwrap_or(b'"');
    cur.bump();
    loop {
        match cur.peek() {
            None | Some(b'\n') => {
                *flags |= UNTERMINATED;
                break;
            }
            Some(b'\\') => {
                cur.bump();
                if !matches!(cur.peek(), None | Some(b'\n')) {
                    cur.bump();
                }
            }
            Some(c) if c == quote => {
                cur.bump();
                break;
            }
            Some(_) => cur.bump(),
        }
    }
    if quote == b'\'' { Kind::Char } else { Kind::Str }
}

/// The spelling of raw text with its line continuations removed.
fn remove_splices(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('\n') {
            rest = r;
        } else if let Some(r) = after.strip_prefix("\r\n") {
            rest = r;
        } else {
            out.push('\\');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spellings(text: &str) -> Vec<(Kind, String)> {
        let mut interner = Interner::default();
        let (tokens, errors) = lex(text, 0, &mut interner);
        assert!(errors.is_empty(), "{errors:?}");
        tokens
            .iter()
            .filter(|t| t.kind != Kind::Eof)
            .map(|t| (t.kind, interner.get(t.sym).to_string()))
            .collect()
    }

    #[test]
    fn punctuators_numbers_literals() {
        let toks = spellings("a<<=b...c->d ## 1e+5 .5x L'a' u8\"s\\\"\" @");
        let words: Vec<&str> = toks.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            words,
            ["a", "<<=", "b", "...", "c", "->", "d", "##", "1e+5", ".5x", "L'a'", "u8\"s\\\"\"", "@"]
        );
        assert_eq!(toks[10].0, Kind::Char);
        assert_eq!(toks[11].0, Kind::Str);
        assert_eq!(toks[12].0, Kind::Other);
    }

    #[test]
    fn continuations_join_tokens_and_comments_are_gaps() {
        let mut interner = Interner::default();
        let (tokens, _) = lex("ab\\\ncd /* x\ny */ e\n// z\nf", 0, &mut interner);
        let names: Vec<&str> = tokens.iter().map(|t| interner.get(t.sym)).collect();
        assert_eq!(&names[..4], ["abcd", "e", "f", "#"]);
        assert!(tokens[0].has(SPLICED));
        // The comment's newline is counted but does not start a logical line.
        assert_eq!(tokens[1].nl, 1);
        assert!(!tokens[1].has(BOL));
        assert!(tokens[2].has(BOL));
    }

    #[test]
    fn unterminated_literal_stops_at_end_of_line() {
        let mut interner = Interner::default();
        let (tokens, _) = lex("don't stop\nnext", 0, &mut interner);
        assert_eq!(interner.get(tokens[1].sym), "'t stop");
        assert!(tokens[1].has(UNTERMINATED));
        assert_eq!(interner.get(tokens[2].sym), "next");
    }

    #[test]
    fn unterminated_comment_is_an_error() {
        let mut interner = Interner::default();
        let (_, errors) = lex("a /* b", 0, &mut interner);
        assert_eq!(errors[0].start, 2);
    }
}
