//! The rewrite of the bundled example project, for both helper forms, against golden files
//! (patch, rewritten helper file, JSON and text reports). `UPDATE_GOLDEN=1` regenerates them.

mod rewrite_common;

use mesh_rewrite::project::Project;
use mesh_rewrite::project::SourceFile;
use mesh_rewrite::rewrite::report::{FileStatus, HelperAction, ImportEdit, Severity};
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::rewrite::{rewrite, Outcome};
use rewrite_common::{example_dir, golden, load};

fn rewrite_example(form: HelperForm) -> (Project, Outcome) {
    let project = load(&example_dir());
    let rule = Rule { helper_form: form, ..Rule::default() };
    let outcome = rewrite(&project, &rule);
    (project, outcome)
}

fn check_goldens(dir: &str, outcome: &Outcome) {
    golden(&format!("{dir}/patch.diff"), &outcome.patch());
    let helper = outcome.files.iter().find(|f| f.path == "api/helpers.mpl").expect("helper file");
    golden(&format!("{dir}/helpers.mpl"), &helper.text);
    golden(&format!("{dir}/report.json"), &(serde_json::to_string_pretty(&outcome.report).unwrap() + "\n"));
    golden(&format!("{dir}/report.txt"), &outcome.report.to_text());
}

#[test]
fn plan_form_matches_goldens() {
    let (_, outcome) = rewrite_example(HelperForm::Plan);
    check_goldens("plan", &outcome);
}

#[test]
fn node_mode_form_matches_goldens() {
    let (_, outcome) = rewrite_example(HelperForm::NodeMode);
    check_goldens("node-mode", &outcome);
}

#[test]
fn node_local_form_matches_goldens() {
    let (_, outcome) = rewrite_example(HelperForm::NodeLocal);
    check_goldens("node-local", &outcome);
}

#[test]
fn node_name_form_matches_goldens() {
    let (_, outcome) = rewrite_example(HelperForm::NodeName);
    check_goldens("node-name", &outcome);
}

/// The seed's counts and verification list, asserted directly (independent of the goldens).
#[test]
fn example_rewrite_follows_the_plan() {
    let (project, outcome) = rewrite_example(HelperForm::Plan);
    let report = &outcome.report;
    assert_eq!(report.files.len(), project.files.len(), "every file is reported");
    let counts: Vec<(&str, usize, ImportEdit)> = report
        .files
        .iter()
        .filter(|f| !f.replacements.is_empty())
        .map(|f| (f.path.as_str(), f.replacements.len(), f.import_edit))
        .collect();
    assert_eq!(
        counts,
        [
            ("api/alerts.mpl", 7, ImportEdit::Added),
            ("api/dashboard.mpl", 6, ImportEdit::Added),
            ("api/detail.mpl", 1, ImportEdit::Added),
            ("api/search.mpl", 4, ImportEdit::Merged),
            ("api/settings.mpl", 3, ImportEdit::Added),
            ("api/team.mpl", 7, ImportEdit::Added),
            ("ingestion/routes.mpl", 11, ImportEdit::Merged),
            ("ingestion/ws_handler.mpl", 2, ImportEdit::Added),
        ]
    );
    assert_eq!(report.helper.action, HelperAction::Inserted);
    let pipeline = report.files.iter().find(|f| f.path == "ingestion/pipeline.mpl").unwrap();
    assert_eq!(pipeline.status, FileStatus::Unchanged);
    let reasons: Vec<_> = pipeline.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, ["comment", "excluded file"]);

    let routes = report.files.iter().find(|f| f.path == "ingestion/routes.mpl").unwrap();
    let functions: Vec<_> = routes.replacements.iter().map(|r| r.function.as_deref().unwrap()).collect();
    assert_eq!(
        functions,
        [
            "handle_event",
            "handle_bulk",
            "broadcast_issue_count",
            "broadcast_event",
            "handle_list_issues",
            "handle_resolve_issue",
            "handle_archive_issue",
            "handle_unresolve_issue",
            "handle_assign_issue",
            "handle_discard_issue",
            "handle_delete_issue",
        ]
    );
    // Byte ranges point at the call before and at `get_registry()` after.
    let before = &project.file("ingestion/routes.mpl").unwrap().text;
    let after = &outcome.files.iter().find(|f| f.path == "ingestion/routes.mpl").unwrap().text;
    for r in &routes.replacements {
        assert_eq!(&before[r.start_byte..r.end_byte], "Process.whereis(\"mesher_registry\")");
        assert_eq!(&after[r.new_start_byte..r.new_end_byte], "get_registry()");
    }

    let codes: Vec<_> = report.diagnostics.iter().map(|d| (d.severity, d.path.as_str(), d.code.as_str())).collect();
    assert!(codes.contains(&(Severity::Error, "api/helpers.mpl", "E0001")), "{codes:?}");
    let stay_local = codes.iter().filter(|c| c.2 == "stay-local").count();
    assert_eq!(stay_local, 4);
    let failed: Vec<_> = report.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["no Pid compared with Int (compiles)"]);
}

#[test]
fn forms_that_compile_pass_every_check() {
    for form in [HelperForm::NodeMode, HelperForm::NodeLocal, HelperForm::NodeName] {
        let (_, outcome) = rewrite_example(form);
        assert!(outcome.report.diagnostics.iter().all(|d| d.code != "E0001"), "{form:?}");
        assert!(outcome.report.checks.iter().all(|c| c.passed), "{form:?}: {:#?}", outcome.report.checks);
    }
}

/// Running the rewrite on its own output changes nothing, for every built-in form.
#[test]
fn rewriting_the_output_again_changes_nothing() {
    for form in [HelperForm::Plan, HelperForm::NodeMode, HelperForm::NodeLocal, HelperForm::NodeName] {
        let (_, first) = rewrite_example(form);
        let again = Project::new(first.files.iter().map(|f| SourceFile::new(&f.path, &f.text)).collect());
        let rule = Rule { helper_form: form, ..Rule::default() };
        let second = rewrite(&again, &rule);
        assert!(!second.changed(), "{form:?}: {}", second.patch());
        assert_eq!(second.patch(), "");
        assert_eq!(second.report.helper.action, HelperAction::Present);
        assert_eq!(second.report.replacement_count(), 0);
    }
}

/// The structured hunks the page renders: one added line per replacement plus the import,
/// with the changed words marked inline.
#[test]
fn hunks_mark_the_changed_words() {
    use mesh_rewrite::diff::LineKind;
    let (_, outcome) = rewrite_example(HelperForm::Plan);
    let routes = outcome.files.iter().find(|f| f.path == "ingestion/routes.mpl").unwrap();
    let hunks = routes.hunks();
    let added: Vec<_> = hunks.iter().flat_map(|h| &h.lines).filter(|l| l.kind == LineKind::Added).collect();
    let marked: Vec<(usize, Vec<&str>)> = added
        .iter()
        .map(|l| (l.new_line.unwrap(), l.changed.iter().map(|&(s, e)| &l.text[s..e]).collect()))
        .collect();
    assert_eq!(marked.len(), 12);
    // Inline changes are word-level (similar's tokenizer): `require_param` became `require_param,`.
    assert_eq!(marked[0], (4, vec!["require_param, get_registry"]));
    for (line, spans) in &marked[1..] {
        assert_eq!(spans, &["get_registry()"], "line {line}");
    }
    let removed = hunks.iter().flat_map(|h| &h.lines).filter(|l| l.kind == LineKind::Removed).count();
    assert_eq!(removed, 12);
}
