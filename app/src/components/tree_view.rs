//! The syntax tree of the selected file as nested <details>, from the engine's parse (no
//! reparse). Children render only while their parent is open, so a large file costs one line
//! per visible node. Clicking a node selects its range in the editor; moving the caret opens
//! the path to the innermost node under it and marks that node (`tree-current`).

use crate::analysis::{path_at, syntax_tree, SyntaxNode, MAX_TREE_DEPTH};
use crate::state::{use_store, Focus, Store};
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

#[component]
pub fn TreeView() -> impl IntoView {
    let store = use_store();
    let tree = Memo::new(move |_| {
        store.settled.track();
        let path = store.selected.get()?;
        store.with_parsed(&path, |p| Arc::new(syntax_tree(p)))
    });
    // Tree-view nodes the user opened, by path of child indices, so a re-parse keeps them open.
    let expanded = RwSignal::new(HashSet::from([vec![]]));
    // The node under the caret, and the path to it opened.
    let current = Memo::new(move |_| {
        let at = store.cursor.get()?;
        tree.with(|t| t.as_ref().map(|t| path_at(t, at)))
    });
    Effect::new(move |_| {
        if let Some(path) = current.get() {
            expanded.update(|e| {
                for i in 0..path.len() {
                    e.insert(path[..i].to_vec());
                }
            });
        }
    });
    let ctx = Ctx { store, expanded, current };
    view! {
        <section class="panel tree-panel">
            <h2>"Syntax tree"</h2>
            <div class="tree-view" data-testid="tree-view">
                {move || tree.get().map(|t| node_view(&t, Vec::new(), ctx))}
            </div>
        </section>
    }
}

#[derive(Clone, Copy)]
struct Ctx {
    store: Store,
    expanded: RwSignal<HashSet<Vec<usize>>>,
    current: Memo<Option<Vec<usize>>>,
}

fn node_view(node: &SyntaxNode, path: Vec<usize>, ctx: Ctx) -> AnyView {
    let class = if node.error {
        "node error"
    } else if node.missing {
        "node missing"
    } else {
        "node"
    };
    let is_current = {
        let path = path.clone();
        move || ctx.current.with(|c| c.as_ref() == Some(&path))
    };
    let testid = {
        let is_current = is_current.clone();
        move || is_current().then_some("tree-current")
    };
    let select = {
        let (start, end) = (node.start_byte, node.end_byte);
        move |_: leptos::ev::MouseEvent| {
            if let Some(path) = ctx.store.selected.get_untracked() {
                ctx.store.show(Focus { path, start, end, after: false });
            }
        }
    };
    let label = label(node);
    if node.children.is_empty() {
        return view! {
            <div class=class class:current=is_current data-testid=testid on:click=select>{label}</div>
        }
        .into_any();
    }
    // A memo per node: opening one node re-renders only that node's children.
    let open = {
        let key = path.clone();
        Memo::new(move |_| ctx.expanded.with(|e| e.contains(&key)))
    };
    // A click opens or closes the node in the state at once (not on the later `toggle` event),
    // so a re-render that lands in between cannot undo it.
    let on_summary_click = {
        let key = path.clone();
        let select = select.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            ctx.expanded.update(|e| {
                if !e.remove(&key) {
                    e.insert(key.clone());
                }
            });
            select(ev);
        }
    };
    let key = path.clone();
    let on_toggle = move |ev: leptos::ev::Event| {
        let now_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        if now_open != open.get_untracked() {
            ctx.expanded.update(|e| {
                if now_open {
                    e.insert(key.clone());
                } else {
                    e.remove(&key);
                }
            });
        }
    };
    let children = node.children.clone();
    let body = move || {
        open.get().then(|| {
            children
                .iter()
                .enumerate()
                .map(|(i, child)| {
                    let mut child_path = path.clone();
                    child_path.push(i);
                    node_view(child, child_path, ctx)
                })
                .collect_view()
        })
    };
    view! {
        <details class=class prop:open=move || open.get() on:toggle=on_toggle>
            <summary class:current=is_current data-testid=testid on:click=on_summary_click>{label}</summary>
            <div class="children">{body}</div>
        </details>
    }
    .into_any()
}

/// `field: kind 1:1–3:4`, pieces in their own spans for styling; ` …` where deeper nodes are left out.
fn label(node: &SyntaxNode) -> impl IntoView + use<> {
    let field = node.field.clone().map(|f| view! { <span class="field">{format!("{f}: ")}</span> });
    let kind = if node.missing { format!("MISSING {}", node.kind) } else { node.kind.clone() };
    let range = format!("{}:{}–{}:{}", node.start.0, node.start.1, node.end.0, node.end.1);
    let truncated = node.truncated.then(|| {
        let why = format!("deeper than {MAX_TREE_DEPTH} levels: not shown");
        view! { <span class="truncated" title=why>" …"</span> }
    });
    view! {
        {field}
        <span class="kind">{kind}</span>
        " "
        <span class="range">{range}</span>
        {truncated}
    }
}
