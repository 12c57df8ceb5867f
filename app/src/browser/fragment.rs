//! The URL fragment that carries a permalink.

/// The fragment without `#`, or None when there is none.
pub fn get() -> Option<String> {
    let hash = gloo_utils::window().location().hash().ok()?;
    let hash = hash.strip_prefix('#').unwrap_or(&hash);
    (!hash.is_empty()).then(|| hash.to_owned())
}

/// The page's address with `fragment` (without `#`; empty removes it).
pub fn url_with(fragment: &str) -> String {
    let location = gloo_utils::window().location();
    let base = format!("{}{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if fragment.is_empty() { base } else { format!("{base}#{fragment}") }
}

/// Puts `fragment` in the address bar without a reload or a history entry.
pub fn replace(fragment: &str) {
    let url = url_with(fragment);
    let _ = gloo_utils::history().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}
