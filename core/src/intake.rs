//! Bringing code in and taking it out: uploaded files, zips, limits, and the rewritten project as a zip.
//!
//! Bytes in, values out: the page hands in what the user dropped, the CLI could hand in a directory.
//! Nothing is dropped silently: every file not taken is listed with the reason.

use std::io::{Cursor, Read, Write};

/// Bounds that keep the page responsive and the tab alive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_project_bytes: usize,
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 5 * 1024 * 1024, max_project_bytes: 50 * 1024 * 1024, max_files: 5_000 }
    }
}

/// Why a file was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    NotMesh,
    Binary,
    NotUtf8,
    FileTooLarge { size: usize, limit: usize },
    ProjectTooLarge { limit: usize },
    TooManyFiles { limit: usize },
    UnsafePath,
    BadZip(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            SkipReason::NotMesh => write!(f, "not a .mpl file"),
            SkipReason::Binary => write!(f, "binary file"),
            SkipReason::NotUtf8 => write!(f, "not valid UTF-8"),
            SkipReason::FileTooLarge { size, limit } => {
                write!(f, "{} is over the {} file limit", megabytes(*size), megabytes(*limit))
            }
            SkipReason::ProjectTooLarge { limit } => write!(f, "the project would pass the {} limit", megabytes(*limit)),
            SkipReason::TooManyFiles { limit } => write!(f, "the project would pass the {limit} file limit"),
            SkipReason::UnsafePath => write!(f, "not a path inside the project (`..`, absolute, a drive or a NUL)"),
            SkipReason::BadZip(why) => write!(f, "not a readable zip: {why}"),
        }
    }
}

fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb.fract() == 0.0 { format!("{mb} MB") } else { format!("{mb:.1} MB") }
}

/// What an intake took and what it left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intake {
    pub limits: Limits,
    /// (path, text), in the order they came.
    pub files: Vec<(String, String)>,
    /// (path, reason).
    pub skipped: Vec<(String, SkipReason)>,
    /// Files and bytes the user already had, which the limits count too.
    files_before: usize,
    bytes: usize,
}

impl Intake {
    pub fn new(limits: Limits) -> Intake {
        Intake { limits, ..Intake::default() }
    }

    /// Starts from files the user already has, so limits count them too.
    pub fn with_existing(limits: Limits, existing: &[(String, String)]) -> Intake {
        let bytes = existing.iter().map(|(_, t)| t.len()).sum();
        Intake { limits, files_before: existing.len(), bytes, ..Intake::default() }
    }

    /// Offers one file. Zips are opened and their entries offered in turn.
    pub fn offer(&mut self, path: &str, bytes: &[u8]) {
        if path.to_ascii_lowercase().ends_with(".zip") {
            self.offer_zip(path, bytes);
        } else {
            self.offer_file(path, bytes);
        }
    }

    fn offer_file(&mut self, path: &str, bytes: &[u8]) {
        let Some(path) = clean_path(path) else {
            return self.skip(path, SkipReason::UnsafePath);
        };
        if !path.ends_with(".mpl") {
            return self.skip(&path, SkipReason::NotMesh);
        }
        if bytes.len() > self.limits.max_file_bytes {
            let limit = self.limits.max_file_bytes;
            return self.skip(&path, SkipReason::FileTooLarge { size: bytes.len(), limit });
        }
        if self.files_before + self.files.len() >= self.limits.max_files {
            return self.skip(&path, SkipReason::TooManyFiles { limit: self.limits.max_files });
        }
        if self.bytes + bytes.len() > self.limits.max_project_bytes {
            return self.skip(&path, SkipReason::ProjectTooLarge { limit: self.limits.max_project_bytes });
        }
        // A NUL byte in the head is the usual sign of a binary file (git uses the same test).
        if bytes[..bytes.len().min(8000)].contains(&0) {
            return self.skip(&path, SkipReason::Binary);
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return self.skip(&path, SkipReason::NotUtf8);
        };
        self.bytes += bytes.len();
        match self.files.iter_mut().find(|(p, _)| *p == path) {
            Some(existing) => existing.1 = text.to_owned(),
            None => self.files.push((path, text.to_owned())),
        }
    }

    fn offer_zip(&mut self, name: &str, bytes: &[u8]) {
        let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(a) => a,
            Err(e) => return self.skip(name, SkipReason::BadZip(e.to_string())),
        };
        for i in 0..archive.len() {
            let mut entry = match archive.by_index(i) {
                Ok(e) => e,
                Err(e) => return self.skip(name, SkipReason::BadZip(e.to_string())),
            };
            if entry.is_dir() {
                continue;
            }
            let path = match entry.name() {
                Ok(name) => name.into_owned(),
                Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
            };
            if !path.ends_with(".mpl") {
                self.skip(&path, SkipReason::NotMesh);
                continue;
            }
            // The declared size can lie; read at most one byte past the limit.
            let mut content = Vec::new();
            let limit = self.limits.max_file_bytes as u64 + 1;
            if let Err(e) = entry.by_ref().take(limit).read_to_end(&mut content) {
                self.skip(&path, SkipReason::BadZip(e.to_string()));
                continue;
            }
            if content.len() as u64 == limit {
                let size = (entry.size() as usize).max(content.len());
                self.skip(&path, SkipReason::FileTooLarge { size, limit: self.limits.max_file_bytes });
                continue;
            }
            self.offer_file(&path, &content);
        }
    }

    fn skip(&mut self, path: &str, reason: SkipReason) {
        self.skipped.push((path.to_owned(), reason));
    }
}

/// A relative, `/`-separated path without `.` parts; `None` when it would leave the project.
fn clean_path(path: &str) -> Option<String> {
    let path = path.replace('\\', "/");
    if path.starts_with('/') || path.contains(':') {
        return None;
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    let path = parts.join("/");
    // What is left must pass the check links and configs get (a NUL, say, names no file anywhere).
    crate::project::check_path(&path).ok().map(|()| path)
}

/// The files as a zip archive (DEFLATE), paths as given.
pub fn zip_files(files: &[(String, String)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (path, text) in files {
        writer.start_file(path.as_str(), options).expect("writing to memory cannot fail");
        writer.write_all(text.as_bytes()).expect("writing to memory cannot fail");
    }
    writer.finish().expect("writing to memory cannot fail").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(intake: &Intake) -> Vec<&str> {
        intake.files.iter().map(|(p, _)| p.as_str()).collect()
    }

    fn reasons(intake: &Intake) -> Vec<(String, String)> {
        intake.skipped.iter().map(|(p, r)| (p.clone(), r.to_string())).collect()
    }

    #[test]
    fn takes_mesh_text_and_names_what_it_skips() {
        let mut intake = Intake::new(Limits::default());
        intake.offer("./mesher/main.mpl", b"fn main() do end\n");
        intake.offer("mesher/logo.png", b"\x89PNG");
        intake.offer("mesher/bin.mpl", b"ab\0cd");
        intake.offer("mesher/latin1.mpl", b"caf\xe9");
        intake.offer("../evil.mpl", b"x");
        intake.offer("C:\\evil.mpl", b"x");
        intake.offer("nul\0.mpl", b"x");
        assert_eq!(paths(&intake), ["mesher/main.mpl"]);
        assert_eq!(
            reasons(&intake),
            [
                ("mesher/logo.png".to_owned(), "not a .mpl file".to_owned()),
                ("mesher/bin.mpl".to_owned(), "binary file".to_owned()),
                ("mesher/latin1.mpl".to_owned(), "not valid UTF-8".to_owned()),
                ("../evil.mpl".to_owned(), "not a path inside the project (`..`, absolute, a drive or a NUL)".to_owned()),
                ("C:\\evil.mpl".to_owned(), "not a path inside the project (`..`, absolute, a drive or a NUL)".to_owned()),
                ("nul\0.mpl".to_owned(), "not a path inside the project (`..`, absolute, a drive or a NUL)".to_owned()),
            ]
        );
    }

    #[test]
    fn limits_are_enforced_with_the_size_named() {
        let limits = Limits { max_file_bytes: 10, max_project_bytes: 15, max_files: 3 };
        let mut intake = Intake::new(limits);
        for (path, bytes) in [("a.mpl", 10), ("big.mpl", 11), ("b.mpl", 10), ("c.mpl", 2), ("d.mpl", 2), ("e.mpl", 1)] {
            intake.offer(path, "x".repeat(bytes).as_bytes());
        }
        assert_eq!(paths(&intake), ["a.mpl", "c.mpl", "d.mpl"]);
        assert_eq!(
            reasons(&intake),
            [
                ("big.mpl".to_owned(), "0.0 MB is over the 0.0 MB file limit".to_owned()),
                ("b.mpl".to_owned(), "the project would pass the 0.0 MB limit".to_owned()),
                ("e.mpl".to_owned(), "the project would pass the 3 file limit".to_owned()),
            ]
        );
        // What the user already has counts against the limits of what comes next.
        let mut later = Intake::with_existing(Limits { max_files: 4, ..limits }, &intake.files);
        for (path, bytes) in [("f.mpl", 2), ("g.mpl", 1), ("h.mpl", 0)] {
            later.offer(path, "x".repeat(bytes).as_bytes());
        }
        assert_eq!(paths(&later), ["g.mpl"]);
        assert_eq!(later.skipped.len(), 2);
        assert_eq!(
            SkipReason::FileTooLarge { size: 6 * 1024 * 1024, limit: Limits::default().max_file_bytes }.to_string(),
            "6 MB is over the 5 MB file limit"
        );
    }

    #[test]
    fn zips_round_trip_and_keep_paths() {
        let files = vec![
            ("api/helpers.mpl".to_owned(), "pub fn a() do 1 end\n".to_owned()),
            ("main.mpl".to_owned(), "fn main() do a() end\n".to_owned()),
        ];
        let mut bytes = zip_files(&files);
        let mut intake = Intake::new(Limits::default());
        intake.offer("project.zip", &bytes);
        assert_eq!(intake.files, files);
        assert!(intake.skipped.is_empty());

        bytes.truncate(bytes.len() / 2);
        let mut broken = Intake::new(Limits::default());
        broken.offer("cut.zip", &bytes);
        assert!(broken.files.is_empty());
        assert_eq!(broken.skipped.len(), 1);
        assert!(broken.skipped[0].1.to_string().starts_with("not a readable zip: "));
    }

    #[test]
    fn zip_entries_past_the_limit_are_not_inflated() {
        let big = "x".repeat(64 * 1024);
        let bytes = zip_files(&[("big.mpl".to_owned(), big), ("notes.txt".to_owned(), "hi".to_owned())]);
        let mut intake = Intake::new(Limits { max_file_bytes: 1024, ..Limits::default() });
        intake.offer("p.zip", &bytes);
        assert!(intake.files.is_empty());
        assert_eq!(
            reasons(&intake),
            [
                ("big.mpl".to_owned(), "0.1 MB is over the 0.0 MB file limit".to_owned()),
                ("notes.txt".to_owned(), "not a .mpl file".to_owned()),
            ]
        );
    }
}
