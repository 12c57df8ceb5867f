//! A Mesh project as plain data: files with '/'-separated paths relative to the project root.
//! The CLI reads it from disk, the page from a dropped folder; neither lives here.

use serde::{Deserialize, Serialize};

pub use crate::rewrite::rule::module_name;

/// One source file: its path relative to the project root ('/'-separated) and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile { path: path.into(), text: text.into() }
    }
}

/// The files of a project, sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub files: Vec<SourceFile>,
}

impl Project {
    /// A project of `files`, sorted by path so every report lists them in the same order.
    pub fn new(mut files: Vec<SourceFile>) -> Project {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Project { files }
    }

    pub fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Total size of all texts in bytes.
    pub fn size(&self) -> usize {
        self.files.iter().map(|f| f.text.len()).sum()
    }
}

/// The project root for `paths` ('/'-separated, as found): the directory holding the shallowest
/// `main.mpl` when every path lies under it, else the common parent directory of all paths.
/// Returns "" for the current directory; otherwise a prefix without a trailing '/'.
pub fn detect_root<S: AsRef<str>>(paths: &[S]) -> String {
    let main_dir = paths
        .iter()
        .map(|p| p.as_ref())
        .filter(|p| file_name(p) == "main.mpl")
        .map(parent)
        .min_by_key(|dir| (dir.matches('/').count() + usize::from(!dir.is_empty()), *dir));
    if let Some(dir) = main_dir {
        if paths.iter().all(|p| strip_dir(p.as_ref(), dir).is_some()) {
            return dir.to_owned();
        }
    }
    let mut common: Option<&str> = None;
    for path in paths {
        let dir = parent(path.as_ref());
        common = Some(match common {
            None => dir,
            Some(c) => common_dir(c, dir),
        });
    }
    common.unwrap_or("").to_owned()
}

/// `path` relative to `root` (as returned by `detect_root`), or None when it lies outside.
pub fn strip_dir<'a>(path: &'a str, root: &str) -> Option<&'a str> {
    if root.is_empty() {
        return Some(path);
    }
    path.strip_prefix(root)?.strip_prefix('/')
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The longest directory prefix of `a` and `b` ending at a segment boundary.
fn common_dir<'a>(a: &'a str, b: &str) -> &'a str {
    let mut end = 0;
    let (mut ia, mut ib) = (a.split('/'), b.split('/'));
    while let (Some(sa), Some(sb)) = (ia.next(), ib.next()) {
        if sa != sb {
            break;
        }
        end += sa.len() + 1;
    }
    &a[..end.saturating_sub(1).min(a.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_the_main_file_directory() {
        let paths = ["repo/mesher/main.mpl", "repo/mesher/api/helpers.mpl", "repo/mesher/x/main.mpl"];
        assert_eq!(detect_root(&paths), "repo/mesher");
        assert_eq!(detect_root(&["main.mpl", "api/a.mpl"]), "");
    }

    #[test]
    fn root_falls_back_to_the_common_parent() {
        assert_eq!(detect_root(&["a/b/x.mpl", "a/b/c/y.mpl", "a/bb/z.mpl"]), "a");
        assert_eq!(detect_root(&["a/b/x.mpl"]), "a/b");
        assert_eq!(detect_root(&["x.mpl", "a/y.mpl"]), "");
        // main.mpl deeper than another file: not the root.
        assert_eq!(detect_root(&["p/sub/main.mpl", "p/other.mpl"]), "p");
        let none: [&str; 0] = [];
        assert_eq!(detect_root(&none), "");
    }

    #[test]
    fn paths_are_stripped_at_segment_boundaries() {
        assert_eq!(strip_dir("mesher/api/a.mpl", "mesher"), Some("api/a.mpl"));
        assert_eq!(strip_dir("mesherx/a.mpl", "mesher"), None);
        assert_eq!(strip_dir("a.mpl", ""), Some("a.mpl"));
    }

    #[test]
    fn projects_are_sorted() {
        let p = Project::new(vec![SourceFile::new("b.mpl", "x"), SourceFile::new("a.mpl", "yy")]);
        assert_eq!(p.files[0].path, "a.mpl");
        assert_eq!(p.size(), 3);
        assert!(p.file("b.mpl").is_some());
    }
}
