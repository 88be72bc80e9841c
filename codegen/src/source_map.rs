//! Mapping positions in preprocessed text back to the files they came from.
//!
//! A generator that preprocesses its input (migc runs a C preprocessor over `.defs`) parses text that
//! exists in no file. The preprocessor records, for each stretch of its output, where that stretch came
//! from: copied verbatim from a file, or produced by a macro expansion whose invocation sits somewhere in
//! a file. Every span the parser finds is then translated through [`SourceMap::span`], so diagnostics point
//! into the user's file, through includes and macro expansion.

use std::ops::Range;

use crate::diagnostics::{FileId, Span};

/// Where one stretch of preprocessed text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Copied from `file` starting at byte `start`; offsets inside the stretch map one to one.
    Verbatim {
        /// The file.
        file: FileId,
        /// Byte offset in the file of the stretch's first byte.
        start: usize,
    },
    /// Produced by expanding a macro; every byte of the stretch maps to the invocation.
    Expansion {
        /// The macro invocation (name and arguments) in the file that used it.
        site: Span,
    },
}

/// Stretches of preprocessed text and their origins, in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// `(first byte of the stretch in the preprocessed text, origin)`, sorted by the first field.
    segments: Vec<(usize, Origin)>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares that preprocessed text from `text_offset` on (up to the next segment) comes from `origin`.
    /// Offsets must be pushed in increasing order; pushing the same offset again replaces the origin.
    pub fn push(&mut self, text_offset: usize, origin: Origin) {
        if let Some(last) = self.segments.last_mut() {
            debug_assert!(last.0 <= text_offset, "source map segments must be pushed in order");
            if last.0 == text_offset {
                last.1 = origin;
                return;
            }
            // A verbatim stretch that continues the previous one needs no new segment.
            if let (Origin::Verbatim { file: f1, start: s1 }, Origin::Verbatim { file: f2, start: s2 }) =
                (last.1, origin)
                && f1 == f2
                && s1 + (text_offset - last.0) == s2
            {
                return;
            }
        }
        self.segments.push((text_offset, origin));
    }

    /// Number of segments (for tests and statistics).
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The origin of one byte of preprocessed text, as a span of the original file.
    pub fn locate(&self, text_offset: usize) -> Option<Span> {
        let i = self.segments.partition_point(|(start, _)| *start <= text_offset).checked_sub(1)?;
        let (seg_start, origin) = self.segments[i];
        Some(match origin {
            Origin::Verbatim { file, start } => {
                let at = start + (text_offset - seg_start);
                Span { file, start: at, end: at + 1 }
            }
            Origin::Expansion { site } => site,
        })
    }

    /// Translates a range of preprocessed text to a span of the original file.
    ///
    /// The result starts where the range's first byte came from. If the last byte came from the same file,
    /// the span reaches it; otherwise (the range crosses an include or ends inside a macro expansion
    /// elsewhere) it is cut to the first stretch, which is where a reader should look.
    pub fn span(&self, range: Range<usize>) -> Option<Span> {
        let first = self.locate(range.start)?;
        if range.end <= range.start + 1 {
            return Some(Span { end: first.end.max(first.start + range.len()), ..first });
        }
        let last = self.locate(range.end - 1)?;
        if last.file == first.file && last.end >= first.start {
            Some(Span { file: first.file, start: first.start, end: last.end.max(first.end) })
        } else {
            Some(first)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_and_expansion_stretches() {
        // text: "abc" from file 0 at 10, "XYZ" from expanding a macro at file 0 20..25, "de" from file 1 at 0.
        let mut map = SourceMap::new();
        map.push(0, Origin::Verbatim { file: 0, start: 10 });
        map.push(3, Origin::Expansion { site: Span { file: 0, start: 20, end: 25 } });
        map.push(6, Origin::Verbatim { file: 1, start: 0 });
        assert_eq!(map.locate(1), Some(Span { file: 0, start: 11, end: 12 }));
        assert_eq!(map.locate(4), Some(Span { file: 0, start: 20, end: 25 }));
        assert_eq!(map.span(0..3), Some(Span { file: 0, start: 10, end: 13 }));
        assert_eq!(map.span(1..5), Some(Span { file: 0, start: 11, end: 25 }));
        assert_eq!(map.span(2..8), Some(Span { file: 0, start: 12, end: 13 }));
        assert_eq!(map.span(6..8), Some(Span { file: 1, start: 0, end: 2 }));
    }

    #[test]
    fn contiguous_verbatim_pushes_merge() {
        let mut map = SourceMap::new();
        map.push(0, Origin::Verbatim { file: 0, start: 0 });
        map.push(5, Origin::Verbatim { file: 0, start: 5 });
        assert_eq!(map.len(), 1);
    }
}
