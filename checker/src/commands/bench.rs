//! `racelings dev bench`: measures what users pick racelings for — how fast a save becomes a
//! verdict, what loom costs, how long verifying the workbook takes, how reliably each bug is
//! caught and each solution passes — prints the figures and writes them to BENCHMARKS.md.
//!
//! Everything runs in a copy of the workbook (`snapshot`) with target dirs of its own under
//! `target/racelings/bench/`, so the learner's progress and build caches are left alone.

mod detection;
mod machine;
mod report;
mod save;
mod snapshot;
mod stats;
mod verify;

use crate::commands::open;
use crate::runner::{self, Exit, Finished, Limits};
use crate::workbook::{Exercise, Workbook};
use anyhow::{Result, bail};
use clap::ValueEnum;
use machine::Machine;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// A short pass (under ten minutes on 2 cores): fewer runs of everything.
    #[arg(long)]
    pub quick: bool,
    /// Timed runs of each save → verdict and warm verify (default 5; 2 with --quick).
    #[arg(long, value_name = "N")]
    pub runs: Option<usize>,
    /// Cold `verify --solutions` runs, each from an empty target dir (default 3; 1 with --quick).
    #[arg(long, value_name = "N")]
    pub cold_runs: Option<usize>,
    /// Checks of every shipped exercise and solution for detection and loom (default 20; 2
    /// with --quick).
    #[arg(long, value_name = "N")]
    pub detection_runs: Option<usize>,
    /// Only these exercises.
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
    /// Leave out a figure (may be repeated); its section in the report is kept as it was.
    #[arg(long, value_enum, value_name = "FIGURE")]
    pub skip: Vec<Figure>,
    /// The Markdown file to update (default: BENCHMARKS.md in the workbook root).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print the figures without writing any file.
    #[arg(long)]
    pub no_write: bool,
}

/// The figures `dev bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Figure {
    /// Save → verdict, warm, per exercise.
    Save,
    /// Detection rates and loom cost (one set of runs gives both).
    Detection,
    /// `racelings verify --solutions`, cold and warm.
    Verify,
}

/// What every figure shares: the copy it runs in, the binary under test, its target dirs.
pub struct Bench {
    pub snapshot: Workbook,
    pub exe: PathBuf,
    /// Where the benchmark's cold target dirs go.
    pub base: PathBuf,
    /// The target dir that is warm for save → verdict and detection.
    pub warm_target: PathBuf,
}

impl Bench {
    /// Runs one command to its end (at most 30 minutes), output captured.
    pub fn run(&self, cmd: Command) -> Result<Finished> {
        let limits = Limits {
            timeout: Duration::from_secs(1800),
            output_cap: 64 * 1024 * 1024,
            ..Limits::default()
        };
        let finished = runner::run(cmd, &limits, None)?;
        if finished.exit == Exit::TimedOut {
            bail!("a benchmarked command ran for more than 30 minutes");
        }
        Ok(finished)
    }
}

/// Whether a command exited 0.
pub fn succeeded(finished: &Finished) -> bool {
    finished.exit == Exit::Code(0)
}

pub fn bench(root: Option<&Path>, args: BenchArgs) -> Result<ExitCode> {
    let workbook = open(root)?;
    for name in &args.only {
        workbook.find(name)?;
    }
    let chosen: Vec<&Exercise> = workbook
        .exercises
        .iter()
        .filter(|e| args.only.is_empty() || args.only.contains(&e.name))
        .collect();
    let runs = args.runs.unwrap_or(if args.quick { 2 } else { 5 }).max(1);
    let cold_runs = args.cold_runs.unwrap_or(if args.quick { 1 } else { 3 });
    let detection_runs = args
        .detection_runs
        .unwrap_or(if args.quick { 2 } else { 20 })
        .max(1);

    let machine = Machine::probe(&workbook.root);
    // The warm builds go to CARGO_TARGET_DIR when it is set (a shared cache keeps loom's
    // own build warm), else to a dir of the benchmark's own; the copy of the workbook always
    // sits in the workbook's target/.
    let own = workbook.root.join("target/racelings/bench");
    let warm_target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::env::current_dir()?.join(dir),
        None => own.join("target"),
    };
    let bench = Bench {
        snapshot: snapshot::create(&workbook, &chosen, &own.join("workbook"))?,
        exe: std::env::current_exe()?,
        base: warm_target.join("racelings-bench"),
        warm_target,
    };
    let command = recorded_command(std::env::args().skip(1));
    let wants = |f: Figure| !args.skip.contains(&f);

    let mut blocks: Vec<(&str, String)> = Vec::new();
    let save = if wants(Figure::Save) {
        Some(save::measure(&bench, runs)?)
    } else {
        None
    };
    let detection = if wants(Figure::Detection) {
        Some(detection::measure(&bench, detection_runs)?)
    } else {
        None
    };
    let verify = if wants(Figure::Verify) {
        Some(verify::measure(&bench, cold_runs, runs)?)
    } else {
        None
    };

    let meta = report::Meta {
        date: machine::today(),
        command,
        machine: machine.describe(),
        cores: machine.cores,
    };
    blocks.push(("about", report::about()));
    if let Some(rows) = &save {
        blocks.push(("save", report::save(rows, &meta)));
    }
    if let Some(d) = &detection {
        blocks.push(("loom", report::loom(&d.rows, &meta)));
    }
    if let Some(figure) = &verify {
        blocks.push(("verify", report::verify(figure, &meta)));
    }
    if let Some(d) = &detection {
        blocks.push(("detection", report::detection(d, &meta)));
    }
    for (_, text) in &blocks {
        println!("{text}");
    }
    if !args.no_write {
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| workbook.root.join("BENCHMARKS.md"));
        report::write(&out, &blocks)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The command line as BENCHMARKS.md records it: how it was run, less where the text went.
fn recorded_command(args: impl Iterator<Item = String>) -> String {
    let mut words = vec!["cargo racelings".to_string()];
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" | "--root" => {
                args.next();
            }
            "--no-write" => {}
            a if a.starts_with("--out=") || a.starts_with("--root=") => {}
            _ => words.push(arg),
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_recorded_command_leaves_out_where_the_report_went() {
        let args = [
            "--root",
            "/w",
            "dev",
            "bench",
            "--quick",
            "--out",
            "/tmp/B.md",
        ];
        assert_eq!(
            super::recorded_command(args.iter().map(|s| s.to_string())),
            "cargo racelings dev bench --quick"
        );
    }
}
