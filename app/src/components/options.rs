//! The rule's options. Every change re-runs the engine at once (a rule change invalidates
//! every file's rewrite, so there is nothing to debounce for; a helper-form switch only re-assembles).

use crate::state::use_store;
use leptos::prelude::*;
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};

#[component]
pub fn Options() -> impl IntoView {
    let store = use_store();
    let change = move |f: Box<dyn Fn(&mut Rule)>| {
        store.rule.update(|r| f(r));
        store.rerun();
    };
    let text_input = move |testid: &'static str, label: &'static str, get: fn(&Rule) -> String, set: fn(&mut Rule, String)| {
        view! {
            <label class="opt">
                <span>{label}</span>
                <input
                    type="text"
                    data-testid=testid
                    spellcheck="false"
                    prop:value=move || store.rule.with(get)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        change(Box::new(move |r| set(r, v.clone())));
                    }
                />
            </label>
        }
    };
    let form_radio = move |form: HelperForm| {
        view! {
            <label class="radio">
                <input
                    type="radio"
                    name="helper-form"
                    data-testid=format!("opt-form-{}", form.name())
                    prop:checked=move || store.rule.with(|r| r.helper_form == form)
                    on:change=move |_| store.set_helper_form(form)
                />
                {form.name()}
            </label>
        }
    };
    let custom = move || store.rule.with(|r| r.helper_form == HelperForm::Custom);
    // Every file of the project plus any path the rule already expects.
    let count_paths = Memo::new(move |_| {
        let mut paths: Vec<String> = store.rule.with(|r| r.expected_counts.keys().cloned().collect());
        store.files.with(|f| paths.extend(f.iter().map(|f| f.path.clone())));
        paths.sort();
        paths.dedup();
        paths
    });
    let count_row = move |path: String| {
        let key = path.clone();
        let value = move || store.rule.with(|r| r.expected_counts.get(&key).map(|n| n.to_string()).unwrap_or_default());
        let set_path = path.clone();
        view! {
            <tr>
                <td class="path">{path.clone()}</td>
                <td>
                    <input
                        type="number"
                        min="0"
                        data-testid="opt-expected"
                        data-path=path.clone()
                        prop:value=value
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let path = set_path.clone();
                            change(Box::new(move |r| match v.trim().parse::<usize>() {
                                Ok(n) => {
                                    r.expected_counts.insert(path.clone(), n);
                                }
                                Err(_) => {
                                    r.expected_counts.remove(&path);
                                }
                            }));
                        }
                    />
                </td>
            </tr>
        }
    };
    view! {
        <section class="panel options" data-testid="options">
            <details open>
                <summary><h2>"Rule options"</h2></summary>
                {text_input("opt-registry", "Registry name", |r| r.registry_name.clone(), |r, v| r.registry_name = v)}
                {text_input("opt-helper-name", "Helper name", |r| r.helper_name.clone(), |r, v| r.helper_name = v)}
                {text_input("opt-helper-file", "Helper file", |r| r.helper_file.clone(), |r, v| r.helper_file = v)}
                <label class="opt">
                    <span>"Excluded files (one per line)"</span>
                    <textarea
                        data-testid="opt-excluded"
                        rows="2"
                        spellcheck="false"
                        prop:value=move || store.rule.with(|r| r.excluded_files.join("\n"))
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            change(Box::new(move |r| r.excluded_files = split_list(&v)));
                        }
                    ></textarea>
                </label>
                <label class="opt">
                    <span>"Stay-local names (comma-separated)"</span>
                    <input
                        type="text"
                        data-testid="opt-stay-local"
                        spellcheck="false"
                        prop:value=move || store.rule.with(|r| r.stay_local.join(", "))
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            change(Box::new(move |r| r.stay_local = split_list(&v)));
                        }
                    />
                </label>
                <fieldset class="forms">
                    <legend>"Helper form"</legend>
                    {HelperForm::ALL.into_iter().map(form_radio).collect_view()}
                </fieldset>
                <Show when=custom>
                    <textarea
                        class="custom-helper"
                        data-testid="opt-custom-text"
                        rows="8"
                        spellcheck="false"
                        placeholder="pub fn get_registry() do … end"
                        prop:value=move || store.rule.with(|r| r.custom_helper.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            change(Box::new(move |r| r.custom_helper = v.clone()));
                        }
                    ></textarea>
                </Show>
                <details class="expected">
                    <summary>"Expected replacements per file"</summary>
                    <table>
                        <tbody>{move || count_paths.get().into_iter().map(count_row).collect_view()}</tbody>
                    </table>
                </details>
            </details>
        </section>
    }
}

/// Entries separated by commas or newlines, trimmed, empty ones dropped.
fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}
