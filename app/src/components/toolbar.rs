//! The toolbar's controls for bringing, sharing and keeping code, and the messages below it.

use crate::components::downloads::Downloads;
use crate::components::intake::{BringConfirm, DropZone, Skipped, Upload};
use crate::components::notices::Notices;
use crate::components::settings::{Reset, ThemeToggle};
use crate::components::share::{Keeper, Share};
use crate::components::shortcuts::Shortcuts;
use leptos::prelude::*;

/// Upload, share, download, theme, reset: one group each.
#[component]
pub fn Toolbar() -> impl IntoView {
    view! {
        <div class="toolbar">
            <div class="group"><Upload /></div>
            <div class="group"><Share /></div>
            <div class="group"><Downloads /></div>
            <div class="group"><ThemeToggle /><Reset /></div>
        </div>
    }
}

/// Notices, the skipped list, the link prompt; the drop overlay and the shortcuts dialog.
#[component]
pub fn Messages() -> impl IntoView {
    view! {
        <div class="messages">
            <Keeper />
            <Notices />
            <BringConfirm />
            <Skipped />
        </div>
        <DropZone />
        <Shortcuts />
    }
}
