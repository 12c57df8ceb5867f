//! `mesh-rewrite`: a thin face over the core crate. Reads files, parses arguments, prints.

mod alloc;
mod args;
mod files;
mod git;
mod out;
mod parse_cmd;
mod rewrite_cmd;
mod simulate_cmd;
mod undo;
mod verdict_cmd;
mod write;

use clap::{CommandFactory, Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mesh-rewrite",
    version = mesh_rewrite::version(),
    about = "Parse Mesh and rewrite registry lookups to be cluster-aware"
)]
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
    /// Put back the files the last `rewrite --write` changed (its patch in PROJECT_DIR/.mesh-rewrite/).
    Undo(undo::Args),
    /// Run the registry lookups before and after the rewrite on simulated Mesh nodes.
    Simulate(simulate_cmd::Args),
    /// Which helper form is safe to ship: every form × every built-in scenario, before vs after.
    Verdict(verdict_cmd::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from these argument definitions.
    Man,
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
    alloc::install();
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
        Command::Undo(args) => undo::run(args),
        Command::Simulate(args) => simulate_cmd::run(args),
        Command::Verdict(args) => verdict_cmd::run(args),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "mesh-rewrite", &mut std::io::stdout());
            exit::OK
        }
        Command::Man => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => out::print_stdout(&String::from_utf8_lossy(&page)).map_or(exit::USAGE, |_| exit::OK),
                Err(e) => {
                    eprintln!("mesh-rewrite: {e}");
                    exit::USAGE
                }
            }
        }
    };
    ExitCode::from(code)
}
