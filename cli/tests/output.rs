//! Where output goes and how large it gets (issue 9): a closed pipe ends quietly with 0, a full
//! disk exits 2 with a message, names of any length fit the tables, and inputs past the engine's
//! limits give their documented exit code instead of a crash (134).

use std::fs;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mesh-rewrite"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A file with one syntax error per line: its report is far more than a pipe's buffer holds.
fn many_errors(dir: &Path) -> String {
    let path = dir.join("errors.mpl");
    fs::write(&path, ")\n".repeat(5_000)).unwrap();
    path.to_str().unwrap().to_owned()
}

/// A scenario with 2,000 requests: its run is far more than a pipe's buffer holds.
fn many_requests(dir: &Path) -> String {
    let path = dir.join("busy.scn");
    fs::write(&path, format!("node a\nat 0 app a\n{}", "at 1 request a handle_event\n".repeat(2_000))).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Runs with stdout a pipe whose reader reads `keep` bytes and then closes it.
fn closed_pipe(args: &[&str], keep: usize) -> (Output, Vec<u8>) {
    let mut child = bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut head = vec![0; keep];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    (child.wait_with_output().unwrap(), head)
}

fn to_full_disk(args: &[&str]) -> Output {
    let full = fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    bin().args(args).stdout(full).output().unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly_with_0() {
    let dir = tempfile::tempdir().unwrap();
    let (file, scenario) = (many_errors(dir.path()), many_requests(dir.path()));
    for args in [vec!["parse", file.as_str()], vec!["simulate", "--scenario", scenario.as_str(), "--format", "json"]] {
        let (o, head) = closed_pipe(&args, 1);
        assert_eq!((o.status.code(), stderr(&o).as_str()), (Some(0), ""), "{args:?}");
        assert!(head == b"/" || head == b"{", "{args:?}: {head:?}");
    }
}

#[test]
fn a_full_disk_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = many_errors(dir.path());
    for args in [vec!["parse", file.as_str()], vec!["simulate"], vec!["simulate", "--scenario", "list"]] {
        let o = to_full_disk(&args);
        assert_eq!(
            (o.status.code(), stderr(&o).as_str()),
            (Some(2), "mesh-rewrite: stdout: No space left on device (os error 28)\n"),
            "{args:?}"
        );
    }
}

#[test]
fn names_of_any_length_fit_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (node, handler) = ("n".repeat(70_000), "h".repeat(66_000));
    let path = dir.path().join("long.scn");
    fs::write(&path, format!("nodes a {node}\nat 0 start a\nat 5 request {node} {handler}\n")).unwrap();
    let o = bin().args(["simulate", "--scenario", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let table_row = format!("   5  {node}  {handler}  hang    hang");
    assert!(text.lines().any(|l| l == table_row), "no row for the request");
    let header = text.lines().find(|l| l.starts_with("time")).unwrap();
    assert_eq!(header, format!("time  node{}  handler{}  before  after", " ".repeat(69_996), " ".repeat(65_993)));
    assert!(text.contains(&format!("\n  0  a{}  Node.start(\"a@sim\"): now distributed\n", " ".repeat(69_999))));
}

#[test]
fn scenarios_past_the_limits_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = (0..800).map(|i| format!("n{i}")).collect();
    let path = dir.path().join("star.scn");
    fs::write(&path, format!("nodes hub {}\n", names.join(" "))).unwrap();
    let shown = path.to_str().unwrap();
    let o = bin().args(["simulate", "--scenario", shown]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), format!("mesh-rewrite: {shown}: line 1: more than 64 nodes: the simulator's limit\n"));

    let mut text = format!("nodes {}\n", names[..64].join(" "));
    for n in &names[..64] {
        text.push_str(&format!("at 0 start {n}\nat 0 spawn {n} p\n"));
        text.extend((0..100).map(|k| format!("at 0 register global {n} {n}_{k} p\n")));
    }
    text.extend(names[1..64].iter().map(|n| format!("at 1 connect {n} n0\n")));
    fs::write(&path, text).unwrap();
    let o = bin().args(["simulate", "--scenario", shown]).output().unwrap();
    assert_eq!((o.status.code(), o.stdout.len()), (Some(2), 0));
    let message = stderr(&o);
    assert!(message.starts_with("mesh-rewrite: scenario `star` is too large to simulate: by "), "{message}");
    assert!(message.ends_with(" ms the run passed 1000000 steps (the simulator's limit; see docs/scenario-format.md)\n"));
}

#[test]
fn a_deeply_nested_project_helper_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 8_000;
    let helper = format!(
        "fn get_registry() do\n{}Process.whereis(\"mesher_registry\")\n{}end\n",
        "if true do\n".repeat(depth),
        "end\n".repeat(depth)
    );
    fs::create_dir_all(dir.path().join("api")).unwrap();
    fs::write(dir.path().join("api/helpers.mpl"), helper).unwrap();
    let o = bin().args(["simulate", "--project", dir.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).ends_with("\nmesh-rewrite: cannot simulate: nesting deeper than 100 levels at 51:4\n"), "{}", stderr(&o));
}
