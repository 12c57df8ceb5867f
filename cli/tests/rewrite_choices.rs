//! `mesh-rewrite rewrite --skip/--only` (and the config's `skip`/`only`) choose the replacements;
//! `--format html` prints the report the page exports. Exact outputs and exit codes.

mod common;

use common::*;

use mesh_rewrite::export::html_report;
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::rewrite::{assemble, rewrite_file};
use mesh_rewrite::verdict::{annotate, evaluate, DEFAULT_SEEDS};
use std::fs;
use std::path::Path;

const LOOKUP: &str = "Process.whereis(\"mesher_registry\")";

/// main.mpl looks the registry up twice in `main`, api/a.mpl once at the top of `handle`.
fn two_files(dir: &Path) {
    fs::create_dir_all(dir.join("api")).unwrap();
    fs::write(dir.join("main.mpl"), format!("fn main() do\n  let a = {LOOKUP}\n  let b = {LOOKUP}\n  a\nend\n")).unwrap();
    fs::write(dir.join("api/a.mpl"), format!("pub fn handle() do\n  {LOOKUP}\nend\n")).unwrap();
    fs::write(dir.join("api/helpers.mpl"), "# Helpers.\n").unwrap();
}

const ONLY_THE_FIRST_PATCH: &str = "\
diff --git a/api/helpers.mpl b/api/helpers.mpl
--- a/api/helpers.mpl
+++ b/api/helpers.mpl
@@ -1 +1,10 @@
 # Helpers.
+
+# Registry lookup, in one place for the whole app.
+# A service call must reach a registry on the caller's own node: a call to a
+# PID on another node crashes the caller. So every node keeps resolving its own
+# registry, exactly as before. Change this one function when Mesh gets remote
+# service calls.
+pub fn get_registry() do
+  Process.whereis(\"mesher_registry\")
+end
diff --git a/main.mpl b/main.mpl
--- a/main.mpl
+++ b/main.mpl
@@ -1,5 +1,7 @@
+from Api.Helpers import get_registry
+
 fn main() do
-  let a = Process.whereis(\"mesher_registry\")
+  let a = get_registry()
   let b = Process.whereis(\"mesher_registry\")
   a
 end
";

const ONLY_THE_FIRST_REPORT: &str = "\
api/helpers.mpl: 0 replacements (modified, helper inserted)
main.mpl: 1 replacement (modified, import added)
  2:11 in main
helper api/helpers.mpl: inserted
kept as they are:
  api/a.mpl:2:3: skipped by choice
  main.mpl:3:11: skipped by choice
checks:
  [ok  ] changed files parse: 2 changed files parse without new errors
  [ok  ] registry lookup left only in excluded files and the helper: left only in api/a.mpl:2 (skipped by choice), \
api/helpers.mpl:9 (helper), main.mpl:5 (skipped by choice)
  [ok  ] helper called in every file that had lookups: get_registry() in all 1 file that had lookups
  [ok  ] stay-local lookups unchanged: stream_manager: 0 before, 0 after
  [ok  ] every file calling the helper imports it: all 1 file calling get_registry() import it from Api.Helpers
  [ok  ] replacement counts match the plan: 1 replacement in 1 file and 2 skipped by choice, as planned
  [ok  ] helper defined: api/helpers.mpl defines get_registry
  [ok  ] no Pid compared with Int (compiles): no Pid-vs-Int comparisons
1 replacement in 2 changed files (2 skipped by choice); 8 of 8 checks passed

verdict: node-local: compiles and is never worse than today: every request ends as it does today (5 scenarios × 16 seeds). \
Safe to ship.
";

#[test]
fn skip_and_only_from_flags_and_config_choose_the_replacements() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    two_files(&project);
    let config = |name: &str, extra: &str| {
        let path = temp.path().join(name);
        fs::write(&path, format!("helper_form = \"node-local\"\n{extra}[expected_counts]\n\"main.mpl\" = 2\n\"api/a.mpl\" = 1\n")).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let plain = config("plain.toml", "");
    let skipping = config("skip.toml", "skip = [\"api/a.mpl\"]\n");
    let only = config("only.toml", "only = [\"main.mpl:2\"]\n");
    // The flags add to the config's lists; every form of selector names the same lookups.
    for args in [
        vec!["--config", &plain, "--skip", "main.mpl:main#2", "--skip", "api/a.mpl"],
        vec!["--config", &plain, "--skip", "main.mpl:3", "--skip", "api/a.mpl:handle#1"],
        vec!["--config", &skipping, "--skip", "main.mpl:main#2"],
        vec!["--config", &plain, "--only", "main.mpl:2"],
        vec!["--config", &plain, "--only", "main.mpl:main#1", "--only", "api/b.mpl"],
        vec!["--config", &only],
    ] {
        let out = rewrite(&args, &project);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), ONLY_THE_FIRST_PATCH, "{args:?}");
        assert_eq!(stderr(&out), ONLY_THE_FIRST_REPORT, "{args:?}");
    }
    // Written in place, the choice holds: a second run with it changes nothing.
    let out = rewrite(&["--config", &only, "--write"], &project);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let again = rewrite(&["--config", &only, "--check"], &project);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert!(fs::read_to_string(project.join("main.mpl")).unwrap().contains(&format!("  let b = {LOOKUP}\n")));
    assert_eq!(fs::read_to_string(project.join("api/a.mpl")).unwrap(), format!("pub fn handle() do\n  {LOOKUP}\nend\n"));
}

#[test]
fn skipping_everything_in_the_example_changes_nothing() {
    let files = ["api/alerts.mpl", "api/dashboard.mpl", "api/detail.mpl", "api/search.mpl", "api/settings.mpl"];
    let rest = ["api/team.mpl", "ingestion/routes.mpl", "ingestion/ws_handler.mpl"];
    let args: Vec<&str> = files.iter().chain(&rest).flat_map(|f| ["--skip", f]).collect();
    let out = rewrite(&[&args[..], &["--check"]].concat(), &example());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = stderr(&out);
    assert!(report.starts_with("helper api/helpers.mpl: not needed\nkept as they are:\n"), "{report}");
    assert!(report.contains("\n  api/team.mpl:44:17: skipped by choice\n"), "{report}");
    assert!(report.contains("\n0 replacements in 0 changed files (41 skipped by choice); "), "{report}");
}

#[test]
fn an_invalid_selector_exits_2_with_the_rules_message_before_anything_is_read() {
    let cases = [
        (&["--skip", "main.mpl:0"][..], "mesh-rewrite: skip entry \"main.mpl:0\": line 0 is not a line number (lines start at 1)\n"),
        (&["--only", "../x.mpl"], "mesh-rewrite: only entry \"../x.mpl\": path \"../x.mpl\" leaves the project (..)\n"),
        (
            &["--only", "api/a.mpl:handle#0", "--skip", "/abs.mpl"],
            "mesh-rewrite: skip entry \"/abs.mpl\": path \"/abs.mpl\" is absolute; paths are relative to the project root\n\
             mesh-rewrite: only entry \"api/a.mpl:handle#0\" is not PATH, PATH:LINE or PATH:FUNCTION#N \
             (N counts the function's lookups from 1)\n",
        ),
    ];
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    two_files(&project);
    let before = tree(temp.path());
    for (args, message) in cases {
        // A project that is not there: the selectors are refused first.
        for (dir, mode) in [(Path::new("/nonexistent/project"), &[][..]), (project.as_path(), &["--write"])] {
            let out = rewrite(&[args, mode].concat(), dir);
            assert_eq!((code(&out), stderr(&out).as_str(), out.stdout.len()), (2, message, 0), "{args:?} {mode:?}");
        }
    }
    assert_eq!(tree(temp.path()), before);
}

/// The HTML report of the example as the page would export it: the library's, for the same files,
/// rule and verdict.
fn library_html(dir: &Path, rule: &Rule) -> String {
    let rewrites: Vec<_> = mpl_tree(dir)
        .into_iter()
        .map(|(path, bytes)| rewrite_file(&path, &String::from_utf8(bytes).unwrap(), rule))
        .collect();
    let verdict = evaluate(&rewrites, rule, DEFAULT_SEEDS);
    let mut outcome = assemble(rewrites, rule);
    annotate(&mut outcome.report, &verdict);
    html_report(&outcome, rule, Some(&verdict))
}

#[test]
fn format_html_prints_the_pages_report_byte_for_byte() {
    let out = rewrite(&["--format", "html"], &example());
    assert_eq!((code(&out), stderr(&out).as_str()), (0, ""));
    let html = stdout(&out);
    assert!(html.starts_with("<!doctype html>\n"), "{}", &html[..100]);
    assert_eq!(html, library_html(&example(), &Rule::default()));

    let chosen = Rule {
        helper_form: HelperForm::NodeMode,
        skip: vec!["api/team.mpl".into()],
        only: vec!["api/team.mpl".into(), "api/alerts.mpl:handle_list_alert_rules#1".into(), "ingestion/routes.mpl:54".into()],
        ..Rule::default()
    };
    let args = [
        "--format",
        "html",
        "--helper-form",
        "node-mode",
        "--skip",
        "api/team.mpl",
        "--only",
        "api/team.mpl",
        "--only",
        "api/alerts.mpl:handle_list_alert_rules#1",
        "--only",
        "ingestion/routes.mpl:54",
    ];
    let expected = library_html(&example(), &chosen);
    assert!(expected.contains("skipped by choice"));
    let out = rewrite(&args, &example());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), expected);

    // With --write the files are written and the report is the same (made from the files as read).
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("mesher");
    copy_dir(&example(), &project);
    let out = rewrite(&[&args[..], &["--write"]].concat(), &project);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), expected);
    assert!(stderr(&out).starts_with("undo: git -C "), "{}", stderr(&out));
    let alerts = fs::read_to_string(project.join("api/alerts.mpl")).unwrap();
    assert_eq!(alerts.matches("get_registry()").count(), 1);
}

#[test]
fn only_rewrite_has_the_html_format() {
    let example = example();
    let example = example.to_str().unwrap();
    for args in [&["verdict", "--format", "html", example][..], &["simulate", "--format", "html"]] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(
            stderr(&out).starts_with("error: invalid value 'html' for '--format <FORMAT>'\n  [possible values: text, json]\n"),
            "{}",
            stderr(&out)
        );
    }
}
