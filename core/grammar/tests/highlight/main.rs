//! The highlight tests, test/highlight/, checked as `tree-sitter test` checks them (tree-sitter-cli
//! 0.27.1, src/test_highlight.rs), with the library the CLI highlights with, tree-sitter-highlight,
//! configured as the CLI's `test` configures it: every capture name of queries/highlights.scm is a
//! highlight name of its own (the loader's `use_all_highlight_names`), and no injections or locals
//! query (the grammar has none). A file without assertions passes when it highlights.

mod assertions;
#[path = "../common/mod.rs"]
mod common;

use assertions::{utf8_point, Assertion, Point};
use tree_sitter::Parser;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

fn config() -> HighlightConfiguration {
    let language = tree_sitter_mesh::LANGUAGE.into();
    let mut config = HighlightConfiguration::new(language, "mesh", tree_sitter_mesh::HIGHLIGHTS_QUERY, "", "")
        .expect("highlights.scm compiles");
    let names: Vec<String> = config.names().iter().map(|n| n.to_string()).collect();
    config.configure(&names);
    config
}

/// Each highlighted stretch of `source` as (start, end, highlight index), collected as the CLI's
/// `get_highlight_positions` collects them.
fn highlights(config: &HighlightConfiguration, source: &str) -> Vec<(Point, Point, usize)> {
    let mut highlighter = Highlighter::new();
    let events = highlighter.highlight(config, source.as_bytes(), None, None, |_| None).expect("highlighting starts");
    let (mut row, mut column, mut byte_offset, mut was_newline) = (0, 0, 0, false);
    let (mut stack, mut result) = (Vec::new(), Vec::new());
    let mut chars = source.char_indices();
    for event in events {
        match event.expect("highlighting runs") {
            HighlightEvent::HighlightStart(h) => stack.push(h.0),
            HighlightEvent::HighlightEnd => {
                stack.pop();
            }
            HighlightEvent::Source { start, end } => {
                let mut start_position = tree_sitter::Point::new(row, column);
                while byte_offset < end {
                    if byte_offset <= start {
                        start_position = tree_sitter::Point::new(row, column);
                    }
                    let Some((i, c)) = chars.next() else { break };
                    if was_newline {
                        row += 1;
                        column = 0;
                    } else {
                        column += i - byte_offset;
                    }
                    was_newline = c == '\n';
                    byte_offset = i;
                }
                if let Some(&h) = stack.last() {
                    let end_position = tree_sitter::Point::new(row, column);
                    result.push((utf8_point(start_position, source), utf8_point(end_position, source), h));
                }
            }
        }
    }
    result
}

/// The number of assertions in `source`, or the first that fails (the CLI's `iterate_assertions`):
/// an assertion holds when a highlight spanning its columns has its name (or, negated, does not).
fn check(config: &HighlightConfiguration, source: &str) -> Result<usize, String> {
    let mut parser = Parser::new();
    parser.set_language(&config.language).expect("Mesh grammar loads");
    let assertions = assertions::parse(&mut parser, source)?;
    let highlights = highlights(config, source);
    let names = config.names();
    let mut first = 0;
    for Assertion { position, length, negative, capture } in &assertions {
        let end_column = position.1 + length - 1;
        let mut actual = Vec::new();
        let mut passed = false;
        for &(start, end, h) in &highlights[first..] {
            // Highlights come in order: one that ends at or before this assertion serves no later one.
            if end <= *position {
                first += 1;
                continue;
            }
            if start.0 > position.0 || (start.0 == position.0 && start.1 > end_column) {
                break;
            }
            if (names[h] == capture) == *negative {
                actual.push(format!("'{}'", names[h]));
            } else {
                passed = true;
                break;
            }
        }
        if !passed {
            let actual = if actual.is_empty() { "none.".to_string() } else { actual.join(", ") };
            let not = if *negative { "!" } else { "" };
            return Err(format!(
                "row: {}, column: {end_column}, expected highlight '{not}{capture}', actual highlights: {actual}",
                position.0
            ));
        }
    }
    Ok(assertions.len())
}

#[test]
fn highlight_files() {
    let config = config();
    let files = common::test_files("highlight", false);
    let mut failures = Vec::new();
    for (file, shown) in &files {
        // The CLI picks the language by file type (tree-sitter.json): Mesh's is `.mpl` only.
        assert!(file.extension().is_some_and(|e| e == "mpl"), "{shown}: not a .mpl file");
        let source = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{shown}: {e}"));
        match check(&config, &source) {
            Ok(count) => println!("{shown}: {count} assertions"),
            Err(e) => failures.push(format!("{shown}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(!files.is_empty(), "no highlight tests found");
}

#[test]
fn assertions_are_checked() {
    let config = config();
    let source = "fn area(width) do\n# <- keyword\n#  ^^^^ function\n#  ^ !keyword\n  width\n  # <- variable\nend\n";
    assert_eq!(check(&config, source), Ok(4));
    let wrong = "fn area(width) do\n#  ^ string\nend\n";
    assert_eq!(
        check(&config, wrong),
        Err("row: 0, column: 3, expected highlight 'string', actual highlights: 'function'".into())
    );
    let negated = "fn area(width) do\n# <- !keyword\nend\n";
    assert!(check(&config, negated).unwrap_err().contains("expected highlight '!keyword'"));
    let no_line = "# <- keyword\n";
    assert_eq!(check(&config, no_line), Ok(0), "the first line holds no assertion");
}
