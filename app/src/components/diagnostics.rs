//! Syntax errors of the selected file as `LINE:COL message`, in source order.

use crate::state::use_store;
use leptos::prelude::*;

#[component]
pub fn Diagnostics() -> impl IntoView {
    let store = use_store();
    let items = move || {
        let selected = store.selected.get().unwrap_or_default();
        let list = store.analysis.with(|a| a.errors.get(&selected).cloned().unwrap_or_default());
        if list.is_empty() {
            return view! { <li class="none">"No syntax errors"</li> }.into_any();
        }
        list.into_iter()
            .map(|d| {
                view! {
                    <li class="diagnostic" data-testid="diagnostic">
                        {format!("{}:{} {}", d.line, d.column, d.message)}
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Diagnostics"</h2>
            <ul class="diagnostics" data-testid="diagnostics">{items}</ul>
        </section>
    }
}
