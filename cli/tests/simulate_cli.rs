//! `mesh-rewrite simulate`: exact output and exit codes of the built binary.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn simulate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mesh-rewrite")).arg("simulate").args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn list_prints_the_built_in_names() {
    let o = simulate(&["--scenario", "list"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "standalone\nlate-join\nconcurrent-register\nowner-down\nregistry-not-ready\n");
}

#[test]
fn text_report_for_standalone() {
    let o = simulate(&["--scenario", "standalone", "--helper-form", "node-mode"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "scenario: standalone
helper: node-mode (compiles)
seed: 1
remote service calls: crash (runtime as it is)

time  node  handler             before  after
 100  a     handle_event        ok (a)  ok (a)
 100  a     handle_list_issues  ok (a)  ok (a)

log:
    0  a  app boots: PipelineRegistry started as <a.1>
    0  a  Process.register(\"mesher_registry\", <a.1>) -> 0
  100  a  request handle_event: before ok, after ok
  100  a  request handle_list_issues: before ok, after ok
"
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn text_report_explains_what_the_rewrite_changed() {
    let o = simulate(&["--scenario", "owner-down", "--helper-form", "node-mode"]);
    let text = stdout(&o);
    let table = "time  node  handler       before  after
 500  b     handle_event  ok (b)  crash (a)
 900  b     handle_event  ok (b)  hang

changed by the rewrite:
  b handle_event at 500: <a.1> is on a, not b: a service call to a remote PID gets no usable reply, so the runtime crashes the handler
  b handle_event at 900: the lookup returned 0, so PipelineRegistry.get_pool(reg) calls b's main process, which never replies: the handler hangs
";
    assert!(text.contains(table), "{text}");
}

#[test]
fn json_keeps_the_contract_keys() {
    let o = simulate(&["--scenario", "late-join", "--helper-form", "node-mode", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    for key in ["scenario", "helper_form", "compiles", "results", "log"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["scenario"], "late-join");
    assert_eq!(v["helper_form"], "node-mode");
    assert_eq!(v["compiles"], true);
    let r = &v["results"][1];
    assert_eq!(
        (&r["time"], &r["node"], &r["handler"]),
        (&serde_json::json!(500), &serde_json::json!("b"), &serde_json::json!("handle_event"))
    );
    assert_eq!(r["before"]["outcome"], "ok");
    assert_eq!(r["before"]["resolved_node"], "b");
    assert_eq!(r["after"]["outcome"], "crash");
    assert_eq!(r["after"]["resolved_node"], "a");
    let entry = &v["log"][0];
    assert_eq!(
        entry,
        &serde_json::json!({"time": 0, "node": "a", "event": "Node.start(\"a@sim\"): now distributed"})
    );
}

#[test]
fn plan_form_json_says_it_does_not_compile() {
    let v = json(&simulate(&["--scenario", "registry-not-ready", "--format", "json"]));
    assert_eq!(v["helper_form"], "plan");
    assert_eq!(v["compiles"], false);
    assert_eq!(v["type_errors"][0]["code"], "E0001");
    let after: Vec<&str> =
        v["results"].as_array().unwrap().iter().map(|r| r["after"]["outcome"].as_str().unwrap()).collect();
    assert_eq!(after, ["crash", "hang", "ok"]);
}

#[test]
fn remote_calls_work_turns_crash_into_ok_remote() {
    let v = json(&simulate(&["--helper-form", "node-mode", "--remote-calls-work", "--format", "json"]));
    assert_eq!(v["scenario"], "late-join", "late-join is the default scenario");
    assert_eq!(v["results"][1]["after"]["outcome"], "ok-remote");
    assert_eq!(v["remote_calls_work"], true);
}

#[test]
fn seeds_change_timing_not_outcomes() {
    let a = simulate(&["--seed", "7", "--format", "json"]);
    let b = simulate(&["--seed", "7", "--format", "json"]);
    let c = simulate(&["--seed", "8", "--format", "json"]);
    assert_eq!(stdout(&a), stdout(&b));
    assert_ne!(json(&a)["log"], json(&c)["log"]);
    let outcomes = |v: serde_json::Value| v["results"].clone();
    assert_eq!(outcomes(json(&a)), outcomes(json(&c)));
}

#[test]
fn unknown_scenario_is_a_usage_error() {
    let o = simulate(&["--scenario", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "mesh-rewrite: unknown scenario `nope`: not a built-in (standalone, late-join, concurrent-register, owner-down, registry-not-ready) and no such file\n"
    );
}

#[test]
fn scenario_files_run_and_report_errors_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("two-nodes.scn");
    fs::write(&good, "nodes a b\nat 0 start a\nat 0 app a\nat 0 start b\nat 0 connect b a\nat 100 request b handle_event\n")
        .unwrap();
    let o =
        simulate(&["--scenario", good.to_str().unwrap(), "--helper-form", "node-mode", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["scenario"], "two-nodes");
    assert_eq!(v["results"][0]["before"]["outcome"], "hang");
    assert_eq!(v["results"][0]["after"]["outcome"], "crash");

    let bad = dir.path().join("bad.scn");
    fs::write(&bad, "nodes a\nat 0 start x\n").unwrap();
    let o = simulate(&["--scenario", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), format!("mesh-rewrite: {}: line 2: unknown node `x`\n", bad.display()));
}

#[test]
fn project_helper_is_taken_from_the_rewritten_project() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.mpl", "fn main() do\n  0\nend\n");
    write(dir.path(), "api/helpers.mpl", "pub fn require_param(x) do\n  x\nend\n");
    write(
        dir.path(),
        "ingestion/routes.mpl",
        "pub fn handle_event(req) do\n  let reg_pid = Process.whereis(\"mesher_registry\")\n  reg_pid\nend\n",
    );
    let o = simulate(&[
        "--project",
        dir.path().to_str().unwrap(),
        "--helper-form",
        "node-mode",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "helper: get_registry from {} after the rewrite\n",
            dir.path().join("api/helpers.mpl").display()
        )
    );
    let v = json(&o);
    assert_eq!(v["helper_form"], "node-mode");
    assert_eq!(v["results"][1]["after"]["outcome"], "crash");
}

#[test]
fn an_edited_project_helper_changes_the_simulation() {
    let dir = tempfile::tempdir().unwrap();
    // A helper that only looks locally: after the rewrite, b still finds its own registry.
    write(
        dir.path(),
        "api/helpers.mpl",
        "pub fn get_registry() do\n  case Node.self() do\n    _ -> Process.whereis(\"mesher_registry\")\n  end\nend\n",
    );
    let o = simulate(&["--project", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!("helper: get_registry from {}\n", dir.path().join("api/helpers.mpl").display())
    );
    let v = json(&o);
    assert_eq!(v["helper_form"], "project");
    assert_eq!(v["compiles"], true);
    assert_eq!(v["results"][1]["after"]["outcome"], "ok");
    assert_eq!(v["results"][1]["after"]["trace"]["calls"][1]["line"], 3);
}

#[test]
fn a_helper_outside_the_subset_cannot_be_simulated() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "api/helpers.mpl",
        "pub fn get_registry() do\n  Map.get(registries(), Node.self())\nend\n",
    );
    let o = simulate(&["--project", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).ends_with("mesh-rewrite: cannot simulate: call to Map.get at 2:3\n"),
        "{}",
        stderr(&o)
    );
}
