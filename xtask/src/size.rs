//! `cargo xtask size`: where the page's gzipped bytes go. Builds the release wasm with function
//! names kept, then compresses its code and data once whole and once without each part: what a part
//! costs is what the page would lose without it. Parts are the crates (by the names of their
//! functions), the UI and the engine as wholes (by `cargo tree`), the data, and the bundled example.
//! DEFLATE level 9 as gzip -9 (dist/'s zopfli wasm is ~1% smaller); the costs are upper bounds.

use crate::ensure;
use crate::page::{self, Profile, APP};
use crate::ensure::WASM_TARGET;
use crate::run::{cmd, files_under, output, root, Result};
use std::collections::{BTreeMap, BTreeSet};
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

/// Crates of the standard library: both sides use them.
const STD: &[&str] = &["core", "alloc", "std", "dlmalloc", "hashbrown", "compiler_builtins", "panic_abort"];
/// Crates too small to list on their own (raw bytes of their functions).
const LIST_FROM: usize = 1_500;

pub fn run(args: &[String]) -> Result {
    if !args.is_empty() {
        return Err(format!("`cargo xtask size` takes no arguments, got `{}`", args.join(" ")));
    }
    ensure::page(Profile::Release)?;
    let out = page::wasm(Profile::Release, true)?;
    let wasm = page::read(&out.join(format!("{APP}_bg.wasm")))?;
    let module = Module::parse(&wasm)?;
    let (engine, ui) = (crates_of("mesh-rewrite")?, crates_of(APP)?);
    let side = |krate: &str| {
        if engine.contains(krate) || krate == C {
            "engine"
        } else if ui.contains(krate) && !STD.contains(&krate) {
            "ui"
        } else {
            "shared"
        }
    };

    let base = module.cost(|_| false, &[]);
    println!("{APP}_bg.wasm, function names kept: {} B; its code and data, DEFLATE -9: {base} B", wasm.len());
    println!("\n{:<58} {:>9} {:>10} {:>12}", "part (what the page loses without it)", "items", "raw bytes", "gzip bytes");
    // Items are functions, data segments or the example's files. Without a part, the rest could in
    // principle compress worse: such a part costs 0.
    let row = |label: &str, (count, raw): (usize, usize), without: usize| {
        println!("{label:<58} {count:>9} {raw:>10} {:>12}", base.saturating_sub(without))
    };
    for (label, which) in [
        ("the UI: the app's components, Leptos, wasm-bindgen, web-sys", "ui"),
        ("the engine: core, the grammar's runtime, their libraries", "engine"),
        ("std, alloc and the rest shared by both", "shared"),
    ] {
        let of = |f: &str| side(&crate_name(f)) == which;
        row(label, module.size(of), module.cost(of, &[]));
    }
    let data: usize = module.data.iter().map(Vec::len).sum();
    row("data: parse tables, the example, strings, vtables", (module.data.len(), data), module.code_cost());
    let example = example_texts()?;
    let example_raw = example.iter().map(Vec::len).sum();
    row("  of which the bundled example's text", (example.len(), example_raw), module.cost(|_| false, &example));

    println!("\nby crate (those with {LIST_FROM} raw bytes of functions or more):");
    let mut crates: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, name) in module.names.iter().enumerate() {
        let entry = crates.entry(crate_name(name)).or_default();
        entry.0 += 1;
        entry.1 += module.bodies[i].len();
    }
    let mut listed: Vec<(usize, String, (usize, usize))> = crates
        .into_iter()
        .filter(|(_, (_, raw))| *raw >= LIST_FROM)
        .map(|(krate, size)| (module.cost(|f| crate_name(f) == krate, &[]), krate, size))
        .collect();
    listed.sort_by_key(|l| l.0);
    for (without, krate, size) in listed {
        row(&format!("  {krate} ({})", side(&krate)), size, without);
    }
    Ok(())
}

/// How `crate_name` files the tree-sitter runtime and libc: functions named without a path.
const C: &str = "C: tree-sitter's runtime, libc";

/// The crate a function's name comes from: `tachys::view::…` → tachys; `<T as tachys::…>::f` →
/// tachys (a generic impl goes to the trait's crate); `ts_parser_parse` → C.
fn crate_name(function: &str) -> String {
    let mut name = function;
    if let Some(rest) = name.strip_prefix('<') {
        name = match rest.split_once(" as ") {
            Some((self_type, of_trait)) if !self_type.contains("::") => of_trait,
            _ => rest,
        };
    }
    let end = name.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(name.len());
    if name[end..].starts_with("::") || name[end..].starts_with('[') { name[..end].to_owned() } else { C.to_owned() }
}

/// The crates `package` builds into the page's wasm, as Rust names them (`-` → `_`).
fn crates_of(package: &str) -> Result<BTreeSet<String>> {
    let args = ["tree", "-p", package, "--target", WASM_TARGET, "-e", "normal", "--prefix", "none"];
    let tree = output(&mut cmd("cargo", &args)).ok_or(format!("`cargo {}` failed", args.join(" ")))?;
    Ok(tree.lines().filter_map(|l| l.split(' ').next()).map(|c| c.replace('-', "_")).collect())
}

/// Each file of the bundled example (public/examples), as the wasm holds it.
fn example_texts() -> Result<Vec<Vec<u8>>> {
    files_under(&root().join("public/examples"))?.iter().map(|path| page::read(path)).collect()
}

/// The parts of a wasm that gzip sees: function bodies (with their names) and data segments.
struct Module {
    bodies: Vec<Vec<u8>>,
    names: Vec<String>,
    data: Vec<Vec<u8>>,
}

impl Module {
    fn parse(wasm: &[u8]) -> Result<Module> {
        let mut module = Module { bodies: Vec::new(), names: Vec::new(), data: Vec::new() };
        let mut imported = 0;
        let mut named: BTreeMap<u32, String> = BTreeMap::new();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(|e| format!("reading the wasm: {e}"))? {
                Payload::ImportSection(imports) => {
                    for import in imports.into_imports() {
                        let import = import.map_err(|e| format!("reading the wasm: {e}"))?;
                        imported += u32::from(matches!(import.ty, TypeRef::Func(_)));
                    }
                }
                Payload::CodeSectionEntry(body) => module.bodies.push(body.as_bytes().to_vec()),
                Payload::DataSection(data) => {
                    for segment in data {
                        module.data.push(segment.map_err(|e| format!("reading the wasm: {e}"))?.data.to_vec());
                    }
                }
                Payload::CustomSection(custom) => {
                    if let KnownCustom::Name(names) = custom.as_known() {
                        for name in names.into_iter().flatten() {
                            if let Name::Function(map) = name {
                                for naming in map.into_iter().flatten() {
                                    named.insert(naming.index, naming.name.to_owned());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        if named.is_empty() {
            return Err("the wasm has no function names (XTASK_WASM_NAMES keeps them)".into());
        }
        let unnamed = |i: usize| format!("function #{i}");
        module.names = (0..module.bodies.len())
            .map(|i| named.remove(&(i as u32 + imported)).unwrap_or_else(|| unnamed(i)))
            .collect();
        Ok(module)
    }

    /// Functions whose name `of` picks: how many, and their raw bytes.
    fn size(&self, of: impl Fn(&str) -> bool) -> (usize, usize) {
        let picked = self.names.iter().zip(&self.bodies).filter(|(name, _)| of(name));
        picked.fold((0, 0), |(count, raw), (_, body)| (count + 1, raw + body.len()))
    }

    /// DEFLATE -9 of the code and data without the functions `of` picks and with every occurrence of
    /// `blank` in the data removed.
    fn cost(&self, of: impl Fn(&str) -> bool, blank: &[Vec<u8>]) -> usize {
        let mut all = Vec::new();
        for (name, body) in self.names.iter().zip(&self.bodies) {
            if !of(name) {
                all.extend_from_slice(body);
            }
        }
        for segment in &self.data {
            all.extend_from_slice(&without(segment, blank));
        }
        miniz_oxide::deflate::compress_to_vec(&all, 9).len()
    }

    fn code_cost(&self) -> usize {
        miniz_oxide::deflate::compress_to_vec(&self.bodies.concat(), 9).len()
    }
}

/// `bytes` without any occurrence of the `blank` byte strings.
fn without(bytes: &[u8], blank: &[Vec<u8>]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for b in blank.iter().filter(|b| !b.is_empty()) {
        let mut kept = Vec::with_capacity(out.len());
        let mut rest = &out[..];
        while let Some(at) = rest.windows(b.len()).position(|w| w == &b[..]) {
            kept.extend_from_slice(&rest[..at]);
            rest = &rest[at + b.len()..];
        }
        kept.extend_from_slice(rest);
        out = kept;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_go_to_their_crate_or_their_trait_s() {
        assert_eq!(crate_name("tachys::view::any_view::elements::h0123456789abcdef"), "tachys");
        assert_eq!(crate_name("<T as tachys::view::any_view::IntoAny>::into_any::build"), "tachys");
        assert_eq!(crate_name("<char as core::fmt::Debug>::fmt"), "core");
        assert_eq!(crate_name("<alloc::vec::Vec<u8> as core::clone::Clone>::clone"), "alloc");
        assert_eq!(crate_name("core[c5930c85a12de822]::unicode::unicode_data::alphabetic::lookup_slow"), "core");
        assert_eq!(crate_name("ts_parser_parse"), C);
        assert_eq!(crate_name("memcpy"), C);
    }

    #[test]
    fn blanks_every_occurrence() {
        let blank = [b"ab".to_vec(), Vec::new(), b"zz".to_vec()];
        assert_eq!(without(b"xabyabab", &blank), b"xy");
        assert_eq!(without(b"", &blank), b"");
        assert_eq!(without(b"aab", &[b"ab".to_vec()]), b"a");
    }
}
