//! Helper form, scenario, seed and the remote-calls option, plus run / step / reset over the timeline.
//! The form is the rule's (the same as in the options): switching it here re-runs the rewrite.

use super::Sim;
use crate::state::use_store;
use leptos::prelude::*;
use mesh_rewrite::rewrite::rule::HelperForm;
use mesh_rewrite::simulate;

#[component]
pub fn Controls() -> impl IntoView {
    let store = use_store();
    let sim = Sim::use_sim();
    let len = move || sim.run.with(|r| r.as_ref().map_or(0, |r| r.log.len()));
    let options = simulate::built_in_names()
        .into_iter()
        .map(|name| view! { <option value=name>{name}</option> })
        .collect_view();
    let on_scenario = move |ev| {
        let name = event_target_value(&ev);
        store.simulation.update(|s| {
            s.scenario = name;
            s.step = 0;
        });
    };
    let forms = HelperForm::ALL
        .into_iter()
        .map(|f| view! { <option value=f.name()>{f.name()}</option> })
        .collect_view();
    let on_form = move |ev| {
        if let Some(form) = HelperForm::from_name(&event_target_value(&ev)) {
            store.set_helper_form(form);
        }
    };
    let on_seed = move |ev| {
        if let Ok(seed) = event_target_value(&ev).trim().parse::<u64>() {
            store.simulation.update(|s| s.seed = seed);
        }
    };
    let on_remote = move |ev| {
        let on = event_target_checked(&ev);
        store.simulation.update(|s| s.remote_calls_work = on);
    };
    view! {
        <div class="sim-controls">
            <label>
                "Helper form "
                <select
                    data-testid="sim-form"
                    prop:value=move || store.rule.with(|r| r.helper_form.name())
                    on:change=on_form
                >
                    {forms}
                </select>
            </label>
            <label>
                "Scenario "
                <select
                    data-testid="sim-scenario"
                    prop:value=move || store.simulation.with(|s| s.scenario.clone())
                    on:change=on_scenario
                >
                    {options}
                </select>
            </label>
            <label>
                "Seed "
                <input
                    type="number"
                    min="0"
                    data-testid="sim-seed"
                    prop:value=move || store.simulation.with(|s| s.seed.to_string())
                    on:change=on_seed
                />
            </label>
            <label title="The plan assumed a service call to a PID on another node is answered; today's runtime crashes the caller">
                <input
                    type="checkbox"
                    data-testid="sim-remote"
                    prop:checked=move || store.simulation.with(|s| s.remote_calls_work)
                    on:change=on_remote
                />
                " remote service calls work"
            </label>
            <span class="sim-buttons">
                <button data-testid="sim-run" title="Play every event" on:click=move |_| sim.set_step(len())>
                    "Run"
                </button>
                <button
                    data-testid="sim-step"
                    title="Next event"
                    prop:disabled=move || { sim.step.get() >= len() }
                    on:click=move |_| sim.set_step((sim.step.get_untracked() + 1).min(len()))
                >
                    "Step"
                </button>
                <button
                    data-testid="sim-reset"
                    title="Back to before the first event"
                    on:click=move |_| {
                        sim.selected.set(None);
                        sim.set_step(0);
                    }
                >
                    "Reset"
                </button>
            </span>
        </div>
    }
}
