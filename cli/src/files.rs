//! Finding and reading `.mpl` files: plain lists for `parse` and `simulate`, and the project walk
//! of `rewrite`, which must also know what it does not read and what an earlier run left behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every `.mpl` file under `path` (or `path` itself when it is a file), sorted.
pub fn mpl_files(path: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if fs::metadata(path)?.is_file() {
        found.push(path.to_path_buf());
    } else {
        walk(path, &mut found)?;
    }
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "mpl") {
            found.push(path);
        }
    }
    Ok(())
}

/// A file's text, or why it has none.
pub enum Text {
    Utf8(String),
    NotUtf8,
}

pub fn read_text(path: &Path) -> io::Result<Text> {
    let bytes = fs::read(path)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => Text::Utf8(s),
        Err(_) => Text::NotUtf8,
    })
}

/// A `.mpl` file of a project, found by `walk_project`.
pub struct ProjectFile {
    pub disk: PathBuf,
    /// Path relative to the project directory, '/'-separated.
    pub rel: String,
    /// For a file reached through a symbolic link: where it really is, relative to the project
    /// directory. Its changes are written there, so the link stays a link.
    pub real: Option<String>,
}

/// A `.mpl` entry of a project that is not read, and why.
pub struct NotRead {
    /// Path relative to the project directory ('/'-separated; a name that is not UTF-8 shown lossily).
    pub rel: String,
    pub disk: PathBuf,
    pub why: WhyNotRead,
}

#[derive(Debug, PartialEq, Eq)]
pub enum WhyNotRead {
    /// The file name is not UTF-8: it has no module name and no path the engine can name.
    NameNotUtf8,
    /// A symbolic link to a place outside the project: following it would rewrite another project.
    LinkOutside(PathBuf),
    /// A symbolic link to a folder that holds it: following it would never end.
    LinkLoop,
    /// A symbolic link that leads nowhere (its target is missing, or links lead in a circle).
    LinkBroken,
}

impl WhyNotRead {
    pub fn message(&self) -> String {
        match self {
            WhyNotRead::NameNotUtf8 => "the file name is not valid UTF-8; the file was not examined or changed".into(),
            WhyNotRead::LinkOutside(target) => format!(
                "a symbolic link to {}, outside the project; not followed: not examined or changed",
                target.display()
            ),
            WhyNotRead::LinkLoop => "a symbolic link to a folder that contains it; not followed".into(),
            WhyNotRead::LinkBroken => "a symbolic link that leads nowhere; not followed".into(),
        }
    }
}

/// What `walk_project` found.
#[derive(Default)]
pub struct Walk {
    /// Sorted by path.
    pub files: Vec<ProjectFile>,
    pub not_read: Vec<NotRead>,
    /// Temporary files an interrupted `--write` left behind (see `temp_owner`), any process's.
    pub temps: Vec<PathBuf>,
}

/// Every `.mpl` file under `dir`. Symbolic links to files and folders inside the project are
/// followed; links out of it, looping or broken links are listed in `not_read`, as are files
/// whose names are not UTF-8.
pub fn walk_project(dir: &Path) -> io::Result<Walk> {
    let root = fs::canonicalize(dir)?;
    let mut walk = Walk::default();
    // Folders reached through links: files under them are not where their path says.
    let mut linked: Vec<PathBuf> = Vec::new();
    let mut entries = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let why = if err.loop_ancestor().is_some() {
                    WhyNotRead::LinkLoop
                } else if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                    WhyNotRead::LinkBroken
                } else {
                    return Err(err.into());
                };
                // A broken link is only news when it stands for a Mesh file.
                if why == WhyNotRead::LinkLoop || is_mpl(&path) {
                    walk.not_read.push(NotRead { rel: relative(dir, &path), disk: path, why });
                }
                continue;
            }
        };
        let path = entry.path();
        let kind = entry.file_type();
        // The undo patches of `--write` (see `undo`), at any depth: never the project's.
        if kind.is_dir() && entry.depth() > 0 && entry.file_name() == crate::undo::DIR {
            entries.skip_current_dir();
            continue;
        }
        if entry.path_is_symlink() {
            let target = fs::canonicalize(path)?;
            if !target.starts_with(&root) {
                if kind.is_dir() {
                    entries.skip_current_dir();
                }
                if kind.is_dir() || is_mpl(path) {
                    let why = WhyNotRead::LinkOutside(target);
                    walk.not_read.push(NotRead { rel: relative(dir, path), disk: path.to_owned(), why });
                }
                continue;
            }
            if kind.is_dir() {
                linked.push(path.to_owned());
            }
        }
        if !kind.is_file() {
            continue;
        }
        if temp_owner(path).is_some() {
            walk.temps.push(path.to_owned());
            continue;
        }
        if !is_mpl(path) {
            continue;
        }
        let rel = path.strip_prefix(dir).expect("walked under dir");
        let Some(rel) = rel.to_str() else {
            walk.not_read.push(NotRead { rel: relative(dir, path), disk: path.to_owned(), why: WhyNotRead::NameNotUtf8 });
            continue;
        };
        let rel = rel.replace(std::path::MAIN_SEPARATOR, "/");
        let real = if entry.path_is_symlink() || linked.iter().any(|l| path.starts_with(l)) {
            let real = fs::canonicalize(path)?;
            let real = real.strip_prefix(&root).expect("checked inside the project");
            match real.to_str() {
                Some(r) => Some(r.replace(std::path::MAIN_SEPARATOR, "/")).filter(|r| *r != rel),
                None => {
                    walk.not_read.push(NotRead { rel, disk: path.to_owned(), why: WhyNotRead::NameNotUtf8 });
                    continue;
                }
            }
        } else {
            None
        };
        walk.files.push(ProjectFile { disk: path.to_owned(), rel, real });
    }
    walk.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    walk.not_read.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(walk)
}

fn is_mpl(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "mpl")
}

/// `path` relative to `dir`, '/'-separated, lossily when it is not UTF-8.
fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/")
}

const TEMP_MARK: &str = ".mesh-rewrite-";

/// The temporary file `--write` stages `target`'s new text in: `.NAME.mesh-rewrite-PID.tmp` next
/// to it (the same file system, so the rename is atomic; a dot file, ending in `.tmp`, so it is
/// never taken for a project file). NAME is cut short when the whole name would pass 255 bytes.
pub fn temp_path(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let suffix = format!("{TEMP_MARK}{}.tmp", std::process::id());
    let mut keep = name.len().min(255 - 1 - suffix.len());
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    dir.join(format!(".{}{suffix}", &name[..keep]))
}

/// The process id in the name of a temporary file `temp_path` makes, or None for any other file.
pub fn temp_owner(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let (name, pid) = name.strip_prefix('.')?.strip_suffix(".tmp")?.rsplit_once(TEMP_MARK)?;
    if name.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok().filter(|&pid| pid > 0 && pid <= i32::MAX as u32)
}

/// Whether a temporary file of `temp_path`'s making is left over from a run that is gone: its
/// process is no longer alive, or it is this process's id (so an earlier process had it, as this
/// run removes stale files before it makes its own).
pub fn is_stale_temp(path: &Path) -> bool {
    match temp_owner(path) {
        Some(pid) if pid == std::process::id() => true,
        Some(pid) => !process_alive(pid),
        None => false,
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Some(pid) = rustix::process::Pid::from_raw(pid as i32) else { return false };
    // EPERM: alive, but another user's.
    !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    // No portable test: a temporary file of another process is never assumed stale.
    true
}
