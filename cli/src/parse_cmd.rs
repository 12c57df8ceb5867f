//! `mesh-rewrite parse [--tree] PATH...`

use crate::exit;
use crate::files::{mpl_files, read_text, Text};
use crate::out::print_stdout;
use mesh_rewrite::parse::parse_owned;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

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
    // Files are parsed in parallel a chunk at a time and printed in order: output streams, one
    // tree per thread is alive at a time, and the output is the same on any number of threads.
    for chunk in files.chunks(CHUNK) {
        let results: Vec<io::Result<(bool, String)>> = chunk.par_iter().map(|file| check(file, args.tree)).collect();
        let mut out = String::new();
        for (file, result) in chunk.iter().zip(results) {
            match result {
                Ok((errors, text)) => {
                    with_errors += usize::from(errors);
                    out.push_str(&text);
                }
                Err(e) => {
                    if let Err(code) = print(&out) {
                        return code;
                    }
                    eprintln!("mesh-rewrite: {}: {e}", file.display());
                    return exit::USAGE;
                }
            }
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

/// Files per parallel step: enough to keep every thread busy, few enough that output streams.
const CHUNK: usize = 256;

/// One file's lines of output, and whether it counts as a file with errors.
fn check(file: &Path, tree: bool) -> io::Result<(bool, String)> {
    let shown = file.display();
    let source = match read_text(file)? {
        Text::Utf8(s) => s,
        Text::NotUtf8 => return Ok((true, format!("{shown}: error: not valid UTF-8\n"))),
    };
    let parsed = parse_owned(source);
    let mut out = String::new();
    for e in parsed.errors() {
        let _ = writeln!(out, "{shown}:{}:{}: error: {}", e.line, e.column, e.message);
    }
    if tree {
        let _ = writeln!(out, "{shown}: {}", parsed.sexp());
    }
    Ok((parsed.has_errors(), out))
}

/// Prints `text`; on a write error, says so and gives the exit code.
fn print(text: &str) -> Result<(), u8> {
    print_stdout(text).map_err(|message| {
        eprintln!("mesh-rewrite: {message}");
        exit::USAGE
    })
}
