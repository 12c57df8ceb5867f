//! `cargo xtask <task>`: the project's tasks, each installing what it needs first.

mod assets;
mod bench;
mod bench_peer;
mod dist;
mod ensure;
mod fuzz;
mod grammar;
mod http;
mod page;
mod run;
mod serve;
mod size;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  serve          build the page (development profile) and serve it at http://127.0.0.1:8080,
                 rebuilding when app/, core/, public/ or index.html change
  dist [DIR]     the release page as a static folder (pre-compressed, host header files)
  generate       core/grammar/src/ from grammar.js (tree-sitter generate, without the CLI)
  test [STEP..]  grammar corpus, native tests, wasm tests in headless Chromium,
                 release build of the page, end-to-end browser tests
  bench [NAME..] native benchmarks (parse throughput in MB/s); `page`: the release page's
                 latencies in headless Chromium (keypress → diff, load, example → report)
  bench peer [RUNS]
                 the CLI against tree-sitter and ast-grep on a 10,000-file tree, side by side
  size           where the page's gzipped bytes go: the UI, the engine, the data, the
                 bundled example and each crate, as what the page would lose without it
  fuzz [TARGET] [SECONDS]
                 mutation fuzzing of the engine's entry points (all targets, 60 s each by
                 default; targets: parse rewrite permalink bundle zip scenario simulate config)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(rest),
        Some("dist") => dist::run(rest),
        Some("generate") => grammar::generate(rest),
        Some("test") => test::run(rest),
        Some("bench") => bench::run(rest),
        Some("fuzz") => fuzz::run(rest),
        Some("size") => size::run(rest),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}
