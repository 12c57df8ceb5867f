//! Mutation fuzzing of every entry point that takes user input, on stable Rust: start from real inputs
//! (the example project, the built-in scenarios, links and bundles made from them), mutate them with
//! byte, token, splice and repeat mutations, and check what must hold whatever the input:
//! no panic, time linear enough (no input here takes more than `SLOW`), and each entry point's own
//! properties (round trips, idempotence, bytes outside edits unchanged).
//!
//! `cargo test -p mesh-rewrite --test fuzz` runs each target briefly with a fixed seed (CI);
//! `cargo xtask fuzz [TARGET] [SECONDS]` runs longer with a fresh seed. The input being tried is
//! written to `target/fuzz/<target>.current` first, so an abort (stack overflow) leaves it behind;
//! a failing input is kept as `target/fuzz/<target>-<seed>-<n>.crash`.

use mesh_rewrite::bundle;
use mesh_rewrite::intake::{self, Intake, Limits};
use mesh_rewrite::parse::parse;
use mesh_rewrite::permalink::{self, Simulation, State};
use mesh_rewrite::project::{Project, SourceFile};
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::rewrite::{rewrite, Outcome};
use mesh_rewrite::simulate::{self, scenario, Options};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// More than this for one input (≤ 64 KB here) is a finding: it would freeze the page's tab.
const SLOW: Duration = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 2 });
/// Inputs grow by splicing and repeating; past this they are cut back.
const MAX_INPUT: usize = 64 * 1024;

/// Mesh tokens and shapes the mutator inserts: keywords, delimiters, the lookup, comment and string
/// openers, every newline style.
const TOKENS: &[&str] = &[
    "do", "end", "fn ", "pub fn ", "let ", "if ", "else", "case ", " -> ", "|>", "(", ")", "[", "]", "{", "}",
    ",", "\n", "\r\n", "\r", "\t", "# c\n", "## d\n", "#= ", " =#", "\"", "\"\"\"", "${", "\\", "'", "::",
    "Process.whereis(\"mesher_registry\")", "Global.whereis(\"mesher_registry\")", "from Api.Helpers import ",
    "get_registry()", "Node.self()", " != 0", " <> ", "é", "\u{feff}", "\0", "0x", "_", "1_000",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir` with extension `ext`, as (path relative to `dir`, text).
fn files(dir: &Path, ext: &str) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, ext: &str, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, ext, &mut out);
    out
}

fn example() -> Vec<(String, String)> {
    files(&root().join("public/examples/mesher"), "mpl")
}

struct Mutator {
    rng: fastrand::Rng,
    corpus: Vec<Vec<u8>>,
}

impl Mutator {
    fn pick(&mut self) -> Vec<u8> {
        let i = self.rng.usize(..self.corpus.len());
        self.corpus[i].clone()
    }

    /// One to four mutations of a corpus entry.
    fn next(&mut self) -> Vec<u8> {
        let mut data = self.pick();
        for _ in 0..self.rng.usize(1..=4) {
            self.mutate(&mut data);
        }
        data.truncate(MAX_INPUT);
        data
    }

    fn range(&mut self, len: usize) -> (usize, usize) {
        if len == 0 {
            return (0, 0);
        }
        let start = self.rng.usize(..len);
        let end = (start + self.rng.usize(1..=64.min(len - start))).min(len);
        (start, end)
    }

    fn mutate(&mut self, data: &mut Vec<u8>) {
        let at = self.rng.usize(..=data.len());
        match self.rng.u8(..7) {
            0 if !data.is_empty() => {
                let i = self.rng.usize(..data.len());
                data[i] ^= 1 << self.rng.u8(..8);
            }
            1 => {
                let token = TOKENS[self.rng.usize(..TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            2 => {
                let (a, b) = self.range(data.len());
                data.drain(a..b);
            }
            3 => {
                // Repeat a slice many times: the shape behind every super-linear case found so far.
                let (a, b) = self.range(data.len());
                let piece = data[a..b].to_vec();
                let times = self.rng.usize(2..=1 + MAX_INPUT / piece.len().max(1) / 4);
                let repeated: Vec<u8> = piece.iter().copied().cycle().take(piece.len() * times).collect();
                data.splice(b..b, repeated);
            }
            4 => {
                let other = self.pick();
                let (a, b) = self.range(other.len());
                data.splice(at..at, other[a..b].iter().copied());
            }
            5 => {
                // Deep nesting: open many brackets or blocks at one place.
                let opener: &[u8] = [&b"("[..], b"[", b"if x do ", b"fn f() do ", b"#= "][self.rng.usize(..5)];
                let depth = self.rng.usize(1..=5000);
                let nested: Vec<u8> = opener.iter().copied().cycle().take(opener.len() * depth).collect();
                data.splice(at..at, nested);
            }
            _ => {
                let b = self.rng.u8(..);
                data.insert(at, b);
            }
        }
    }
}

/// Runs `check` on mutated inputs for the target's time budget. Panics (with the saved input's path)
/// on the first input that panics or is too slow.
fn fuzz(target: &str, corpus: Vec<Vec<u8>>, check: impl Fn(&[u8])) {
    let wanted = std::env::var("FUZZ_TARGET").ok();
    if wanted.as_deref().is_some_and(|w| w != target && w != "all") {
        return;
    }
    let seconds: f64 = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = root().join("target/fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    let current = dir.join(format!("{target}.current"));
    let mut mutator = Mutator { rng: fastrand::Rng::with_seed(seed), corpus };
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut runs = 0u64;
    // The corpus itself first, unmutated: it must pass as it is.
    let mut queue: Vec<Vec<u8>> = mutator.corpus.clone();
    while Instant::now() < deadline || !queue.is_empty() {
        let input = queue.pop().unwrap_or_else(|| mutator.next());
        std::fs::write(&current, &input).unwrap();
        let start = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| check(&input)));
        let took = start.elapsed();
        runs += 1;
        let finding = match result {
            Err(e) => Some(format!(
                "panicked: {}",
                e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
            )),
            Ok(()) if took > SLOW => Some(format!("took {took:?} for {} bytes", input.len())),
            Ok(()) => None,
        };
        if let Some(why) = finding {
            let saved = dir.join(format!("{target}-{seed}-{runs}.crash"));
            std::fs::write(&saved, &input).unwrap();
            panic!("fuzz {target}: {why}; input saved as {}", saved.display());
        }
    }
    let _ = std::fs::remove_file(&current);
    eprintln!("fuzz {target}: {runs} inputs, seed {seed}, {seconds} s, no finding");
}

fn text(input: &[u8]) -> String {
    String::from_utf8_lossy(input).into_owned()
}

fn as_bytes(items: Vec<String>) -> Vec<Vec<u8>> {
    items.into_iter().map(String::into_bytes).collect()
}

#[test]
fn fuzz_parse() {
    fuzz("parse", as_bytes(example().into_iter().map(|(_, t)| t).collect()), |input| {
        let source = text(input);
        let parsed = parse(&source);
        for e in parsed.errors() {
            assert!(e.start_byte <= e.end_byte && e.end_byte <= source.len(), "{e:?}");
            assert!(e.line >= 1 && e.column >= 1, "{e:?}");
        }
        assert_eq!(parse(&source).errors(), parsed.errors(), "parsing is deterministic");
    });
}

/// The rewrite of a mutated file placed in the example's layout, with the example's helper file.
fn rewrite_one(path: &str, source: &str, rule: &Rule) -> (Project, Outcome) {
    let helpers = example().into_iter().find(|(p, _)| p == "api/helpers.mpl").unwrap().1;
    let mut files = vec![SourceFile::new(path, source)];
    if path != "api/helpers.mpl" {
        files.push(SourceFile::new("api/helpers.mpl", helpers));
    }
    let project = Project::new(files);
    let outcome = rewrite(&project, rule);
    (project, outcome)
}

#[test]
fn fuzz_rewrite() {
    let corpus = as_bytes(example().into_iter().map(|(_, t)| t).collect());
    fuzz("rewrite", corpus, |input| {
        let source = text(input);
        let form = HelperForm::ALL[input.len() % 4];
        let rule = Rule { helper_form: form, ..Rule::default() };
        let (_, outcome) = rewrite_one("api/fuzzed.mpl", &source, &rule);
        let file = outcome.files.iter().find(|f| f.path == "api/fuzzed.mpl").unwrap();
        let report = outcome.report.files.iter().find(|f| f.path == "api/fuzzed.mpl").unwrap();
        if parse(&source).has_errors() {
            assert_eq!(file.text, source, "a file with syntax errors is never rewritten");
            return;
        }
        assert!(!parse(&file.text).has_errors(), "the rewrite of a clean file parses:\n{}", file.text);
        let line_diff = mesh_rewrite::diff::patch(&file.path, file.original.as_deref(), &file.text);
        assert_eq!(file.patch(), line_diff, "the patch read off the rewrite's splices is the line diff's");
        // Put every replaced call back: what remains differs from the input only by import lines
        // (a merged or added `from … import`, and the blank line that sets an added one apart).
        let mut restored = file.text.clone();
        for r in report.replacements.iter().rev() {
            restored.replace_range(r.new_start_byte..r.new_end_byte, &source[r.start_byte..r.end_byte]);
        }
        let changed = mesh_rewrite::diff::hunks(&source, &restored);
        for line in changed.iter().flat_map(|h| &h.lines) {
            use mesh_rewrite::diff::LineKind::*;
            match line.kind {
                Context => {}
                Added | Removed => assert!(
                    line.text.trim_start().starts_with("from ") || (line.kind == Added && line.text.trim().is_empty()),
                    "only import lines may change outside replacements: {:?} {:?}",
                    line.kind,
                    line.text
                ),
            }
        }
        // A second run changes nothing.
        let again = Project::new(outcome.files.iter().map(|f| SourceFile::new(&f.path, &f.text)).collect());
        let second = rewrite(&again, &rule);
        assert!(!second.changed(), "second run changed:\n{}", second.patch());
    });
}

fn example_state() -> State {
    State {
        files: example().into_iter().take(6).collect(),
        rule: Rule { helper_form: HelperForm::NodeLocal, ..Rule::default() },
        selected: Some("api/alerts.mpl".into()),
        view: "split".into(),
        simulation: Simulation { scenario: "owner-down".into(), seed: 3, step: 2, remote_calls_work: true },
        ..State::default()
    }
}

#[test]
fn fuzz_permalink() {
    let small = State { files: vec![("main.mpl".into(), "fn main() do\n  1\nend\n".into())], ..State::default() };
    let example = example();
    let base = Some(permalink::Baseline { files: &example });
    let mut edited = example_state();
    edited.files = example.clone();
    edited.files[3].1.push_str("\nfn more() do\n  1\nend\n");
    let corpus = as_bytes(vec![
        permalink::encode(&example_state(), None),
        permalink::encode(&edited, base),
        permalink::encode_v1(&small),
    ]);
    fuzz("permalink", corpus, |input| {
        if let Ok(state) = permalink::decode(&text(input), base) {
            let again = permalink::encode(&state, base);
            assert_eq!(permalink::decode(&again, base), Ok(made_here(state)), "a decoded link re-encodes to itself");
        }
    });
}

/// What writing `state` again gives: the same state, recorded as made by this engine.
fn made_here(state: State) -> State {
    State { engine: Some(mesh_rewrite::version().to_owned()), ..state }
}

#[test]
fn fuzz_bundle() {
    let corpus = as_bytes(vec![bundle::to_json(&example_state()), bundle::to_json(&State::default())]);
    fuzz("bundle", corpus, |input| {
        if let Ok(state) = bundle::from_json(&text(input)) {
            assert_eq!(bundle::from_json(&bundle::to_json(&state)), Ok(made_here(state)), "a bundle re-encodes to itself");
        }
    });
}

#[test]
fn fuzz_zip() {
    // Zips as the page writes them (four of the example's files) and as Python's zipfile does (stored,
    // deflated, bzip2, a bad CRC).
    let python = std::fs::read(root().join("core/tests/fixtures/intake/python-zipfile.zip")).unwrap();
    fuzz("zip", vec![intake::zip_files(&example()[..4]).unwrap(), python], |input| {
        let limits = Limits { max_file_bytes: 64 * 1024, max_project_bytes: 256 * 1024, max_files: 50 };
        let mut intake = Intake::new(limits);
        intake.offer("fuzz.zip", input);
        assert!(intake.files.len() <= limits.max_files);
        assert!(intake.files.iter().map(|(_, t)| t.len()).sum::<usize>() <= limits.max_project_bytes);
        // What was taken, zipped again, comes back the same.
        let mut again = Intake::new(limits);
        // Every path taken fits in a zip (cut at 64 KB, a path would not).
        again.offer("again.zip", &intake::zip_files(&intake.files).expect("taken paths fit in a zip"));
        assert_eq!(again.files, intake.files);
        assert!(again.skipped.is_empty(), "{:?}", again.skipped);
    });
}

fn scenario_texts() -> Vec<String> {
    let mut all: Vec<String> = files(&root().join("core/src/simulate/scenarios"), "scn").into_iter().map(|(_, t)| t).collect();
    all.extend(files(&root().join("core/tests/fixtures/simulate"), "scn").into_iter().map(|(_, t)| t));
    all
}

#[test]
fn fuzz_scenario() {
    let rule = Rule { helper_form: HelperForm::NodeName, ..Rule::default() };
    fuzz("scenario", as_bytes(scenario_texts()), |input| {
        if let Ok(s) = scenario::parse(&text(input), "fuzzed") {
            let options = Options { seed: 1, remote_calls_work: false, record_states: true };
            let a = simulate::run_rule(&s, &rule, &options);
            assert_eq!(a, simulate::run_rule(&s, &rule, &options), "same seed, same run");
        }
    });
}

#[test]
fn fuzz_simulate() {
    let helpers: Vec<String> = HelperForm::ALL
        .into_iter()
        .filter(|f| *f != HelperForm::Custom)
        .map(|f| Rule { helper_form: f, ..Rule::default() }.helper_source())
        .collect();
    let scenarios: Vec<_> = simulate::built_in_names().iter().filter_map(|n| simulate::built_in(n)).collect();
    fuzz("simulate", as_bytes(helpers), |input| {
        let rule = Rule { helper_form: HelperForm::Custom, custom_helper: text(input), ..Rule::default() };
        for s in &scenarios {
            let _ = simulate::run_rule(s, &rule, &Options::default());
        }
    });
}

#[test]
fn fuzz_config() {
    let corpus = as_bytes(vec![
        toml::to_string(&Rule::default()).unwrap(),
        "helper_name = \"find_registry\"\nhelper_form = \"node-name\"\nhelper_file = \"lib/reg.mpl\"\n[expected_counts]\n\"api/a.mpl\" = 1\n".into(),
    ]);
    let source = example().into_iter().find(|(p, _)| p == "api/detail.mpl").unwrap().1;
    fuzz("config", corpus, |input| {
        if let Ok(rule) = toml::from_str::<Rule>(&text(input)) {
            let (_, outcome) = rewrite_one("api/detail.mpl", &source, &rule);
            assert!(outcome.files.iter().any(|f| f.path == "api/detail.mpl"));
            // A rule that validates makes code that parses, in files inside the project.
            if rule.validate().is_ok() && rule.helper_form != HelperForm::Custom {
                for f in &outcome.files {
                    assert_eq!(mesh_rewrite::project::check_path(&f.path), Ok(()), "{}", f.path);
                    assert!(!parse(&f.text).has_errors(), "{} does not parse:\n{}", f.path, f.text);
                }
            }
        }
    });
}
