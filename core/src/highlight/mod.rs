//! Syntax highlighting from the grammar's `queries/highlights.scm`, as flat, non-overlapping spans.
//!
//! For one node the first matching pattern wins (highlights.scm is written so first-wins and
//! last-wins engines agree), and a node inside another (an interpolation inside a string)
//! paints over its parent.

use crate::parse::Parsed;
use std::ops::Range;
use tree_sitter::{Query, QueryCursor, StreamingIterator};

/// A run of bytes with one highlight class, e.g. `function.call`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub range: Range<usize>,
    pub class: &'static str,
}

/// The compiled highlights query; build once, reuse for every file.
pub struct Highlighter {
    query: Query,
    classes: Vec<&'static str>,
}

impl Default for Highlighter {
    fn default() -> Highlighter {
        Highlighter::new()
    }
}

impl Highlighter {
    pub fn new() -> Highlighter {
        let query = Query::new(&tree_sitter_mesh::LANGUAGE.into(), tree_sitter_mesh::HIGHLIGHTS_QUERY)
            .expect("highlights.scm compiles against the grammar (checked by the grammar's tests)");
        // Capture names live as long as the query; leaking them once gives `&'static` classes.
        let classes = query.capture_names().iter().map(|n| &*String::leak(n.to_string())).collect();
        Highlighter { query, classes }
    }

    /// Highlight spans of `parsed` within `range` (the whole file when `None`), sorted, non-overlapping.
    /// Bytes no pattern captures get no span.
    pub fn spans(&self, parsed: &Parsed, range: Option<Range<usize>>) -> Vec<Span> {
        let source = parsed.source();
        let window = range.unwrap_or(0..source.len());
        let mut cursor = QueryCursor::new();
        cursor.set_byte_range(window.clone());
        // (node range, class), first pattern per node only.
        let mut painted: Vec<(Range<usize>, u16)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut captures = cursor.captures(&self.query, parsed.root(), source.as_bytes());
        while let Some((m, index)) = captures.next() {
            let capture = m.captures()[*index];
            if seen.insert(capture.node.id()) {
                painted.push((capture.node.byte_range(), capture.index as u16));
            }
        }
        // Outer nodes first so inner ones paint over them.
        painted.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut classes = vec![u16::MAX; window.len()];
        for (r, class) in painted {
            let start = r.start.max(window.start) - window.start;
            let end = r.end.min(window.end).saturating_sub(window.start);
            if start < end {
                classes[start..end].fill(class);
            }
        }
        let mut spans: Vec<Span> = Vec::new();
        let mut i = 0;
        while i < classes.len() {
            let class = classes[i];
            let run = classes[i..].iter().take_while(|c| **c == class).count();
            if class != u16::MAX {
                let range = window.start + i..window.start + i + run;
                spans.push(Span { range, class: self.classes[class as usize] });
            }
            i += run;
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn classes(source: &str) -> Vec<(String, &'static str)> {
        let parsed = parse(source);
        Highlighter::new()
            .spans(&parsed, None)
            .into_iter()
            .map(|s| (source[s.range].to_owned(), s.class))
            .collect()
    }

    #[test]
    fn calls_strings_and_keywords() {
        let got = classes("let reg = Process.whereis(\"mesher_registry\")\n");
        assert_eq!(
            got,
            [
                ("let", "keyword"),
                ("reg", "variable"),
                ("=", "operator"),
                ("Process", "type"),
                (".", "punctuation.delimiter"),
                ("whereis", "function.call"),
                ("(", "punctuation.bracket"),
                ("\"mesher_registry\"", "string"),
                (")", "punctuation.bracket"),
            ]
            .map(|(t, c)| (t.to_owned(), c))
        );
    }

    #[test]
    fn interpolation_paints_over_its_string() {
        let got = classes("\"a ${b} c\"\n");
        assert_eq!(got.first(), Some(&("\"a ".to_owned(), "string")));
        assert!(got.contains(&("b".to_owned(), "variable")), "{got:?}");
        assert_eq!(got.last(), Some(&(" c\"".to_owned(), "string")));
    }

    #[test]
    fn comments_are_comments() {
        assert_eq!(classes("# hi\n"), [("# hi".to_owned(), "comment")]);
    }
}
