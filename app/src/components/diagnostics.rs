//! Syntax errors as `LINE:COL message`, in source order.

use crate::analysis::Diagnostic;
use leptos::prelude::*;

#[component]
pub fn Diagnostics(diagnostics: Memo<Vec<Diagnostic>>) -> impl IntoView {
    let items = move || {
        let list = diagnostics.get();
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
