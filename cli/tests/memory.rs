//! `rewrite --check` streams (issue 12): one file's text and tree per thread at a time, and a
//! small summary per file. Alone in its test binary: the peak RSS read from getrusage is the
//! largest over every child this process has waited for, so no other test may run a child here.

#![cfg(target_os = "linux")]

use std::fs;
use std::path::Path;
use std::process::Command;

const FILES: usize = 2_000;
/// Holding every file (both texts and both scans, as before issue 12) took 44 MiB on this tree
/// (2,000 files of the example's size, 10.6 MB); streaming takes about a third of that. The
/// issue's goal for any number of files is 32 MiB plus the largest file, which is tiny here.
const CEILING_KIB: i64 = 32 * 1024;

#[test]
fn check_on_2000_files_stays_under_the_memory_ceiling() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples/mesher");
    let mut sources = Vec::new();
    collect(&example, &example, &mut sources);
    let handlers: Vec<&(String, String)> =
        sources.iter().filter(|(_, t)| t.contains("Process.whereis(\"mesher_registry\")")).collect();
    let mut count = 0;
    let mut write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        count += 1;
    };
    for (rel, text) in &sources {
        write(rel, text);
    }
    for i in 0..FILES - sources.len() {
        write(&format!("gen/g{:02}/handler_{i:05}.mpl", i % 20), &handlers[i % handlers.len()].1);
    }
    assert_eq!(count, FILES);

    let out = Command::new(env!("CARGO_BIN_EXE_mesh-rewrite")).args(["rewrite", "--check"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let peak_kib = children_peak_rss_kib();
    assert!(peak_kib > 0 && peak_kib < CEILING_KIB, "peak RSS {peak_kib} KiB, ceiling {CEILING_KIB} KiB");
}

/// The largest peak RSS of the children waited for, in KiB (Linux reports ru_maxrss in KiB).
fn children_peak_rss_kib() -> i64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    usage.ru_maxrss
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "mpl") {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, fs::read_to_string(&path).unwrap()));
        }
    }
}
