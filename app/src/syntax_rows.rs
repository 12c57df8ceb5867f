//! The syntax tree view's rows, read straight from the parse: only the nodes whose ancestors are
//! open, each as one HTML row. A keystroke re-lists the rows on screen (not every node of the
//! file) and, rows being keyed by their HTML, re-creates only those whose text changed.

use crate::analysis::escape_into;
use mesh_rewrite::parse::Parsed;
use std::collections::HashSet;
use tree_sitter::{Node, TreeCursor};

/// How many levels the tree view shows: deeper nodes are left out and their parent says so
/// (`truncated`), so a deeply nested file costs at most this many rows per open path.
pub const MAX_TREE_DEPTH: usize = 128;

/// A node of the tree view: named nodes and MISSING tokens, like `tree-sitter parse` prints.
/// `path` holds child indices among shown children. Positions are tree-sitter points shown 1-based
/// (columns in bytes): character columns would cost a scan of the file per node. Byte offsets
/// are left out on purpose: an edit shifts every later offset, and rows are keyed by what they show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeRow {
    pub path: Vec<usize>,
    pub kind: String,
    pub field: Option<String>,
    pub start: (usize, usize),
    pub end: (usize, usize),
    pub error: bool,
    pub missing: bool,
    /// It has shown children (open or closed).
    pub parent: bool,
    pub open: bool,
    /// It has shown children, left out at `MAX_TREE_DEPTH`.
    pub truncated: bool,
}

/// Named nodes and MISSING tokens are shown; punctuation and keywords are not.
fn shown(node: Node) -> bool {
    node.is_named() || node.is_missing()
}

fn has_shown_child(node: Node) -> bool {
    let mut cursor = node.walk();
    cursor.goto_first_child() && (shown(cursor.node()) || next_shown(&mut cursor))
}

fn next_shown(cursor: &mut TreeCursor) -> bool {
    while cursor.goto_next_sibling() {
        if shown(cursor.node()) {
            return true;
        }
    }
    false
}

fn row(node: Node, field: Option<&str>, path: Vec<usize>, expanded: &HashSet<Vec<usize>>) -> TreeRow {
    let (start, end) = (node.start_position(), node.end_position());
    let has_children = has_shown_child(node);
    let truncated = has_children && path.len() + 1 >= MAX_TREE_DEPTH;
    let parent = has_children && !truncated;
    TreeRow {
        open: parent && expanded.contains(&path),
        path,
        kind: node.kind().to_owned(),
        field: field.map(str::to_owned),
        start: (start.row + 1, start.column + 1),
        end: (end.row + 1, end.column + 1),
        error: node.is_error(),
        missing: node.is_missing(),
        parent,
        truncated,
    }
}

/// The rows on show, in document order: the root, and the shown children of every open row.
/// Iterative (a cursor per open level), so nesting depth costs no stack.
pub fn tree_rows(parsed: &Parsed, expanded: &HashSet<Vec<usize>>) -> Vec<TreeRow> {
    struct Level<'t> {
        cursor: TreeCursor<'t>,
        parent: Vec<usize>,
        next: usize,
    }
    let root = parsed.root();
    let mut rows = vec![row(root, None, Vec::new(), expanded)];
    let mut levels = Vec::new();
    fn enter<'t>(node: Node<'t>, path: &[usize], levels: &mut Vec<Level<'t>>) {
        let mut cursor = node.walk();
        if cursor.goto_first_child() {
            levels.push(Level { cursor, parent: path.to_vec(), next: 0 });
        }
    }
    if rows[0].open {
        enter(root, &[], &mut levels);
    }
    while let Some(level) = levels.last_mut() {
        let (node, field) = (level.cursor.node(), level.cursor.field_name());
        let path = shown(node).then(|| {
            let mut path = level.parent.clone();
            path.push(level.next);
            level.next += 1;
            path
        });
        if !level.cursor.goto_next_sibling() {
            levels.pop();
        }
        let Some(path) = path else { continue };
        let r = row(node, field, path, expanded);
        if r.open {
            enter(node, &r.path, &mut levels);
        }
        rows.push(r);
    }
    rows
}

/// The shown child `index` of `node` (counting shown children only).
fn shown_child(node: Node, index: usize) -> Option<Node> {
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return None;
    }
    let mut seen = 0;
    loop {
        if shown(cursor.node()) {
            if seen == index {
                return Some(cursor.node());
            }
            seen += 1;
        }
        if !cursor.goto_next_sibling() {
            return None;
        }
    }
}

/// The byte range of the node at `path`, if the parse still has one there.
pub fn node_range(parsed: &Parsed, path: &[usize]) -> Option<(usize, usize)> {
    let mut node = parsed.root();
    for &i in path {
        node = shown_child(node, i)?;
    }
    Some((node.start_byte(), node.end_byte()))
}

/// The path of the innermost shown node containing byte `at` (at most `MAX_TREE_DEPTH` levels).
pub fn path_at(parsed: &Parsed, at: usize) -> Vec<usize> {
    let contains = |n: Node| n.start_byte() <= at && at < n.end_byte().max(n.start_byte() + 1);
    let mut path = Vec::new();
    let mut node = parsed.root();
    'down: while path.len() + 1 < MAX_TREE_DEPTH {
        let mut cursor = node.walk();
        let mut index = 0;
        let mut more = cursor.goto_first_child();
        while more {
            let child = cursor.node();
            if shown(child) {
                if contains(child) {
                    path.push(index);
                    node = child;
                    continue 'down;
                }
                index += 1;
            }
            more = cursor.goto_next_sibling();
        }
        break;
    }
    path
}

/// `0.3.1`: a row's path as an attribute value (`[]` is the empty string).
pub fn path_attr(path: &[usize]) -> String {
    path.iter().map(usize::to_string).collect::<Vec<_>>().join(".")
}

pub fn parse_path_attr(attr: &str) -> Option<Vec<usize>> {
    if attr.is_empty() {
        return Some(Vec::new());
    }
    attr.split('.').map(|i| i.parse().ok()).collect()
}

/// One row as HTML: `[indent][▸|▾] field: kind START–END`, the label in `.label` (what tests and
/// screen readers read), `current` when it is the node under the caret. A tree item in the ARIA
/// sense; rows that open are reachable with Tab, like the disclosure buttons they are.
pub fn row_html(row: &TreeRow, current: bool) -> String {
    let mut class = String::from("node");
    for (on, name) in [(row.error, " error"), (row.missing, " missing"), (current, " current")] {
        if on {
            class.push_str(name);
        }
    }
    let testid = if current { "tree-current" } else { "tree-node" };
    let mut html = format!(
        r#"<div class="{class}" role="treeitem" data-testid="{testid}" data-path="{}" aria-level="{}""#,
        path_attr(&row.path),
        row.path.len() + 1
    );
    if row.parent {
        html.push_str(&format!(r#" aria-expanded="{}" tabindex="0""#, row.open));
    }
    let twisty = match (row.parent, row.open) {
        (true, true) => "▾ ",
        (true, false) => "▸ ",
        _ => "  ",
    };
    html.push_str(&format!(r#"><span class="indent" aria-hidden="true">{}{twisty}</span><span class="label">"#, "  ".repeat(row.path.len())));
    if let Some(field) = &row.field {
        html.push_str(&format!(r#"<span class="field">{field}: </span>"#));
    }
    html.push_str(r#"<span class="kind">"#);
    if row.missing {
        html.push_str("MISSING ");
    }
    escape_into(&mut html, &row.kind);
    let ((sl, sc), (el, ec)) = (row.start, row.end);
    html.push_str(&format!(r#"</span> <span class="range">{sl}:{sc}–{el}:{ec}</span>"#));
    if row.truncated {
        html.push_str(&format!(r#"<span class="truncated" title="deeper than {MAX_TREE_DEPTH} levels: not shown"> …</span>"#));
    }
    html.push_str("</span></div>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use mesh_rewrite::parse::parse;

    fn labels(rows: &[TreeRow]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                let field = r.field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default();
                let missing = if r.missing { "MISSING " } else { "" };
                format!("{}{field}{missing}{} {}:{}", "  ".repeat(r.path.len()), r.kind, r.start.0, r.start.1)
            })
            .collect()
    }

    fn open_all(parsed: &Parsed) -> HashSet<Vec<usize>> {
        // Open every row, level by level, until nothing new opens.
        let mut expanded = HashSet::from([vec![]]);
        loop {
            let before = expanded.len();
            expanded.extend(tree_rows(parsed, &expanded).into_iter().filter(|r| r.parent).map(|r| r.path));
            if expanded.len() == before {
                return expanded;
            }
        }
    }

    #[test]
    fn rows_list_named_and_missing_nodes_with_fields_under_open_rows_only() {
        let parsed = parse("fn main() do\n  foo(1, [x]\nend\n# done\n");
        let root_only = tree_rows(&parsed, &HashSet::new());
        assert_eq!(labels(&root_only), ["source_file 1:1"]);
        assert!(root_only[0].parent && !root_only[0].open);
        let top = tree_rows(&parsed, &HashSet::from([vec![]]));
        assert_eq!(labels(&top), ["source_file 1:1", "  function_definition 1:1", "  comment 4:1"]);
        let all = tree_rows(&parsed, &open_all(&parsed));
        let call = all.iter().find(|r| r.kind == "call").expect("a call row");
        assert_eq!((call.path.as_slice(), call.field.as_deref()), (&[0, 2, 0][..], None));
        let args: Vec<_> = all.iter().filter(|r| r.path.len() == 5 && r.path[..4] == [0, 2, 0, 1]).map(|r| (r.kind.as_str(), r.missing)).collect();
        assert_eq!(args, [("integer", false), ("list", false), (")", true)]);
        assert!(all.iter().any(|r| r.field.as_deref() == Some("name") && r.kind == "identifier" && r.start == (1, 4) && r.end == (1, 8)));
    }

    #[test]
    fn deep_nesting_stops_at_the_depth_limit() {
        let n = 40_000;
        let source = format!("fn f() do\n{}1{}\nend\n", "[".repeat(n), "]".repeat(n));
        let parsed = parse(&source);
        let at = source.find('1').unwrap();
        let path = path_at(&parsed, at);
        assert_eq!(path.len(), MAX_TREE_DEPTH - 1);
        // The caret's path opened, as the view does: the last row is the truncated list.
        let expanded: HashSet<_> = (0..path.len()).map(|i| path[..i].to_vec()).collect();
        let rows = tree_rows(&parsed, &expanded);
        let last = rows.iter().max_by_key(|r| r.path.len()).unwrap();
        assert_eq!((last.path.len() + 1, last.kind.as_str(), last.truncated, last.parent), (MAX_TREE_DEPTH, "list", true, false));
    }

    #[test]
    fn caret_finds_the_innermost_node_and_paths_find_their_range() {
        let source = "fn main() do\n  foo()\nend\n";
        let parsed = parse(source);
        let path = path_at(&parsed, 16);
        let (start, end) = node_range(&parsed, &path).unwrap();
        assert_eq!(&source[start..end], "foo");
        assert_eq!(node_range(&parsed, &[0, 9, 9]), None);
        assert_eq!(parse_path_attr(&path_attr(&path)), Some(path));
        assert_eq!(parse_path_attr(""), Some(vec![]));
        assert_eq!(parse_path_attr("1.x"), None);
    }

    #[test]
    fn a_row_is_one_line_of_html() {
        let parsed = parse("fn main() do\nend\n");
        let rows = tree_rows(&parsed, &HashSet::from([vec![]]));
        assert_eq!(
            row_html(&rows[1], true),
            r#"<div class="node current" role="treeitem" data-testid="tree-current" data-path="0" aria-level="2" aria-expanded="false" tabindex="0"><span class="indent" aria-hidden="true">  ▸ </span><span class="label"><span class="kind">function_definition</span> <span class="range">1:1–2:4</span></span></div>"#
        );
    }
}
