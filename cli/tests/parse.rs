//! `mesh-rewrite parse`: exact output and exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mesh-rewrite"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> &str {
    std::str::from_utf8(&out.stdout).unwrap()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &[u8])] = &[
        ("src/ok.mpl", b"fn main() do\n  println(\"hi\")\nend\n"),
        ("src/api/bad.mpl", b"fn main() do\n  println(\"hi\"))\nend\n"),
        ("src/open.mpl", b"fn main() do\n  println(\"hi\")\n"),
        ("src/latin1.mpl", b"# caf\xe9\n"),
        ("src/notes.txt", b"not mesh ))))"),
    ];
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

#[test]
fn reports_each_error_in_sorted_order() {
    let dir = project();
    let out = run(dir.path(), &["parse", "src"]);
    assert_eq!(
        stdout(&out),
        "src/api/bad.mpl:2:16: error: unexpected `)`\n\
         src/latin1.mpl: error: not valid UTF-8\n\
         src/open.mpl:1:11: error: missing `end` to close this `do`\n\
         parsed 4 files, 3 with errors\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn clean_files_exit_zero() {
    let dir = project();
    let out = run(dir.path(), &["parse", "src/ok.mpl"]);
    assert_eq!(stdout(&out), "parsed 1 files, 0 with errors\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn tree_prints_the_s_expression() {
    let dir = project();
    let out = run(dir.path(), &["parse", "--tree", "src/ok.mpl"]);
    assert_eq!(
        stdout(&out),
        "src/ok.mpl: (source_file (function_definition name: (identifier) parameters: (parameters) \
         body: (block (call function: (identifier) arguments: (arguments (string content: (string_content)))))))\n\
         parsed 1 files, 0 with errors\n"
    );
}

#[test]
fn missing_paths_and_bad_usage_exit_two() {
    let dir = project();
    let out = run(dir.path(), &["parse", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("mesh-rewrite: nowhere: "));
    assert_eq!(run(dir.path(), &["parse"]).status.code(), Some(2));
    assert_eq!(run(dir.path(), &["frobnicate"]).status.code(), Some(2));
}

#[test]
fn the_bundled_example_parses_cleanly() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher");
    let out = run(&example, &["parse", "."]);
    assert_eq!(stdout(&out), "parsed 24 files, 0 with errors\n");
    assert_eq!(out.status.code(), Some(0));
}
