//! `racelings run [NAME]`: check one exercise and show its verdict.

use crate::commands::{load_progress, open, pick};
use crate::pipeline::{self, Options, Progress};
use crate::render;
use anyhow::Result;
use clap::Args;
use colored::Colorize;
use indicatif::ProgressBar;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args, Default)]
pub struct RunArgs {
    /// The exercise's name (default: the one you are on).
    pub name: Option<String>,
    /// Print the verdict as one JSON object (see the README for its fields).
    #[arg(long)]
    pub json: bool,
    /// Show each failing test's full output, backtraces included.
    #[arg(long, short)]
    pub verbose: bool,
}

pub fn run(root: Option<&Path>, args: RunArgs) -> Result<ExitCode> {
    let workbook = open(root)?;
    let mut progress = load_progress(&workbook);
    let exercise = pick(&workbook, &progress, args.name.as_deref())?;
    if !args.json && args.name.is_none() && progress.done.is_empty() {
        println!("{}\n", workbook.welcome_message);
    }
    let mut opts = Options::for_workspace(&workbook.root);
    opts.verbose = args.verbose;
    if !args.json {
        eprintln!(
            "{} {} ({}, {})",
            "checking".dimmed(),
            exercise.name.bold(),
            exercise.topic,
            exercise.source_path()
        );
    }
    // A line that says what runs now, on a terminal only (indicatif draws nothing
    // elsewhere), gone before the verdict is printed.
    let spinner = if args.json {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    spinner.enable_steady_tick(Duration::from_millis(100));
    let verdict = pipeline::check(exercise, &opts, &|step| match step {
        Progress::Building(flavor) => spinner.set_message(flavor.building()),
        Progress::TestStarted(t) => spinner.set_message(format!("{} {}", t.check, t.test)),
        Progress::TestLive(t, live) => {
            spinner.set_message(format!("{} {}: {live}", t.check, t.test))
        }
        Progress::TestFinished(_) => {}
    });
    spinner.finish_and_clear();
    let verdict = verdict?;
    progress.record(&exercise.name, verdict.fixed);
    if let Err(e) = progress.save(&workbook.root) {
        eprintln!(
            "{} could not save progress: {e:#}",
            "warning:".yellow().bold()
        );
    }
    if args.json {
        println!("{}", serde_json::to_string(&verdict)?);
    } else {
        print!("{}", render::verdict(exercise, &verdict, args.verbose));
        if verdict.fixed {
            println!(
                "  Compare with the solution: {}/src/lib.rs",
                exercise.solution_dir()
            );
            if workbook
                .exercises
                .iter()
                .all(|e| progress.done.contains(&e.name))
            {
                println!("\n{}", workbook.final_message.green());
            }
        } else {
            println!(
                "  {}",
                "Stuck? `racelings hint` points at where to look.".dimmed()
            );
        }
    }
    Ok(if verdict.fixed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
