//! Benchmarks of the registry rewrite, included by `src/bin/bench.rs`.
//!
//! The input is the example project replicated to at least `MIN_BYTES`, each copy rewritten as
//! its own project (so the helper file, exclusions and counts apply as in real use).
//! `rewrite/parse` is the bare parse of exactly the same files; after the last `rewrite` pass
//! the ratio of the two best times is printed (goal: rewrite ≤ 1.3 × parse).

use mesh_rewrite::project::{Project, SourceFile};
use mesh_rewrite::rewrite::{rewrite, rule::Rule};
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

const MIN_BYTES: usize = 10 * 1024 * 1024;

struct Copies {
    projects: Vec<Project>,
    bytes: usize,
}

struct Best {
    parse: Option<Duration>,
    rewrite: Option<Duration>,
    rewrite_passes: usize,
}

static BEST: Mutex<Best> = Mutex::new(Best { parse: None, rewrite: None, rewrite_passes: 0 });

fn copies() -> &'static Copies {
    static COPIES: OnceLock<Copies> = OnceLock::new();
    COPIES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher");
        let mut files = Vec::new();
        load(&root, &root, &mut files);
        let project = Project::new(files);
        let once = project.size();
        assert!(once > 0, "no .mpl files under {}", root.display());
        let n = MIN_BYTES.div_ceil(once);
        println!(
            "rewrite corpus: the example project ({} files, {once} bytes) x{n} = {:.2} MB",
            project.files.len(),
            (once * n) as f64 / 1e6
        );
        Copies { projects: vec![project; n], bytes: once * n }
    })
}

fn load(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
    for entry in std::fs::read_dir(dir).expect("example project readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            load(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "mpl") {
            let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
            out.push(SourceFile::new(rel, std::fs::read_to_string(&path).expect("UTF-8 example")));
        }
    }
}

fn record(slot: fn(&mut Best) -> &mut Option<Duration>, elapsed: Duration) {
    let mut best = BEST.lock().expect("bench state");
    let entry = slot(&mut best);
    if entry.is_none_or(|b| elapsed < b) {
        *entry = Some(elapsed);
    }
}

/// `rewrite/parse`: a bare parse of every file of every copy.
pub fn parse_pass<C>(_: &C) -> usize {
    let copies = copies();
    let start = Instant::now();
    let mut errors = 0;
    for project in &copies.projects {
        for file in &project.files {
            errors += std::hint::black_box(mesh_rewrite::parse::parse(&file.text)).errors().len();
        }
    }
    record(|b| &mut b.parse, start.elapsed());
    std::hint::black_box(errors);
    copies.bytes
}

/// `rewrite`: the full rewrite (match, splice, imports, helper, reparse, report, checks) of every copy.
pub fn rewrite_pass<C>(_: &C) -> usize {
    let copies = copies();
    let rule = Rule::default();
    let start = Instant::now();
    let mut replacements = 0;
    for project in &copies.projects {
        replacements += std::hint::black_box(rewrite(project, &rule)).report.replacement_count();
    }
    record(|b| &mut b.rewrite, start.elapsed());
    assert_eq!(replacements, 41 * copies.projects.len(), "the seed's 41 replacements per copy");
    let mut best = BEST.lock().expect("bench state");
    best.rewrite_passes += 1;
    // The runner does one warm-up and then its timed passes; report once they are done.
    if best.rewrite_passes == super::ITERATIONS + 1 {
        if let (Some(p), Some(r)) = (best.parse, best.rewrite) {
            println!(
                "rewrite/parse ratio: {:.2} (best rewrite {:.0} ms, best parse {:.0} ms; goal <= 1.30)",
                r.as_secs_f64() / p.as_secs_f64(),
                r.as_secs_f64() * 1e3,
                p.as_secs_f64() * 1e3
            );
        }
    }
    copies.bytes
}
