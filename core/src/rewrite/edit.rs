//! Byte-range splices on the original text, and the tree edits that let tree-sitter reparse
//! only what changed.

use super::scan::{point_at, Top};
use tree_sitter::{InputEdit, Point, Tree};

/// Replace `start..end` of the original text with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Tree-sitter points of `start` and `end` in the original text.
    pub start_point: Point,
    pub end_point: Point,
}

impl Edit {
    pub fn insert(src: &str, at: usize, text: String) -> Edit {
        let point = point_at(src, at);
        Edit { start: at, end: at, text, start_point: point, end_point: point }
    }
}

/// Applies `edits` (sorted, not overlapping) to `src`. Returns the new text and, for each edit,
/// where its replacement text starts in the new text.
pub(crate) fn apply(src: &str, edits: &[Edit]) -> (String, Vec<usize>) {
    let grown: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(src.len() + grown);
    let mut starts = Vec::with_capacity(edits.len());
    let mut at = 0;
    for edit in edits {
        debug_assert!(at <= edit.start && edit.start <= edit.end, "edits overlap or are unsorted");
        out.push_str(&src[at..edit.start]);
        starts.push(out.len());
        out.push_str(&edit.text);
        at = edit.end;
    }
    out.push_str(&src[at..]);
    (out, starts)
}

/// Tells `tree` about `edits` (original coordinates), last first so earlier positions stay valid.
pub(crate) fn edit_tree(tree: &mut Tree, edits: &[Edit]) {
    for edit in edits.iter().rev() {
        tree.edit(&InputEdit {
            start_byte: edit.start,
            old_end_byte: edit.end,
            new_end_byte: edit.start + edit.text.len(),
            start_position: edit.start_point,
            old_end_position: edit.end_point,
            new_end_position: advance(edit.start_point, &edit.text),
        });
    }
}

/// The point after writing `text` at `point`.
fn advance(point: Point, text: &str) -> Point {
    match text.rfind('\n') {
        Some(i) => Point { row: point.row + text.matches('\n').count(), column: text.len() - i - 1 },
        None => Point { row: point.row, column: point.column + text.len() },
    }
}

// Mesh ends a line with `\r\n`, `\n` or a lone `\r`; every insertion follows the file's own style.

/// The file's line ending: the one its first line ends with (`\n` for a file of one line).
pub(crate) fn line_ending(src: &str) -> &'static str {
    match src.find(['\n', '\r']).map(|i| &src[i..]) {
        Some(rest) if rest.starts_with("\r\n") => "\r\n",
        Some(rest) if rest.starts_with('\r') => "\r",
        _ => "\n",
    }
}

/// `text` (written with '\n') in the file's line ending.
pub(crate) fn with_eol(text: &str, eol: &str) -> String {
    if eol == "\n" { text.to_owned() } else { text.replace('\n', eol) }
}

/// Where the line holding `byte` starts.
pub(crate) fn line_start(src: &str, byte: usize) -> usize {
    src[..byte].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Where the line holding `byte` ends: after its line break, or at the end of the file.
pub(crate) fn line_end(src: &str, byte: usize) -> usize {
    match src[byte..].find(['\n', '\r']) {
        Some(i) if src[byte + i..].starts_with("\r\n") => byte + i + 2,
        Some(i) => byte + i + 1,
        None => src.len(),
    }
}

fn ends_with_break(text: &str) -> bool {
    text.ends_with(['\n', '\r'])
}

/// Whether `text` ends with an empty line (two line breaks in a row).
fn ends_with_blank_line(text: &str) -> bool {
    let rest = text.strip_suffix("\r\n").or_else(|| text.strip_suffix(['\n', '\r']));
    rest.is_some_and(ends_with_break)
}

/// An insertion of whole lines `block` (ending in a line ending) as a new paragraph before the
/// line starting at `at`: a blank line before it unless one is there or it opens the file,
/// and a blank line after it.
pub(crate) fn paragraph_before(src: &str, at: usize, block: &str, eol: &str) -> Edit {
    let before = &src[..at];
    let blank_before = before.is_empty() || ends_with_blank_line(before);
    let mut text = String::new();
    if !blank_before {
        text.push_str(eol);
    }
    text.push_str(block);
    text.push_str(eol);
    Edit::insert(src, at, text)
}

/// An insertion of `block` (ending in a line ending) as a new paragraph at the end of the file.
pub(crate) fn paragraph_at_end(src: &str, block: &str, eol: &str) -> Edit {
    let mut text = String::new();
    if !src.is_empty() && !ends_with_break(src) {
        text.push_str(eol);
    }
    if !src.trim().is_empty() && !ends_with_blank_line(src) {
        text.push_str(eol);
    }
    text.push_str(block);
    Edit::insert(src, src.len(), text)
}

/// What happened to the imports of a file with replacements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImportPlan {
    /// `, helper` appended to an existing `from <module> import …`.
    Merged,
    /// A new import line.
    Added,
    /// Already imported (or the file is the helper's own module).
    None,
}

/// The edit that makes `helper` importable in a file laid out as `top`.
pub(crate) fn import_edit(src: &str, top: &Top, module: &str, helper: &str) -> (ImportPlan, Option<Edit>) {
    let eol = line_ending(src);
    let from_helper: Vec<_> = top.imports.iter().filter_map(|i| i.helper_names).collect();
    if from_helper.iter().any(|&(_, has)| has) {
        return (ImportPlan::None, None);
    }
    if let Some(&(names_end, _)) = from_helper.first() {
        return (ImportPlan::Merged, Some(Edit::insert(src, names_end, format!(", {helper}"))));
    }
    let line = format!("from {module} import {helper}");
    if let Some(last) = top.imports.last() {
        let at = last.line_end;
        let text = if ends_with_break(&src[..at]) { format!("{line}{eol}") } else { format!("{eol}{line}") };
        return (ImportPlan::Added, Some(Edit::insert(src, at, text)));
    }
    let block = format!("{line}{eol}");
    let edit = match top.item_anchor {
        Some(at) => paragraph_before(src, at, &block, eol),
        None => paragraph_at_end(src, &block, eol),
    };
    (ImportPlan::Added, Some(edit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_keep_other_bytes() {
        let src = "ab\ncd\n";
        let edits = [Edit::insert(src, 3, "X\n".into()), Edit { start: 4, end: 5, text: "YY".into(), ..Edit::insert(src, 4, String::new()) }];
        let (out, starts) = apply(src, &edits);
        assert_eq!(out, "ab\nX\ncYY\n");
        assert_eq!(starts, [3, 6]);
    }

    #[test]
    fn advance_counts_rows_and_bytes() {
        assert_eq!(advance(Point { row: 2, column: 4 }, "abc"), Point { row: 2, column: 7 });
        assert_eq!(advance(Point { row: 2, column: 4 }, "a\r\nbc"), Point { row: 3, column: 2 });
    }

    #[test]
    fn line_endings_follow_the_first_line() {
        assert_eq!(line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!(line_ending("a\rb\r"), "\r");
        assert_eq!(line_ending("a\rb\r\n"), "\r");
        assert_eq!(line_ending("a"), "\n");
    }

    #[test]
    fn lines_end_at_any_mesh_newline() {
        let src = "ab\rcd\r\nef\ngh";
        assert_eq!([line_start(src, 1), line_start(src, 4), line_start(src, 8), line_start(src, 12)], [0, 3, 7, 10]);
        assert_eq!([line_end(src, 1), line_end(src, 4), line_end(src, 8), line_end(src, 12)], [3, 7, 10, 12]);
    }

    #[test]
    fn cr_only_files_get_cr_paragraphs() {
        let src = "# head\rfn x() do end\r";
        let e = paragraph_before(src, 7, "IMPORT\r", "\r");
        assert_eq!(apply(src, &[e]).0, "# head\r\rIMPORT\r\rfn x() do end\r");
        let src = "# head\r\rfn x() do end\r";
        let e = paragraph_before(src, 8, "IMPORT\r", "\r");
        assert_eq!(apply(src, &[e]).0, "# head\r\rIMPORT\r\rfn x() do end\r");
        let e = paragraph_at_end("# only", "H\r", "\r");
        assert_eq!(apply("# only", &[e]).0, "# only\r\rH\r");
        let e = paragraph_at_end("# a\r\r", "H\r", "\r");
        assert_eq!(apply("# a\r\r", &[e]).0, "# a\r\rH\r");
    }

    #[test]
    fn paragraphs_get_blank_lines() {
        let src = "# head\nfn x() do end\n";
        let e = paragraph_before(src, 7, "IMPORT\n", "\n");
        assert_eq!(apply(src, &[e]).0, "# head\n\nIMPORT\n\nfn x() do end\n");
        let src = "# head\n\nfn x() do end\n";
        let e = paragraph_before(src, 8, "IMPORT\n", "\n");
        assert_eq!(apply(src, &[e]).0, "# head\n\nIMPORT\n\nfn x() do end\n");
        let e = paragraph_at_end("# only", "H\n", "\n");
        assert_eq!(apply("# only", &[e]).0, "# only\n\nH\n");
    }
}
