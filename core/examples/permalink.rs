//! Prints the permalink fragment and the bundle JSON of a state holding the given files
//! (paths relative to ROOT) with the default options: the numbers behind tests/bench/permalink-vs-lz.mjs.
//!
//! cargo run -q -p mesh-rewrite --example permalink -- ROOT FILE... > out.json

use mesh_rewrite::permalink::{self, State};
use mesh_rewrite::{bundle, rewrite::rule::Rule};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("usage: permalink ROOT FILE...");
    let files: Vec<(String, String)> = args
        .map(|path| {
            let text = std::fs::read_to_string(format!("{root}/{path}")).expect("readable UTF-8 file");
            (path, text)
        })
        .collect();
    let state = State {
        selected: files.first().map(|(p, _)| p.clone()),
        files,
        rule: Rule::default(),
        view: "unified".into(),
        ..State::default()
    };
    let out = serde_json::json!({ "fragment": permalink::encode(&state), "bundle": bundle::to_json(&state) });
    println!("{out}");
}
