//! `cargo xtask test [STEP...]`: every check CI runs, in order, stopping at the first failure.

use crate::page::{self, Profile};
use crate::{ensure, grammar};
use crate::run::{cmd, output, root, status, Result, Steps};
use std::path::PathBuf;

/// The steps, in the order they run. `cargo xtask test wasm e2e` runs only those.
const STEPS: &[(&str, &str)] = &[
    ("grammar", "corpus and highlight tests; src/parser.c matches grammar.js"),
    ("native", "cargo test --workspace (native)"),
    ("wasm", "core's wasm_* tests in headless Chromium (wasm-bindgen-test)"),
    ("page", "release build of the page into dist/; no `env` imports; sizes"),
    ("e2e", "end-to-end tests: node --test + playwright-core against dist/"),
];


pub fn run(args: &[String]) -> Result {
    for a in args {
        if !STEPS.iter().any(|(name, _)| name == a) {
            let names: Vec<_> = STEPS.iter().map(|(n, what)| format!("  {n:8} {what}")).collect();
            return Err(format!("unknown step `{a}`; steps:\n{}", names.join("\n")));
        }
    }
    let wanted = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let mut steps = Steps::default();
    // Started first: the install overlaps with every step before `wasm`.
    let runner = if wanted("wasm") { ensure::wasm_bindgen_test_runner()? } else { None };
    steps.step("ensure tools", ensure::all)?;
    if wanted("grammar") {
        steps.step("grammar: corpus and highlight tests", grammar_tests)?;
        steps.step("grammar: generated parser is up to date", grammar::check_generated)?;
    }
    if wanted("native") {
        steps.step("native: cargo test --workspace", native)?;
    }
    if wanted("wasm") {
        if let Some(runner) = runner {
            steps.step("wasm: wait for the wasm-bindgen-cli install", move || runner.wait())?;
        }
        steps.step("wasm: wasm-bindgen-test in headless Chromium", wasm)?;
    }
    if wanted("page") {
        steps.step("page: release build", || page::build(Profile::Release))?;
        steps.step("page: no env imports, sizes", check_dist)?;
    }
    if wanted("e2e") {
        steps.step("e2e: node --test (playwright-core, Chromium)", e2e)?;
    }
    steps.print();
    println!("\nxtask test: all steps passed");
    Ok(())
}

/// What `tree-sitter test` checked: the corpus, the highlight tests, the queries compile (the crate's
/// unit tests). `native` runs them again, at no cost but their run.
fn grammar_tests() -> Result {
    status(&mut cmd("cargo", &["test", "-p", "tree-sitter-mesh"]))
}

fn native() -> Result {
    // Includes the page crate: its view-model tests run natively; its DOM is covered by e2e.
    status(&mut cmd("cargo", &["test", "--workspace"]))
}

fn wasm() -> Result {
    status(
        cmd("cargo", &["test", "-p", "mesh-rewrite", "--target", "wasm32-unknown-unknown", "--test", "wasm_*"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            // Chromium flags for a closed network (no background traffic); chromedriver gives a fresh profile.
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root().join("xtask/webdriver.json"))
            .env("WASM_BINDGEN_TEST_TIMEOUT", "300"),
    )
}

/// What the page may cost to download: wasm + js + css, gzipped (560,910 reached, + 5%: zopfli's gzip,
/// zips without the zip crate, one sort instantiation, maps built without sorting, no error Debug text,
/// minified CSS and JS; 686,043 before).
pub const PAGE_BUDGET_GZ: u64 = 589_000;

/// The page must not import from `env` (a libc call compiled into the grammar would, and
/// the browser would refuse to instantiate it). Then ships it: .gz/.br beside each asset, header
/// files, the size table (raw, gzip, brotli), and the budget.
pub fn check_dist() -> Result {
    let wasm = dist_file("_bg.wasm")?;
    let imports = output(&mut cmd("wasm-objdump", &["-x", "-j", "Import", &wasm.display().to_string()]))
        .ok_or("wasm-objdump failed")?;
    let env: Vec<_> = imports.lines().filter(|l| l.contains("<- env.")).collect();
    if !env.is_empty() {
        return Err(format!("{} imports from `env`:\n{}", wasm.display(), env.join("\n")));
    }
    println!("{}: no `env` imports", wasm.display());
    let budget = PAGE_BUDGET_GZ.to_string();
    let mut args = vec!["xtask/precompress.mjs", "dist"];
    // ~110 KB heavier than what ships.
    if crate::page::names_kept() {
        println!("xtask: XTASK_WASM_NAMES keeps function names: this build is not held to the budget");
    } else {
        args.extend(["--budget-gz", &budget]);
    }
    status(&mut cmd("node", &args))
}

fn dist_files(suffix: &str) -> Result<Vec<PathBuf>> {
    let dist = root().join("dist");
    let mut files: Vec<_> = std::fs::read_dir(&dist)
        .map_err(|e| format!("{}: {e} (run the `page` step first)", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(suffix) && (suffix != ".js" || !name.ends_with("_bg.js"))
        })
        .collect();
    files.sort();
    Ok(files)
}

fn dist_file(suffix: &str) -> Result<PathBuf> {
    let files = dist_files(suffix)?;
    match files.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("expected one dist/*{suffix}, found {}", files.len())),
    }
}

fn e2e() -> Result {
    let dir = root().join("tests");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".test.mjs"))
        .collect();
    files.sort();
    // page-review compares the page's downloads with what the CLI writes (built already by `native`).
    status(&mut cmd("cargo", &["build", "-p", "mesh-rewrite-cli"]))?;
    let cli = root().join("target/debug/mesh-rewrite");
    let mut c = cmd("node", &["--test", "--test-reporter=spec", "--test-concurrency=1"]);
    c.args(&files).current_dir(&dir).env("DIST_DIR", root().join("dist")).env("MESH_REWRITE_BIN", cli);
    status(&mut c)
}
