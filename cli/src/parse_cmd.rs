//! `mesh-rewrite parse [--tree] PATH...`

use crate::exit;
use crate::files::{mpl_files, read_text, Text};
use crate::out::print_stdout;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Also print each file's syntax tree as an S-expression.
    #[arg(long)]
    tree: bool,
    /// Files, or directories searched recursively for *.mpl.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    let mut files = Vec::new();
    for path in &args.paths {
        match mpl_files(path) {
            Ok(found) => files.extend(found),
            Err(e) => {
                eprintln!("mesh-rewrite: {}: {e}", path.display());
                return exit::USAGE;
            }
        }
    }
    files.sort();
    files.dedup();
    let mut with_errors = 0;
    for file in &files {
        let shown = file.display();
        // One write per file: output streams, and a write error ends the run at once.
        let mut out = String::new();
        let source = match read_text(file) {
            Ok(Text::Utf8(s)) => s,
            Ok(Text::NotUtf8) => {
                with_errors += 1;
                if let Err(code) = print(&format!("{shown}: error: not valid UTF-8\n")) {
                    return code;
                }
                continue;
            }
            Err(e) => {
                eprintln!("mesh-rewrite: {shown}: {e}");
                return exit::USAGE;
            }
        };
        let parsed = mesh_rewrite::parse::parse(&source);
        for e in parsed.errors() {
            let _ = writeln!(out, "{shown}:{}:{}: error: {}", e.line, e.column, e.message);
        }
        if parsed.has_errors() {
            with_errors += 1;
        }
        if args.tree {
            let _ = writeln!(out, "{shown}: {}", parsed.sexp());
        }
        if let Err(code) = print(&out) {
            return code;
        }
    }
    if let Err(code) = print(&format!("parsed {} files, {} with errors\n", files.len(), with_errors)) {
        return code;
    }
    if with_errors > 0 { exit::FOUND } else { exit::OK }
}

/// Prints `text`; on a write error, says so and gives the exit code.
fn print(text: &str) -> Result<(), u8> {
    print_stdout(text).map_err(|message| {
        eprintln!("mesh-rewrite: {message}");
        exit::USAGE
    })
}
