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

    #[test]
    fn highlights_query_compiles() {
        tree_sitter::Query::new(&super::LANGUAGE.into(), super::HIGHLIGHTS_QUERY)
            .expect("highlights.scm compiles against the grammar");
    }

    #[test]
    fn tags_query_compiles() {
        tree_sitter::Query::new(&super::LANGUAGE.into(), super::TAGS_QUERY)
            .expect("tags.scm compiles against the grammar");
    }

    #[test]
    fn parses_a_function_without_errors() {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&super::LANGUAGE.into()).unwrap();
        let source = "from Api.Helpers import get_registry\n\nfn main() do\n  Process.whereis(\"r\")\nend\n";
        let tree = parser.parse(source, None).unwrap();
        assert!(!tree.root_node().has_error(), "{}", tree.root_node().to_sexp());
        assert_eq!(
            tree.root_node().to_sexp(),
            "(source_file (from_import module: (module_path (identifier) (identifier)) names: (import_list (identifier))) \
             (function_definition name: (identifier) parameters: (parameters) body: (block \
             (call function: (field_access value: (identifier) field: (identifier)) arguments: (arguments (string content: (string_content)))))))"
        );
    }
}
