//! The highlighter walks the tree with its own reading of highlights.scm; the oracle is the
//! implementation it replaced, built on `tree_sitter::Query` (test-only, so the page's wasm
//! does not carry the regex engine). Both must give identical spans.

use super::{Highlighter, Span};
use crate::parse::{parse, Parsed};
use std::ops::Range;
use std::path::{Path, PathBuf};
use tree_sitter::{Query, QueryCursor, StreamingIterator};

/// The former `Highlighter::spans`, verbatim apart from returning class names directly.
fn oracle(query: &Query, parsed: &Parsed, range: Option<Range<usize>>) -> Vec<(Range<usize>, String)> {
    let source = parsed.source();
    let window = range.unwrap_or(0..source.len());
    let mut cursor = QueryCursor::new();
    cursor.set_byte_range(window.clone());
    let mut painted: Vec<(Range<usize>, u16)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut captures = cursor.captures(query, parsed.root(), source.as_bytes());
    while let Some((m, index)) = captures.next() {
        let capture = m.captures()[*index];
        if seen.insert(capture.node.id()) {
            painted.push((capture.node.byte_range(), capture.index as u16));
        }
    }
    painted.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut classes = vec![u16::MAX; window.len()];
    for (r, class) in painted {
        let start = r.start.max(window.start) - window.start;
        let end = r.end.min(window.end).saturating_sub(window.start);
        if start < end {
            classes[start..end].fill(class);
        }
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i < classes.len() {
        let class = classes[i];
        let run = classes[i..].iter().take_while(|c| **c == class).count();
        if class != u16::MAX {
            spans.push((window.start + i..window.start + i + run, query.capture_names()[class as usize].to_owned()));
        }
        i += run;
    }
    spans
}

fn query() -> Query {
    Query::new(&tree_sitter_mesh::LANGUAGE.into(), tree_sitter_mesh::HIGHLIGHTS_QUERY).unwrap()
}


/// Asserts equality over the whole file and over a few windows; returns the span count.
fn assert_same(name: &str, source: &str, query: &Query, highlighter: &Highlighter) -> usize {
    let parsed = parse(source);
    let len = source.len();
    let mut windows = vec![None, Some(0..len / 2), Some(len / 3..len), Some(len / 4..len / 4 + 40.min(len - len / 4))];
    // Whole lines, as an editor would ask for the visible part.
    let lines: Vec<usize> = source.match_indices('\n').map(|(i, _)| i + 1).collect();
    if lines.len() > 10 {
        windows.push(Some(lines[2]..lines[9]));
    }
    let mut count = 0;
    for window in windows {
        let want = oracle(query, &parsed, window.clone());
        let got: Vec<(Range<usize>, String)> = highlighter
            .spans(&parsed, window.clone())
            .into_iter()
            .map(|Span { range, class }| (range, class.to_owned()))
            .collect();
        if got != want {
            let first = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
            let show = |spans: &[(Range<usize>, String)]| {
                spans[first..].iter().take(4).map(|(r, c)| format!("{:?} {c}", &source[r.clone()])).collect::<Vec<_>>()
            };
            panic!(
                "{name} window {window:?}: first difference at span {first}\n  new:    {:?}\n  oracle: {:?}",
                show(&got),
                show(&want)
            );
        }
        count += want.len();
    }
    count
}

fn mpl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            mpl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "mpl") {
            out.push(path);
        }
    }
}

#[test]
fn same_spans_as_the_query_for_every_mesher_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher");
    let mut files = Vec::new();
    mpl_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 20, "the mesher example is there: {}", files.len());
    let (query, highlighter) = (query(), Highlighter::new());
    let mut spans = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        spans += assert_same(&file.display().to_string(), &source, &query, &highlighter);
    }
    assert!(spans > 10_000, "{spans} spans compared");
}

#[test]
fn same_spans_as_the_query_for_the_grammar_sample() {
    let sample = include_str!("../../grammar/test/highlight/sample.mpl");
    assert!(assert_same("sample.mpl", sample, &query(), &Highlighter::new()) > 100);
}

#[test]
fn same_spans_as_the_query_for_broken_input() {
    let (query, highlighter) = (query(), Highlighter::new());
    let broken = [
        "fn f(x do\n  x + \nend\n",
        "\"unterminated ${name\n",
        "\"a ${b c\" d\n",
        "let = = 3\n",
        "module Foo do\n  struct Point do x :: Int\nend\n",
        "case x do\n  Some(y) -> \n  None ->\nend end end\n",
        "actor A do receive do\n Foo(a, -> end\n",
        "Process.whereis(\"x\", [1, %{a: 2}\n",
        "x.y.z(",
        "((((",
        "%{a => 1, ..m\n",
        "fn f() :: Fun( -> Int do end",
        "",
    ];
    for source in broken {
        assert!(parse(source).has_errors() || source.is_empty(), "{source:?} should not parse cleanly");
        assert_same(source, source, &query, &highlighter);
    }
    // Every file in the example cut off at every 97th byte: many different error shapes.
    let source = include_str!("../../grammar/test/highlight/sample.mpl");
    for end in (0..source.len()).step_by(97).filter(|e| source.is_char_boundary(*e)) {
        assert_same(&format!("sample.mpl[..{end}]"), &source[..end], &query, &highlighter);
    }
}

/// Other pattern files, written to reach what highlights.scm does not: sibling order, capture
/// on an outer node, deeper nesting, regex anchors and repeats, alternations of named nodes.
#[test]
fn same_spans_as_the_query_for_other_pattern_files() {
    let queries = [
        // Siblings in order, not necessarily adjacent: `f(1, x)` matches, `f(x, 1)` does not.
        "(arguments (integer) @i (identifier) @v)\n(interpolation \"${\" @c (identifier) @d \"}\" @e)",
        // A capture on the outer node, with a constraint on a grandchild.
        "(call function: (field_access field: (identifier)) arguments: (arguments)) @x",
        "(call function: (field_access value: (identifier) @m field: (identifier) @f))",
        "((identifier) @k (#match? @k \"^[A-Z][A-Z0-9_]*$\"))\n((identifier) @c (#match? @c \"_[a-z]+$\"))\n(identifier) @v",
        "[(integer) (float) (atom)] @lit\n(string (interpolation (identifier) @in))\n(string) @s",
        // Last pattern first: the reversed highlights.scm, where order matters for `(identifier)`.
        "(identifier) @variable\n(call function: (identifier) @function.call)\n((identifier) @type (#match? @type \"^[A-Z]\"))",
    ];
    let mut files = vec![include_str!("../../grammar/test/highlight/sample.mpl").to_owned()];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher");
    let mut paths = Vec::new();
    mpl_files(&root, &mut paths);
    paths.sort();
    files.extend(paths.iter().take(6).map(|p| std::fs::read_to_string(p).unwrap()));
    for text in queries {
        let query = Query::new(&tree_sitter_mesh::LANGUAGE.into(), text).unwrap();
        let highlighter = Highlighter::with_query(text);
        let spans: usize = files.iter().map(|f| assert_same(text, f, &query, &highlighter)).sum();
        assert!(spans > 0, "{text} captures something");
    }
}
