//! The bundled example projects (public/examples), embedded at build time.

use crate::state::File;

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

/// The files of the named example project, in path order.
pub fn project(name: &str) -> Vec<File> {
    FILES
        .iter()
        .filter(|(p, _, _)| *p == name)
        .map(|(_, path, text)| File { path: (*path).to_owned(), text: (*text).to_owned() })
        .collect()
}

/// The example the empty state offers.
pub const MESHER: &str = "mesher";
