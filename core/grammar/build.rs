//! Compiles the generated parser and the external scanner.
//! For wasm32-unknown-unknown there is no libc: tree-sitter-language ships the
//! headers of the small C subset that tree-sitter itself provides in wasm.
fn main() {
    let src = std::path::Path::new("src");
    let mut build = cc::Build::new();
    build
        .std("c11")
        .include(src)
        .flag_if_supported("-Wno-unused-parameter")
        .flag_if_supported("-Wno-unused-but-set-variable")
        .flag_if_supported("-Wno-trigraphs")
        // A libc call that wasm lacks would silently become an `env` import and break the page.
        .flag("-Werror=implicit-function-declaration");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target == "wasm32-unknown-unknown" {
        let headers = std::env::var("DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS")
            .expect("tree-sitter-language sets DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS for wasm32");
        build.include(headers);
    } else if prefers_clang(&target) {
        build.compiler("clang");
    }
    // FNV-1a of the C sources: names the grammar a build carries (`mesh-rewrite --version`, links).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in ["parser.c", "scanner.c"] {
        let path = src.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        for byte in std::fs::read(&path).expect("grammar sources are readable") {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        build.file(path);
    }
    println!("cargo:rustc-env=MESH_GRAMMAR_HASH={:012x}", hash >> 16);
    build.compile("tree-sitter-mesh");
}

/// Natively, the lexer (`ts_lex` in parser.c: one large `switch` over states, run for every
/// character) compiled by clang runs in half the instructions gcc 12's takes, and `rewrite --check`
/// on `cargo xtask bench peer`'s 10,000 files takes 4% less time (gcc for the tree-sitter runtime,
/// where clang was slower). So: clang when it is installed and the build did not name a compiler.
fn prefers_clang(target: &str) -> bool {
    let underscored = target.replace('-', "_");
    let chosen = ["CC".to_owned(), format!("CC_{target}"), format!("CC_{underscored}"), "TARGET_CC".to_owned()];
    for var in &chosen {
        println!("cargo:rerun-if-env-changed={var}");
    }
    if chosen.iter().any(|var| std::env::var_os(var).is_some()) {
        return false;
    }
    let version = std::process::Command::new("clang").arg("--version").output();
    version.is_ok_and(|out| out.status.success())
}
