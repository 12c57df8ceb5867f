//! Prints, as JSON, every link-length case the permalink goals name: for each, the `v2.` fragment's
//! length, the `v1.` fragment's length and the state as bundle JSON (what lz-string and brotli are
//! measured on in tests/bench/permalink-vs-lz.mjs).
//!
//! cargo run -q -p mesh-rewrite --example permalink -- EXAMPLE_DIR OTHER_PROJECT_DIR > out.json

use mesh_rewrite::permalink::{self, Baseline, Simulation, State};
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::bundle;
use std::path::Path;

/// The example's handler files and the helper file.
const HANDLERS: &[&str] = &[
    "ingestion/routes.mpl",
    "ingestion/ws_handler.mpl",
    "api/search.mpl",
    "api/dashboard.mpl",
    "api/detail.mpl",
    "api/team.mpl",
    "api/alerts.mpl",
    "api/settings.mpl",
    "api/helpers.mpl",
];

fn load(root: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "mpl") {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: permalink EXAMPLE_DIR OTHER_PROJECT_DIR";
    let example = load(Path::new(&args.next().expect(usage)));
    let other = load(Path::new(&args.next().expect(usage)));
    let base = Baseline { files: &example };
    let with_files = |files: Vec<(String, String)>| State {
        selected: files.first().map(|(p, _)| p.clone()),
        files,
        view: "unified".into(),
        ..State::default()
    };
    let handlers: Vec<_> = HANDLERS
        .iter()
        .map(|h| example.iter().find(|(p, _)| p == h).expect("handler file in the example").clone())
        .collect();
    let untouched = with_files(example.clone());
    let switched = State {
        rule: Rule { helper_form: HelperForm::NodeLocal, ..Rule::default() },
        simulation: Simulation { scenario: "owner-down".into(), seed: 7, step: 4, remote_calls_work: false },
        ..untouched.clone()
    };
    let mut one_function = untouched.clone();
    let alerts = one_function.files.iter_mut().find(|(p, _)| p == "api/alerts.mpl").unwrap();
    alerts.1 = alerts.1.replacen("  let reg_pid", "  let started = Time.monotonic_ms()\n  let reg_pid", 1);
    let mut every_file = untouched.clone();
    for (path, text) in &mut every_file.files {
        text.push_str(&format!("\n# reviewed: {path}\n"));
    }
    // (name, goal, state, written against the example?)
    let cases: Vec<(&str, usize, State, bool)> = vec![
        ("untouched example", 120, untouched, true),
        ("example, helper form and scenario switched", 150, switched, true),
        ("example, one function edited", 400, one_function, true),
        ("example, every file edited", 26_000, every_file.clone(), true),
        ("8 handler files + api/helpers.mpl, no baseline", 12_000, with_files(handlers), false),
        ("whole example edited in every file, no baseline", 0, every_file, false),
        ("another project (not in the dictionary's sources), no baseline", 0, with_files(other), false),
    ];
    let out: Vec<_> = cases
        .into_iter()
        .map(|(name, goal, state, against)| {
            let v2 = permalink::encode(&state, against.then_some(base));
            assert_eq!(permalink::decode(&v2, Some(base)).as_ref(), Ok(&state), "{name} round-trips");
            serde_json::json!({
                "name": name,
                "goal": goal,
                "v2": v2.len(),
                "v1": permalink::encode_v1(&state).len(),
                "bundle": bundle::to_json(&state),
            })
        })
        .collect();
    println!("{}", serde_json::Value::Array(out));
}
