//! The source editor: a plain textarea for now; each input event updates the source.

use leptos::prelude::*;

#[component]
pub fn Editor(source: RwSignal<String>) -> impl IntoView {
    view! {
        <textarea
            class="editor"
            data-testid="editor"
            spellcheck="false"
            autocomplete="off"
            placeholder="Type or paste Mesh code here"
            prop:value=move || source.get()
            on:input=move |ev| source.set(event_target_value(&ev))
        ></textarea>
    }
}
