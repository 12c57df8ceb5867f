//! Bringing code in and taking it out: uploaded files, zips, limits, and the rewritten project as a zip.
//!
//! Bytes in, values out: the page hands in what the user dropped, the CLI could hand in a directory.
//! Nothing is dropped silently: every file not taken is listed with the reason.

use std::io::Write;

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
    /// A zip's entries together inflate past `limit` bytes (the project and one file's limits).
    ZipTooLarge { limit: usize },
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
            SkipReason::ZipTooLarge { limit } => {
                write!(f, "the zip's entries inflate past {} in all", megabytes(*limit))
            }
        }
    }
}

/// `5 MB`, `0.1 MB`: whole megabytes bare, others to a tenth (ties to even, as `{:.1}` rounds). Integers
/// only: formatting an f64 would bring core's float printer (11 KB) into the page.
fn megabytes(bytes: usize) -> String {
    const MB: u64 = 1024 * 1024;
    let bytes = bytes as u64;
    if bytes.is_multiple_of(MB) {
        return format!("{} MB", bytes / MB);
    }
    let (tenths, rest) = (bytes * 10 / MB, bytes * 10 % MB);
    let tenths = tenths + u64::from(rest * 2 > MB || (rest * 2 == MB && tenths % 2 == 1));
    format!("{}.{} MB", tenths / 10, tenths % 10)
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
        if self.has_max_files() {
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
        let archive = match rawzip::ZipArchive::from_slice(bytes) {
            Ok(a) => a,
            Err(e) => return self.skip(name, SkipReason::BadZip(e.to_string())),
        };
        // Entries can share their data (a zip bomb's trick), so one archive inflates a bounded number of
        // bytes in all: the work stays linear in what the limits let in.
        let total = self.limits.max_project_bytes + self.limits.max_file_bytes;
        let mut budget = total;
        let mut entries = archive.entries();
        loop {
            let header = match entries.next_entry() {
                Ok(Some(header)) => header,
                Ok(None) => break,
                Err(e) => return self.skip(name, SkipReason::BadZip(e.to_string())),
            };
            if header.is_dir() {
                continue;
            }
            let path = String::from_utf8_lossy(header.file_path().as_bytes()).into_owned();
            if !path.ends_with(".mpl") {
                self.skip(&path, SkipReason::NotMesh);
                continue;
            }
            // Refused before inflating: what would be refused after it anyway.
            if self.has_max_files() {
                self.skip(&path, SkipReason::TooManyFiles { limit: self.limits.max_files });
                continue;
            }
            if budget == 0 {
                self.skip(&path, SkipReason::ZipTooLarge { limit: total });
                continue;
            }
            // The declared size can lie; inflate at most one byte past the limit.
            let cap = self.limits.max_file_bytes + 1;
            let limit = cap.min(budget);
            match inflate(&archive, &header, limit) {
                Err(why) => self.skip(&path, SkipReason::BadZip(why)),
                Ok(Inflated { bytes, whole: true }) => {
                    budget -= bytes.len();
                    self.offer_file(&path, &bytes);
                }
                Ok(Inflated { bytes, .. }) if limit == cap => {
                    budget -= bytes.len();
                    let declared = usize::try_from(header.uncompressed_size_hint()).unwrap_or(usize::MAX);
                    let size = declared.max(bytes.len());
                    self.skip(&path, SkipReason::FileTooLarge { size, limit: self.limits.max_file_bytes });
                }
                Ok(_) => {
                    budget = 0;
                    self.skip(&path, SkipReason::ZipTooLarge { limit: total });
                }
            }
        }
    }

    /// Whether the project holds as many files as the limits allow (the user's and this intake's).
    fn has_max_files(&self) -> bool {
        self.files_before + self.files.len() >= self.limits.max_files
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

/// An entry's bytes, and whether they are all of it (inflating stops at a limit).
struct Inflated {
    bytes: Vec<u8>,
    whole: bool,
}

/// Zip's CRC-32, from one 256-entry table (see Cargo.toml for why not a faster, larger one).
const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// At most `limit` bytes of the entry; when they are the whole entry, its CRC and size are checked.
fn inflate(
    archive: &rawzip::ZipSliceArchive<&[u8]>,
    header: &rawzip::ZipFileHeaderRecord,
    limit: usize,
) -> Result<Inflated, String> {
    if header.flags().is_encrypted() {
        return Err("the entry is encrypted".to_owned());
    }
    let entry = archive.get_entry(header.wayfinder()).map_err(|e| e.to_string())?;
    let data = entry.data();
    let (bytes, whole) = match header.compression_method() {
        rawzip::CompressionMethod::STORE => (data[..data.len().min(limit)].to_vec(), data.len() <= limit),
        rawzip::CompressionMethod::DEFLATE => match miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit) {
            Ok(bytes) => (bytes, true),
            Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => (e.output, false),
            Err(e) => return Err(format!("the entry does not inflate: {e}")),
        },
        method => return Err(format!("compression method {method} is not supported")),
    };
    if whole {
        let found = rawzip::ZipVerification { crc: CRC32.checksum(&bytes), uncompressed_size: bytes.len() as u64 };
        entry.claim_verifier().valid(found).map_err(|e| e.to_string())?;
    }
    Ok(Inflated { bytes, whole })
}

/// The files as a zip archive (DEFLATE), paths as given: regular files, `rw-r--r--`, dated at zip's
/// epoch (1980-01-01; the engine has no clock). `None` only for a path zip cannot hold (over 64 KB).
pub fn zip_files(files: &[(String, String)]) -> Option<Vec<u8>> {
    let epoch = rawzip::time::UtcDateTime::from_components(1980, 1, 1, 0, 0, 0, 0)?;
    let mut out = Vec::new();
    let mut archive = rawzip::ZipArchiveWriter::new(&mut out);
    for (path, text) in files {
        let builder = archive.new_file(path.as_str()).compression_method(rawzip::CompressionMethod::DEFLATE);
        let (mut entry, _) = builder.unix_permissions(0o100644).last_modified(epoch).start().ok()?;
        entry.write_all(&miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 6)).ok()?;
        let descriptor = rawzip::DataDescriptorOutput::new(CRC32.checksum(text.as_bytes()), text.len() as u64);
        entry.finish(descriptor).ok()?;
    }
    archive.finish().ok()?;
    Some(out)
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
    fn megabytes_print_as_floats_would() {
        let mb = 1024 * 1024;
        let cases = [0, 1, 10, mb / 20, mb / 4, mb / 4 * 3, mb - 1, mb, mb + 1, 5 * mb + mb / 2, 6 * mb];
        for bytes in cases.into_iter().chain((0..2000).map(|i| i * 7919 * 13)) {
            let mb = bytes as f64 / (1024.0 * 1024.0);
            let float = if mb.fract() == 0.0 { format!("{mb} MB") } else { format!("{mb:.1} MB") };
            assert_eq!(megabytes(bytes), float, "{bytes} bytes");
        }
    }

    #[test]
    fn zips_round_trip_and_keep_paths() {
        let files = vec![
            ("api/helpers.mpl".to_owned(), "pub fn a() do 1 end\n".to_owned()),
            ("main.mpl".to_owned(), "fn main() do a() end\n".to_owned()),
        ];
        let mut bytes = zip_files(&files).unwrap();
        let mut intake = Intake::new(Limits::default());
        intake.offer("project.zip", &bytes);
        assert_eq!(intake.files, files);
        assert!(intake.skipped.is_empty());

        // A path zip cannot hold is refused, not cut.
        assert_eq!(zip_files(&[(format!("{}.mpl", "a".repeat(65_536)), String::new())]), None);

        bytes.truncate(bytes.len() / 2);
        let mut broken = Intake::new(Limits::default());
        broken.offer("cut.zip", &bytes);
        assert!(broken.files.is_empty());
        assert_eq!(broken.skipped.len(), 1);
        assert!(broken.skipped[0].1.to_string().starts_with("not a readable zip: "));
    }

    #[test]
    fn zips_from_other_tools_are_read_and_their_bad_entries_named() {
        // Python's zipfile: a folder, a stored and a deflated file, a bzip2 one, and one whose CRC (in both
        // headers) was overwritten with 0x12345678.
        const BAD: &str = "not a readable zip: ";
        let bytes = include_bytes!("../tests/fixtures/intake/python-zipfile.zip");
        let mut intake = Intake::new(Limits::default());
        intake.offer("python.zip", bytes);
        assert_eq!(paths(&intake), ["p/stored.mpl", "p/deflated.mpl"]);
        assert_eq!(intake.files[1].1, "fn b() do 2 end\n".repeat(20));
        assert_eq!(
            reasons(&intake),
            [
                ("p/bz.mpl".to_owned(), format!("{BAD}compression method 12 (BZIP2) is not supported")),
                ("p/badcrc.mpl".to_owned(), format!("{BAD}Invalid checksum: expected 0x12345678, got 0xb09fb20e")),
            ]
        );
    }

    #[test]
    fn one_zip_inflates_a_bounded_amount() {
        // Ten 900-byte files under a 1,000-byte file and 3,000-byte project limit: three are taken, the
        // fourth passes the project limit, the fifth is cut where the 4,000-byte budget runs out, and the
        // last five are refused without being inflated.
        let files: Vec<_> = (0..10).map(|i| (format!("f{i}.mpl"), format!("{i}").repeat(900))).collect();
        let mut intake = Intake::new(Limits { max_file_bytes: 1000, max_project_bytes: 3000, max_files: 100 });
        intake.offer("many.zip", &zip_files(&files).unwrap());
        assert_eq!(paths(&intake), ["f0.mpl", "f1.mpl", "f2.mpl"]);
        let refused: Vec<_> = reasons(&intake).into_iter().map(|(p, r)| format!("{p}: {r}")).collect();
        let mut expected = vec!["f3.mpl: the project would pass the 0.0 MB limit".to_owned()];
        expected.extend((4..10).map(|i| format!("f{i}.mpl: the zip's entries inflate past 0.0 MB in all")));
        assert_eq!(refused, expected);
    }

    /// A zip whose `entries` central-directory records all point at one local entry: `text`, deflated.
    fn overlapping_zip(text: &[u8], entries: usize) -> Vec<u8> {
        let packed = miniz_oxide::deflate::compress_to_vec(text, 6);
        let (crc, packed_len, len) = (CRC32.checksum(text), packed.len() as u32, text.len() as u32);
        let sizes = |out: &mut Vec<u8>| {
            for word in [crc, packed_len, len] {
                out.extend(word.to_le_bytes());
            }
        };
        let mut zip = 0x04034b50u32.to_le_bytes().to_vec();
        zip.extend([20, 0, 0, 0, 8, 0, 0, 0, 0, 0]); // version, flags, DEFLATE, time, date
        sizes(&mut zip);
        zip.extend([5, 0, 0, 0]);
        zip.extend(b"b.mpl");
        zip.extend(&packed);
        let directory = zip.len() as u32;
        for i in 0..entries {
            let name = format!("b{i:05}.mpl");
            zip.extend(0x02014b50u32.to_le_bytes());
            zip.extend([20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]); // made by, needed, flags, DEFLATE, time, date
            sizes(&mut zip);
            zip.extend((name.len() as u16).to_le_bytes());
            zip.extend([0; 12]); // extra, comment, disk, attributes
            zip.extend(0u32.to_le_bytes()); // every entry's data is the one local entry's
            zip.extend(name.as_bytes());
        }
        let directory_len = zip.len() as u32 - directory;
        zip.extend(0x06054b50u32.to_le_bytes());
        zip.extend([0, 0, 0, 0]);
        zip.extend([(entries as u16).to_le_bytes(), (entries as u16).to_le_bytes()].concat());
        zip.extend([directory_len.to_le_bytes(), directory.to_le_bytes()].concat());
        zip.extend([0, 0]);
        zip
    }

    #[test]
    fn entries_sharing_their_data_inflate_a_bounded_amount() {
        // 5,000 entries of 1 MB each from one 1 KB stream: 5 GB if each were inflated. The project limit
        // takes 50 and refuses the next 5; then the archive's 55 MB are spent, and the rest are refused
        // without being inflated.
        let zip = overlapping_zip(&[b' '; 1024 * 1024], 5000);
        let mut intake = Intake::new(Limits::default());
        intake.offer("bomb.zip", &zip);
        assert_eq!(intake.files.len(), 50);
        let mut counts = std::collections::BTreeMap::new();
        for (_, reason) in &intake.skipped {
            *counts.entry(reason.to_string()).or_insert(0) += 1;
        }
        let expected =
            [("the project would pass the 50 MB limit", 5), ("the zip's entries inflate past 55 MB in all", 4945)];
        assert_eq!(counts, expected.map(|(r, n)| (r.to_owned(), n)).into());
    }

    #[test]
    fn zip_entries_past_the_limit_are_not_inflated() {
        let big = "x".repeat(64 * 1024);
        let bytes = zip_files(&[("big.mpl".to_owned(), big), ("notes.txt".to_owned(), "hi".to_owned())]).unwrap();
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
