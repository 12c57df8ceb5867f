//! Page settings: the theme (system / light / dark, persisted) and Reset back to the example.

use crate::browser::{fragment, storage};
use crate::examples;
use crate::state::{use_store, Store};
use leptos::prelude::*;
use mesh_rewrite::permalink::State;

/// Cycles system → light → dark; the choice is kept and applied as `data-theme` on <html>.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let store = use_store();
    store.dark.set(storage::load_theme());
    Effect::new(move |_| {
        let dark = store.dark.get();
        let html = gloo_utils::document_element();
        let _ = match dark {
            Some(true) => html.set_attribute("data-theme", "dark"),
            Some(false) => html.set_attribute("data-theme", "light"),
            None => html.remove_attribute("data-theme"),
        };
        storage::save_theme(dark);
    });
    let next = move |_| {
        store.dark.update(|d| {
            *d = match *d {
                None => Some(false),
                Some(false) => Some(true),
                Some(true) => None,
            }
        })
    };
    let label = move || match store.dark.get() {
        None => "Theme: system",
        Some(false) => "Theme: light",
        Some(true) => "Theme: dark",
    };
    view! {
        <button data-testid="theme-toggle" on:click=next title="Follow the system, light or dark">
            {label}
        </button>
    }
}

/// The example project with every option at its default.
pub fn example_state() -> State {
    let files: Vec<(String, String)> =
        examples::project(examples::MESHER).into_iter().map(|f| (f.path, f.text)).collect();
    State { selected: files.first().map(|(p, _)| p.clone()), files, view: "unified".into(), ..State::default() }
}

fn reset(store: Store) {
    storage::clear_work();
    fragment::replace("");
    store.skipped.set(Vec::new());
    store.restore(example_state());
}

/// Back to the example; asks first when that would throw work away.
#[component]
pub fn Reset() -> impl IntoView {
    let store = use_store();
    let asking = RwSignal::new(false);
    let on_click = move |_| {
        let snapshot = store.snapshot();
        if snapshot.files.is_empty() || snapshot == example_state() {
            reset(store);
        } else {
            asking.set(true);
        }
    };
    view! {
        <button data-testid="reset" on:click=on_click>"Reset"</button>
        {move || {
            asking.get().then(|| {
                view! {
                    <div class="confirm-bar" role="alertdialog" data-testid="reset-confirm">
                        <span>"Reset to the example project? Your files and options will be replaced."</span>
                        <button
                            data-testid="reset-yes"
                            on:click=move |_| {
                                asking.set(false);
                                reset(store);
                            }
                        >
                            "Reset"
                        </button>
                        <button data-testid="reset-no" on:click=move |_| asking.set(false)>"Cancel"</button>
                    </div>
                }
            })
        }}
    }
}
