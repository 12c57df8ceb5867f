//! A Mesh project as plain data: files with '/'-separated paths relative to the project root.
//! The CLI reads it from disk, the page from a dropped folder; neither lives here.

use crate::rewrite::rule::Rule;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

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
        crate::order::sort_by(&mut files, |a, b| a.path.cmp(&b.path));
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

/// Why a path from a config, a link or a bundle is refused: it would not name a place inside
/// the project. Paths are '/'-separated and relative to the project root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathProblem {
    Empty,
    Nul,
    Absolute,
    BackslashRooted,
    Drive,
    Parent,
    Dot,
    EmptySegment,
}

impl std::fmt::Display for PathProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            PathProblem::Empty => "is empty",
            PathProblem::Nul => "has a NUL character",
            PathProblem::Absolute => "is absolute; paths are relative to the project root",
            PathProblem::BackslashRooted => "starts with a backslash; paths are relative to the project root",
            PathProblem::Drive => "names a drive (like C:); paths are relative to the project root",
            PathProblem::Parent => "leaves the project (..)",
            PathProblem::Dot => "has a `.` segment; write it from the project root, like api/helpers.mpl",
            PathProblem::EmptySegment => "has an empty segment (// or a trailing /)",
        })
    }
}

/// Checks that `path` names a place inside the project. A backslash counts as a separator here
/// too (it is one on Windows), so `a\..\x` is refused like `a/../x`; inside a name it is allowed.
pub fn check_path(path: &str) -> Result<(), PathProblem> {
    let bytes = path.as_bytes();
    if path.is_empty() {
        return Err(PathProblem::Empty);
    }
    if path.contains('\0') {
        return Err(PathProblem::Nul);
    }
    if path.starts_with('/') {
        return Err(PathProblem::Absolute);
    }
    if path.starts_with('\\') {
        return Err(PathProblem::BackslashRooted);
    }
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Err(PathProblem::Drive);
    }
    let segments = || path.split(['/', '\\']);
    if segments().any(|s| s == "..") {
        return Err(PathProblem::Parent);
    }
    if segments().any(|s| s == ".") {
        return Err(PathProblem::Dot);
    }
    if segments().any(str::is_empty) {
        return Err(PathProblem::EmptySegment);
    }
    Ok(())
}

/// The project root for `paths` under the seed rule's layout; see `detect_root_for`.
pub fn detect_root<S: AsRef<str>>(paths: &[S]) -> String {
    detect_root_for(paths, &Rule::default())
}

/// The project root for `paths` ('/'-separated, as found): the directory holding the shallowest
/// `main.mpl` when every path lies under it. Otherwise the common parent directory of all paths
/// or one of its ancestors: the one under which most of the rule's folders (`api` of
/// `api/helpers.mpl`, of excluded files, of expected counts) exist, the deepest on a tie. So an
/// uploaded `mesher/` folder is stripped, but a project whose files all sit in `api/` keeps `api/`
/// (stripping it would change every module name and put the helper in `api/api/`).
/// Returns "" for the current directory; otherwise a prefix without a trailing '/'.
pub fn detect_root_for<S: AsRef<str>>(paths: &[S], rule: &Rule) -> String {
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
    let Some(common) = common else { return String::new() };

    let mut dirs = HashSet::new();
    for path in paths {
        let mut dir = parent(path.as_ref());
        while !dir.is_empty() && dirs.insert(dir) {
            dir = parent(dir);
        }
    }
    let rule_paths = std::iter::once(&rule.helper_file).chain(&rule.excluded_files).chain(rule.expected_counts.keys());
    let mut folders: Vec<&str> = rule_paths.map(|p| parent(p)).filter(|d| !d.is_empty()).collect();
    crate::order::sort(&mut folders);
    folders.dedup();
    let fit = |root: &str| {
        let under = |folder: &str| if root.is_empty() { folder.to_owned() } else { format!("{root}/{folder}") };
        folders.iter().filter(|f| dirs.contains(under(f).as_str())).count()
    };
    let mut best = (fit(common), common);
    let mut candidate = common;
    while !candidate.is_empty() {
        candidate = parent(candidate);
        let score = fit(candidate);
        if score > best.0 {
            best = (score, candidate);
        }
    }
    best.1.to_owned()
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
    fn a_project_laid_out_like_the_rule_keeps_its_folders() {
        // No main.mpl, every file in api/: api/ is the project's own folder, not a wrapper.
        assert_eq!(detect_root(&["api/alerts.mpl", "api/team.mpl"]), "");
        assert_eq!(detect_root(&["up/api/alerts.mpl", "up/api/team.mpl"]), "up");
        assert_eq!(detect_root(&["mesher/api/a.mpl", "mesher/ingestion/b.mpl"]), "mesher");
        let rule = Rule { helper_file: "lib/helpers.mpl".into(), ..Rule::default() };
        assert_eq!(detect_root_for(&["lib/a.mpl", "lib/b.mpl"], &rule), "");
        assert_eq!(detect_root_for(&["api/a.mpl", "api/b.mpl"], &Rule { expected_counts: Default::default(), excluded_files: vec![], ..rule }), "api");
    }

    #[test]
    fn paths_outside_the_project_are_named() {
        for ok in ["api/helpers.mpl", "a", "a b/c.mpl", "tab\there.mpl", "caf\u{e9}.mpl", "x..y.mpl", ".hidden.mpl", "a\\b.mpl"] {
            assert_eq!(check_path(ok), Ok(()), "{ok:?}");
        }
        let refused = [
            ("", PathProblem::Empty),
            ("a\0b", PathProblem::Nul),
            ("/etc/x.mpl", PathProblem::Absolute),
            ("//server/x.mpl", PathProblem::Absolute),
            ("\\x.mpl", PathProblem::BackslashRooted),
            ("\\\\server\\x.mpl", PathProblem::BackslashRooted),
            ("C:x.mpl", PathProblem::Drive),
            ("c:\\x.mpl", PathProblem::Drive),
            ("../x.mpl", PathProblem::Parent),
            ("api/../../x.mpl", PathProblem::Parent),
            ("api\\..\\..\\x.mpl", PathProblem::Parent),
            ("./api/x.mpl", PathProblem::Dot),
            ("api//x.mpl", PathProblem::EmptySegment),
            ("api/", PathProblem::EmptySegment),
        ];
        for (path, problem) in refused {
            assert_eq!(check_path(path), Err(problem), "{path:?}");
        }
        assert_eq!(PathProblem::Parent.to_string(), "leaves the project (..)");
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
