//! `rewrite --write` in a git work tree refuses files with uncommitted changes (`--force` writes them),
//! and leaves an undo patch first: `git apply` of it, or `mesh-rewrite undo`, puts back every byte.
//! Exact messages, exit codes and file trees.

mod common;

use common::*;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const LOOKUP: &str = "Process.whereis(\"mesher_registry\")";

/// A repository whose project sits in sub/p: a CRLF file, a CR-only file and one without a final
/// newline, each with a lookup, and no helper file (nor api/ folder): the write creates both.
fn repo_with_project(repo: &Path) -> PathBuf {
    let project = repo.join("sub/p");
    fs::create_dir_all(project.join("ingest")).unwrap();
    fs::write(project.join("main.mpl"), format!("fn main() do\r\n  let r = {LOOKUP}\r\n  r\r\nend\r\n")).unwrap();
    fs::write(project.join("cr.mpl"), format!("# CR only\r\rpub fn cr() do\r  {LOOKUP}\rend\r")).unwrap();
    fs::write(project.join("ingest/x.mpl"), format!("pub fn x() do\n  {LOOKUP}\nend")).unwrap();
    fs::write(repo.join("README"), "not Mesh\n").unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "before"]);
    project
}

/// The project of `repo_with_project` copied out of the repository, so that writing it again is not
/// refused for the changes the first write made.
fn out_of_git(temp: &Path) -> PathBuf {
    let project = temp.join("p");
    copy_dir(&repo_with_project(&temp.join("repo")), &project);
    project
}

/// `git status`, every untracked file listed.
fn status(repo: &Path) -> String {
    stdout(&git(repo, &["status", "--porcelain", "--untracked-files=all"]))
}

fn undo(project: &Path) -> Output {
    bin().arg("undo").arg(project).output().unwrap()
}

/// Runs `rewrite --write` (clean tree: no refusal) and returns the undo patch's path under the
/// project, checking the line that names it.
fn write(project: &Path, extra: &[&str]) -> String {
    let out = rewrite(&[extra, &["--write", "--helper-form", "node-local"]].concat(), project);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let last = stderr(&out).lines().last().unwrap().to_owned();
    let p = project.display();
    let patch = last
        .strip_prefix(&format!("undo: git -C {p} apply "))
        .and_then(|rest| rest.strip_suffix(&format!(" (or mesh-rewrite undo {p})")))
        .unwrap_or_else(|| panic!("{last}"))
        .to_owned();
    let name = patch.strip_prefix(".mesh-rewrite/undo-").unwrap();
    assert!(name.len() == "20250102T030405Z.patch".len() || name.contains("Z-"), "{name}");
    assert!(name[..8].bytes().all(|b| b.is_ascii_digit()) && name[8..].starts_with('T'), "{name}");
    patch
}

#[test]
fn git_apply_of_the_undo_patch_restores_every_byte() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    let project = repo_with_project(&repo);
    let before = project_tree(&project);
    let patch = write(&project, &[]);
    assert_ne!(project_tree(&project), before);
    // Paths as `git diff` writes them: from the top of the work tree.
    let text = fs::read_to_string(project.join(&patch)).unwrap();
    assert!(
        text.starts_with(
            "diff --git a/sub/p/api/helpers.mpl b/sub/p/api/helpers.mpl\ndeleted file mode 100644\n\
             --- a/sub/p/api/helpers.mpl\n+++ /dev/null\n@@ -1,8 +0,0 @@\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n-  let r = get_registry()\r\n+  let r = Process.whereis(\"mesher_registry\")\r\n"), "{text}");
    // The undo folder keeps out of git's way.
    assert_eq!(status(&repo).lines().count(), 4);

    git(&project, &["apply", &patch]);
    assert_eq!(project_tree(&project), before);
    assert_eq!(status(&repo), "");
}

#[test]
fn mesh_rewrite_undo_restores_every_byte_and_keeps_the_patch_as_applied() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    let project = repo_with_project(&repo);
    let before = project_tree(&project);
    let patch = write(&project, &[]);

    let out = undo(&project);
    assert_eq!(
        (code(&out), stderr(&out)),
        (
            0,
            format!(
                "restored cr.mpl\nrestored ingest/x.mpl\nrestored main.mpl\nremoved api/helpers.mpl\n\
                 undo: applied {patch} (kept as {patch}.applied)\n"
            )
        )
    );
    assert!(out.stdout.is_empty());
    assert_eq!(project_tree(&project), before);
    assert_eq!(status(&repo), "");
    let undo_files: Vec<_> = tree(&project.join(".mesh-rewrite")).into_iter().map(|(p, _)| p).collect();
    assert_eq!(undo_files, [".gitignore".to_owned(), patch.strip_prefix(".mesh-rewrite/").unwrap().to_owned() + ".applied"]);

    // Nothing is left to undo; the default PROJECT_DIR is the current directory.
    let again = bin().arg("undo").current_dir(&project).output().unwrap();
    assert_eq!(
        (code(&again), stderr(&again).as_str()),
        (2, "mesh-rewrite: ./.mesh-rewrite: no undo patch (nothing to undo)\n")
    );
    // Outside a git work tree the paths are PROJECT_DIR's, and the note has no -C when it is `.`.
    let plain = temp.path().join("plain");
    copy_dir(&project, &plain);
    fs::remove_dir_all(plain.join(".mesh-rewrite")).unwrap();
    let out = bin().args(["rewrite", "--write", "."]).current_dir(&plain).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let last = stderr(&out).lines().last().unwrap().to_owned();
    let patch = last.strip_prefix("undo: git apply ").unwrap().strip_suffix(" (or mesh-rewrite undo)").unwrap();
    assert!(fs::read_to_string(plain.join(patch)).unwrap().starts_with("diff --git a/api/helpers.mpl b/api/helpers.mpl\n"));
    let out = bin().args(["undo"]).current_dir(&plain).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(project_tree(&plain), before);
}

#[test]
fn undo_goes_back_one_write_at_a_time() {
    let temp = tempfile::tempdir().unwrap();
    let project = out_of_git(temp.path());
    let before = project_tree(&project);
    let first = write(&project, &["--only", "main.mpl"]);
    let middle = project_tree(&project);
    let second = write(&project, &[]);
    // In the same second, the second gets a counter.
    assert_ne!(first, second);
    assert_eq!(code(&undo(&project)), 0);
    assert_eq!(project_tree(&project), middle);
    assert_eq!(code(&undo(&project)), 0);
    assert_eq!(project_tree(&project), before);
}

#[test]
fn undo_refuses_when_a_file_changed_after_the_write() {
    let temp = tempfile::tempdir().unwrap();
    let project = out_of_git(temp.path());
    let patch = write(&project, &[]);
    let written = tree(&project);
    let edits: [Edit; 4] = [
        ("main.mpl", |f| edit(f, "let r = get_registry()", "let r = get_registry() "), "changed since"),
        ("ingest/x.mpl", |f| edit(f, "pub fn x() do\n", "# a new first line\npub fn x() do\n"), "changed since"),
        ("api/helpers.mpl", |f| edit(f, "end\n", "end\n# mine\n"), "changed since"),
        ("api/helpers.mpl", |f| fs::remove_file(f).unwrap(), "no longer exists;"),
    ];
    for (file, change, why) in edits {
        change(&project.join(file));
        let edited = tree(&project);
        let out = undo(&project);
        let why = if why == "changed since" { format!("changed since {patch} was written;") } else { why.to_owned() };
        assert_eq!((code(&out), stderr(&out)), (2, format!("mesh-rewrite: {file}: {why} nothing was undone\n")));
        assert_eq!(tree(&project), edited, "{file}: something was written");
        // Put back as written: the next case starts from there.
        for (path, bytes) in &written {
            if bytes != b"<dir>" {
                fs::write(project.join(path), bytes).unwrap();
            }
        }
    }
    assert_eq!(code(&undo(&project)), 0);
}

/// A file, what happens to it, and what `undo` says about it then.
type Edit = (&'static str, fn(&Path), &'static str);

fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{text:?}");
    fs::write(file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn write_refuses_files_with_uncommitted_changes_and_force_writes_them() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    let project = repo.join("mesher");
    copy_dir(&example(), &project);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "before"]);
    // Modified, staged, untracked (and rewritten): refused. Changed but not rewritten: no matter.
    fs::write(project.join("api/alerts.mpl"), fs::read_to_string(project.join("api/alerts.mpl")).unwrap() + "# mine\n").unwrap();
    fs::write(project.join("api/team.mpl"), fs::read_to_string(project.join("api/team.mpl")).unwrap() + "# staged\n").unwrap();
    git(&repo, &["add", "mesher/api/team.mpl"]);
    fs::write(project.join("api/new.mpl"), format!("pub fn n() do\n  {LOOKUP}\nend\n")).unwrap();
    fs::write(project.join("ingestion/pipeline.mpl"), "# excluded, and edited\n").unwrap();
    fs::write(project.join("notes.txt"), "untracked, not Mesh\n").unwrap();
    let before = tree(&repo);
    let project_before = project_tree(&project);
    for dir in [project.clone(), Path::new("mesher").to_path_buf()] {
        let out = bin().args(["rewrite", "--write"]).arg(&dir).current_dir(&repo).output().unwrap();
        assert_eq!(
            (code(&out), stderr(&out).as_str()),
            (
                2,
                "mesh-rewrite: uncommitted changes in api/alerts.mpl, api/new.mpl, api/team.mpl; \
                 commit or stash them, or pass --force\n"
            )
        );
        assert!(out.stdout.is_empty());
        assert_eq!(tree(&repo), before, "nothing is written");
    }

    let forced = rewrite(&["--write", "--force"], &project);
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    assert!(fs::read_to_string(project.join("api/alerts.mpl")).unwrap().ends_with("end\n# mine\n"));
    assert!(fs::read_to_string(project.join("api/new.mpl")).unwrap().contains("  get_registry()\n"));
    assert!(stderr(&forced).lines().last().unwrap().starts_with("undo: git -C "));
    // The undo patch takes the files back to what they were, uncommitted changes and all.
    assert_eq!(code(&undo(&project)), 0);
    assert_eq!(project_tree(&project), project_before);

    let usage = rewrite(&["--force"], &project);
    assert_eq!(code(&usage), 2);
    assert!(stderr(&usage).starts_with("error: the following required arguments were not provided:\n  --write\n"), "{}", stderr(&usage));
}

#[test]
fn the_undo_folder_is_never_read_as_part_of_the_project() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    fs::create_dir_all(project.join(".mesh-rewrite")).unwrap();
    fs::create_dir_all(project.join("lib/.mesh-rewrite")).unwrap();
    fs::write(project.join("main.mpl"), format!("fn main() do\n  {LOOKUP}\nend\n")).unwrap();
    fs::write(project.join(".mesh-rewrite/old.mpl"), format!("fn old() do\n  {LOOKUP}\nend\n")).unwrap();
    fs::write(project.join("lib/.mesh-rewrite/old.mpl"), format!("fn old() do\n  {LOOKUP}\nend\n")).unwrap();
    let out = rewrite(&[], &project);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains("old.mpl") && !stderr(&out).contains("old.mpl"), "{}", stderr(&out));
    assert!(stderr(&out).contains("\n1 replacement in 2 changed files; "), "{}", stderr(&out));
}
