//! `mesh-rewrite rewrite` writes nothing outside its target, nothing half-done, and loses nothing:
//! config paths, names, files that were not read, newline styles and file names git quotes,
//! symbolic links, interrupted runs. Each test asserts the exact message, exit code and file tree.

mod common;

use common::*;

use mesh_rewrite::rewrite::rule::Rule;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

const CALLER: &str = "fn main() do\n  let r = Process.whereis(\"mesher_registry\")\n  r\nend\n";

/// main.mpl and api/a.mpl look the registry up; api/helpers.mpl is there.
fn small_project(dir: &Path) {
    fs::create_dir_all(dir.join("api")).unwrap();
    fs::write(dir.join("main.mpl"), CALLER).unwrap();
    fs::write(dir.join("api/a.mpl"), CALLER.replace("main", "handle")).unwrap();
    fs::write(dir.join("api/helpers.mpl"), "# Helpers.\n\npub fn ok() do\n  1\nend\n").unwrap();
}

/// Runs `rewrite --config` with `toml` in every writing mode and checks that each exits 2 with
/// `expected` on stderr and writes nothing anywhere.
fn refused(toml: &str, expected: &[&str]) {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    let config = temp.path().join("rule.toml");
    fs::write(&config, toml).unwrap();
    let before = tree(temp.path());
    let wanted: String = expected.iter().map(|m| format!("mesh-rewrite: {}: {m}\n", config.display())).collect();
    let out_dir = temp.path().join("out");
    for mode in [&["--write"][..], &["--out", out_dir.to_str().unwrap()], &[], &["--check"]] {
        let out = rewrite(&[&["--config", config.to_str().unwrap()], mode].concat(), &project);
        assert_eq!(code(&out), 2, "{mode:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), wanted, "{mode:?}");
        assert!(out.stdout.is_empty(), "{mode:?}");
        assert_eq!(tree(temp.path()), before, "{mode:?} wrote something");
    }
}

#[test]
fn config_paths_that_leave_the_project_are_refused_before_anything_is_written() {
    refused("helper_file = \"../x.mpl\"\n", &["helper_file \"../x.mpl\" leaves the project (..)"]);
    refused("helper_file = \"/tmp/x.mpl\"\n", &["helper_file \"/tmp/x.mpl\" is absolute; paths are relative to the project root"]);
    refused(
        "helper_file = 'C:\\x.mpl'\n",
        &["helper_file \"C:\\\\x.mpl\" names a drive (like C:); paths are relative to the project root"],
    );
    refused(
        "helper_file = '\\x.mpl'\n",
        &["helper_file \"\\\\x.mpl\" starts with a backslash; paths are relative to the project root"],
    );
    refused("helper_file = \"api//x.mpl\"\n", &["helper_file \"api//x.mpl\" has an empty segment (// or a trailing /)"]);
    refused(
        "excluded_files = [\"api/a.mpl\", \"../../etc/x.mpl\"]\n[expected_counts]\n\"/abs.mpl\" = 1\n",
        &[
            "excluded_files entry \"../../etc/x.mpl\" leaves the project (..)",
            "expected_counts key \"/abs.mpl\" is absolute; paths are relative to the project root",
        ],
    );
}

#[test]
fn names_that_would_not_parse_are_refused_with_the_pages_message() {
    for (toml, field) in [
        ("helper_name = \"get registry\"\n", "helper_name"),
        ("helper_name = \"\"\n", "helper_name"),
        ("helper_name = \"end\"\n", "helper_name"),
        ("helper_name = \"1abc\"\n", "helper_name"),
        ("helper_file = \"api/#=x.mpl\"\n", "helper_file"),
        ("helper_file = \"api\"\n", "helper_file"),
        ("registry_name = 'a\"b'\n", "registry_name"),
        ("registry_name = \"x${y}\"\n", "registry_name"),
        ("registry_name = \"\"\n", "registry_name"),
    ] {
        // The page's options panel shows Rule::validate's message; the CLI prints the same.
        let rule: Rule = toml::from_str(toml).unwrap();
        let errors = rule.validate().unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), [field]);
        refused(toml, &[errors[0].message.as_str()]);
    }
    refused("helper_name = \"end\"\n", &["helper_name \"end\" is a Mesh keyword"]);
    refused(
        "helper_file = \"api/#=x.mpl\"\n",
        &["helper_file \"api/#=x.mpl\" does not map to a Mesh module: \"#=x\" gives \"#=x\", which is not an identifier \
           (the import would read `from Api.#=x import …`)"],
    );
}

#[test]
fn a_helper_file_that_is_a_directory_stops_the_run_before_any_write() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    fs::remove_file(project.join("api/helpers.mpl")).unwrap();
    fs::create_dir_all(project.join("api/helpers.mpl/inner")).unwrap();
    let before = tree(temp.path());
    let out_dir = temp.path().join("out");
    let message = format!(
        "mesh-rewrite: {}: is a directory, so the helper cannot be created there; nothing was written\n",
        project.join("api/helpers.mpl").display()
    );
    for mode in [&["--write"][..], &["--out", out_dir.to_str().unwrap()], &[], &["--check"]] {
        let out = rewrite(mode, &project);
        assert_eq!((code(&out), stderr(&out)), (2, message.clone()), "{mode:?}");
        assert!(out.stdout.is_empty(), "{mode:?}");
        assert_eq!(tree(temp.path()), before, "{mode:?} wrote something");
    }
}

#[test]
fn a_helper_file_that_is_not_utf8_is_never_replaced() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    let latin1 = b"# Hilfsfunktionen f\xfcr alle\npub fn ok() do\n  1\nend\n";
    fs::write(project.join("api/helpers.mpl"), latin1).unwrap();
    let out = rewrite(&["--write"], &project);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert_eq!(fs::read(project.join("api/helpers.mpl")).unwrap(), latin1);
    let report = stderr(&out);
    assert!(report.contains("helper api/helpers.mpl: not inserted (the file was not read; see its diagnostic)\n"), "{report}");
    assert!(
        report.contains("api/helpers.mpl:1:1: error[not-utf8]: not valid UTF-8; the file was not examined or changed\n"),
        "{report}"
    );
    // The callers are rewritten, as when the helper file has syntax errors.
    assert!(fs::read_to_string(project.join("main.mpl")).unwrap().contains("let r = get_registry()\n"));
    // Nothing left beside the files (and the undo patch).
    let names = project_names(&project);
    assert_eq!(names, ["api", "api/a.mpl", "api/helpers.mpl", "main.mpl"]);
}

#[test]
fn cr_only_files_get_cr_insertions_and_a_patch_git_applies() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    fs::create_dir_all(project.join("api")).unwrap();
    fs::write(project.join("main.mpl"), "fn main() do\r  0\rend\r").unwrap();
    fs::write(
        project.join("api/a.mpl"),
        "from Types.Event import Event\r\rpub fn handle() do\r  let reg_pid = Process.whereis(\"mesher_registry\")\r  reg_pid\rend",
    )
    .unwrap();
    fs::write(project.join("api/helpers.mpl"), "# Helpers.\r\rpub fn ok() do\r  1\rend\r").unwrap();
    let patch = patch_reproduces_out(&project, &[]);
    assert!(patch.contains("@@ -1 +1 @@\n-from Types.Event import Event\r\r"), "{patch:?}");
    let out_dir = temp.path().join("out");
    assert_eq!(code(&rewrite(&["--out", out_dir.to_str().unwrap()], &project)), 0);
    assert_eq!(
        fs::read_to_string(out_dir.join("api/a.mpl")).unwrap(),
        "from Types.Event import Event\rfrom Api.Helpers import get_registry\r\rpub fn handle() do\r  let reg_pid = get_registry()\r  reg_pid\rend"
    );
    assert!(mpl_tree(&out_dir).iter().all(|(_, bytes)| !bytes.contains(&b'\n')));
}

#[test]
fn file_names_git_quotes_are_quoted_and_the_patch_applies() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    let odd = ["tab\there.mpl", "new\nline.mpl", "quo\"te.mpl", "back\\slash.mpl", "café.mpl", "with space.mpl"];
    for name in odd {
        fs::write(project.join("api").join(name), CALLER.replace("main", "odd")).unwrap();
    }
    let patch = patch_reproduces_out(&project, &[]);
    for header in [
        "diff --git \"a/api/tab\\there.mpl\" \"b/api/tab\\there.mpl\"\n--- \"a/api/tab\\there.mpl\"\n+++ \"b/api/tab\\there.mpl\"\n",
        "diff --git \"a/api/new\\nline.mpl\" \"b/api/new\\nline.mpl\"\n",
        "diff --git \"a/api/quo\\\"te.mpl\" \"b/api/quo\\\"te.mpl\"\n",
        "diff --git \"a/api/back\\\\slash.mpl\" \"b/api/back\\\\slash.mpl\"\n",
        "diff --git \"a/api/caf\\303\\251.mpl\" \"b/api/caf\\303\\251.mpl\"\n",
        "diff --git a/api/with space.mpl b/api/with space.mpl\n",
    ] {
        assert!(patch.contains(header), "{header:?} not in\n{patch}");
    }
}

#[test]
fn a_project_whose_files_are_all_under_api_keeps_api() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    fs::create_dir_all(project.join("api")).unwrap();
    fs::write(project.join("api/a.mpl"), CALLER.replace("main", "a")).unwrap();
    fs::write(project.join("api/b.mpl"), CALLER.replace("main", "b")).unwrap();
    let out = rewrite(&["--write"], &project);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("project root:"), "{}", stderr(&out));
    let names = project_names(&project);
    assert_eq!(names, ["api", "api/a.mpl", "api/b.mpl", "api/helpers.mpl"]);
    assert!(fs::read_to_string(project.join("api/a.mpl")).unwrap().starts_with("from Api.Helpers import get_registry\n"));
}

#[test]
fn links_inside_are_followed_and_written_through_links_out_are_reported() {
    let temp = tempfile::tempdir().unwrap();
    let outside = temp.path().join("elsewhere");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("shared.mpl"), CALLER.replace("main", "shared")).unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    fs::create_dir_all(project.join("lib")).unwrap();
    // The linked file's own name is not .mpl: it is a project file only through the link.
    fs::write(project.join("lib/real.mesh"), CALLER.replace("main", "linked")).unwrap();
    std::os::unix::fs::symlink("../lib/real.mesh", project.join("api/linked.mpl")).unwrap();
    std::os::unix::fs::symlink(outside.join("shared.mpl"), project.join("api/shared.mpl")).unwrap();
    std::os::unix::fs::symlink(&outside, project.join("vendor")).unwrap();
    std::os::unix::fs::symlink("..", project.join("api/loop")).unwrap();
    std::os::unix::fs::symlink("missing.mpl", project.join("api/broken.mpl")).unwrap();

    let patch = patch_reproduces_out(&project, &[]);
    assert!(patch.contains("diff --git a/lib/real.mesh b/lib/real.mesh\n"), "{patch}");
    assert!(!patch.contains("linked.mpl"), "{patch}");

    let outside_before = tree(&outside);
    let out = rewrite(&["--write"], &project);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = stderr(&out);
    for line in [
        "api/linked.mpl: 1 replacement (modified, import added)\n".to_owned(),
        "api/broken.mpl:1:1: warning[link-broken]: a symbolic link that leads nowhere; not followed\n".to_owned(),
        "api/loop:1:1: warning[link-loop]: a symbolic link to a folder that contains it; not followed\n".to_owned(),
        format!(
            "api/shared.mpl:1:1: warning[link-outside]: a symbolic link to {}, outside the project; not followed: not examined or changed\n",
            fs::canonicalize(outside.join("shared.mpl")).unwrap().display()
        ),
        format!(
            "vendor:1:1: warning[link-outside]: a symbolic link to {}, outside the project; not followed: not examined or changed\n",
            fs::canonicalize(&outside).unwrap().display()
        ),
    ] {
        assert!(report.contains(&line), "{line:?} not in\n{report}");
    }
    // The link is still a link; its target got the change; the outside stayed as it was.
    assert_eq!(fs::read_link(project.join("api/linked.mpl")).unwrap(), Path::new("../lib/real.mesh"));
    assert!(fs::read_to_string(project.join("lib/real.mesh")).unwrap().contains("let r = get_registry()\n"));
    assert_eq!(tree(&outside), outside_before);
}

#[test]
fn a_helper_file_that_links_out_of_the_project_is_left_alone() {
    let temp = tempfile::tempdir().unwrap();
    let elsewhere = temp.path().join("elsewhere.mpl");
    fs::write(&elsewhere, "# Another project's helpers.\n").unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    fs::remove_file(project.join("api/helpers.mpl")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, project.join("api/helpers.mpl")).unwrap();
    let out = rewrite(&["--write"], &project);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("helper api/helpers.mpl: not inserted (the file was not read; see its diagnostic)\n"));
    assert_eq!(fs::read_link(project.join("api/helpers.mpl")).unwrap(), elsewhere);
    assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "# Another project's helpers.\n");
}

#[test]
fn two_paths_to_one_file_that_would_differ_stop_the_run() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    // alias/helpers.mpl is api/helpers.mpl: the helper would go into one path and not the other.
    std::os::unix::fs::symlink("api", project.join("alias")).unwrap();
    let before = tree(temp.path());
    let out = rewrite(&["--write"], &project);
    assert_eq!(
        (code(&out), stderr(&out)),
        (
            2,
            "mesh-rewrite: alias/helpers.mpl and api/helpers.mpl are the same file (through a symbolic link) \
             but would be rewritten differently; nothing was written\n"
                .to_owned()
        )
    );
    assert_eq!(tree(temp.path()), before);
}

#[test]
fn a_file_name_that_is_not_utf8_is_reported_and_the_rest_is_rewritten() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.mpl");
    fs::write(project.join("api").join(name), CALLER).unwrap();
    let out_dir = temp.path().join("out");
    let out = rewrite(&["--out", out_dir.to_str().unwrap()], &project);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "api/caf\u{fffd}.mpl:1:1: error[not-utf8-name]: the file name is not valid UTF-8; the file was not examined or changed\n"
        ),
        "{}",
        stderr(&out)
    );
    // Copied as it is, under its own name; the others rewritten.
    assert_eq!(fs::read(out_dir.join("api").join(name)).unwrap(), CALLER.as_bytes());
    assert!(fs::read_to_string(out_dir.join("main.mpl")).unwrap().contains("get_registry()"));
    assert!(fs::read_to_string(out_dir.join("api/a.mpl")).unwrap().contains("get_registry()"));
}

/// Interrupted `--write` runs leave no torn file; the next run removes what they left and finishes.
#[test]
fn kill_9_during_write_loses_nothing_and_the_next_run_cleans_up() {
    let temp = tempfile::tempdir().unwrap();
    let template = temp.path().join("template");
    copy_dir(&example(), &template);
    // Enough files that a run spends a while writing.
    for i in 0..20 {
        let dir = template.join(format!("gen/g{i}"));
        copy_dir(&example().join("api"), &dir);
        fs::remove_file(dir.join("helpers.mpl")).unwrap();
    }
    let out_dir = temp.path().join("expected");
    assert_eq!(code(&rewrite(&["--out", out_dir.to_str().unwrap()], &template)), 0);
    let before = mpl_tree(&template);
    let after = mpl_tree(&out_dir);

    // Killed once the first temporary file shows up in api/ (the first folder written: the
    // staging), or once api/alerts.mpl (the first file renamed) has its new text (the renames).
    let first = template.join("api/alerts.mpl");
    let first_len = fs::metadata(&first).unwrap().len();
    let mut left_temps = 0;
    let mut renamed_some = 0;
    for step in 0..4 {
        let project = temp.path().join(format!("run{step}"));
        copy_dir(&template, &project);
        let mut child = bin()
            .args(["rewrite", "--write"])
            .arg(&project)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let first = project.join("api/alerts.mpl");
        let moment = || match step {
            0 | 1 => has_temp(&project.join("api")),
            _ => fs::metadata(&first).is_ok_and(|m| m.len() != first_len),
        };
        while child.try_wait().unwrap().is_none() && !moment() {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let _ = child.kill();
        child.wait().unwrap();
        left_temps += usize::from(tree(&project).iter().any(|(p, _)| p.ends_with(".tmp")));
        // Every file is whole: as it was, or as the rewrite makes it.
        let now = mpl_tree(&project);
        assert_eq!(now.len(), before.len());
        for (((path, now), (old_path, old)), (new_path, new)) in now.iter().zip(&before).zip(&after) {
            assert!(path == old_path && path == new_path);
            assert!(now == old || now == new, "run {step}: {path} is torn");
        }
        renamed_some += usize::from(now != before && now != after);
        let again = rewrite(&["--write"], &project);
        assert_eq!(code(&again), 0, "{}", stderr(&again));
        assert_eq!(mpl_tree(&project), after, "run {step}");
        let temps: Vec<_> = tree(&project).into_iter().map(|(p, _)| p).filter(|p| p.ends_with(".tmp")).collect();
        assert!(temps.is_empty(), "run {step}: {temps:?}");
    }
    // The staging (each file synced to disk) lasts long enough to be hit; the renames may be too
    // quick to hit (counts shown with --nocapture).
    eprintln!("runs that left temporary files: {left_temps}; runs stopped among the renames: {renamed_some}");
    assert!(left_temps >= 1, "the staging was never interrupted");
}

fn has_temp(dir: &Path) -> bool {
    fs::read_dir(dir).into_iter().flatten().flatten().any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
}

#[test]
fn stale_temporary_files_are_removed_and_live_ones_kept() {
    let temp = tempfile::tempdir().unwrap();
    let project = temp.path().join("p");
    small_project(&project);
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let live = std::process::id();
    // A stale one holds a lookup: were it taken for a project file, the report would count it.
    let stale = project.join(format!("api/.a.mpl.mesh-rewrite-{dead}.tmp"));
    let alive = project.join(format!(".main.mpl.mesh-rewrite-{live}.tmp"));
    fs::write(&stale, CALLER).unwrap();
    fs::write(&alive, "half").unwrap();

    let check = rewrite(&["--check"], &project);
    assert_eq!(code(&check), 1);
    assert!(stderr(&check).contains("2 replacements in 3 changed files"), "{}", stderr(&check));
    assert!(stale.exists(), "--check removes nothing");

    let write = rewrite(&["--write"], &project);
    assert_eq!(code(&write), 0, "{}", stderr(&write));
    let removed = format!("removed {} (left by an interrupted run)\n", stale.display());
    assert!(stderr(&write).starts_with(&removed), "{}", stderr(&write));
    assert!(!stale.exists());
    assert_eq!(fs::read_to_string(&alive).unwrap(), "half");
}
