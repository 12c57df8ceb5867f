//! The scenario text format (errors name their line) and determinism (same seed, same log).

use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::simulate::{self, built_in, built_in_names, scenario, Options};

fn error(text: &str) -> String {
    scenario::parse(text, "t").unwrap_err().to_string()
}

#[test]
fn parse_errors_name_the_line() {
    let cases = [
        ("nodes a\nat 0 start b\n", "line 2: unknown node `b`"),
        ("nodes a\n\nat x start a\n", "line 3: `x` is not a time (whole milliseconds)"),
        ("nodes a\nat 5 start a\nat 4 app a\n", "line 3: time 4 is before the previous event's time 5"),
        ("nodes a\nat 0 jump a\n", "line 2: unknown event `jump`"),
        ("nodes a\nat 0 start\n", "line 2: expected `start NODE`"),
        (
            "nodes a b\nat 0 register remote a r p\n",
            "line 2: expected `register local|global NODE NAME PROCESS`",
        ),
        ("nodes a b\nat 0 partition a b\n", "line 2: expected `partition NODE... | NODE...`"),
        ("nodes a b\nat 0 partition a | a b\n", "line 2: node `a` is on both sides of the partition"),
        ("nodes a\nat 0 connect a a\n", "line 2: node `a` cannot connect to itself"),
        ("nodes a a\n", "line 1: node `a` is declared twice"),
        ("nodes a\nat 0 start a\nnode b\n", "line 3: nodes must be declared before the first event"),
        ("# only a comment\n", "line 1: no nodes declared"),
        ("nodes a\nbegin\n", "line 2: unknown line `begin`: expected `scenario`, `node`, `nodes` or `at`"),
        ("node a.b\n", "line 1: `a.b` is not a node name (letters, digits, `_`, `-`)"),
        ("nodes a\nat 0\n", "line 2: expected an event after `at 0`"),
    ];
    for (text, message) in cases {
        assert_eq!(error(text), message, "{text:?}");
    }
}

#[test]
fn every_event_form_parses() {
    let text = "scenario all\nnode a as a@10.0.0.1\nnodes b c\n\
        at 0 start a\nat 0 app a\nat 1 spawn a worker\nat 2 register local a w worker\n\
        at 3 register global a w worker\nat 4 unregister global a w\nat 5 kill a worker\n\
        at 6 connect b a\nat 7 down b\nat 8 up b\nat 9 partition a | b c\nat 10 heal\nat 11 request c h\n";
    let s = scenario::parse(text, "x").unwrap();
    assert_eq!(s.name, "all");
    assert_eq!(s.events.len(), 13);
    assert_eq!(s.nodes[0].full_name, "a@10.0.0.1");
    let json = serde_json::to_value(&s.events[10].event).unwrap();
    assert_eq!(json, serde_json::json!({"kind": "partition", "left": [0], "right": [1, 2]}));
}

#[test]
fn a_user_scenario_with_explicit_registrations_runs() {
    let text = "nodes a b\nat 0 start a\nat 0 start b\nat 0 connect a b\n\
        at 100 spawn b reg\nat 100 register global b mesher_registry reg\n\
        at 100 spawn a reg\nat 100 register local a mesher_registry reg\n\
        at 300 request a handle_event\n";
    let s = scenario::parse(text, "mine").unwrap();
    let rule = Rule { helper_form: HelperForm::NodeMode, ..Rule::default() };
    let run = simulate::run_rule(&s, &rule, &Options::default()).unwrap();
    let r = &run.results[0];
    assert_eq!((r.before.outcome.as_str(), r.after.outcome.as_str()), ("ok", "crash"));
    assert_eq!(r.after.pid, "<b.1>");
}

#[test]
fn same_seed_same_log_for_every_built_in() {
    for name in built_in_names() {
        for form in [HelperForm::Plan, HelperForm::NodeMode] {
            let rule = Rule { helper_form: form, ..Rule::default() };
            let options = Options { seed: 42, ..Options::default() };
            let first = simulate::run_rule(&built_in(name).unwrap(), &rule, &options).unwrap();
            let second = simulate::run_rule(&built_in(name).unwrap(), &rule, &options).unwrap();
            assert_eq!(first, second, "{name} {form:?}");
        }
    }
}

#[test]
fn different_seeds_change_delivery_times() {
    let rule = Rule::default();
    let times = |seed| {
        let run = simulate::run_rule(
            &built_in("late-join").unwrap(),
            &rule,
            &Options { seed, ..Options::default() },
        )
        .unwrap();
        run.log.iter().map(|l| l.time).collect::<Vec<_>>()
    };
    assert_eq!(times(1), times(1));
    assert_ne!(times(1), times(2));
    // Delays stay within the documented bounds: the snapshot reaches b 1..=40 ms after connecting.
    for seed in 0..50 {
        let run = simulate::run_rule(
            &built_in("late-join").unwrap(),
            &rule,
            &Options { seed, ..Options::default() },
        )
        .unwrap();
        let snapshot =
            run.log.iter().find(|l| l.node == "b" && l.event.starts_with("received snapshot")).unwrap();
        assert!((101..=140).contains(&snapshot.time), "seed {seed}: {}", snapshot.time);
    }
}

#[test]
fn late_join_log_with_seed_1() {
    let rule = Rule { helper_form: HelperForm::NodeMode, ..Rule::default() };
    let run = simulate::run_rule(&built_in("late-join").unwrap(), &rule, &Options::default()).unwrap();
    let log: Vec<String> = run.log.iter().map(|l| format!("{} {} {}", l.time, l.node, l.event)).collect();
    let expected = std::fs::read_to_string(format!(
        "{}/tests/fixtures/simulate/late-join-seed-1.log",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(log.join("\n") + "\n", expected);
}
