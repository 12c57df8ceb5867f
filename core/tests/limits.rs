//! Inputs past what the engine walks recursively or simulates (issue 9): each ends in a clear
//! error or works, never a stack overflow, a wrapped time or unbounded memory. Tests run on
//! threads with 2 MB stacks, so a recursive walk over these inputs would abort the test binary.

use mesh_rewrite::highlight::Highlighter;
use mesh_rewrite::parse::parse;
use mesh_rewrite::project::{Project, SourceFile};
use mesh_rewrite::rewrite::rewrite;
use mesh_rewrite::rewrite::rule::Rule;
use mesh_rewrite::simulate::engine::{MAX_LOG_BYTES, MAX_STEPS};
use mesh_rewrite::simulate::helper::{defines, MAX_DEPTH};
use mesh_rewrite::simulate::scenario::{self, MAX_EVENTS, MAX_NODES, MAX_TIME};
use mesh_rewrite::simulate::{self, Options, SimError};

/// `get_registry` returning a lookup wrapped in `depth` parentheses.
fn parenthesized_helper(depth: usize) -> String {
    format!(
        "fn get_registry() do\n  {}Process.whereis(\"mesher_registry\"){}\nend\n",
        "(".repeat(depth),
        ")".repeat(depth)
    )
}

fn run_helper(helper: &str) -> Result<simulate::Run, SimError> {
    let scenario = simulate::built_in("late-join").expect("a built-in");
    simulate::run(&scenario, &Rule::default(), helper, "test", &Options::default())
}

#[test]
fn a_helper_nested_to_the_limit_runs_and_one_level_more_is_refused() {
    // The body's block, the lookup call and its argument are three levels; each pair of parentheses one.
    let run = run_helper(&parenthesized_helper(MAX_DEPTH - 3)).expect("at the limit it runs");
    assert!(run.compiles && run.results.iter().all(|r| r.after.pid != "0"), "{:?}", run.results);
    let e = run_helper(&parenthesized_helper(MAX_DEPTH - 2)).unwrap_err();
    assert_eq!(e.message, "cannot simulate: nesting deeper than 100 levels at 2:117");
    assert!(!e.too_large);
}

#[test]
fn deep_helpers_are_refused_not_overflowing() {
    let ifs = 8_000;
    let helper = format!(
        "fn get_registry() do\n{}Process.whereis(\"mesher_registry\")\n{}end\n",
        "if true do\n".repeat(ifs),
        "end\n".repeat(ifs)
    );
    assert_eq!(run_helper(&helper).unwrap_err().message, "cannot simulate: nesting deeper than 100 levels at 51:4");
}

#[test]
fn a_deep_function_elsewhere_does_not_hide_the_helper() {
    let depth = 40_000;
    let text = format!(
        "fn other() do\n  {}1{}\nend\n\n{}",
        "[".repeat(depth),
        "]".repeat(depth),
        parenthesized_helper(1)
    );
    assert!(defines(&text, "get_registry"));
    let run = run_helper(&text).expect("the helper runs");
    assert_eq!(run.helper, parenthesized_helper(1).trim_end());
}

#[test]
fn deep_files_parse_rewrite_and_highlight() {
    // Three nodes a level (list, call, arguments): 30,000 deep.
    let depth = 10_000;
    let text = format!(
        "fn f() do\n  {}Process.whereis(\"mesher_registry\"){}\nend\n",
        "[f(".repeat(depth),
        ")]".repeat(depth)
    );
    let parsed = parse(&text);
    assert_eq!((parsed.errors(), parsed.sexp().matches("(list").count()), (&[][..], depth));
    let spans = Highlighter::new().spans(&parsed, None);
    assert_eq!(spans.iter().filter(|s| s.class == "function.call").count(), depth + 1);
    let outcome = rewrite(&Project::new(vec![SourceFile::new("main.mpl", text)]), &Rule::default());
    let main = outcome.report.files.iter().find(|f| f.path == "main.mpl").expect("reported");
    assert_eq!((main.replacements.len(), main.replacements[0].line), (1, 2));

    // Unclosed, the same depth is one syntax error where it opens.
    let open = format!("fn f() do\n  {}\nend\n", "[f(".repeat(depth));
    let errors: Vec<_> = parse(&open).errors().iter().map(|e| (e.line, e.column, e.message.clone())).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
}

fn scenario_error(text: &str) -> String {
    scenario::parse(text, "s").unwrap_err().to_string()
}

#[test]
fn scenarios_past_the_node_and_event_limits_are_refused() {
    let names: Vec<String> = (0..=MAX_NODES).map(|i| format!("n{i}")).collect();
    let at_limit = format!("nodes {}\nat 0 start n0\n", names[..MAX_NODES].join(" "));
    assert_eq!(scenario::parse(&at_limit, "s").expect("64 nodes are fine").nodes.len(), 64);
    assert_eq!(
        scenario_error(&format!("nodes {}\n", names.join(" "))),
        "line 1: more than 64 nodes: the simulator's limit"
    );
    let one_per_line: String = names.iter().map(|n| format!("node {n}\n")).collect();
    assert_eq!(scenario_error(&one_per_line), "line 65: more than 64 nodes: the simulator's limit");

    let events = "at 0 start a\n".repeat(MAX_EVENTS);
    assert_eq!(scenario::parse(&format!("node a\n{events}"), "s").expect("fine").events.len(), 10_000);
    assert_eq!(
        scenario_error(&format!("node a\n{events}at 0 heal\n")),
        "line 10002: more than 10000 events: the simulator's limit"
    );
}

#[test]
fn times_past_the_limit_are_refused_and_times_at_it_do_not_wrap() {
    assert_eq!(
        scenario_error("nodes a b\nat 18446744073709551615 start a\n"),
        "line 2: time 18446744073709551615 is past the latest time the simulator takes, 1000000000000"
    );
    assert_eq!(
        scenario_error(&format!("nodes a b\nat {} start a\n", MAX_TIME + 1)),
        "line 2: time 1000000000001 is past the latest time the simulator takes, 1000000000000"
    );
    let text = format!(
        "nodes a b\nat {MAX_TIME} start a\nat {MAX_TIME} start b\nat {MAX_TIME} app a\nat {MAX_TIME} connect b a\n"
    );
    let s = scenario::parse(&text, "late").expect("at the limit it parses");
    let run = simulate::run_rule(&s, &Rule::default(), &Options::default()).expect("it runs");
    let times: Vec<u64> = run.log.iter().map(|l| l.time).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "time never goes back: {times:?}");
    assert!(times.iter().all(|&t| (MAX_TIME..=MAX_TIME + 200).contains(&t)), "{times:?}");
    assert!(run.log.len() > 8 && run.log.last().unwrap().time > MAX_TIME, "messages arrive later: {:?}", run.log);
}

#[test]
fn a_star_at_the_node_limit_runs() {
    let leaves: Vec<String> = (1..MAX_NODES).map(|i| format!("n{i}")).collect();
    let mut text = format!("nodes hub {}\nat 0 start hub\nat 0 app hub\n", leaves.join(" "));
    text.extend(leaves.iter().map(|n| format!("at 1 start {n}\n")));
    text.extend(leaves.iter().map(|n| format!("at 2 connect {n} hub\n")));
    text.push_str("at 1000 request n63 handle_event\n");
    let s = scenario::parse(&text, "star").expect("it parses");
    let run = simulate::run_rule(&s, &Rule::default(), &Options::default()).expect("it runs");
    // A full mesh: every node holds a session with each of the other 63.
    let auto = run.log.iter().filter(|l| l.event.starts_with("auto-connect")).count();
    assert_eq!(auto, 64 * 63 / 2 - 63);
    assert_eq!(run.results[0].after.resolved_node.as_deref(), Some("hub"));
}

#[test]
fn runs_past_the_step_limit_stop_with_an_error() {
    // 64 nodes that each register 100 global names, then all connect: every session copies them.
    let nodes: Vec<String> = (0..MAX_NODES).map(|i| format!("n{i}")).collect();
    let mut text = format!("nodes {}\n", nodes.join(" "));
    for n in &nodes {
        text.push_str(&format!("at 0 start {n}\nat 0 spawn {n} p\n"));
        for k in 0..100 {
            text.push_str(&format!("at 0 register global {n} {n}_{k} p\n"));
        }
    }
    for n in &nodes[1..] {
        text.push_str(&format!("at 1 connect {n} n0\n"));
    }
    let s = scenario::parse(&text, "heavy").expect("it parses");
    let e = simulate::run_rule(&s, &Rule::default(), &Options::default()).unwrap_err();
    assert!(e.too_large);
    assert_eq!(MAX_STEPS, 1_000_000);
    assert!(
        e.message.starts_with("scenario `heavy` is too large to simulate: by ")
            && e.message.ends_with(" ms the run passed 1000000 steps (the simulator's limit; see docs/scenario-format.md)"),
        "{}",
        e.message
    );
}

#[test]
fn long_node_names_stop_at_the_log_size_limit() {
    // Peer lists name every peer: names of 100,000 characters fill the log long before the steps.
    let nodes: Vec<String> = (0..32).map(|i| format!("{}{i}", "n".repeat(100_000))).collect();
    let mut text = format!("nodes {}\n", nodes.join(" "));
    for n in &nodes {
        text.push_str(&format!("at 0 start {n}\n"));
    }
    for n in &nodes[1..] {
        text.push_str(&format!("at 1 connect {n} {}\n", nodes[0]));
    }
    let s = scenario::parse(&text, "long").expect("it parses");
    let e = simulate::run_rule(&s, &Rule::default(), &Options::default()).unwrap_err();
    assert_eq!(MAX_LOG_BYTES, 16 << 20);
    assert!(e.too_large && e.message.ends_with(" ms the run passed 16 MB of log (the simulator's limit; see docs/scenario-format.md)"), "{}", e.message);
}

/// Found by the fuzzer: 1,100 `app` events at one moment; with a state kept per log entry (the
/// page's timeline) every table grows at every step. Refused past the documented bound, quickly.
#[test]
fn a_timeline_too_large_to_keep_is_refused() {
    let mut text = String::from("nodes a b\nat 0 start a\nat 0 start b\nat 0 connect b a\n");
    for _ in 0..1_100 {
        text.push_str("at 200 app a\nat 200 app b\n");
    }
    let scenario = mesh_rewrite::simulate::scenario::parse(&text, "apps").unwrap();
    let rule = mesh_rewrite::rewrite::rule::Rule::default();
    let options = mesh_rewrite::simulate::Options { seed: 1, remote_calls_work: false, record_states: true };
    let err = mesh_rewrite::simulate::run_rule(&scenario, &rule, &options).unwrap_err();
    assert!(
        err.message.starts_with("scenario `apps` is too large to show step by step: by 200 ms its timeline passed 500000 table rows"),
        "{}",
        err.message
    );
    // Without the timeline the same scenario runs.
    let plain = mesh_rewrite::simulate::Options { record_states: false, ..options };
    assert!(mesh_rewrite::simulate::run_rule(&scenario, &rule, &plain).is_ok());
}
