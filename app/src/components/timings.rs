//! How long the last run took, per stage (a reused verdict shows a fraction of a millisecond).
//! It follows once typing pauses, like the report: a keystroke then changes the editor and the diff
//! alone, where a third pane's change made Chromium lay out the whole page (5–7 ms measured).

use crate::state::use_store;
use leptos::prelude::*;

#[component]
pub fn Timings() -> impl IntoView {
    let store = use_store();
    let text = move || {
        let t = store.settled.with(|a| a.timings);
        format!(
            "parse {:.1} ms · rewrite {:.1} ms · diff {:.1} ms · verdict {:.1} ms",
            t.parse, t.rewrite, t.diff, t.verdict
        )
    };
    view! { <p class="timings" data-testid="timings">{text}</p> }
}
