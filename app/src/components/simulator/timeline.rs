//! The run's log as a timeline: a slider over the steps and the event list, the current event
//! highlighted; the node cards follow the step.

use super::Sim;
use leptos::prelude::*;

#[component]
pub fn Timeline() -> impl IntoView {
    let sim = Sim::use_sim();
    let log = Memo::new(move |_| sim.run.with(|r| r.as_ref().map(|r| r.log.clone()).unwrap_or_default()));
    let len = move || log.with(Vec::len);
    let position = move || {
        let step = sim.step.get();
        log.with(|log| match step {
            0 => format!("Step 0 of {}: before the first event", log.len()),
            s => format!("Step {s} of {} · {} ms", log.len(), log[s - 1].time),
        })
    };
    let on_scrub = move |ev| {
        if let Ok(step) = event_target_value(&ev).parse::<usize>() {
            sim.set_step(step);
        }
    };
    let events = move || {
        log.get()
            .into_iter()
            .enumerate()
            .map(|(i, entry)| {
                let class = move || {
                    let step = sim.step.get();
                    if i + 1 == step {
                        "sim-event current"
                    } else if i + 1 > step {
                        "sim-event future"
                    } else {
                        "sim-event"
                    }
                };
                let node = if entry.node.is_empty() { "net".to_owned() } else { entry.node.clone() };
                view! {
                    <li
                        class=class
                        data-testid="sim-event"
                        data-step=(i + 1).to_string()
                        on:click=move |_| sim.set_step(i + 1)
                    >
                        <span class="sim-time">{entry.time}</span>
                        <span class="sim-node">{node}</span>
                        <span class="sim-text">{entry.event}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="sim-timeline" data-testid="timeline">
            <h3>"Timeline"</h3>
            <input
                type="range"
                min="0"
                data-testid="sim-scrub"
                prop:max=move || len().to_string()
                prop:value=move || sim.step.get().to_string()
                on:input=on_scrub
            />
            <p class="sim-position" data-testid="sim-position">{position}</p>
            <ol class="sim-events">{events}</ol>
        </div>
    }
}
