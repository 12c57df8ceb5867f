//! `mesh-rewrite undo [PROJECT_DIR]`, and the patch it applies.
//!
//! Before `rewrite --write` changes a file it leaves the reverse patch in
//! PROJECT_DIR/.mesh-rewrite/undo-STAMP.patch: a git patch from the written texts back to the texts as
//! read, with the created helper file deleted. Its paths are as `git diff` writes them, relative to the
//! top of the git work tree that holds PROJECT_DIR (PROJECT_DIR itself outside one), so `git apply`
//! run in PROJECT_DIR restores every file byte for byte. `undo` applies the latest such patch itself,
//! only when every file is exactly as the patch expects, and then renames it to `….patch.applied`.

use crate::exit;
use crate::git;
use crate::write::{write_all, Change, Expect};
use mesh_rewrite::diff;
use mesh_rewrite::export::shell_word;
use mesh_rewrite::project::check_path;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The folder under PROJECT_DIR that holds the undo patches; never read as part of the project.
pub const DIR: &str = ".mesh-rewrite";
/// What an applied patch's name gets.
const APPLIED: &str = ".applied";
/// Keeps the folder out of `git status` and `git add -A`.
const GITIGNORE: &[u8] = b"# mesh-rewrite's undo patches: not part of the project.\n*\n";

#[derive(clap::Args)]
pub struct Args {
    /// The project that `rewrite --write` changed.
    #[arg(default_value = ".")]
    project_dir: PathBuf,
}

/// The undo patch of one `--write`, ready to be written first among its files.
pub struct Undo {
    project_dir: PathBuf,
    name: String,
    patch: String,
}

impl Undo {
    /// The reverse of writing `files`: each with its path relative to PROJECT_DIR, its text as read
    /// (None for a file the write creates) and the text written. `work_tree`: PROJECT_DIR's place in
    /// its git work tree (`git::prefix`), None outside one.
    pub fn new<'a>(
        project_dir: &Path,
        work_tree: Option<&str>,
        files: impl IntoIterator<Item = (String, Option<&'a str>, &'a str)>,
    ) -> Undo {
        let base = work_tree.unwrap_or_default();
        let patch = files
            .into_iter()
            .map(|(path, read, written)| {
                let path = format!("{base}{path}");
                match read {
                    Some(read) => diff::patch(&path, Some(written), read),
                    None => diff::deletion_patch(&path, written),
                }
            })
            .collect();
        let folder = project_dir.join(DIR);
        let name = fresh_name(&folder, &utc_stamp(SystemTime::now()));
        Undo { project_dir: project_dir.to_owned(), name, patch }
    }

    /// The files to write before any project file: the patch (and the folder's .gitignore when new).
    pub fn changes(&self) -> Vec<Change<'_>> {
        let folder = self.project_dir.join(DIR);
        let ignore = folder.join(".gitignore");
        let new_ignore = fs::symlink_metadata(&ignore).is_err_and(|e| e.kind() == io::ErrorKind::NotFound);
        let ignore = new_ignore.then_some(Change { target: ignore, bytes: GITIGNORE, expect: Expect::Absent });
        let patch = Change { target: folder.join(&self.name), bytes: self.patch.as_bytes(), expect: Expect::Absent };
        ignore.into_iter().chain([patch]).collect()
    }

    /// The folder's entries: where an interrupted run may have left a temporary file.
    pub fn leftovers(&self) -> Vec<PathBuf> {
        fs::read_dir(self.project_dir.join(DIR)).into_iter().flatten().flatten().map(|e| e.path()).collect()
    }

    /// The line that tells how to undo the write.
    pub fn note(&self) -> String {
        let patch = format!("{DIR}/{}", self.name);
        if self.project_dir == Path::new(".") {
            format!("undo: git apply {patch} (or mesh-rewrite undo)")
        } else {
            let dir = shell_word(&self.project_dir.display().to_string());
            format!("undo: git -C {dir} apply {patch} (or mesh-rewrite undo {dir})")
        }
    }
}

/// `YYYYMMDDTHHMMSSZ` (UTC) of `t`.
fn utc_stamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, time) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm), from 0000-03-01 eras.
    let z = days as i64 + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", time / 3_600, time % 3_600 / 60, time % 60)
}

/// `undo-STAMP.patch`, or `undo-STAMP-N.patch` (N from 2) when that name is taken, applied or not.
fn fresh_name(folder: &Path, stamp: &str) -> String {
    let free = |name: &String| [name.clone(), format!("{name}{APPLIED}")].iter().all(|n| fs::symlink_metadata(folder.join(n)).is_err());
    (1..)
        .map(|n| if n == 1 { format!("undo-{stamp}.patch") } else { format!("undo-{stamp}-{n}.patch") })
        .find(free)
        .expect("some counter is free")
}

/// Where an undo patch's name puts it among the others: its stamp, then its counter.
fn order(name: &str) -> Option<(String, u64)> {
    let stem = name.strip_prefix("undo-")?.strip_suffix(".patch")?;
    match stem.split_once('-') {
        Some((stamp, n)) => Some((stamp.to_owned(), n.parse().ok().filter(|&n| n >= 2)?)),
        None => Some((stem.to_owned(), 1)),
    }
}

pub fn run(args: Args) -> u8 {
    match undo(&args.project_dir) {
        Ok(()) => exit::OK,
        Err(message) => {
            eprintln!("mesh-rewrite: {message}");
            exit::USAGE
        }
    }
}

fn undo(dir: &Path) -> Result<(), String> {
    let folder = dir.join(DIR);
    let names: Vec<String> = match fs::read_dir(&folder) {
        Ok(entries) => entries.flatten().filter_map(|e| e.file_name().into_string().ok()).collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("{}: {e}", folder.display())),
    };
    let latest = names.into_iter().filter_map(|name| order(&name).map(|key| (key, name))).max();
    let Some((_, name)) = latest else {
        return Err(format!("{}: no undo patch (nothing to undo)", folder.display()));
    };
    let shown = format!("{DIR}/{name}");
    let path = folder.join(&name);
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let files = parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let base = git::prefix(dir).unwrap_or_default();

    // Every file is checked before anything is written.
    let mut restores = Vec::new();
    let mut removals = Vec::new();
    for f in files {
        let rel = f.path.strip_prefix(&base).filter(|rel| check_path(rel).is_ok()).ok_or_else(|| {
            format!("{}: names {:?}, which is not in {}; nothing was undone", path.display(), f.path, dir.display())
        })?;
        let target = dir.join(rel);
        let now = fs::read(&target).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => format!("{rel}: no longer exists; nothing was undone"),
            _ => format!("{rel}: {e}; nothing was undone"),
        })?;
        let back = std::str::from_utf8(&now)
            .ok()
            .and_then(|now| f.apply(now))
            .ok_or_else(|| format!("{rel}: changed since {shown} was written; nothing was undone"))?;
        if f.delete {
            removals.push((rel.to_owned(), target, now));
        } else {
            restores.push((rel.to_owned(), target, now, back));
        }
    }
    let changes: Vec<Change> = restores
        .iter()
        .map(|(_, target, now, back)| Change { target: target.clone(), bytes: back.as_bytes(), expect: Expect::Bytes(now) })
        .collect();
    write_all(&changes, Vec::new())?;
    for (rel, target, was) in &removals {
        let restored = if restores.is_empty() { String::new() } else { "; the other files were restored".to_owned() };
        match fs::read(target) {
            Ok(now) if now == *was => {}
            _ => return Err(format!("{rel}: changed while undoing, so it was not removed{restored}")),
        }
        fs::remove_file(target).map_err(|e| format!("{rel}: {e}; it was not removed{restored}"))?;
        // As `git apply` does: the folders the file leaves empty go too.
        for folder in target.ancestors().skip(1).take_while(|a| *a != dir && a.starts_with(dir)) {
            if fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
    let applied = folder.join(format!("{name}{APPLIED}"));
    fs::rename(&path, &applied).map_err(|e| format!("{}: {e}; the files were restored", path.display()))?;
    for (rel, ..) in &restores {
        eprintln!("restored {rel}");
    }
    for (rel, ..) in &removals {
        eprintln!("removed {rel}");
    }
    eprintln!("undo: applied {shown} (kept as {shown}{APPLIED})");
    Ok(())
}

/// One file's part of a patch.
#[derive(Debug, PartialEq, Eq)]
struct FilePatch {
    /// As written in the patch (without `a/`).
    path: String,
    delete: bool,
    hunks: Vec<Hunk>,
}

#[derive(Debug, PartialEq, Eq)]
struct Hunk {
    /// Index of the first line the hunk replaces (0-based).
    at: usize,
    /// The lines it expects there (context and removed), each with its line ending.
    old: Vec<String>,
    /// The lines it puts there (context and added).
    new: Vec<String>,
    /// It ends in a change, not in context: it must end where the file ends (as for `git apply`).
    at_end: bool,
}

impl FilePatch {
    /// The text after the patch, or None when `now` is not exactly what each hunk expects where it
    /// expects it (no offsets, no fuzz), or, for a deletion, holds more than the patch removes.
    fn apply(&self, now: &str) -> Option<String> {
        let lines: Vec<&str> = now.split_inclusive('\n').collect();
        let mut out = String::with_capacity(now.len());
        let mut done = 0;
        for h in &self.hunks {
            let fits = |end: usize| h.at >= done && end <= lines.len() && (!h.at_end || end == lines.len());
            let end = h.at.checked_add(h.old.len()).filter(|&end| fits(end))?;
            if lines[h.at..end].iter().ne(h.old.iter()) {
                return None;
            }
            out.extend(lines[done..h.at].iter().copied());
            out.extend(h.new.iter().map(String::as_str));
            done = end;
        }
        out.extend(lines[done..].iter().copied());
        (!self.delete || out.is_empty()).then_some(out)
    }
}

/// The file patches of a git patch as `diff::patch` and `diff::deletion_patch` write them.
fn parse(text: &str) -> Result<Vec<FilePatch>, String> {
    let mut files: Vec<FilePatch> = Vec::new();
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("diff --git ") {
            files.push(FilePatch { path: String::new(), delete: false, hunks: Vec::new() });
            continue;
        }
        let Some(f) = files.last_mut() else { return Err("not a patch: it does not start with `diff --git`".into()) };
        let line_text = line.strip_suffix('\n').unwrap_or(line);
        if line_text.starts_with("deleted file mode ") {
            f.delete = true;
        } else if let Some(name) = line_text.strip_prefix("--- ") {
            f.path = git_path(name).ok_or_else(|| format!("cannot read the file name in {line_text:?}"))?;
        } else if let Some(header) = line_text.strip_prefix("@@ -") {
            let bad = || format!("not a hunk header: {line_text:?}");
            let (old, rest) = header.split_once(" +").ok_or_else(bad)?;
            let (new, _) = rest.split_once(" @@").ok_or_else(bad)?;
            let ((old_start, old_len), (_, new_len)) = (range(old).ok_or_else(bad)?, range(new).ok_or_else(bad)?);
            let at = if old_len == 0 { old_start } else { old_start - 1 };
            let mut hunk = Hunk { at, old: Vec::new(), new: Vec::new(), at_end: false };
            let mut last = ' ';
            while let Some(body) = lines.next_if(|l| l.starts_with([' ', '-', '+', '\\'])) {
                let (mark, content) = body.split_at(1);
                match mark {
                    "\\" => {
                        // `\ No newline at end of file`: the line before ends without one.
                        for side in [(last != '+').then_some(&mut hunk.old), (last != '-').then_some(&mut hunk.new)] {
                            if let Some(l) = side.and_then(|side| side.last_mut()) {
                                l.pop();
                            }
                        }
                    }
                    "-" => hunk.old.push(content.to_owned()),
                    "+" => hunk.new.push(content.to_owned()),
                    _ => {
                        hunk.old.push(content.to_owned());
                        hunk.new.push(content.to_owned());
                    }
                }
                if mark != "\\" {
                    last = mark.chars().next().unwrap_or(' ');
                }
            }
            hunk.at_end = last != ' ';
            if hunk.old.len() != old_len || hunk.new.len() != new_len {
                return Err(format!("the hunk {line_text:?} does not hold the lines it counts"));
            }
            f.hunks.push(hunk);
        }
    }
    match files.iter().find(|f| f.path.is_empty()) {
        Some(_) => Err("a file's part has no `--- a/PATH` line".into()),
        None => Ok(files),
    }
}

/// `START,LEN` or `START` (LEN 1) of a hunk header.
fn range(text: &str) -> Option<(usize, usize)> {
    let (start, len) = text.split_once(',').unwrap_or((text, "1"));
    let (start, len) = (start.parse().ok()?, len.parse().ok()?);
    (len == 0 || start > 0).then_some((start, len))
}

/// The path of a `--- a/PATH` line as git writes it: plain (a tab may follow a name with spaces),
/// or in double quotes with C escapes.
fn git_path(name: &str) -> Option<String> {
    let name = match name.strip_prefix('"') {
        None => name.strip_suffix('\t').unwrap_or(name).to_owned(),
        Some(quoted) => {
            let mut bytes = Vec::new();
            let mut chars = quoted.strip_suffix('"')?.bytes();
            while let Some(b) = chars.next() {
                if b != b'\\' {
                    bytes.push(b);
                    continue;
                }
                bytes.push(match chars.next()? {
                    b'a' => 0x07,
                    b'b' => 0x08,
                    b't' => b'\t',
                    b'n' => b'\n',
                    b'v' => 0x0b,
                    b'f' => 0x0c,
                    b'r' => b'\r',
                    d @ b'0'..=b'3' => {
                        let (d2, d3) = (chars.next()?, chars.next()?);
                        let octal = |d: u8| (b'0'..=b'7').contains(&d).then(|| d - b'0');
                        (octal(d)? << 6) | (octal(d2)? << 3) | octal(d3)?
                    }
                    other => other,
                });
            }
            String::from_utf8(bytes).ok()?
        }
    };
    name.strip_prefix("a/").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stamps_are_utc_civil_time() {
        let at = |secs| utc_stamp(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "19700101T000000Z");
        assert_eq!(at(951_782_400), "20000229T000000Z");
        assert_eq!(at(1_700_000_000), "20231114T221320Z");
        assert_eq!(at(4_102_444_799), "20991231T235959Z");
        assert_eq!(at(4_107_542_399), "21000228T235959Z");
    }

    #[test]
    fn the_latest_patch_is_the_last_stamp_then_the_highest_counter() {
        let mut names = ["undo-20240101T000000Z-10.patch", "undo-20240101T000000Z.patch", "undo-20240101T000000Z-2.patch"];
        names.sort_by_key(|n| order(n));
        assert_eq!(names, ["undo-20240101T000000Z.patch", "undo-20240101T000000Z-2.patch", "undo-20240101T000000Z-10.patch"]);
        for other in ["undo-x.patch.applied", ".gitignore", "undo-20240101T000000Z-1.patch", "undo-20240101T000000Z-a.patch"] {
            assert_eq!(order(other), None, "{other}");
        }
        let temp = tempfile::tempdir().unwrap();
        assert_eq!(fresh_name(temp.path(), "S"), "undo-S.patch");
        fs::write(temp.path().join("undo-S.patch.applied"), "").unwrap();
        fs::write(temp.path().join("undo-S-2.patch"), "").unwrap();
        assert_eq!(fresh_name(temp.path(), "S"), "undo-S-3.patch");
    }

    #[test]
    fn patches_read_back_and_apply_exactly() {
        let cases = [
            ("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nB\nc\nd\ne\nf\ng\nH\nI\n"),
            ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
            ("one\rtwo\r", "one\rTWO\r"),
            ("a\nb", "a\nc"),
            ("a\nb", "a\nb\n"),
            ("", "x\n"),
        ];
        let names = ["plain.mpl", "tab\there.mpl", "caf\u{e9}.mpl", "q\"\\.mpl", "with space.mpl", "e.mpl"];
        // Whether a line added at the end is outside every hunk (as `git apply` reads them: a hunk
        // that ends in a change ends at the end of the file).
        let end_is_free = [false, true, false, false, false, false];
        for ((name, (written, read)), free) in names.iter().zip(cases).zip(end_is_free) {
            let files = parse(&diff::patch(name, Some(written), read)).unwrap();
            assert_eq!(files.len(), 1);
            assert_eq!((files[0].path.as_str(), files[0].delete), (*name, false));
            assert_eq!(files[0].apply(written).as_deref(), Some(read), "{name}");
            assert_eq!(files[0].apply(&format!("{written}z")), free.then(|| format!("{read}z")), "{name}");
            assert_eq!(files[0].apply(&format!("z{written}")), None, "{name}");
        }
        let files = parse(&diff::deletion_patch("h.mpl", "pub fn h() do\n  1\nend\n")).unwrap();
        assert_eq!((files[0].path.as_str(), files[0].delete), ("h.mpl", true));
        assert_eq!(files[0].apply("pub fn h() do\n  1\nend\n").as_deref(), Some(""));
        assert_eq!(files[0].apply("pub fn h() do\n  1\nend\n# more\n"), None);
        assert_eq!(files[0].apply("pub fn h() do\n  2\nend\n"), None);
        assert!(parse("garbage\n").is_err());
        assert!(parse("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n").is_err());
    }
}
