//! Highlight assertions, found as tree-sitter-cli 0.27.1 finds them (src/query_testing.rs,
//! `parse_position_comments`). In a comment (here `#`) on any line but the first, `<-` points at
//! the comment's own column and `^` at its own (`^^^`: three columns); an optional `!` negates;
//! then a capture name. The row is the nearest one above that is neither a line of assertions nor
//! too short to reach the column.

use regex::Regex;
use tree_sitter::{Node, Parser};
use unicode_segmentation::UnicodeSegmentation;

/// (row, column); columns count grapheme clusters, as the CLI's do.
pub type Point = (usize, usize);

#[derive(Debug, PartialEq)]
pub struct Assertion {
    pub position: Point,
    /// Columns covered (carets).
    pub length: usize,
    pub negative: bool,
    pub capture: String,
}

/// The assertions in `source`, ordered by position.
pub fn parse(parser: &mut Parser, source: &str) -> Result<Vec<Assertion>, String> {
    let tree = parser.parse(source, None).expect("a tree");
    let name = Regex::new(r"[\w_\-.]+").expect("a valid regex");
    // Every node after its children (the CLI's walk): comments come in document order.
    let (mut found, mut comment_rows) = (Vec::new(), Vec::new());
    let mut cursor = tree.walk();
    let mut ascending = false;
    loop {
        if ascending {
            let node = cursor.node();
            if let Some(assertion) = assertion(node, source, &name) {
                comment_rows.push(node.start_position().row);
                found.push(assertion);
            }
            if cursor.goto_next_sibling() {
                ascending = false;
            } else if !cursor.goto_parent() {
                break;
            }
        } else if !cursor.goto_first_child() {
            ascending = true;
        }
    }
    // Move each assertion up to the line of code it refers to.
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut next_comment = 0;
    for assertion in &mut found {
        let original = assertion.position;
        loop {
            let (row, column) = assertion.position;
            let on_assertion_line = comment_rows[next_comment..].contains(&row);
            if on_assertion_line || lines[row].len() <= column {
                if row == 0 {
                    return Err(format!(
                        "could not find a line that corresponds to the assertion `{}` located at {original:?}",
                        assertion.capture
                    ));
                }
                assertion.position.0 -= 1;
            } else {
                while comment_rows.get(next_comment).is_some_and(|&r| r < row) {
                    next_comment += 1;
                }
                break;
            }
        }
    }
    found.sort_by_key(|a| a.position);
    Ok(found)
}

/// The assertion `node` makes, if it is a comment below the first line holding an arrow and a name.
fn assertion(node: Node, source: &str, name: &Regex) -> Option<Assertion> {
    let mut position = node.start_position();
    if !node.kind().to_lowercase().contains("comment") || position.row == 0 {
        return None;
    }
    let text = node.utf8_text(source.as_bytes()).ok()?;
    let (mut left_caret, mut arrow, mut arrow_end, mut carets) = (false, false, 0, 1);
    for (i, c) in text.char_indices() {
        arrow_end = i + 1;
        if c == '-' && left_caret {
            arrow = true;
            break;
        }
        if c == '^' {
            arrow = true;
            position.column += i;
            for c in text[arrow_end..].chars() {
                if c != '^' {
                    arrow_end += carets - 1;
                    break;
                }
                carets += 1;
            }
            break;
        }
        left_caret = c == '<';
    }
    if !arrow {
        return None;
    }
    let mut negative = false;
    for (i, c) in text[arrow_end..].char_indices() {
        if c == '!' {
            negative = true;
            arrow_end += i + 1;
            break;
        } else if !c.is_whitespace() {
            break;
        }
    }
    let capture = name.find(&text[arrow_end..])?.as_str().to_string();
    Some(Assertion { position: utf8_point(position, source), length: carets, negative, capture })
}

/// A byte position as the CLI's `to_utf8_point` counts it: the column in grapheme clusters,
/// rounded up.
pub fn utf8_point(point: tree_sitter::Point, source: &str) -> Point {
    if point.column == 0 {
        return (point.row, 0);
    }
    let line = source.split_inclusive('\n').nth(point.row).expect("the point's line");
    let mut column = 0;
    for (start, grapheme) in line.grapheme_indices(true) {
        column += 1;
        if start + grapheme.len() >= point.column {
            break;
        }
    }
    (point.row, column)
}
