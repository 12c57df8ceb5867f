//! Bringing code: upload files, a folder or a zip, or drop any of them anywhere on the page.
//! Core's `Intake` decides what is taken (limits, skip reasons, zips); here the files are read
//! one by one with a progress line, which says how many were read once done, and what is taken is
//! added to the project.

use crate::analysis::plural;
use crate::browser::files::{self, Picked};
use crate::examples;
use crate::state::{use_store, File, Level, Store};
use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mesh_rewrite::intake::{Intake, Limits, SkipReason};
use mesh_rewrite::project::{check_path, detect_root, strip_dir};
use wasm_bindgen::JsCast;

/// The two upload buttons (files or a zip; a folder), the progress line and the skipped list.
#[component]
pub fn Upload() -> impl IntoView {
    let store = use_store();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let picked = input.files().map(|list| files::from_list(&list)).unwrap_or_default();
        // Clear it so picking the same files again fires `change` again.
        input.set_value("");
        spawn_local(bring(store, picked));
    };
    view! {
        <div class="upload">
            <label class="button">
                "Upload files or .zip"
                <input
                    type="file"
                    multiple
                    accept=".mpl,.zip"
                    data-testid="upload-files"
                    on:change=on_change
                />
            </label>
            <label class="button">
                "Upload folder"
                <input type="file" prop:webkitdirectory=true data-testid="upload-folder" on:change=on_change />
            </label>
            <Progress />
        </div>
    }
}

/// "Reading 3 / 25 files" while an upload is read, then "Read 25 files" until the next one.
#[component]
fn Progress() -> impl IntoView {
    let store = use_store();
    move || {
        store.progress.get().map(|(done, total)| {
            if done < total {
                view! {
                    <span class="progress" data-testid="progress" role="status">
                        <progress max=total value=done></progress>
                        {format!(" Reading {done} / {total} files")}
                    </span>
                }
                .into_any()
            } else {
                view! {
                    <span class="progress" data-testid="progress" role="status">
                        {format!("Read {}", plural(total, "file"))}
                    </span>
                }
                .into_any()
            }
        })
    }
}

/// What the last upload left out, each with its reason.
#[component]
pub fn Skipped() -> impl IntoView {
    let store = use_store();
    move || {
        let skipped = store.skipped.get();
        (!skipped.is_empty()).then(|| {
            view! {
                <details class="skipped" open>
                    <summary>{format!("Not taken from the last upload ({})", skipped.len())}</summary>
                    <ul data-testid="skipped-uploads">
                        {skipped
                            .into_iter()
                            .map(|(path, why)| view! { <li data-testid="skipped-upload">{format!("{path} — {why}")}</li> })
                            .collect_view()}
                    </ul>
                    <button class="link" on:click=move |_| store.skipped.set(Vec::new())>"Dismiss"</button>
                </details>
            }
        })
    }
}

/// An overlay shown while files are dragged over the page; a drop anywhere brings them in.
#[component]
pub fn DropZone() -> impl IntoView {
    let store = use_store();
    let dragging = RwSignal::new(false);
    let window = gloo_utils::window();
    let carries_files = |ev: &web_sys::DragEvent| {
        ev.data_transfer().is_some_and(|t| t.types().iter().any(|ty| ty.as_string().as_deref() == Some("Files")))
    };
    let options = EventListenerOptions::enable_prevent_default();
    // The page lives as long as the tab: the listeners are never removed.
    EventListener::new_with_options(&window, "dragover", options, move |ev| {
        let ev: &web_sys::DragEvent = ev.unchecked_ref();
        if carries_files(ev) {
            ev.prevent_default();
            dragging.set(true);
        }
    })
    .forget();
    EventListener::new_with_options(&window, "dragleave", options, move |ev| {
        let ev: &web_sys::DragEvent = ev.unchecked_ref();
        // Leaving the window reports no related target.
        if ev.related_target().is_none() {
            dragging.set(false);
        }
    })
    .forget();
    EventListener::new_with_options(&window, "drop", options, move |ev| {
        let ev: &web_sys::DragEvent = ev.unchecked_ref();
        ev.prevent_default();
        dragging.set(false);
        if let Some(transfer) = ev.data_transfer() {
            spawn_local(async move {
                let picked = files::from_drop(&transfer).await;
                bring(store, picked).await;
            });
        }
    })
    .forget();
    view! {
        <div class="drop-zone" class:active=move || dragging.get() data-testid="drop-zone" aria-hidden="true">
            <p>"Drop .mpl files, a folder or a .zip to add them to the project"</p>
        </div>
    }
}

/// Reads the picked files, runs them through core's intake and adds what it took to the project.
pub async fn bring(store: Store, picked: Vec<Picked>) {
    if picked.is_empty() {
        return;
    }
    // Folder picks come in file-system order; the project lists them by path.
    let mut picked = picked;
    mesh_rewrite::order::sort_by(&mut picked, |a, b| a.path.cmp(&b.path));
    let limits = Limits::default();
    let existing: Vec<(String, String)> =
        store.files.with_untracked(|f| f.iter().map(|f| (f.path.clone(), f.text.clone())).collect());
    let mut intake = Intake::with_existing(limits, &existing);
    let total = picked.len();
    store.progress.set(Some((0, total)));
    for (i, Picked { path, file }) in picked.into_iter().enumerate() {
        let size = file.size() as usize;
        let is_zip = path.to_ascii_lowercase().ends_with(".zip");
        if !is_zip && !path.ends_with(".mpl") {
            // Core names the reason; the bytes are never needed.
            intake.offer(&path, &[]);
        } else if !is_zip && size > limits.max_file_bytes {
            // Too big to be worth reading into memory at all.
            intake.skipped.push((path, SkipReason::FileTooLarge { size, limit: limits.max_file_bytes }));
        } else if is_zip && size > limits.max_project_bytes {
            intake.skipped.push((path, SkipReason::FileTooLarge { size, limit: limits.max_project_bytes }));
        } else {
            match files::bytes(&file).await {
                Ok(bytes) => intake.offer(&path, &bytes),
                Err(why) => store.notify(Level::Error, format!("{path}: could not be read ({why})")),
            }
        }
        store.progress.set(Some((i + 1, total)));
    }
    // Left at (total, total): the line says how many were read.
    add(store, intake);
}

/// Files an upload or a drop brought, relative to their common folder, before they join the project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    pub files: Vec<File>,
    pub skipped: Vec<(String, String)>,
    /// The folder they came in (`mesher`), or "".
    pub root: String,
}

/// What an intake took; into an empty project at once, else after asking "Replace / Add".
fn add(store: Store, intake: Intake) {
    let root = detect_root(&intake.files.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>());
    let relative = |path: &str| strip_dir(path, &root).unwrap_or(path).to_owned();
    let skipped: Vec<(String, String)> = intake.skipped.iter().map(|(p, why)| (relative(p), why.to_string())).collect();
    let files: Vec<File> = intake.files.iter().map(|(p, text)| File { path: relative(p), text: text.clone() }).collect();
    let incoming = Incoming { files, skipped, root };
    if store.files.with_untracked(Vec::is_empty) || incoming.files.is_empty() {
        take(store, incoming, false);
    } else {
        store.incoming.set(Some(incoming));
    }
}

/// Whether the project is the bundled example as it came (replacing it loses nothing).
pub fn untouched_example(store: Store) -> bool {
    store.files.with_untracked(|f| *f == examples::project(examples::MESHER))
}

/// Asked when files come into a project that has some: replace it (the default after the
/// untouched example) or add to it (the default otherwise). Esc cancels.
#[component]
pub fn BringConfirm() -> impl IntoView {
    let store = use_store();
    let answer = move |replace: bool| {
        if let Some(incoming) = store.incoming.get_untracked() {
            store.incoming.set(None);
            take(store, incoming, replace);
        }
    };
    move || {
        let incoming = store.incoming.get()?;
        let replace_first = untouched_example(store);
        let n = incoming.files.len();
        let question = format!(
            "{} brought while the project has {}: replace the project or add to it?",
            if n == 1 { "1 file".to_owned() } else { format!("{n} files") },
            store.files.with_untracked(|f| if f.len() == 1 { "1 file".to_owned() } else { format!("{} files", f.len()) }),
        );
        let focus_default = move |el: web_sys::HtmlElement| {
            // After the dialog is in the page: the default answer takes Enter.
            gloo_timers::callback::Timeout::new(0, move || drop(el.focus())).forget();
        };
        let replace_ref = NodeRef::<leptos::html::Button>::new();
        let add_ref = NodeRef::<leptos::html::Button>::new();
        Effect::new(move |_| {
            let el = if replace_first { replace_ref.get() } else { add_ref.get() };
            if let Some(el) = el {
                focus_default(el.into());
            }
        });
        Some(view! {
            <div class="confirm-bar bring-confirm" role="alertdialog" data-testid="bring-confirm"
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { store.incoming.set(None) }>
                <span data-testid="bring-question">{question}</span>
                <button node_ref=replace_ref class:default=replace_first data-testid="bring-replace" on:click=move |_| answer(true)>
                    "Replace the project"
                </button>
                <button node_ref=add_ref class:default=!replace_first data-testid="bring-add" on:click=move |_| answer(false)>
                    "Add to it"
                </button>
                <button class="link" data-testid="bring-cancel" on:click=move |_| store.incoming.set(None)>"Cancel"</button>
            </div>
        })
    }
}

/// Puts incoming files into the project: instead of it, or added (a path it has is replaced).
fn take(store: Store, incoming: Incoming, replace: bool) {
    let Incoming { files: incoming, skipped, root } = incoming;
    let was_empty = replace || store.files.with_untracked(Vec::is_empty);
    if replace {
        store.files.set(Vec::new());
    }
    let (mut added, mut replaced) = (0, Vec::new());
    // Patches and zips keep the folder the user brought (a project that had files keeps its own).
    if was_empty {
        store.base.set(if !root.is_empty() && check_path(&root).is_ok() { format!("{root}/") } else { String::new() });
    }
    let first = incoming.iter().map(|f| f.path.clone()).min();
    store.files.update(|files| {
        for file in incoming {
            match files.iter_mut().find(|f| f.path == file.path) {
                Some(have) => {
                    if have.text != file.text {
                        replaced.push(file.path.clone());
                    }
                    have.text = file.text;
                }
                None => {
                    files.push(file);
                    added += 1;
                }
            }
        }
    });
    if was_empty || store.selected.get_untracked().is_none() {
        store.selected.set(first);
    }
    store.rerun();

    let mut message = match (replace, added) {
        (true, 1) => String::from("Replaced the project with 1 file"),
        (true, n) => format!("Replaced the project with {n} files"),
        (false, 0) => String::from("No new files"),
        (false, 1) => String::from("Added 1 file"),
        (false, n) => format!("Added {n} files"),
    };
    if !replaced.is_empty() {
        message.push_str(&format!("; replaced {} with the uploaded version: {}", replaced.len(), replaced.join(", ")));
    }
    if !skipped.is_empty() {
        message.push_str(&format!("; skipped {} (see the list)", skipped.len()));
    }
    let level = if skipped.is_empty() { Level::Info } else { Level::Warning };
    store.notify(level, message);
    store.skipped.set(skipped);
}
