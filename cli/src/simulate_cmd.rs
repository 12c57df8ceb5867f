//! `mesh-rewrite simulate [--scenario NAME|FILE|list] [--helper-form plan|node-mode|node-local|node-name] [--project DIR]
//! [--seed N] [--remote-calls-work] [--format text|json]`: run the lookups before and after the
//! rewrite on simulated Mesh nodes.

use crate::args::{FormArg, Format};
use crate::exit;
use crate::files::{mpl_files, read_text, Text};
use crate::out::{pad, print_stdout, Align};
use mesh_rewrite::project::{detect_root, strip_dir, Project, SourceFile};
use mesh_rewrite::rewrite::rule::Rule;
use mesh_rewrite::simulate::{self, helper, scenario, Lookup, Options, Run, Scenario};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A built-in scenario's name, a scenario file, or `list` to print the built-in names.
    #[arg(long, value_name = "NAME|FILE", default_value = "late-join")]
    scenario: String,
    /// The helper the rewrite inserts (without --project, the helper that runs).
    #[arg(long, value_enum, default_value = "plan")]
    helper_form: FormArg,
    /// Take the helper from this project after the rewrite (its helper file).
    #[arg(long, value_name = "DIR")]
    project: Option<PathBuf>,
    /// Seed of the message-delay generator: same seed, same run.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Assume service calls to remote PIDs work (the plan's assumption; today's runtime crashes).
    #[arg(long)]
    remote_calls_work: bool,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}


pub fn run(args: Args) -> u8 {
    if args.scenario == "list" {
        let names: String = simulate::built_in_names().iter().map(|n| format!("{n}\n")).collect();
        return print(&names);
    }
    let scenario = match load_scenario(&args.scenario) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("mesh-rewrite: {message}");
            return exit::USAGE;
        }
    };
    let rule = Rule {
        helper_form: args.helper_form.into(),
        ..Rule::default()
    };
    let (helper_text, label) = match &args.project {
        None => (rule.helper_source(), rule.helper_form.name().to_owned()),
        Some(dir) => match project_helper(dir, &rule) {
            Ok(found) => found,
            Err(message) => {
                eprintln!("mesh-rewrite: {message}");
                return exit::USAGE;
            }
        },
    };
    let options =
        Options { seed: args.seed, remote_calls_work: args.remote_calls_work, record_states: false };
    let run = match simulate::run(&scenario, &rule, &helper_text, &label, &options) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("mesh-rewrite: {e}");
            return if e.too_large { exit::USAGE } else { exit::FOUND };
        }
    };
    match args.format {
        Format::Json => print(&(serde_json::to_string_pretty(&run).expect("a run serializes") + "\n")),
        Format::Text => print(&text_report(&run)),
    }
}

fn print(text: &str) -> u8 {
    match print_stdout(text) {
        Ok(()) => exit::OK,
        Err(message) => {
            eprintln!("mesh-rewrite: {message}");
            exit::USAGE
        }
    }
}

fn load_scenario(arg: &str) -> Result<Scenario, String> {
    if let Some(s) = simulate::built_in(arg) {
        return Ok(s);
    }
    let path = Path::new(arg);
    if !path.is_file() {
        return Err(format!(
            "unknown scenario `{arg}`: not a built-in ({}) and no such file",
            simulate::built_in_names().join(", ")
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{arg}: {e}"))?;
    let name = path.file_stem().map_or("custom".into(), |s| s.to_string_lossy().into_owned());
    scenario::parse(&text, &name).map_err(|e| format!("{arg}: {e}"))
}

/// The helper text of a project after the rewrite, and how it was obtained (printed on stderr).
fn project_helper(dir: &Path, rule: &Rule) -> Result<(String, String), String> {
    let files = mpl_files(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut sources = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(dir).unwrap_or(file);
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if let Text::Utf8(text) = read_text(file).map_err(|e| format!("{}: {e}", file.display()))? {
            sources.push(SourceFile::new(rel, text));
        }
    }
    let paths: Vec<&str> = sources.iter().map(|f| f.path.as_str()).collect();
    // DIR is the project root when it holds the helper file; otherwise the root is found as `rewrite` finds it.
    let root = if paths.contains(&rule.helper_file.as_str()) { String::new() } else { detect_root(&paths) };
    let in_root: Vec<SourceFile> = sources
        .iter()
        .filter_map(|f| strip_dir(&f.path, &root).map(|rel| SourceFile::new(rel, f.text.clone())))
        .collect();
    let project = Project::new(in_root);
    let shown = dir.join(&root).join(&rule.helper_file);
    if let Some(file) = project.file(&rule.helper_file) {
        if helper::defines(&file.text, &rule.helper_name) {
            eprintln!("helper: {} from {}", rule.helper_name, shown.display());
            return Ok((file.text.clone(), "project".to_owned()));
        }
    }
    let outcome = mesh_rewrite::rewrite::rewrite(&project, rule);
    if let Some(file) = outcome.files.iter().find(|f| f.path == rule.helper_file) {
        if helper::defines(&file.text, &rule.helper_name) {
            eprintln!("helper: {} from {} after the rewrite", rule.helper_name, shown.display());
            return Ok((file.text.clone(), rule.helper_form.name().to_owned()));
        }
    }
    eprintln!(
        "helper: the rewrite of {} gives no {} in {}; using the {} helper form",
        dir.display(),
        rule.helper_name,
        rule.helper_file,
        rule.helper_form.name()
    );
    Ok((rule.helper_source(), rule.helper_form.name().to_owned()))
}

fn side(lookup: &Lookup) -> String {
    match &lookup.resolved_node {
        Some(node) => format!("{} ({node})", lookup.outcome.as_str()),
        None => lookup.outcome.as_str().to_owned(),
    }
}

/// A table of requests, the reasons for outcomes that changed, then the event log.
fn text_report(run: &Run) -> String {
    let mut out = String::new();
    let compiles = if run.compiles { "compiles" } else { "does not compile" };
    let remote = if run.remote_calls_work { "assumed to work" } else { "crash (runtime as it is)" };
    let _ = writeln!(out, "scenario: {}", run.scenario);
    let _ = writeln!(out, "helper: {} ({compiles})", run.helper_form);
    for e in &run.type_errors {
        let _ = writeln!(out, "  {e}");
    }
    if let Some(note) = &run.note {
        let _ = writeln!(out, "note: {note}");
    }
    let _ = writeln!(out, "seed: {}", run.seed);
    let _ = writeln!(out, "remote service calls: {remote}");
    let _ = writeln!(out);
    let rows: Vec<[String; 5]> = run
        .results
        .iter()
        .map(|r| [r.time.to_string(), r.node.clone(), r.handler.clone(), side(&r.before), side(&r.after)])
        .collect();
    let header = ["time", "node", "handler", "before", "after"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        pad(&mut line, &row[0], widths[0], Align::Right);
        for (cell, w) in row[1..].iter().zip(&widths[1..]) {
            line.push_str("  ");
            pad(&mut line, cell, *w, Align::Left);
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let changed: Vec<_> = run.results.iter().filter(|r| r.before.outcome != r.after.outcome).collect();
    if !changed.is_empty() {
        let _ = writeln!(out, "\nchanged by the rewrite:");
        for r in changed {
            let _ = writeln!(out, "  {} {} at {}: {}", r.node, r.handler, r.time, r.after.trace.why);
        }
    }
    let _ = writeln!(out, "\nlog:");
    let tw = run.log.iter().map(|l| l.time.to_string().len()).max().unwrap_or(1);
    let nw = run.log.iter().map(|l| l.node.chars().count()).max().unwrap_or(1).max(1);
    for l in &run.log {
        let node = if l.node.is_empty() { "*" } else { l.node.as_str() };
        out.push_str("  ");
        pad(&mut out, &l.time.to_string(), tw, Align::Right);
        out.push_str("  ");
        pad(&mut out, node, nw, Align::Left);
        let _ = writeln!(out, "  {}", l.event);
    }
    out
}
