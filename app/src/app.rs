//! The page layout.

use crate::components::{diagnostics::Diagnostics, editor::Editor, tree_view::TreeView};
use crate::state::Playground;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let state = Playground::new();
    view! {
        <header class="top">
            <h1>"Mesh Rewrite Playground"</h1>
        </header>
        <main class="layout">
            <section class="panel editor-panel">
                <h2>"Source"</h2>
                <Editor source=state.source />
            </section>
            <div class="side">
                <Diagnostics diagnostics=state.diagnostics />
                <TreeView tree=state.tree expanded=state.expanded />
            </div>
        </main>
    }
}
