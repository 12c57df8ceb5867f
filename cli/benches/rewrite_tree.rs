//! CLI throughput: `mesh-rewrite rewrite` on a generated 10,000-file project, in files per second.
//! Run with `cargo bench -p mesh-rewrite-cli --bench rewrite_tree`.
//!
//! The tree is the example project plus copies of its handler files under `gen/`, so most files
//! have lookups to rewrite and imports to fix, like a real large codebase.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const FILES: usize = 10_000;
const RUNS: usize = 3;

fn main() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher");
    let temp = std::env::temp_dir().join(format!("mesh-rewrite-bench-{}", std::process::id()));
    let project = temp.join("project");
    let (files, bytes) = generate(&example, &project);
    println!("tree: {files} files, {:.1} MB", bytes as f64 / 1e6);

    let bin = env!("CARGO_BIN_EXE_mesh-rewrite");
    let check = |threads: Option<&str>| {
        best_of(|| {
            let mut cmd = Command::new(bin);
            cmd.args(["rewrite", "--check"]).arg(&project);
            if let Some(n) = threads {
                cmd.env("RAYON_NUM_THREADS", n);
            }
            let out = cmd.output().expect("runs mesh-rewrite");
            assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        })
    };
    let all = check(None);
    let one = check(Some("1"));
    let out_dir = temp.join("out");
    let write = best_of(|| {
        let _ = std::fs::remove_dir_all(&out_dir);
        let out = Command::new(bin).args(["rewrite", "--out"]).arg(&out_dir).arg(&project).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    });
    let rate = |d: Duration| files as f64 / d.as_secs_f64();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("rewrite --check: {:.0} files/s ({} threads), {:.0} files/s (1 thread)", rate(all), threads, rate(one));
    println!("rewrite --out:   {:.0} files/s (reads, rewrites and writes every file)", rate(write));
    let _ = std::fs::remove_dir_all(&temp);
}

fn best_of(mut run: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap()
}

/// Writes the example project plus generated handler copies until there are `FILES` files.
fn generate(example: &Path, project: &Path) -> (usize, usize) {
    let mut sources: Vec<(String, String)> = Vec::new();
    collect(example, example, &mut sources);
    let handlers: Vec<&(String, String)> = sources.iter().filter(|(_, t)| t.contains("Process.whereis(\"mesher_registry\")")).collect();
    let mut written: Vec<(String, &str)> = sources.iter().map(|(rel, text)| (rel.clone(), text.as_str())).collect();
    let mut i = 0;
    while written.len() < FILES {
        let (_, text) = handlers[i % handlers.len()];
        written.push((format!("gen/g{:02}/handler_{i:05}.mpl", i % 100), text));
        i += 1;
    }
    let mut bytes = 0;
    for (rel, text) in &written {
        let path: PathBuf = project.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        bytes += text.len();
    }
    let count = written.len();
    (count, bytes)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "mpl") {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}
