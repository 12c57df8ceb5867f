//! Engine results → what the panels show, as plain owned data and pure functions
//! (comparable, so memos skip re-rendering when an edit leaves the result unchanged).

use crate::engine::Analysis;
use mesh_rewrite::diff::Hunk;
use mesh_rewrite::highlight::Span;
use mesh_rewrite::rewrite::report::{HelperAction, Report, SkipReason};
use mesh_rewrite::rewrite::rule::HelperForm;
use mesh_rewrite::verdict::{FormVerdict, Verdict};

/// `x` to a tenth (`12.3`), from integers: formatting an f64 would bring core's float printer (11 KB)
/// into the page. Values are non-negative (times, pixels).
pub fn tenths(x: f64) -> String {
    let t = (x * 10.0).round() as u64;
    format!("{}.{}", t / 10, t % 10)
}

/// A name for code pasted or typed into an empty page: its first function's (`handle_x.mpl`),
/// else `scratch.mpl`.
pub fn derive_name(text: &str) -> String {
    let name = text.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("pub ").unwrap_or(line.trim_start());
        let rest = rest.strip_prefix("fn ")?.trim_start();
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
    });
    format!("{}.mpl", name.as_deref().unwrap_or("scratch"))
}

/// The report as the report panel shows it: byte offsets zeroed. An edit shifts every later
/// offset, but the panel shows lines and columns (and looks offsets up when an item is clicked),
/// so two analyses with the same shape render the same panel.
pub fn report_shape(analysis: &Analysis) -> Option<Report> {
    let mut report = analysis.outcome.as_ref()?.report.clone();
    for file in &mut report.files {
        for r in &mut file.replacements {
            (r.start_byte, r.end_byte, r.new_start_byte, r.new_end_byte) = (0, 0, 0, 0);
        }
        for s in &mut file.skipped {
            (s.start_byte, s.end_byte) = (0, 0);
        }
    }
    for d in &mut report.diagnostics {
        (d.start_byte, d.end_byte) = (0, 0);
    }
    Some(report)
}

/// Whether the report panel would show `new` differently from `old` (see `report_shape`).
pub fn report_changed(old: &Analysis, new: &Analysis) -> bool {
    old.stale != new.stale || summary(old) != summary(new) || report_shape(old) != report_shape(new)
}

/// Where to run `git apply` with the downloaded patch: its paths start with the folder the
/// user brought (`base`, e.g. `mesher/`), or are the project's own.
pub fn apply_hint(base: &str) -> String {
    match base.split('/').next().filter(|first| !first.is_empty()) {
        Some(first) => format!("Run git apply on the patch from the folder that contains {first}/"),
        None => "Run git apply on the patch from the project's root folder".to_owned(),
    }
}

/// The line the diff and report show above a file that does not parse now but did before.
pub fn stale_note((line, column): (usize, usize)) -> String {
    format!("showing the last version without syntax errors (error at {line}:{column})")
}

/// What the file tree shows next to a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Badges {
    pub changed: bool,
    pub replacements: usize,
    pub errors: usize,
    /// Lookups kept as they are (excluded file, comment, syntax error…).
    pub skipped: usize,
    /// Of those, the ones the user chose to keep (unticked).
    pub chosen: usize,
    /// Created by the rewrite (the helper file when the project has none).
    pub created: bool,
}

pub fn file_badges(analysis: &Analysis, path: &str) -> Badges {
    let errors = analysis.errors.get(path).map_or(0, Vec::len);
    let Some(outcome) = &analysis.outcome else { return Badges { errors, ..Badges::default() } };
    let report = outcome.report.files.iter().find(|f| f.path == path);
    Badges {
        changed: outcome.files.iter().any(|f| f.path == path && f.changed()),
        replacements: report.map_or(0, |r| r.replacements.len()),
        errors,
        skipped: report.map_or(0, |r| r.skipped.len()),
        chosen: report.map_or(0, |r| r.skipped.iter().filter(|s| s.reason == SkipReason::Chosen).count()),
        created: outcome.files.iter().any(|f| f.path == path && f.original.is_none()),
    }
}

/// "41 replacements in 8 files · helper inserted in api/helpers.mpl"
pub fn summary(analysis: &Analysis) -> String {
    let Some(outcome) = &analysis.outcome else { return "No files".into() };
    let report = &outcome.report;
    let with = report.files.iter().filter(|f| !f.replacements.is_empty()).count();
    let helper = match report.helper.action {
        HelperAction::Inserted => format!("helper inserted in {}", report.helper.path),
        HelperAction::Present => format!("helper already in {}", report.helper.path),
        HelperAction::Created => format!("helper created as {}", report.helper.path),
        HelperAction::None => "no helper needed".into(),
        HelperAction::Blocked => format!("helper not inserted: {} has syntax errors", report.helper.path),
        HelperAction::Unread => format!("helper not inserted: {} could not be read", report.helper.path),
    };
    let chosen = report.files.iter().flat_map(|f| &f.skipped).filter(|s| s.reason == SkipReason::Chosen).count();
    let chosen = if chosen > 0 { format!(" · {chosen} skipped by choice") } else { String::new() };
    format!("{} in {}{chosen} · {helper}", plural(report.replacement_count(), "replacement"), plural(with, "file"))
}

/// Who a verdict row's sentence is about: the form's name, or the project's own helper.
pub fn form_subject(form: &str) -> String {
    if form == "project" { "The project's own helper".to_owned() } else { form.to_owned() }
}

/// A verdict row as one sentence: `node-local compiles and is never worse than today: ….`
pub fn form_sentence(f: &FormVerdict) -> String {
    format!("{} {}.", form_subject(&f.form), f.summary)
}

/// The form the verdict recommends, when it is not the current one and the rule can switch to it
/// (the project's own helper is no form of the rule).
pub fn switch_target(verdict: &Verdict) -> Option<HelperForm> {
    verdict.recommended.as_deref().filter(|r| *r != verdict.current).and_then(HelperForm::from_name)
}

/// Why downloading the current form's rewrite needs a confirmation; None when it is safe to ship.
pub fn download_warning(verdict: &Verdict) -> Option<String> {
    let current = verdict.form(&verdict.current)?;
    if current.safe() {
        return None;
    }
    let subject = match current.form.as_str() {
        "project" => "The project's own helper".to_owned(),
        form => format!("The {form} helper"),
    };
    let advice = match &verdict.recommended {
        Some(r) => format!("Ship {r} instead."),
        None => "No helper form is safe to ship.".to_owned(),
    };
    Some(format!("{subject} {}. {advice}", current.summary))
}

/// What the toolbar offers to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Download {
    Patch,
    Zip,
    /// One file of the rewritten project, by path.
    File(String),
}

impl Download {
    /// The patch and the zip name the helper form they hold (`mesh-rewrite-node-local.patch`); a
    /// single file keeps its own name, to drop in place of the original.
    pub fn name(&self, form: &str) -> String {
        let form = if form == "project" { "project-helper" } else { form };
        match self {
            Download::Patch => format!("mesh-rewrite-{form}.patch"),
            Download::Zip => format!("mesh-rewritten-{form}.zip"),
            Download::File(path) => path.rsplit('/').next().unwrap_or(path).to_owned(),
        }
    }
}

/// Paths of the files the rewrite changes, in the report's order.
pub fn changed_paths(analysis: &Analysis) -> Vec<String> {
    let Some(outcome) = &analysis.outcome else { return Vec::new() };
    outcome.files.iter().filter(|f| f.changed()).map(|f| f.path.clone()).collect()
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Lines added and removed over all hunks.
pub fn counts(hunks: &[Hunk]) -> (usize, usize) {
    use mesh_rewrite::diff::LineKind;
    let lines = hunks.iter().flat_map(|h| &h.lines);
    let added = lines.clone().filter(|l| l.kind == LineKind::Added).count();
    (added, lines.filter(|l| l.kind == LineKind::Removed).count())
}

/// The original line that line `new` (1-based) of the rewritten file corresponds to: itself
/// shifted by the hunks above it, or the nearest original line inside a hunk.
pub fn old_line_of(hunks: &[Hunk], new: usize) -> usize {
    let mut shift: isize = 0;
    for h in hunks {
        if new < h.new_start {
            break;
        }
        if new < h.new_start + h.new_len {
            let mut last_old = h.old_start.max(1);
            for l in &h.lines {
                if let Some(o) = l.old_line {
                    last_old = o;
                }
                if l.new_line == Some(new) {
                    return l.old_line.unwrap_or(last_old);
                }
            }
            return last_old;
        }
        shift = (h.old_start + h.old_len) as isize - (h.new_start + h.new_len) as isize;
    }
    (new as isize + shift).max(1) as usize
}

/// Byte range of 1-based line `line` in `text` (without its line ending).
pub fn line_range(text: &str, line: usize) -> (usize, usize) {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1)
    };
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (start, end)
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// A byte offset as the UTF-16 offset a textarea's selection uses.
pub fn byte_to_utf16(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].encode_utf16().count() as u32
}

/// A textarea's UTF-16 offset as a byte offset into `text`.
pub fn utf16_to_byte(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// Carries highlight spans of `old` over to `new` while the engine has not re-run yet:
/// spans before the edit stay, spans after it move by its length, spans it touches drop.
pub fn shift_spans(old: &str, new: &str, spans: &[Span]) -> Vec<Span> {
    let prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let old_end = old.len() - suffix;
    let delta = new.len() as isize - old.len() as isize;
    spans
        .iter()
        .filter_map(|s| {
            if s.range.end <= prefix {
                Some(s.clone())
            } else if s.range.start >= old_end {
                let start = (s.range.start as isize + delta) as usize;
                let end = (s.range.end as isize + delta) as usize;
                Some(Span { range: start..end, class: s.class })
            } else {
                None
            }
        })
        .filter(|s| new.is_char_boundary(s.range.start) && new.is_char_boundary(s.range.end))
        .collect()
}

/// The editor's error layer: the text (drawn transparent) with each syntax error's range in a
/// `<span class="syntax-mark">` (underlined) titled `LINE:COL message`. An empty range (a missing
/// token) marks the character after it, or a space at the end of its line.
pub fn error_marks_html(text: &str, errors: &[mesh_rewrite::parse::SyntaxError]) -> String {
    let mut out = String::with_capacity(text.len() + errors.len() * 64);
    let mut at = 0;
    for e in errors {
        let start = e.start_byte;
        if start < at || start > text.len() || !text.is_char_boundary(start) {
            continue;
        }
        let mut end = e.end_byte.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if end == start {
            end = text[start..].chars().next().filter(|c| *c != '\n').map_or(start, |c| start + c.len_utf8());
        }
        escape_into(&mut out, &text[at..start]);
        out.push_str("<span class=\"syntax-mark\" data-testid=\"syntax-mark\" data-message=\"");
        let mut message = String::new();
        escape_into(&mut message, &format!("{}:{} {}", e.line, e.column, e.message));
        out.push_str(&message.replace('"', "&quot;"));
        out.push_str("\">");
        if end == start {
            out.push(' ');
        } else {
            escape_into(&mut out, &text[start..end]);
        }
        out.push_str("</span>");
        at = end;
    }
    escape_into(&mut out, &text[at..]);
    out.push(' ');
    out
}

/// Lines `window` (0-based) of `text` as HTML, `<span class="hl-function-call">` around highlighted
/// runs (a span across lines is cut at each newline), so the editor's layer can keep the DOM of
/// every line an edit did not touch, and draw only the lines in view. An empty line is one space
/// (a line box needs content); a text ending in a newline ends with such a line, as the textarea does.
pub fn highlight_lines(text: &str, spans: &[Span], window: std::ops::Range<usize>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut first = 0;
    let mut start = 0;
    for _ in 0..window.start {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return lines,
        }
    }
    for _ in window {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let mut out = String::new();
        let mut at = start;
        while first < spans.len() && spans[first].range.end <= start {
            first += 1;
        }
        for s in spans[first..].iter().take_while(|s| s.range.start < end) {
            let (a, b) = (s.range.start.max(start), s.range.end.min(end));
            if a < at || a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
                continue;
            }
            escape_into(&mut out, &text[at..a]);
            out.push_str("<span class=\"hl-");
            out.push_str(&s.class.replace('.', "-"));
            out.push_str("\">");
            escape_into(&mut out, &text[a..b]);
            out.push_str("</span>");
            at = b;
        }
        escape_into(&mut out, &text[at..end]);
        if out.is_empty() {
            out.push(' ');
        }
        lines.push(out);
        if end == text.len() {
            break;
        }
        start = end + 1;
    }
    lines
}

/// How wide the widest line of `text` is, in `ch` of a monospace font: a tab as 2 (the editor's
/// tab size), anything beyond ASCII as 2 (wide characters), so the estimate is never too narrow.
pub fn widest_line_ch(text: &str) -> usize {
    text.split('\n')
        .map(|line| line.chars().map(|c| if c == '\t' || !c.is_ascii() { 2 } else { 1 }).sum::<usize>())
        .max()
        .unwrap_or(0)
}

/// A diff line's text as HTML: its changed byte ranges in `<mark>`, and inside and around them
/// the highlight spans (line-relative) as `<span class="hl-…">`, split at the marks' edges.
pub fn diff_line_html(text: &str, changed: &[(usize, usize)], spans: &[Span]) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 32);
    let usable = |a: usize, b: usize| a <= b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b);
    let mut at = 0;
    for &(start, end) in changed {
        if start < at || !usable(start, end) {
            continue;
        }
        highlight_into(&mut out, text, spans, at..start);
        out.push_str("<mark>");
        highlight_into(&mut out, text, spans, start..end);
        out.push_str("</mark>");
        at = end;
    }
    highlight_into(&mut out, text, spans, at..text.len());
    out
}

/// Appends `text[window]` escaped, with the parts of `spans` inside the window wrapped.
fn highlight_into(out: &mut String, text: &str, spans: &[Span], window: std::ops::Range<usize>) {
    let mut at = window.start;
    for s in spans {
        let (a, b) = (s.range.start.max(at), s.range.end.min(window.end));
        if a >= b || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        escape_into(out, &text[at..a]);
        out.push_str("<span class=\"hl-");
        out.push_str(&s.class.replace('.', "-"));
        out.push_str("\">");
        escape_into(out, &text[a..b]);
        out.push_str("</span>");
        at = b;
    }
    escape_into(out, &text[at..window.end]);
}

/// Appends `text` HTML-escaped.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use mesh_rewrite::diff::hunks;
    use mesh_rewrite::verdict::ScenarioVerdict;

    fn row(form: &str, compiles: bool, worse: usize, summary: &str) -> FormVerdict {
        FormVerdict {
            form: form.into(),
            compiles,
            diagnostics: Vec::new(),
            cannot_simulate: None,
            worse,
            better: 0,
            same: 0,
            scenarios: Vec::<ScenarioVerdict>::new(),
            summary: summary.into(),
            size: 1,
        }
    }

    fn verdict(current: &str, recommended: Option<&str>, forms: Vec<FormVerdict>) -> Verdict {
        Verdict {
            recommended: recommended.map(Into::into),
            current: current.into(),
            seeds: 16,
            scenarios: Vec::new(),
            forms,
            headline: String::new(),
        }
    }

    #[test]
    fn tenths_round_to_one_place() {
        let printed: Vec<_> = [0.0, 0.04, 0.06, 3.14159, 19.5, 39.0, 1234.56].map(tenths).into();
        assert_eq!(printed, ["0.0", "0.0", "0.1", "3.1", "19.5", "39.0", "1234.6"]);
    }

    #[test]
    fn unsafe_forms_warn_before_a_download_and_offer_the_safe_one() {
        let forms = || {
            vec![
                row("plan", false, 16, "does not compile (E0001)"),
                row("node-mode", true, 80, "compiles, but crashes on node b in late-join"),
                row("node-local", true, 0, "compiles and is never worse than today"),
            ]
        };
        let plan = verdict("plan", Some("node-local"), forms());
        assert_eq!(
            download_warning(&plan).as_deref(),
            Some("The plan helper does not compile (E0001). Ship node-local instead.")
        );
        assert_eq!(switch_target(&plan), Some(HelperForm::NodeLocal));
        assert_eq!(
            download_warning(&verdict("node-mode", None, forms())).as_deref(),
            Some("The node-mode helper compiles, but crashes on node b in late-join. No helper form is safe to ship.")
        );
        let safe = verdict("node-local", Some("node-local"), forms());
        assert_eq!((download_warning(&safe), switch_target(&safe)), (None, None));
        assert_eq!(form_sentence(&safe.forms[2]), "node-local compiles and is never worse than today.");

        // The project's own helper: named as such, and no form to switch to.
        let own = verdict("project", None, vec![row("project", true, 2, "compiles, but hangs on node b")]);
        assert_eq!(
            download_warning(&own).as_deref(),
            Some("The project's own helper compiles, but hangs on node b. No helper form is safe to ship.")
        );
        assert_eq!(form_sentence(&own.forms[0]), "The project's own helper compiles, but hangs on node b.");
        assert_eq!(switch_target(&verdict("project", Some("project"), Vec::new())), None);
        assert_eq!(Download::Zip.name("project"), "mesh-rewritten-project-helper.zip");
        assert_eq!(Download::Patch.name("node-local"), "mesh-rewrite-node-local.patch");
        assert_eq!(Download::File("api/team.mpl".into()).name("plan"), "team.mpl");
    }

    #[test]
    fn utf16_offsets_round_trip_through_bytes() {
        let text = "a→b😀c";
        assert_eq!(byte_to_utf16(text, text.find('b').unwrap()), 2);
        assert_eq!(byte_to_utf16(text, text.find('c').unwrap()), 5);
        assert_eq!(utf16_to_byte(text, 5), text.find('c').unwrap());
        assert_eq!(utf16_to_byte(text, 99), text.len());
    }

    #[test]
    fn shifted_spans_keep_what_the_edit_did_not_touch() {
        let s = |a, b| Span { range: a..b, class: "keyword" };
        let spans = [s(0, 2), s(3, 5), s(6, 8)];
        // "fn ab cd" → "fn aXb cd": the middle span is touched, the last moves by one.
        assert_eq!(shift_spans("fn ab cd", "fn aXb cd", &spans), vec![s(0, 2), s(7, 9)]);
    }

    #[test]
    fn highlight_lines_cut_spans_at_newlines() {
        let s = |a, b, class| Span { range: a..b, class };
        assert_eq!(
            highlight_lines("let a\n\"x\ny\"\n", &[s(0, 3, "keyword"), s(6, 11, "string")], 0..usize::MAX),
            vec![
                "<span class=\"hl-keyword\">let</span> a".to_owned(),
                "<span class=\"hl-string\">\"x</span>".to_owned(),
                "<span class=\"hl-string\">y\"</span>".to_owned(),
                " ".to_owned(),
            ]
        );
        assert_eq!(highlight_lines("", &[], 0..usize::MAX), vec![" ".to_owned()]);
        // A window: only its lines, the spans still cut where they cross it.
        assert_eq!(
            highlight_lines("let a\n\"x\ny\"\n", &[s(0, 3, "keyword"), s(6, 11, "string")], 2..9),
            vec!["<span class=\"hl-string\">y\"</span>".to_owned(), " ".to_owned()]
        );
        assert_eq!(highlight_lines("a\nb", &[], 5..7), Vec::<String>::new());
        assert_eq!(widest_line_ch("ab\n\té\n"), 4);
    }

    #[test]
    fn pasted_code_is_named_after_its_first_function() {
        assert_eq!(derive_name("# note\npub fn handle_alerts(r) do\nend\nfn b() do end"), "handle_alerts.mpl");
        assert_eq!(derive_name("fn main() do\n  1\nend\n"), "main.mpl");
        assert_eq!(derive_name("let x = 1\n"), "scratch.mpl");
        assert_eq!(derive_name("f"), "scratch.mpl");
    }

    #[test]
    fn error_marks_wrap_each_error_and_fill_empty_ones() {
        let e = |start, end, message: &str| mesh_rewrite::parse::SyntaxError {
            line: 1,
            column: start + 1,
            start_byte: start,
            end_byte: end,
            message: message.into(),
        };
        assert_eq!(
            error_marks_html("a <b\nc", &[e(2, 4, "unexpected `<b`"), e(4, 4, "missing `end`")]),
            "a <span class=\"syntax-mark\" data-testid=\"syntax-mark\" data-message=\"1:3 unexpected `&lt;b`\">&lt;b</span>\
             <span class=\"syntax-mark\" data-testid=\"syntax-mark\" data-message=\"1:5 missing `end`\"> </span>\nc "
        );
    }

    #[test]
    fn diff_line_html_nests_spans_in_marks() {
        let s = |a, b, class| Span { range: a..b, class };
        // "let x = f(1)" with `f(1)` changed: the call's span sits inside the mark; `<` is escaped.
        let spans = [s(0, 3, "keyword"), s(8, 9, "function.call"), s(9, 12, "punctuation.bracket")];
        assert_eq!(
            diff_line_html("let x = f(1)", &[(8, 12)], &spans),
            "<span class=\"hl-keyword\">let</span> x = <mark><span class=\"hl-function-call\">f</span>\
             <span class=\"hl-punctuation-bracket\">(1)</span></mark>"
        );
        // A span crossing a mark's edge is cut in two; spans past the text are ignored.
        assert_eq!(
            diff_line_html("ab<c", &[(1, 2)], &[s(0, 3, "string"), s(5, 9, "keyword")]),
            "<span class=\"hl-string\">a</span><mark><span class=\"hl-string\">b</span></mark>\
             <span class=\"hl-string\">&lt;</span>c"
        );
    }

    #[test]
    fn new_lines_map_back_to_original_lines() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nX\nY\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let h = hunks(old, new);
        assert_eq!(old_line_of(&h, 1), 1);
        assert_eq!(old_line_of(&h, 4), 2);
        assert_eq!(old_line_of(&h, 12), 10);
        assert_eq!(line_range(old, 3), (4, 5));
        assert_eq!(line_of(old, 4), 3);
    }
}
