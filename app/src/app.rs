//! The page layout: toolbar on top, files on the left, source and diff in the middle,
//! report and inspectors on the right. Each region is a small component over the store.

use crate::components::{diagnostics::Diagnostics, editor::Editor, tree_view::TreeView};
use crate::examples;
use crate::state::Store;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let store = Store::provide();
    view! {
        <header class="top">
            <h1>"Mesh Rewrite Playground"</h1>
            <button data-testid="load-example" on:click=move |_| store.load(examples::project(examples::MESHER))>
                "Open the example project"
            </button>
        </header>
        <main class="layout">
            <section class="panel editor-panel">
                <h2>"Source"</h2>
                <Editor />
            </section>
            <div class="side">
                <Diagnostics />
                <TreeView />
            </div>
        </main>
    }
}
