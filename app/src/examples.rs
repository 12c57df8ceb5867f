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

/// The example's files as the permalink's baseline: links to edited copies of it carry only the edits.
pub fn baseline() -> mesh_rewrite::permalink::Baseline<'static> {
    static FILES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let files = FILES.get_or_init(|| project(MESHER).into_iter().map(|f| (f.path, f.text)).collect());
    mesh_rewrite::permalink::Baseline { files }
}
