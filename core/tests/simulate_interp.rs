//! The helper interpreter: each construct of the subset, each refusal with its position, the type check.

use mesh_rewrite::simulate::helper::Helper;
use mesh_rewrite::simulate::interp::{self, Value};
use mesh_rewrite::simulate::model::{Cluster, Node, Pid};
use mesh_rewrite::simulate::typecheck;

/// a (started, peer of b): local mesher_registry = <a.1>, global mesher_registry = <b.1>,
/// global "mesher_registry@a@sim" = <a.1>. c: standalone, nothing registered.
fn cluster() -> Cluster {
    let mut c = Cluster::new(vec![Node::new("a", "a@sim"), Node::new("b", "b@sim"), Node::new("c", "c@sim")]);
    c.nodes[0].started = true;
    c.nodes[1].started = true;
    c.link(0, 1);
    let pa = c.spawn(0, "PipelineRegistry");
    let pb = c.spawn(1, "PipelineRegistry");
    c.register_local(0, "mesher_registry", pa);
    c.insert_global(0, "mesher_registry", pb);
    c.insert_global(0, "mesher_registry@a@sim", pa);
    c
}

fn helper(body: &str) -> Helper {
    Helper::load(&format!("pub fn get_registry() do\n{body}\nend\n"), "get_registry").unwrap()
}

/// Runs the helper on node `node` of `cluster()`: the PID shown, and the calls made.
fn call_on(node: usize, body: &str) -> (String, Vec<String>) {
    let c = cluster();
    let resolved = interp::call(&helper(body), &c, node).unwrap();
    let calls = resolved
        .calls
        .iter()
        .map(|t| format!("{}:{} {} -> {}", t.line.unwrap(), t.column.unwrap(), t.call, t.returned))
        .collect();
    (c.show_pid(resolved.pid), calls)
}

fn value_on(node: usize, expr: &str) -> Value {
    let c = cluster();
    interp::eval(&helper(expr).body, &c, node).unwrap().0
}

fn refusal(body: &str) -> String {
    Helper::load(&format!("pub fn get_registry() do\n{body}\nend\n"), "get_registry").unwrap_err().message
}

fn type_errors(body: &str) -> Vec<String> {
    typecheck::check(&helper(body)).iter().map(|e| e.to_string()).collect()
}

#[test]
fn let_binds_and_identifiers_read() {
    let (pid, calls) =
        call_on(0, "  let name = \"mesher_registry\"\n  let reg = Process.whereis(name)\n  reg");
    assert_eq!(pid, "<a.1>");
    assert_eq!(calls, ["3:13 Process.whereis(\"mesher_registry\") -> <a.1>"]);
}

#[test]
fn if_else_takes_one_branch_only() {
    let body = "  if true do\n    Process.whereis(\"mesher_registry\")\n  else\n    Global.whereis(\"mesher_registry\")\n  end";
    assert_eq!(
        call_on(0, body),
        ("<a.1>".into(), vec!["3:5 Process.whereis(\"mesher_registry\") -> <a.1>".into()])
    );
    let body = body.replacen("true", "false", 1);
    assert_eq!(
        call_on(0, &body),
        ("<b.1>".into(), vec!["5:5 Global.whereis(\"mesher_registry\") -> <b.1>".into()])
    );
}

#[test]
fn else_if_chains_and_node_calls() {
    let body = "  if Node.self() == \"\" do\n    Process.whereis(\"mesher_registry\")\n  else if List.length(Node.list()) == 0 do\n    Process.whereis(\"mesher_registry\")\n  else\n    Global.whereis(\"mesher_registry\")\n  end";
    let (pid, calls) = call_on(0, body);
    assert_eq!(pid, "<b.1>");
    assert_eq!(
        calls,
        [
            "2:6 Node.self() -> \"a@sim\"",
            "4:23 Node.list() -> [\"b@sim\"]",
            "4:11 List.length([\"b@sim\"]) -> 1",
            "7:5 Global.whereis(\"mesher_registry\") -> <b.1>",
        ]
    );
    // c is standalone: Node.self() is "".
    let (pid, calls) = call_on(2, body);
    assert_eq!(pid, "0");
    assert_eq!(calls, ["2:6 Node.self() -> \"\"", "3:5 Process.whereis(\"mesher_registry\") -> 0"]);
}

#[test]
fn concat_builds_a_per_node_name() {
    let (pid, calls) = call_on(0, "  Global.whereis(\"mesher_registry@\" <> Node.self())");
    assert_eq!(pid, "<a.1>");
    assert_eq!(
        calls,
        ["2:40 Node.self() -> \"a@sim\"", "2:3 Global.whereis(\"mesher_registry@a@sim\") -> <a.1>"]
    );
}

#[test]
fn case_on_literals() {
    let body = |value: &str| {
        format!(
            "  case {value} do\n    \"a@sim\" -> Process.whereis(\"mesher_registry\")\n    1 -> Global.whereis(\"mesher_registry\")\n    true -> Global.whereis(\"nothing\")\n    _ -> Process.whereis(\"nothing\")\n  end"
        )
    };
    assert_eq!(call_on(0, &body("Node.self()")).0, "<a.1>");
    assert_eq!(call_on(0, &body("1")).0, "<b.1>");
    assert_eq!(call_on(0, &body("true")).0, "0");
    assert_eq!(call_on(0, &body("\"other\"")).1, ["6:10 Process.whereis(\"nothing\") -> 0"]);
    let bound = "  case Node.self() do\n    name -> Global.whereis(\"mesher_registry@\" <> name)\n  end";
    assert_eq!(call_on(0, bound).0, "<a.1>");
}

#[test]
fn equality_literals_and_intended_pid_meaning() {
    assert_eq!(value_on(0, "  \"a\" == \"a\""), Value::Bool(true));
    assert_eq!(value_on(0, "  1 != 2"), Value::Bool(true));
    assert_eq!(value_on(0, "  1_000 == 0x3E8"), Value::Bool(true));
    assert_eq!(value_on(0, "  \"a\\\"b\" <> \"c\""), Value::Str("a\"bc".into()));
    assert_eq!(value_on(0, "  false"), Value::Bool(false));
    // Not found is raw PID 0: equal to Int 0 by the helper's intended meaning, a live PID is not.
    assert_eq!(value_on(2, "  Process.whereis(\"mesher_registry\") == 0"), Value::Bool(true));
    assert_eq!(value_on(0, "  Process.whereis(\"mesher_registry\") != 0"), Value::Bool(true));
    assert_eq!(
        value_on(0, "  Process.whereis(\"mesher_registry\")"),
        Value::Pid(Some(Pid { node: 0, serial: 1 }))
    );
}

#[test]
fn plan_helper_falls_back_to_global_when_local_is_missing() {
    let plan = mesh_rewrite::rewrite::rule::PLAN_HELPER;
    let helper = Helper::load(plan, "get_registry").unwrap();
    let mut c = cluster();
    c.nodes[0].local.clear();
    let resolved = interp::call(&helper, &c, 0).unwrap();
    assert_eq!(c.show_pid(resolved.pid), "<b.1>");
    let calls: Vec<&str> = resolved.calls.iter().map(|t| t.call.as_str()).collect();
    assert_eq!(calls, ["Process.whereis(\"mesher_registry\")", "Global.whereis(\"mesher_registry\")"]);
    assert_eq!(resolved.calls[1].read.as_deref(), Some("a's global-registry copy"));
}

#[test]
fn helper_is_found_inside_a_whole_file() {
    let file = "from Api.Types import x\n\npub fn other() do\n  1\nend\n\n# lookup\npub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend\n";
    let helper = Helper::load(file, "get_registry").unwrap();
    assert_eq!(
        helper.function_text(),
        "pub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend"
    );
    let c = cluster();
    let resolved = interp::call(&helper, &c, 0).unwrap();
    assert_eq!(resolved.calls[0].line, Some(9));
}

#[test]
fn unsupported_constructs_are_named_with_their_position() {
    let cases = [
        ("  while true do\n    1\n  end", "cannot simulate: while expression at 2:3"),
        ("  1.5", "cannot simulate: float at 2:3"),
        ("  1 + 2", "cannot simulate: operator + at 2:5"),
        ("  Map.get(m, \"k\")", "cannot simulate: call to Map.get at 2:3"),
        ("  foo()", "cannot simulate: call to foo at 2:3"),
        ("  Global.whereis(\"r@${x}\")", "cannot simulate: string interpolation at 2:21"),
        ("  case 1 do\n    n when n > 0 -> 1\n  end", "cannot simulate: case guard at 3:12"),
        ("  let (a, b) = (1, 2)\n  a", "cannot simulate: pattern `(a, b)` in let at 2:7"),
        ("  let x :: Int = 1\n  x", "cannot simulate: type annotation in let at 2:12"),
        ("  [1, 2]", "cannot simulate: list at 2:3"),
        ("  not true", "cannot simulate: unary expression at 2:3"),
        ("  :ok", "cannot simulate: atom at 2:3"),
        ("  x |> f()", "cannot simulate: operator |> at 2:5"),
        ("  case 1 do\n    Some(x) -> x\n  end", "cannot simulate: pattern `Some(x)` at 3:5"),
    ];
    for (body, message) in cases {
        assert_eq!(refusal(body), message, "{body}");
    }
}

#[test]
fn refusals_outside_the_body() {
    let err = Helper::load("pub fn get_registry(node) do\n  node\nend\n", "get_registry").unwrap_err();
    assert_eq!(err.message, "cannot simulate: parameters of get_registry at 1:20");
    let err = Helper::load("pub fn find() do\n  1\nend\n", "get_registry").unwrap_err();
    assert_eq!(err.message, "cannot simulate: the helper text has no function `get_registry`");
    let err = Helper::load("pub fn get_registry() do\n  (1\nend\n", "get_registry").unwrap_err();
    assert!(err.message.starts_with("cannot simulate: the helper has a syntax error at "), "{}", err.message);
}

#[test]
fn run_time_refusals() {
    let c = cluster();
    let err = interp::call(&helper("  \"x\""), &c, 0).unwrap_err();
    assert_eq!(err.message, "cannot simulate: get_registry returned \"x\" (String), not a Pid, at 1:23");
    let err =
        interp::call(&helper("  case 2 do\n    1 -> Process.whereis(\"r\")\n  end"), &c, 0).unwrap_err();
    assert_eq!(err.message, "cannot simulate: no case arm matches 2 at 2:3");
    let err = interp::call(&helper("  nope"), &c, 0).unwrap_err();
    assert_eq!(err.message, "cannot simulate: unbound variable `nope` at 2:3");
}

#[test]
fn type_check_follows_the_runtime_rules() {
    let plan = Helper::load(mesh_rewrite::rewrite::rule::PLAN_HELPER, "get_registry").unwrap();
    let errors: Vec<String> = typecheck::check(&plan).iter().map(|e| e.to_string()).collect();
    assert_eq!(errors, ["7:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)"]);
    let node_mode = Helper::load(mesh_rewrite::rewrite::rule::NODE_MODE_HELPER, "get_registry").unwrap();
    assert!(typecheck::check(&node_mode).is_empty());
    assert_eq!(
        type_errors("  let a = Process.whereis(\"r\")\n  if a == a do a else a end"),
        ["3:6: error[E0006]: `==` on Pid values: Pid has no Eq"]
    );
    assert_eq!(
        type_errors("  if Node.self() == \"\" do\n    Process.whereis(\"r\")\n  else\n    0\n  end"),
        ["2:3: error[E0001]: if branches have different types: Pid and Int"]
    );
    assert_eq!(
        type_errors("  Global.whereis(\"r\" <> 1)"),
        ["2:25: error[E0001]: `<>` needs String operands, found Int"]
    );
    assert_eq!(
        type_errors("  \"x\""),
        ["1:23: error[E0001]: get_registry returns String where callers expect a Pid"]
    );
    // The branch a run never takes is still checked.
    assert_eq!(
        type_errors("  if true do\n    Process.whereis(\"r\")\n  else\n    if Global.whereis(\"r\") != 0 do Global.whereis(\"r\") else Global.whereis(\"r\") end\n  end"),
        ["5:8: error[E0001]: type mismatch: Pid compared with Int (`!=`)"]
    );
}
