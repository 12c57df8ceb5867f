//! Finding and reading `.mpl` files.

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
