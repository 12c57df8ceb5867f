//! `mesh-rewrite parse [--tree] PATH...`

use crate::exit;
use crate::files::{mpl_files, read_text, Text};
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
        let source = match read_text(file) {
            Ok(Text::Utf8(s)) => s,
            Ok(Text::NotUtf8) => {
                println!("{shown}: error: not valid UTF-8");
                with_errors += 1;
                continue;
            }
            Err(e) => {
                eprintln!("mesh-rewrite: {shown}: {e}");
                return exit::USAGE;
            }
        };
        let parsed = mesh_rewrite::parse::parse(&source);
        for e in parsed.errors() {
            println!("{shown}:{}:{}: error: {}", e.line, e.column, e.message);
        }
        if parsed.has_errors() {
            with_errors += 1;
        }
        if args.tree {
            println!("{shown}: {}", parsed.sexp());
        }
    }
    println!("parsed {} files, {} with errors", files.len(), with_errors);
    if with_errors > 0 { exit::FOUND } else { exit::OK }
}
