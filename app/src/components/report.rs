//! The rewrite's report: the verdict (which helper form to ship) first, then a summary line, each replacement (click → its place in editor and
//! diff), import edits, lookups kept as they are and why, diagnostics by severity, the
//! verification checklist, and replacement counts against the expected ones.

use crate::analysis::{apply_hint, plural, report_changed, stale_note, summary};
use crate::components::verdict::VerdictBlock;
use crate::state::{use_store, Focus};
use leptos::prelude::*;
use mesh_rewrite::rewrite::report::{ImportEdit, SkipReason};

/// Accepts (ticked) or rejects one replacement; the rewrite, checks, verdict and downloads follow.
#[component]
fn ChoiceBox(choice: String, accepted: bool) -> impl IntoView {
    let store = use_store();
    let label = if accepted { format!("Make this replacement ({choice})") } else { format!("Replace this lookup again ({choice})") };
    view! {
        <input
            type="checkbox"
            class="choice"
            data-testid="choice"
            data-choice=choice.clone()
            aria-label=label
            title="Untick to keep this call as it is"
            prop:checked=accepted
            // The row around it shows the place on click; ticking is not a click on the row.
            on:click=|ev| ev.stop_propagation()
            on:keydown=|ev| ev.stop_propagation()
            on:change=move |ev| store.choose(&choice, event_target_checked(&ev))
        />
    }
}

/// A clickable report item, found again in the current report when clicked: the panel is not
/// re-rendered while only byte offsets move (`report_changed`), so it must not hold offsets.
#[derive(Clone)]
enum Item {
    /// A file's replacement, by index.
    Replacement(usize, usize),
    /// A file's lookup kept as it is, by index.
    Skipped(usize, usize),
    /// A diagnostic, by index in the report's order.
    Diagnostic(usize),
}

#[component]
pub fn Report() -> impl IntoView {
    let store = use_store();
    // What the panel shows: a new analysis that shows the same (typing inside a line) keeps the DOM.
    let shown = Memo::new_with_compare(
        move |_| store.settled.get(),
        |old, new| match (old, new) {
            (Some(old), Some(new)) => report_changed(old, new),
            _ => true,
        },
    );
    let show = move |item: &Item| {
        let found = store.settled.with_untracked(|a| {
            let report = &a.outcome.as_ref()?.report;
            let file = |i: usize| report.files.get(i);
            match *item {
                Item::Replacement(f, i) => file(f).and_then(|f| Some((f.path.clone(), f.replacements.get(i).map(|r| (r.start_byte, r.end_byte))?, false))),
                Item::Skipped(f, i) => file(f).and_then(|f| Some((f.path.clone(), f.skipped.get(i).map(|s| (s.start_byte, s.end_byte))?, false))),
                Item::Diagnostic(i) => report.diagnostics.get(i).map(|d| (d.path.clone(), (d.start_byte, d.end_byte), true)),
            }
        });
        if let Some((path, (start, end), after)) = found {
            store.show(Focus { path, start, end, after });
        }
    };
    let goto = move |item: Item| move |_| show(&item);
    // The plan's counts are the example's: they apply to it (or a project holding its files), or
    // when the user set counts of their own. A memo: the files change on every keystroke.
    let counts_apply = Memo::new(move |_| {
        store.rule.with(|rule| store.files.with(|f| rule.counts_apply(|p| f.iter().any(|f| f.path == p))))
    });
    // The same from the keyboard: Enter on a focused item.
    let enter = move |item: Item| {
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" {
                ev.prevent_default();
                show(&item);
            }
        }
    };
    let body = move || {
        let analysis = shown.get();
        let Some(outcome) = &analysis.outcome else {
            return view! { <p class="muted">"Open or write some Mesh code to see what the rewrite does."</p> }.into_any();
        };
        let report = &outcome.report;
        let files = report
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.replacements.is_empty() || f.import_edit != ImportEdit::None)
            .map(|(fi, f)| {
                let import = match f.import_edit {
                    ImportEdit::Added => Some("import added"),
                    ImportEdit::Merged => Some("import merged"),
                    ImportEdit::None => None,
                };
                let items = f
                    .replacements
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let label = format!(
                            "{}:{}:{} {}",
                            f.path,
                            r.line,
                            r.column,
                            r.function.as_deref().unwrap_or("(top level)")
                        );
                        view! {
                            <li class="replacement link" data-testid="replacement" tabindex="0"
                                on:click=goto(Item::Replacement(fi, i))
                                on:keydown=enter(Item::Replacement(fi, i))>
                                <ChoiceBox choice=r.choice.clone() accepted=true />
                                {label}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <details class="report-file" open>
                        <summary>
                            <span class="path">{f.path.clone()}</span>
                            " "
                            <span class="muted">
                                {format!("{} ({})", plural(f.replacements.len(), "replacement"), f.status.as_str())}
                            </span>
                            {import.map(|i| view! { " · " <span class="import-edit" data-testid="import-edit">{i}</span> })}
                        </summary>
                        <ul>{items}</ul>
                    </details>
                }
            })
            .collect_view();
        let skipped = report
            .files
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| f.skipped.iter().enumerate().map(move |(i, s)| (fi, f, i, s)))
            .map(|(fi, f, i, s)| {
                view! {
                    <li class="skip-item link" data-testid="skipped" tabindex="0"
                        on:click=goto(Item::Skipped(fi, i))
                        on:keydown=enter(Item::Skipped(fi, i))>
                        {s.choice.clone().map(|choice| view! { <ChoiceBox choice accepted=false /> })}
                        {format!("{}:{}:{} {}", f.path, s.line, s.column, s.reason.as_str())}
                    </li>
                }
            })
            .collect_view();
        let mut diagnostics: Vec<_> = report.diagnostics.iter().enumerate().collect();
        mesh_rewrite::order::sort_by_key(&mut diagnostics, |(_, d)| d.severity);
        let diagnostics = diagnostics
            .into_iter()
            .map(|(i, d)| {
                let severity = d.severity.as_str();
                view! {
                    <li class=format!("report-diagnostic link {severity}") data-testid="report-diagnostic" tabindex="0"
                        on:click=goto(Item::Diagnostic(i))
                        on:keydown=enter(Item::Diagnostic(i))>
                        {format!("{}:{}:{} {severity}[{}]: {}", d.path, d.line, d.column, d.code, d.message)}
                    </li>
                }
            })
            .collect_view();
        let rule = store.rule.get();
        let counts_apply = counts_apply.get();
        let checks = report
            .checks
            .iter()
            .filter(|c| counts_apply || c.name != "replacement counts match the plan")
            .map(|c| {
                let class = if c.passed { "check pass" } else { "check fail" };
                let mark = if c.passed { "✓" } else { "✗" };
                view! { <li class=class data-testid="check">{format!("{mark} {}: {}", c.name, c.detail)}</li> }
            })
            .collect_view();
        let counts = rule
            .expected_counts
            .iter()
            .map(|(path, expected)| {
                let file = report.files.iter().find(|f| &f.path == path);
                let got = file.map_or(0, |f| f.replacements.len());
                // Replacements the user unticked were planned: they count, and are shown apart.
                let chosen = file.map_or(0, |f| f.skipped.iter().filter(|s| s.reason == SkipReason::Chosen).count());
                let found = if chosen > 0 { format!("{got} + {chosen} skipped") } else { got.to_string() };
                view! {
                    <tr class:mismatch=got + chosen != *expected data-testid="count">
                        <td>{path.clone()}</td>
                        <td class="num">{found}</td>
                        <td class="num">{*expected}</td>
                    </tr>
                }
            })
            .collect_view();
        let stale = analysis
            .stale
            .iter()
            .map(|(path, &at)| {
                view! {
                    <p class="stale-note" data-testid="report-stale" role="status">{format!("{path}: {}", stale_note(at))}</p>
                }
            })
            .collect_view();
        let skipped_none = report.files.iter().all(|f| f.skipped.is_empty());
        let diagnostics_none = report.diagnostics.is_empty();
        view! {
            <p class="summary" data-testid="report-summary">{summary(&analysis)}</p>
            {stale}
            {outcome.changed().then(|| view! {
                <p class="apply-hint muted" data-testid="apply-hint">{move || apply_hint(&store.base.get())}</p>
            })}
            <h3>"Replacements"</h3>
            {files}
            <h3>"Kept as they are"</h3>
            <ul class="skipped-list">
                {skipped}
                {skipped_none.then(|| view! { <li class="muted">"none"</li> })}
            </ul>
            <h3>"Diagnostics"</h3>
            <ul class="report-diagnostics">
                {diagnostics}
                {diagnostics_none.then(|| view! { <li class="muted">"none"</li> })}
            </ul>
            <h3>"Checks"</h3>
            <ul class="checks" data-testid="checks">{checks}</ul>
            {counts_apply.then(|| view! {
                <h3>"Counts"</h3>
                <table class="counts">
                    <thead><tr><th>"file"</th><th>"found"</th><th>"expected"</th></tr></thead>
                    <tbody>{counts}</tbody>
                </table>
            })}
        }
        .into_any()
    };
    view! {
        <section class="panel report" data-testid="report">
            <h2>"Report"</h2>
            <VerdictBlock />
            {body}
        </section>
    }
}
