//! The run's log as a timeline: a slider over the steps (`Scrubber`) and the event list with the
//! current event highlighted (`EventList`); the node cards between them follow the step.

use super::Sim;
use leptos::html::Ol;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn log_of(sim: Sim) -> Memo<Vec<mesh_rewrite::simulate::LogEntry>> {
    Memo::new(move |_| sim.run.with(|r| r.as_ref().map(|r| r.log.clone()).unwrap_or_default()))
}

#[component]
pub fn Scrubber() -> impl IntoView {
    let sim = Sim::use_sim();
    let log = log_of(sim);
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
    view! {
        <div class="sim-scrubber">
            <h3>"Timeline"</h3>
            <input
                type="range"
                min="0"
                aria-label="Step through the log"
                data-testid="sim-scrub"
                prop:max=move || log.with(Vec::len).to_string()
                prop:value=move || sim.step.get().to_string()
                on:input=on_scrub
            />
            <p class="sim-position" data-testid="sim-position">{position}</p>
        </div>
    }
}

#[component]
pub fn EventList() -> impl IntoView {
    let sim = Sim::use_sim();
    let log = log_of(sim);
    let list = NodeRef::<Ol>::new();
    // Keep the current event visible in the list (scrolling the list only, not the page).
    Effect::new(move |_| {
        let step = sim.step.get();
        let Some(list) = list.get() else { return };
        let current = list.query_selector(".sim-event.current").ok().flatten();
        let Some(item) = current.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else {
            if step == 0 {
                list.set_scroll_top(0);
            }
            return;
        };
        let (top, bottom) = (list.scroll_top(), list.scroll_top() + list.client_height());
        let (item_top, item_bottom) = (item.offset_top(), item.offset_top() + item.offset_height());
        if item_top < top || item_bottom > bottom {
            list.set_scroll_top(item_top - list.client_height() / 2);
        }
    });
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
    view! { <ol class="sim-events" node_ref=list>{events}</ol> }
}
