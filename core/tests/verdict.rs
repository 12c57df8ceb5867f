//! The verdict on the bundled example, asserted cell by cell, and on projects built to corner it.

mod rewrite_common;

use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::rewrite::rewrite;
use mesh_rewrite::verdict::{annotate, verdict, Verdict, DEFAULT_SEEDS};
use rewrite_common::{example_dir, load, project};

fn example(rule: &Rule) -> Verdict {
    verdict(&load(&example_dir()), rule, DEFAULT_SEEDS)
}

/// form → (compiles, worse, better, [cell per scenario]).
fn matrix(v: &Verdict) -> Vec<(String, bool, usize, usize, Vec<String>)> {
    v.forms
        .iter()
        .map(|f| {
            let cells = f.scenarios.iter().map(|s| s.cell(v.seeds)).collect();
            (f.form.clone(), f.compiles, f.worse, f.better, cells)
        })
        .collect()
}

#[test]
fn the_example_matrix() {
    let v = example(&Rule::default());
    assert_eq!(v.scenarios, ["standalone", "late-join", "concurrent-register", "owner-down", "registry-not-ready"]);
    let crash = "worse: crash in 16/16 seeds".to_owned();
    let same = || "same".to_owned();
    assert_eq!(
        matrix(&v),
        [
            ("plan".to_owned(), false, 16, 0, vec![same(), same(), same(), same(), crash.clone()]),
            ("node-mode".to_owned(), true, 80, 0, vec![same(), crash.clone(), same(), crash.clone(), crash.clone()]),
            ("node-local".to_owned(), true, 0, 0, vec![same(), same(), same(), same(), same()]),
            ("node-name".to_owned(), true, 0, 0, vec![same(), same(), same(), same(), same()]),
        ]
    );
    assert_eq!(v.recommended.as_deref(), Some("node-local"));
    assert_eq!(v.current, "plan");
    assert_eq!(v.headline, "Ship node-local: it compiles and is never worse than today (5 scenarios × 16 seeds).");

    let summaries: Vec<(&str, &str)> = v.forms.iter().map(|f| (f.form.as_str(), f.summary.as_str())).collect();
    assert_eq!(
        summaries,
        [
            (
                "plan",
                "does not compile (api/helpers.mpl:14:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)); \
                 even as intended it crashes on node b in registry-not-ready: its handlers call node a's registry, \
                 and a service call to another node's PID crashes the caller"
            ),
            (
                "node-mode",
                "compiles, but crashes on node b in late-join: its handlers call node a's registry, \
                 and a service call to another node's PID crashes the caller"
            ),
            ("node-local", "compiles and is never worse than today: every request ends as it does today (5 scenarios × 16 seeds)"),
            ("node-name", "compiles and is never worse than today: every request ends as it does today (5 scenarios × 16 seeds)"),
        ]
    );
    let plan = v.form("plan").unwrap();
    assert_eq!(
        plan.diagnostics,
        ["api/helpers.mpl:14:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)"]
    );
    // Every request of every scenario (11 in the five) over every seed is counted once.
    for f in &v.forms {
        assert_eq!(f.worse + f.better + f.same, 11 * 16, "{}", f.form);
    }
    let node_mode = v.form("node-mode").unwrap();
    let late_join = &node_mode.scenarios[1];
    assert_eq!((late_join.worse, late_join.seeds_worse, late_join.same), (16, 16, 16));
    let case = late_join.case.as_ref().unwrap();
    assert_eq!((case.seed, case.node.as_str(), case.resolved_node.as_deref()), (0, "b", Some("a")));
}

#[test]
fn the_verdict_does_not_depend_on_the_current_form_and_is_deterministic() {
    let plan = example(&Rule::default());
    for form in [HelperForm::NodeMode, HelperForm::NodeLocal, HelperForm::NodeName] {
        let other = example(&Rule { helper_form: form, ..Rule::default() });
        assert_eq!(other.current, form.name());
        assert_eq!(other.forms, plan.forms, "{form:?}");
        assert_eq!(other.recommended, plan.recommended);
    }
    assert_eq!(example(&Rule::default()), plan);
}

#[test]
fn report_lines_name_the_current_form_and_the_one_to_ship() {
    let v = example(&Rule { helper_form: HelperForm::NodeMode, ..Rule::default() });
    assert_eq!(
        v.line(),
        "verdict: node-mode: compiles, but crashes on node b in late-join: its handlers call node a's registry, \
         and a service call to another node's PID crashes the caller. Ship node-local instead (--helper-form node-local)."
    );
    let v = example(&Rule { helper_form: HelperForm::NodeLocal, ..Rule::default() });
    assert_eq!(
        v.line(),
        "verdict: node-local: compiles and is never worse than today: every request ends as it does today \
         (5 scenarios × 16 seeds). Safe to ship."
    );
}

#[test]
fn the_e0001_diagnostic_points_at_the_recommended_form() {
    let project = load(&example_dir());
    let rule = Rule::default();
    let mut outcome = rewrite(&project, &rule);
    annotate(&mut outcome.report, &verdict(&project, &rule, DEFAULT_SEEDS));
    let e0001: Vec<&str> =
        outcome.report.diagnostics.iter().filter(|d| d.code == "E0001").map(|d| d.message.as_str()).collect();
    assert_eq!(
        e0001,
        ["`local != 0` compares a Pid with an Int: Mesh rejects this (E0001), so this code does not compile. \
          A Pid cannot be tested for \"not found\"; ship the node-local helper instead (--helper-form node-local), \
          the form the verdict found safe"]
    );
    assert!(outcome.report.diagnostics.iter().all(|d| !d.message.contains("node-mode")));
}

/// A custom helper that falls back to the global name only when the local registry is missing would
/// be better in registry-not-ready if Mesh allowed it; one that compiles and resolves the node's own
/// name is never worse and recommended over node-local only if it is better somewhere.
#[test]
fn a_custom_helper_is_weighed_with_the_built_in_forms() {
    let custom = "pub fn get_registry() do\n  case Node.self() do\n    \"\" -> Process.whereis(\"mesher_registry\")\n    name -> Global.whereis(\"mesher_registry\")\n  end\nend\n";
    let rule = Rule { helper_form: HelperForm::Custom, custom_helper: custom.into(), ..Rule::default() };
    let v = example(&rule);
    let forms: Vec<&str> = v.forms.iter().map(|f| f.form.as_str()).collect();
    assert_eq!(forms, ["plan", "node-mode", "node-local", "node-name", "custom"]);
    let c = v.form("custom").unwrap();
    assert!(c.compiles);
    assert_eq!(c.worse, 80, "custom behaves like node-mode");
    assert_eq!(v.recommended.as_deref(), Some("node-local"));
}

#[test]
fn a_helper_that_cannot_be_simulated_is_never_recommended() {
    let custom = "pub fn get_registry() do\n  Registry.find(\"mesher_registry\")\nend\n";
    let rule = Rule { helper_form: HelperForm::Custom, custom_helper: custom.into(), ..Rule::default() };
    let c = example(&rule).form("custom").cloned().unwrap();
    assert_eq!(c.cannot_simulate.as_deref(), Some("cannot simulate: call to Registry.find at 9:3 (in api/helpers.mpl)"));
    assert_eq!(c.summary, "cannot be checked: cannot simulate: call to Registry.find at 9:3 (in api/helpers.mpl)");
    assert!(!c.safe());
}

/// When the project's helper file already defines the helper, every form leaves it as it is: one row.
#[test]
fn a_project_that_defines_the_helper_gets_one_row() {
    let p = project(&[
        ("api/helpers.mpl", "pub fn get_registry() do\n  Global.whereis(\"mesher_registry\")\nend\n"),
        ("api/x.mpl", "fn h() do\n  Process.whereis(\"mesher_registry\")\nend\n"),
    ]);
    let v = verdict(&p, &Rule::default(), 4);
    let forms: Vec<&str> = v.forms.iter().map(|f| f.form.as_str()).collect();
    assert_eq!(forms, ["project"]);
    assert_eq!(v.current, "project");
    assert_eq!(v.recommended, None);
    assert_eq!(
        v.headline,
        "No helper form is safe to ship: each one either does not compile or is worse than today in a cluster (5 scenarios × 4 seeds)."
    );
    assert_eq!(v.form("project").unwrap().scenarios[1].cell(4), "worse: crash in 4/4 seeds");
}

/// Nothing replaced, so no helper is inserted: the verdict weighs each form's helper alone, and says
/// that its positions are the helper's, not a file's.
#[test]
fn a_helper_outside_the_project_is_named_as_such() {
    let p = project(&[("api/x.mpl", "fn h() do\n  1\nend\n")]);
    let v = verdict(&p, &Rule::default(), 2);
    assert_eq!(
        v.form("plan").unwrap().diagnostics,
        ["the helper's line 7:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)"]
    );
}
