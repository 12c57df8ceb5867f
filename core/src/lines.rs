//! Byte offsets → rows, lines and character columns. One pass over the text builds the index;
//! each query then costs O(log lines) plus at most one 64-byte block, whatever the offset, so
//! reporting many positions in one file stays linear (counting from byte 0 or from the line's
//! start for each one was quadratic on long files and long lines).

use crate::parse::Position;
use tree_sitter::Point;

/// Bytes per block of the continuation-byte counts.
const BLOCK: usize = 64;

pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each row starts. Rows end at `\n`, as tree-sitter counts them.
    starts: Vec<usize>,
    /// Per block, how many UTF-8 continuation bytes precede it; empty when the text is ASCII.
    continuation: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut continuation = Vec::new();
        if !text.is_ascii() {
            let mut seen = 0u32;
            for block in bytes.chunks(BLOCK) {
                continuation.push(seen);
                seen += block.iter().filter(|b| is_continuation(**b)).count() as u32;
            }
        }
        LineIndex { text, starts, continuation }
    }

    fn row(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s <= byte) - 1
    }

    /// Tree-sitter's point (row, byte column) of `byte`.
    pub fn point(&self, byte: usize) -> Point {
        let row = self.row(byte);
        Point { row, column: byte - self.starts[row] }
    }

    /// 1-based line and character column of `byte`.
    pub fn position(&self, byte: usize) -> Position {
        let row = self.row(byte);
        Position { line: row + 1, column: self.chars_between(self.starts[row], byte) + 1 }
    }

    /// The character column (1-based) of a point whose byte offset is `byte`.
    pub fn column(&self, byte: usize, point: Point) -> usize {
        self.chars_between(byte - point.column, byte) + 1
    }

    /// How many characters `text[from..to]` holds.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        (to - from) - (self.continuation_before(to) - self.continuation_before(from))
    }

    fn continuation_before(&self, byte: usize) -> usize {
        if self.continuation.is_empty() {
            return 0;
        }
        let block = byte / BLOCK;
        let tail = &self.text.as_bytes()[block * BLOCK..byte];
        self.continuation[block] as usize + tail.iter().filter(|b| is_continuation(**b)).count()
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_rows_count_line_feeds() {
        let text = format!("ab\r\n{}é x\nlast", "é".repeat(40));
        let lines = LineIndex::new(&text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.point(x), Point { row: 1, column: 83 });
        assert_eq!(lines.position(x), Position { line: 2, column: 43 });
        assert_eq!(lines.column(x, lines.point(x)), 43);
        assert_eq!(lines.position(3), Position { line: 1, column: 4 }, "the \\r belongs to line 1");
        assert_eq!(lines.position(text.len()), Position { line: 3, column: 5 });
    }
}
