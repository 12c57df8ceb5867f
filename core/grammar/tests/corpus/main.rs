//! The grammar's corpus, test/corpus/ in tree-sitter's format, checked as `tree-sitter test` checks
//! it (tree-sitter-cli 0.27.1, src/test.rs `run_tests`) but with this crate's parser, so the tests
//! need no tree-sitter CLI.

#[path = "../common/mod.rs"]
mod common;
mod reader;
mod sexp;

use reader::{Case, Expected};
use similar::{ChangeTag, TextDiff};
use tree_sitter::{format_sexp, Parser};

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_mesh::LANGUAGE.into()).expect("Mesh grammar loads");
    parser
}

/// Whether `case` passes; if not, what to show.
fn check(parser: &mut Parser, case: &Case) -> Result<(), String> {
    match &case.expected {
        Expected::Skip => Ok(()),
        Expected::Error => {
            let tree = parser.parse(&case.input, None).expect("a tree");
            if tree.root_node().has_error() {
                Ok(())
            } else {
                let actual = format_sexp(&tree.root_node().to_sexp(), 0);
                Err(format!("expected a tree with an ERROR or MISSING node (`:error`), got:\n{actual}\n"))
            }
        }
        Expected::Tree(expected) => {
            let actual = parser.parse(&case.input, None).expect("a tree").root_node().to_sexp();
            // Fields count only where the expected tree names some.
            let actual = if sexp::has_fields(expected) { actual } else { sexp::strip_fields(&actual) };
            if actual == *expected {
                Ok(())
            } else {
                Err(diff(expected, &actual))
            }
        }
    }
}

/// The two trees one node a line, marked as the CLI marks them.
fn diff(expected: &str, actual: &str) -> String {
    let (expected, actual) = (format_sexp(expected, 0) + "\n", format_sexp(actual, 0) + "\n");
    let mut out = String::from("(+ expected, - actual)\n");
    for change in TextDiff::from_lines(&actual, &expected).iter_all_changes() {
        let sign = match change.tag() {
            ChangeTag::Equal => ' ',
            ChangeTag::Insert => '+',
            ChangeTag::Delete => '-',
        };
        out.push(sign);
        out.push_str(change.value());
    }
    out
}

#[test]
fn corpus() {
    let files = common::test_files("corpus", true);
    let mut parser = parser();
    let (mut ran, mut skipped, mut failures) = (0, 0, Vec::new());
    for (file, shown) in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{shown}: {e}"));
        for case in reader::read(&text).unwrap_or_else(|e| panic!("{shown}: {e}")) {
            if case.expected == Expected::Skip {
                skipped += 1;
                continue;
            }
            ran += 1;
            if let Err(why) = check(&mut parser, &case) {
                failures.push(format!("FAIL {:?} ({shown}:{})\n{why}", case.name, case.line));
            }
        }
    }
    println!("corpus: {ran} cases from {} files, {skipped} skipped, {} failed", files.len(), failures.len());
    assert!(failures.is_empty(), "{} of {ran} corpus cases failed:\n\n{}", failures.len(), failures.join("\n"));
    assert!(ran > 0, "no corpus cases found");
}

#[test]
fn a_wrong_expectation_fails() {
    let text = "===\nright\n===\nx\n---\n(source_file (identifier))\n\
                ===\nwrong\n===\nx\n---\n(source_file (integer))\n\
                ===\nno error\n:error\n===\nx\n---\n";
    let cases = reader::read(text).unwrap();
    let mut parser = parser();
    assert_eq!(check(&mut parser, &cases[0]), Ok(()));
    let wrong = check(&mut parser, &cases[1]).unwrap_err();
    assert!(wrong.contains("\n-  (identifier))\n+  (integer))\n"), "{wrong}");
    let no_error = check(&mut parser, &cases[2]).unwrap_err();
    assert!(no_error.contains("ERROR or MISSING"), "{no_error}");
}
