//! Messages for the user (a refused link, an upload's result, a limit), each dismissible.

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
            .enumerate()
            .map(|(i, notice)| {
                let class = match notice.level {
                    Level::Info => "notice info",
                    Level::Warning => "notice warning",
                    Level::Error => "notice error",
                };
                let role = if notice.level == Level::Error { "alert" } else { "status" };
                view! {
                    <li class=class data-testid="notice" role=role>
                        <span class="notice-text">{notice.text}</span>
                        <button
                            class="dismiss"
                            data-testid="notice-dismiss"
                            aria-label="Dismiss"
                            on:click=move |_| store.notices.update(|n| {
                                if i < n.len() {
                                    n.remove(i);
                                }
                            })
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
