//! Messages for the user (a refused link, an upload's result, a limit), each dismissible; a
//! Delete's notice has Undo. At most `MAX_NOTICES`, stacked in the bottom-right corner over the
//! page (never pushing the workspace down); a new one dismisses the oldest.

use crate::state::{use_store, Level};
use leptos::prelude::*;

#[component]
pub fn Notices() -> impl IntoView {
    let store = use_store();
    let items = move || {
        store
            .notices
            .get()
            .into_iter()
            .map(|notice| {
                let class = match notice.level {
                    Level::Info => "notice info",
                    Level::Warning => "notice warning",
                    Level::Error => "notice error",
                };
                let role = if notice.level == Level::Error { "alert" } else { "status" };
                let id = notice.id;
                let undo = notice.undo.is_some().then(|| {
                    view! {
                        <button class="undo" data-testid="notice-undo" on:click=move |_| store.undo(id)>"Undo"</button>
                    }
                });
                view! {
                    <li class=class data-testid="notice" role=role>
                        <span class="notice-text">{notice.text}</span>
                        {undo}
                        <button
                            class="dismiss"
                            data-testid="notice-dismiss"
                            aria-label="Dismiss"
                            on:click=move |_| store.dismiss(id)
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ul class="notices" data-testid="notices">{items}</ul> }
}
