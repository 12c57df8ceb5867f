//! What the grammar's test binaries (corpus, highlight) share.

use std::path::{Path, PathBuf};

/// The files under the crate's `test/<dir>` in the CLI's order (by name, directories walked where
/// they sort), each with its path from the crate for messages. The CLI skips hidden entries in the
/// corpus only: `skip_hidden`.
pub fn test_files(dir: &str, skip_hidden: bool) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("test").join(dir), skip_hidden, &mut files);
    files
        .into_iter()
        .map(|file| {
            let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
            (file, shown)
        })
        .collect()
}

fn walk(dir: &Path, skip_hidden: bool, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| !skip_hidden || !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, skip_hidden, files);
        } else {
            files.push(path);
        }
    }
}
