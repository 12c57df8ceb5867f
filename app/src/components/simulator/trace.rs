//! The trace of the chosen cell: for before and after, the calls the lookup made, the registry table
//! each call read and what it held at that moment, and why the service call ended as it did.

use super::{outcome_title, Sim};
use leptos::prelude::*;
use mesh_rewrite::simulate::{view, Lookup};

#[component]
pub fn TracePanel() -> impl IntoView {
    let sim = Sim::use_sim();
    let body = move || {
        let run = sim.run.get().ok()?;
        let index = sim.selected.get()?;
        let r = run.results.get(index)?.clone();
        // The processes alive when the request ran, to name what a PID is.
        let step = view::request_steps(&run).get(index).copied()?;
        let scenario = sim.scenario.get()?;
        let nodes = view::nodes_at(&run, &scenario, step);
        let name = move |pid: &str| -> String {
            if pid == "0" {
                return "0, i.e. not found".to_owned();
            }
            let holder = nodes.iter().find_map(|n| n.processes.get(pid).map(|l| format!("{}'s {l}", n.node)));
            match holder {
                Some(h) => format!("{pid}, {h}"),
                None => format!("{pid}, no longer alive"),
            }
        };
        let heading = format!("{} on node {} at {} ms", r.handler, r.node, r.time);
        Some(view! {
            <div class="sim-trace" data-testid="sim-trace">
                <h3>{heading}</h3>
                <div class="sim-trace-sides">
                    {side("Before the rewrite", &r.before, name(&r.before.pid), None)}
                    {side("After the rewrite", &r.after, name(&r.after.pid), sim.helper_path.get())}
                </div>
            </div>
        })
    };
    let hint = move || {
        sim.selected.with(|s| s.is_none()).then(|| {
            view! { <p class="sim-hint">"Click a cell of the grid to see its trace."</p> }
        })
    };
    view! { {hint} {body} }
}

/// One side of the trace; `helper_path` is where the helper's call positions are.
fn side(title: &'static str, lookup: &Lookup, resolved: String, helper_path: Option<String>) -> impl IntoView + use<> {
    let outcome = lookup.outcome.as_str();
    let calls = lookup
        .trace
        .calls
        .iter()
        .map(|c| {
            let at = match (c.line, c.column) {
                (Some(l), Some(col)) => {
                    format!(" (at {}{l}:{col})", helper_path.as_deref().map_or(String::new(), |p| format!("{p}:")))
                }
                _ => String::new(),
            };
            // Registry reads show the table as it was; other reads (`b is started`) are plain facts.
            let read = c.read.clone().map(|read| match &c.held {
                None => view! { <div class="sim-read">{read}</div> }.into_any(),
                Some(held) => {
                    let entries = if held.is_empty() {
                        "nothing".to_owned()
                    } else {
                        held.iter().map(|(k, v)| format!("{k} → {v}")).collect::<Vec<_>>().join(", ")
                    };
                    view! {
                        <div class="sim-read">
                            {format!("read {read}, which held: ")}
                            <code>{entries}</code>
                        </div>
                    }
                    .into_any()
                }
            });
            view! {
                <li>
                    <code>{format!("{} → {}", c.call, c.returned)}</code>
                    <span class="sim-at">{at}</span>
                    {read}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class=format!("sim-side {outcome}") data-side=title>
            <h4>
                {title}
                ": "
                <span class=format!("outcome {outcome}") title=outcome_title(outcome)>{outcome}</span>
            </h4>
            <ol class="sim-calls">{calls}</ol>
            <p class="sim-resolved">{format!("The lookup returned {resolved}; then PipelineRegistry.get_pool(reg).")}</p>
            <p class="sim-why">{format!("Why: {}.", lookup.trace.why)}</p>
        </section>
    }
}
