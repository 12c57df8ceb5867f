//! `mesh-rewrite rewrite` end to end: outputs, exit codes, and `git apply` of the patch.

mod common;

use common::*;

use std::fs;
use std::path::Path;


#[test]
fn git_apply_of_the_patch_reproduces_out_for_the_example() {
    patch_reproduces_out(&example(), &[]);
    patch_reproduces_out(&example(), &["--helper-form", "node-mode"]);
}

#[test]
fn git_apply_creates_a_missing_helper_file() {
    patch_reproduces_out(&fixture("no_helper"), &[]);
    let out = rewrite(&[], &fixture("no_helper"));
    assert!(stdout(&out).contains("diff --git a/api/helpers.mpl b/api/helpers.mpl\nnew file mode 100644\n--- /dev/null\n"));
}

#[test]
fn git_apply_keeps_crlf_files_crlf() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("crlf");
    fs::create_dir_all(project.join("api")).unwrap();
    fs::write(project.join("main.mpl"), "fn main() do\r\n  0\r\nend\r\n").unwrap();
    fs::write(
        project.join("api/a.mpl"),
        "from Types.Event import Event\r\n\r\npub fn handle() do\r\n  let reg_pid = Process.whereis(\"mesher_registry\")\r\n  reg_pid\r\nend\r\n",
    )
    .unwrap();
    fs::write(project.join("api/helpers.mpl"), "# Helpers.\r\n\r\npub fn ok() do\r\n  1\r\nend\r\n").unwrap();
    patch_reproduces_out(&project, &[]);
    let out_dir = temp.path().join("out");
    rewrite(&["--out", out_dir.to_str().unwrap()], &project);
    assert_eq!(
        fs::read_to_string(out_dir.join("api/a.mpl")).unwrap(),
        "from Types.Event import Event\r\nfrom Api.Helpers import get_registry\r\n\r\npub fn handle() do\r\n  let reg_pid = get_registry()\r\n  reg_pid\r\nend\r\n"
    );
}

#[test]
fn default_output_is_patch_on_stdout_and_report_on_stderr() {
    let out = rewrite(&[], &example());
    assert_eq!(code(&out), 0);
    let patch = stdout(&out);
    assert!(patch.starts_with("diff --git a/api/alerts.mpl b/api/alerts.mpl\n--- a/api/alerts.mpl\n+++ b/api/alerts.mpl\n@@ "));
    assert_eq!(patch.matches("\n+  let reg_pid = get_registry()\n").count(), 41);
    let report = stderr(&out);
    assert!(report.contains("helper api/helpers.mpl: inserted\n"), "{report}");
    assert!(
        report.ends_with(
            "41 replacements in 9 changed files; 7 of 8 checks passed\n\n\
             verdict: plan: does not compile (api/helpers.mpl:14:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)); \
             even as intended it crashes on node b in registry-not-ready: its handlers call node a's registry, \
             and a service call to another node's PID crashes the caller. Ship node-local instead (--helper-form node-local).\n"
        ),
        "{report}"
    );
    assert!(report.contains(
        "A Pid cannot be tested for \"not found\"; ship the node-local helper instead (--helper-form node-local), \
         the form the verdict found safe\n"
    ));
}

#[test]
fn check_exits_1_when_something_would_change_and_0_after_write() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("mesher");
    copy_dir(&example(), &project);
    let before = mpl_tree(&project);

    let check = rewrite(&["--check"], &project);
    assert_eq!(code(&check), 1);
    assert!(check.stdout.is_empty());
    assert_eq!(mpl_tree(&project), before, "--check writes nothing");

    let write = rewrite(&["--write", "--helper-form", "node-mode"], &project);
    assert_eq!(code(&write), 0, "{}", stderr(&write));
    let after = mpl_tree(&project);
    let changed: Vec<_> = before.iter().zip(&after).filter(|(b, a)| b != a).map(|(b, _)| b.0.as_str()).collect();
    assert_eq!(changed.len(), 9, "{changed:?}");
    let helpers = fs::read_to_string(project.join("api/helpers.mpl")).unwrap();
    assert!(helpers.contains("  if Node.self() != \"\" do\n    Global.whereis(\"mesher_registry\")\n"));
    // No temporary files are left behind.
    let leftovers: Vec<_> = fs::read_dir(project.join("api"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let again = rewrite(&["--check", "--helper-form", "node-mode"], &project);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
}

#[test]
fn syntax_errors_exit_3_and_the_rest_is_rewritten() {
    let out = rewrite(&[], &fixture("syntax_error"));
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let patch = stdout(&out);
    assert!(patch.contains("diff --git a/api/good.mpl b/api/good.mpl\n"));
    assert!(!patch.contains("api/bad.mpl"));
    let report = stderr(&out);
    assert!(report.contains("api/bad.mpl: 0 replacements (not rewritten: syntax errors)\n"), "{report}");
    assert!(report.contains("api/bad.mpl:3:17: syntax error\n"), "{report}");
}

#[test]
fn json_report_has_the_documented_shape() {
    let out = rewrite(&["--format", "json"], &example());
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with("{\n  \"files\": [\n    {\n      \"path\": \"api/alerts.mpl\",\n      \"replacements\": ["));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let keys: Vec<_> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["checks", "diagnostics", "files", "helper", "patch", "verdict"]);
    assert_eq!(v["verdict"]["recommended"], "node-local");
    assert_eq!(v["verdict"]["current"], "plan");
    let routes = v["files"].as_array().unwrap().iter().find(|f| f["path"] == "ingestion/routes.mpl").unwrap();
    assert_eq!(routes["import_edit"], "merged");
    assert_eq!(routes["replacements"][0]["function"], "handle_event");
    assert_eq!(routes["replacements"][0]["line"], 54);
    assert_eq!(routes["replacements"][0]["column"], 17);
    assert_eq!(v["helper"], serde_json::json!({"path": "api/helpers.mpl", "action": "inserted"}));
    let e0001 = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "E0001").unwrap();
    assert_eq!(e0001["severity"], "error");
    assert_eq!(e0001["path"], "api/helpers.mpl");
    assert!(v["checks"].as_array().unwrap().iter().all(|c| c["name"].is_string() && c["passed"].is_boolean()));
    assert!(v["patch"].as_str().unwrap().starts_with("diff --git "));
}

#[test]
fn a_toml_config_changes_the_rule() {
    let temp = tempfile::tempdir().unwrap();
    let config = temp.path().join("rule.toml");
    fs::write(&config, "helper_name = \"find_registry\"\nhelper_form = \"node-mode\"\n[expected_counts]\n\"api/good.mpl\" = 1\n")
        .unwrap();
    let out = rewrite(&["--config", config.to_str().unwrap()], &fixture("syntax_error"));
    assert_eq!(code(&out), 3);
    let patch = stdout(&out);
    assert!(patch.contains("+  let reg_pid = find_registry()\n"), "{patch}");
    assert!(patch.contains("+from Api.Helpers import find_registry\n"), "{patch}");
    assert!(patch.contains("+pub fn find_registry() do\n+  if Node.self() != \"\" do\n"), "{patch}");

    fs::write(&config, "helper_nam = \"typo\"\n").unwrap();
    let bad = rewrite(&["--config", config.to_str().unwrap()], &fixture("syntax_error"));
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("helper_nam"), "{}", stderr(&bad));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing = rewrite(&[], Path::new("/nonexistent/project"));
    assert_eq!(code(&missing), 2);
    let both = rewrite(&["--write", "--out", "/tmp/x"], &example());
    assert_eq!(code(&both), 2);
    let form = rewrite(&["--helper-form", "custom"], &example());
    assert_eq!(code(&form), 2);
}

#[test]
fn non_utf8_files_are_reported_and_left_alone() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    fs::create_dir_all(project.join("api")).unwrap();
    fs::write(project.join("main.mpl"), "fn main() do\n  Process.whereis(\"mesher_registry\")\nend\n").unwrap();
    fs::write(project.join("api/latin1.mpl"), b"# caf\xe9\nfn f() do 1 end\n").unwrap();
    let out_dir = temp.path().join("out");
    let out = rewrite(&["--out", out_dir.to_str().unwrap()], &project);
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).contains("api/latin1.mpl:1:1: error[not-utf8]: not valid UTF-8"), "{}", stderr(&out));
    assert_eq!(fs::read(out_dir.join("api/latin1.mpl")).unwrap(), b"# caf\xe9\nfn f() do 1 end\n");
    assert!(fs::read_to_string(out_dir.join("main.mpl")).unwrap().contains("get_registry()"));
}

#[test]
fn the_root_is_the_directory_holding_main_mpl() {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("no_helper"), &temp.path().join("app"));
    let out = rewrite(&[], temp.path());
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).starts_with("diff --git a/api/helpers.mpl b/api/helpers.mpl\n"), "{}", stdout(&out));
    assert!(stderr(&out).starts_with("project root: "));
}
