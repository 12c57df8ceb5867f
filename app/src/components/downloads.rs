//! Downloads of the result: the patch (`git apply`-able), the rewritten project as a .zip,
//! and the selected file as rewritten. Made in the page from the latest analysis. The patch and the
//! zip are named after the helper form they hold; a form the verdict did not find safe is never
//! downloaded without asking first.

use crate::analysis::{download_warning, switch_target, Download};
use crate::browser::download;
use crate::state::{use_store, Level, Store};
use leptos::prelude::*;
use mesh_rewrite::intake::zip_files;
use wasm_bindgen::JsCast;

/// Saves `what` as the analysis has it now.
fn save(store: Store, what: &Download) {
    let form = store.verdict.with_untracked(|v| v.as_ref().map(|v| v.current.clone()));
    let form = form.unwrap_or_else(|| store.rule.with_untracked(|r| r.helper_form.name().to_owned()));
    let name = what.name(&form);
    // The folder the user brought stays in front of every path, so the patch applies from where
    // they stand (its parent) and the zip unpacks to the same layout.
    let base = store.base.get_untracked();
    store.analysis.with_untracked(|a| {
        let Some(outcome) = &a.outcome else { return };
        match what {
            Download::Patch => {
                let patch: String = outcome
                    .files
                    .iter()
                    .map(|f| f.patch_at(&format!("{base}{}", f.path)))
                    .collect();
                download::save(&name, "text/x-diff", patch.as_bytes());
            }
            Download::Zip => {
                let files: Vec<_> = outcome.files.iter().map(|f| (format!("{base}{}", f.path), f.text.clone())).collect();
                match zip_files(&files) {
                    Some(zip) => download::save(&name, "application/zip", &zip),
                    None => {
                        let why = "A path is too long for a zip (over 65,535 bytes): download the patch";
                        store.notify(Level::Error, why)
                    }
                }
            }
            Download::File(path) => {
                if let Some(f) = outcome.files.iter().find(|f| &f.path == path) {
                    download::save(&name, "text/plain", f.text.as_bytes());
                }
            }
        }
    });
}

#[component]
pub fn Downloads() -> impl IntoView {
    let store = use_store();
    // The download waiting for the user's answer, with the reason it was held.
    let asking: RwSignal<Option<(Download, String)>> = RwSignal::new(None);
    let no_outcome = move || store.analysis.with(|a| a.outcome.is_none());
    let request = move |what: Download| {
        match store.verdict.with_untracked(|v| v.as_deref().and_then(download_warning)) {
            Some(reason) => asking.set(Some((what, reason))),
            None => save(store, &what),
        }
    };
    let file = move |_| {
        if let Some(path) = store.selected.get_untracked() {
            request(Download::File(path));
        }
    };
    view! {
        <div class="downloads">
            <button
                data-testid="download-patch"
                disabled=no_outcome
                on:click=move |_| request(Download::Patch)
                title="A patch for git apply"
            >
                "Download patch"
            </button>
            <button data-testid="download-zip" disabled=no_outcome on:click=move |_| request(Download::Zip)>
                "Download .zip"
            </button>
            <button
                data-testid="download-file"
                disabled=move || no_outcome() || store.selected.get().is_none()
                on:click=file
                title="The selected file after the rewrite"
            >
                "Download file"
            </button>
        </div>
        <ConfirmDownload asking />
    }
}

/// Asks before downloading a helper form that does not compile or is worse than today somewhere:
/// download anyway, or switch to the recommended form.
#[component]
fn ConfirmDownload(asking: RwSignal<Option<(Download, String)>>) -> impl IntoView {
    let store = use_store();
    let target = move || store.verdict.with(|v| v.as_deref().and_then(switch_target));
    let anyway = move |_| {
        if let Some((what, _)) = asking.get_untracked() {
            asking.set(None);
            save(store, &what);
        }
    };
    let switch = move |_| {
        asking.set(None);
        if let Some(form) = target() {
            store.set_helper_form(form);
        }
    };
    // The question takes the keyboard focus (its first button), so Enter answers it and Esc closes it.
    let dialog = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let button = dialog.get().and_then(|d| d.query_selector("button").ok().flatten());
        if let Some(button) = button.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = button.focus();
        }
    });
    move || {
        let (_, reason) = asking.get()?;
        Some(view! {
            <div class="dialog-backdrop" on:click=move |_| asking.set(None)>
                <div
                    class="dialog download-confirm"
                    role="alertdialog"
                    aria-labelledby="download-confirm-title"
                    data-testid="download-confirm"
                    node_ref=dialog
                    on:click=|ev| ev.stop_propagation()
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            asking.set(None);
                        }
                    }
                >
                    <h2 id="download-confirm-title">"This rewrite is not safe to ship"</h2>
                    <p class="confirm-reason" data-testid="download-confirm-reason">{reason}</p>
                    <div class="dialog-buttons">
                        {move || {
                            target()
                                .map(|form| {
                                    view! {
                                        <button class="primary" data-testid="download-switch" on:click=switch>
                                            {format!("Switch to {}", form.name())}
                                        </button>
                                    }
                                })
                        }}
                        <button data-testid="download-anyway" on:click=anyway>"Download anyway"</button>
                        <button data-testid="download-cancel" on:click=move |_| asking.set(None)>"Cancel"</button>
                    </div>
                </div>
            </div>
        })
    }
}
