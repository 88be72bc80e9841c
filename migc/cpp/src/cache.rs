//! Files already read and lexed by this thread, reused by later runs in the same process.
//!
//! migc compiles many `.defs` in one process, and nearly all of them include `std_types.defs` and
//! `mach_types.defs`; lexing those once instead of once per file is most of the preprocessor's time.
//! A cached file is reused only while its size and modification time are unchanged. Token spellings
//! are interned in the same thread-wide table, so cached tokens stay valid from run to run.

use std::cell::RefCell;
use std::io;
use std::path::Path;
use std::rc::Rc;
use std::time::SystemTime;

use rustc_hash::FxHashMap;

use crate::lex::{self, Interner, LexError, Token};

thread_local! {
    pub(crate) static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// A file's text and tokens (with `file` 0; the preprocessor renumbers them).
#[derive(Clone)]
pub(crate) struct Lexed {
    pub text: Rc<str>,
    pub tokens: Rc<[Token]>,
    pub errors: Rc<[LexError]>,
}

pub(crate) struct Entry {
    len: u64,
    modified: Option<SystemTime>,
    lexed: Lexed,
}

#[derive(Default)]
pub(crate) struct Cache {
    pub interner: Interner,
    files: FxHashMap<String, Entry>,
}

impl Cache {
    /// The interner and the file table, borrowed apart.
    pub(crate) fn split(&mut self) -> (&mut Interner, &mut FxHashMap<String, Entry>) {
        (&mut self.interner, &mut self.files)
    }
}

/// Lexes text that is not cached (an in-memory main file, the command line).
pub(crate) fn lex_text(text: String, interner: &mut Interner) -> Lexed {
    let (tokens, errors) = lex::lex(&text, 0, interner);
    Lexed { text: Rc::from(text), tokens: tokens.into(), errors: errors.into() }
}

/// Reads and lexes the file at `path`, or returns the previous result if it has not changed.
pub(crate) fn read(
    files: &mut FxHashMap<String, Entry>,
    interner: &mut Interner,
    path: &Path,
) -> io::Result<Lexed> {
    let key = path.to_string_lossy();
    let meta = std::fs::metadata(path)?;
    let modified = meta.modified().ok();
    if let Some(entry) = files.get(&*key)
        && entry.len == meta.len()
        && entry.modified == modified
        && modified.is_some()
    {
        return Ok(entry.lexed.clone());
    }
    let bytes = std::fs::read(path)?;
    if bytes.len() >= u32::MAX as usize {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "file too large to preprocess"));
    }
    // Invalid UTF-8 is replaced, so positions refer to the text diagnostics show.
    let text =
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let lexed = lex_text(text, interner);
    files.insert(key.into_owned(), Entry { len: meta.len(), modified, lexed: lexed.clone() });
    Ok(lexed)
}
