//! `cargo xtask bench peer [RUNS]` (`MESH_REWRITE=path` for another build of the CLI): the CLI
//! against its peers, side by side (issue 12): the
//! tree-sitter CLI for parsing, ast-grep (PyPI `ast-grep-cli`, with our grammar as a custom
//! language) for the rewrite. Std only: everything is done by shelling out.
//!
//! Everything lives under `target/peer/`: a 10,000-file tree built from the example project (as
//! `cli/benches/rewrite_tree.rs` builds it), one 10 MB file, a venv holding ast-grep, the grammar
//! as a shared library and ast-grep's `sgconfig.yml`. Each pair of commands runs alternately
//! (A B A B …) so that load from others on the machine hits both sides alike; the table gives
//! medians, and the ratio is the median of the per-pair ratios.

use crate::run::{cmd, files_under, output, root, status, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const FILES: usize = 10_000;
const BIG_BYTES: usize = 10 * 1024 * 1024;
const AST_GREP: &str = "ast-grep-cli==0.51.1";
const PATTERN: &str = "Process.whereis(\"mesher_registry\")";
const REPLACEMENT: &str = "get_registry()";

pub fn run(args: &[String]) -> Result {
    let runs: usize = match args.first() {
        None => 5,
        Some(n) => n.parse().ok().filter(|&n| n >= 1).ok_or_else(|| format!("RUNS must be a positive number, not {n:?}"))?,
    };
    crate::ensure::tree_sitter()?;
    let root = root();
    let work = root.join("target/peer");
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    // The CLI as `cargo xtask bench` builds everything: the bench profile (release settings).
    // MESH_REWRITE=path measures another build instead (an earlier commit's, kept aside).
    let mesh = match std::env::var_os("MESH_REWRITE") {
        Some(path) => PathBuf::from(path),
        None => {
            status(&mut cmd("cargo", &["build", "--quiet", "--profile", "bench", "-p", "mesh-rewrite-cli", "--bin", "mesh-rewrite"]))?;
            root.join("target/release/mesh-rewrite")
        }
    };
    println!("mesh-rewrite: {}", mesh.display());
    let ast_grep = install_ast_grep(&work)?;
    let tree_sitter = which("tree-sitter").ok_or("the tree-sitter CLI is not installed (cargo install tree-sitter-cli)")?;
    let library = build_library(&root, &work)?;
    fs::write(
        work.join("sgconfig.yml"),
        format!("customLanguages:\n  mesh:\n    libraryPath: {}\n    extensions: [mpl]\n", library.display()),
    )
    .map_err(|e| e.to_string())?;

    let tree = work.join("tree");
    let (files, bytes) = generate_tree(&root.join("public/examples/mesher"), &tree)?;
    let big_dir = work.join("big");
    let big = generate_big(&root.join("public/examples/mesher"), &big_dir)?;
    let paths = work.join("paths.txt");
    let listed: Vec<String> = files_under(&tree)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "mpl"))
        .map(|p| p.display().to_string())
        .collect();
    fs::write(&paths, listed.join("\n") + "\n").map_err(|e| e.to_string())?;
    println!("tree: {files} files, {:.1} MB; big file: {:.1} MB", bytes as f64 / 1e6, fs::metadata(&big).map_or(0, |m| m.len()) as f64 / 1e6);

    let grammar = root.join("core/grammar");
    let ts_parse = |target: &[&Path]| {
        let mut c = Command::new(&tree_sitter);
        c.current_dir(&grammar).args(["parse", "-q"]);
        for t in target {
            c.arg(t);
        }
        c
    };
    let ts_parse_tree = || {
        let mut c = Command::new(&tree_sitter);
        c.current_dir(&grammar).args(["parse", "-q", "--paths"]).arg(&paths);
        c
    };
    let mesh_cmd = |args: &[&str], target: &Path| {
        let mut c = Command::new(&mesh);
        c.args(args).arg(target);
        c
    };
    let sg = |target: &Path| {
        let mut c = Command::new(&ast_grep);
        // The tree sits in target/, which .gitignore lists: read it anyway. A custom language is a
        // native library, which ast-grep loads only when told to.
        c.current_dir(&work)
            .args(["run", "--custom-languages", "allow", "--color", "never", "--no-ignore", "vcs", "--no-ignore", "parent", "--lang", "mesh", "-p", PATTERN, "-r", REPLACEMENT])
            .arg(target);
        c
    };

    // Warm-up, untimed: tree-sitter compiles the grammar into its cache on first use; every side
    // gets the tree into the page cache.
    let warm = [ts_parse_tree(), mesh_cmd(&["parse"], &tree), sg(&tree)];
    for mut c in warm {
        let _ = c.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }

    let out = work.join("out");
    fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    let pairs: Vec<(&str, Command, &[i32], Command, &[i32])> = vec![
        ("parse every file (`parse` vs `tree-sitter parse -q --paths`)", mesh_cmd(&["parse"], &tree), &[0, 1], ts_parse_tree(), &[0, 1]),
        ("`rewrite --check` vs `ast-grep run -p … -r …` (diff output)", mesh_cmd(&["rewrite", "--check"], &tree), &[1], sg(&tree), &[0]),
        ("patch on stdout (`rewrite` vs `ast-grep run -p … -r …`)", mesh_cmd(&["rewrite"], &tree), &[0], sg(&tree), &[0]),
        ("10 MB file: parse (vs `tree-sitter parse -q`)", mesh_cmd(&["parse"], &big), &[0, 1], ts_parse(&[&big]), &[0, 1]),
        // ast-grep skips files of 200,000 lines or more: no match, exit 1.
        ("10 MB file: `rewrite --check` (vs ast-grep)", mesh_cmd(&["rewrite", "--check"], &big_dir), &[1], sg(&big_dir), &[0, 1]),
    ];
    for (i, (name, mut a, a_ok, mut b, b_ok)) in pairs.into_iter().enumerate() {
        print!("{name}: ");
        let mut pair = Vec::new();
        for r in 0..runs {
            let sa = measure(&mut a, a_ok, &out.join(format!("{i}-mesh-{r}")))?;
            let sb = measure(&mut b, b_ok, &out.join(format!("{i}-peer-{r}")))?;
            print!("{:.2}/{:.2} ", sa.wall, sb.wall);
            use std::io::Write as _;
            let _ = std::io::stdout().flush();
            pair.push((sa, sb));
        }
        println!();
        println!("{}", row(name, &pair));
        rows.push((name, pair));
    }
    // The patch and ast-grep's diff are both real output, not empty runs.
    let sizes = |prefix: &str| fs::metadata(out.join(format!("{prefix}-0.out"))).map_or(0, |m| m.len());
    println!("output: patch {} bytes, ast-grep diff {} bytes", sizes("2-mesh"), sizes("2-peer"));

    println!("\n{runs} runs each, alternating; medians; ratio = median of per-pair ratios (mesh-rewrite / peer)\n");
    println!("| work | mesh-rewrite | peer | ratio |");
    println!("|---|---|---|---|");
    for (name, pair) in &rows {
        println!("{}", row(name, pair));
    }
    Ok(())
}

/// A line of the table: each side's medians, and the median of the per-pair ratios.
fn row(name: &str, pair: &[(Sample, Sample)]) -> String {
    let side = |f: fn(&(Sample, Sample)) -> &Sample| {
        let s: Vec<&Sample> = pair.iter().map(f).collect();
        format!(
            "{:.2} s wall, {:.2} s cpu, {:.1} MiB",
            median(s.iter().map(|s| s.wall).collect()),
            median(s.iter().map(|s| s.cpu).collect()),
            median(s.iter().map(|s| s.rss_kib as f64).collect()) / 1024.0
        )
    };
    let ratio = median(pair.iter().map(|(a, b)| a.wall / b.wall).collect());
    let rss = median(pair.iter().map(|(a, b)| a.rss_kib as f64 / b.rss_kib as f64).collect());
    format!("| {name} | {} | {} | {ratio:.2}× time, {rss:.2}× memory |", side(|p| &p.0), side(|p| &p.1))
}

/// One run: wall time, CPU time (user + system) and peak RSS of the command.
struct Sample {
    wall: f64,
    cpu: f64,
    rss_kib: u64,
}

/// Runs `c` under `/usr/bin/time` (for CPU time and max RSS), stdout and stderr to files.
fn measure(c: &mut Command, ok: &[i32], base: &Path) -> Result<Sample> {
    let time_file = base.with_extension("time");
    let mut timed = Command::new("/usr/bin/time");
    timed.args(["-f", "%U %S %M", "-o"]).arg(&time_file).arg(c.get_program()).args(c.get_args());
    if let Some(dir) = c.get_current_dir() {
        timed.current_dir(dir);
    }
    let file = |ext: &str| fs::File::create(base.with_extension(ext)).map_err(|e| e.to_string());
    timed.stdout(file("out")?).stderr(file("err")?);
    let start = Instant::now();
    let st = timed.status().map_err(|e| format!("/usr/bin/time: {e}"))?;
    let wall = start.elapsed().as_secs_f64();
    if !st.code().is_some_and(|code| ok.contains(&code)) {
        let err = fs::read_to_string(base.with_extension("err")).unwrap_or_default();
        return Err(format!("{:?} exited with {st}: {}", c.get_program(), err.chars().take(2000).collect::<String>()));
    }
    let times = fs::read_to_string(&time_file).map_err(|e| e.to_string())?;
    let last = times.lines().last().unwrap_or_default();
    let v: Vec<&str> = last.split_whitespace().collect();
    let num = |i: usize| v.get(i).and_then(|s| s.parse::<f64>().ok()).ok_or_else(|| format!("/usr/bin/time said {times:?}"));
    Ok(Sample { wall, cpu: num(0)? + num(1)?, rss_kib: num(2)? as u64 })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn which(program: &str) -> Option<PathBuf> {
    crate::run::tool_path().split(':').map(|d| Path::new(d).join(program)).find(|p| p.is_file())
}

/// ast-grep in a venv under target/peer. The wheel ships the compiled binary itself, so nothing
/// is fetched when it runs; checked by running `--version` and finding the binary in the wheel's RECORD.
fn install_ast_grep(work: &Path) -> Result<PathBuf> {
    let venv = work.join("venv");
    let bin = venv.join("bin/ast-grep");
    let version = || output(Command::new(&bin).arg("--version"));
    if !version().is_some_and(|v| v.trim() == "ast-grep 0.51.1") {
        status(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        status(Command::new(venv.join("bin/pip")).args(["install", "--quiet", AST_GREP]))?;
    }
    let files = output(Command::new(venv.join("bin/pip")).args(["show", "-f", "ast-grep-cli"])).unwrap_or_default();
    if !files.lines().any(|l| l.trim().ends_with("bin/ast-grep")) {
        return Err("the ast-grep-cli wheel does not list bin/ast-grep: it would need a download at run time".into());
    }
    let v = version().ok_or("ast-grep does not run")?;
    println!("{}", v.trim());
    Ok(bin)
}

/// The grammar as a shared library for ast-grep's `customLanguages`.
fn build_library(root: &Path, work: &Path) -> Result<PathBuf> {
    let src = root.join("core/grammar/src");
    let lib = work.join("mesh.so");
    let mut c = Command::new("cc");
    c.args(["-shared", "-fPIC", "-O2", "-I"]).arg(&src).arg(src.join("parser.c")).arg(src.join("scanner.c")).arg("-o").arg(&lib);
    status(&mut c)?;
    Ok(lib)
}

/// The example project plus copies of its handler files under `gen/` up to `FILES` files.
fn generate_tree(example: &Path, tree: &Path) -> Result<(usize, usize)> {
    let sources = mpl_sources(example)?;
    let handlers: Vec<&(String, String)> = sources.iter().filter(|(_, t)| t.contains(PATTERN)).collect();
    if handlers.is_empty() {
        return Err(format!("no file under {} calls {PATTERN}", example.display()));
    }
    let _ = fs::remove_dir_all(tree);
    let mut written: Vec<(String, &str)> = sources.iter().map(|(rel, text)| (rel.clone(), text.as_str())).collect();
    let mut i = 0;
    while written.len() < FILES {
        let (_, text) = handlers[i % handlers.len()];
        written.push((format!("gen/g{:02}/handler_{i:05}.mpl", i % 100), text));
        i += 1;
    }
    let mut bytes = 0;
    for (rel, text) in &written {
        let path = tree.join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).map_err(|e| e.to_string())?;
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        bytes += text.len();
    }
    Ok((written.len(), bytes))
}

/// One file of at least `BIG_BYTES`: the handler files' bodies (imports stripped, as one module
/// has them once) repeated, after the imports of the first.
fn generate_big(example: &Path, dir: &Path) -> Result<PathBuf> {
    let sources = mpl_sources(example)?;
    let handlers: Vec<&str> = sources.iter().filter(|(_, t)| t.contains(PATTERN)).map(|(_, t)| t.as_str()).collect();
    let is_import = |l: &str| l.starts_with("from ") || l.starts_with("import ");
    let mut text: String = handlers[0].lines().filter(|l| is_import(l)).map(|l| format!("{l}\n")).collect();
    let bodies: Vec<String> =
        handlers.iter().map(|h| h.lines().filter(|l| !is_import(l)).map(|l| format!("{l}\n")).collect()).collect();
    let mut i = 0;
    while text.len() < BIG_BYTES {
        text.push_str(&bodies[i % bodies.len()]);
        i += 1;
    }
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let path = dir.join("big.mpl");
    fs::write(&path, text).map_err(|e| e.to_string())?;
    Ok(path)
}

/// The `.mpl` files under `root`: each path relative to it (with `/`) and its text, in path order.
fn mpl_sources(root: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for path in files_under(root)?.into_iter().filter(|p| p.extension().is_some_and(|e| e == "mpl")) {
        let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
        out.push((rel, fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?));
    }
    Ok(out)
}
