//! Copying text to the clipboard.

use wasm_bindgen_futures::JsFuture;

/// Writes `text` to the clipboard; false when the browser refuses (no permission, not focused).
pub async fn write(text: &str) -> bool {
    let clipboard = gloo_utils::window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}
