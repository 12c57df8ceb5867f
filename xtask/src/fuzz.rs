//! `cargo xtask fuzz [TARGET] [SECONDS]`: the mutation fuzzer in core/tests/fuzz.rs, optimised and for
//! longer than the test suite's few seconds, with a fresh seed each run (printed, so a finding replays).

use crate::run::{cmd, status, Result};

const TARGETS: &[&str] = &["parse", "rewrite", "permalink", "bundle", "zip", "scenario", "simulate", "config"];

pub fn run(args: &[String]) -> Result {
    let target = args.first().map_or("all", String::as_str);
    if target != "all" && !TARGETS.contains(&target) {
        return Err(format!("unknown fuzz target `{target}`; targets: all, {}", TARGETS.join(", ")));
    }
    let seconds: f64 = match args.get(1) {
        Some(s) => s.parse().map_err(|_| format!("SECONDS must be a number, not `{s}`"))?,
        None => 60.0,
    };
    let seed = std::env::var("FUZZ_SEED").ok().unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        (nanos.as_nanos() as u64).to_string()
    });
    println!("xtask: fuzzing {target} for {seconds} s per target, seed {seed} (FUZZ_SEED={seed} replays it)");
    status(
        cmd("cargo", &["test", "--release", "-p", "mesh-rewrite", "--test", "fuzz", "--", "--nocapture", "--test-threads", "2"])
            .env("FUZZ_TARGET", target)
            .env("FUZZ_SECONDS", seconds.to_string())
            .env("FUZZ_SEED", seed),
    )
}
