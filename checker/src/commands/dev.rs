//! `racelings dev …`: for authors. `check` proves the workbook honest (every shipped bug is
//! caught by its named check, every solution and alternative fix passes, every non-fix
//! fails); `new` scaffolds an exercise.

use crate::commands::open;
use crate::pipeline;
use crate::render;
use crate::variants::{
    Expect, Problem, Repeat, Variant, VariantRuns, judge, run_variants, variants, walk,
};
use crate::verdict::Verdict;
use crate::workbook::{Check, Exercise, Workbook};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use colored::Colorize;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

#[derive(Subcommand)]
pub enum DevCommand {
    /// Prove the workbook honest: shipped bugs caught, solutions and alt/ pass, wrong/ fail,
    /// and every mutant of the solutions caught or listed as equivalent.
    Check(CheckArgs),
    /// Scaffold a new exercise: its crate, its solution file and its info.toml entry.
    New {
        /// snake_case name (also the crate's package name).
        name: String,
        /// The chapter folder under exercises/, e.g. 02_races.
        #[arg(long)]
        chapter: String,
        /// The topic tag.
        #[arg(long)]
        topic: String,
    },
    /// Weaken every solution and alt/ file one site at a time; every mutant must fail or be
    /// listed, with its reason, in the solution folder's equivalent_mutants.toml.
    Mutants(crate::commands::mutants::MutantsArgs),
    /// Measure save → verdict, loom cost, verify and detection rates; update BENCHMARKS.md.
    Bench(crate::commands::bench::BenchArgs),
    /// Time `racelings grade` on synthetic classes against the naive way; prints Markdown.
    BenchGrade(crate::grade::bench::BenchArgs),
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Run the shipped code and the solution of each exercise this many times; any
    /// disagreement between runs is a failure.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Run alt/ and wrong/ files this many times (default: as often as --repeat).
    #[arg(long, value_name = "N")]
    repeat_variants: Option<usize>,
    /// Only these exercises.
    #[arg(long = "only", value_name = "NAME")]
    only: Vec<String>,
    /// Test processes to run at once (default: the number of cores).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Do not run the mutation tests (`dev mutants`) after the variants.
    #[arg(long)]
    skip_mutants: bool,
}

pub fn dev(root: Option<&Path>, command: DevCommand) -> Result<ExitCode> {
    match command {
        DevCommand::Check(args) => check(root, args),
        DevCommand::New {
            name,
            chapter,
            topic,
        } => new(root, &name, &chapter, &topic),
        DevCommand::Mutants(args) => crate::commands::mutants::mutants(root, args),
        DevCommand::Bench(args) => crate::commands::bench::bench(root, args),
        DevCommand::BenchGrade(args) => {
            println!("{}", crate::grade::bench::bench(&open(root)?, &args)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(root: Option<&Path>, args: CheckArgs) -> Result<ExitCode> {
    let repeat = Repeat {
        shipped_and_solution: args.repeat.max(1),
        others: args.repeat_variants.unwrap_or(args.repeat).max(1),
    };
    let (only, jobs) = (&args.only, args.jobs);
    let workbook = open(root)?;
    let chosen = workbook.choose(only)?;
    let mut problems = layout_problems(&workbook, &chosen);
    if only.is_empty() {
        problems.extend(topic_problems(&workbook));
    }
    problems.extend(rustfmt_problems(&workbook, &chosen));

    let variants = variants(&workbook, &chosen, &mut problems);
    let VariantRuns {
        results,
        round_times,
    } = run_variants(&workbook, &variants, repeat, jobs, "dev-check", None, None)?;
    let evidence_dir = workbook.root.join("target/racelings/dev-check");
    let _ = std::fs::remove_dir_all(&evidence_dir);

    // Columns as wide as their longest entry, so long variant names keep the table straight.
    let name_width = results
        .iter()
        .map(|(v, _)| v.exercise.name.len())
        .chain(["exercise".len()])
        .max()
        .unwrap_or(0);
    let label_width = results
        .iter()
        .map(|(v, _)| v.label.len())
        .chain(["variant".len()])
        .max()
        .unwrap_or(0);
    println!(
        "{:<name_width$} {:<label_width$} {:<10} result",
        "exercise", "variant", "expected"
    );
    for (variant, runs) in &results {
        let failures: Vec<String> = runs
            .iter()
            .enumerate()
            .filter_map(|(i, v)| judge(variant.expect, v).err().map(|e| (i, v, e)))
            .map(|(i, v, e)| {
                let run = if runs.len() > 1 {
                    format!("run {}: ", i + 1)
                } else {
                    String::new()
                };
                let file = evidence_dir.join(format!(
                    "{}-{}-run{}.txt",
                    variant.exercise.name,
                    variant.label.replace('/', "-"),
                    i + 1
                ));
                match write_evidence(&file, variant, v, &e) {
                    Ok(()) => format!("{run}{e}; its output: {}", file.display()),
                    Err(err) => format!("{run}{e} (its output could not be saved: {err:#})"),
                }
            })
            .collect();
        let expected = match variant.expect {
            Expect::CaughtBy(c) => format!("fail:{c}"),
            Expect::Pass => "pass".to_string(),
            Expect::Fail => "fail".to_string(),
        };
        let result = if failures.is_empty() {
            format!("ok ×{}", runs.len()).green()
        } else {
            format!("WRONG {}/{}", failures.len(), runs.len())
                .red()
                .bold()
        };
        println!(
            "{:<name_width$} {:<label_width$} {:<10} {result}",
            variant.exercise.name, variant.label, expected
        );
        for f in failures {
            problems.push(Problem {
                exercise: variant.exercise.name.clone(),
                what: format!("{}: {f}", variant.label),
            });
        }
    }
    println!("\n{}", run_times(&round_times).dimmed());
    // Once, not `repeat` times: a mutant's tests are the variants' tests, whose verdicts the
    // repeats above already showed to be stable.
    let mut mutant_count = None;
    if !args.skip_mutants {
        let run = crate::mutants::test_exercises(&workbook, &chosen, jobs)?;
        println!("\n{}", crate::commands::mutants::table(&run));
        mutant_count = Some(run.tested.len());
        problems.extend(run.problems);
    }
    if problems.is_empty() {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mutants = mutant_count
            .map(|n| format!("; {} caught or listed", count(n, "mutant", "mutants")))
            .unwrap_or_default();
        println!(
            "\n{} {}, {}, {} each: every verdict as expected{mutants}",
            "✓".green().bold(),
            count(chosen.len(), "exercise", "exercises"),
            count(results.len(), "variant", "variants"),
            if repeat.others == repeat.shipped_and_solution {
                count(repeat.others, "run", "runs")
            } else {
                format!(
                    "{} (shipped and solution), {} (alt/ and wrong/)",
                    count(repeat.shipped_and_solution, "run", "runs"),
                    count(repeat.others, "run", "runs")
                )
            },
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\n{} {} problem(s):", "✗".red().bold(), problems.len());
        for p in &problems {
            println!("  {}: {}", p.exercise.bold(), p.what);
        }
        Ok(ExitCode::from(1))
    }
}

/// What the runs cost: the first builds every variant, the later ones only run the tests.
fn run_times(rounds: &[Duration]) -> String {
    let first = rounds.first().copied().unwrap_or_default();
    let mut later: Vec<Duration> = rounds.iter().skip(1).copied().collect();
    later.sort();
    match later.get(later.len() / 2) {
        None => format!("the run took {:.0} s", first.as_secs_f64()),
        Some(median) => format!(
            "the first run took {:.0} s (its builds included), each later run {:.0} s (median \
             of {})",
            first.as_secs_f64(),
            median.as_secs_f64(),
            later.len()
        ),
    }
}

/// Saves what shows a disagreement: the verdict as `racelings run -v` prints it, then the
/// full output of every test of the check concerned.
fn write_evidence(file: &Path, variant: &Variant, v: &Verdict, problem: &str) -> Result<()> {
    let mut text = format!(
        "{} ({}): {problem}\n\n{}",
        variant.exercise.name,
        variant.label,
        pipeline::strip_ansi(&render::verdict(variant.exercise, v, true))
    );
    let concerned = |check: Check| match variant.expect {
        Expect::CaughtBy(c) => c == check,
        Expect::Pass | Expect::Fail => true,
    };
    for stage in v.stages.iter().filter(|s| concerned(s.check)) {
        if let Some(out) = &stage.compiler_output {
            text.push_str(&format!(
                "\n── {} (compiler output) ──\n{}\n",
                stage.check,
                pipeline::strip_ansi(out)
            ));
        }
        for t in &stage.tests {
            text.push_str(&format!(
                "\n── {} {} ({}, {} ms) ──\n{}\n",
                stage.check,
                t.name,
                if t.passed { "passed" } else { "failed" },
                t.duration_ms,
                t.output
            ));
        }
    }
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(file, text).with_context(|| format!("writing {}", file.display()))
}

/// What an exercise crate and its solution folder may hold, and nothing else.
fn layout_problems(workbook: &Workbook, chosen: &[&Exercise]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut note = |e: &str, what: String| {
        problems.push(Problem {
            exercise: e.to_string(),
            what,
        })
    };
    for e in chosen {
        let dir = workbook.crate_dir(e);
        let manifest = dir.join("Cargo.toml");
        match std::fs::read_to_string(&manifest) {
            Ok(text) => match toml::from_str::<toml::Table>(&text) {
                Ok(t) => {
                    let package = t
                        .get("package")
                        .and_then(|p| p.get("name"))
                        .and_then(|n| n.as_str());
                    if package != Some(e.name.as_str()) {
                        note(
                            &e.name,
                            format!("{} must name its package `{}`", manifest.display(), e.name),
                        );
                    }
                }
                Err(err) => note(
                    &e.name,
                    format!("{}: {}", manifest.display(), err.message()),
                ),
            },
            Err(err) => note(&e.name, format!("{}: {err}", manifest.display())),
        }
        let mut required = vec!["src/lib.rs".to_string()];
        for c in &e.checks {
            if let Some(f) = c.test_file() {
                required.push(format!("tests/{f}.rs"));
            }
        }
        for r in &required {
            if !dir.join(r).is_file() {
                note(&e.name, format!("{} is missing {r}", e.crate_path()));
            }
        }
        for stray in stray_files(&dir, &["Cargo.toml", "src", "tests", "README.md"]) {
            note(
                &e.name,
                format!("stray file in the exercise: {}", stray.display()),
            );
        }
        let sol = workbook.root.join(e.solution_dir());
        for stray in stray_files(
            &sol,
            &["src", "alt", "wrong", crate::mutants::EQUIVALENT_FILE],
        ) {
            note(
                &e.name,
                format!("stray file in the solution folder: {}", stray.display()),
            );
        }
        for folder in ["alt", "wrong"] {
            for stray in walk(&sol.join(folder))
                .into_iter()
                .filter(|p| p.extension().is_none_or(|x| x != "rs"))
            {
                note(
                    &e.name,
                    format!("{folder}/ holds only .rs files: {}", stray.display()),
                );
            }
        }
    }
    // Crates under exercises/ that info.toml does not list.
    let listed: Vec<PathBuf> = workbook
        .exercises
        .iter()
        .map(|e| workbook.crate_dir(e))
        .collect();
    for chapter in std::fs::read_dir(workbook.root.join("exercises"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if !chapter.path().is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(chapter.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let p = entry.path();
            if p.is_dir() && !listed.contains(&p) {
                note(
                    "workbook",
                    format!("{} is not listed in info.toml", p.display()),
                );
            } else if p.is_file() && p.file_name().is_some_and(|n| n != "README.md") {
                note("workbook", format!("stray file: {}", p.display()));
            }
        }
        if !chapter.path().join("README.md").is_file() {
            note(
                "workbook",
                format!("{} has no README.md", chapter.path().display()),
            );
        }
    }
    problems
}

/// The curriculum promises an exercise for every topic.
fn topic_problems(workbook: &Workbook) -> Vec<Problem> {
    crate::workbook::TOPICS
        .iter()
        .filter(|t| !workbook.exercises.iter().any(|e| e.topic == **t))
        .map(|t| Problem {
            exercise: "workbook".to_string(),
            what: format!("no exercise teaches the topic `{t}`"),
        })
        .collect()
}

fn stray_files(dir: &Path, allowed: &[&str]) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !allowed.iter().any(|a| e.file_name() == *a) && e.file_name() != "target")
        .map(|e| e.path())
        .collect()
}

/// Solutions, alternative fixes and non-fixes are read as examples: they must be rustfmt-clean.
fn rustfmt_problems(workbook: &Workbook, chosen: &[&Exercise]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for e in chosen {
        let files = walk(&workbook.root.join(e.solution_dir()));
        let files: Vec<&PathBuf> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        if files.is_empty() {
            continue;
        }
        let out = Command::new("rustfmt")
            .args(["--check", "--edition", "2024"])
            .args(&files)
            .output();
        match out {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                let mut unformatted: Vec<String> = String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .filter_map(|l| l.strip_prefix("Diff in "))
                    .map(|l| l.split(':').next().unwrap_or(l).to_string())
                    .collect();
                unformatted.dedup();
                if unformatted.is_empty() {
                    unformatted.push(String::from_utf8_lossy(&o.stderr).trim().to_string());
                }
                for f in unformatted {
                    problems.push(Problem {
                        exercise: e.name.clone(),
                        what: format!("not rustfmt-clean: {f}"),
                    });
                }
            }
            Err(err) => problems.push(Problem {
                exercise: e.name.clone(),
                what: format!("cannot run rustfmt: {err}"),
            }),
        }
    }
    problems
}

fn new(root: Option<&Path>, name: &str, chapter: &str, topic: &str) -> Result<ExitCode> {
    let workbook = open(root)?;
    if workbook.exercises.iter().any(|e| e.name == name) {
        bail!("an exercise named `{name}` exists already");
    }
    if !crate::workbook::TOPICS.contains(&topic) {
        bail!(
            "unknown topic `{topic}`; the topics are: {}",
            crate::workbook::TOPICS.join(", ")
        );
    }
    let number = workbook.exercises.len() + 1;
    let dir = format!("{chapter}/{number:02}_{name}");
    let crate_dir = workbook.root.join("exercises").join(&dir);
    if crate_dir.exists() {
        bail!("{} exists already", crate_dir.display());
    }
    let solution = workbook.root.join("solutions").join(&dir);
    let files: Vec<(PathBuf, String)> = vec![
        (crate_dir.join("Cargo.toml"), templates::manifest(name)),
        (crate_dir.join("src/lib.rs"), templates::LIB.to_string()),
        (crate_dir.join("tests/stress.rs"), templates::stress(name)),
        (crate_dir.join("tests/loom.rs"), templates::loom(name)),
        (solution.join("src/lib.rs"), templates::LIB.to_string()),
        (solution.join("alt/.keep"), String::new()),
        (solution.join("wrong/.keep"), String::new()),
    ];
    for (path, text) in &files {
        if path.file_name().is_some_and(|n| n == ".keep") {
            std::fs::create_dir_all(path.parent().expect("has a parent"))?;
            continue;
        }
        std::fs::create_dir_all(path.parent().expect("has a parent"))?;
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let info = workbook.root.join(crate::workbook::INFO_FILE);
    let mut text = std::fs::read_to_string(&info)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&templates::entry(name, &dir, topic));
    std::fs::write(&info, text)?;
    println!(
        "{} exercises/{dir}: write the bug in src/lib.rs, its tests, and the solution in solutions/{dir}/src/lib.rs;",
        "created".green()
    );
    println!(
        "then add alt/*.rs and wrong/*.rs beside the solution, fill in the hint in info.toml, and run `racelings dev check --only {name}`."
    );
    Ok(ExitCode::SUCCESS)
}

mod templates {
    pub const LIB: &str = "//! What this code is for, what its users saw go wrong, and what fixed means.\n\n\
        use racelings_sync::{Arc, Mutex};\n\n\
        /// Replace with the exercise's code.\n\
        pub fn shared_total(workers: usize) -> usize {\n    \
            let total = Arc::new(Mutex::new(0));\n    \
            let handles: Vec<_> = (0..workers)\n        \
            .map(|_| {\n            \
            let total = Arc::clone(&total);\n            \
            racelings_sync::thread::spawn(move || *total.lock().unwrap() += 1)\n        \
            })\n        \
            .collect();\n    \
            for h in handles {\n        \
            h.join().unwrap();\n    \
            }\n    \
            let n = *total.lock().unwrap();\n    \
            n\n\
        }\n";

    pub fn manifest(name: &str) -> String {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition.workspace = true\npublish.workspace = true\n\n\
             [dependencies]\nracelings-sync.workspace = true\n\n\
             [lints.rust]\nunexpected_cfgs = {{ level = \"warn\", check-cfg = [\"cfg(loom)\"] }}\n"
        )
    }

    pub fn stress(name: &str) -> String {
        format!(
            "//! The workload on real threads, many rounds.\n#![cfg(not(loom))]\n\n\
             use racelings_sync::stress;\n\n\
             #[test]\nfn every_worker_is_counted() {{\n    \
             stress(100, |_round| {name}::shared_total(4), |&total| total == 4);\n}}\n"
        )
    }

    pub fn loom(name: &str) -> String {
        format!(
            "//! The smallest model that shows the bug, under every interleaving.\n#![cfg(loom)]\n\n\
             use racelings_sync::model;\n\n\
             #[test]\nfn two_workers_are_counted() {{\n    \
             model(|| assert_eq!({name}::shared_total(2), 2, \"both workers counted\"));\n}}\n"
        )
    }

    pub fn entry(name: &str, dir: &str, topic: &str) -> String {
        format!(
            "\n[[exercises]]\nname = \"{name}\"\ndir = \"{dir}\"\ntopic = \"{topic}\"\n\
             checks = [\"build\", \"stress\", \"loom\"]\ncaught_by = \"loom\"\n\
             hint = \"\"\"\nTODO: where to look and why, without the answer.\"\"\"\n"
        )
    }
}
