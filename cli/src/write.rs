//! Writing a set of files all or nothing: check every target, stage every new text in a temporary
//! file next to its target, then rename them all. A failure before the renames leaves every target
//! as it was; a failed rename puts back the targets already replaced. Readers never see half a
//! file, and a `kill -9` leaves at most temporary files, which the next run removes.

use crate::files::{is_stale_temp, temp_owner, temp_path};
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// What the target must be before it is written.
#[derive(Clone, Copy, Debug)]
pub enum Expect<'a> {
    /// Exactly these bytes, as they were read: a file changed meanwhile is not overwritten.
    Bytes(&'a [u8]),
    /// Nothing: the file is new.
    Absent,
    /// A file or nothing (an output directory the run owns).
    Any,
}

pub struct Change<'a> {
    pub target: PathBuf,
    pub bytes: &'a [u8],
    pub expect: Expect<'a>,
}

/// Writes every change or none. The error names the file that failed and says what was left.
/// Once every target passed its check, the stale temporary files among `leftovers` (an interrupted
/// run's) are removed first, so none is in the way; returns them.
pub fn write_all(changes: &[Change], leftovers: Vec<PathBuf>) -> Result<Vec<PathBuf>, String> {
    for change in changes {
        check(change).map_err(|why| format!("{}: {why}; nothing was written", change.target.display()))?;
    }
    let removed = remove_stale_temps(leftovers);
    let staged = stage(changes)?;
    commit(changes, staged)?;
    Ok(removed)
}

/// The entries of the folders `changes` write into: where a temporary file of theirs may lie.
pub fn target_dir_entries(changes: &[Change]) -> Vec<PathBuf> {
    let dirs: BTreeSet<&Path> = changes.iter().filter_map(|c| c.target.parent()).collect();
    dirs.into_iter().flat_map(|d| fs::read_dir(d).into_iter().flatten().flatten().map(|e| e.path())).collect()
}

/// Removes the temporary files among `paths` that an interrupted run left; returns them.
fn remove_stale_temps(paths: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for path in paths {
        if temp_owner(&path).is_some() && is_stale_temp(&path) && fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

fn check(change: &Change) -> Result<(), String> {
    let meta = match fs::symlink_metadata(&change.target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.to_string()),
    };
    match (change.expect, meta) {
        (_, Some(m)) if m.is_dir() => Err("is a directory, not a file".into()),
        (Expect::Absent, Some(_)) => Err("exists, but was not read as a project file".into()),
        (Expect::Bytes(_), None) => Err("no longer exists".into()),
        (Expect::Bytes(_), Some(m)) if !m.is_file() => Err("is no longer a plain file".into()),
        (Expect::Bytes(read), Some(_)) => match fs::read(&change.target) {
            Ok(now) if now == read => Ok(()),
            Ok(_) => Err("changed on disk since it was read".into()),
            Err(e) => Err(e.to_string()),
        },
        (Expect::Any, Some(m)) if !m.is_file() && !m.file_type().is_symlink() => Err("is not a plain file".into()),
        _ => Ok(()),
    }
}

/// Temporary files written and the directories created for them, to undo.
#[derive(Default)]
struct Staged {
    temps: Vec<PathBuf>,
    created_dirs: Vec<PathBuf>,
}

impl Staged {
    fn discard(&self) {
        for temp in &self.temps {
            let _ = fs::remove_file(temp);
        }
        // Deepest first; a directory something else put files in stays.
        for dir in self.created_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

fn stage(changes: &[Change]) -> Result<Staged, String> {
    let mut staged = Staged::default();
    for change in changes {
        if let Err(e) = stage_one(change, &mut staged) {
            staged.discard();
            return Err(format!("{}: {e}; nothing was written", change.target.display()));
        }
    }
    Ok(staged)
}

fn stage_one(change: &Change, staged: &mut Staged) -> io::Result<()> {
    let dir = change.target.parent().unwrap_or(Path::new("."));
    let mut missing: Vec<PathBuf> =
        dir.ancestors().take_while(|d| !d.as_os_str().is_empty() && !d.exists()).map(Path::to_path_buf).collect();
    missing.reverse();
    for d in missing {
        fs::create_dir(&d)?;
        staged.created_dirs.push(d);
    }
    let temp = temp_path(&change.target);
    // create_new: never through a link or over a file someone else made under this name.
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
    staged.temps.push(temp.clone());
    file.write_all(change.bytes)?;
    // A project file's new text is on disk before it replaces the old (after a crash, a rename
    // without it can leave an empty file). An output directory is the run's own: a rerun remakes it.
    if !matches!(change.expect, Expect::Any) {
        file.sync_all()?;
    }
    if let Ok(meta) = fs::metadata(&change.target) {
        fs::set_permissions(&temp, meta.permissions())?;
    }
    Ok(())
}

fn commit(changes: &[Change], staged: Staged) -> Result<(), String> {
    for (i, (change, temp)) in changes.iter().zip(&staged.temps).enumerate() {
        if let Err(e) = fs::rename(temp, &change.target) {
            let undone = undo(&changes[..i]);
            staged.discard();
            let what = match undone {
                Ok(()) if i == 0 => "nothing was written".to_owned(),
                Ok(()) => format!("the {i} files already written were undone"),
                Err(stuck) => format!("these files were replaced and could not be put back: {}", stuck.join(", ")),
            };
            return Err(format!("{}: {e}; {what}", change.target.display()));
        }
    }
    Ok(())
}

/// Puts back what `changes` replaced (their bytes as read) and removes what they created (and,
/// in an output directory, what they overwrote there).
fn undo(changes: &[Change]) -> Result<(), Vec<String>> {
    let mut stuck = Vec::new();
    for change in changes.iter().rev() {
        let undone = match change.expect {
            Expect::Bytes(original) => {
                let back = Change { target: change.target.clone(), bytes: original, expect: Expect::Any };
                stage(std::slice::from_ref(&back)).and_then(|s| commit(std::slice::from_ref(&back), s)).is_ok()
            }
            Expect::Absent | Expect::Any => fs::remove_file(&change.target).is_ok(),
        };
        if !undone {
            stuck.push(change.target.display().to_string());
        }
    }
    if stuck.is_empty() { Ok(()) } else { Err(stuck) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.depth() > 0)
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                let bytes = if e.file_type().is_file() { fs::read(e.path()).unwrap() } else { b"<dir>".to_vec() };
                (rel, bytes)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_failure_while_staging_leaves_every_target_as_it_was() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        fs::write(dir.join("a.mpl"), "old a").unwrap();
        fs::write(dir.join("blocker"), "a file where a folder is needed").unwrap();
        let before = tree(dir);
        let changes = [
            Change { target: dir.join("a.mpl"), bytes: b"new a", expect: Expect::Bytes(b"old a") },
            Change { target: dir.join("new/deeper/b.mpl"), bytes: b"new b", expect: Expect::Absent },
            Change { target: dir.join("blocker/c.mpl"), bytes: b"new c", expect: Expect::Any },
        ];
        let err = stage(&changes).map(|_| ()).unwrap_err();
        assert!(err.starts_with(&format!("{}: ", dir.join("blocker/c.mpl").display())), "{err}");
        assert!(err.ends_with("; nothing was written"), "{err}");
        // The staged temporary files and the folders made for them are gone.
        assert_eq!(tree(dir), before);
    }

    #[test]
    fn a_failed_rename_puts_back_what_was_replaced() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        fs::write(dir.join("a.mpl"), "old a").unwrap();
        let changes = [
            Change { target: dir.join("a.mpl"), bytes: b"new a", expect: Expect::Bytes(b"old a") },
            Change { target: dir.join("b.mpl"), bytes: b"new b", expect: Expect::Absent },
            Change { target: dir.join("c.mpl"), bytes: b"new c", expect: Expect::Absent },
        ];
        let staged = stage(&changes).unwrap();
        // Between staging and renaming, c.mpl becomes a folder with a file in it: its rename fails.
        fs::create_dir(dir.join("c.mpl")).unwrap();
        fs::write(dir.join("c.mpl/x"), "x").unwrap();
        let err = commit(&changes, staged).unwrap_err();
        assert!(err.ends_with("; the 2 files already written were undone"), "{err}");
        assert_eq!(
            tree(dir),
            [("a.mpl".into(), b"old a".to_vec()), ("c.mpl".into(), b"<dir>".to_vec()), ("c.mpl/x".into(), b"x".to_vec())]
        );
    }

    #[test]
    fn targets_are_checked_before_anything_is_written() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        fs::write(dir.join("a.mpl"), "old a").unwrap();
        fs::write(dir.join("edited.mpl"), "edited meanwhile").unwrap();
        fs::create_dir(dir.join("helpers.mpl")).unwrap();
        let before = tree(dir);
        let a = Change { target: dir.join("a.mpl"), bytes: b"new a", expect: Expect::Bytes(b"old a") };
        let cases = [
            (Change { target: dir.join("helpers.mpl"), bytes: b"h", expect: Expect::Absent }, "is a directory, not a file"),
            (Change { target: dir.join("helpers.mpl"), bytes: b"h", expect: Expect::Any }, "is a directory, not a file"),
            (Change { target: dir.join("a.mpl"), bytes: b"h", expect: Expect::Absent }, "exists, but was not read as a project file"),
            (Change { target: dir.join("gone.mpl"), bytes: b"h", expect: Expect::Bytes(b"x") }, "no longer exists"),
            (Change { target: dir.join("edited.mpl"), bytes: b"h", expect: Expect::Bytes(b"as read") }, "changed on disk since it was read"),
        ];
        for (bad, why) in cases {
            let target = bad.target.display().to_string();
            let a = Change { target: a.target.clone(), ..a };
            assert_eq!(write_all(&[a, bad], vec![]), Err(format!("{target}: {why}; nothing was written")));
            assert_eq!(tree(dir), before);
        }
    }

    #[test]
    fn stale_temporary_files_go_and_live_ones_stay() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        // A process that has exited: its id is free (not reused this fast in practice).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let own = std::process::id();
        let parent = std::os::unix::process::parent_id();
        let names = [
            format!(".a.mpl.mesh-rewrite-{dead}.tmp"),
            format!(".b.mpl.mesh-rewrite-{own}.tmp"),
            format!(".c.mpl.mesh-rewrite-{parent}.tmp"),
            format!(".d.mpl.mesh-rewrite-{dead}.tmp.bak"),
            format!("e.mpl.mesh-rewrite-{dead}.tmp"),
            ".f.mpl.mesh-rewrite-x1.tmp".to_owned(),
        ];
        for n in &names {
            fs::write(dir.join(n), "x").unwrap();
        }
        let mut removed = remove_stale_temps(names.iter().map(|n| dir.join(n)));
        removed.sort();
        assert_eq!(removed, [dir.join(&names[0]), dir.join(&names[1])]);
        let left: Vec<_> = tree(dir).into_iter().map(|(p, _)| p).collect();
        let mut kept = names[2..].to_vec();
        kept.sort();
        assert_eq!(left, kept);
    }

    #[test]
    fn long_names_get_a_temporary_name_the_file_system_takes() {
        let temp = tempfile::tempdir().unwrap();
        let name = format!("{}.mpl", "é".repeat(125));
        assert_eq!(name.len(), 254);
        let target = temp.path().join(&name);
        fs::write(&target, "old").unwrap();
        write_all(&[Change { target: target.clone(), bytes: b"new", expect: Expect::Bytes(b"old") }], vec![]).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let staged = temp_path(&target);
        assert!(staged.file_name().unwrap().len() <= 255);
        assert_eq!(temp_owner(&staged), Some(std::process::id()));
    }
}
