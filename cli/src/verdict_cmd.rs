//! `mesh-rewrite verdict [--config FILE] [--seeds N] [--format text|json] PROJECT_DIR`: which helper
//! form is safe to ship. Every form is rewritten, type-checked and run in every built-in scenario.

use crate::args::Format;
use crate::exit;
use crate::out::{pad, print_stdout, Align};
use crate::rewrite_cmd::{load_rule, read_project};
use mesh_rewrite::verdict::{evaluate, Verdict, DEFAULT_SEEDS, MAX_SEEDS};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The rule, as for `rewrite` (a `custom` helper_form adds the custom helper to the forms weighed).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// How many seeds (0..N) each scenario runs with.
    #[arg(long, default_value_t = DEFAULT_SEEDS, value_parser = clap::value_parser!(u64).range(1..=MAX_SEEDS))]
    seeds: u64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The project: a directory searched recursively for *.mpl.
    project_dir: PathBuf,
}

pub fn run(args: Args) -> u8 {
    let verdict = load_rule(args.config.as_deref()).and_then(|rule| {
        let (_, files) = read_project(&args.project_dir, &rule)?;
        Ok(evaluate(&files, &rule, args.seeds))
    });
    let verdict = match verdict {
        Ok(v) => v,
        Err(message) => {
            eprintln!("mesh-rewrite: {message}");
            return exit::USAGE;
        }
    };
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&verdict).expect("a verdict serializes") + "\n",
        Format::Text => text(&verdict),
    };
    print_stdout(&text).map_or_else(
        |message| {
            eprintln!("mesh-rewrite: {message}");
            exit::USAGE
        },
        |_| exit::OK,
    )
}

/// The matrix (forms × scenarios), one sentence per form, then the recommendation.
pub fn text(v: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} scenarios × {} seeds (0..{}), remote service calls crash (the runtime as it is)\n",
        v.scenarios.len(),
        v.seeds,
        v.seeds
    );
    let mut header = vec!["form".to_owned(), "compiles".to_owned()];
    header.extend(v.scenarios.iter().cloned());
    header.extend(["worse".to_owned(), "better".to_owned()]);
    let rows: Vec<Vec<String>> = v
        .forms
        .iter()
        .map(|f| {
            let mut row = vec![f.form.clone(), if f.compiles { "yes" } else { "no" }.to_owned()];
            if f.cannot_simulate.is_some() {
                row.extend(v.scenarios.iter().map(|_| "-".to_owned()));
            } else {
                row.extend(f.scenarios.iter().map(|s| s.cell(v.seeds)));
            }
            row.extend([f.worse.to_string(), f.better.to_string()]);
            row
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            pad(&mut line, cell, *w, Align::Left);
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let _ = writeln!(out);
    for f in &v.forms {
        let mark = if v.recommended.as_deref() == Some(f.form.as_str()) { "  (recommended)" } else { "" };
        let _ = writeln!(out, "{}: {}{mark}", f.form, f.summary);
    }
    let _ = writeln!(out, "\n{}", v.headline);
    out
}
