//! Embeds the bundled example projects (public/examples/*/**/*.mpl) as (project, path, text) triples.
use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time: a build script binary can be reused by another checkout sharing target/.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("../public/examples");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from("pub const FILES: &[(&str, &str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&root).unwrap().to_str().unwrap().replace('\\', "/");
        let (project, path) = rel.split_once('/').expect("examples live in a project folder");
        writeln!(out, "    ({project:?}, {path:?}, include_str!({:?})),", file.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    std::fs::write(Path::new(&std::env::var("OUT_DIR").unwrap()).join("examples.rs"), out).unwrap();
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "mpl") {
            files.push(path);
        }
    }
}
