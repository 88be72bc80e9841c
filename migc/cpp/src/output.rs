//! Writing the preprocessed text and its source map.
//!
//! A token read straight from a file whose gap from the previous written token is plain whitespace is
//! written together with that gap, byte for byte, so a comment-free stretch of a file comes out as it
//! went in and takes one source-map segment. Elsewhere the writer keeps the file's newlines (directive
//! lines and comments become empty lines, so the lines of the main file keep their numbers until the
//! first include), keeps indentation, writes one space where the source had whitespace or a comment,
//! and adds one where two tokens would otherwise run together into a different token.

use codegen::{FileId, Origin, SourceMap};

use crate::lex::{BOL, CLEAN_GAP, Kind, NO_SITE, SPACE, SPLICED, Token, punct_len};
use crate::pp::Preprocessor;

#[derive(Debug, Default)]
pub(crate) struct Emitter {
    text: String,
    map: SourceMap,
    /// Newlines of consumed lines (directives, skipped groups, arguments) not written yet.
    pending: u32,
    /// `(file, end)` of the last written token when it came straight from a file.
    last_file_end: Option<(u32, u32)>,
    /// Kind and last byte of the last written token.
    last: Option<(Kind, u8)>,
    last_origin: Option<Origin>,
}

impl Emitter {
    pub(crate) fn add_newlines(&mut self, n: u32) {
        self.pending += n;
    }

    pub(crate) fn discard_pending(&mut self) {
        self.pending = 0;
    }

    fn origin(&mut self, origin: Origin) {
        if matches!(origin, Origin::Expansion { .. }) && self.last_origin == Some(origin) {
            return;
        }
        self.map.push(self.text.len(), origin);
        self.last_origin = Some(origin);
    }

    fn newlines(&mut self, n: u32) {
        for _ in 0..n {
            self.text.push('\n');
        }
    }

    /// Writes the newlines still pending at the end of the main file.
    pub(crate) fn finish(&mut self, main: FileId, main_len: usize) {
        if self.pending > 0 {
            let n = std::mem::take(&mut self.pending);
            self.origin(Origin::Verbatim { file: main, start: main_len.saturating_sub(n as usize) });
            self.newlines(n);
        }
    }

    pub(crate) fn into_parts(self) -> (String, SourceMap) {
        (self.text, self.map)
    }

    /// Whether writing a token of `kind` starting with `first` right after the last token would make
    /// a tokenizer read them differently.
    fn would_paste(&self, kind: Kind, first: u8) -> bool {
        let Some((last_kind, last)) = self.last else { return false };
        let wordish = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
        match last_kind {
            Kind::Ident | Kind::Number => {
                wordish(first)
                    || matches!(kind, Kind::Str | Kind::Char | Kind::Number)
                    || (last_kind == Kind::Number
                        && (first == b'.'
                            || (matches!(first, b'+' | b'-') && matches!(last, b'e' | b'E' | b'p' | b'P'))))
            }
            Kind::Punct | Kind::Other => {
                (kind == Kind::Punct && punct_len(last, Some(first), None) >= 2)
                    || (last == b'/' && matches!(first, b'/' | b'*'))
                    || (last == b'.' && (first.is_ascii_digit() || first == b'.'))
                    || (last == b'\\' && first == b'\n')
            }
            _ => false,
        }
    }
}

/// Where the run of spaces and tabs before `start` begins, if it starts a line.
fn indentation_start(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    while i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == 0 || bytes[i - 1] == b'\n' { i } else { start }
}

impl Preprocessor<'_> {
    /// Writes one token of the final output.
    pub(crate) fn emit(&mut self, t: Token) {
        let from_file = t.site == NO_SITE;
        let info = &self.files[t.file as usize];
        let (id, text) = (info.id, info.text.clone());
        let spelling: &str = if from_file && !t.has(SPLICED) {
            &text[t.start as usize..t.end as usize]
        } else {
            self.interner.get(t.sym)
        };
        let out = &mut self.out;
        let gap_start = t.start - t.gap;
        if from_file
            && out.pending == 0
            && t.has(CLEAN_GAP)
            && !t.has(SPLICED)
            && out.last_file_end == Some((t.file, gap_start))
        {
            out.origin(Origin::Verbatim { file: id, start: gap_start as usize });
            out.text.push_str(&text[gap_start as usize..t.end as usize]);
        } else {
            // Newlines inside a token's line (a comment or an invocation spanning lines) are written
            // before the next line's first token instead, so a mid-line `#` never starts a line.
            let n = if t.has(BOL) {
                std::mem::take(&mut out.pending) + t.nl
            } else {
                out.pending += t.nl;
                0
            };
            let origin = if from_file {
                Origin::Verbatim { file: id, start: t.start as usize }
            } else {
                Origin::Expansion { site: self.sites[t.site as usize] }
            };
            if n > 0 {
                if from_file {
                    let indent = if t.has(BOL) {
                        indentation_start(&text, t.start as usize)
                    } else {
                        t.start as usize
                    };
                    out.origin(Origin::Verbatim { file: id, start: indent.saturating_sub(n as usize) });
                    out.newlines(n);
                    out.origin(Origin::Verbatim { file: id, start: indent });
                    out.text.push_str(&text[indent..t.start as usize]);
                } else {
                    out.origin(origin);
                    out.newlines(n);
                }
            } else if !out.text.is_empty()
                && (t.has(SPACE)
                    || t.nl > 0
                    || out.would_paste(t.kind, spelling.as_bytes().first().copied().unwrap_or(b' ')))
            {
                out.text.push(' ');
            }
            out.origin(origin);
            out.text.push_str(spelling);
        }
        out.last_file_end = if from_file && !t.has(SPLICED) { Some((t.file, t.end)) } else { None };
        out.last = Some((t.kind, spelling.as_bytes().last().copied().unwrap_or(b' ')));
    }
}
