//! `cargo xtask serve`: a development build of the page in dist/, served at http://127.0.0.1:8080 and
//! rebuilt when its sources change. No live reload (its script would be inline, which the page's CSP
//! refuses): reload the browser after a rebuild.

use crate::ensure;
use crate::page::{self, Profile};
use crate::run::{root, Result};
use std::path::Path;
use std::time::{Duration, SystemTime};

const ADDRESS: &str = "127.0.0.1:8080";
/// What the page is built from.
const SOURCES: &[&str] = &["app", "core", "public", "index.html"];

pub fn run(args: &[String]) -> Result {
    if let Some(arg) = args.first() {
        return Err(format!("serve takes no arguments, got `{arg}`"));
    }
    ensure::page(Profile::Dev)?;
    crate::http::serve(ADDRESS, root().join("dist"))?;
    let mut built = None;
    loop {
        let now = sources_state();
        if built != Some(now) {
            built = Some(now);
            match page::build(Profile::Dev) {
                Ok(()) => println!("xtask: serving the page at http://{ADDRESS} (Ctrl+C stops); rebuilt on changes to {}", SOURCES.join(", ")),
                Err(e) => eprintln!("xtask: the build failed, rebuilding on the next change: {e}"),
            }
        }
        // Polling: no platform watcher to set up, and a second is quick enough for a human.
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The newest modification time and the number of files and folders under SOURCES: an edit, a new,
/// a removed or a renamed file (its folder's time) changes it.
fn sources_state() -> (SystemTime, usize) {
    let mut state = (SystemTime::UNIX_EPOCH, 0);
    for source in SOURCES {
        visit(&root().join(source), &mut state);
    }
    state
}

fn visit(path: &Path, state: &mut (SystemTime, usize)) {
    let Ok(meta) = path.metadata() else { return };
    state.0 = state.0.max(meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
    state.1 += 1;
    if meta.is_dir() {
        let skip = path.file_name().is_some_and(|n| n == "target" || n == "node_modules");
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten().filter(|_| !skip) {
            visit(&entry.path(), state);
        }
    }
}
