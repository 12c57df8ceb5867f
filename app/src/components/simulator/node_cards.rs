//! One card per node at the current step: whether it is up and started, its peers, its processes,
//! its local registry and its copy of the global registry. Entries changed by the last step are marked.

use super::Sim;
use leptos::prelude::*;
use mesh_rewrite::simulate::{view, NodeView};
use std::collections::BTreeMap;

#[component]
pub fn NodeCards() -> impl IntoView {
    let sim = Sim::use_sim();
    // (the nodes now, the nodes one step earlier)
    let states = Memo::new(move |_| {
        let (Ok(run), Some(scenario)) = (sim.run.get(), sim.scenario.get()) else {
            return (Vec::new(), Vec::new());
        };
        let step = sim.step.get();
        (view::nodes_at(&run, &scenario, step), view::nodes_at(&run, &scenario, step.saturating_sub(1)))
    });
    let cards = move || {
        let (now, before) = states.get();
        now.into_iter()
            .enumerate()
            .map(|(i, node)| {
                let prev = before.get(i).cloned();
                card(node, prev)
            })
            .collect_view()
    };
    view! { <div class="sim-nodes">{cards}</div> }
}

fn card(node: NodeView, prev: Option<NodeView>) -> impl IntoView + use<> {
    let status = if !node.up {
        "down".to_owned()
    } else if node.self_name.is_empty() {
        "up · standalone (Node.self() = \"\")".to_owned()
    } else {
        format!("up · started as {}", node.self_name)
    };
    let peers = if node.peers.is_empty() { "none".to_owned() } else { node.peers.join(", ") };
    let processes = if node.processes.is_empty() {
        "none".to_owned()
    } else {
        node.processes.iter().map(|(pid, label)| format!("{pid} {label}")).collect::<Vec<_>>().join(", ")
    };
    let (prev_local, prev_global) = prev.map(|p| (p.local, p.global)).unwrap_or_default();
    view! {
        <article
            class=if node.up { "sim-node-card" } else { "sim-node-card down" }
            data-testid="node-card"
            data-node=node.node.clone()
        >
            <h3>{format!("node {}", node.node)}</h3>
            <p class="sim-status">{status}</p>
            <p class="sim-meta">{format!("peers: {peers}")}</p>
            <p class="sim-meta">{format!("processes: {processes}")}</p>
            {table("local registry", "sim-local", &node.local, &prev_local)}
            {table("global registry copy", "sim-global", &node.global, &prev_global)}
        </article>
    }
}

fn table(
    title: &'static str,
    testid: &'static str,
    entries: &BTreeMap<String, String>,
    prev: &BTreeMap<String, String>,
) -> impl IntoView + use<> {
    let removed: Vec<String> = prev.keys().filter(|k| !entries.contains_key(*k)).cloned().collect();
    let rows = entries
        .iter()
        .map(|(name, pid)| {
            let changed = prev.get(name) != Some(pid);
            let owner = owner(pid);
            view! {
                <tr class=if changed { "changed" } else { "" } data-name=name.clone() data-pid=pid.clone()>
                    <td><code>{name.clone()}</code></td>
                    <td><code>{pid.clone()}</code></td>
                    <td>{format!("on {owner}")}</td>
                </tr>
            }
        })
        .collect_view();
    let gone = (!removed.is_empty()).then(|| {
        view! { <p class="sim-removed">{format!("just removed: {}", removed.join(", "))}</p> }
    });
    let empty = entries.is_empty().then(|| view! { <p class="sim-empty">"empty"</p> });
    view! {
        <div class="sim-table">
            <h4>{title}</h4>
            <table data-testid=testid>
                <tbody>{rows}</tbody>
            </table>
            {empty}
            {gone}
        </div>
    }
}

/// The node a PID shown as `<a.1>` lives on.
fn owner(pid: &str) -> String {
    pid.trim_start_matches('<').split('.').next().unwrap_or("").to_owned()
}
