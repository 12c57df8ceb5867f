//! `mesh-rewrite`: a thin face over the core crate. Reads files, parses arguments, prints.

mod args;
mod files;
mod out;
mod parse_cmd;
mod rewrite_cmd;
mod simulate_cmd;
mod verdict_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "mesh-rewrite", version, about = "Parse Mesh and rewrite registry lookups to be cluster-aware")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse .mpl files and report syntax errors.
    Parse(parse_cmd::Args),
    /// Rewrite registry lookups to the cluster-aware helper (patch on stdout, report on stderr).
    Rewrite(rewrite_cmd::Args),
    /// Run the registry lookups before and after the rewrite on simulated Mesh nodes.
    Simulate(simulate_cmd::Args),
    /// Which helper form is safe to ship: every form × every built-in scenario, before vs after.
    Verdict(verdict_cmd::Args),
}

/// Exit codes shared by every subcommand.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FOUND: u8 = 1;
    pub const USAGE: u8 = 2;
    /// Syntax errors (or unreadable text) kept some files from being rewritten.
    pub const BLOCKED: u8 = 3;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Parse(args) => parse_cmd::run(args),
        Command::Rewrite(args) => rewrite_cmd::run(args),
        Command::Simulate(args) => simulate_cmd::run(args),
        Command::Verdict(args) => verdict_cmd::run(args),
    };
    ExitCode::from(code)
}
