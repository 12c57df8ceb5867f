//! Native benchmarks of the engine, run by `cargo xtask bench [NAME..]`.
//!
//! To add one: write a `fn(&Corpus) -> usize` that does one full pass over the corpus and
//! returns the bytes it processed, and list it in `BENCHES`. Timing and reporting are shared.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// (name, what it measures, one pass over the corpus).
const BENCHES: &[(&str, &str, fn(&Corpus) -> usize)] = &[
    ("parse", "mesh_rewrite::parse::parse on every file", parse),
    ("rewrite/parse", "bare parse of the rewrite corpus (>= 10 MB)", bench_rewrite::parse_pass),
    ("rewrite", "mesh_rewrite::rewrite::rewrite of the same corpus", bench_rewrite::rewrite_pass),
];

#[path = "../bench_rewrite.rs"]
mod bench_rewrite;

const FIXTURES: &str = "public/examples/mesher";
const MIN_BYTES: usize = 5 * 1024 * 1024;
const ITERATIONS: usize = 10;

fn parse(corpus: &Corpus) -> usize {
    let mut errors = 0;
    for source in &corpus.files {
        errors += std::hint::black_box(mesh_rewrite::parse::parse(source)).errors().len();
    }
    assert_eq!(errors, corpus.errors_per_pass, "parse results changed between passes");
    corpus.bytes
}

/// The fixture files, repeated until they add up to at least `MIN_BYTES`.
struct Corpus {
    files: Vec<String>,
    bytes: usize,
    errors_per_pass: usize,
}

impl Corpus {
    fn load(root: &Path) -> Result<Corpus, String> {
        let mut paths = Vec::new();
        collect_mpl(&root.join(FIXTURES), &mut paths)?;
        paths.sort();
        let originals: Vec<String> = paths
            .iter()
            .map(|p| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display())))
            .collect::<Result<_, _>>()?;
        let once: usize = originals.iter().map(String::len).sum();
        if once == 0 {
            return Err(format!("no .mpl files with content under {FIXTURES}"));
        }
        let copies = MIN_BYTES.div_ceil(once);
        let files: Vec<String> = (0..copies).flat_map(|_| originals.iter().cloned()).collect();
        let errors_per_pass = files.iter().map(|f| mesh_rewrite::parse::parse(f).errors().len()).sum();
        println!(
            "corpus: {} files, {} lines, {once} bytes under {FIXTURES}, x{copies} = {:.2} MB; {errors_per_pass} syntax errors per pass",
            paths.len(),
            originals.iter().map(|s| s.lines().count()).sum::<usize>(),
            (once * copies) as f64 / 1e6,
        );
        Ok(Corpus { bytes: once * copies, files, errors_per_pass })
    }
}

fn collect_mpl(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_mpl(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "mpl") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    if let Some(unknown) = wanted.iter().find(|w| !BENCHES.iter().any(|(n, _, _)| n == w)) {
        let names: Vec<_> = BENCHES.iter().map(|(n, what, _)| format!("  {n}: {what}")).collect();
        eprintln!("unknown benchmark `{unknown}`; benchmarks:\n{}", names.join("\n"));
        std::process::exit(2);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the repository");
    let corpus = Corpus::load(root).unwrap_or_else(|e| {
        eprintln!("bench: {e}");
        std::process::exit(1);
    });
    for (name, what, pass) in BENCHES {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        pass(&corpus); // warm-up
        let mut times: Vec<(Duration, usize)> = (0..ITERATIONS)
            .map(|_| {
                let start = Instant::now();
                let bytes = pass(&corpus);
                (start.elapsed(), bytes)
            })
            .collect();
        times.sort();
        let mbps = |(d, bytes): (Duration, usize)| bytes as f64 / 1e6 / d.as_secs_f64();
        println!(
            "{name}: best {:.1} MB/s, median {:.1} MB/s over {ITERATIONS} passes ({what})",
            mbps(times[0]),
            mbps(times[ITERATIONS / 2]),
        );
    }
}
