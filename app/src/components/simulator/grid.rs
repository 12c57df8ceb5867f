//! Requests × nodes: each cell shows the before and after outcome of one request, coloured by
//! outcome; clicking it shows its trace and moves the timeline to the moment of the request.

use super::{outcome_title, Sim};
use leptos::prelude::*;
use mesh_rewrite::simulate::{view, RequestResult};

#[component]
pub fn Grid() -> impl IntoView {
    let sim = Sim::use_sim();
    let layout = Memo::new(move |_| {
        let run = sim.run.get().ok()?;
        let scenario = sim.scenario.get()?;
        Some((view::grid(&run, &scenario), view::request_steps(&run)))
    });
    let body = move || {
        let (grid, steps) = layout.get()?;
        let run = sim.run.get().ok()?;
        let head = grid.nodes.iter().map(|n| view! { <th scope="col">{format!("node {n}")}</th> }).collect_view();
        let rows = grid
            .rows
            .into_iter()
            .map(|row| {
                let cells = row
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(col, cell)| match cell {
                        Some(i) => cell_view(sim, *i, &run.results[*i], steps[*i]).into_any(),
                        None => view! {
                            <td class="sim-none" data-node=grid.nodes[col].clone()>"no request"</td>
                        }
                        .into_any(),
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">
                            <span class="sim-time">{format!("{} ms", row.time)}</span>
                            " "
                            <code>{row.handler}</code>
                        </th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <table class="sim-grid" data-testid="sim-grid">
                <thead>
                    <tr>
                        <th scope="col">"request"</th>
                        {head}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    view! {
        <div class="sim-grid-wrap">
            {body}
            <p class="sim-legend">
                <span class="outcome ok">"ok"</span>
                " registry on the handler's node · "
                <span class="outcome ok-remote" title=outcome_title("ok-remote")>"ok-remote"</span>
                " answered by another node's registry, whose pool handles are useless here (only if remote calls worked) · "
                <span class="outcome hang">"hang"</span>
                " call to the main process (lookup gave 0) · "
                <span class="outcome crash">"crash"</span>
                " service call to a PID on another node"
            </p>
        </div>
    }
}

fn cell_view(sim: Sim, index: usize, r: &RequestResult, step: usize) -> impl IntoView + use<> {
    let (before, after) = (r.before.outcome.as_str(), r.after.outcome.as_str());
    let changed = before != after;
    let class = move || {
        let mut c = format!("sim-cell before-{before} after-{after}");
        if changed {
            c.push_str(" changed");
        }
        if sim.selected.get() == Some(index) {
            c.push_str(" selected");
        }
        c
    };
    let title = format!(
        "before: {} ({}), after: {} ({}) — click for the trace",
        before,
        r.before.resolved_node.as_deref().unwrap_or("0"),
        after,
        r.after.resolved_node.as_deref().unwrap_or("0")
    );
    let on_click = move |_| {
        sim.selected.set(Some(index));
        sim.set_step(step);
    };
    view! {
        <td
            class=class
            data-testid="sim-cell"
            data-node=r.node.clone()
            data-time=r.time.to_string()
            data-handler=r.handler.clone()
            data-before=before
            data-after=after
            title=title
            tabindex="0"
            on:click=on_click
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    sim.selected.set(Some(index));
                    sim.set_step(step);
                }
            }
        >
            <span class=format!("outcome {before}") title=outcome_title(before)>{format!("before {before}")}</span>
            " · "
            <span class=format!("outcome {after}") title=outcome_title(after)>{format!("after {after}")}</span>
        </td>
    }
}
