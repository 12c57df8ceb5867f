//! mesh-rewrite: the engine behind the playground and the CLI.
//!
//! Data flows one way: `parse` → `rewrite` → `diff` / `simulate` → `verdict` / `permalink`.
//! No browser and no file system here: callers hand in text and get values back.

pub mod bundle;
pub mod diff;
pub mod highlight;
pub mod intake;
mod lines;
pub mod parse;
pub mod permalink;
pub mod project;
pub mod rewrite;
pub mod simulate;
pub mod verdict;
