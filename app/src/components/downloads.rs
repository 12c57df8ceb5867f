//! Downloads of the result: the patch (`git apply`-able), the rewritten project as a .zip,
//! and the selected file as rewritten. Made in the page from the latest analysis.

use crate::browser::download;
use crate::state::use_store;
use leptos::prelude::*;
use mesh_rewrite::intake::zip_files;

#[component]
pub fn Downloads() -> impl IntoView {
    let store = use_store();
    let no_outcome = move || store.analysis.with(|a| a.outcome.is_none());
    let patch = move |_| {
        let Some(text) = store.analysis.with_untracked(|a| a.outcome.as_ref().map(|o| o.patch())) else { return };
        download::save("mesh-rewrite.patch", "text/x-diff", text.as_bytes());
    };
    let zip = move |_| {
        let files = store.analysis.with_untracked(|a| {
            a.outcome.as_ref().map(|o| o.files.iter().map(|f| (f.path.clone(), f.text.clone())).collect::<Vec<_>>())
        });
        let Some(files) = files else { return };
        download::save("mesh-rewritten.zip", "application/zip", &zip_files(&files));
    };
    let file = move |_| {
        let Some(path) = store.selected.get_untracked() else { return };
        let text = store.analysis.with_untracked(|a| {
            a.outcome.as_ref().and_then(|o| o.files.iter().find(|f| f.path == path).map(|f| f.text.clone()))
        });
        let Some(text) = text else { return };
        let name = path.rsplit('/').next().unwrap_or(&path);
        download::save(name, "text/plain", text.as_bytes());
    };
    view! {
        <div class="downloads">
            <button data-testid="download-patch" disabled=no_outcome on:click=patch title="A patch for git apply">
                "Download patch"
            </button>
            <button data-testid="download-zip" disabled=no_outcome on:click=zip>"Download .zip"</button>
            <button
                data-testid="download-file"
                disabled=move || no_outcome() || store.selected.get().is_none()
                on:click=file
                title="The selected file after the rewrite"
            >
                "Download file"
            </button>
        </div>
    }
}
