//! Installs what a task needs and is missing, saying what and why. Pinned versions live here.

use crate::page::Profile;
use crate::run::{cmd, found, output, root, status, Background, Result};
use std::process::Command;

pub const TREE_SITTER: &str = "0.27.1";
/// Must equal the `wasm-bindgen` pin in the workspace Cargo.toml and xtask's `wasm-bindgen-cli-support`.
pub const WASM_BINDGEN: &str = "0.2.130";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Binaries from Debian packages: (binary, package, why).
const APT: &[(&str, &str, &str)] = &[
    ("clang", "clang", "compiles the grammar's C code: for wasm32, and natively (a faster lexer than gcc's)"),
    ("llvm-ar", "llvm", "archives the wasm32 C objects (used by the cc crate)"),
    ("wasm-objdump", "wabt", "checks the shipped wasm has no `env` imports"),
    ("chromium", "chromium", "headless browser for wasm and end-to-end tests"),
    ("chromedriver", "chromium-driver", "drives Chromium for wasm-bindgen-test"),
    ("node", "nodejs", "evaluates grammar.js, runs the end-to-end tests and npm's wasm-opt"),
    ("npm", "npm", "installs playwright-core, binaryen (wasm-opt 132), esbuild and zopfli"),
    ("git", "git", "applies the CLI's and the page's patches in the tests (`git apply`)"),
];

pub fn wasm_target() -> Result {
    let installed = output(&mut cmd("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!("xtask: installing Rust target {WASM_TARGET}: the page and the wasm tests are built for it");
    status(&mut cmd("rustup", &["target", "add", WASM_TARGET]))
}

/// Installs the Debian packages whose binaries are missing, all in one apt run.
pub fn apt(binaries: &[&str]) -> Result {
    let missing: Vec<_> = APT
        .iter()
        .filter(|(bin, _, _)| binaries.contains(bin) && !found(bin))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    for (bin, pkg, why) in &missing {
        println!("xtask: installing apt package {pkg}: `{bin}` is missing; it {why}");
    }
    let sudo = output(&mut cmd("id", &["-u"])).is_some_and(|uid| uid.trim() != "0");
    let run = |args: &[&str]| {
        let (program, rest) = if sudo { ("sudo", args) } else { (args[0], &args[1..]) };
        status(cmd(program, rest).env("DEBIAN_FRONTEND", "noninteractive"))
    };
    run(&["apt-get", "update"])?;
    let mut install = vec!["apt-get", "install", "-y", "--no-install-recommends"];
    install.extend(missing.iter().map(|(_, pkg, _)| *pkg));
    run(&install)
}

/// The `cargo install` of `krate` at `version` (with `options`), saying why, unless `bin --version`
/// already reports it.
fn cargo_install(bin: &str, krate: &str, version: &str, options: &[&str], why: &str) -> Option<Command> {
    let current = output(&mut cmd(bin, &["--version"]));
    if current.as_deref().is_some_and(|v| v.split_whitespace().any(|w| w == version)) {
        return None;
    }
    let state = match current {
        Some(v) => format!("found {}", v.trim()),
        None => "missing".to_owned(),
    };
    println!("xtask: installing {krate} {version} ({state}): {why}");
    let mut c = cmd("cargo", &["install", krate, "--version", version]);
    c.args(options);
    Some(c)
}

/// The tree-sitter CLI, only for `cargo xtask bench peer`: the tests need none (the grammar crate's
/// tests run the corpus, xtask/grammar-gen generates the parser).
pub fn tree_sitter() -> Result {
    // The CLI measured is built as `cargo xtask test` builds it: its grammar by clang.
    apt(&["clang"])?;
    let why = "the parse peer of `cargo xtask bench peer`";
    cargo_install("tree-sitter", "tree-sitter-cli", TREE_SITTER, &["--locked"], why)
        .map_or(Ok(()), |mut install| status(&mut install))
}

/// wasm-bindgen-cli, for its wasm-bindgen-test-runner (the `wasm` test step; the page build uses
/// wasm-bindgen as a library). Its install takes minutes, so it runs in the background while the
/// steps before `wasm` build; only that binary, without TLS (it talks to chromedriver on loopback),
/// which spares compiling ring and rustls. Its own lock file is older than our toolchain allows,
/// hence no --locked.
pub fn wasm_bindgen_test_runner() -> Result<Option<Background>> {
    let why = "its wasm-bindgen-test-runner runs the wasm tests; must match the wasm-bindgen crate exactly";
    let log = root().join("target/install-wasm-bindgen-cli.log");
    let options = ["--no-default-features", "--bin", "wasm-bindgen-test-runner"];
    cargo_install("wasm-bindgen-test-runner", "wasm-bindgen-cli", WASM_BINDGEN, &options, why)
        .map(|mut install| Background::spawn(&mut install, &log))
        .transpose()
}

/// `npm ci` in tests/ when node_modules is missing or older than the lock file.
pub fn node_modules() -> Result {
    apt(&["node", "npm"])?;
    let dir = root().join("tests");
    let stamp = dir.join("node_modules/.package-lock.json");
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&stamp), modified(&dir.join("package-lock.json"))) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if !fresh {
        println!("xtask: `npm ci` in tests/: playwright-core for the browser tests; wasm-opt, esbuild, zopfli");
        let mut c = cmd("npm", &["ci", "--no-audit", "--no-fund"]);
        status(c.current_dir(&dir))?;
    }
    let version = output(&mut cmd("wasm-opt", &["--version"])).unwrap_or_default();
    if !version.contains("version 132") {
        return Err(format!("wasm-opt on the tool PATH is `{}`, expected version 132 from tests/node_modules", version.trim()));
    }
    Ok(())
}

/// Everything a build of the page needs: release builds also run npm's wasm-opt and node.
pub fn page(profile: Profile) -> Result {
    wasm_target()?;
    apt(&["clang", "llvm-ar"])?;
    match profile {
        Profile::Dev => Ok(()),
        Profile::Release => node_modules(),
    }
}

/// Everything `cargo xtask test` needs.
pub fn all() -> Result {
    apt(&["clang", "llvm-ar", "wasm-objdump", "chromium", "chromedriver", "node", "npm", "git"])?;
    page(Profile::Release)
}
