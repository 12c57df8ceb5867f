//! Choosing replacements: `skip` and `only` selectors, and what the import, helper and checks make of them.

mod rewrite_common;

use mesh_rewrite::rewrite::choice::Selector;
use mesh_rewrite::rewrite::report::{HelperAction, ImportEdit};
use mesh_rewrite::rewrite::rule::Rule;
use mesh_rewrite::rewrite::{rewrite, Outcome};
use rewrite_common::project;

const HANDLER: &str = "\
pub fn list(r :: Request) -> Response do
  let a = Process.whereis(\"mesher_registry\")
  let b = Process.whereis(\"mesher_registry\")
  a
end

pub fn show(r :: Request) -> Response do
  Process.whereis(\"mesher_registry\")
end
";
const OTHER: &str = "pub fn one() do\n  Process.whereis(\"mesher_registry\")\nend\n";
const HELPERS: &str = "pub fn ok() do\n  1\nend\n";

fn run(skip: &[&str], only: &[&str]) -> Outcome {
    let rule = Rule {
        skip: skip.iter().map(|s| s.to_string()).collect(),
        only: only.iter().map(|s| s.to_string()).collect(),
        expected_counts: [("api/a.mpl".to_owned(), 3), ("api/b.mpl".to_owned(), 1)].into(),
        ..Rule::default()
    };
    rule.validate().expect("a valid rule");
    rewrite(&project(&[("api/a.mpl", HANDLER), ("api/b.mpl", OTHER), ("api/helpers.mpl", HELPERS)]), &rule)
}

fn text<'a>(outcome: &'a Outcome, path: &str) -> &'a str {
    &outcome.files.iter().find(|f| f.path == path).unwrap().text
}

fn replaced_lines(outcome: &Outcome, path: &str) -> Vec<usize> {
    let f = outcome.report.files.iter().find(|f| f.path == path).unwrap();
    f.replacements.iter().map(|r| r.line).collect()
}

fn check(outcome: &Outcome, name: &str) -> (bool, String) {
    let c = outcome.report.checks.iter().find(|c| c.name == name).unwrap();
    (c.passed, c.detail.clone())
}

#[test]
fn selectors_parse_and_print_back() {
    for text in ["api/a.mpl", "api/a.mpl:12", "api/a.mpl:list#2", "api/a.mpl:#1"] {
        assert_eq!(Selector::parse(text).unwrap().to_string(), text);
    }
    assert_eq!(Selector::parse("api/a.mpl:12").unwrap(), Selector::Line("api/a.mpl".into(), 12));
    assert_eq!(Selector::parse("api/a.mpl:list#2").unwrap(), Selector::Call("api/a.mpl".into(), "list".into(), 2));
    assert_eq!(
        Selector::parse("api/a.mpl:0").unwrap_err(),
        "\"api/a.mpl:0\": line 0 is not a line number (lines start at 1)"
    );
    assert_eq!(
        Selector::parse("api/a.mpl:list#0").unwrap_err(),
        "\"api/a.mpl:list#0\" is not PATH, PATH:LINE or PATH:FUNCTION#N (N counts the function's lookups from 1)"
    );
    assert!(Selector::parse("../x.mpl:3").unwrap_err().starts_with("\"../x.mpl:3\": path \"../x.mpl\" "));
    let rule = Rule { skip: vec!["/etc/x.mpl".into()], only: vec!["a.mpl:x-y#1".into()], ..Rule::default() };
    let fields: Vec<&str> = rule.validate().unwrap_err().iter().map(|e| e.field).collect();
    assert_eq!(fields, ["skip", "only"]);
}

#[test]
fn skipping_one_keeps_that_call_and_the_import() {
    let out = run(&["api/a.mpl:list#2"], &[]);
    assert_eq!(
        text(&out, "api/a.mpl"),
        "from Api.Helpers import get_registry\n\n\
         pub fn list(r :: Request) -> Response do\n  let a = get_registry()\n  let b = Process.whereis(\"mesher_registry\")\n  a\nend\n\n\
         pub fn show(r :: Request) -> Response do\n  get_registry()\nend\n"
    );
    assert_eq!(replaced_lines(&out, "api/a.mpl"), [2, 8]);
    let skipped = &out.report.files.iter().find(|f| f.path == "api/a.mpl").unwrap().skipped;
    assert_eq!(skipped.iter().map(|s| (s.line, s.column, s.reason.as_str())).collect::<Vec<_>>(), [(3, 11, "skipped by choice")]);
    // What the page's boxes toggle: each replacement and each lookup kept by choice names itself.
    assert_eq!(skipped[0].choice.as_deref(), Some("api/a.mpl:list#2"));
    let report = out.report.files.iter().find(|f| f.path == "api/a.mpl").unwrap();
    let keys: Vec<&str> = report.replacements.iter().map(|r| r.choice.as_str()).collect();
    assert_eq!(keys, ["api/a.mpl:list#1", "api/a.mpl:show#1"]);
    // The plan counted 3; 2 made and 1 kept by choice is what the user asked for.
    assert_eq!(
        check(&out, "replacement counts match the plan"),
        (true, "3 replacements in 2 files and 1 skipped by choice, as planned".into())
    );
    assert_eq!(
        check(&out, "registry lookup left only in excluded files and the helper"),
        (true, "left only in api/a.mpl:5 (skipped by choice), api/helpers.mpl:6 (helper)".into())
    );
    // Only the plan's helper fails (it does not compile), choices or not.
    let failed: Vec<_> = out.report.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["no Pid compared with Int (compiles)"]);
    let text = out.report.to_text();
    assert!(text.contains("kept as they are:\n  api/a.mpl:3:11: skipped by choice\n"), "{text}");
    assert!(text.ends_with("3 replacements in 3 changed files (1 skipped by choice); 7 of 8 checks passed\n"), "{text}");
}

#[test]
fn a_line_selects_like_the_call_it_names() {
    assert_eq!(run(&["api/a.mpl:3"], &[]).patch(), run(&["api/a.mpl:list#2"], &[]).patch());
}

#[test]
fn skipping_a_whole_file_drops_its_import() {
    let out = run(&["api/a.mpl"], &[]);
    assert_eq!(text(&out, "api/a.mpl"), HANDLER);
    assert_eq!(out.report.files.iter().find(|f| f.path == "api/a.mpl").unwrap().import_edit, ImportEdit::None);
    assert_eq!(out.report.helper.action, HelperAction::Inserted);
    assert_eq!(
        check(&out, "helper called in every file that had lookups"),
        (true, "get_registry() in all 1 file that had lookups".into())
    );
}

#[test]
fn nothing_accepted_means_no_helper() {
    let out = run(&["api/a.mpl", "api/b.mpl"], &[]);
    assert!(!out.changed());
    assert_eq!(out.report.helper.action, HelperAction::None);
    assert_eq!(check(&out, "helper defined"), (true, "nothing calls get_registry, so no helper is needed".into()));
    assert!(out.report.checks.iter().all(|c| c.passed), "{}", out.report.to_text());
    // A folder selects every file under it.
    assert_eq!(run(&["api"], &[]).patch(), out.patch());
    let out = run(&[], &["api/none.mpl"]);
    assert!(!out.changed());
    assert_eq!(out.report.helper.action, HelperAction::None);
}

#[test]
fn only_selects_and_skip_still_applies() {
    let out = run(&["api/a.mpl:show#1"], &["api/a.mpl"]);
    assert_eq!(replaced_lines(&out, "api/a.mpl"), [2, 3]);
    assert_eq!(replaced_lines(&out, "api/b.mpl"), Vec::<usize>::new());
    assert_eq!(text(&out, "api/b.mpl"), OTHER);
    let reasons: Vec<_> =
        out.report.files.iter().flat_map(|f| f.skipped.iter().map(move |s| (f.path.as_str(), s.line))).collect();
    assert_eq!(reasons, [("api/a.mpl", 8), ("api/b.mpl", 2)]);
}

#[test]
fn choices_are_idempotent() {
    let out = run(&["api/a.mpl:list#1"], &[]);
    let again = rewrite(
        &project(&out.files.iter().map(|f| (f.path.as_str(), f.text.as_str())).collect::<Vec<_>>()),
        &Rule { skip: vec!["api/a.mpl:list#1".into()], ..Rule::default() },
    );
    assert!(!again.changed(), "{}", again.patch());
}

#[test]
fn the_config_holds_the_rule_and_the_choices_and_reads_back() {
    let rule = Rule {
        helper_form: mesh_rewrite::rewrite::rule::HelperForm::NodeLocal,
        skip: vec!["api/a.mpl:list#2".into(), "api/\"q\".mpl".into()],
        ..Rule::default()
    };
    let config = rule.to_config();
    let expected = format!(
        "# mesh-rewrite config, written by mesh-rewrite {}\n\
         # mesh-rewrite rewrite --config mesh-rewrite.toml --write PROJECT_DIR\n\n\
         registry_name = \"mesher_registry\"\nhelper_name = \"get_registry\"\nhelper_file = \"api/helpers.mpl\"\n\
         excluded_files = [\"ingestion/pipeline.mpl\"]\nstay_local = [\"stream_manager\"]\nhelper_form = \"node-local\"\n\
         custom_helper = \"\"\nskip = [\"api/a.mpl:list#2\", 'api/\"q\".mpl']\n\n[expected_counts]\n\
         \"api/alerts.mpl\" = 7\n\"api/dashboard.mpl\" = 6\n\"api/detail.mpl\" = 1\n\"api/search.mpl\" = 4\n\
         \"api/settings.mpl\" = 3\n\"api/team.mpl\" = 7\n\"ingestion/routes.mpl\" = 11\n\"ingestion/ws_handler.mpl\" = 2\n",
        mesh_rewrite::version()
    );
    assert_eq!(config, expected);
    assert_eq!(toml::from_str::<Rule>(&config).unwrap(), rule);
}
