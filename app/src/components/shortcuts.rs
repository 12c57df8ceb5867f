//! Keyboard shortcuts: Ctrl/Cmd+S copies the link, Ctrl/Cmd+Enter re-runs, `?` lists them.

use crate::components::share::copy_link;
use crate::state::use_store;
use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl/Cmd + S", "Copy a link to this state"),
    ("Ctrl/Cmd + Enter", "Re-run the rewrite"),
    ("?", "Show these shortcuts"),
    ("Esc", "Close this list"),
];

#[component]
pub fn Shortcuts() -> impl IntoView {
    let store = use_store();
    let open = RwSignal::new(false);
    let window = gloo_utils::window();
    EventListener::new_with_options(&window, "keydown", EventListenerOptions::enable_prevent_default(), move |ev| {
        let ev: &web_sys::KeyboardEvent = ev.unchecked_ref();
        let command = ev.ctrl_key() || ev.meta_key();
        match ev.key().as_str() {
            "s" | "S" if command => {
                ev.prevent_default();
                copy_link(store);
            }
            "Enter" if command => {
                ev.prevent_default();
                store.rerun();
            }
            "?" if !command && !typing(ev) => {
                ev.prevent_default();
                open.update(|o| *o = !*o);
            }
            "Escape" => open.set(false),
            _ => {}
        }
    })
    .forget();
    move || {
        open.get().then(|| {
            view! {
                <div class="dialog-backdrop" on:click=move |_| open.set(false)>
                    <div
                        class="dialog"
                        role="dialog"
                        aria-label="Keyboard shortcuts"
                        data-testid="shortcuts"
                        on:click=|ev| ev.stop_propagation()
                    >
                        <h2>"Keyboard shortcuts"</h2>
                        <dl>
                            {SHORTCUTS
                                .iter()
                                .map(|(keys, what)| view! { <dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd> })
                                .collect_view()}
                        </dl>
                        <button on:click=move |_| open.set(false)>"Close"</button>
                    </div>
                </div>
            }
        })
    }
}

/// Whether the key goes into a text field, where `?` is just a character.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(target.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || target.get_attribute("contenteditable").is_some_and(|v| v != "false")
}
