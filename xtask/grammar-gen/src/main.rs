//! `cargo run --manifest-path xtask/grammar-gen/Cargo.toml [-- OUT_DIR]`: what `tree-sitter generate`
//! does in core/grammar (grammar.js → src/grammar.json, src/parser.c, src/node-types.json,
//! src/tree_sitter/*.h), written to OUT_DIR instead of src/ when given. `cargo xtask test grammar`
//! generates into a scratch directory and compares; without OUT_DIR this regenerates src/.

use std::path::PathBuf;
use std::process::ExitCode;
use tree_sitter_generate::{generate_parser_in_directory, OptLevel};

/// The ABI `tree-sitter generate` 0.27 writes unless told otherwise (its DEFAULT_GENERATE_ABI_VERSION).
const ABI_VERSION: usize = 15;

fn main() -> ExitCode {
    let grammar = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../core/grammar");
    let out = std::env::args_os().nth(1).map(PathBuf::from);
    let mut diagnostics = Vec::new();
    // node evaluates grammar.js as the CLI's own default runtime does; the JSON it returns is
    // re-serialised by the library, so its output equals the native (QuickJS) runtime's.
    let result = generate_parser_in_directory(
        &grammar,
        out.as_ref(),
        None::<PathBuf>,
        ABI_VERSION,
        None,
        Some("node"),
        true,
        OptLevel::default(),
        &mut diagnostics,
    );
    for d in &diagnostics {
        eprintln!("warning: {d}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: generating the parser of {}: {e}", grammar.display());
            ExitCode::FAILURE
        }
    }
}
