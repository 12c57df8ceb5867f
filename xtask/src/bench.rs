//! `cargo xtask bench [NAME..]`: builds the benchmark binary with optimisations and runs it;
//! `cargo xtask bench peer [RUNS]`: the CLI against its peers (see `bench_peer`). `page` is
//! different: it drives the release build in dist/ (`cargo xtask test page` first) in headless
//! Chromium with `tests/bench/page.mjs` and prints the page's latencies.

use crate::run::{cmd, root, status, Result};

pub fn run(args: &[String]) -> Result {
    if args.first().is_some_and(|a| a == "peer") {
        return crate::bench_peer::run(&args[1..]);
    }
    let page = args.iter().any(|a| a == "page");
    let native: Vec<&String> = args.iter().filter(|a| *a != "page").collect();
    if !page || !native.is_empty() {
        let mut c = cmd(
            "cargo",
            &["run", "--quiet", "--profile", "bench", "-p", "xtask", "--features", "bench", "--bin", "bench", "--"],
        );
        c.args(native);
        status(&mut c)?;
    }
    if page {
        let dist = root().join("dist");
        if !dist.join("index.html").exists() {
            return Err(format!("{}: no release build; run `cargo xtask test page` first", dist.display()));
        }
        crate::ensure::apt(&["chromium", "node", "npm"])?;
        crate::ensure::node_modules()?;
        println!("page: headless Chromium against {} (tests/bench/page.mjs)", dist.display());
        status(cmd("node", &["tests/bench/page.mjs"]).env("DIST_DIR", &dist))?;
    }
    Ok(())
}
