//! Downloads made in the page: a Blob behind an object URL, clicked through a transient <a download>.
//! Nothing goes over the network.

use gloo_file::{Blob, ObjectUrl};
use wasm_bindgen::JsCast;

/// Offers `bytes` to the user as a file named `name`.
pub fn save(name: &str, mime: &str, bytes: &[u8]) {
    let url = ObjectUrl::from(Blob::new_with_options(bytes, Some(mime)));
    let document = gloo_utils::document();
    let Ok(a) = document.create_element("a") else { return };
    let a: web_sys::HtmlAnchorElement = a.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The object URL is revoked when dropped; keep it until the browser has surely read it.
    gloo_timers::callback::Timeout::new(30_000, move || drop(url)).forget();
}
