//! racelings: a workbook of concurrency bugs, and the checker that tells learners, in their
//! own lines, what still breaks.
//!
//! The pipeline: workbook (info.toml) → runner (child processes with limits) → cargo and
//! libtest (what to build and run, how to read it) → diagnose (what kind of failure, where)
//! → verdict → front ends (the commands below).

mod cargo;
mod commands;
mod diagnose;
mod grade;
mod libtest;
mod mutants;
mod overlay;
mod pipeline;
mod render;
mod runner;
mod sandbox;
mod source_lint;
mod state;
mod variants;
mod verdict;
mod watch;
mod workbook;

use clap::{Parser, Subcommand};
use colored::Colorize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "racelings",
    version,
    about = "A workbook of concurrency bugs: fix each exercise until its stress tests and loom model checks pass.",
    after_help = "Run without a command to watch the exercise you are on: it is checked on every save \
                  (in a script, without a terminal, it is checked once)."
)]
struct Cli {
    /// The workbook's root (the folder with info.toml); default: found from the current folder.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(flatten)]
    watch: watch::WatchArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Watch the current exercise: check it on every save, with keys to move on (the default).
    Watch(watch::WatchArgs),
    /// Check one exercise (the current one by default). Exit 0 if fixed, 1 if not.
    Run(commands::run::RunArgs),
    /// Check every exercise (or every solution) and print a summary. Exit 0 if all pass.
    Verify(commands::verify::VerifyArgs),
    /// List the exercises with their topic and whether they are done.
    List(commands::list::ListArgs),
    /// Show the hint of an exercise (the current one by default).
    Hint {
        /// The exercise's name.
        name: Option<String>,
    },
    /// Restore an exercise's shipped source, throwing away your changes.
    Reset {
        /// The exercise's name.
        name: String,
        /// Do not ask before overwriting.
        #[arg(long, short)]
        yes: bool,
    },
    /// Grade a class's submissions against this (pristine) workbook: reports for
    /// spreadsheets, CI and Gradescope. Exit 0 when grading ran, whatever the scores.
    Grade(commands::grade::GradeArgs),
    /// Tools for authors of the workbook.
    #[command(subcommand)]
    Dev(commands::dev::DevCommand),
}

/// The exit code for errors in how racelings was called or in the workbook itself.
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    // Grading runs the compiler through racelings itself, sandboxed.
    if let Some(code) = grade::rustc::as_wrapper() {
        return code;
    }
    let cli = Cli::parse();
    let watching = match &cli.command {
        None => std::io::stdin().is_terminal() && std::io::stdout().is_terminal(),
        Some(command) => matches!(command, Command::Watch(_)),
    };
    // The watcher handles these signals itself, to put the terminal back first.
    if !watching && let Err(err) = runner::stop_runs_on_signals() {
        eprintln!("{} {err:#}", "warning:".yellow().bold());
    }
    let result = match cli.command {
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => {
            watch::watch(cli.root.as_deref(), cli.watch)
        }
        None => commands::run::run(cli.root.as_deref(), commands::run::RunArgs::default()),
        Some(Command::Watch(args)) => watch::watch(cli.root.as_deref(), args),
        Some(Command::Run(args)) => commands::run::run(cli.root.as_deref(), args),
        Some(Command::Verify(args)) => commands::verify::verify(cli.root.as_deref(), args),
        Some(Command::List(args)) => commands::list::list(cli.root.as_deref(), args),
        Some(Command::Hint { name }) => commands::learner::hint(cli.root.as_deref(), name),
        Some(Command::Reset { name, yes }) => {
            commands::learner::reset(cli.root.as_deref(), &name, yes)
        }
        Some(Command::Grade(args)) => commands::grade::grade(cli.root.as_deref(), args),
        Some(Command::Dev(dev)) => commands::dev::dev(cli.root.as_deref(), dev),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("{} {err:#}", "error:".red().bold());
            ExitCode::from(USAGE_ERROR)
        }
    }
}
