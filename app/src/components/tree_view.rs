//! The syntax tree as nested <details>. Children render only while their parent is open,
//! so a large file costs one line per visible node, not one element per node.

use crate::analysis::{analyze, SyntaxNode};
use crate::state::use_store;
use leptos::prelude::*;
use std::collections::HashSet;

#[component]
pub fn TreeView() -> impl IntoView {
    let store = use_store();
    let tree = Memo::new(move |_| analyze(&store.selected_file().map(|f| f.text).unwrap_or_default()).tree);
    // Tree-view nodes the user opened, by path of child indices, so a re-parse keeps them open.
    let expanded = RwSignal::new(HashSet::from([vec![]]));
    view! {
        <section class="panel">
            <h2>"Syntax tree"</h2>
            <div class="tree-view" data-testid="tree-view">
                {move || node_view(tree.get(), Vec::new(), expanded)}
            </div>
        </section>
    }
}

fn node_view(node: SyntaxNode, path: Vec<usize>, expanded: RwSignal<HashSet<Vec<usize>>>) -> AnyView {
    let class = if node.error {
        "node error"
    } else if node.missing {
        "node missing"
    } else {
        "node"
    };
    let label = label(&node);
    if node.children.is_empty() {
        return view! { <div class=class>{label}</div> }.into_any();
    }
    // Read untracked: toggling one node must not re-render the whole tree.
    let open = RwSignal::new(expanded.with_untracked(|e| e.contains(&path)));
    let key = path.clone();
    let on_toggle = move |ev: leptos::ev::Event| {
        let now_open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        open.set(now_open);
        expanded.update(|e| {
            if now_open {
                e.insert(key.clone());
            } else {
                e.remove(&key);
            }
        });
    };
    let children = node.children;
    let body = move || {
        open.get().then(|| {
            children
                .iter()
                .enumerate()
                .map(|(i, child)| {
                    let mut child_path = path.clone();
                    child_path.push(i);
                    node_view(child.clone(), child_path, expanded)
                })
                .collect_view()
        })
    };
    view! {
        <details class=class prop:open=move || open.get() on:toggle=on_toggle>
            <summary>{label}</summary>
            <div class="children">{body}</div>
        </details>
    }
    .into_any()
}

/// `field: kind 1:1-3:4`, pieces in their own spans for styling.
fn label(node: &SyntaxNode) -> impl IntoView + use<> {
    let field = node.field.clone().map(|f| view! { <span class="field">{format!("{f}: ")}</span> });
    let kind = if node.missing { format!("MISSING {}", node.kind) } else { node.kind.clone() };
    let range = format!(
        "{}:{}–{}:{}",
        node.start.line, node.start.column, node.end.line, node.end.column
    );
    view! {
        {field}
        <span class="kind">{kind}</span>
        " "
        <span class="range">{range}</span>
    }
}
