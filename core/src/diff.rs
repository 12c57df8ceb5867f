//! Stage 3: before/after texts → a git-style unified patch, and structured hunks for the page.

use serde::Serialize;
use similar::udiff::UnifiedHunkHeader;
use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffOp, DiffTag};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

/// Lines of context around each change, as `git diff` uses.
pub const CONTEXT: usize = 3;

/// A unified diff of one file with git headers, applicable with `git apply` from the project root.
/// `old` is None for a file the rewrite creates. Returns "" when nothing changed.
pub fn patch(path: &str, old: Option<&str>, new: &str) -> String {
    if old == Some(new) {
        return String::new();
    }
    between(path, old, Some(new))
}

/// The patch that deletes `path`, whose text is `old`, as `git diff` writes it (without the `index`
/// line): what undoing a created file applies.
pub fn deletion_patch(path: &str, old: &str) -> String {
    between(path, Some(old), None)
}

/// A git patch from `old` to `new`; None on a side is a file that does not exist there.
fn between(path: &str, old: Option<&str>, new: Option<&str>) -> String {
    // Git's lines end at '\n' only: a lone '\r' (a Mesh newline) stays inside a patch line, and
    // a file of CR-only lines is one git line. (similar's line diff also splits at a lone '\r',
    // which git then reads as a corrupt patch.)
    let old_lines = git_lines(old.unwrap_or(""));
    let new_lines = git_lines(new.unwrap_or(""));
    let ops = diff_tokens(&old_lines, &new_lines);
    write_patch(path, old.is_some(), new.is_some(), &old_lines, &new_lines, ops)
}

/// Where an edit changed a text: bytes `old` of the text before became bytes `new` of the text
/// after. The rewrite keeps its edits as splices, so its patch needs no line diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// `patch` of a `new` text that `splices` (sorted, not overlapping) made from `old`: the same
/// patch, its changed lines found from the splices instead of a line diff of the two texts (the
/// line diff was half of the patch's cost). Where the two could differ it is the line diff's.
pub fn patch_spliced(path: &str, old: &str, new: &str, splices: &[Splice]) -> String {
    if old == new {
        return String::new();
    }
    let (old_lines, new_lines) = (git_lines(old), git_lines(new));
    let ops = spliced_ops((old, &old_lines), (new, &new_lines), splices)
        .unwrap_or_else(|| diff_tokens(&old_lines, &new_lines));
    write_patch(path, true, true, &old_lines, &new_lines, ops)
}

/// The line diff's ops, read off the lines the splices touch. They are the line diff's when no
/// changed line is also a line of the other text: then the lines kept are exactly the lines
/// outside the blocks, the only longest common subsequence, which Myers finds. None otherwise
/// (a changed blank line, say), and past `SPLICED_LINES` changed lines (the check compares
/// each line of a text with all of them).
fn spliced_ops(old: (&str, &[&str]), new: (&str, &[&str]), splices: &[Splice]) -> Option<Vec<DiffOp>> {
    let ((_, old_lines), (_, new_lines)) = (old, new);
    // Each splice touches whole lines: from the line holding its start to the line holding its
    // end (whose rest follows the new text). Blocks sharing or touching a line are one block.
    let block = |(text, lines): (&str, &[&str]), r: &Range<usize>| {
        line_of(text, lines, r.start)..(line_of(text, lines, r.end) + 1).min(lines.len())
    };
    let mut blocks: Vec<(Range<usize>, Range<usize>)> = Vec::with_capacity(splices.len());
    for s in splices {
        let (old_block, new_block) = (block(old, &s.old), block(new, &s.new));
        match blocks.last_mut() {
            Some((o, n)) if old_block.start <= o.end => {
                o.end = o.end.max(old_block.end);
                n.end = n.end.max(new_block.end);
            }
            _ => blocks.push((old_block, new_block)),
        }
    }
    let mut ops = Vec::with_capacity(2 * blocks.len() + 1);
    let (mut o, mut n) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (mut ob, mut nb) in blocks {
        // The lines between blocks are the same text on both sides.
        if ob.start < o || ob.start - o != nb.start.checked_sub(n)? {
            return None;
        }
        while !ob.is_empty() && !nb.is_empty() && old_lines[ob.start] == new_lines[nb.start] {
            ob.start += 1;
            nb.start += 1;
        }
        while !ob.is_empty() && !nb.is_empty() && old_lines[ob.end - 1] == new_lines[nb.end - 1] {
            ob.end -= 1;
            nb.end -= 1;
        }
        if ob.is_empty() && nb.is_empty() {
            continue;
        }
        removed.extend_from_slice(&old_lines[ob.clone()]);
        added.extend_from_slice(&new_lines[nb.clone()]);
        if removed.len() + added.len() > SPLICED_LINES {
            return None;
        }
        if ob.start > o {
            ops.push(DiffOp::Equal { old_index: o, new_index: n, len: ob.start - o });
        }
        ops.push(match (ob.len(), nb.len()) {
            (0, new_len) => DiffOp::Insert { old_index: ob.start, new_index: nb.start, new_len },
            (old_len, 0) => DiffOp::Delete { old_index: ob.start, old_len, new_index: nb.start },
            (old_len, new_len) => DiffOp::Replace { old_index: ob.start, old_len, new_index: nb.start, new_len },
        });
        (o, n) = (ob.end, nb.end);
    }
    let same_tail = old_lines.len() - o == new_lines.len().checked_sub(n)?;
    if !same_tail || any_line_in(&removed, new_lines) || any_line_in(&added, old_lines) {
        return None;
    }
    if o < old_lines.len() {
        ops.push(DiffOp::Equal { old_index: o, new_index: n, len: old_lines.len() - o });
    }
    Some(ops)
}

/// Changed lines past which `spliced_ops` leaves the patch to the line diff.
const SPLICED_LINES: usize = 64;

/// Whether one of `changed` (at most `SPLICED_LINES`) is one of `lines`. Lines are compared only
/// where the lengths agree (a bit per length), so a pass costs a few instructions a line.
fn any_line_in(changed: &[&str], lines: &[&str]) -> bool {
    let bit = |line: &str| line.len().min(255);
    let mut lengths = [0u64; 4];
    for line in changed {
        lengths[bit(line) / 64] |= 1 << (bit(line) % 64);
    }
    lines.iter().any(|line| lengths[bit(line) / 64] & (1 << (bit(line) % 64)) != 0 && changed.contains(line))
}

/// The index of the line of `lines` (`text`'s git lines) holding byte `at`; `lines.len()` at the
/// end of a text that ends with a line break.
fn line_of(text: &str, lines: &[&str], at: usize) -> usize {
    let base = text.as_ptr() as usize;
    lines.partition_point(|l| l.as_ptr() as usize - base + l.len() <= at)
}

/// The patch of `ops` between the two sides' lines; `old_exists`/`new_exists` false for a file
/// created or deleted.
fn write_patch(
    path: &str,
    old_exists: bool,
    new_exists: bool,
    old_lines: &[&str],
    new_lines: &[&str],
    ops: Vec<DiffOp>,
) -> String {
    let (a, b) = (git_name("a/", path), git_name("b/", path));
    let mut out = format!("diff --git {a} {b}\n");
    if !old_exists {
        out.push_str("new file mode 100644\n");
        let _ = writeln!(out, "--- /dev/null\n+++ {b}");
    } else if !new_exists {
        out.push_str("deleted file mode 100644\n");
        let _ = writeln!(out, "--- {a}\n+++ /dev/null");
    } else {
        let _ = writeln!(out, "--- {a}\n+++ {b}");
    }
    for ops in group_diff_ops(ops, CONTEXT).into_iter().filter(|ops| !ops.is_empty()) {
        let _ = writeln!(out, "{}", UnifiedHunkHeader::new(&ops));
        for op in &ops {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => patch_lines(&mut out, ' ', &old_lines[old_range]),
                DiffTag::Delete => patch_lines(&mut out, '-', &old_lines[old_range]),
                DiffTag::Insert => patch_lines(&mut out, '+', &new_lines[new_range]),
                DiffTag::Replace => {
                    patch_lines(&mut out, '-', &old_lines[old_range]);
                    patch_lines(&mut out, '+', &new_lines[new_range]);
                }
            }
        }
    }
    out
}

/// `text`'s lines, each with its `\n`: `split_inclusive('\n')`, found by memchr (which searched
/// char by char: 16M of the patch's 73M instructions on 324 files, about what the diff took).
pub(crate) fn git_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..=end]);
        start = end + 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

fn patch_lines(out: &mut String, sign: char, lines: &[&str]) {
    for line in lines {
        out.push(sign);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

/// Every diff of the engine goes through here: `similar`'s Myers (with its compaction) over tokens
/// interned as `u32`. The algorithm is generic over what it compares; comparing only `u32`s
/// instantiates it once for the patch, the page's hunks, their inline marks and links, where one
/// instantiation per token type cost the page ~200 KB of wasm.
pub(crate) fn diff_tokens<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<DiffOp> {
    // foldhash: seeded per process like std's SipHash, so crafted lines cannot make it quadratic;
    // this function took 44.8M instructions with SipHash, 26.3M with it (324 files' patches).
    let mut ids: HashMap<&'a str, u32, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(old.len() + new.len(), Default::default());
    let mut intern = |token: &'a str| -> u32 {
        let next = ids.len() as u32;
        *ids.entry(token).or_insert(next)
    };
    let old: Vec<u32> = old.iter().map(|t| intern(t)).collect();
    let new: Vec<u32> = new.iter().map(|t| intern(t)).collect();
    capture_diff_slices(Algorithm::Myers, &old, &new)
}

/// The ops of the line diff in hunks with `CONTEXT` lines around each change.
fn grouped(old: &[&str], new: &[&str]) -> Vec<Vec<DiffOp>> {
    group_diff_ops(diff_tokens(old, new), CONTEXT).into_iter().filter(|ops| !ops.is_empty()).collect()
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    Context,
    Removed,
    Added,
}

/// One line of a hunk: 1-based line numbers on each side, its text without the line ending,
/// and the byte ranges within `text` that changed (inline emphasis; empty for context lines).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
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
    let (old, new) = (split_lines(old), split_lines(new));
    grouped(&old, &new).iter().map(|ops| hunk(&old, &new, ops)).collect()
}

/// Lines with their endings, ended by `\n`, `\r\n` or a lone `\r` (Mesh's newlines).
fn split_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            lines.push(&text[start..=i]);
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

fn hunk(old: &[&str], new: &[&str], ops: &[DiffOp]) -> Hunk {
    let (first, last) = (&ops[0], &ops[ops.len() - 1]);
    let old_span = first.old_range().start..last.old_range().end;
    let new_span = first.new_range().start..last.new_range().end;
    let start = |r: &Range<usize>| if r.is_empty() { r.start } else { r.start + 1 };
    let mut lines = Vec::new();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (o, n) in old_range.zip(new_range) {
                    lines.push(line(LineKind::Context, Some(o), Some(n), old[o], Vec::new()));
                }
            }
            DiffTag::Delete => lines.extend(old_range.map(|o| line(LineKind::Removed, Some(o), None, old[o], Vec::new()))),
            DiffTag::Insert => lines.extend(new_range.map(|n| line(LineKind::Added, None, Some(n), new[n], Vec::new()))),
            DiffTag::Replace => {
                // Lines paired in order are marked word by word; a line without a partner is all new.
                let marks: Vec<_> = old_range.clone().zip(new_range.clone()).map(|(o, n)| word_marks(old[o], new[n])).collect();
                for (i, o) in old_range.enumerate() {
                    let changed = marks.get(i).map_or_else(|| whole(old[o]), |m| m.0.clone());
                    lines.push(line(LineKind::Removed, Some(o), None, old[o], changed));
                }
                for (i, n) in new_range.enumerate() {
                    let changed = marks.get(i).map_or_else(|| whole(new[n]), |m| m.1.clone());
                    lines.push(line(LineKind::Added, None, Some(n), new[n], changed));
                }
            }
        }
    }
    Hunk {
        old_start: start(&old_span),
        old_len: old_span.len(),
        new_start: start(&new_span),
        new_len: new_span.len(),
        lines,
    }
}

/// A hunk line from a line with its ending (indexes 0-based).
fn line(kind: LineKind, old: Option<usize>, new: Option<usize>, raw: &str, changed: Vec<(usize, usize)>) -> Line {
    let text = content(raw);
    Line {
        kind,
        old_line: old.map(|i| i + 1),
        new_line: new.map(|i| i + 1),
        text: text.to_owned(),
        changed: changed.into_iter().filter_map(|(s, e)| (s < e.min(text.len())).then(|| (s, e.min(text.len())))).collect(),
        no_newline: !raw.ends_with('\n'),
    }
}

/// A line without its ending.
fn content(raw: &str) -> &str {
    raw.trim_end_matches(['\n', '\r'])
}

fn whole(raw: &str) -> Vec<(usize, usize)> {
    vec![(0, content(raw).len())]
}

/// The byte ranges that differ between two lines, on each side: a diff of their words (runs of
/// whitespace and runs of anything else), adjacent changed words merged.
fn word_marks(old: &str, new: &str) -> (Vec<(usize, usize)>, Vec<(usize, usize)>) {
    let (old_words, new_words) = (words(content(old)), words(content(new)));
    let (mut old_marks, mut new_marks) = (Vec::new(), Vec::new());
    let offset = |words: &[&str], i: usize| words[..i].iter().map(|w| w.len()).sum::<usize>();
    let mark = |marks: &mut Vec<(usize, usize)>, words: &[&str], range: Range<usize>| {
        if range.is_empty() {
            return;
        }
        let (s, e) = (offset(words, range.start), offset(words, range.end));
        match marks.last_mut() {
            Some((_, end)) if *end == s => *end = e,
            _ => marks.push((s, e)),
        }
    };
    for op in diff_tokens(&old_words, &new_words) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag != DiffTag::Equal {
            mark(&mut old_marks, &old_words, o);
            mark(&mut new_marks, &new_words, n);
        }
    }
    (old_marks, new_marks)
}

fn words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (i, c) in text.char_indices() {
        let is_space = c.is_whitespace();
        if space.is_some_and(|s| s != is_space) {
            words.push(&text[start..i]);
            start = i;
        }
        space = Some(is_space);
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
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

    /// The patch as `similar`'s own `TextDiff` writes it (the implementation before `diff_tokens`).
    fn reference_patch(old: &str, new: &str) -> String {
        use similar::{ChangeTag, TextDiff};
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
        let diff = TextDiff::configure().diff_slices(&old_lines, &new_lines);
        let mut out = String::new();
        for ops in diff.grouped_ops(CONTEXT).iter().filter(|ops| !ops.is_empty()) {
            let _ = writeln!(out, "{}", UnifiedHunkHeader::new(ops));
            for change in ops.iter().flat_map(|op| diff.iter_changes(op)) {
                out.push(match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                });
                out.push_str(change.value());
                if !change.value().ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
        out
    }

    #[test]
    fn interned_diffs_write_the_patch_similar_writes() {
        let base: String = (0..60).map(|i| format!("line {}\n", i % 7)).collect();
        let lines: Vec<&str> = base.split_inclusive('\n').collect();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..300 {
            let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            for _ in 0..rng.usize(1..6) {
                let at = rng.usize(0..edited.len());
                match rng.u8(0..4) {
                    0 => drop(edited.remove(at)),
                    1 => edited.insert(at, format!("new {}\n", rng.u8(0..3))),
                    2 => edited[at] = format!("changed {}\n", rng.u8(0..3)),
                    _ => edited[at] = edited[at].trim_end().to_owned() + "\r\n",
                }
            }
            let mut new = edited.concat();
            if rng.bool() {
                new.pop();
            }
            let ours = patch("f", Some(&base), &new);
            let body = ours.strip_prefix("diff --git a/f b/f\n--- a/f\n+++ b/f\n").unwrap_or_default();
            assert_eq!(body, reference_patch(&base, &new), "{new:?}");
        }
    }

    /// Random texts of few distinct lines (blocks meet equal lines and can slide), random splices.
    fn spliced_cases(seed: u64, count: usize) -> impl Iterator<Item = (String, String, Vec<Splice>)> {
        const PIECES: [&str; 7] = ["a\n", "b\n", "\n", "x", "y\r", "let r = f()\n", "\r\n"];
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..count).map(move |_| {
            let piece = |rng: &mut fastrand::Rng| PIECES[rng.usize(..PIECES.len())];
            let old: String = (0..rng.usize(0..24)).map(|_| piece(&mut rng)).collect();
            let mut cuts: Vec<usize> = (0..2 * rng.usize(1..5)).map(|_| rng.usize(0..=old.len())).collect();
            cuts.sort();
            let (mut new, mut splices, mut at) = (String::new(), Vec::new(), 0);
            for pair in cuts.chunks(2) {
                new.push_str(&old[at..pair[0]]);
                // Half the inserted lines are new to the text, half repeat its lines.
                let text: String = (0..rng.usize(0..3))
                    .map(|_| if rng.bool() { piece(&mut rng).to_owned() } else { format!("new {}\n", rng.u8(..)) })
                    .collect();
                splices.push(Splice { old: pair[0]..pair[1], new: new.len()..new.len() + text.len() });
                new.push_str(&text);
                at = pair[1];
            }
            new.push_str(&old[at..]);
            (old, new, splices)
        })
    }

    #[test]
    fn spliced_patches_are_the_line_diffs() {
        let mut read_off = 0;
        for (old, new, splices) in spliced_cases(11, 20_000) {
            let spliced = patch_spliced("f", &old, &new, &splices);
            assert_eq!(spliced, patch("f", Some(&old), &new), "{old:?} → {new:?} by {splices:?}");
            let (old_lines, new_lines) = (git_lines(&old), git_lines(&new));
            let own = spliced_ops((&old, &old_lines), (&new, &new_lines), &splices).is_some();
            read_off += usize::from(old != new && own);
        }
        // A third of the cases take the splices' own path (the others change a line this small
        // alphabet repeats, and fall back).
        assert!(read_off > 5_000, "{read_off}");
    }

    #[test]
    fn lines_end_at_lf_crlf_or_a_lone_cr() {
        assert_eq!(split_lines("a\nb\r\nc\rd"), ["a\n", "b\r\n", "c\r", "d"]);
        assert_eq!(split_lines(""), Vec::<&str>::new());
    }

    #[test]
    fn replaced_lines_are_marked_word_by_word_and_unpaired_ones_whole() {
        let h = &hunks("a\nfoo  bar baz\nz\n", "a\nfoo qux baz\nextra line\nz\n")[0];
        let marked: Vec<(LineKind, Vec<&str>)> =
            h.lines.iter().map(|l| (l.kind, l.changed.iter().map(|&(s, e)| &l.text[s..e]).collect())).collect();
        assert_eq!(
            marked,
            [
                (LineKind::Context, vec![]),
                (LineKind::Removed, vec!["  bar"]),
                (LineKind::Added, vec!["qux "]),
                (LineKind::Added, vec!["extra line"]),
                (LineKind::Context, vec![]),
            ]
        );
    }

    #[test]
    fn a_deletion_patch_is_gits() {
        assert_eq!(
            deletion_patch("api/h.mpl", "one\ntwo\n"),
            "diff --git a/api/h.mpl b/api/h.mpl\ndeleted file mode 100644\n--- a/api/h.mpl\n+++ /dev/null\n\
             @@ -1,2 +0,0 @@\n-one\n-two\n"
        );
        assert_eq!(
            deletion_patch("caf\u{e9}.mpl", "x"),
            "diff --git \"a/caf\\303\\251.mpl\" \"b/caf\\303\\251.mpl\"\ndeleted file mode 100644\n\
             --- \"a/caf\\303\\251.mpl\"\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn crlf_lines_keep_their_endings_in_the_patch() {
        let p = patch("w", Some("a\r\nb\r\n"), "a\r\nc\r\n");
        assert!(p.ends_with("@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"), "{p:?}");
    }
}
