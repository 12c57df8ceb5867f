//! Stage 1: source text → syntax tree + syntax diagnostics a person can read.

use crate::lines::LineIndex;
use serde::Serialize;
use tree_sitter::{Node, Parser, Point, Tree};

/// A position in a source file: 1-based line, 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One syntax error: where it is and what is wrong, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub start_byte: usize,
    pub end_byte: usize,
    pub message: String,
}

/// A parsed file: its text, its tree and its syntax errors (in source order).
#[derive(Clone)]
pub struct Parsed {
    source: String,
    tree: Tree,
    errors: Vec<SyntaxError>,
}

/// A tree-sitter parser for Mesh.
pub fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_mesh::LANGUAGE.into())
        .unwrap_or_else(|_| unreachable!("the bundled Mesh grammar matches the tree-sitter runtime"));
    parser
}

/// Parses Mesh source text.
pub fn parse(source: &str) -> Parsed {
    Parsed::new(source.to_owned(), &mut new_parser(), None)
}

/// `parse` for a caller that hands over its text (no copy), with this thread's parser: creating a
/// parser per file would dominate small files (the CLI parses thousands on a few threads).
pub fn parse_owned(source: String) -> Parsed {
    thread_local! {
        static PARSER: std::cell::RefCell<Parser> = std::cell::RefCell::new(new_parser());
    }
    PARSER.with(|p| Parsed::new(source, &mut p.borrow_mut(), None))
}

impl Parsed {
    /// Parses `source`; with `old` (already edited to match), tree-sitter reuses unchanged subtrees.
    pub fn new(source: String, parser: &mut Parser, old: Option<&Tree>) -> Parsed {
        let tree = parser
            .parse(&source, old)
            .expect("a parser with a language and no timeout always yields a tree");
        let errors = syntax_errors(&source, &tree);
        Parsed { source, tree, errors }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The tree, for a caller that edits it for an incremental reparse and needs nothing else.
    pub(crate) fn into_tree(self) -> Tree {
        self.tree
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }

    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The text of `node`.
    pub fn text(&self, node: Node) -> &str {
        &self.source[node.byte_range()]
    }

    /// The S-expression of the whole tree, as `tree-sitter parse` prints it.
    pub fn sexp(&self) -> String {
        self.tree.root_node().to_sexp()
    }
}

/// A file being edited: each new text is parsed incrementally against the previous tree,
/// so a keystroke in a large file reparses only what it touched.
pub struct Document {
    parser: Parser,
    parsed: Parsed,
    /// How many times the text changed; `change` is the last of these changes.
    version: u64,
    change: Option<Change>,
}

/// What one `set_text` changed: the text before it had `old_len` bytes, and outside `range` (in
/// the new text) every byte is as it was, in a subtree that did not change: the range covers the
/// edit and tree-sitter's changed ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub old_len: usize,
    pub range: std::ops::Range<usize>,
}

impl Document {
    pub fn new(source: &str) -> Document {
        let mut parser = new_parser();
        let parsed = Parsed::new(source.to_owned(), &mut parser, None);
        Document { parser, parsed, version: 0, change: None }
    }

    pub fn parsed(&self) -> &Parsed {
        &self.parsed
    }

    /// Counts the changes of the text: what was computed at version n can be carried over to
    /// version n + 1 with `last_change`.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The change from version - 1 to this version (None before the first).
    pub fn last_change(&self) -> Option<&Change> {
        self.change.as_ref()
    }

    /// Replaces the text. The edit is found as the span between the common prefix and suffix,
    /// which is exactly what a keystroke, a paste or an undo produces.
    pub fn set_text(&mut self, new: &str) {
        let old = self.parsed.source();
        if old == new {
            return;
        }
        let edit = single_edit(old, new);
        let old_len = old.len();
        let mut tree = self.parsed.tree.clone();
        tree.edit(&edit);
        self.parsed = Parsed::new(new.to_owned(), &mut self.parser, Some(&tree));
        let (mut start, mut end) = (edit.start_byte, edit.new_end_byte);
        for changed in tree.changed_ranges(&self.parsed.tree) {
            (start, end) = (start.min(changed.start_byte), end.max(changed.end_byte));
        }
        self.version += 1;
        self.change = Some(Change { old_len, range: start..end });
    }
}

fn single_edit(old: &str, new: &str) -> tree_sitter::InputEdit {
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let point = |text: &str, byte: usize| {
        let before = &text[..byte];
        let row = before.matches('\n').count();
        let column = byte - before.rfind('\n').map_or(0, |i| i + 1);
        Point { row, column }
    };
    tree_sitter::InputEdit {
        start_byte: prefix,
        old_end_byte: old.len() - suffix,
        new_end_byte: new.len() - suffix,
        start_position: point(old, prefix),
        old_end_position: point(old, old.len() - suffix),
        new_end_position: point(new, new.len() - suffix),
    }
}

/// Every ERROR and MISSING node, outermost only, as a message a person understands.
/// Positions come from one line index: linear however many errors there are.
fn syntax_errors(source: &str, tree: &Tree) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    let root = tree.root_node();
    if !root.has_error() {
        return errors;
    }
    let lines = LineIndex::new(source);
    let content_end = source.trim_end().len();
    let openers = missing_openers(root);
    let mut cursor = root.walk();
    let mut descend = true;
    loop {
        let node = cursor.node();
        let reported = if node.is_missing() {
            // A missing closer is reported where its block opens, like an unclosed ERROR below;
            // the byte range stays where the closer belongs.
            let opener = openers.get(&node.id()).copied();
            let error = match opener {
                Some(opener) => {
                    let mut error =
                        error_at(&lines, node, format!("missing {} to close this `{}`", describe_kind(node), opener.kind()));
                    let at = lines.position(opener.start_byte());
                    (error.line, error.column) = (at.line, at.column);
                    error
                }
                None => error_at(&lines, node, format!("missing {}", describe_kind(node))),
            };
            errors.push(error);
            true
        } else if node.is_error() {
            let mut error = error_at(&lines, node, unexpected(source, content_end, node));
            // An unclosed block is reported where it opens: that is where the reader must look.
            if let Some((_, opener)) = unclosed(node) {
                let at = lines.position(opener.start_byte());
                (error.line, error.column) = (at.line, at.column);
            }
            errors.push(error);
            true
        } else {
            false
        };
        if descend && !reported && node.has_error() && cursor.goto_first_child() {
            continue;
        }
        descend = true;
        if cursor.goto_next_sibling() {
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                return errors;
            }
            if cursor.goto_next_sibling() {
                break;
            }
        }
    }
}

fn error_at(lines: &LineIndex, node: Node, message: String) -> SyntaxError {
    let pos = lines.position(node.start_byte());
    SyntaxError {
        line: pos.line,
        column: pos.column,
        start_byte: node.start_byte(),
        end_byte: node.end_byte(),
        message,
    }
}

/// Names what an ERROR node holds: a block or bracket it leaves open, else its first token.
/// `content_end` is where the source's trailing whitespace starts.
fn unexpected(source: &str, content_end: usize, error: Node) -> String {
    if let Some((closer, opener)) = unclosed(error) {
        return format!("missing `{closer}` to close this `{}`", opener.kind());
    }
    let mut node = error;
    while let Some(child) = node.child(0) {
        node = child;
    }
    let text = source[node.byte_range()].trim();
    if text.is_empty() {
        if error.end_byte() >= content_end {
            return "unexpected end of file".to_owned();
        }
        return "unexpected end of line".to_owned();
    }
    let first_line = text.lines().next().unwrap_or(text);
    let shown: String = first_line.chars().take(24).collect();
    let ellipsis = if shown.len() < text.len() { "…" } else { "" };
    format!("unexpected `{shown}{ellipsis}`")
}

/// The innermost opener (`do`, `(`, `[`, `{`, `%{`, the `fn` of an arrow closure) that an
/// ERROR node never closes, with its closer.
fn unclosed(error: Node) -> Option<(&'static str, Node)> {
    open_openers(error).pop()
}

/// For every MISSING closer, the opener it would have closed: the innermost one still open before
/// it, found in one pass over the leaves outside ERROR nodes (a pass per MISSING node, or `parent()`,
/// which walks down from the root, made deeply nested unclosed blocks quadratic).
fn missing_openers(root: Node) -> std::collections::HashMap<usize, Node> {
    let mut found = std::collections::HashMap::new();
    match_openers(root, true, |closer, opener| {
        if closer.is_missing() {
            found.insert(closer.id(), opener);
        }
    });
    found
}

/// The closer of the leaf under `cursor`, if it opens something. The sibling is looked at through a
/// copy of the cursor: `Node::next_sibling` scans the parent's children, quadratic in a flat ERROR.
fn closer_of(cursor: &tree_sitter::TreeCursor) -> Option<&'static str> {
    let leaf = cursor.node();
    let next_is_clause = || {
        let mut next = cursor.clone();
        next.goto_next_sibling() && next.node().kind() == "closure_clause"
    };
    match leaf.kind() {
        "do" => Some("end"),
        "(" => Some(")"),
        "[" => Some("]"),
        "{" | "%{" => Some("}"),
        // Only an arrow closure's `fn` has an `end` of its own (`fn x -> x end`); a definition's
        // or a `do` closure's `end` belongs to its `do`.
        "fn" if next_is_clause() => Some("end"),
        _ => None,
    }
}

/// The openers under `root` left open by its leaves, outermost first, each with its closer.
fn open_openers<'t>(root: Node<'t>) -> Vec<(&'static str, Node<'t>)> {
    match_openers(root, false, |_, _| {})
}

/// Walks the leaves under `root` in order, matching each closer with the innermost open opener of its
/// kind; `matched(closer, opener)` hears of each pair. ERROR nodes below `root` are not entered when
/// `skip_errors`. Returns the openers left open, outermost first, each with its closer.
fn match_openers<'t>(
    root: Node<'t>,
    skip_errors: bool,
    mut matched: impl FnMut(Node<'t>, Node<'t>),
) -> Vec<(&'static str, Node<'t>)> {
    let mut open: Vec<(&'static str, Node)> = Vec::new();
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        if node.child_count() == 0 && !node.is_named() {
            if let Some(c) = closer_of(&cursor) {
                open.push((c, node));
            } else if open.last().is_some_and(|(c, _)| *c == node.kind()) {
                let (_, opener) = open.pop().expect("checked");
                matched(node, opener);
            }
        }
        let enter = !(skip_errors && node.is_error() && node != root);
        if (enter && cursor.goto_first_child()) || cursor.goto_next_sibling() {
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
        }
    }
    open
}

/// How a person names a node kind: keywords and punctuation in backticks, named kinds in words.
fn describe_kind(node: Node) -> String {
    let kind = node.kind();
    if node.is_named() {
        match kind {
            "_newline" | "newline" => "end of line".to_owned(),
            _ => kind.trim_start_matches('_').replace('_', " "),
        }
    } else {
        format!("`{kind}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_source_has_no_errors() {
        let parsed = parse("fn main() do\n  println(\"hi\")\nend\n");
        assert_eq!(parsed.errors(), &[]);
        assert!(parsed.sexp().starts_with("(source_file"));
    }

    #[test]
    fn missing_end_is_named() {
        let parsed = parse("fn main() do\n  println(\"hi\")\n");
        let messages: Vec<_> = parsed.errors().iter().map(|e| (e.line, e.column, e.message.as_str())).collect();
        assert_eq!(messages, [(1, 11, "missing `end` to close this `do`")]);
    }

    #[test]
    fn arrow_closure_without_end_is_reported_at_its_fn() {
        for source in ["let g = fn x -> x + 1\n", "let g = fn x -> x + 1\nlet z = 2\n"] {
            let parsed = parse(source);
            let messages: Vec<_> = parsed.errors().iter().map(|e| (e.line, e.column, e.message.as_str())).collect();
            assert_eq!(messages, [(1, 9, "missing `end` to close this `fn`")], "{source:?}");
        }
    }

    #[test]
    fn missing_paren_is_reported_at_its_opener() {
        let parsed = parse("fn a() do\n  foo(1, 2\nend\n");
        let e = &parsed.errors()[..];
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!((e[0].line, e[0].column, e[0].message.as_str()), (2, 6, "missing `)` to close this `(`"));
        // The range is where the `)` belongs: right after `2`.
        assert_eq!((e[0].start_byte, e[0].end_byte), (20, 20));
    }

    #[test]
    fn stray_paren_is_unexpected() {
        let parsed = parse("fn main() do\n  println(\"hi\"))\nend\n");
        assert_eq!(parsed.errors().len(), 1, "{:?}", parsed.errors());
        let e = &parsed.errors()[0];
        assert_eq!((e.line, e.column, e.message.as_str()), (2, 16, "unexpected `)`"));
    }

    #[test]
    fn documents_reparse_to_the_same_tree_as_a_fresh_parse() {
        let steps = [
            "fn main() do\n  let x = 1\nend\n",
            "fn main() do\n  let x = 12\nend\n",
            "fn main() do\n  let x = 12\n  foo(x\nend\n",
            "fn main() do\n  let x = 12\n  foo(x)\nend\n",
            "# é\nfn main() do\n  let x = 12\n  foo(x)\nend\n",
            "",
            "fn main() do\n  println(\"é\")\nend\n",
        ];
        let mut doc = Document::new("");
        for text in steps {
            doc.set_text(text);
            let fresh = parse(text);
            assert_eq!(doc.parsed().sexp(), fresh.sexp(), "{text:?}");
            assert_eq!(doc.parsed().errors(), fresh.errors(), "{text:?}");
        }
    }

    #[test]
    fn single_edits_span_only_the_change() {
        let e = single_edit("let x = 1\nfoo()\n", "let x = 12\nfoo()\n");
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (9, 9, 10));
        assert_eq!(e.start_position, Point { row: 0, column: 9 });
        // Multi-byte characters are never split.
        let e = single_edit("aé", "aè");
        assert_eq!((e.start_byte, e.old_end_byte, e.new_end_byte), (1, 3, 3));
    }

    #[test]
    fn columns_count_characters() {
        let parsed = parse("let é = 1\nlet x = é)\n");
        let e = &parsed.errors()[0];
        assert_eq!((e.line, e.column, e.message.as_str()), (2, 10, "unexpected `)`"));
    }
}
