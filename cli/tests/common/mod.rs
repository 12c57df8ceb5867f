//! Shared by the CLI's end-to-end tests: running the binary, copying and reading project trees,
//! git, and the check that the printed patch, applied by `git apply`, gives the `--out` tree.
#![allow(dead_code)]

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mesh-rewrite"))
}

pub fn rewrite(args: &[&str], dir: &Path) -> Output {
    bin().arg("rewrite").args(args).arg(dir).output().expect("runs mesh-rewrite")
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

pub fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/rewrite").join(name)
}

/// Copies `from` into `to`; symbolic links are copied as links.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&path).unwrap(), &target).unwrap();
        } else if meta.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every entry under `dir` (hidden ones too, `.git` aside): path → bytes, `<dir>` or `-> target`.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.push((rel, [b"-> ", target.as_os_str().as_bytes()].concat()));
            } else if meta.is_dir() {
                if path.file_name().unwrap() != ".git" {
                    out.push((rel, b"<dir>".to_vec()));
                    walk(root, &path, out);
                }
            } else {
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

/// `tree` less the undo folder `rewrite --write` leaves (`.mesh-rewrite/`).
pub fn project_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir).into_iter().filter(|(p, _)| p.split('/').next() != Some(".mesh-rewrite")).collect()
}

/// The paths of `project_tree`.
pub fn project_names(dir: &Path) -> Vec<String> {
    project_tree(dir).into_iter().map(|(p, _)| p).collect()
}

/// Every .mpl file of the project `dir` as a program reads it: path → bytes. Links to files inside
/// are read through; folder links and links leading out of `dir` are not the project's.
pub fn mpl_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let root = fs::canonicalize(dir).unwrap();
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                if path.file_name().unwrap() != ".git" {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "mpl")
                && fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&root) && real.is_file())
            {
                out.push((path.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

pub fn git(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "core.autocrlf=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The patch on stdout, applied with `git apply` in a fresh repository, gives exactly the `--out` tree.
pub fn patch_reproduces_out(project: &Path, extra: &[&str]) -> String {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("repo");
    copy_dir(project, &repo);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "before"]);

    let printed = rewrite(extra, &repo);
    assert_eq!(code(&printed), 0, "{}", stderr(&printed));
    let patch = temp.path().join("rewrite.patch");
    fs::write(&patch, &printed.stdout).unwrap();
    assert!(!printed.stdout.is_empty());

    let out_dir = temp.path().join("out");
    let written = rewrite(&[extra, &["--out", out_dir.to_str().unwrap()]].concat(), &repo);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    assert!(written.stdout.is_empty(), "--out prints no patch");

    git(&repo, &["apply", "--whitespace=nowarn", patch.to_str().unwrap()]);
    let applied = mpl_tree(&repo);
    let expected = mpl_tree(&out_dir);
    assert_eq!(applied.len(), expected.len());
    for ((pa, a), (pe, e)) in applied.iter().zip(&expected) {
        assert_eq!(pa, pe);
        assert!(a == e, "{pa} differs between `git apply` and --out");
    }
    stdout(&printed)
}
