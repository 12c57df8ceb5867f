//! The engine the page runs, natively and in wasm32 (headless Chromium, via wasm-bindgen-test): the
//! rewrite of the bundled example in every helper form against the same golden patches and reports
//! as rewrite_golden.rs, the verdict's matrix, links (a pinned v1 link, a v2 round trip against the
//! example) and a simulation's log. Inputs are embedded, so the wasm build reads no file.

use mesh_rewrite::permalink::{self, Baseline};
use mesh_rewrite::project::{Project, SourceFile};
use mesh_rewrite::rewrite::rewrite;
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::simulate::{self, Options};
use mesh_rewrite::{bundle, verdict};

/// (path under public/examples/mesher, source, parse golden).
const FIXTURES: &[(&str, &str, &str)] = include!("golden/parse/fixtures.rs");

macro_rules! golden {
    ($form:literal, $file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/rewrite/", $form, "/", $file))
    };
}

/// (form, patch golden, text report golden).
const GOLDENS: &[(HelperForm, &str, &str)] = &[
    (HelperForm::Plan, golden!("plan", "patch.diff"), golden!("plan", "report.txt")),
    (HelperForm::NodeMode, golden!("node-mode", "patch.diff"), golden!("node-mode", "report.txt")),
    (HelperForm::NodeLocal, golden!("node-local", "patch.diff"), golden!("node-local", "report.txt")),
    (HelperForm::NodeName, golden!("node-name", "patch.diff"), golden!("node-name", "report.txt")),
];

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn example() -> Project {
    Project::new(FIXTURES.iter().map(|(path, source, _)| SourceFile::new(*path, *source)).collect())
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_example_rewrites_as_its_goldens_in_every_form() {
    let project = example();
    for (form, patch, report) in GOLDENS {
        let rule = Rule { helper_form: *form, ..Rule::default() };
        let outcome = rewrite(&project, &rule);
        assert!(outcome.patch() == *patch, "{form:?}: the patch differs from its golden on {}", std::env::consts::ARCH);
        assert_eq!(outcome.report.to_text(), *report, "{form:?}");
        let again = Project::new(outcome.files.iter().map(|f| SourceFile::new(&f.path, &f.text)).collect());
        assert_eq!(rewrite(&again, &rule).patch(), "", "{form:?}: a second run changes nothing");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_verdict_matrix_is_the_same_everywhere() {
    let v = verdict::verdict(&example(), &Rule::default(), verdict::DEFAULT_SEEDS);
    let cells: Vec<String> = v
        .forms
        .iter()
        .map(|f| format!("{}: {}", f.form, f.scenarios.iter().map(|s| s.cell(v.seeds)).collect::<Vec<_>>().join(" | ")))
        .collect();
    let crash = "worse: crash in 16/16 seeds";
    assert_eq!(
        cells,
        [
            format!("plan: same | same | same | same | {crash}"),
            format!("node-mode: same | {crash} | same | {crash} | {crash}"),
            "node-local: same | same | same | same | same".to_owned(),
            "node-name: same | same | same | same | same".to_owned(),
        ]
    );
    assert_eq!(v.recommended.as_deref(), Some("node-local"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn links_decode_the_same_everywhere() {
    let v1 = include_str!("fixtures/permalink/unicode-crlf-custom.v1.link");
    let expected = bundle::from_json(include_str!("fixtures/permalink/unicode-crlf-custom.bundle.json")).unwrap();
    assert_eq!(permalink::decode(v1, None), Ok(expected));
    let files: Vec<(String, String)> = FIXTURES.iter().map(|(p, s, _)| (p.to_string(), s.to_string())).collect();
    let base = Some(Baseline { files: &files });
    let mut state = permalink::State { files: files.clone(), ..Default::default() };
    state.files[2].1.push_str("\n# edited in the browser\n");
    let link = permalink::encode(&state, base);
    assert!(link.len() < 200, "{link}");
    assert_eq!(permalink::decode(&link, base), Ok(state));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_simulation_logs_the_same_everywhere() {
    let scenario = simulate::built_in("late-join").unwrap();
    let rule = Rule { helper_form: HelperForm::NodeMode, ..Rule::default() };
    let run = simulate::run_rule(&scenario, &rule, &Options::default()).unwrap();
    let log: String = run.log.iter().map(|l| format!("{} {} {}\n", l.time, l.node, l.event)).collect();
    assert_eq!(log, include_str!("fixtures/simulate/late-join-seed-1.log"));
}
