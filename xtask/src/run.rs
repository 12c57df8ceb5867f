//! Running commands: echo them, fail with a message that names them, time steps.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (xtask lives one level below it). Read at run time (`cargo run` sets
/// CARGO_MANIFEST_DIR): an xtask binary reused from another checkout's target/ must not work on that checkout.
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    Path::new(&manifest).parent().expect("xtask sits inside the repository").to_path_buf()
}

/// Every file under `dir`, at any depth, in path order.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, into: &mut Vec<PathBuf>) -> Result {
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                walk(&path, into)?;
            } else {
                into.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    Ok(files)
}

/// Builds a command for `program args…`, run from the repository root with `tool_path()` as PATH.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root()).env("PATH", tool_path());
    c
}

/// PATH with the project's pinned tools first: npm's wasm-opt 132 (Debian's binaryen
/// corrupts output) and cargo's bin dir (where tree-sitter and wasm-bindgen-test-runner land).
pub fn tool_path() -> String {
    let mut dirs = vec![root().join("tests/node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo"))
    }) {
        dirs.push(home.join("bin"));
    }
    let mut path: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    path.push(std::env::var("PATH").unwrap_or_default());
    path.join(":")
}

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `c` with inherited output; a non-zero exit is an error naming the command.
pub fn status(c: &mut Command) -> Result {
    let shown = describe(c);
    println!("$ {shown}");
    let st = c.status().map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if st.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({st})"))
    }
}

/// A command running in the background, its output in a log file; killed if dropped unwaited (a step
/// before the one that needs it failed).
pub struct Background {
    child: Child,
    shown: String,
    log: PathBuf,
}

impl Background {
    pub fn spawn(c: &mut Command, log: &Path) -> Result<Background> {
        let shown = describe(c);
        println!("$ {shown} &> {}", log.display());
        let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let copy = file.try_clone().map_err(|e| e.to_string())?;
        let child = c.stdout(file).stderr(copy).spawn().map_err(|e| format!("could not start `{shown}`: {e}"))?;
        Ok(Background { child, shown, log: log.to_path_buf() })
    }

    pub fn wait(mut self) -> Result {
        let st = self.child.wait().map_err(|e| format!("`{}`: {e}", self.shown))?;
        if st.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({st}); its output is in {}", self.shown, self.log.display()))
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `c` quietly and returns its stdout, or None if it cannot start or fails.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether `program` can be started (looked up on `tool_path()`).
pub fn found(program: &str) -> bool {
    tool_path()
        .split(':')
        .any(|dir| !dir.is_empty() && Path::new(dir).join(program).is_file())
}

/// Named steps with their wall times, printed as a table at the end.
#[derive(Default)]
pub struct Steps {
    done: Vec<(String, Duration)>,
}

impl Steps {
    pub fn step(&mut self, name: &str, f: impl FnOnce() -> Result) -> Result {
        println!("\n==> {name}");
        let start = Instant::now();
        let result = f();
        let took = start.elapsed();
        self.done.push((name.to_owned(), took));
        match result {
            Ok(()) => {
                println!("<== {name}: ok in {:.1}s", took.as_secs_f64());
                Ok(())
            }
            Err(e) => {
                self.print();
                Err(format!("step `{name}` failed: {e}"))
            }
        }
    }

    pub fn print(&self) {
        println!("\nstep timings:");
        let total: Duration = self.done.iter().map(|(_, d)| *d).sum();
        for (name, d) in &self.done {
            println!("  {:>7.1}s  {name}", d.as_secs_f64());
        }
        println!("  {:>7.1}s  total", total.as_secs_f64());
    }
}
