//! Shared by the rewrite tests: loading projects from disk and comparing with golden files.
#![allow(dead_code)]

use mesh_rewrite::project::{Project, SourceFile};
use std::fs;
use std::path::{Path, PathBuf};

/// The bundled example project (the seed's mesher application).
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher")
}

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rewrite").join(name)
}

/// Every `.mpl` file under `dir`, with '/'-separated paths relative to it.
pub fn load(dir: &Path) -> Project {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<SourceFile>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else if path.extension().is_some_and(|e| e == "mpl") {
                let rel = path.strip_prefix(root).unwrap().to_str().unwrap().replace('\\', "/");
                files.push(SourceFile::new(rel, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    Project::new(files)
}

/// A project from (path, text) pairs.
pub fn project(files: &[(&str, &str)]) -> Project {
    Project::new(files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect())
}

/// Compares `actual` with the golden file `name`, byte for byte; `UPDATE_GOLDEN=1` rewrites it.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/rewrite").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        if fs::read_to_string(&path).ok().as_deref() != Some(actual) {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, actual).unwrap();
            eprintln!("UPDATE_GOLDEN: rewrote {}", path.display());
        }
        return;
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    if expected != actual {
        let diff = mesh_rewrite::diff::patch(name, Some(&expected), actual);
        panic!("{name} differs from its golden file (UPDATE_GOLDEN=1 regenerates it):\n{diff}");
    }
}
