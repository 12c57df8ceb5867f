//! Tree-sitter grammar for Mesh (`.mpl`). Node types: see `core/grammar/README.md`.

use tree_sitter_language::LanguageFn;

extern "C" {
    fn tree_sitter_mesh() -> *const ();
}

/// The tree-sitter language of Mesh.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_mesh) };

/// Node type information (`src/node-types.json`).
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Highlighting query, used by the playground and usable by editors.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// Tags query: functions, actors, services, modules.
pub const TAGS_QUERY: &str = include_str!("../../queries/tags.scm");

#[cfg(test)]
mod tests {
    #[test]
    fn language_loads() {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("Mesh grammar loads");
    }
}
