//! `racelings dev bench-grade`: times grading on synthetic classes (solved, untouched and
//! broken exercises mixed, every edited source distinct) against the naive way (a fresh
//! copy, `cargo test` and a loom build per submission), and prints a Markdown table.

use crate::workbook::{Exercise, Workbook};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What to measure.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Class sizes to grade (each from a cold target dir).
    #[arg(long, value_delimiter = ',', default_value = "5,10,20")]
    pub sizes: Vec<usize>,
    /// Submissions graded the naive way (0: skip); its per-submission mean is reported.
    #[arg(long, default_value_t = 2)]
    pub naive: usize,
    /// Also grade the largest class as this many shards, one after another (0: skip).
    #[arg(long, default_value_t = 4)]
    pub shards: u64,
    /// Only these exercises (all when empty).
    #[arg(long = "only", value_name = "NAME")]
    pub only: Vec<String>,
}

pub fn bench(workbook: &Workbook, args: &BenchArgs) -> Result<String> {
    let exercises: Vec<&Exercise> = workbook
        .exercises
        .iter()
        .filter(|e| args.only.is_empty() || args.only.contains(&e.name))
        .collect();
    let largest = args.sizes.iter().copied().max().unwrap_or(0);
    if largest == 0 {
        bail!("give at least one class size");
    }
    let base = workbook.root.join("target/racelings/bench");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base)?;
    let subs = synthetic_class(workbook, &exercises, &base.join("class"), largest)?;
    let exe = std::env::current_exe()?;
    let only: Vec<String> = exercises
        .iter()
        .flat_map(|e| ["--only".to_string(), e.name.clone()])
        .collect();
    let grade = |n: usize, target: &Path, extra: &[String]| -> Result<f64> {
        let started = Instant::now();
        let status = Command::new(&exe)
            .arg("--root")
            .arg(&workbook.root)
            .args(["grade", "--out"])
            .arg(base.join(format!("out-{n}")))
            .args(&only)
            .args(extra)
            .args(&subs[..n])
            .env("CARGO_TARGET_DIR", target)
            .status()?;
        if !status.success() {
            bail!("racelings grade failed: {status}");
        }
        Ok(started.elapsed().as_secs_f64())
    };

    let mut table = format!(
        "{} exercises ({}), synthetic submissions: each exercise solved (its solution plus a \
         comment naming the student), untouched or broken (a type error naming the student), \
         in turn.\n\n| what | submissions | seconds | per submission |\n|---|---|---|---|\n",
        exercises.len(),
        exercises
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for &n in &args.sizes {
        let target = base.join(format!("target-{n}"));
        let secs = grade(n, &target, &[])?;
        table.push_str(&format!(
            "| racelings grade, cold target dir | {n} | {secs:.1} | {:.1} |\n",
            secs / n as f64
        ));
        eprintln!("graded {n} in {secs:.1} s");
    }
    if args.shards > 1 {
        let target = base.join("target-shards");
        let mut total = 0.0;
        for i in 1..=args.shards {
            total += grade(
                largest,
                &target,
                &["--shard".into(), format!("{i}/{}", args.shards)],
            )?;
        }
        table.push_str(&format!(
            "| {} shards one after another, one cold target dir | {largest} | {total:.1} | {:.1} |\n",
            args.shards,
            total / largest as f64
        ));
        let again = grade(largest, &target, &[])?;
        table.push_str(&format!(
            "| the same class again, whole, warm target dir | {largest} | {again:.1} | {:.1} |\n",
            again / largest as f64
        ));
    }
    if args.naive > 0 {
        let mut total = 0.0;
        for (i, sub) in subs.iter().take(args.naive).enumerate() {
            let secs = naive(workbook, &exercises, sub, &base.join(format!("naive-{i}")))?;
            eprintln!("naive {i}: {secs:.1} s");
            total += secs;
        }
        let mean = total / args.naive as f64;
        table.push_str(&format!(
            "| naive: fresh copy, `cargo test` + loom build and test | {} | {total:.1} | {mean:.1} |\n",
            args.naive
        ));
        table.push_str(&format!(
            "| naive, extrapolated (mean × {largest}) | {largest} | {:.1} | {mean:.1} |\n",
            mean * largest as f64
        ));
    }
    Ok(table)
}

/// `n` submissions in `dir`, each a copy of the exercises with sources mixed.
fn synthetic_class(
    workbook: &Workbook,
    exercises: &[&Exercise],
    dir: &Path,
    n: usize,
) -> Result<Vec<PathBuf>> {
    let mut subs = Vec::new();
    for i in 0..n {
        let sub = dir.join(format!("student{i:03}"));
        for (j, e) in exercises.iter().enumerate() {
            let crate_dir = sub.join(e.crate_path());
            crate::overlay::copy_tree(&workbook.crate_dir(e), &crate_dir, &["target"])?;
            let lib = crate_dir.join("src/lib.rs");
            let text = match (i + j) % 3 {
                0 => {
                    let solution = workbook.root.join(e.solution_dir()).join("src/lib.rs");
                    std::fs::read_to_string(&solution)
                        .with_context(|| format!("reading {}", solution.display()))?
                        + &format!("\n// Fixed by student {i}.\n")
                }
                1 => continue,
                _ => {
                    std::fs::read_to_string(&lib)?
                        + &format!("\npub fn student_{i}() -> u32 {{\n    \"not a number\"\n}}\n")
                }
            };
            std::fs::write(&lib, text)?;
        }
        subs.push(sub);
    }
    Ok(subs)
}

/// The naive way for one submission: a fresh workspace and target dir, `cargo test`, then
/// the loom build and its tests.
fn naive(workbook: &Workbook, exercises: &[&Exercise], sub: &Path, dir: &Path) -> Result<f64> {
    for e in exercises {
        crate::overlay::copy_tree(&sub.join(e.crate_path()), &dir.join(e.crate_path()), &[])?;
    }
    let members: Vec<String> = exercises.iter().map(|e| e.crate_path()).collect();
    crate::overlay::write_if_changed(
        &dir.join("Cargo.toml"),
        &crate::overlay::workspace_manifest(workbook, &members)?,
    )?;
    std::fs::copy(workbook.root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let started = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for (flags, extra) in [
        ("", vec!["test", "--workspace", "--no-fail-fast"]),
        (
            "--cfg loom",
            vec![
                "test",
                "--workspace",
                "--no-fail-fast",
                "--profile",
                "loom",
                "--test",
                "loom",
            ],
        ),
    ] {
        // Failing tests and compile errors are part of the class: only time counts here.
        let _ = Command::new(&cargo)
            .current_dir(dir)
            .args(extra)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env("RUSTFLAGS", flags)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?;
    }
    Ok(started.elapsed().as_secs_f64())
}
