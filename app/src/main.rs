//! The playground page. State lives in `state`, pure view models in `analysis`,
//! and each panel is a small component under `components`.

mod analysis;
mod app;
mod browser;
mod components;
mod engine;
mod examples;
mod state;
mod syntax_rows;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
