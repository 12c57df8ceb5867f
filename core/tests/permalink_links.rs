//! Links: `v1.` links made before `v2` still open to the same state (committed fixtures), and `v2.`
//! links meet their length goals on the bundled example.

mod rewrite_common;

use mesh_rewrite::bundle;
use mesh_rewrite::permalink::{decode, encode, encode_v1, Baseline, LinkError, Simulation, State};
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/permalink").join(name)
}

fn example() -> Vec<(String, String)> {
    rewrite_common::load(&rewrite_common::example_dir()).files.into_iter().map(|f| (f.path, f.text)).collect()
}

/// The states behind the committed `v1.` fixtures.
fn v1_states() -> Vec<(&'static str, State)> {
    let files = example();
    vec![
        // Links and bundles of this time did not record the engine's version.
        ("example-default", State { files: files.clone(), engine: None, ..State::default() }),
        (
            "unicode-crlf-custom",
            State {
                files: vec![
                    ("api/helpers.mpl".into(), "pub fn get_registry() do\r\n  Process.whereis(\"mesher_registry\")\r\nend\r\n".into()),
                    ("api/ünï.mpl".into(), "# héllo 世界 🚀\nfn f() do\n  \"ß\"\nend".into()),
                    ("empty.mpl".into(), String::new()),
                ],
                rule: Rule {
                    helper_form: HelperForm::Custom,
                    custom_helper: "pub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend\n".into(),
                    helper_name: "get_registry".into(),
                    stay_local: vec!["stream_manager".into(), "ws_rooms".into()],
                    ..Rule::default()
                },
                selected: Some("api/ünï.mpl".into()),
                view: "project".into(),
                simulation: Simulation { scenario: "owner-down".into(), seed: 42, step: 7, remote_calls_work: true },
                engine: None,
            },
        ),
        ("node-mode-split", State { files: files[..3].to_vec(), rule: Rule { helper_form: HelperForm::NodeMode, ..Rule::default() }, view: "split".into(), engine: None, ..State::default() }),
    ]
}

/// `v1.` links as the code before `v2` wrote them (`UPDATE_GOLDEN=1` wrote them once; they must never change).
#[test]
fn v1_links_made_before_v2_still_open() {
    for (name, state) in v1_states() {
        let link_file = fixture(&format!("{name}.v1.link"));
        let bundle_file = fixture(&format!("{name}.bundle.json"));
        if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") && !link_file.exists() {
            std::fs::write(&link_file, encode_v1(&state)).unwrap();
            std::fs::write(&bundle_file, bundle::to_json(&state)).unwrap();
            eprintln!("wrote {} and {}", link_file.display(), bundle_file.display());
        }
        let link = std::fs::read_to_string(&link_file).unwrap();
        let expected = bundle::from_json(&std::fs::read_to_string(&bundle_file).unwrap()).unwrap();
        assert_eq!(expected, state, "{name}: the fixture's state");
        assert_eq!(decode(&link, None), Ok(state.clone()), "{name}");
        assert_eq!(decode(&link, Some(Baseline { files: &example() })), Ok(state), "{name}");
    }
}

fn len(state: &State, base: &[(String, String)]) -> usize {
    let link = encode(state, Some(Baseline { files: base }));
    assert_eq!(decode(&link, Some(Baseline { files: base })).as_ref(), Ok(state));
    link.len()
}

#[test]
fn links_to_the_example_carry_only_the_edits() {
    let base = example();
    let untouched = State { files: base.clone(), selected: Some("api/alerts.mpl".into()), ..State::default() };
    assert!(len(&untouched, &base) <= 120, "untouched: {}", len(&untouched, &base));
    let options = State {
        rule: Rule {
            registry_name: "cluster_registry".into(),
            excluded_files: vec![],
            expected_counts: Default::default(),
            helper_form: HelperForm::NodeName,
            ..Rule::default()
        },
        simulation: Simulation { scenario: "registry-not-ready".into(), seed: 123_456, step: 9, remote_calls_work: true },
        view: "split".into(),
        ..untouched.clone()
    };
    assert!(len(&options, &base) <= 120, "options: {}", len(&options, &base));
    let switched = State {
        rule: Rule { helper_form: HelperForm::NodeLocal, ..Rule::default() },
        simulation: Simulation { scenario: "owner-down".into(), ..Simulation::default() },
        ..untouched.clone()
    };
    assert!(len(&switched, &base) <= 150, "form + scenario: {}", len(&switched, &base));

    // One function edited: a new line in the middle of a handler.
    let mut one = untouched.clone();
    let alerts = one.files.iter_mut().find(|(p, _)| p == "api/alerts.mpl").unwrap();
    alerts.1 = alerts.1.replacen("  let reg_pid", "  let started = Time.monotonic_ms()\n  let reg_pid", 1);
    assert!(len(&one, &base) <= 400, "one function: {}", len(&one, &base));

    // Every file edited (a line appended to each) is still far below a full link.
    let mut every = untouched;
    for (path, text) in &mut every.files {
        text.push_str(&format!("\n# reviewed: {path}\n"));
    }
    assert!(len(&every, &base) <= 26_000, "every file: {}", len(&every, &base));
}

#[test]
fn a_link_to_another_example_version_is_refused() {
    let base = example();
    let mut state = State { files: base.clone(), ..State::default() };
    state.files[0].1.push_str("\n# edited\n");
    let link = encode(&state, Some(Baseline { files: &base }));
    let mut changed = base.clone();
    changed[5].1.push(' ');
    assert_eq!(decode(&link, Some(Baseline { files: &changed })), Err(LinkError::OtherExample));
}
