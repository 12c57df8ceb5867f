//! Every built-in scenario's outcomes, for both helper forms, with and without "remote service calls
//! work"; the surprising runtime rules from MESH-RUNTIME.md each reproduced by a scenario file.

use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::simulate::{self, built_in, built_in_names, scenario, Options, Run};

fn run_named(name: &str, form: HelperForm, remote: bool, seed: u64) -> Run {
    let rule = Rule { helper_form: form, ..Rule::default() };
    let options = Options { seed, remote_calls_work: remote, ..Options::default() };
    simulate::run_rule(&built_in(name).unwrap(), &rule, &options).unwrap()
}

fn run_text(text: &str, form: HelperForm) -> Run {
    let rule = Rule { helper_form: form, ..Rule::default() };
    let scenario = scenario::parse(text, "test").unwrap();
    simulate::run_rule(&scenario, &rule, &Options::default()).unwrap()
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/simulate/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// `node@time handler: before-outcome(resolved) after-outcome(resolved)`, one per request.
fn outcomes(run: &Run) -> Vec<String> {
    let side = |l: &simulate::Lookup| {
        format!("{}({})", l.outcome.as_str(), l.resolved_node.as_deref().unwrap_or("-"))
    };
    run.results
        .iter()
        .map(|r| format!("{}@{} {}: {} {}", r.node, r.time, r.handler, side(&r.before), side(&r.after)))
        .collect()
}

fn expected(name: &str, form: HelperForm, remote: bool) -> Vec<&'static str> {
    use HelperForm::*;
    match (name, form, remote) {
        ("standalone", _, _) => {
            vec!["a@100 handle_event: ok(a) ok(a)", "a@100 handle_list_issues: ok(a) ok(a)"]
        }
        ("late-join", Plan, _) => vec!["a@500 handle_event: ok(a) ok(a)", "b@500 handle_event: ok(b) ok(b)"],
        ("late-join", NodeMode, false) => {
            vec!["a@500 handle_event: ok(a) ok(a)", "b@500 handle_event: ok(b) crash(a)"]
        }
        ("late-join", NodeMode, true) => {
            vec!["a@500 handle_event: ok(a) ok(a)", "b@500 handle_event: ok(b) ok-remote(a)"]
        }
        ("concurrent-register", _, _) => {
            vec!["a@500 handle_event: ok(a) ok(a)", "b@500 handle_event: ok(b) ok(b)"]
        }
        ("owner-down", Plan, _) => vec!["b@500 handle_event: ok(b) ok(b)", "b@900 handle_event: ok(b) ok(b)"],
        ("owner-down", NodeMode, false) => {
            vec!["b@500 handle_event: ok(b) crash(a)", "b@900 handle_event: ok(b) hang(-)"]
        }
        ("owner-down", NodeMode, true) => {
            vec!["b@500 handle_event: ok(b) ok-remote(a)", "b@900 handle_event: ok(b) hang(-)"]
        }
        ("registry-not-ready", Plan, false) => vec![
            "b@300 handle_event: hang(-) crash(a)",
            "c@300 handle_event: hang(-) hang(-)",
            "b@600 handle_event: ok(b) ok(b)",
        ],
        ("registry-not-ready", Plan, true) => vec![
            "b@300 handle_event: hang(-) ok-remote(a)",
            "c@300 handle_event: hang(-) hang(-)",
            "b@600 handle_event: ok(b) ok(b)",
        ],
        ("registry-not-ready", NodeMode, false) => vec![
            "b@300 handle_event: hang(-) crash(a)",
            "c@300 handle_event: hang(-) hang(-)",
            "b@600 handle_event: ok(b) crash(a)",
        ],
        ("registry-not-ready", NodeMode, true) => vec![
            "b@300 handle_event: hang(-) ok-remote(a)",
            "c@300 handle_event: hang(-) hang(-)",
            "b@600 handle_event: ok(b) ok-remote(a)",
        ],
        other => panic!("no expectation for {other:?}"),
    }
}

#[test]
fn built_in_names_are_exact() {
    assert_eq!(
        built_in_names(),
        ["standalone", "late-join", "concurrent-register", "owner-down", "registry-not-ready"]
    );
}

#[test]
fn every_built_in_outcome_for_both_forms_with_and_without_remote_calls() {
    for name in built_in_names() {
        for form in [HelperForm::Plan, HelperForm::NodeMode] {
            for remote in [false, true] {
                let run = run_named(name, form, remote, 1);
                assert_eq!(outcomes(&run), expected(name, form, remote), "{name} {form:?} remote={remote}");
                assert_eq!(run.scenario, name);
                assert_eq!(run.compiles, form == HelperForm::NodeMode, "{name} {form:?}");
            }
        }
    }
}

#[test]
fn built_in_outcomes_do_not_depend_on_the_seed() {
    for seed in 0..25 {
        for name in built_in_names() {
            for form in [HelperForm::Plan, HelperForm::NodeMode] {
                let run = run_named(name, form, false, seed);
                assert_eq!(outcomes(&run), expected(name, form, false), "{name} {form:?} seed {seed}");
            }
        }
    }
}

#[test]
fn plan_form_is_labelled_as_not_compiling() {
    let run = run_named("late-join", HelperForm::Plan, false, 1);
    assert!(!run.compiles);
    assert_eq!(run.type_errors.len(), 1);
    assert_eq!(
        run.type_errors[0].to_string(),
        "7:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)"
    );
    assert_eq!(
        run.note.as_deref(),
        Some(
            "get_registry does not compile (7:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)); \
             simulated with its intended meaning: a PID compared with 0 means not found"
        )
    );
    let node_mode = run_named("late-join", HelperForm::NodeMode, false, 1);
    assert!(node_mode.type_errors.is_empty() && node_mode.note.is_none());
}

#[test]
fn late_join_node_mode_crash_is_explained_by_its_trace() {
    let run = run_named("late-join", HelperForm::NodeMode, false, 1);
    let b = &run.results[1].after;
    let calls: Vec<(&str, &str)> =
        b.trace.calls.iter().map(|c| (c.call.as_str(), c.returned.as_str())).collect();
    assert_eq!(calls, [("Node.self()", "\"b@sim\""), ("Global.whereis(\"mesher_registry\")", "<a.1>")]);
    let global = &b.trace.calls[1];
    assert_eq!(global.read.as_deref(), Some("b's global-registry copy"));
    assert_eq!((global.line, global.column), (Some(6), Some(5)));
    let held = global.held.as_ref().unwrap();
    assert_eq!(held["mesher_registry"], "<a.1>");
    assert_eq!(held["mesher_registry@b@sim"], "<b.1>");
    assert_eq!(
        b.trace.why,
        "<a.1> is on a, not b: a service call to a remote PID gets no usable reply, so the runtime crashes the handler"
    );
    // Why b's copy holds a's registry: b's own registration of the well-known name came second.
    assert!(run.log.iter().any(|l| l.node == "b"
        && l.event
            == "Global.register(\"mesher_registry\", <b.1>) -> 1: this copy already has <a.1> (ignored)"));
    let before = &run.results[1].before;
    assert_eq!(before.trace.calls[0].read.as_deref(), Some("b's local registry"));
    assert_eq!(before.trace.why, "<b.1> runs on b: a local service call, answered");
}

#[test]
fn owner_down_hang_reads_an_empty_slot() {
    let run = run_named("owner-down", HelperForm::NodeMode, false, 1);
    let after = &run.results[1].after;
    assert_eq!(after.pid, "0");
    assert_eq!(
        after.trace.why,
        "the lookup returned 0, so PipelineRegistry.get_pool(reg) calls b's main process, which never replies: \
         the handler hangs"
    );
    assert!(run.log.iter().any(|l| l.node == "b"
        && l.event == "noticed a is gone; dropped its names: mesher_registry, mesher_registry@a@sim"));
}

#[test]
fn concurrent_registrations_leave_divergent_copies() {
    let run = run_named("concurrent-register", HelperForm::NodeMode, false, 3);
    let mut dropped: Vec<&str> = run
        .log
        .iter()
        .filter(|l| l.event.starts_with("received registration mesher_registry -> "))
        .map(|l| l.event.as_str())
        .collect();
    dropped.sort();
    assert_eq!(
        dropped,
        [
            "received registration mesher_registry -> <a.1> from a: dropped, this copy has <b.1>",
            "received registration mesher_registry -> <b.1> from b: dropped, this copy has <a.1>",
        ]
    );
}

#[test]
fn connect_returns_before_the_snapshot_arrives() {
    let run = run_text(&fixture("connect-then-lookup.scn"), HelperForm::NodeMode);
    assert_eq!(
        outcomes(&run),
        ["b@100 handle_event: hang(-) hang(-)", "b@200 handle_event: hang(-) crash(a)"]
    );
    assert_eq!(run.results[0].after.trace.calls[1].held.as_ref().unwrap().len(), 0);
}

#[test]
fn peer_lists_make_a_full_mesh() {
    let run = run_text(&fixture("full-mesh.scn"), HelperForm::NodeMode);
    assert!(
        run.log.iter().any(|l| l.node == "c" && l.event.starts_with("auto-connect(\"a@sim\"): session up")),
        "{:#?}",
        run.log
    );
    // c never connected to a itself, yet its copy has a's registry: node-mode on c crashes.
    assert_eq!(outcomes(&run), ["c@400 handle_event: ok(c) crash(a)"]);
}

#[test]
fn an_unregister_removes_whatever_pid_the_receiver_holds() {
    let run = run_text(&fixture("divergent-unregister.scn"), HelperForm::NodeMode);
    assert!(run.log.iter().any(|l| l.node == "b"
        && l.event == "received unregistration of mesher_registry from a: removed (held <b.1>)"));
    assert_eq!(outcomes(&run), ["b@300 handle_event: ok(b) ok(b)", "b@600 handle_event: ok(b) hang(-)"]);
}

#[test]
fn partition_drops_names_and_reconnecting_after_heal_restores_them() {
    let run = run_text(&fixture("partition-heal.scn"), HelperForm::NodeMode);
    assert_eq!(
        outcomes(&run),
        [
            "b@500 handle_event: ok(b) crash(a)",
            "b@700 handle_event: ok(b) hang(-)",
            "b@1000 handle_event: ok(b) hang(-)",
            "b@1300 handle_event: ok(b) crash(a)",
        ]
    );
    assert!(run.log.iter().any(|l| l.node.is_empty() && l.event == "partition: a | b; 1 session(s) lost"));
    assert!(run.log.iter().any(|l| l.event == "Node.connect(\"a@sim\") failed: unreachable (partition)"));
}

#[test]
fn node_up_is_a_fresh_standalone_node() {
    let run = run_text(&fixture("restart.scn"), HelperForm::NodeMode);
    assert_eq!(outcomes(&run), ["a@300 handle_event: hang(-) hang(-)", "a@400 handle_event: ok(a) ok(a)"]);
    assert!(run.log.iter().any(|l| l.event == "app boots: PipelineRegistry started as <a.2>"));
}

#[test]
fn events_on_a_down_node_are_ignored_and_logged() {
    let run = run_text("nodes a\nat 0 down a\nat 5 request a h\n", HelperForm::NodeMode);
    assert!(run.results.is_empty());
    let events: Vec<&str> = run.log.iter().map(|l| l.event.as_str()).collect();
    assert_eq!(events, ["went down: processes, registries and sessions gone", "request ignored: a is down"]);
}

#[test]
fn recorded_states_follow_the_log() {
    let rule = Rule { helper_form: HelperForm::NodeMode, ..Rule::default() };
    let options = Options { record_states: true, ..Options::default() };
    let run = simulate::run_rule(&built_in("late-join").unwrap(), &rule, &options).unwrap();
    let states = run.states.unwrap();
    assert_eq!(states.len(), run.log.len());
    let last = states.last().unwrap();
    assert_eq!(last[1].node, "b");
    assert_eq!(last[1].global["mesher_registry"], "<a.1>");
    assert_eq!(last[1].local["mesher_registry"], "<b.1>");
    assert_eq!(last[0].peers, ["b"]);
    assert_eq!(states[0][0].self_name, "a@sim");
}
