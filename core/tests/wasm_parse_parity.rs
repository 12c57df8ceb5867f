//! `parse` gives identical results natively and in wasm32 (headless Chromium, via
//! wasm-bindgen-test): both builds of this file check every fixture under
//! public/examples/mesher against the same golden file in tests/golden/parse/.
//!
//! A golden holds the syntax errors (position, byte range, message), the node count with a
//! hash of every node's kind and byte range, and the S-expression, one node per line.
//! Regenerate natively after a grammar or fixture change, and review the diff:
//!     UPDATE_GOLDEN=1 cargo test -p mesh-rewrite --test wasm_parse_parity

use std::fmt::Write;

/// (path under public/examples/mesher, source, golden): generated, see `regenerate`.
const FIXTURES: &[(&str, &str, &str)] = include!("golden/parse/fixtures.rs");

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_fixture_parses_as_its_golden() {
    #[cfg(not(target_arch = "wasm32"))]
    if native::update_requested() {
        native::regenerate();
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    native::assert_list_complete();

    assert!(!FIXTURES.is_empty(), "no fixtures: {}", native_hint());
    let mut failures = Vec::new();
    for (path, source, golden) in FIXTURES {
        let actual = render(source);
        if actual != *golden {
            let diff = similar::TextDiff::from_lines(*golden, actual.as_str());
            let shown: String = diff
                .unified_diff()
                .context_radius(2)
                .header("golden", "actual")
                .to_string()
                .lines()
                .take(40)
                .map(|l| format!("{l}\n"))
                .collect();
            failures.push(format!("{path} differs from its golden:\n{shown}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ on {} ({}):\n{}",
        failures.len(),
        FIXTURES.len(),
        std::env::consts::ARCH,
        native_hint(),
        failures.join("\n")
    );
}

fn native_hint() -> &'static str {
    "if the change is intended, run `UPDATE_GOLDEN=1 cargo test -p mesh-rewrite --test wasm_parse_parity` natively"
}

/// Everything `parse` decides, as text.
fn render(source: &str) -> String {
    let parsed = mesh_rewrite::parse::parse(source);
    let mut out = String::new();
    writeln!(out, "errors: {}", parsed.errors().len()).unwrap();
    for e in parsed.errors() {
        writeln!(out, "{}:{} [{}..{}] {}", e.line, e.column, e.start_byte, e.end_byte, e.message).unwrap();
    }
    let (count, hash) = node_digest(parsed.root());
    writeln!(out, "nodes: {count}, kinds and byte ranges fnv1a64: {hash:016x}").unwrap();
    out.push_str(&pretty_sexp(&parsed.sexp()));
    out.push('\n');
    out
}

/// Counts every node (anonymous ones too) and hashes kind, byte range and error flags.
fn node_digest(root: tree_sitter::Node) -> (usize, u64) {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |value: u64| {
        for byte in value.to_le_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    let mut count = 0;
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        count += 1;
        feed(u64::from(node.kind_id()));
        feed(node.start_byte() as u64);
        feed(node.end_byte() as u64);
        feed(u64::from(node.is_missing()) | u64::from(node.is_error()) << 1);
        if cursor.goto_first_child() || cursor.goto_next_sibling() {
            continue;
        }
        loop {
            if !cursor.goto_parent() {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                break;
            }
        }
    }
    (count, hash)
}

/// One node per line, indented by depth, `field: (kind` kept together.
fn pretty_sexp(sexp: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut after_field = false;
    let mut after_open = false;
    let mut chars = sexp.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' => {
                if !out.is_empty() && !after_field {
                    out.push('\n');
                    out.push_str(&"  ".repeat(depth));
                } else if after_field {
                    out.push(' ');
                }
                out.push('(');
                depth += 1;
                after_field = false;
                after_open = true;
            }
            ')' => {
                out.push(')');
                depth = depth.saturating_sub(1);
                after_open = false;
            }
            c if c.is_whitespace() => {}
            _ => {
                let mut token = String::from(c);
                if c == '"' || c == '\'' {
                    // A quoted token (`(MISSING "end")`) may hold spaces or parentheses.
                    for q in chars.by_ref() {
                        token.push(q);
                        if q == c {
                            break;
                        }
                    }
                } else {
                    while let Some(&n) = chars.peek() {
                        if n.is_whitespace() || n == '(' || n == ')' {
                            break;
                        }
                        token.push(n);
                        chars.next();
                    }
                }
                if token.ends_with(':') && !after_open {
                    out.push('\n');
                    out.push_str(&"  ".repeat(depth));
                    after_field = true;
                } else if !after_open {
                    out.push(' ');
                }
                out.push_str(&token);
                after_open = false;
            }
        }
    }
    out
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::{Path, PathBuf};

    const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/examples/mesher");
    const GOLDEN_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/parse");

    pub fn update_requested() -> bool {
        std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
    }

    /// Every .mpl under the fixture directory, as sorted relative paths with `/`.
    fn fixture_paths() -> Vec<String> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else if path.extension().is_some_and(|e| e == "mpl") {
                    let rel = path.strip_prefix(root).expect("walked from root");
                    out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
                }
            }
        }
        let root = Path::new(FIXTURE_DIR);
        let mut out = Vec::new();
        walk(root, root, &mut out);
        out.sort();
        out
    }

    pub fn assert_list_complete() {
        let listed: Vec<&str> = super::FIXTURES.iter().map(|(p, _, _)| *p).collect();
        assert_eq!(
            listed,
            fixture_paths(),
            "tests/golden/parse/fixtures.rs does not list the fixtures on disk; {}",
            super::native_hint()
        );
    }

    fn golden_path(fixture: &str) -> PathBuf {
        Path::new(GOLDEN_DIR).join(format!("{fixture}.golden"))
    }

    /// Rewrites every golden and the fixture list from the current native parse.
    pub fn regenerate() {
        let golden_dir = Path::new(GOLDEN_DIR);
        let paths = fixture_paths();
        let before: std::collections::HashMap<&str, String> = paths
            .iter()
            .filter_map(|p| Some((p.as_str(), std::fs::read_to_string(golden_path(p)).ok()?)))
            .collect();
        remove_goldens(golden_dir);
        let mut list = String::from(
            "// Generated by `UPDATE_GOLDEN=1 cargo test -p mesh-rewrite --test wasm_parse_parity`; do not edit.\n&[\n",
        );
        for path in &paths {
            let source = std::fs::read_to_string(Path::new(FIXTURE_DIR).join(path)).expect("fixture is UTF-8");
            let golden = golden_path(path);
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            let rendered = super::render(&source);
            if before.get(path.as_str()) != Some(&rendered) {
                eprintln!("UPDATE_GOLDEN: rewrote {}", golden.display());
            }
            std::fs::write(&golden, rendered).unwrap();
            list.push_str(&format!(
                "    (\n        {path:?},\n        include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../public/examples/mesher/{path}\")),\n        include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/tests/golden/parse/{path}.golden\")),\n    ),\n"
            ));
        }
        list.push_str("]\n");
        std::fs::write(golden_dir.join("fixtures.rs"), list).unwrap();
        eprintln!("UPDATE_GOLDEN: wrote {} goldens under {GOLDEN_DIR}; run the test again to compare", paths.len());
    }

    fn remove_goldens(dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                remove_goldens(&path);
                let _ = std::fs::remove_dir(&path);
            } else if path.extension().is_some_and(|e| e == "golden") {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
}

#[cfg(test)]
mod pretty {
    #[test]
    fn one_node_per_line_with_fields() {
        let sexp = "(source_file (call function: (identifier) arguments: (arguments (MISSING \")\"))))";
        assert_eq!(
            super::pretty_sexp(sexp),
            "(source_file\n  (call\n    function: (identifier)\n    arguments: (arguments\n      (MISSING \")\"))))"
        );
    }
}
