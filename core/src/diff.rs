//! Stage 3: before/after texts → a git-style unified patch, and structured hunks for the page.

use serde::Serialize;
use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, DiffOp, InlineChangeOptions, TextDiff};
use std::fmt::Write as _;

/// Lines of context around each change, as `git diff` uses.
pub const CONTEXT: usize = 3;

/// A unified diff of one file with git headers, applicable with `git apply` from the project root.
/// `old` is None for a file the rewrite creates. Returns "" when nothing changed.
pub fn patch(path: &str, old: Option<&str>, new: &str) -> String {
    if old == Some(new) {
        return String::new();
    }
    // Git's lines end at '\n' only: a lone '\r' (a Mesh newline) stays inside a patch line, and
    // a file of CR-only lines is one git line. (similar's line diff also splits at a lone '\r',
    // which git then reads as a corrupt patch.)
    let old_lines: Vec<&str> = old.unwrap_or("").split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let diff = TextDiff::configure().diff_slices(&old_lines, &new_lines);
    let (a, b) = (git_name("a/", path), git_name("b/", path));
    let mut out = format!("diff --git {a} {b}\n");
    match old {
        None => {
            out.push_str("new file mode 100644\n");
            let _ = writeln!(out, "--- /dev/null\n+++ {b}");
        }
        Some(_) => {
            let _ = writeln!(out, "--- {a}\n+++ {b}");
        }
    }
    for ops in diff.grouped_ops(CONTEXT).iter().filter(|ops| !ops.is_empty()) {
        let _ = writeln!(out, "{}", UnifiedHunkHeader::new(ops));
        for op in ops {
            for change in diff.iter_changes(op) {
                out.push(match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                });
                let line = change.value();
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// `prefix` + `path` as git writes a file name in patch headers: in double quotes with C escapes
/// when it holds a control character, a quote, a backslash or a non-ASCII byte (git's default
/// `core.quotePath`), as it is otherwise. `git apply` reads both forms.
fn git_name(prefix: &str, path: &str) -> String {
    let name = format!("{prefix}{path}");
    if !name.bytes().any(|b| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\') {
        return name;
    }
    let mut quoted = String::from('"');
    for b in name.bytes() {
        match b {
            0x07 => quoted.push_str("\\a"),
            0x08 => quoted.push_str("\\b"),
            b'\t' => quoted.push_str("\\t"),
            b'\n' => quoted.push_str("\\n"),
            0x0b => quoted.push_str("\\v"),
            0x0c => quoted.push_str("\\f"),
            b'\r' => quoted.push_str("\\r"),
            b'"' => quoted.push_str("\\\""),
            b'\\' => quoted.push_str("\\\\"),
            b if !(0x20..0x7f).contains(&b) => {
                let _ = write!(quoted, "\\{b:03o}");
            }
            b => quoted.push(char::from(b)),
        }
    }
    quoted.push('"');
    quoted
}

/// The kind of one diff line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    Context,
    Removed,
    Added,
}

/// One line of a hunk: 1-based line numbers on each side, its text without the line ending,
/// and the byte ranges within `text` that changed (inline emphasis; empty for context lines).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub kind: LineKind,
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    pub text: String,
    pub changed: Vec<(usize, usize)>,
    /// The last line of its side has no line ending.
    pub no_newline: bool,
}

/// A hunk: where it starts on each side (1-based; 0 for an empty side) and its lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<Line>,
}

/// The hunks of the diff from `old` to `new` with `CONTEXT` lines of context, inline changes marked.
pub fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    let diff = line_diff(old, new);
    diff.grouped_ops(CONTEXT).iter().filter(|ops| !ops.is_empty()).map(|ops| hunk(&diff, ops)).collect()
}

fn hunk(diff: &TextDiff<'_, '_, str>, ops: &[DiffOp]) -> Hunk {
    let (first, last) = (&ops[0], &ops[ops.len() - 1]);
    let old = first.old_range().start..last.old_range().end;
    let new = first.new_range().start..last.new_range().end;
    let start = |r: &std::ops::Range<usize>| if r.is_empty() { r.start } else { r.start + 1 };
    let mut lines = Vec::new();
    for op in ops {
        // No deadline: std's clock is unavailable in wasm32, and these diffs are small.
        for change in diff.iter_inline_changes_with_options_deadline(op, InlineChangeOptions::new(), None) {
            let kind = match change.tag() {
                ChangeTag::Equal => LineKind::Context,
                ChangeTag::Delete => LineKind::Removed,
                ChangeTag::Insert => LineKind::Added,
            };
            let mut text = String::new();
            let mut changed = Vec::new();
            for (emphasized, value) in change.values() {
                if *emphasized && kind != LineKind::Context {
                    let (start, end) = (text.len(), text.len() + value.len());
                    match changed.last_mut() {
                        Some((_, last_end)) if *last_end == start => *last_end = end,
                        _ => changed.push((start, end)),
                    }
                }
                text.push_str(value);
            }
            let no_newline = !text.ends_with('\n');
            let trimmed = text.trim_end_matches(['\n', '\r']).len();
            text.truncate(trimmed);
            changed.retain_mut(|(s, e)| {
                *e = (*e).min(trimmed);
                s < e
            });
            lines.push(Line {
                kind,
                old_line: change.old_index().map(|i| i + 1),
                new_line: change.new_index().map(|i| i + 1),
                text,
                changed,
                no_newline,
            });
        }
    }
    Hunk { old_start: start(&old), old_len: old.len(), new_start: start(&new), new_len: new.len(), lines }
}

fn line_diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, str> {
    TextDiff::configure().diff_lines(old, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_file_has_git_headers_and_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            patch("x/y.mpl", Some(old), new),
            "diff --git a/x/y.mpl b/x/y.mpl\n--- a/x/y.mpl\n+++ b/x/y.mpl\n\
             @@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
        assert_eq!(patch("x", Some(old), old), "");
    }

    #[test]
    fn created_file_diffs_against_dev_null() {
        assert_eq!(
            patch("h.mpl", None, "one\ntwo\n"),
            "diff --git a/h.mpl b/h.mpl\nnew file mode 100644\n--- /dev/null\n+++ b/h.mpl\n\
             @@ -0,0 +1,2 @@\n+one\n+two\n"
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        assert_eq!(
            patch("f", Some("a\nb"), "a\nc"),
            "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn hunks_carry_line_numbers_and_inline_ranges() {
        let hunks = hunks("x\nlet r = Process.whereis(\"m\")\ny\n", "x\nlet r = get_registry()\ny\n");
        assert_eq!(hunks.len(), 1);
        let h = &hunks[0];
        assert_eq!((h.old_start, h.old_len, h.new_start, h.new_len), (1, 3, 1, 3));
        let kinds: Vec<_> = h.lines.iter().map(|l| (l.kind, l.old_line, l.new_line)).collect();
        assert_eq!(
            kinds,
            [
                (LineKind::Context, Some(1), Some(1)),
                (LineKind::Removed, Some(2), None),
                (LineKind::Added, None, Some(2)),
                (LineKind::Context, Some(3), Some(3)),
            ]
        );
        let added = &h.lines[2];
        assert_eq!(added.text, "let r = get_registry()");
        let spans: Vec<_> = added.changed.iter().map(|&(s, e)| &added.text[s..e]).collect();
        assert_eq!(spans, ["get_registry()"]);
        assert!(h.lines.iter().all(|l| !l.no_newline));
    }

    #[test]
    fn cr_only_lines_stay_inside_one_git_line() {
        assert_eq!(
            patch("w", Some("a\rb\r"), "a\rc\r"),
            "diff --git a/w b/w\n--- a/w\n+++ b/w\n@@ -1 +1 @@\n-a\rb\r\n\\ No newline at end of file\n+a\rc\r\n\\ No newline at end of file\n"
        );
        assert_eq!(
            patch("w", Some("a\rb"), "a\rb\nfrom X import y\n"),
            "diff --git a/w b/w\n--- a/w\n+++ b/w\n@@ -1 +1,2 @@\n-a\rb\n\\ No newline at end of file\n+a\rb\n+from X import y\n"
        );
    }

    #[test]
    fn names_git_would_quote_are_quoted_like_git() {
        assert_eq!(git_name("a/", "api/x.mpl"), "a/api/x.mpl");
        assert_eq!(git_name("a/", "with space.mpl"), "a/with space.mpl");
        assert_eq!(git_name("a/", "a\tb.mpl"), "\"a/a\\tb.mpl\"");
        assert_eq!(git_name("b/", "l\nm\"q\\.mpl"), "\"b/l\\nm\\\"q\\\\.mpl\"");
        assert_eq!(git_name("a/", "caf\u{e9}\u{1}\u{7f}.mpl"), "\"a/caf\\303\\251\\001\\177.mpl\"");
        let p = patch("t\tx.mpl", None, "a\n");
        assert!(p.starts_with("diff --git \"a/t\\tx.mpl\" \"b/t\\tx.mpl\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/t\\tx.mpl\"\n"), "{p}");
    }

    #[test]
    fn crlf_lines_keep_their_endings_in_the_patch() {
        let p = patch("w", Some("a\r\nb\r\n"), "a\r\nc\r\n");
        assert!(p.ends_with("@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"), "{p:?}");
    }
}
