//! `cargo xtask bench [NAME..]`: builds the benchmark binary with optimisations and runs it.

use crate::run::{cmd, status, Result};

pub fn run(args: &[String]) -> Result {
    let mut c = cmd(
        "cargo",
        &["run", "--quiet", "--profile", "bench", "-p", "xtask", "--features", "bench", "--bin", "bench", "--"],
    );
    c.args(args);
    status(&mut c)
}
