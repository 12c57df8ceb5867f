//! `mesh-rewrite rewrite [--config FILE] [--helper-form plan|node-mode|node-local|node-name] [--write | --out DIR] [--check]
//! [--format text|json] PROJECT_DIR`: the registry rewrite on a directory.
//!
//! Files are read and rewritten in parallel (rayon); the engine itself does no I/O.

use crate::args::{FormArg, Format};
use crate::exit;
use crate::files::{mpl_files, read_text, Text};
use crate::out::print_stdout;
use mesh_rewrite::project::{detect_root, strip_dir};
use mesh_rewrite::rewrite::report::{Diagnostic, Report, Severity};
use mesh_rewrite::rewrite::rule::Rule;
use mesh_rewrite::rewrite::{assemble, rewrite_file, FileRewrite, Outcome};
use mesh_rewrite::verdict::{annotate, evaluate, Verdict, DEFAULT_SEEDS};
use rayon::prelude::*;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A TOML file with the rule (keys of the seed plan's defaults: registry_name, helper_name,
    /// helper_file, excluded_files, stay_local, expected_counts, helper_form, custom_helper).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Which helper to insert (overrides the config).
    #[arg(long, value_enum)]
    helper_form: Option<FormArg>,
    /// Rewrite the files in place (each written atomically).
    #[arg(long, conflicts_with_all = ["out", "check"])]
    write: bool,
    /// Write the complete rewritten project (every .mpl file) under DIR.
    #[arg(long, value_name = "DIR", conflicts_with = "check")]
    out: Option<PathBuf>,
    /// Change nothing; exit 1 if the rewrite would change anything.
    #[arg(long)]
    check: bool,
    /// The report's format: text on stderr, or JSON on stdout.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The project: a directory searched recursively for *.mpl.
    project_dir: PathBuf,
}


/// The JSON report, plus the patch when it would have been printed.
#[derive(serde::Serialize)]
struct JsonOut<'a> {
    #[serde(flatten)]
    report: &'a Report,
    verdict: &'a Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<&'a str>,
}

/// A file as found on disk.
pub(crate) struct Found {
    /// Path relative to the project root, '/'-separated.
    rel: String,
    disk: PathBuf,
    /// None when the file is not valid UTF-8.
    pub(crate) rewrite: Option<FileRewrite>,
}

pub fn run(args: Args) -> u8 {
    match run_inner(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("mesh-rewrite: {message}");
            exit::USAGE
        }
    }
}

fn run_inner(args: &Args) -> Result<u8, String> {
    let mut rule = load_rule(args.config.as_deref())?;
    if let Some(form) = args.helper_form {
        rule.helper_form = form.into();
    }
    let dir = &args.project_dir;
    if !fs::metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let (root, found) = read_project(dir, &rule)?;
    let mut rewrites = Vec::with_capacity(found.len());
    let mut not_utf8 = Vec::new();
    for f in found {
        match f.rewrite {
            Some(r) => rewrites.push(r),
            None => not_utf8.push((f.rel, f.disk)),
        }
    }
    // Weighed before `assemble` takes the files: the verdict needs only the helper file's rewrite.
    let verdict = evaluate(&rewrites, &rule, DEFAULT_SEEDS);
    let mut outcome = assemble(rewrites, &rule);
    annotate(&mut outcome.report, &verdict);
    for (rel, _) in &not_utf8 {
        outcome.report.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            path: rel.clone(),
            line: 1,
            column: 1,
            code: "not-utf8".to_owned(),
            message: "not valid UTF-8; the file was not examined or changed".to_owned(),
            start_byte: 0,
            end_byte: 0,
        });
    }
    let root_dir = if root.is_empty() { dir.clone() } else { dir.join(&root) };

    let printing_patch = !args.write && args.out.is_none() && !args.check;
    let patch = if printing_patch { outcome.patch() } else { String::new() };
    if let Some(out) = &args.out {
        write_out(out, &outcome, &not_utf8).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    if args.write {
        write_in_place(&root_dir, &outcome)?;
    }
    match args.format {
        Format::Text => {
            if !root.is_empty() {
                eprintln!("project root: {}", root_dir.display());
            }
            eprint!("{}", outcome.report.to_text());
            eprintln!("\n{}", verdict.line());
            print_stdout(&patch)?;
        }
        Format::Json => {
            let json = JsonOut {
                report: &outcome.report,
                verdict: &verdict,
                patch: printing_patch.then_some(patch.as_str()),
            };
            let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
            print_stdout(&format!("{text}\n"))?;
        }
    }
    Ok(if outcome.report.blocked() || !not_utf8.is_empty() {
        exit::BLOCKED
    } else if args.check && outcome.changed() {
        exit::FOUND
    } else {
        exit::OK
    })
}

pub(crate) fn load_rule(config: Option<&Path>) -> Result<Rule, String> {
    let Some(path) = config else { return Ok(Rule::default()) };
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Finds the files, detects the root, reads and rewrites every file in parallel.
pub(crate) fn read_project(dir: &Path, rule: &Rule) -> Result<(String, Vec<Found>), String> {
    let paths = mpl_files(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut rels = Vec::with_capacity(paths.len());
    for path in &paths {
        let rel = path.strip_prefix(dir).expect("found under dir");
        let rel = rel
            .to_str()
            .ok_or_else(|| format!("{}: the path is not valid UTF-8", path.display()))?
            .replace(std::path::MAIN_SEPARATOR, "/");
        rels.push(rel);
    }
    let root = detect_root(&rels);
    let found = paths
        .into_par_iter()
        .zip(rels.into_par_iter())
        .map(|(disk, rel)| {
            let rel = strip_dir(&rel, &root).expect("detect_root contains every path").to_owned();
            let rewrite = match read_text(&disk).map_err(|e| format!("{}: {e}", disk.display()))? {
                Text::Utf8(text) => Some(rewrite_file(&rel, &text, rule)),
                Text::NotUtf8 => None,
            };
            Ok(Found { rel, disk, rewrite })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok((root, found))
}

/// Writes every file of the rewritten project under `out`, non-UTF-8 files copied unchanged.
fn write_out(out: &Path, outcome: &Outcome, not_utf8: &[(String, PathBuf)]) -> io::Result<()> {
    for file in &outcome.files {
        let target = out.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&target, &file.text)?;
    }
    for (rel, disk) in not_utf8 {
        let target = out.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(disk, &target)?;
    }
    Ok(())
}

/// Replaces each changed file through a temporary file in the same directory and a rename,
/// so a reader never sees half a file.
fn write_in_place(root: &Path, outcome: &Outcome) -> Result<(), String> {
    for file in outcome.files.iter().filter(|f| f.changed()) {
        let target = root.join(&file.path);
        atomic_write(&target, file.text.as_bytes()).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

fn atomic_write(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.mesh-rewrite-{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(target) {
            fs::set_permissions(&temp, meta.permissions())?;
        }
        fs::rename(&temp, target)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}
