//! Helper forms × scenarios, from the verdict: how each form changes the requests of each scenario
//! over every seed, at its worst. A cell is a button: it opens that scenario with that form.

use crate::state::{use_store, Store};
use leptos::prelude::*;
use mesh_rewrite::rewrite::rule::HelperForm;
use mesh_rewrite::verdict::ScenarioVerdict;

#[component]
pub fn Matrix() -> impl IntoView {
    let store = use_store();
    let scenario = Memo::new(move |_| store.simulation.with(|s| s.scenario.clone()));
    move || {
        let verdict = store.verdict.get()?;
        let head = verdict.scenarios.iter().map(|s| view! { <th scope="col">{s.clone()}</th> }).collect_view();
        let rows = verdict
            .forms
            .iter()
            .map(|f| {
                let cells = verdict
                    .scenarios
                    .iter()
                    .map(|name| {
                        let cell = f.scenarios.iter().find(|s| &s.scenario == name);
                        let chosen = f.form == verdict.current && scenario.with(|s| s == name);
                        cell_view(store, &f.form, name, cell, verdict.seeds, chosen)
                    })
                    .collect_view();
                let status = if !f.compiles {
                    "does not compile"
                } else if f.cannot_simulate.is_some() {
                    "cannot be simulated"
                } else {
                    "compiles"
                };
                view! {
                    <tr class:current=f.form == verdict.current>
                        <th scope="row">
                            <span class="sim-matrix-form">{f.form.clone()}</span>
                            <span class=if f.compiles { "sim-matrix-status" } else { "sim-matrix-status no" }>{status}</span>
                        </th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <p class="sim-matrix-caption">
                {format!(
                    "Every helper form in every scenario, seeds 0–{}: how the requests end after the rewrite, compared with today",
                    verdict.seeds - 1
                )}
            </p>
            <div class="sim-matrix-wrap">
                <table class="sim-matrix" data-testid="sim-matrix" aria-label="Helper forms × scenarios">
                    <thead><tr><th scope="col">"form"</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    }
}

fn cell_view(
    store: Store,
    form: &str,
    scenario: &str,
    cell: Option<&ScenarioVerdict>,
    seeds: u64,
    chosen: bool,
) -> impl IntoView + use<> {
    let Some(cell) = cell else {
        return view! { <td class="sim-matrix-none">"—"</td> }.into_any();
    };
    // As `ScenarioVerdict::cell` words it: any worse request makes the cell worse.
    let change = if cell.worse > 0 {
        "worse"
    } else if cell.better > 0 {
        "better"
    } else {
        "same"
    };
    let worst = cell.worst_after.as_str();
    let title = match &cell.case {
        Some(c) => format!(
            "{form} in {scenario}: e.g. {} on node {} at {} ms (seed {}): {} before, {} after — click to open",
            c.handler,
            c.node,
            c.time,
            c.seed,
            c.before.as_str(),
            c.after.as_str()
        ),
        None => format!("{form} in {scenario}: every request ends as it does today — click to open"),
    };
    let (form, scenario) = (form.to_owned(), scenario.to_owned());
    let open = {
        let (form, scenario) = (form.clone(), scenario.clone());
        move || {
            if store.simulation.with_untracked(|s| s.scenario != scenario) {
                store.simulation.update(|s| {
                    s.scenario = scenario.clone();
                    s.step = 0;
                });
            }
            // The project's own helper is no form of the rule: only the scenario changes.
            if let Some(form) = HelperForm::from_name(&form) {
                store.set_helper_form(form);
            }
        }
    };
    view! {
        <td class=format!("sim-matrix-td {change}")>
            <button
                class=format!("sim-matrix-cell {change} worst-{worst}")
                class:chosen=chosen
                aria-pressed=chosen.to_string()
                data-testid="sim-matrix-cell"
                data-form=form
                data-scenario=scenario
                data-change=change
                data-worst=worst
                title=title
                on:click=move |_| open()
            >
                {cell.cell(seeds)}
            </button>
        </td>
    }
    .into_any()
}
