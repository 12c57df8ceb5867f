//! `cargo xtask bench [NAME..]`: builds the benchmark binary with optimisations and runs it;
//! `cargo xtask bench peer [RUNS]`: the CLI against its peers (see `bench_peer`).

use crate::run::{cmd, status, Result};

pub fn run(args: &[String]) -> Result {
    if args.first().is_some_and(|a| a == "peer") {
        return crate::bench_peer::run(&args[1..]);
    }
    let mut c = cmd(
        "cargo",
        &["run", "--quiet", "--profile", "bench", "-p", "xtask", "--features", "bench", "--bin", "bench", "--"],
    );
    c.args(args);
    status(&mut c)
}
