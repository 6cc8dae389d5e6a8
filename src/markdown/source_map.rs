//! Positions: from byte offsets to the file lines and columns curators see.
//!
//! The body is parsed twice: once as written (to find code), and once after
//! shortcodes were replaced by markers. Positions reported to curators must
//! always be those of the file as written, so every rewritten text carries an
//! [`OffsetMap`] back to the original body, and one [`LineIndex`] turns
//! original offsets into lines and columns.

use std::cell::Cell;
use std::ops::Range;

/// Turns byte offsets into the body into 1-based file lines and columns.
pub(super) struct LineIndex<'s> {
    source: &'s str,
    /// Byte offset where each line of the body starts.
    line_starts: Vec<usize>,
    /// File line of the body's first line.
    first_line: usize,
    /// The last position asked for, (offset, column): positions come mostly
    /// in order, and counting on from there keeps a document that is one
    /// long line from costing quadratic time.
    last: Cell<(usize, usize)>,
}

impl<'s> LineIndex<'s> {
    pub(super) fn new(source: &'s str, first_line: usize) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex {
            source,
            line_starts,
            first_line: first_line.max(1),
            last: Cell::new((0, 1)),
        }
    }

    /// File line and column (in characters, both 1-based) of `offset`.
    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.source, offset);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let (last_offset, last_column) = self.last.get();
        let column = if line_start <= last_offset && last_offset <= offset {
            last_column + self.source[last_offset..offset].chars().count()
        } else {
            self.source[line_start..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        (self.first_line + line, column)
    }

    /// How many characters `span` covers on its first line, at least one
    /// so a caret shows.
    pub(super) fn char_len(&self, span: &Range<usize>) -> usize {
        let start = floor_char_boundary(self.source, span.start);
        let end = floor_char_boundary(self.source, span.end.max(start));
        let first_line = self.source[start..end]
            .split('\n')
            .next()
            .unwrap_or_default();
        first_line.chars().count().max(1)
    }
}

/// The largest char boundary of `text` at or before `offset`.
pub(super) fn floor_char_boundary(text: &str, offset: usize) -> usize {
    if offset >= text.len() {
        return text.len();
    }
    (0..=offset)
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0)
}

/// One stretch of a rewritten text and where it came from.
#[derive(Debug, Clone)]
struct Piece {
    /// Where the stretch starts in the rewritten text.
    rewritten: usize,
    /// Where it starts in the original body.
    original: usize,
    /// Copied byte for byte (offsets inside map one to one), or inserted
    /// (every offset inside maps to `original`).
    copied: bool,
}

/// Where each byte of a rewritten text came from in the original body.
#[derive(Debug, Clone, Default)]
pub(super) struct OffsetMap {
    pieces: Vec<Piece>,
}

impl OffsetMap {
    /// The offset in the original body of `rewritten_offset`.
    pub(super) fn original(&self, rewritten_offset: usize) -> usize {
        let index = self
            .pieces
            .partition_point(|piece| piece.rewritten <= rewritten_offset);
        let Some(piece) = index.checked_sub(1).and_then(|at| self.pieces.get(at)) else {
            return rewritten_offset;
        };
        if piece.copied {
            piece.original + (rewritten_offset - piece.rewritten)
        } else {
            piece.original
        }
    }
}

/// A marker for shortcode `index`, at `range` of the rewritten text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MarkerSpan {
    pub(super) range: Range<usize>,
    pub(super) index: usize,
}

/// Builds a rewritten text piece by piece, remembering where each came from.
#[derive(Debug, Default)]
pub(super) struct Rewriter {
    text: String,
    map: OffsetMap,
    markers: Vec<MarkerSpan>,
}

impl Rewriter {
    /// Copies `original[range]` unchanged.
    pub(super) fn copy(&mut self, original: &str, range: Range<usize>) {
        let Some(part) = original.get(range.clone()) else {
            return;
        };
        if part.is_empty() {
            return;
        }
        self.map.pieces.push(Piece {
            rewritten: self.text.len(),
            original: range.start,
            copied: true,
        });
        self.text.push_str(part);
    }

    /// Inserts text that was not in the original, attributed to `original_offset`.
    pub(super) fn insert(&mut self, text: &str, original_offset: usize) {
        if text.is_empty() {
            return;
        }
        self.map.pieces.push(Piece {
            rewritten: self.text.len(),
            original: original_offset,
            copied: false,
        });
        self.text.push_str(text);
    }

    /// Inserts the marker text of shortcode `index`, attributed to `original_offset`.
    pub(super) fn insert_marker(&mut self, marker: &str, original_offset: usize, index: usize) {
        let start = self.text.len();
        self.insert(marker, original_offset);
        self.markers.push(MarkerSpan {
            range: start..self.text.len(),
            index,
        });
    }

    pub(super) fn finish(self) -> (String, OffsetMap, Vec<MarkerSpan>) {
        (self.text, self.map, self.markers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_file_lines_and_char_columns() {
        let index = LineIndex::new("一二三\nabc", 5);
        assert_eq!(index.position(0), (5, 1));
        assert_eq!(index.position(3), (5, 2));
        assert_eq!(index.position(4), (5, 2), "inside a char rounds down");
        assert_eq!(index.position(10), (6, 1));
        assert_eq!(index.position(12), (6, 3));
        assert_eq!(index.position(999), (6, 4));
        assert_eq!(index.position(11), (6, 2), "backwards after forwards");
        assert_eq!(index.position(3), (5, 2));
    }

    #[test]
    fn rewritten_offsets_map_back() {
        let original = "abc{{x}}def";
        let mut rewriter = Rewriter::default();
        rewriter.copy(original, 0..3);
        rewriter.insert_marker("<!--m-->", 3, 0);
        rewriter.copy(original, 8..11);
        let (text, map, markers) = rewriter.finish();
        assert_eq!(text, "abc<!--m-->def");
        assert_eq!(map.original(1), 1);
        assert_eq!(map.original(5), 3);
        assert_eq!(map.original(12), 9);
        assert_eq!(
            markers,
            vec![MarkerSpan {
                range: 3..11,
                index: 0
            }]
        );
    }
}
