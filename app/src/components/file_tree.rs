//! The project's files with what the rewrite did to each (badges), a "changed only" filter,
//! and new / rename / delete. Clicking a row selects the file.

use crate::analysis::{file_badges, Badges};
use crate::state::use_store;
use leptos::prelude::*;

#[component]
pub fn FileTree() -> impl IntoView {
    let store = use_store();
    let changed_only = RwSignal::new(false);
    // Sorted by path, whatever order files came in; files the rewrite creates are listed too.
    let rows = Memo::new(move |_| {
        let mut paths: Vec<String> = store.files.with(|f| f.iter().map(|f| f.path.clone()).collect());
        let analysis = store.settled.get();
        if let Some(outcome) = &analysis.outcome {
            paths.extend(outcome.files.iter().filter(|f| f.original.is_none()).map(|f| f.path.clone()));
        }
        mesh_rewrite::order::sort(&mut paths);
        paths.dedup();
        paths.into_iter().map(|p| (file_badges(&analysis, &p), p)).collect::<Vec<(Badges, String)>>()
    });
    let new_file = move |_| {
        if let Some(path) = ask("New file path", "new.mpl") {
            if let Err(why) = store.add_file(&path) {
                store.notify(crate::state::Level::Warning, format!("Cannot create {path}: {why}"));
            }
        }
    };
    view! {
        <section class="panel file-tree-panel">
            <h2>
                "Files"
                <span class="actions">
                    <label class="filter">
                        <input
                            type="checkbox"
                            data-testid="filter-changed"
                            prop:checked=move || changed_only.get()
                            on:change=move |ev| changed_only.set(event_target_checked(&ev))
                        />
                        "changed only"
                    </label>
                    <button class="small" data-testid="new-file" title="New file" on:click=new_file>
                        "+ New"
                    </button>
                </span>
            </h2>
            <ul class="file-tree" data-testid="file-tree">
                <For
                    each=move || {
                        rows.get().into_iter().filter(move |(b, _)| !changed_only.get() || b.changed)
                    }
                    key=|row| row.clone()
                    children=move |(badges, path)| view! { <FileRow path badges /> }
                />
            </ul>
        </section>
    }
}

#[component]
fn FileRow(path: String, badges: Badges) -> impl IntoView {
    let store = use_store();
    let selected = {
        let path = path.clone();
        move || store.selected.get().as_deref() == Some(path.as_str())
    };
    let select = {
        let path = path.clone();
        move |_: ()| {
            store.selected.set(Some(path.clone()));
            store.focus.set(None);
        }
    };
    let rename = {
        let path = path.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.stop_propagation();
            if let Some(to) = ask("Rename to", &path) {
                if to != path {
                    if let Err(why) = store.rename_file(&path, &to) {
                        store.notify(crate::state::Level::Warning, format!("Cannot rename to {to}: {why}"));
                    }
                }
            }
        }
    };
    let delete = {
        let path = path.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.stop_propagation();
            store.delete_file(&path);
        }
    };
    let Badges { changed, replacements, errors, skipped, chosen, created } = badges;
    // Accept or reject the file's replacements at once: ticked when some are made, half when some
    // of them were unticked one by one.
    let file_choice = (replacements > 0 || chosen > 0).then(|| {
        let path = path.clone();
        view! {
            <input
                type="checkbox"
                class="choice"
                data-testid="file-choice"
                aria-label=format!("Rewrite {path}")
                title="Untick to leave this file as it is"
                prop:checked={replacements > 0}
                prop:indeterminate={replacements > 0 && chosen > 0}
                on:click=|ev| ev.stop_propagation()
                on:keydown=|ev| ev.stop_propagation()
                on:change=move |ev| store.choose_file(&path, event_target_checked(&ev))
            />
        }
    });
    view! {
        <li
            class="file-row"
            class:selected=selected
            class:changed=changed
            class:created=created
            data-testid="file-row"
            data-path=path.clone()
            tabindex="0"
            on:click={let select = select.clone(); move |_| select(())}
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" && ev.target() == ev.current_target() {
                    ev.prevent_default();
                    select(());
                }
            }
        >
            {file_choice}
            <span class="path" title=path.clone()>{path.clone()}</span>
            <span class="badges">
                {created.then(|| view! {
                    <span class="badge new" data-testid="badge-new" title="created by the rewrite">"new"</span>
                })}
                {(changed && !created).then(|| view! { <span class="badge changed" data-testid="badge-changed" title="changed">"M"</span> })}
                {(replacements > 0).then(|| view! {
                    <span class="badge count" data-testid="badge-replacements" title="replacements">{replacements}</span>
                })}
                {(errors > 0).then(|| view! {
                    <span class="badge errors" data-testid="badge-errors" title="syntax errors">{format!("{errors}⚠")}</span>
                })}
                {(skipped > 0).then(|| view! {
                    <span class="badge skip" data-testid="badge-skipped" title="lookups kept as they are">{format!("{skipped} skipped")}</span>
                })}
            </span>
            <span class="row-actions" class:hidden=created>
                <button class="icon" data-testid="rename-file" title="Rename" on:click=rename>"✎"</button>
                <button class="icon" data-testid="delete-file" title="Delete" on:click=delete>"✕"</button>
            </span>
        </li>
    }
}

/// A browser prompt: simple, accessible, and scriptable in tests (dialog events).
fn ask(message: &str, default: &str) -> Option<String> {
    web_sys::window()?.prompt_with_message_and_default(message, default).ok().flatten()
}
