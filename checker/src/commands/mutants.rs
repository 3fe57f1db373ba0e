//! `racelings dev mutants`: weakens every solution and alt/ file one site at a time and checks
//! each mutant; a mutant every check passes is a gap in the tests, unless it is listed as
//! equivalent with its reason. Writes a folder a script can read (cargo-mutants' shape).

use crate::commands::open;
use crate::mutants::{self, MutationRun, Outcome};
use anyhow::{Context, Result};
use clap::Args;
use colored::Colorize;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct MutantsArgs {
    /// Only these exercises.
    #[arg(long = "only", value_name = "NAME")]
    only: Vec<String>,
    /// Test processes to run at once (default: the number of cores).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Where to write the outcomes (default: target/racelings/mutants.out).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// List the mutants without checking them.
    #[arg(long)]
    list: bool,
}

pub fn mutants(root: Option<&Path>, args: MutantsArgs) -> Result<ExitCode> {
    let workbook = open(root)?;
    let chosen = workbook.choose(&args.only)?;
    if args.list {
        for e in &chosen {
            let dir = workbook.root.join(e.solution_dir());
            for path in mutants::mutated_files(&dir) {
                let source = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let shown = path.strip_prefix(&workbook.root).unwrap_or(&path).display();
                for m in mutants::mutants_of(&source).with_context(|| format!("{shown}"))? {
                    println!(
                        "{shown}:{}:{}: {} in {} [{}]",
                        m.line, m.column, m.change, m.function, m.operator
                    );
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let run = mutants::test_exercises(&workbook, &chosen, args.jobs)?;
    print!("{}", table(&run));
    let out = args
        .out
        .unwrap_or_else(|| workbook.root.join("target/racelings/mutants.out"));
    write_outcomes(&out, &run)?;
    println!("outcomes written to {}", out.display());
    if run.problems.is_empty() {
        println!(
            "\n{} every mutant caught, unviable, or listed as equivalent{}",
            "✓".green().bold(),
            match run.tested.iter().filter(|t| t.gap.is_some()).count() {
                0 => String::new(),
                n => format!(" or as a known gap ({n} known gaps in the tests: gaps.txt)"),
            }
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\n{} {} problem(s):", "✗".red().bold(), run.problems.len());
        for p in &run.problems {
            println!("  {}: {}", p.exercise.bold(), p.what);
        }
        Ok(ExitCode::from(1))
    }
}

/// Per exercise: how many mutants, and what became of them.
#[derive(Default)]
struct Counts {
    mutants: usize,
    caught: usize,
    missed: usize,
    equivalent: usize,
    gaps: usize,
    unviable: usize,
    timeout: usize,
    test_secs: f64,
}

/// The per-exercise table, as `dev mutants` prints it and BENCHMARKS.md records it.
pub fn table(run: &MutationRun) -> String {
    let mut per: BTreeMap<&str, Counts> = BTreeMap::new();
    for t in &run.tested {
        let c = per.entry(&t.exercise).or_default();
        c.mutants += 1;
        c.test_secs += t.test_time.as_secs_f64();
        match (t.outcome, &t.equivalent) {
            (Outcome::Caught, _) => c.caught += 1,
            (Outcome::Missed, Some(_)) => c.equivalent += 1,
            (Outcome::Missed, None) if t.gap.is_some() => c.gaps += 1,
            (Outcome::Missed, None) => c.missed += 1,
            (Outcome::Unviable, _) => c.unviable += 1,
            (Outcome::Timeout, _) => c.timeout += 1,
        }
    }
    let mut out = format!(
        "{:<24} {:>7} {:>6} {:>6} {:>10} {:>9} {:>8} {:>7} {:>9}\n",
        "exercise",
        "mutants",
        "caught",
        "missed",
        "equivalent",
        "known gap",
        "unviable",
        "timeout",
        "test time"
    );
    for (name, c) in &per {
        out.push_str(&format!(
            "{name:<24} {:>7} {:>6} {:>6} {:>10} {:>9} {:>8} {:>7} {:>8.1}s\n",
            c.mutants, c.caught, c.missed, c.equivalent, c.gaps, c.unviable, c.timeout, c.test_secs
        ));
    }
    out.push_str(&format!(
        "{} mutants in {:.0} s\n",
        run.tested.len(),
        run.elapsed.as_secs_f64()
    ));
    out
}

#[derive(Serialize)]
struct OutcomeRecord<'a> {
    exercise: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    function: &'a str,
    operator: &'a str,
    change: &'a str,
    outcome: Outcome,
    /// The first check that failed, for a caught mutant.
    failure: &'a str,
    /// Why it is listed as equivalent, for a listed missed mutant.
    #[serde(skip_serializing_if = "Option::is_none")]
    equivalent: Option<&'a str>,
    /// What the tests miss, for a missed mutant listed as a known gap.
    #[serde(skip_serializing_if = "Option::is_none")]
    gap: Option<&'a str>,
    test_ms: u128,
}

/// `outcomes.json` (every mutant) and one text file per outcome (`caught.txt`, `missed.txt`,
/// `unviable.txt`, `timeout.txt`, `equivalent.txt`), a line per mutant: `file:line:col: change`.
fn write_outcomes(dir: &Path, run: &MutationRun) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let records: Vec<OutcomeRecord> = run
        .tested
        .iter()
        .map(|t| OutcomeRecord {
            exercise: &t.exercise,
            file: &t.path,
            line: t.mutant.line,
            column: t.mutant.column,
            function: &t.mutant.function,
            operator: t.mutant.operator.name(),
            change: &t.mutant.change,
            outcome: t.outcome,
            failure: &t.failure,
            equivalent: t.equivalent.as_deref(),
            gap: t.gap.as_deref(),
            test_ms: t.test_time.as_millis(),
        })
        .collect();
    let json = serde_json::to_string_pretty(&records)?;
    std::fs::write(dir.join("outcomes.json"), json + "\n")?;
    for (name, keep) in [
        ("caught", Outcome::Caught),
        ("missed", Outcome::Missed),
        ("unviable", Outcome::Unviable),
        ("timeout", Outcome::Timeout),
    ] {
        let lines: String = run
            .tested
            .iter()
            .filter(|t| {
                t.outcome == keep
                    && (keep != Outcome::Missed || (t.equivalent.is_none() && t.gap.is_none()))
            })
            .map(|t| line(t) + "\n")
            .collect();
        std::fs::write(dir.join(format!("{name}.txt")), lines)?;
    }
    let equivalent: String = run
        .tested
        .iter()
        .filter(|t| t.equivalent.is_some())
        .map(|t| line(t) + "\n")
        .collect();
    std::fs::write(dir.join("equivalent.txt"), equivalent)?;
    let gaps: String = run
        .tested
        .iter()
        .filter(|t| t.gap.is_some())
        .map(|t| line(t) + "\n")
        .collect();
    std::fs::write(dir.join("gaps.txt"), gaps)?;
    Ok(())
}

fn line(t: &mutants::Tested) -> String {
    format!(
        "{}:{}:{}: {} in {}",
        t.path, t.mutant.line, t.mutant.column, t.mutant.change, t.mutant.function
    )
}
