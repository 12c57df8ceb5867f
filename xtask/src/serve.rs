//! The page: `trunk serve` for development, `trunk build --release` for dist/.

use crate::ensure;
use crate::run::{cmd, status, Result};

/// `cargo xtask serve`: installs what is missing, then builds and serves with live reload.
pub fn run(args: &[String]) -> Result {
    ensure::page()?;
    println!("xtask: serving the page at http://127.0.0.1:8080 (Ctrl+C stops)");
    let mut c = cmd("trunk", &["serve"]);
    c.args(args);
    status(&mut c)
}

/// The shipped build: size-optimised wasm (wasm-opt 132 from tests/node_modules) in dist/.
pub fn build_release() -> Result {
    status(&mut cmd("trunk", &["build", "--release"]))
}
