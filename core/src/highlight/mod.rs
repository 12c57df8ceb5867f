//! Syntax highlighting from the grammar's `queries/highlights.scm`, as flat, non-overlapping spans.
//!
//! For one node the first matching pattern wins (highlights.scm is written so first-wins and
//! last-wins engines agree), and a node inside another (an interpolation inside a string)
//! paints over its parent.
//!
//! The patterns are matched by one walk over the tree rather than with `tree_sitter::Query`:
//! compiling a query pulls the `regex` crate and its Unicode tables into the page's wasm
//! (2.51 MB → 1.73 MB raw, 917 → 633 KB gzipped without it), and highlights.scm needs only a
//! small subset of the query language (see [`pattern`]).

mod pattern;
#[cfg(test)]
mod query_oracle;
mod regex_subset;

use crate::parse::{Change, Parsed};
use pattern::{PatternNode, Patterns};
use std::num::NonZeroU16;
use std::ops::Range;
use tree_sitter::Node;

/// A run of bytes with one highlight class, e.g. `function.call`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub range: Range<usize>,
    pub class: &'static str,
}

/// The parsed highlights patterns; build once, reuse for every file.
pub struct Highlighter {
    patterns: Vec<PatternNode>,
    classes: Vec<&'static str>,
    /// Per node kind id, the pattern nodes that can capture such a node, in pattern order.
    candidates: Vec<Vec<Candidate>>,
}

/// A captured node inside a pattern: `path` leads from the pattern's root to it.
struct Candidate {
    pattern: usize,
    path: Vec<usize>,
    class: usize,
}

impl Default for Highlighter {
    fn default() -> Highlighter {
        Highlighter::new()
    }
}

impl Highlighter {
    pub fn new() -> Highlighter {
        Highlighter::with_query(tree_sitter_mesh::HIGHLIGHTS_QUERY)
    }

    /// Panics when `query` uses syntax outside the supported subset, naming the pattern.
    fn with_query(query: &str) -> Highlighter {
        let language = tree_sitter_mesh::LANGUAGE.into();
        let Patterns { roots, classes } = Patterns::parse(query, &language);
        let mut candidates: Vec<Vec<Candidate>> = (0..language.node_kind_count()).map(|_| Vec::new()).collect();
        fn index(node: &PatternNode, pattern: usize, path: &mut Vec<usize>, out: &mut [Vec<Candidate>]) {
            if let Some(class) = node.capture {
                for &kind in &node.kinds {
                    out[kind as usize].push(Candidate { pattern, path: path.clone(), class });
                }
            }
            for (i, child) in node.children.iter().enumerate() {
                path.push(i);
                index(child, pattern, path, out);
                path.pop();
            }
        }
        for (pattern, root) in roots.iter().enumerate() {
            index(root, pattern, &mut Vec::new(), &mut candidates);
        }
        Highlighter { patterns: roots, classes, candidates }
    }

    /// Highlight spans of `parsed` within `range` (the whole file when `None`), sorted, non-overlapping.
    /// Bytes no pattern captures get no span.
    pub fn spans(&self, parsed: &Parsed, range: Option<Range<usize>>) -> Vec<Span> {
        self.spans_in(parsed, &[range.unwrap_or(0..parsed.source().len())])
    }

    /// `spans` within each of `ranges` (sorted by start), in one walk of the tree: a file's scattered
    /// lines cost the nodes over them, not a walk from the root per line.
    pub fn spans_in(&self, parsed: &Parsed, ranges: &[Range<usize>]) -> Vec<Span> {
        let source = parsed.source();
        // Disjoint, non-empty windows: touching or overlapping ranges merge.
        let mut windows: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges.iter().filter(|r| r.start < r.end) {
            match windows.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => windows.push(r.clone()),
            }
        }
        let (Some(first), Some(last)) = (windows.first(), windows.last()) else { return Vec::new() };
        let (from, to) = (first.start, last.end);
        // The windows a node's bytes meet, as an index range into `windows`.
        let meets = |node: Node| {
            let a = windows.partition_point(|w| w.end <= node.start_byte());
            let b = windows.partition_point(|w| w.start < node.end_byte());
            a..b.max(a)
        };
        // Per window, (node range, class) in pre-order, i.e. outer nodes first so inner ones paint over them.
        let mut painted: Vec<Vec<(Range<usize>, usize)>> = vec![Vec::new(); windows.len()];
        let mut ancestors: Vec<(Node, Option<NonZeroU16>)> = Vec::new();
        let mut cursor = parsed.root().walk();
        'walk: loop {
            let node = cursor.node();
            let field = cursor.field_id();
            if node.start_byte() >= to && !ancestors.is_empty() {
                // This sibling and all after it lie past the last window: go up.
                loop {
                    if !cursor.goto_parent() {
                        break 'walk;
                    }
                    ancestors.pop();
                    if cursor.goto_next_sibling() {
                        continue 'walk;
                    }
                }
            }
            let met = meets(node);
            if !met.is_empty() {
                if let Some(class) = self.class_of(node, field, &ancestors, source) {
                    for w in met {
                        painted[w].push((node.byte_range(), class));
                    }
                }
                if cursor.goto_first_child() {
                    ancestors.push((node, field));
                    // Children ending before the first window are passed over without a match attempt.
                    while cursor.node().end_byte() <= from && cursor.goto_next_sibling() {}
                    continue;
                }
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
                ancestors.pop();
            }
        }
        windows.into_iter().zip(&painted).flat_map(|(window, painted)| paint(painted, window, &self.classes)).collect()
    }

    /// `old`, the spans of the text before `change`, carried over to `parsed`, the text after it:
    /// the changed bytes, widened to whole top-level items (patterns never reach across them), are
    /// painted again; spans before them stay, spans after them move by the change in length.
    /// Equal to `spans(parsed, None)` (tested on random edits), at the cost of the items changed.
    pub fn respans(&self, parsed: &Parsed, old: &[Span], change: &Change) -> Vec<Span> {
        let (new_len, changed) = (parsed.source().len(), &change.range);
        let (mut start, mut end) = (changed.start, changed.end);
        let mut cursor = parsed.root().walk();
        let mut more = cursor.goto_first_child();
        while more {
            let item = cursor.node().byte_range();
            if item.start > changed.end {
                break;
            }
            if item.end >= changed.start {
                (start, end) = (start.min(item.start), end.max(item.end));
            }
            more = cursor.goto_next_sibling();
        }
        // Where `end` was in the old text: the bytes from `end` on are the old text's last ones.
        let Some(old_end) = (end + change.old_len).checked_sub(new_len) else { return self.spans(parsed, None) };
        let shift = |span: &Span| Span { range: span.range.start + end - old_end..span.range.end + end - old_end, class: span.class };
        let mut spans: Vec<Span> = old.iter().take_while(|s| s.range.end <= start).cloned().collect();
        spans.extend(self.spans_in(parsed, &[start..end]));
        let after = old.partition_point(|s| s.range.start < old_end);
        spans.extend(old[after..].iter().map(shift));
        spans
    }

    /// The class of the first pattern that captures `node`.
    fn class_of(&self, node: Node, field: Option<NonZeroU16>, ancestors: &[(Node, Option<NonZeroU16>)], source: &str) -> Option<usize> {
        let candidates = self.candidates.get(node.kind_id() as usize)?;
        candidates.iter().find(|c| self.captures(c, node, field, ancestors, source)).map(|c| c.class)
    }

    /// Whether the candidate's pattern matches with its captured node at `node`.
    fn captures(&self, candidate: &Candidate, node: Node, field: Option<NonZeroU16>, ancestors: &[(Node, Option<NonZeroU16>)], source: &str) -> bool {
        let depth = candidate.path.len();
        let Some(top) = ancestors.len().checked_sub(depth) else { return false };
        // Pattern nodes from the root down to the captured one, against the tree nodes they must be.
        let mut pattern = &self.patterns[candidate.pattern];
        let levels = ancestors[top..].iter().copied().chain([(node, field)]);
        let mut chain = Vec::with_capacity(depth + 1);
        for (level, (tree, field)) in levels.enumerate() {
            if !node_fits(pattern, tree, field, source) {
                return false;
            }
            chain.push((pattern, tree));
            if let Some(&i) = candidate.path.get(level) {
                pattern = &pattern.children[i];
            }
        }
        // Then the siblings the pattern also asks for.
        chain.iter().enumerate().all(|(level, (pattern, tree))| {
            let fixed = candidate.path.get(level).map(|&i| (i, chain[level + 1].1));
            children_fit(&pattern.children, *tree, fixed, source)
        })
    }
}

/// `node` has one of the pattern's kinds, its field, and text its `#match?` accepts.
fn node_fits(pattern: &PatternNode, node: Node, field: Option<NonZeroU16>, source: &str) -> bool {
    pattern.kinds.contains(&node.kind_id())
        && (pattern.field.is_none() || pattern.field == field)
        && pattern.text.as_ref().is_none_or(|regex| regex.is_match(&source[node.byte_range()]))
}

/// The direct children of `parent` include, in order, matches for `patterns`, with the
/// `fixed` pattern child (if any) matched by that exact tree child. Earliest matches first:
/// each pattern child tests one tree child, so greedy finds a match whenever one exists.
fn children_fit(patterns: &[PatternNode], parent: Node, fixed: Option<(usize, Node)>, source: &str) -> bool {
    if patterns.len() <= usize::from(fixed.is_some()) {
        return true;
    }
    let mut cursor = parent.walk();
    if !cursor.goto_first_child() {
        return false;
    }
    let mut next = 0;
    loop {
        let child = cursor.node();
        match fixed {
            Some((i, target)) if child.id() == target.id() => {
                if next != i {
                    return false;
                }
                next += 1;
            }
            Some((i, _)) if next == i => {}
            _ => {
                let pattern = &patterns[next];
                if node_fits(pattern, child, cursor.field_id(), source) && children_fit(&pattern.children, child, None, source) {
                    next += 1;
                }
            }
        }
        if next == patterns.len() {
            return true;
        }
        if !cursor.goto_next_sibling() {
            return false;
        }
    }
}

/// Paints `painted` in order over the window and reads off the runs: each byte gets the class of
/// the last (innermost) range holding it. The ranges are tree nodes in pre-order, so they nest,
/// and one sweep with a stack of open ranges does it in linear time (filling each range's bytes
/// was quadratic in the nesting depth).
fn paint(painted: &[(Range<usize>, usize)], window: Range<usize>, classes: &[&'static str]) -> Vec<Span> {
    let mut runs = Runs { spans: Vec::new(), classes, open: Vec::new(), at: window.start };
    for (r, class) in painted {
        let (start, end) = (r.start.max(window.start), r.end.min(window.end));
        if start < end {
            runs.advance(start);
            runs.open.push((end, *class));
        }
    }
    runs.advance(window.end);
    runs.spans
}

/// The sweep of `paint`: ranges still open at `at`, outermost first, as (end, class).
struct Runs<'c> {
    spans: Vec<Span>,
    classes: &'c [&'static str],
    open: Vec<(usize, usize)>,
    at: usize,
}

impl Runs<'_> {
    /// Emits the runs up to `to`, closing the ranges that end by then.
    fn advance(&mut self, to: usize) {
        while let Some(&(end, class)) = self.open.last() {
            if end > to {
                break;
            }
            self.emit(end, class);
            self.open.pop();
        }
        if let Some(&(_, class)) = self.open.last() {
            self.emit(to, class);
        }
        self.at = self.at.max(to);
    }

    /// The bytes from `at` to `end` have `class`.
    fn emit(&mut self, end: usize, class: usize) {
        if end <= self.at {
            return;
        }
        let class = self.classes[class];
        match self.spans.last_mut() {
            Some(last) if last.range.end == self.at && last.class == class => last.range.end = end,
            _ => self.spans.push(Span { range: self.at..end, class }),
        }
        self.at = end;
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
    fn the_pattern_file_drives_it() {
        let parsed = parse("Geo.scale(x)\n");
        let spans = |query: &str| -> Vec<(&str, &str)> {
            let h = Highlighter::with_query(query);
            h.spans(&parsed, None).into_iter().map(|s| (&parsed.source()[s.range], s.class)).collect()
        };
        assert_eq!(spans("(identifier) @v"), [("Geo", "v"), ("scale", "v"), ("x", "v")]);
        assert_eq!(
            spans("(field_access field: (identifier) @f)\n((identifier) @t (#match? @t \"^[A-Z]\"))\n[\"(\" \")\"] @p"),
            [("Geo", "t"), ("scale", "f"), ("(", "p"), (")", "p")]
        );
        // A field names the child's role: `value:` is `Geo`, not `scale`.
        assert_eq!(spans("(field_access value: (identifier) @m)"), [("Geo", "m")]);
        // A child is a direct child: `x` sits in `arguments`, not in `call`.
        assert_eq!(spans("(call (identifier) @c)"), []);
        assert_eq!(spans("(call (arguments (identifier) @a))"), [("x", "a")]);
    }

    #[test]
    fn a_window_gives_only_its_bytes() {
        let parsed = parse("let reg = Process.whereis(\"r\")\n");
        let spans = Highlighter::new().spans(&parsed, Some(5..19));
        let got: Vec<_> = spans.iter().map(|s| (&parsed.source()[s.range.clone()], s.class)).collect();
        assert_eq!(got, [("eg", "variable"), ("=", "operator"), ("Process", "type"), (".", "punctuation.delimiter"), ("w", "function.call")]);
    }

    #[test]
    #[should_panic(expected = "regex construct `.` not supported in pattern `((identifier) @t (#match? @t \"^[A-Z].\"))`")]
    fn regex_outside_the_subset_panics_naming_the_pattern() {
        Highlighter::with_query("(comment) @c\n\n((identifier) @t (#match? @t \"^[A-Z].\"))\n(integer) @n");
    }

    #[test]
    fn constructs_outside_the_subset_panic_naming_the_pattern() {
        let cases = [
            ("(identifier) @x (#eq? @x \"a\")", "only `(kind …)` nodes"),
            ("((identifier) @x (#eq? @x \"a\"))", "only `(#match? @capture \"regex\")`"),
            ("((identifier) @x (#not-match? @x \"a\"))", "only `(#match? @capture \"regex\")`"),
            ("(call (_) @x)", "only `(kind …)` nodes"),
            ("(call . (identifier) @x)", "unsupported `.`"),
            ("(call (identifier)* @x)", "unsupported `*`"),
            ("(call !function) @x", "unsupported `!function`"),
            ("((identifier) (integer)) @x", "a group holds one pattern"),
            ("[(call (identifier))] @x", "alternatives must be plain"),
            ("(no_such_kind) @x", "unknown node kind \"no_such_kind\""),
            ("(call nope: (identifier) @x)", "unknown field `nope`"),
            ("((identifier) @x (#match? @y \"a\"))", "#match? on an unknown capture"),
        ];
        for (query, message) in cases {
            let panic = std::panic::catch_unwind(|| Highlighter::with_query(query)).err();
            let text = panic.as_ref().and_then(|p| p.downcast_ref::<String>().cloned());
            let text = text.unwrap_or_else(|| panic!("{query} should panic"));
            assert!(text.contains(message) && text.contains("highlights.scm"), "{query}: {text}");
            // Each case is one pattern, except the bare predicate, which reads as a second one.
            let named = text.contains(&format!("in pattern `{query}`")) || text.contains("in pattern `(#eq?");
            assert!(named, "{query}: {text}");
        }
    }

    #[test]
    fn comments_are_comments() {
        assert_eq!(classes("# hi\n"), [("# hi".to_owned(), "comment")]);
    }

    #[test]
    fn respans_after_an_edit_equal_a_fresh_highlight() {
        use crate::parse::Document;
        let h = Highlighter::new();
        let base = include_str!("../../grammar/test/highlight/sample.mpl");
        // Edits that keep, break and mend the structure: a letter, a quote opening a string to the
        // end of the file, a block opener, a deleted line, a pasted function.
        let inserts = ["x", "\"", " do", "#= ", "\nfn pasted() do\n  1\nend\n", ""];
        let mut seed = 7u64;
        let mut doc = Document::new(base);
        let mut spans = h.spans(doc.parsed(), None);
        for step in 0..300 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let text = doc.parsed().source().to_owned();
            let mut at = (seed >> 33) as usize % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let cut = ((seed >> 20) as usize % 12).min(text.len() - at);
            let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(at + c)).unwrap_or(0);
            let insert = inserts[(seed >> 45) as usize % inserts.len()];
            let next = format!("{}{insert}{}", &text[..at], &text[at + cut..]);
            let before = doc.version();
            doc.set_text(&next);
            if doc.version() == before {
                continue;
            }
            spans = h.respans(doc.parsed(), &spans, doc.last_change().unwrap());
            assert_eq!(spans, h.spans(doc.parsed(), None), "step {step}: {insert:?} at {at}, {cut} bytes cut");
        }
    }

    #[test]
    fn several_windows_in_one_walk_equal_one_walk_each() {
        let source = include_str!("../../grammar/test/highlight/sample.mpl");
        let parsed = parse(source);
        let h = Highlighter::new();
        // Every third line (never touching), plus a zero-width window, which holds nothing.
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        let lines: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).step_by(3).collect();
        assert!(lines.len() > 5);
        let one_each: Vec<Span> = lines.iter().flat_map(|r| h.spans(&parsed, Some(r.clone()))).collect();
        let mut windows = lines.clone();
        windows.insert(1, lines[1].start..lines[1].start);
        assert_eq!(h.spans_in(&parsed, &windows), one_each);
        // Touching windows merge: one window over both lines.
        let (a, b) = (starts[0]..starts[1], starts[1]..starts[2]);
        assert_eq!(h.spans_in(&parsed, &[a.clone(), b.clone()]), h.spans(&parsed, Some(a.start..b.end)));
        assert_eq!(h.spans_in(&parsed, &[]), Vec::new());
    }
}
