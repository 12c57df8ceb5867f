//! Source text → what the panels show, as plain owned data (comparable, so memos skip
//! re-rendering when an edit leaves the result unchanged).

use mesh_rewrite::parse::{parse, Position};
use tree_sitter::Node;

/// One syntax error, as the diagnostics list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A node of the tree view: named nodes and MISSING tokens, like `tree-sitter parse` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxNode {
    pub kind: String,
    pub field: Option<String>,
    pub start: Position,
    pub end: Position,
    pub error: bool,
    pub missing: bool,
    pub children: Vec<SyntaxNode>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    pub tree: SyntaxNode,
}

pub fn analyze(source: &str) -> Analysis {
    let parsed = parse(source);
    let diagnostics = parsed
        .errors()
        .iter()
        .map(|e| Diagnostic { line: e.line, column: e.column, message: e.message.clone() })
        .collect();
    Analysis { diagnostics, tree: syntax_node(source, parsed.root(), None) }
}

fn syntax_node(source: &str, node: Node, field: Option<String>) -> SyntaxNode {
    let mut children = Vec::new();
    let mut cursor = node.walk();
    if cursor.goto_first_child() {
        loop {
            let child = cursor.node();
            if child.is_named() || child.is_missing() {
                children.push(syntax_node(source, child, cursor.field_name().map(str::to_owned)));
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    SyntaxNode {
        kind: node.kind().to_owned(),
        field,
        start: Position::of(source, node.start_position()),
        end: Position::of(source, node.end_position()),
        error: node.is_error(),
        missing: node.is_missing(),
        children,
    }
}
