//! The cluster simulator panel: runs the example's lookups before and after the rewrite on simulated
//! nodes. The helper executed "after" is the one in the rewritten project, so editing the helper file
//! or switching the helper form re-runs it. Scenario, seed, step and the remote-calls option live in
//! `store.simulation` (the permalink saves them); everything else is derived here.

mod controls;
mod grid;
mod matrix;
mod node_cards;
mod timeline;
mod trace;

use crate::state::{use_store, Store};
use leptos::prelude::*;
use mesh_rewrite::simulate::{self, view, Options, Run, Scenario};
use std::sync::Arc;

/// What the panel's parts share: the run (recomputed only when its inputs change) and the chosen cell.
#[derive(Clone, Copy)]
pub struct Sim {
    pub scenario: Memo<Option<Arc<Scenario>>>,
    /// The run, or the message saying why it could not happen.
    pub run: Memo<Result<Arc<Run>, String>>,
    /// Index into `Run::results` of the cell whose trace is shown.
    pub selected: RwSignal<Option<usize>>,
    /// The current step, clamped to the log.
    pub step: Memo<usize>,
    /// The file the executed helper is from (positions are in it), if it is the project's.
    pub helper_path: Memo<Option<String>>,
    store: Store,
}

impl Sim {
    fn use_sim() -> Sim {
        expect_context::<Sim>()
    }

    /// Moves the timeline (and the permalink's step).
    pub fn set_step(&self, step: usize) {
        self.store.simulation.update(|s| s.step = step as u32);
    }
}

#[component]
pub fn Simulator() -> impl IntoView {
    let store = use_store();
    let helper = Memo::new(move |_| {
        let rule = store.rule.get();
        store.analysis.with(|a| view::helper_text(a.outcome.as_ref(), &rule))
    });
    // The settings a run depends on; the step is not one of them.
    let settings = Memo::new(move |_| {
        store.simulation.with(|s| (s.scenario.clone(), s.seed, s.remote_calls_work))
    });
    let scenario = Memo::new(move |_| settings.with(|(name, _, _)| simulate::built_in(name).map(Arc::new)));
    let run = Memo::new(move |_| {
        let (name, seed, remote_calls_work) = settings.get();
        let Some(scenario) = scenario.get() else {
            return Err(format!("unknown scenario `{name}`"));
        };
        let helper = helper.get();
        let rule = store.rule.get();
        let options = Options { seed, remote_calls_work, record_states: true };
        simulate::run(&scenario, &rule, &helper.text, &helper.label, &options)
            .map(Arc::new)
            .map_err(|e| match &helper.path {
                Some(p) => format!("{} (in {p})", e.message),
                None => e.message,
            })
    });
    let step = Memo::new(move |_| {
        let len = run.with(|r| r.as_ref().map_or(0, |r| r.log.len()));
        (store.simulation.with(|s| s.step) as usize).min(len)
    });
    let helper_path = Memo::new(move |_| helper.with(|h| h.path.clone()));
    let sim = Sim { scenario, run, selected: RwSignal::new(None), step, helper_path, store };
    provide_context(sim);
    // Another scenario (from the select, a link or a bundle) has other requests: forget the chosen cell.
    // Other changes (helper, seed, remote calls) keep it, to compare its trace.
    let scenario_name = Memo::new(move |_| settings.with(|(name, _, _)| name.clone()));
    Effect::new(move |previous: Option<()>| {
        scenario_name.track();
        if previous.is_some() {
            sim.selected.set(None);
        }
    });
    Effect::new(move |_| {
        let count = run.with(|r| r.as_ref().map_or(0, |r| r.results.len()));
        if sim.selected.get_untracked().is_some_and(|i| i >= count) {
            sim.selected.set(None);
        }
    });

    let status = move || match run.get() {
        Err(message) => view! { <p class="sim-error" data-testid="sim-error">{message}</p> }.into_any(),
        Ok(run) => {
            let text = if run.compiles {
                format!("Helper compiles ({})", run.helper_form)
            } else {
                let path = helper_path.get();
                let errors: Vec<String> =
                    run.type_errors.iter().map(|e| at_file(&path, e.to_string())).collect();
                format!(
                    "Helper does not compile: {} — simulated with its intended meaning (a PID compared with 0 means not found)",
                    errors.join("; ")
                )
            };
            let class = if run.compiles { "sim-compiles yes" } else { "sim-compiles no" };
            view! {
                <p class=class data-testid="sim-compiles" data-compiles=run.compiles.to_string()>{text}</p>
                <details class="sim-helper">
                    <summary>"Helper executed after the rewrite"</summary>
                    <pre data-testid="sim-helper">{run.helper.clone()}</pre>
                </details>
            }
            .into_any()
        }
    };
    let description = move || scenario.get().map(|s| s.description.trim().to_owned());

    view! {
        <section class="panel sim" data-testid="simulator">
            <h2>"Cluster simulator"</h2>
            <matrix::Matrix />
            <controls::Controls />
            <p class="sim-description" data-testid="sim-description">{description}</p>
            {status}
            <Show when=move || run.with(|r| r.is_ok())>
                <grid::Grid />
                <trace::TracePanel />
                <div class="sim-lower" data-testid="timeline">
                    <timeline::Scrubber />
                    <node_cards::NodeCards />
                    <timeline::EventList />
                </div>
            </Show>
        </section>
    }
}

/// What an outcome word means where it needs saying: `ok-remote` looks fine and is not.
pub fn outcome_title(outcome: &str) -> Option<&'static str> {
    (outcome == "ok-remote").then_some("answered by another node's registry: its pool handles are useless on this node")
}

/// Prefixes a `LINE:COL` message with the helper file it is in.
fn at_file(path: &Option<String>, message: String) -> String {
    match path {
        Some(p) => format!("{p}:{message}"),
        None => message,
    }
}
