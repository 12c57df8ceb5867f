//! `mesh-rewrite verdict`: exact output and exit codes of the built binary on the bundled example.

use std::path::PathBuf;
use std::process::{Command, Output};

fn verdict(args: &[&str]) -> Output {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher");
    Command::new(env!("CARGO_BIN_EXE_mesh-rewrite")).arg("verdict").args(args).arg(example).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn text_prints_the_matrix_the_sentences_and_the_recommendation() {
    let o = verdict(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        stdout(&o),
        "5 scenarios × 16 seeds (0..16), remote service calls crash (the runtime as it is)

form        compiles  standalone  late-join                    concurrent-register  owner-down                   registry-not-ready           worse  better
plan        no        same        same                         same                 same                         worse: crash in 16/16 seeds  16     0
node-mode   yes       same        worse: crash in 16/16 seeds  same                 worse: crash in 16/16 seeds  worse: crash in 16/16 seeds  80     0
node-local  yes       same        same                         same                 same                         same                         0      0
node-name   yes       same        same                         same                 same                         same                         0      0

plan: does not compile (api/helpers.mpl:14:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)); even as intended it crashes on node b in registry-not-ready: its handlers call node a's registry, and a service call to another node's PID crashes the caller
node-mode: compiles, but crashes on node b in late-join: its handlers call node a's registry, and a service call to another node's PID crashes the caller
node-local: compiles and is never worse than today: every request ends as it does today (5 scenarios × 16 seeds)  (recommended)
node-name: compiles and is never worse than today: every request ends as it does today (5 scenarios × 16 seeds)

Ship node-local: it compiles and is never worse than today (5 scenarios × 16 seeds).
"
    );
}

#[test]
fn json_has_the_documented_keys() {
    let o = verdict(&["--seeds", "2", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["recommended"], "node-local");
    assert_eq!(v["seeds"], 2);
    let forms: Vec<_> = v["forms"].as_array().unwrap().iter().map(|f| f["form"].as_str().unwrap()).collect();
    assert_eq!(forms, ["plan", "node-mode", "node-local", "node-name"]);
    let node_mode = &v["forms"][1];
    assert_eq!(node_mode["compiles"], true);
    assert_eq!(node_mode["diagnostics"], serde_json::json!([]));
    assert_eq!((node_mode["worse"].as_u64(), node_mode["better"].as_u64(), node_mode["same"].as_u64()), (Some(10), Some(0), Some(12)));
    let late_join = &node_mode["scenarios"][1];
    assert_eq!(late_join["scenario"], "late-join");
    assert_eq!((late_join["worse"].as_u64(), late_join["seeds_worse"].as_u64()), (Some(2), Some(2)));
    assert_eq!((late_join["better"].as_u64(), late_join["same"].as_u64()), (Some(0), Some(2)));
    assert_eq!(v["forms"][0]["compiles"], false);
    assert_eq!(
        v["forms"][0]["diagnostics"],
        serde_json::json!(["api/helpers.mpl:14:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)"])
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [&["--seeds", "0"][..], &["--seeds", "x"], &["--format", "yaml"]] {
        let o = verdict(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_mesh-rewrite")).args(["verdict", "/no/such/dir"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("mesh-rewrite: /no/such/dir: "));
}
