//! Tree-sitter grammar for Mesh (`.mpl`). Node types: see `core/grammar/README.md`.

use tree_sitter_language::LanguageFn;

extern "C" {
    fn tree_sitter_mesh() -> *const ();
}

/// The tree-sitter language of Mesh.
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_mesh) };

/// 48 bits of a hash of the generated parser and the scanner, in hex: which grammar this build has.
pub const GRAMMAR_HASH: &str = env!("MESH_GRAMMAR_HASH");

/// Node type information (`src/node-types.json`).
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Highlighting query, used by the playground and usable by editors.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// Tags query: functions, actors, services, modules.
pub const TAGS_QUERY: &str = include_str!("../../queries/tags.scm");

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use tree_sitter::{Parser, Query, QueryCursor, StreamingIterator, Tree};

    fn parse(source: &str) -> Tree {
        let mut parser = Parser::new();
        parser
            .set_language(&super::LANGUAGE.into())
            .expect("Mesh grammar loads");
        parser.parse(source, None).expect("a tree")
    }

    /// `text -> capture` for every captured node. Several patterns may capture one node;
    /// `last_wins` picks the last of them (tree-sitter-highlight, Neovim), else the first
    /// (Helix, core::highlight).
    fn captures_by(query_source: &str, source: &str, last_wins: bool) -> BTreeMap<(usize, usize), String> {
        let query = Query::new(&super::LANGUAGE.into(), query_source).expect("query compiles");
        let tree = parse(source);
        let mut by_node: BTreeMap<(usize, usize), (usize, String)> = BTreeMap::new();
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&query, tree.root_node(), source.as_bytes());
        while let Some(m) = matches.next() {
            for (index, name) in query.capture_names().iter().enumerate() {
                for node in m.nodes_for_capture_index(index as u32) {
                    let key = (node.start_byte(), node.end_byte());
                    let entry = by_node.entry(key).or_insert((m.pattern_index, name.to_string()));
                    let replace = if last_wins { m.pattern_index > entry.0 } else { m.pattern_index < entry.0 };
                    if replace {
                        *entry = (m.pattern_index, name.to_string());
                    }
                }
            }
        }
        by_node.into_iter().map(|(range, (_, name))| (range, name)).collect()
    }

    /// `text -> capture` under the last-match rule (one entry per distinct text).
    fn captures(query_source: &str, source: &str) -> BTreeMap<String, String> {
        captures_by(query_source, source, true)
            .into_iter()
            .map(|((start, end), name)| (source[start..end].to_string(), name))
            .collect()
    }

    const SAMPLE: &str = include_str!("../../test/highlight/sample.mpl");

    #[test]
    fn highlights_query_compiles() {
        Query::new(&super::LANGUAGE.into(), super::HIGHLIGHTS_QUERY)
            .expect("highlights.scm compiles against the grammar");
    }

    #[test]
    fn tags_query_compiles() {
        Query::new(&super::LANGUAGE.into(), super::TAGS_QUERY)
            .expect("tags.scm compiles against the grammar");
    }

    #[test]
    fn highlights_name_what_each_token_is() {
        let source = "fn area(width) do\n  Geo.scale(x, \"n=${y}\", :ok, 42) # c\nend\n";
        let got = captures(super::HIGHLIGHTS_QUERY, source);
        let expect = [
            ("fn", "keyword"),
            ("area", "function"),
            ("width", "variable.parameter"),
            ("x", "variable"),
            ("Geo", "type"),
            ("scale", "function.call"),
            ("\"n=${y}\"", "string"),
            ("${y}", "embedded"),
            ("${", "punctuation.special"),
            (":ok", "constant"),
            ("42", "number"),
            ("# c", "comment"),
            ("end", "keyword"),
        ];
        for (text, capture) in expect {
            assert_eq!(got.get(text).map(String::as_str), Some(capture), "{text}: {got:?}");
        }
    }

    #[test]
    fn highlights_agree_under_first_and_last_match_rules() {
        let first = captures_by(super::HIGHLIGHTS_QUERY, SAMPLE, false);
        let last = captures_by(super::HIGHLIGHTS_QUERY, SAMPLE, true);
        let differ: Vec<_> = first
            .iter()
            .filter(|(range, name)| last.get(*range) != Some(*name))
            .map(|((start, end), name)| (&SAMPLE[*start..*end], name, last.get(&(*start, *end))))
            .collect();
        assert!(differ.is_empty(), "first-match vs last-match: {differ:?}");
        let tree = parse(SAMPLE);
        assert!(!tree.root_node().has_error(), "the sample parses cleanly");
    }

    #[test]
    fn highlights_classify_the_sample() {
        let got = captures(super::HIGHLIGHTS_QUERY, SAMPLE);
        let expect = [
            ("Billing", "module"),
            ("round_cents", "function"),
            ("Point", "type"),
            ("Circle", "constructor"),
            ("table", "keyword"),
            ("strategy", "property"),
            ("Counter", "type"),
            ("Get", "function"),
            ("whereis", "function.call"),
            ("Process", "type"),
            ("limit", "property"),
            ("total", "variable"),
            ("self", "variable.builtin"),
            ("\\n", "string.escape"),
            ("0xFF", "number"),
            ("3.5", "number"),
            ("true", "constant.builtin"),
            ("and", "keyword.operator"),
            ("|>", "operator"),
            ("%{", "punctuation.bracket"),
            ("#= block =#", "comment"),
        ];
        for (text, capture) in expect {
            assert_eq!(got.get(text).map(String::as_str), Some(capture), "{text}: {got:?}");
        }
    }

    #[test]
    fn highlights_closure_forms_like_parenthesised_ones() {
        let source = "let k = fn Some(v) when v > 0 -> v | None -> 0 end\nlist |> List.map(fn y do y * 2 end)\n";
        let got = captures_by(super::HIGHLIGHTS_QUERY, source, true);
        let at = |text: &str, nth: usize| {
            let start = source.match_indices(text).nth(nth).expect("text in source").0;
            got.get(&(start, start + text.len())).map(String::as_str)
        };
        assert_eq!(at("fn", 0), Some("keyword"));
        assert_eq!(at("Some", 0), Some("constructor"));
        assert_eq!(at("v", 0), Some("variable"), "a constructor's argument is a pattern, not a parameter");
        assert_eq!(at("when", 0), Some("keyword"));
        assert_eq!(at("->", 0), Some("operator"));
        assert_eq!(at("|", 0), Some("operator"));
        // A bare `None` is an identifier pattern: a parameter, as in `fn(None) -> 0 end`.
        assert_eq!(at("None", 0), Some("variable.parameter"));
        assert_eq!(at("end", 0), Some("keyword"));
        assert_eq!(at("y", 0), Some("variable.parameter"));
        assert_eq!(at("y", 1), Some("variable"));
        assert_eq!(at("do", 0), Some("keyword"));
        assert!(!parse(source).root_node().has_error());
    }

    #[test]
    fn tags_find_definitions() {
        let source = "module M do\nend\nactor a() do\nend\nservice S do\n  call Get() :: Int do |s| (s, s) end\nend\nstruct P do\n  x :: Int\nend\nfn f() = 1\n";
        let got = captures(super::TAGS_QUERY, source);
        for (text, capture) in [("M", "name"), ("a", "name"), ("S", "name"), ("Get", "name"), ("P", "name"), ("f", "name")] {
            assert_eq!(got.get(text).map(String::as_str), Some(capture), "{text}: {got:?}");
        }
        assert_eq!(got.get("fn f() = 1").map(String::as_str), Some("definition.function"));
        assert_eq!(got.get("module M do\nend").map(String::as_str), Some("definition.module"));
        assert_eq!(got.get("actor a() do\nend").map(String::as_str), Some("definition.class"));
        assert_eq!(got.get("struct P do\n  x :: Int\nend").map(String::as_str), Some("definition.class"));
    }

    #[test]
    fn contract_fields_hold_the_documented_nodes() {
        let source = "from Api.Helpers import get_registry\n\nfn main() do\n  Process.whereis(\"r\")\nend\n";
        let tree = parse(source);
        assert_eq!(
            tree.root_node().to_sexp(),
            "(source_file (from_import module: (module_path (identifier) (identifier)) names: (import_list (identifier))) \
             (function_definition name: (identifier) parameters: (parameters) body: (block \
             (call function: (field_access value: (identifier) field: (identifier)) arguments: (arguments (string content: (string_content)))))))"
        );
    }

    #[test]
    fn block_comment_line_before_a_pipe_is_one_exact_comment() {
        // The internal lexer takes this comment (the scanner declined the newline before it):
        // same extent as when the scanner lexes it, trailing blanks excluded.
        let source = "x\n  #= a\n  b =#  \n  |> f()\n";
        let tree = parse(source);
        let root = tree.root_node();
        assert_eq!(root.named_child_count(), 1, "{}", root.to_sexp());
        let pipe = root.named_child(0).unwrap();
        assert_eq!(pipe.kind(), "binary_expression");
        let comment = pipe.named_child(1).unwrap();
        assert_eq!((comment.kind(), &source[comment.byte_range()]), ("comment", "#= a\n  b =#"));
    }

    #[test]
    fn missing_paren_before_end_is_local() {
        let tree = parse("fn a() do\n  foo(1, 2\nend\n\nfn b() do\n  2\nend\n");
        let root = tree.root_node();
        assert_eq!(root.kind(), "source_file");
        assert_eq!(root.named_child_count(), 2);
        let b = root.named_child(1).unwrap();
        assert_eq!(b.kind(), "function_definition");
        assert!(!b.has_error());
        let missing = root.named_child(0).unwrap().to_sexp();
        assert!(missing.contains("(MISSING \")\")"), "{missing}");
    }
}
