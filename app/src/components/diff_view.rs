//! The rewrite's diff: the selected file unified or side by side, or every changed file stacked
//! like a pull request. Unchanged stretches between hunks collapse to "⋯ N unchanged lines"
//! (click to show them); changes inside a line are marked, and the code is highlighted like the
//! editor's (the engine's spans per line).

use crate::analysis::{changed_paths, counts, diff_line_html, line_of, stale_note};
use crate::engine::LineSpans;
use crate::state::{use_store, View};
use leptos::html;
use leptos::prelude::*;
use mesh_rewrite::diff::{Hunk, Line, LineKind};
use mesh_rewrite::highlight::Span;
use std::collections::HashSet;

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

    let body = move || {
        let analysis = store.analysis.get();
        let mode = store.view.get();
        if mode == View::Project {
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
        }
        let Some(path) = store.selected.get() else {
            return view! { <p class="muted" data-testid="diff-empty">"No file selected."</p> }.into_any();
        };
        let Some(hunks) = analysis.hunks.get(&path).cloned() else {
            return view! { <p class="muted" data-testid="diff-empty">"The rewrite leaves this file as it is."</p> }
                .into_any();
        };
        let original = analysis
            .outcome
            .as_ref()
            .and_then(|o| o.files.iter().find(|f| f.path == path))
            .and_then(|f| f.original.clone())
            .unwrap_or_default();
        let old_lines: Vec<&str> = original.lines().collect();
        let spans = analysis.line_spans.get(&path).cloned().unwrap_or_default();
        let mut out = Vec::new();
        if let Some(&at) = analysis.stale.get(&path) {
            out.push(view! { <p class="stale-note" data-testid="stale-note" role="status">{stale_note(at)}</p> }.into_any());
        }
        // (old, new) line numbers of the next unchanged line after the previous hunk.
        let mut next = (1usize, 1usize);
        for (i, h) in hunks.iter().enumerate() {
            let first_old = if h.old_len == 0 { h.old_start + 1 } else { h.old_start };
            out.push(gap(i, next, first_old, &old_lines, &spans, mode, opened));
            out.push(match mode {
                View::Split => split_rows(h, &spans).into_any(),
                _ => h.lines.iter().map(|l| unified_row(l, spans.of(l))).collect_view().into_any(),
            });
            next = (first_old + h.old_len, (if h.new_len == 0 { h.new_start + 1 } else { h.new_start }) + h.new_len);
        }
        out.push(gap(hunks.len(), next, old_lines.len() + 1, &old_lines, &spans, mode, opened));
        out.into_iter().collect_view().into_any()
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
                <div class="diff-body">{body}</div>
            </div>
        </section>
    }
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

/// The unchanged lines `from.0 .. to_old` (old numbering): collapsed to one row, or shown.
fn gap(
    index: usize,
    from: (usize, usize),
    to_old: usize,
    old_lines: &[&str],
    spans: &LineSpans,
    mode: View,
    opened: RwSignal<HashSet<usize>>,
) -> AnyView {
    let n = to_old.saturating_sub(from.0);
    if n == 0 {
        return ().into_any();
    }
    if !opened.with(|o| o.contains(&index)) {
        let label = if n == 1 { "⋯ 1 unchanged line".to_owned() } else { format!("⋯ {n} unchanged lines") };
        return view! {
            <div class="diff-gap" data-testid="diff-gap" title="Show these lines"
                on:click=move |_| opened.update(|o| { o.insert(index); })>
                {label}
            </div>
        }
        .into_any();
    }
    (0..n)
        .map(|k| {
            let line = Line {
                kind: LineKind::Context,
                old_line: Some(from.0 + k),
                new_line: Some(from.1 + k),
                text: old_lines.get(from.0 + k - 1).copied().unwrap_or_default().to_owned(),
                changed: Vec::new(),
                no_newline: false,
            };
            match mode {
                View::Split => split_row(Some(&line), Some(&line), spans).into_any(),
                _ => unified_row(&line, spans.of(&line)).into_any(),
            }
        })
        .collect_view()
        .into_any()
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

/// Pairs each run of removed lines with the added lines after it, side by side.
fn split_rows(h: &Hunk, spans: &LineSpans) -> impl IntoView + use<> {
    let mut rows = Vec::new();
    let lines = &h.lines;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind == LineKind::Context {
            rows.push(split_row(Some(&lines[i]), Some(&lines[i]), spans));
            i += 1;
            continue;
        }
        let del_end = i + lines[i..].iter().take_while(|l| l.kind == LineKind::Removed).count();
        let add_end = del_end + lines[del_end..].iter().take_while(|l| l.kind == LineKind::Added).count();
        let (dels, adds) = (&lines[i..del_end], &lines[del_end..add_end]);
        for k in 0..dels.len().max(adds.len()) {
            rows.push(split_row(dels.get(k), adds.get(k), spans));
        }
        i = add_end.max(i + 1);
    }
    rows.collect_view()
}

fn split_row(left: Option<&Line>, right: Option<&Line>, spans: &LineSpans) -> impl IntoView + use<> {
    let cell = |line: Option<&Line>, old: bool| match line {
        Some(l) => {
            let n = if old { l.old_line } else { l.new_line };
            view! {
                <div
                    class=format!("cell diff-line {}", class_of(l.kind))
                    data-testid="diff-line"
                    data-old=old.then(|| n.map(|n| n.to_string())).flatten()
                    data-new=(!old).then(|| n.map(|n| n.to_string())).flatten()
                >
                    <span class="ln">{n.map(|n| n.to_string()).unwrap_or_default()}</span>
                    <span class="sign">{sign_of(l.kind)}</span>
                    <span class="text" inner_html=diff_line_html(&l.text, &l.changed, spans.of(l))></span>
                </div>
            }
            .into_any()
        }
        None => view! { <div class="cell empty"></div> }.into_any(),
    };
    view! { <div class="split-row">{cell(left, true)}{cell(right, false)}</div> }
}
