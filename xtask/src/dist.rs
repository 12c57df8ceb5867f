//! `cargo xtask dist [DIR]`: the release page as a static folder for any host and sub-path:
//! pre-compressed assets, `_headers` (Netlify, Cloudflare Pages) and `.htaccess` (Apache).

use crate::ensure;
use crate::page::{self, Profile};
use crate::run::{root, Result};
use std::path::{Path, PathBuf};

pub fn run(args: &[String]) -> Result {
    ensure::page(Profile::Release)?;
    page::build(Profile::Release)?;
    crate::test::check_dist()?;
    let dist = root().join("dist");
    match args.first() {
        None => println!("xtask: the page is in {}", dist.display()),
        Some(dir) => {
            let target = PathBuf::from(dir);
            let _ = std::fs::remove_dir_all(&target);
            copy(&dist, &target).map_err(|e| format!("copying dist/ to {}: {e}", target.display()))?;
            println!("xtask: the page is in {}", target.display());
        }
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}
