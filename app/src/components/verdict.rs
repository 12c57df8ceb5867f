//! The verdict, at the top of the report: which helper form is safe to ship, one sentence per form
//! (its worst case), the current form marked, and a button that switches to the recommended form.

use crate::analysis::{form_sentence, form_subject, switch_target};
use crate::state::use_store;
use leptos::prelude::*;
use mesh_rewrite::verdict::{FormVerdict, Verdict};

#[component]
pub fn VerdictBlock() -> impl IntoView {
    let store = use_store();
    move || {
        let verdict = store.verdict.get()?;
        let safe_now = verdict.form(&verdict.current).is_some_and(FormVerdict::safe);
        let target = switch_target(&verdict);
        let rows = verdict.forms.iter().map(|f| row(&verdict, f)).collect_view();
        Some(view! {
            <section class="verdict" class:safe=safe_now class:none=verdict.recommended.is_none() data-testid="verdict">
                <p class="verdict-headline" data-testid="verdict-headline">{verdict.headline.clone()}</p>
                <ul class="verdict-forms">{rows}</ul>
                {target.map(|form| {
                    view! {
                        <button class="verdict-switch" data-testid="verdict-switch" on:click=move |_| store.set_helper_form(form)>
                            {format!("Switch to {}", form.name())}
                        </button>
                    }
                })}
            </section>
        })
    }
}

fn row(verdict: &Verdict, f: &FormVerdict) -> impl IntoView + use<> {
    let current = f.form == verdict.current;
    let recommended = verdict.recommended.as_deref() == Some(f.form.as_str());
    let sentence = form_sentence(f);
    // The subject in bold, then the rest of the one sentence.
    let rest = sentence[form_subject(&f.form).len()..].to_owned();
    view! {
        <li
            class="verdict-form"
            class:safe=f.safe()
            class:current=current
            class:recommended=recommended
            data-testid="verdict-form"
            data-form=f.form.clone()
            data-compiles=f.compiles.to_string()
            data-worse=f.worse.to_string()
            data-recommended=recommended.to_string()
            data-current=current.to_string()
        >
            <span class="verdict-sentence"><strong>{form_subject(&f.form)}</strong>{rest}</span>
            {recommended.then(|| view! { " " <span class="tag recommended">"recommended"</span> })}
            {current.then(|| view! { " " <span class="tag current">"current"</span> })}
        </li>
    }
}
