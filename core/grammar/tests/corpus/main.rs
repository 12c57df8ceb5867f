//! The grammar's corpus, test/corpus/ in tree-sitter's format, checked as `tree-sitter test` checks
//! it (tree-sitter-cli 0.27.1, src/test.rs `run_tests`) but with this crate's parser, so the tests
//! need no tree-sitter CLI.

mod reader;
mod sexp;

use reader::{Case, Expected};
use similar::{ChangeTag, TextDiff};
use std::fs;
use std::path::{Path, PathBuf};
use tree_sitter::{format_sexp, Parser};

fn parser() -> Parser {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_mesh::LANGUAGE.into()).expect("Mesh grammar loads");
    parser
}

/// Whether `case` passes; if not, what to show.
fn check(parser: &mut Parser, case: &Case) -> Result<(), String> {
    if case.expected == Expected::Skip {
        return Ok(());
    }
    let tree = parser.parse(&case.input, None).expect("a tree");
    let actual = tree.root_node().to_sexp();
    match &case.expected {
        Expected::Error if tree.root_node().has_error() => Ok(()),
        Expected::Error => Err(format!(
            "expected a tree with an ERROR or MISSING node (`:error`), got:\n{}\n",
            format_sexp(&actual, 0)
        )),
        Expected::Tree(expected) => {
            // Fields count only where the expected tree names some.
            let actual = if sexp::has_fields(expected) { actual } else { sexp::strip_fields(&actual) };
            if actual == *expected {
                Ok(())
            } else {
                Err(diff(expected, &actual))
            }
        }
        Expected::Skip => Ok(()),
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

/// The files under `dir` in the CLI's order: by name, directories walked where they sort, hidden
/// entries left out.
fn files(dir: &Path) -> Vec<PathBuf> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    paths.sort();
    paths.into_iter().flat_map(|p| if p.is_dir() { files(&p) } else { vec![p] }).collect()
}

#[test]
fn corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = files(&root.join("test/corpus"));
    let mut parser = parser();
    let (mut ran, mut skipped, mut failures) = (0, 0, Vec::new());
    for file in &files {
        let shown = file.strip_prefix(root).unwrap_or(file).display();
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{shown}: {e}"));
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
