//! Carrying the reviewed rewrite to a checkout: the CLI command and the config that make the CLI do
//! exactly what the page shows (the rule, the helper form and every unticked replacement), and the
//! report as one HTML file to attach to a pull request.

use crate::browser::{clipboard, download};
use crate::state::{use_store, Level, Store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mesh_rewrite::export::{html_report, shell_word};

/// The config file's name, as the command names it.
pub const CONFIG_NAME: &str = "mesh-rewrite.toml";

/// The command that reproduces the page on the user's checkout: run from the folder that holds the
/// project (the folder it was brought in, when the page knows it).
pub fn cli_command(base: &str) -> String {
    let dir = base.trim_end_matches('/');
    let dir = if dir.is_empty() { "PROJECT_DIR".to_owned() } else { shell_word(dir) };
    format!("mesh-rewrite rewrite --config {CONFIG_NAME} --write {dir}")
}

fn save_config(store: Store) {
    let config = store.rule.with_untracked(|r| r.to_config());
    download::save(CONFIG_NAME, "application/toml", config.as_bytes());
}

fn export_report(store: Store) {
    let verdict = store.verdict.get_untracked();
    let rule = store.rule.get_untracked();
    let html = store.analysis.with_untracked(|a| a.outcome.as_ref().map(|o| html_report(o, &rule, verdict.as_deref())));
    if let Some(html) = html {
        download::save("mesh-rewrite-report.html", "text/html", html.as_bytes());
    }
}

#[component]
pub fn Apply() -> impl IntoView {
    let store = use_store();
    let command = move || cli_command(&store.base.get());
    let no_outcome = move || store.analysis.with(|a| a.outcome.is_none());
    let copy = move |_| {
        let text = command();
        spawn_local(async move {
            if clipboard::write(&text).await {
                store.notify(Level::Info, format!("Command copied. Download {CONFIG_NAME} next to it."));
            } else {
                store.notify(Level::Warning, "The clipboard was not available: select the command and copy it");
            }
        });
    };
    view! {
        <section class="panel apply" data-testid="apply">
            <h2>"Apply on your checkout"</h2>
            <p class="muted">
                "The same engine as a command: with the config (rule, helper form and your choices) it writes what this page shows."
            </p>
            <pre class="cli-command" data-testid="cli-command">{command}</pre>
            <div class="apply-buttons">
                <button data-testid="copy-command" on:click=copy>"Copy command"</button>
                <button data-testid="download-config" on:click=move |_| save_config(store)>
                    {format!("Download {CONFIG_NAME}")}
                </button>
                <button data-testid="export-report" disabled=no_outcome on:click=move |_| export_report(store)>
                    "Export report (HTML)"
                </button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_names_the_folder_the_project_came_in() {
        assert_eq!(cli_command(""), "mesh-rewrite rewrite --config mesh-rewrite.toml --write PROJECT_DIR");
        assert_eq!(cli_command("mesher/"), "mesh-rewrite rewrite --config mesh-rewrite.toml --write mesher");
        assert_eq!(cli_command("my work/"), "mesh-rewrite rewrite --config mesh-rewrite.toml --write 'my work'");
        assert_eq!(cli_command("it's/"), r"mesh-rewrite rewrite --config mesh-rewrite.toml --write 'it'\''s'");
    }
}
