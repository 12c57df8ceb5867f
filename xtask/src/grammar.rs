//! The grammar's generated parser without the tree-sitter CLI: `cargo xtask generate` writes it, the
//! `grammar` test step checks it. Both run xtask/grammar-gen (tree-sitter-generate, the CLI's own
//! library), a workspace of its own: its half-minute build stays out of xtask's (which
//! `cargo xtask serve` waits for) and its dependencies' features out of the workspace's builds.

use crate::ensure;
use crate::run::{cmd, root, status, Result};
use std::path::Path;

/// What `tree-sitter generate` writes into src/ (scanner.c is written by hand).
const GENERATED: &[&str] =
    &["grammar.json", "parser.c", "node-types.json", "tree_sitter/parser.h", "tree_sitter/alloc.h", "tree_sitter/array.h"];

/// `cargo xtask generate`: core/grammar/src/ from grammar.js.
pub fn generate(args: &[String]) -> Result {
    if !args.is_empty() {
        return Err("usage: cargo xtask generate".into());
    }
    grammar_gen(None)?;
    println!("core/grammar/src/ regenerated from grammar.js");
    Ok(())
}

/// Regenerates into a scratch directory and compares with the committed src/, so that a grammar.js
/// edit without regenerating cannot slip through.
pub fn check_generated() -> Result {
    let scratch = std::env::temp_dir().join(format!("xtask-grammar-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let result = grammar_gen(Some(&scratch)).and_then(|()| compare(&scratch));
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// Runs grammar-gen (built into this checkout's target/), writing into `out`, by default core/grammar/src.
fn grammar_gen(out: Option<&Path>) -> Result {
    ensure::apt(&["node"])?;
    let mut c = cmd("cargo", &["run", "--locked", "--manifest-path"]);
    c.arg(root().join("xtask/grammar-gen/Cargo.toml")).arg("--target-dir").arg(root().join("target"));
    if let Some(out) = out {
        c.arg("--").arg(out);
    }
    status(&mut c)
}

fn compare(fresh: &Path) -> Result {
    let src = root().join("core/grammar/src");
    for file in GENERATED {
        let committed = std::fs::read(src.join(file)).unwrap_or_default();
        let generated = std::fs::read(fresh.join(file)).map_err(|e| format!("{file}: {e}"))?;
        if committed != generated {
            return Err(format!(
                "core/grammar/src/{file} is stale: run `cargo xtask generate` (or `tree-sitter generate` in core/grammar) and commit core/grammar/src/"
            ));
        }
    }
    println!("core/grammar/src/ matches grammar.js");
    Ok(())
}
