//! The page layout: toolbar on top, files on the left, source and diff in the middle,
//! report and inspectors on the right. Each region is a small component over the store.
//!
//! Narrow screens (≤ 700px, see a.css) show one region at a time, chosen by the tab bar;
//! `data-tab` on the layout says which. The simulator takes the middle column when its tab is on.

use crate::components::{
    apply::Apply, diagnostics::Diagnostics, diff_view::DiffView, editor::Editor, file_tree::FileTree, options::Options,
    report::Report, share::UpdateOffer, simulator::Simulator, timings::Timings, toolbar::{Messages, Toolbar}, tree_view::TreeView,
};
use crate::examples;
use crate::state::{use_store, Store, Tab};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let store = Store::provide();
    let tab = move || store.tab.get().as_str();
    let menu = RwSignal::new(false);
    view! {
        <header class="top" class:menu-open=move || menu.get() data-testid="toolbar">
            <h1>"Mesh Rewrite Playground"</h1>
            // Narrow screens fold the toolbar into this menu, so the header stays two short rows.
            <button
                class="menu-toggle"
                data-testid="menu-toggle"
                aria-expanded=move || menu.get().to_string()
                on:click=move |_| menu.update(|m| *m = !*m)
            >
                "☰ Menu"
            </button>
            <Toolbar />
            <Tabs />
        </header>
        <Messages />
        <UpdateOffer />
        <main class="layout" data-testid="layout" data-tab=tab>
            <aside class="pane files-pane" data-pane="files">
                <FileTree />
            </aside>
            <section class="center">
                <div class="pane source-pane" data-pane="source">
                    <EmptyState />
                    <Editor />
                </div>
                <div class="pane diff-pane" data-pane="diff">
                    <DiffView />
                </div>
                <div class="pane simulator-pane" data-pane="simulator" data-testid="simulator-pane">
                    <Simulator />
                </div>
            </section>
            <aside class="side">
                <div class="pane report-pane" data-pane="report">
                    <Report />
                    <Apply />
                    <Timings />
                    <Options />
                </div>
                <div class="pane tree-pane" data-pane="tree">
                    <Diagnostics />
                    <TreeView />
                </div>
            </aside>
        </main>
        // Which engine made what the page shows: links, bundles and reports carry the same words.
        <footer class="engine-version" data-testid="engine-version">
            {format!("mesh-rewrite {}", mesh_rewrite::version())}
        </footer>
    }
}

/// The region tabs: all six on narrow screens; on wide ones only "Rewrite" / "Simulator".
#[component]
fn Tabs() -> impl IntoView {
    let store = use_store();
    let button = move |t: Tab| {
        view! {
            <button
                class=format!("tab tab-{}", t.as_str())
                class:active=move || store.tab.get() == t
                data-testid=format!("tab-{}", t.as_str())
                on:click=move |_| store.tab.set(t)
            >
                {t.label()}
            </button>
        }
    };
    view! {
        <nav class="tabs" data-testid="tabs">
            <button
                class="tab tab-rewrite"
                class:active=move || store.tab.get() != Tab::Simulator
                data-testid="tab-rewrite"
                on:click=move |_| store.tab.set(Tab::Source)
            >
                "Rewrite"
            </button>
            {Tab::ALL.into_iter().map(button).collect_view()}
        </nav>
    }
}

/// Shown while there are no files: the example is one click away.
#[component]
fn EmptyState() -> impl IntoView {
    let store = use_store();
    let empty = move || store.files.with(Vec::is_empty);
    view! {
        <Show when=empty>
            <div class="empty-state" data-testid="empty-state">
                <p>"No Mesh code yet. Start from the bundled example project:"</p>
                <button data-testid="load-example" on:click=move |_| store.load(examples::project(examples::MESHER))>
                    "Open the example project"
                </button>
                <p class="muted">
                    "…or type or paste Mesh code below, upload .mpl files, a folder or a .zip, or drop them on the page."
                </p>
            </div>
        </Show>
    }
}
