//! Local storage: the autosaved project (a bundle, see core's `bundle`) and the theme choice.

use gloo_storage::{LocalStorage, Storage};

const WORK: &str = "mesh-playground/v1";
const THEME: &str = "mesh-playground/theme";

/// The autosaved bundle text, if any.
pub fn load_work() -> Option<String> {
    LocalStorage::raw().get_item(WORK).ok().flatten()
}

/// Saves the bundle text; false when the browser refuses (quota exceeded, storage disabled).
pub fn save_work(bundle: &str) -> bool {
    LocalStorage::raw().set_item(WORK, bundle).is_ok()
}

pub fn clear_work() {
    LocalStorage::delete(WORK);
}

/// The saved theme: Some(true) dark, Some(false) light, None follows the system.
pub fn load_theme() -> Option<bool> {
    match LocalStorage::get::<String>(THEME).ok()?.as_str() {
        "dark" => Some(true),
        "light" => Some(false),
        _ => None,
    }
}

pub fn save_theme(dark: Option<bool>) {
    match dark {
        Some(d) => {
            let _ = LocalStorage::set(THEME, if d { "dark" } else { "light" });
        }
        None => LocalStorage::delete(THEME),
    }
}
