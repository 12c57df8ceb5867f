//! The page in dist/: cargo builds the app for wasm32, wasm-bindgen (the library, pinned with the
//! workspace's crate) writes the JS glue, wasm-opt 132 shrinks release builds, then `assets` gives
//! every file a content-hashed name and writes index.html. Release builds add the service worker.
//! Written in a staging folder, then swapped in whole: `cargo xtask serve` never serves half a build.

use crate::assets::Assets;
use crate::ensure::WASM_TARGET;
use crate::run::{cmd, root, status, Result};
use std::path::{Path, PathBuf};

pub const APP: &str = "mesh-playground";

#[derive(Clone, Copy, PartialEq)]
pub enum Profile {
    /// `cargo xtask serve`: quick to build, no wasm-opt, no service worker (a cache-first worker
    /// would serve stale builds while the page is being worked on).
    Dev,
    /// What ships (`test`, `dist`): the size profile `wasm-release`, wasm-opt -Oz, sw.js.
    Release,
}

impl Profile {
    /// The Cargo profile, which also names its output folder.
    fn name(self) -> &'static str {
        match self {
            Profile::Dev => "wasm-dev",
            Profile::Release => "wasm-release",
        }
    }
}

/// Whether `XTASK_WASM_NAMES` asks for a page that keeps function names: a browser profile can then
/// name the wasm's frames (README). Never shipped, so not held to the size budget.
pub fn names_kept() -> bool {
    std::env::var_os("XTASK_WASM_NAMES").is_some()
}

pub fn build(profile: Profile) -> Result {
    let out = wasm(profile, names_kept())?;
    let stage = root().join("target").join("page-stage");
    let assets = Assets::new(&stage, profile == Profile::Release)?;
    let (bg, glue) = (read(&out.join(format!("{APP}_bg.wasm")))?, read(&out.join(format!("{APP}.js")))?);
    let html = assets.index_html(&read(&root().join("index.html"))?, APP, &bg, &glue)?;
    assets.write("index.html", html.as_bytes())?;
    if profile == Profile::Release {
        status(&mut cmd("node", &["xtask/service-worker.mjs", &stage.display().to_string()]))?;
    }
    let dist = root().join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::rename(&stage, &dist).map_err(|e| format!("moving {} to {}: {e}", stage.display(), dist.display()))?;
    println!("xtask: the page is in {}", dist.display());
    Ok(())
}

/// Builds the app and returns the folder holding its wasm-bindgen output (`{APP}_bg.wasm`,
/// `{APP}.js`). A wasm that keeps function names (`names`) has a folder of its own, so measuring
/// it (`cargo xtask size`) does not make the next `dist` redo wasm-bindgen and wasm-opt.
pub fn wasm(profile: Profile, names: bool) -> Result<PathBuf> {
    status(&mut cmd("cargo", &["build", "-p", APP, "--target", WASM_TARGET, "--profile", profile.name()]))?;
    let target = root().join("target");
    let wasm = target.join(WASM_TARGET).join(profile.name()).join(format!("{APP}.wasm"));
    let folder = format!("{}{}", profile.name(), if names { "-names" } else { "" });
    let out = target.join("page-bindgen").join(folder);
    bindgen(profile, &wasm, &out, names)?;
    Ok(out)
}

/// wasm-bindgen's output for cargo's `wasm` in `out`, through wasm-opt for release. Kept while cargo
/// leaves `wasm` as it was (a stamp names it), so a build that changed no Rust skips these steps.
fn bindgen(profile: Profile, wasm: &Path, out: &Path, names: bool) -> Result {
    let meta = std::fs::metadata(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let input = format!("{:?} {} names={names}", meta.modified().ok(), meta.len());
    let stamp = out.join("made-from");
    if std::fs::read_to_string(&stamp).is_ok_and(|made| made == input) {
        println!("xtask: {} is unchanged: reusing {}", wasm.display(), out.display());
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(out);
    println!("$ wasm-bindgen --target web --no-typescript --out-dir {} {}", out.display(), wasm.display());
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .web(true)
        .and_then(|b| b.typescript(false).keep_debug(names).generate(out))
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    // A dependency's inline JS lands in snippets/, which the glue imports and dist/ does not ship.
    if out.join("snippets").exists() {
        return Err(format!("wasm-bindgen wrote {}/snippets: ship them in xtask/src/page.rs", out.display()));
    }
    if profile == Profile::Release {
        // For size, as the profile; wasm-opt takes the wasm features to allow from the wasm itself.
        let bg = out.join(format!("{APP}_bg.wasm"));
        let opt = out.join("opt.wasm");
        let mut args = vec!["-Oz"];
        args.extend(names.then_some("--debuginfo"));
        let (opt_path, bg_path) = (opt.display().to_string(), bg.display().to_string());
        args.extend(["--output", &opt_path, &bg_path]);
        status(&mut cmd("wasm-opt", &args))?;
        std::fs::rename(&opt, &bg).map_err(|e| e.to_string())?;
    }
    std::fs::write(&stamp, input).map_err(|e| format!("{}: {e}", stamp.display()))
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}
