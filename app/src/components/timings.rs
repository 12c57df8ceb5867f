//! How long the last run took, per stage (a reused verdict shows a fraction of a millisecond).
//! It follows once typing pauses, like the report: a keystroke then changes the editor and the diff
//! alone, where a third pane's change made Chromium lay out the whole page (5–7 ms measured).

use crate::analysis::tenths;
use crate::state::use_store;
use leptos::prelude::*;

#[component]
pub fn Timings() -> impl IntoView {
    let store = use_store();
    let text = move || {
        let t = store.settled.with(|a| a.timings);
        let [parse, rewrite, diff, verdict] = [t.parse, t.rewrite, t.diff, t.verdict].map(tenths);
        format!("parse {parse} ms · rewrite {rewrite} ms · diff {diff} ms · verdict {verdict} ms")
    };
    view! { <p class="timings" data-testid="timings">{text}</p> }
}
