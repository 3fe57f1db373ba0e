//! `racelings verify [--solutions]`: every exercise at once, with a progress bar and a table.

use crate::commands::open;
use crate::libtest;
use crate::overlay::{self, Member};
use crate::pipeline::{self, Options, Progress};
use crate::verdict::{Status, Verdict};
use crate::workbook::{Check, Exercise, Workbook};
use anyhow::{Context, Result};
use clap::Args;
use colored::Colorize;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use std::process::ExitCode;

#[derive(Args)]
pub struct VerifyArgs {
    /// Check each exercise with its solution in place of your code (in a copy).
    #[arg(long)]
    pub solutions: bool,
    /// Test processes to run at once (default: the number of cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Print the verdicts as a JSON array.
    #[arg(long)]
    pub json: bool,
}

pub fn verify(root: Option<&Path>, args: VerifyArgs) -> Result<ExitCode> {
    let workbook = open(root)?;
    let all: Vec<&Exercise> = workbook.exercises.iter().collect();
    let mut opts = Options::for_workspace(&workbook.root);
    if let Some(jobs) = args.jobs {
        opts.jobs = jobs.max(1);
    }
    if args.solutions {
        opts.workspace = solutions_overlay(&workbook, "solutions")?;
    }
    let bar = progress_bar(&workbook, &all);
    let verdicts = pipeline::check_all(&all, &opts, &|p| match p {
        Progress::Building(flavor) => bar.set_message(format!("building ({flavor:?})")),
        Progress::TestStarted(t) => {
            bar.set_message(format!("{} {}: {}", t.exercise, t.check, t.test))
        }
        Progress::TestLive(t, live) => {
            bar.set_message(format!("{} {}: {}: {live}", t.exercise, t.check, t.test))
        }
        Progress::TestFinished(_) => bar.inc(1),
    })?;
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string(&verdicts)?);
    } else {
        print!("{}", summary_table(&all, &verdicts));
    }
    let fixed = verdicts.iter().filter(|v| v.fixed).count();
    if !args.json {
        let what = if args.solutions {
            "solutions pass"
        } else {
            "exercises are fixed"
        };
        let line = format!("{fixed} of {} {what}", verdicts.len());
        println!(
            "\n{}",
            if fixed == verdicts.len() {
                line.green()
            } else {
                line.yellow()
            }
        );
    }
    Ok(if fixed == verdicts.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// An overlay workspace named `slot` with every exercise's solution in place of its source.
pub fn solutions_overlay(workbook: &Workbook, slot: &str) -> Result<std::path::PathBuf> {
    let mut members = Vec::new();
    for e in &workbook.exercises {
        let path = workbook.root.join(e.solution_dir()).join("src/lib.rs");
        let lib = std::fs::read_to_string(&path).with_context(|| {
            format!("reading the solution of `{}` ({})", e.name, path.display())
        })?;
        members.push(Member {
            exercise: e,
            lib_rs: Some(lib),
        });
    }
    let dest = overlay::overlay_root(workbook).join(slot);
    overlay::create(workbook, &dest, &members)?;
    Ok(dest)
}

/// A bar over every test the exercises define.
pub fn progress_bar(workbook: &Workbook, exercises: &[&Exercise]) -> ProgressBar {
    let total = libtest::count_tests(workbook, exercises);
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} tests, eta {eta}  {wide_msg}")
            .expect("a valid template"),
    );
    bar
}

/// One row per exercise: the status of each check.
pub fn summary_table(exercises: &[&Exercise], verdicts: &[Verdict]) -> String {
    let mut out = format!(
        "{:>3}  {:<24} {:<8}{:<8}{:<8}\n",
        "#", "exercise", "build", "stress", "loom"
    );
    for (e, v) in exercises.iter().zip(verdicts) {
        let cell = |check: Check| match v.stage(check).map(|s| s.status) {
            None => "-".dimmed(),
            Some(Status::Pass) => "pass".green(),
            Some(Status::Skipped) => "skip".dimmed(),
            Some(Status::Fail) => "fail".red(),
            Some(Status::Timeout) => "timeout".red(),
            Some(Status::CompileError) => "error".red(),
        };
        out.push_str(&format!(
            "{:>3}  {:<24} {:<8}{:<8}{:<8}\n",
            e.number,
            e.name,
            cell(Check::Build),
            cell(Check::Stress),
            cell(Check::Loom)
        ));
    }
    out
}
