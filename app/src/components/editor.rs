//! The source editor for the selected file; each input updates the store and re-runs the engine.

use crate::state::{use_store, File};
use leptos::prelude::*;

#[component]
pub fn Editor() -> impl IntoView {
    let store = use_store();
    // Typing into an empty project starts a scratch file.
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        match store.selected.get_untracked() {
            Some(path) => store.set_text(&path, text),
            None => store.load(vec![File { path: "main.mpl".into(), text }]),
        }
        store.rerun();
    };
    view! {
        <textarea
            class="editor"
            data-testid="editor"
            spellcheck="false"
            autocomplete="off"
            placeholder="Type or paste Mesh code here"
            prop:value=move || store.selected_file().map(|f| f.text).unwrap_or_default()
            on:input=on_input
        ></textarea>
    }
}
