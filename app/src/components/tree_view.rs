//! The syntax tree of the selected file, from the engine's parse (no reparse): one row per node
//! whose ancestors are open (`syntax_rows`), keyed by its HTML, so a keystroke re-creates only
//! the rows whose text changed. Clicking a row (or Enter on it) opens or closes it and selects
//! its range in the editor; moving the caret opens the path to the innermost node under it and
//! marks that node (`tree-current`).

use crate::state::{use_store, Focus};
use crate::syntax_rows::{node_range, parse_path_attr, path_at, row_html, tree_rows};
use leptos::prelude::*;
use std::collections::HashSet;

#[component]
pub fn TreeView() -> impl IntoView {
    let store = use_store();
    // Rows the user opened, by path of child indices, so a re-parse keeps them open.
    let expanded = RwSignal::new(HashSet::from([vec![]]));
    // The node under the caret, on the last settled parse.
    let current = Memo::new(move |_| {
        store.settled.track();
        let at = store.cursor.get()?;
        store.with_parsed(&store.selected.get()?, |p| path_at(p, at))
    });
    Effect::new(move |_| {
        let Some(path) = current.get() else { return };
        let closed: Vec<_> = (0..path.len())
            .map(|i| path[..i].to_vec())
            .filter(|p| !expanded.with_untracked(|e| e.contains(p)))
            .collect();
        if !closed.is_empty() {
            expanded.update(|e| e.extend(closed));
        }
    });
    let rows = Memo::new(move |_| {
        store.settled.track();
        let Some(path) = store.selected.get() else { return Vec::new() };
        let current = current.get();
        expanded
            .with(|e| store.with_parsed(&path, |p| tree_rows(p, e)))
            .unwrap_or_default()
            .iter()
            .map(|row| row_html(row, current.as_ref() == Some(&row.path)))
            .collect::<Vec<_>>()
    });
    // One listener for every row: a row that opens toggles, every row selects its range.
    let activate = move |target: web_sys::EventTarget| {
        use wasm_bindgen::JsCast;
        let Some(row) = target.dyn_into::<web_sys::Element>().ok().and_then(|t| t.closest("[data-path]").ok().flatten())
        else {
            return;
        };
        let Some(node) = row.get_attribute("data-path").and_then(|p| parse_path_attr(&p)) else { return };
        if row.has_attribute("aria-expanded") {
            expanded.update(|e| {
                if !e.remove(&node) {
                    e.insert(node.clone());
                }
            });
        }
        let Some(path) = store.selected.get_untracked() else { return };
        if let Some(Some((start, end))) = store.with_parsed(&path, |p| node_range(p, &node)) {
            store.show(Focus { path, start, end, after: false });
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(target) = ev.target() {
            activate(target);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "Enter" | " ") {
            ev.prevent_default();
            if let Some(target) = ev.target() {
                activate(target);
            }
        }
    };
    view! {
        <section class="panel tree-panel">
            <h2>"Syntax tree"</h2>
            <div class="tree-view" role="tree" data-testid="tree-view" on:click=on_click on:keydown=on_key>
                <For each=move || rows.get() key=|row| row.clone() let:row>
                    <div class="tree-row" inner_html=row></div>
                </For>
            </div>
        </section>
    }
}
