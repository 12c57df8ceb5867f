//! The rule's options. Every change re-runs the engine at once (a rule change invalidates
//! every file's rewrite, so there is nothing to debounce for; a helper-form switch only re-assembles).
//! A value the rewrite cannot use is not applied: the field keeps showing what was typed, with
//! `Rule::validate`'s message (the one the CLI prints for the same value in a config) under it, and
//! the rule keeps its last good value.

use crate::state::use_store;
use leptos::prelude::*;
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};

#[component]
pub fn Options() -> impl IntoView {
    let store = use_store();
    // Applies a change when the rule stays usable; else shows why in `error` and applies nothing.
    let change = move |error: RwSignal<Option<String>>, f: Box<dyn FnOnce(&mut Rule)>| {
        match store.rule.with_untracked(|rule| checked(rule, f)) {
            Ok(rule) => {
                error.set(None);
                store.rule.set(rule);
                store.rerun();
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let refusal = |error: RwSignal<Option<String>>| {
        move || {
            error.get().map(|message| view! { <p class="diagnostic opt-error" data-testid="opt-error" role="alert">{message}</p> })
        }
    };
    let text_input = move |testid: &'static str, label: &'static str, get: fn(&Rule) -> String, set: fn(&mut Rule, String)| {
        let error = RwSignal::new(None::<String>);
        // Only this field's value: a change elsewhere leaves a refused text (and its message) in
        // place; a new value here (typed or restored) replaces both.
        let value = Memo::new(move |_| store.rule.with(get));
        Effect::new(move |_| {
            value.track();
            error.set(None);
        });
        view! {
            <label class="opt">
                <span>{label}</span>
                <input
                    type="text"
                    data-testid=testid
                    spellcheck="false"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=value
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        change(error, Box::new(move |r| set(r, v)));
                    }
                />
                {refusal(error)}
            </label>
        }
    };
    let excluded_error = RwSignal::new(None::<String>);
    let counts_error = RwSignal::new(None::<String>);
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
        mesh_rewrite::order::sort(&mut paths);
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
                            change(counts_error, Box::new(move |r| match v.trim().parse::<usize>() {
                                Ok(n) => {
                                    r.expected_counts.insert(path, n);
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
                            change(excluded_error, Box::new(move |r| r.excluded_files = split_list(&v)));
                        }
                    ></textarea>
                    {refusal(excluded_error)}
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
                            change(RwSignal::new(None), Box::new(move |r| r.stay_local = split_list(&v)));
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
                            change(RwSignal::new(None), Box::new(move |r| r.custom_helper = v));
                        }
                    ></textarea>
                </Show>
                <details class="expected">
                    <summary>"Expected replacements per file"</summary>
                    <table>
                        <tbody>{move || count_paths.get().into_iter().map(count_row).collect_view()}</tbody>
                    </table>
                    {refusal(counts_error)}
                </details>
            </details>
        </section>
    }
}

/// Entries separated by commas or newlines, trimmed, empty ones dropped.
fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// `rule` with one value changed, or why the change is refused: `Rule::validate`'s messages.
fn checked(rule: &Rule, change: impl FnOnce(&mut Rule)) -> Result<Rule, String> {
    let mut changed = rule.clone();
    change(&mut changed);
    match changed.validate() {
        Ok(()) => Ok(changed),
        Err(errors) => Err(errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_usable_value_is_applied() {
        let rule = checked(&Rule::default(), |r| r.helper_name = "find_registry".into()).unwrap();
        assert_eq!(rule, Rule { helper_name: "find_registry".into(), ..Rule::default() });
    }

    #[test]
    fn an_unusable_value_is_refused_with_the_message_the_cli_prints() {
        let refused = |change: fn(&mut Rule)| checked(&Rule::default(), change).unwrap_err();
        assert_eq!(refused(|r| r.helper_name = "end".into()), "helper_name \"end\" is a Mesh keyword");
        assert_eq!(
            refused(|r| r.helper_name = "get registry".into()),
            "helper_name \"get registry\" is not a Mesh identifier (a letter or _, then letters, digits or _)"
        );
        assert_eq!(refused(|r| r.helper_file = "../x.mpl".into()), "helper_file \"../x.mpl\" leaves the project (..)");
        assert_eq!(
            refused(|r| r.registry_name = "a\"b".into()),
            "registry_name \"a\\\"b\" has a quote (\"), which would break the generated string literal"
        );
        assert_eq!(
            refused(|r| r.excluded_files = vec!["/etc/x.mpl".into()]),
            "excluded_files entry \"/etc/x.mpl\" is absolute; paths are relative to the project root"
        );
        // The same text as the CLI's (Rule::validate is the one source of both).
        let rule = Rule { helper_file: "api/#=x.mpl".into(), ..Rule::default() };
        assert_eq!(refused(|r| r.helper_file = "api/#=x.mpl".into()), rule.validate().unwrap_err()[0].message);
    }
}
