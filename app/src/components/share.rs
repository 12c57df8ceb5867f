//! Sharing and keeping: the permalink (copy, length meter), bundles for states too big for a
//! link, opening a link on load, and the autosave. Nothing the user has is replaced without asking.

use crate::browser::{clipboard, download, files, fragment, storage};
use crate::examples;
use crate::state::{use_store, Level, Store};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mesh_rewrite::permalink::{self, State};
use mesh_rewrite::bundle;

/// A link up to this long fits a chat message.
const CHAT: usize = 2_000;
/// Up to this long a link survives browsers, servers and mail clients.
const SAFE: usize = 8_000;
/// Quiet time after the last change before the meter and the autosave catch up.
const SETTLE_MS: u32 = 400;

/// The link fragment for the page's state (written against the bundled example).
fn encode(state: &State) -> String {
    permalink::encode(state, Some(examples::baseline()))
}

thread_local! {
    /// The too-long link the user was warned about: copying the same link again copies it anyway.
    static WARNED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Puts the state's link in the address bar and on the clipboard. A link too long to share is not
/// copied silently: the first try says so and offers the bundle; trying again copies it anyway.
pub fn copy_link(store: Store) {
    let link = encode(&store.snapshot());
    let url = fragment::url_with(&link);
    let len = url.len();
    let insisted = WARNED.with(|w| w.borrow().as_deref() == Some(link.as_str()));
    if len > SAFE && !insisted {
        WARNED.with(|w| *w.borrow_mut() = Some(link));
        store.notify(
            Level::Warning,
            format!(
                "This link is {} characters: too long to share reliably. Download a bundle instead \
                 (Download bundle), or press Copy link again to copy it anyway.",
                thousands(len)
            ),
        );
        return;
    }
    fragment::replace(&link);
    spawn_local(async move {
        let text = if clipboard::write(&url).await {
            format!("Link copied ({} characters)", thousands(len))
        } else {
            format!("The link is in the address bar ({} characters); the clipboard was not available", thousands(len))
        };
        store.notify(if len > SAFE { Level::Warning } else { Level::Info }, text);
    });
}

/// Opens a link's or a bundle's state, saying so when another version of the engine made it.
fn open_shared(store: Store, state: State) {
    let notice = state.engine_notice();
    store.restore(state);
    if let Some(notice) = notice {
        store.notify(Level::Warning, notice);
    }
}

/// "1,834 characters · fits a chat message".
pub fn meter_text(len: usize) -> String {
    let verdict = if len <= CHAT {
        "fits a chat message"
    } else if len <= SAFE {
        "safe to share"
    } else {
        "too long for a link: download a bundle"
    };
    format!("{} characters · {verdict}", thousands(len))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Copy link, its length, and the bundle download and open.
#[component]
pub fn Share() -> impl IntoView {
    let store = use_store();
    let link_len = RwSignal::new(None::<usize>);
    // The link is measured once typing settles: encoding compresses the whole project.
    let pending = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |_| {
        store.files.track();
        store.rule.track();
        store.selected.track();
        store.view.track();
        store.simulation.track();
        let timeout = Timeout::new(SETTLE_MS, move || {
            let fragment = encode(&store.snapshot());
            link_len.set(Some(fragment::url_with(&fragment).len()));
        });
        pending.set_value(Some(timeout));
    });
    let too_long = move || link_len.get().is_some_and(|n| n > SAFE);
    let download_bundle = move |_| {
        let json = bundle::to_json(&store.snapshot());
        download::save("mesh-playground-bundle.json", "application/json", json.as_bytes());
    };
    let open_bundle = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else { return };
        input.set_value("");
        spawn_local(async move {
            if file.size() as usize > bundle::MAX_BUNDLE_BYTES {
                return store.notify(Level::Error, bundle::BundleError::TooLarge(file.size() as usize).to_string());
            }
            let name = file.name();
            match files::text(&file).await.map_err(|e| e.to_string()).and_then(|t| bundle::from_json(&t).map_err(|e| e.to_string())) {
                Ok(state) => {
                    let n = state.files.len();
                    open_shared(store, state);
                    store.notify(Level::Info, format!("Opened {name} ({n} files)"));
                }
                Err(why) => store.notify(Level::Error, format!("{name}: {why}")),
            }
        });
    };
    view! {
        <div class="share">
            <button data-testid="copy-link" title="Ctrl+S" on:click=move |_| copy_link(store)>"Copy link"</button>
            <span class="link-meter" class:warn=too_long data-testid="link-meter">
                {move || link_len.get().map(meter_text)}
            </span>
            <button data-testid="download-bundle" class:suggested=too_long on:click=download_bundle>
                "Download bundle"
            </button>
            <label class="button">
                "Open bundle"
                <input type="file" accept=".json,application/json" data-testid="open-bundle" on:change=open_bundle />
            </label>
        </div>
    }
}

/// Offers a new build of the page once its service worker is installed (public/sw-register.js says
/// so with `mesh-update-ready`); the update happens only when the user accepts, never mid-work.
#[component]
pub fn UpdateOffer() -> impl IntoView {
    let window = gloo_utils::window();
    // The worker may have reported before this component mounted.
    let already = js_sys::Reflect::get(&window, &"__meshUpdateReady".into()).is_ok_and(|v| v.is_truthy());
    let ready = RwSignal::new(already);
    gloo_events::EventListener::new(&window, "mesh-update-ready", move |_| ready.set(true)).forget();
    let accept = move |_| {
        if let Ok(event) = web_sys::Event::new("mesh-update-accept") {
            let _ = gloo_utils::window().dispatch_event(&event);
        }
    };
    view! {
        <Show when=move || ready.get()>
            <div class="update-offer" data-testid="update-ready" role="status">
                <span>"A new version of the playground is ready."</span>
                <button data-testid="update-reload" on:click=accept>"Reload to update"</button>
                <button data-testid="update-later" on:click=move |_| ready.set(false)>"Later"</button>
            </div>
        </Show>
    }
}

/// Opens a link on load (or the autosaved work), asks before a link replaces different work,
/// and autosaves every change once typing settles.
#[component]
pub fn Keeper() -> impl IntoView {
    let store = use_store();
    // A link whose state differs from the autosaved work, waiting for the user's choice.
    let offered = RwSignal::new(None::<State>);
    let saved = storage::load_work().and_then(|text| bundle::from_json(&text).ok());
    let link = fragment::get().filter(|f| !f.is_empty()).map(|f| permalink::decode(&f, Some(examples::baseline())));
    match (link, saved) {
        (Some(Ok(state)), Some(work)) if work != state && !work.files.is_empty() => {
            store.restore(work);
            offered.set(Some(state));
        }
        (Some(Ok(state)), _) => open_shared(store, state),
        (Some(Err(why)), saved) => {
            store.notify(Level::Error, format!("The link could not be opened: {why}"));
            if let Some(work) = saved {
                store.restore(work);
            }
        }
        (None, Some(work)) => store.restore(work),
        (None, None) => {}
    }

    let pending = StoredValue::new_local(None::<Timeout>);
    let warned = StoredValue::new(false);
    Effect::new(move |first: Option<()>| {
        store.files.track();
        store.rule.track();
        store.selected.track();
        store.view.track();
        store.simulation.track();
        // The first run sees what was just restored: nothing new to keep.
        if first.is_none() {
            return;
        }
        let timeout = Timeout::new(SETTLE_MS, move || {
            let ok = storage::save_work(&bundle::to_json(&store.snapshot()));
            if !ok && !warned.get_value() {
                warned.set_value(true);
                store.notify(Level::Warning, "Autosave is off: the project is larger than this browser's storage");
            }
        });
        pending.set_value(Some(timeout));
    });

    let open = move |_| {
        if let Some(state) = offered.get_untracked() {
            open_shared(store, state);
        }
        offered.set(None);
    };
    let keep = move |_| {
        offered.set(None);
        fragment::replace("");
    };
    move || {
        offered.get().map(|state| {
            view! {
                <div class="confirm-bar" role="alertdialog" data-testid="link-confirm">
                    <span>
                        {format!(
                            "This link holds a different project ({} files). Open it and replace your autosaved work?",
                            state.files.len(),
                        )}
                    </span>
                    <button data-testid="link-open" on:click=open>"Open link"</button>
                    <button data-testid="link-keep" on:click=keep>"Keep my work"</button>
                </div>
            }
        })
    }
}
