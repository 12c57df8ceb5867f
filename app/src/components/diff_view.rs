//! The rewrite's diff: the selected file unified or side by side, or every changed file stacked
//! like a pull request. Unchanged stretches between hunks collapse to "⋯ N unchanged lines"
//! (click to show them); changes inside a line are marked, and the code is highlighted like the
//! editor's (the engine's spans per line).

use crate::analysis::{changed_paths, counts, diff_line_html, escape_into, line_of, stale_note, widest_line_ch};
use crate::engine::LineSpans;
use crate::state::{use_store, View};
use leptos::html;
use leptos::prelude::*;
use mesh_rewrite::diff::{Hunk, Line, LineKind};
use mesh_rewrite::highlight::Span;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

#[component]
pub fn DiffView() -> impl IntoView {
    let store = use_store();
    let container = NodeRef::<html::Div>::new();
    // Gaps the user opened, by index; a different file starts collapsed again.
    let opened = RwSignal::new(HashSet::<usize>::new());
    Effect::new(move |_| {
        store.selected.track();
        opened.set(HashSet::new());
    });

    // Long lines wrap (the default side by side, where half a width cuts them) or scroll sideways
    // (the default otherwise) with the line numbers kept in place.
    let wrap = move || store.wrap.get().unwrap_or(store.view.get() == View::Split);
    let mode_button = move |mode: View, label: &'static str| {
        view! {
            <button
                class="mode"
                class:active=move || store.view.get() == mode
                data-testid=format!("diff-mode-{}", mode.as_str())
                on:click=move |_| store.view.set(mode)
            >
                {label}
            </button>
        }
    };

    // The whole project: rendered anew on each change (not the typing path).
    let project_body = move || {
        let mode = store.view.get();
        if mode != View::Project {
            return ().into_any();
        }
        let analysis = store.analysis.get();
            let files = changed_paths(&analysis);
            if files.is_empty() {
                return view! { <p class="muted" data-testid="diff-empty">"The rewrite changes no file."</p> }.into_any();
            }
            return files
                .into_iter()
                .map(|path| {
                    let hunks = analysis.hunks.get(&path).cloned().unwrap_or_default();
                    let spans = analysis.line_spans.get(&path).cloned().unwrap_or_default();
                    let (added, removed) = counts(&hunks);
                    // Hunks with the count of unchanged lines between them (not expandable here).
                    let rows = hunks
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            let between = i.checked_sub(1).map_or(0, |p| {
                                let prev = &hunks[p];
                                h.old_start.saturating_sub(prev.old_start + prev.old_len)
                            });
                            let gap = (between > 0).then(|| {
                                view! { <div class="diff-gap static">{format!("⋯ {between} unchanged lines")}</div> }
                            });
                            view! { {gap} {h.lines.iter().map(|l| unified_row(l, spans.of(l))).collect_view()} }
                        })
                        .collect_view();
                    let select = {
                        let path = path.clone();
                        move |_| store.selected.set(Some(path.clone()))
                    };
                    let stale = analysis.stale.get(&path).map(|&at| {
                        view! { <p class="stale-note" data-testid="stale-note" role="status">{stale_note(at)}</p> }
                    });
                    view! {
                        <div class="diff-file" data-testid="diff-file" data-path=path.clone()>
                            <header on:click=select>
                                <span class="path">{path.clone()}</span>
                                <span class="plus">{format!("+{added}")}</span>
                                <span class="minus">{format!("−{removed}")}</span>
                            </header>
                            {stale}
                            {rows}
                        </div>
                    }
                })
                .collect_view()
                .into_any();
    };

    // The rows as last drawn: a keystroke changes one row of hundreds (one hunk may hold them all).
    let drawn = StoredValue::new_local(RowCache::default());
    // The selected file, unified or side by side: one HTML string per row, keyed by a hash of what
    // it was drawn from, so an edit re-creates only the rows it changed and keeps every other row's
    // DOM; and the widest line shown, in `ch` (see `sized` below).
    let rows = Memo::new(move |_| {
        let mode = store.view.get();
        if mode == View::Project {
            return (Vec::new(), 0);
        }
        let Some(path) = store.selected.get() else {
            return (vec![plain(r#"<p class="muted" data-testid="diff-empty">No file selected.</p>"#.to_owned())], 0);
        };
        let analysis = store.analysis.get();
        let Some(hunks) = analysis.hunks.get(&path) else {
            return (vec![plain(r#"<p class="muted" data-testid="diff-empty">The rewrite leaves this file as it is.</p>"#.to_owned())], 0);
        };
        let original = analysis
            .outcome
            .as_ref()
            .and_then(|o| o.files.iter().find(|f| f.path == path))
            .and_then(|f| f.original.as_deref())
            .unwrap_or_default();
        let old_lines: Vec<&str> = original.lines().collect();
        // The file's replacements (original line, choice key, function), for each hunk's boxes.
        let replacements: Vec<(usize, String, String)> = analysis
            .outcome
            .as_ref()
            .and_then(|o| o.report.files.iter().find(|f| f.path == path))
            .map(|f| {
                let name = |r: &mesh_rewrite::rewrite::report::Replacement| {
                    r.function.clone().unwrap_or_else(|| "(top level)".into())
                };
                f.replacements.iter().map(|r| (r.line, r.choice.clone(), name(r))).collect()
            })
            .unwrap_or_default();
        let spans = analysis.line_spans.get(&path).cloned().unwrap_or_default();
        let opened = opened.get();
        let mut out = Vec::new();
        if let Some(&at) = analysis.stale.get(&path) {
            let mut note = String::from(r#"<p class="stale-note" data-testid="stale-note" role="status">"#);
            escape_into(&mut note, &stale_note(at));
            note.push_str("</p>");
            out.push(plain(note));
        }
        // (old, new) line numbers of the next unchanged line after the previous hunk.
        let mut next = (1usize, 1usize);
        let mut cache = drawn.try_update_value(std::mem::take).unwrap_or_default();
        for (i, h) in hunks.iter().enumerate() {
            let first_old = if h.old_len == 0 { h.old_start + 1 } else { h.old_start };
            gap_rows(&mut out, &mut cache, i, next, first_old, &old_lines, &spans, mode, &opened);
            let inside = |line: usize| line >= h.old_start && line < h.old_start + h.old_len;
            if let Some(row) = hunk_choices(replacements.iter().filter(|(line, _, _)| inside(*line))) {
                out.push(plain(row));
            }
            match mode {
                View::Split => split_rows(&mut out, &mut cache, h, &spans),
                _ => out.extend(h.lines.iter().map(|l| unified_cached(&mut cache, l, &spans))),
            }
            next = (first_old + h.old_len, (if h.new_len == 0 { h.new_start + 1 } else { h.new_start }) + h.new_len);
        }
        gap_rows(&mut out, &mut cache, hunks.len(), next, old_lines.len() + 1, &old_lines, &spans, mode, &opened);
        cache.done();
        drawn.set_value(cache);
        // Keys must be unique: a repeated row (never expected) gets a key from its place.
        let mut seen = HashSet::new();
        for (i, row) in out.iter_mut().enumerate() {
            if !seen.insert(row.0) {
                row.0 = hash_of(&(row.0, i));
            }
        }
        // Opened gaps show original lines: then the original's widest counts (a little wide at worst).
        let hunk_widest = hunks.iter().flat_map(|h| &h.lines).map(|l| widest_line_ch(&l.text)).max().unwrap_or(0);
        let widest = if opened.is_empty() { hunk_widest } else { hunk_widest.max(widest_line_ch(original)) };
        (out, widest)
    });
    // Not wrapping, the rows are as wide as the widest line: from its length in `ch` (the font is
    // monospace), not from laying out every row to find it (`width: max-content`), which a keystroke
    // would redo over the whole file. Wrapping, they take the pane's width (sized, side by side made
    // each half as wide as the widest line and pushed the right half out of view).
    let sized = move || store.view.get() != View::Project && !wrap();
    // Rows in boxes of `CHUNK_ROWS`, each laid out and painted only near the view (CSS
    // `content-visibility`): a changed row costs its box's layout, not the 1,260 rows' around it
    // (7–13 ms a keystroke in the 1,050-line file, 0.1–0.2 ms in boxes).
    let chunks = Memo::new(move |_| rows.with(|r| r.0.len().div_ceil(CHUNK_ROWS)));
    let chunk = move |k: usize| {
        rows.with(|r| r.0.chunks(CHUNK_ROWS).nth(k).map(<[Row]>::to_vec).unwrap_or_default())
    };
    let widest = move || rows.with(|r| r.1).to_string();
    // A collapsed gap opens on click, a hunk's box accepts or rejects its replacement (one
    // listener for every row).
    let on_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if let Some(choice) = target.get_attribute("data-choice") {
            // A checkbox's click event sees its new state.
            let accept = target.dyn_ref::<web_sys::HtmlInputElement>().is_some_and(|i| i.checked());
            store.choose(&choice, accept);
            return;
        }
        let Ok(Some(gap)) = target.closest("[data-gap]") else { return };
        if let Some(index) = gap.get_attribute("data-gap").and_then(|g| g.parse::<usize>().ok()) {
            opened.update(|o| {
                o.insert(index);
            });
        }
    };

    // A focus scrolls its line into view and marks it. Deferred a tick: choosing the focus may
    // also have switched the file, whose rows render first.
    Effect::new(move |_| {
        let Some(focus) = store.focus.get() else { return };
        gloo_timers::callback::Timeout::new(0, move || reveal(container, store, &focus)).forget();
    });

    view! {
        <section class="panel diff-panel">
            <h2>
                "Diff"
                <span class="modes">
                    {mode_button(View::Unified, "Unified")}
                    {mode_button(View::Split, "Side by side")}
                    {mode_button(View::Project, "Whole project")}
                    <button
                        class="mode wrap-toggle"
                        class:active=wrap
                        data-testid="diff-wrap"
                        aria-pressed=move || wrap().to_string()
                        title="Wrap long lines"
                        on:click=move |_| store.wrap.set(Some(!wrap()))
                    >
                        "Wrap"
                    </button>
                </span>
            </h2>
            <div class="diff" class:wrap=wrap node_ref=container data-testid="diff" data-mode=move || store.view.get().as_str()>
                <div class="diff-body" class:sized=sized style:--diff-ch=widest on:click=on_click>
                    {project_body}
                    <For each=move || 0..chunks.get() key=|k| *k let:k>
                        <div class="diff-chunk">
                            <For each=move || chunk(k) key=|row| row.0 let:row>
                                <div class="diff-row" inner_html=row.1.to_string()></div>
                            </For>
                        </div>
                    </For>
                </div>
            </div>
        </section>
    }
}

/// Rows per box of the diff body (see `chunks`).
const CHUNK_ROWS: usize = 64;

/// One row of the diff: a key for `<For>` (a hash of what the row was drawn from, so comparing
/// rows costs a u64, not their HTML) and its HTML.
type Row = (u64, Arc<str>);

fn hash_of(what: &impl Hash) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    what.hash(&mut hasher);
    hasher.finish()
}

/// A row that is not worth caching (a note, a collapsed gap, a hunk's boxes), keyed by its HTML.
fn plain(html: String) -> Row {
    (hash_of(&html), Arc::from(html))
}

/// The rows of the last drawing by what they were drawn from: a row drawn from the same line(s)
/// with the same highlighting keeps its HTML (and so, keyed alike, its DOM).
#[derive(Default)]
struct RowCache {
    last: HashMap<u64, Arc<str>>,
    now: HashMap<u64, Arc<str>>,
}

impl RowCache {
    fn row(&mut self, from: impl Hash, draw: impl FnOnce() -> String) -> Row {
        let key = hash_of(&from);
        let html = self.last.remove(&key).or_else(|| self.now.get(&key).cloned()).unwrap_or_else(|| Arc::from(draw()));
        self.now.insert(key, html.clone());
        (key, html)
    }

    /// Ends a drawing: rows not drawn in it are forgotten.
    fn done(&mut self) {
        self.last = std::mem::take(&mut self.now);
    }
}

fn unified_cached(cache: &mut RowCache, line: &Line, spans: &LineSpans) -> Row {
    let spans = spans.of(line);
    cache.row((View::Unified.as_str(), line, spans), || unified_html(line, spans))
}

/// A hunk's row of boxes, one per replacement in it (None when it holds none, like an import's).
fn hunk_choices<'a>(replacements: impl Iterator<Item = &'a (usize, String, String)>) -> Option<String> {
    let mut row = String::new();
    for (line, choice, function) in replacements {
        row.push_str(r#"<label class="hunk-choice"><input type="checkbox" checked data-testid="hunk-choice" data-choice=""#);
        // An attribute value: a path may hold a quote.
        escape_into(&mut row, &choice.replace('"', "&quot;"));
        row.push_str(r#"" title="Untick to keep this call as it is"> "#);
        escape_into(&mut row, &format!("line {line} in {function}"));
        row.push_str("</label>");
    }
    (!row.is_empty()).then(|| format!(r#"<div class="hunk-choices" data-testid="hunk-choices">{row}</div>"#))
}

fn reveal(container: NodeRef<html::Div>, store: crate::state::Store, focus: &crate::state::Focus) {
    let Some(el) = container.get_untracked() else { return };
    let line = store.analysis.with_untracked(|a| {
        let file = a.outcome.as_ref()?.files.iter().find(|f| f.path == focus.path)?;
        let text = if focus.after { Some(file.text.as_str()) } else { file.original.as_deref() }?;
        Some(line_of(text, focus.start))
    });
    let Some(line) = line else { return };
    if let Ok(Some(old)) = el.query_selector(".focused") {
        let _ = old.class_list().remove_1("focused");
    }
    let side = if focus.after { "new" } else { "old" };
    if let Ok(Some(row)) = el.query_selector(&format!("[data-{side}=\"{line}\"]")) {
        let _ = row.class_list().add_1("focused");
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        row.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// The unchanged lines `from.0 .. to_old` (old numbering): one collapsed row, or each line.
#[allow(clippy::too_many_arguments)]
fn gap_rows(
    out: &mut Vec<Row>,
    cache: &mut RowCache,
    index: usize,
    from: (usize, usize),
    to_old: usize,
    old_lines: &[&str],
    spans: &LineSpans,
    mode: View,
    opened: &HashSet<usize>,
) {
    let n = to_old.saturating_sub(from.0);
    if n == 0 {
        return;
    }
    if !opened.contains(&index) {
        let label = if n == 1 { "⋯ 1 unchanged line".to_owned() } else { format!("⋯ {n} unchanged lines") };
        out.push(plain(format!(
            r#"<div class="diff-gap" data-testid="diff-gap" data-gap="{index}" title="Show these lines">{label}</div>"#
        )));
        return;
    }
    for k in 0..n {
        let line = Line {
            kind: LineKind::Context,
            old_line: Some(from.0 + k),
            new_line: Some(from.1 + k),
            text: old_lines.get(from.0 + k - 1).copied().unwrap_or_default().to_owned(),
            changed: Vec::new(),
            no_newline: false,
        };
        out.push(match mode {
            View::Split => split_row(cache, Some(&line), Some(&line), spans),
            _ => unified_cached(cache, &line, spans),
        });
    }
}

/// A unified row as HTML (the same markup as `unified_row`).
fn unified_html(line: &Line, spans: &[Span]) -> String {
    let num = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    let attr = |name: &str, n: Option<usize>| n.map(|n| format!(r#" {name}="{n}""#)).unwrap_or_default();
    format!(
        r#"<div class="diff-line {}" data-testid="diff-line"{}{}><span class="ln">{}</span><span class="ln">{}</span><span class="sign">{}</span><span class="text">{}</span></div>"#,
        class_of(line.kind),
        attr("data-old", line.old_line),
        attr("data-new", line.new_line),
        num(line.old_line),
        num(line.new_line),
        sign_of(line.kind),
        diff_line_html(&line.text, &line.changed, spans),
    )
}

/// Pairs each run of removed lines with the added lines after it, side by side.
fn split_rows(out: &mut Vec<Row>, cache: &mut RowCache, h: &Hunk, spans: &LineSpans) {
    let lines = &h.lines;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind == LineKind::Context {
            out.push(split_row(cache, Some(&lines[i]), Some(&lines[i]), spans));
            i += 1;
            continue;
        }
        let del_end = i + lines[i..].iter().take_while(|l| l.kind == LineKind::Removed).count();
        let add_end = del_end + lines[del_end..].iter().take_while(|l| l.kind == LineKind::Added).count();
        let (dels, adds) = (&lines[i..del_end], &lines[del_end..add_end]);
        for k in 0..dels.len().max(adds.len()) {
            out.push(split_row(cache, dels.get(k), adds.get(k), spans));
        }
        i = add_end.max(i + 1);
    }
}

fn split_row(cache: &mut RowCache, left: Option<&Line>, right: Option<&Line>, spans: &LineSpans) -> Row {
    let of = |line: Option<&Line>| line.map(|l| spans.of(l));
    let from = (View::Split.as_str(), left, right, of(left), of(right));
    cache.row(from, || split_html(left, right, spans))
}

fn split_html(left: Option<&Line>, right: Option<&Line>, spans: &LineSpans) -> String {
    let cell = |line: Option<&Line>, old: bool| match line {
        Some(l) => {
            let n = if old { l.old_line } else { l.new_line };
            let attr = n.map(|n| format!(r#" data-{}="{n}""#, if old { "old" } else { "new" })).unwrap_or_default();
            format!(
                r#"<div class="cell diff-line {}" data-testid="diff-line"{attr}><span class="ln">{}</span><span class="sign">{}</span><span class="text">{}</span></div>"#,
                class_of(l.kind),
                n.map(|n| n.to_string()).unwrap_or_default(),
                sign_of(l.kind),
                diff_line_html(&l.text, &l.changed, spans.of(l)),
            )
        }
        None => r#"<div class="cell empty"></div>"#.to_owned(),
    };
    format!(r#"<div class="split-row">{}{}</div>"#, cell(left, true), cell(right, false))
}

fn class_of(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Added => "add",
        LineKind::Removed => "del",
        LineKind::Context => "ctx",
    }
}

fn sign_of(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Added => "+",
        LineKind::Removed => "-",
        LineKind::Context => " ",
    }
}

fn unified_row(line: &Line, spans: &[Span]) -> impl IntoView + use<> {
    let num = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    view! {
        <div
            class=format!("diff-line {}", class_of(line.kind))
            data-testid="diff-line"
            data-old=line.old_line.map(|n| n.to_string())
            data-new=line.new_line.map(|n| n.to_string())
        >
            <span class="ln">{num(line.old_line)}</span>
            <span class="ln">{num(line.new_line)}</span>
            <span class="sign">{sign_of(line.kind)}</span>
            <span class="text" inner_html=diff_line_html(&line.text, &line.changed, spans)></span>
        </div>
    }
}

