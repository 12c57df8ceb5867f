//! mesh-rewrite: the engine behind the playground and the CLI.
//!
//! Data flows one way: `parse` → `rewrite` → `diff` / `simulate` → `verdict` / `permalink`.
//! No browser and no file system here: callers hand in text and get values back.

pub mod bundle;
pub mod diff;
pub mod export;
pub mod highlight;
pub mod intake;
mod lines;
pub mod order;
pub mod parse;
pub mod permalink;
pub mod project;
pub mod rewrite;
pub mod simulate;
pub mod verdict;

/// The engine's version: the crate's, and the grammar's hash (`0.1.0 (grammar 3f2a…)`). Links, bundles
/// and reports carry it, so what another build made can be recognised.
pub fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| format!("{} (grammar {})", env!("CARGO_PKG_VERSION"), tree_sitter_mesh::GRAMMAR_HASH))
}
