//! What `rewrite --write` and `undo` ask git: where PROJECT_DIR sits in a work tree, and which files
//! have changes that are not committed. Without git, or outside a work tree, there is nothing to ask.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};

/// PROJECT_DIR's place in its git work tree: "" at the top, "sub/dir/" below it; None when `dir` is
/// not in a work tree or git cannot be run.
pub fn prefix(dir: &Path) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel", "--show-prefix"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    lines.next()?;
    Some(lines.next().unwrap_or_default().to_owned())
}

/// Paths per `git status` run: far below any system's limit on a command line.
const PATHS_PER_RUN: usize = 1000;

/// The files among `paths` (relative to `dir`, '/'-separated) that git shows as changed, staged,
/// deleted or untracked, in path order. `prefix` is `dir`'s (see `prefix`).
pub fn uncommitted(dir: &Path, prefix: &str, paths: &[String]) -> Result<Vec<String>, String> {
    let wanted: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut dirty = BTreeSet::new();
    for chunk in paths.chunks(PATHS_PER_RUN) {
        let out = Command::new("git")
            // A file name is never a pattern.
            .arg("--literal-pathspecs")
            .arg("-C")
            .arg(dir)
            .args(["status", "--porcelain", "-z", "--untracked-files=all", "--"])
            .args(chunk)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("git status: {e}"))?;
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr);
            return Err(format!("git status in {} failed: {}; pass --force to write anyway", dir.display(), why.trim()));
        }
        // `XY PATH\0`, and for a rename or copy the old path as one more field. Paths are the work
        // tree's (porcelain ignores status.relativePaths).
        let mut fields = out.stdout.split(|&b| b == 0);
        while let Some(entry) = fields.next() {
            let (Some(xy), Some(path)) = (entry.get(..2), entry.get(3..)) else { continue };
            let renamed = xy.iter().any(|&b| b == b'R' || b == b'C');
            let old = if renamed { fields.next() } else { None };
            for path in std::iter::once(path).chain(old) {
                let path = String::from_utf8_lossy(path);
                if let Some(rel) = path.strip_prefix(prefix).filter(|rel| wanted.contains(rel)) {
                    dirty.insert(rel.to_owned());
                }
            }
        }
    }
    Ok(dirty.into_iter().collect())
}
