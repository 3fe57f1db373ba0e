//! `racelings grade`: score a class's submissions against the pristine workbook and write
//! the reports graders read; `--gradescope` and `--classroom` are the entry points of those
//! two services, `grade merge` joins the reports of shards.

use crate::commands::open;
use crate::grade::{self, Event, Settings, Shard, Submission, report::Summary};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use colored::Colorize;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct GradeArgs {
    #[command(subcommand)]
    pub command: Option<GradeCommand>,
    /// The submissions: folders that each hold a student's copy of the workbook (at least
    /// its exercises/). The grading workbook is --root (default: the one you stand in).
    #[arg(value_name = "SUBMISSION")]
    pub submissions: Vec<PathBuf>,
    /// Where the reports go (default: grades/; with --classroom, none unless given).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Test processes to run at once (default: the number of cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Grade only the I-th of N parts of the class (1-based); `grade merge` joins the parts.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Grade only these exercises.
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
    /// Cap every test process's time limit at this many seconds (info.toml's otherwise).
    #[arg(long, value_name = "SECS")]
    pub test_timeout: Option<u64>,
    /// Writable memory per test process, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub memory_mib: u64,
    /// Gradescope's entry point: grade --submission, write Gradescope's --results.
    #[arg(long, conflicts_with_all = ["classroom", "shard"])]
    pub gradescope: bool,
    /// With --gradescope: the submission's folder.
    #[arg(long, value_name = "DIR", default_value = "/autograder/submission")]
    pub submission: PathBuf,
    /// With --gradescope: where results.json goes.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/autograder/results/results.json"
    )]
    pub results: PathBuf,
    /// GitHub Classroom: print `Points X/Y`; exit 1 if anything is not fixed. Grades the
    /// current folder unless submissions are given.
    #[arg(long)]
    pub classroom: bool,
}

#[derive(Subcommand)]
pub enum GradeCommand {
    /// Join the reports of shards (their --out folders) into one set of reports.
    Merge {
        /// The shards' report folders.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Where the joined reports go.
        #[arg(long, value_name = "DIR", default_value = "grades")]
        out: PathBuf,
    },
}

pub fn grade(root: Option<&Path>, args: GradeArgs) -> Result<ExitCode> {
    if let Some(GradeCommand::Merge { dirs, out }) = args.command {
        return merge(&dirs, &out);
    }
    let workbook = open(root)?;
    let settings = Settings {
        jobs: args.jobs.unwrap_or(Settings::default().jobs).max(1),
        only: args.only.clone(),
        shard: args.shard,
        test_timeout_cap: args.test_timeout,
        memory_bytes: args.memory_mib << 20,
        ..Settings::default()
    };
    if args.gradescope {
        return gradescope(&workbook, &args, &settings);
    }
    let paths = if args.submissions.is_empty() && args.classroom {
        vec![PathBuf::from(".")]
    } else {
        args.submissions.clone()
    };
    anyhow::ensure!(
        !paths.is_empty(),
        "name the submissions to grade: `racelings grade [--out DIR] SUBMISSION...`"
    );
    let submissions = grade::submissions(&paths)?;
    let summary = run(&workbook, &submissions, &settings)?;
    let out = match (&args.out, args.classroom) {
        (Some(out), _) => Some(out.clone()),
        (None, false) => Some(PathBuf::from("grades")),
        (None, true) => None,
    };
    if let Some(out) = &out {
        summary.write_all(out)?;
    }
    print_table(&summary);
    if let Some(out) = &out {
        eprintln!(
            "{} {} (summary.json, summary.csv, junit.xml, <submission>/results.json)",
            "reports in".dimmed(),
            out.display()
        );
    }
    eprintln!("{} {}", "isolation:".dimmed(), summary.isolation.describe());
    if args.classroom {
        let score: u32 = summary.submissions.iter().map(|s| s.score).sum();
        let max: u32 = summary.submissions.iter().map(|s| s.max_score).sum();
        println!("Points {score}/{max}");
        let all_fixed = summary
            .submissions
            .iter()
            .all(|s| s.error.is_none() && s.exercises.iter().all(|e| e.fixed));
        return Ok(if all_fixed {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    Ok(ExitCode::SUCCESS)
}

/// Grades with a progress bar over submissions × exercises.
fn run(
    workbook: &crate::workbook::Workbook,
    submissions: &[Submission],
    settings: &Settings,
) -> Result<Summary> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30.cyan/blue} {pos}/{len} grades (submissions × exercises), eta {eta}  {wide_msg}",
        )
        .expect("a valid template"),
    );
    let done = Mutex::new(0.0f64);
    let summary = grade::grade(workbook, submissions, settings, &|event| match event {
        Event::Planned(n) => bar.set_length(n),
        Event::Doing(what) => bar.set_message(what),
        Event::Advanced(step) => {
            let mut d = done.lock().unwrap();
            *d += step;
            bar.set_position(d.floor() as u64);
        }
    });
    bar.finish_and_clear();
    summary
}

/// One submission from Gradescope's folder; results.json is written whatever happens.
fn gradescope(
    workbook: &crate::workbook::Workbook,
    args: &GradeArgs,
    settings: &Settings,
) -> Result<ExitCode> {
    let submission = Submission {
        name: "submission".to_string(),
        path: args.submission.clone(),
    };
    let results = &args.results;
    if let Some(dir) = results.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    match run(workbook, &[submission], settings) {
        Ok(summary) => {
            let s = &summary.submissions[0];
            let json = grade::report::gradescope(s, &summary.isolation);
            std::fs::write(results, serde_json::to_string_pretty(&json)? + "\n")
                .with_context(|| format!("writing {}", results.display()))?;
            if let Some(out) = &args.out {
                summary.write_all(out)?;
            }
            println!("Points {}/{}", s.score, s.max_score);
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            // Gradescope shows the output to the student and the instructor: say what broke.
            let json = serde_json::json!({
                "score": 0,
                "output": format!("The autograder could not run: {err:#}"),
                "tests": [],
            });
            let _ = std::fs::write(results, serde_json::to_string_pretty(&json)? + "\n");
            Err(err)
        }
    }
}

fn merge(dirs: &[PathBuf], out: &Path) -> Result<ExitCode> {
    let parts = dirs
        .iter()
        .map(|d| Summary::read(d))
        .collect::<Result<Vec<_>>>()?;
    let merged = Summary::merge(parts)?;
    merged.write_all(out)?;
    print_table(&merged);
    eprintln!(
        "{} {} reports joined into {}",
        "merged".dimmed(),
        dirs.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn print_table(summary: &Summary) {
    for s in &summary.submissions {
        let score = format!("{:>3}/{:<3}", s.score, s.max_score);
        let line = match &s.error {
            Some(error) => format!("{score} {}  {}", s.name, error.red()),
            None => {
                let cells: Vec<String> = s
                    .exercises
                    .iter()
                    .map(|e| {
                        if e.fixed {
                            e.name.green().to_string()
                        } else {
                            format!("{} ({})", e.name, e.status.as_str())
                                .red()
                                .to_string()
                        }
                    })
                    .collect();
                format!("{score} {}  {}", s.name, cells.join(" "))
            }
        };
        println!("{line}");
    }
}
