//! Save → verdict, warm: after an edit of one exercise's source, `racelings run NAME` against
//! the cargo commands it stands for (the std build, the loom build, each test binary), and
//! against a rustlings-style loop (build, then `cargo test`), in turns within each round.

use super::stats::Samples;
use super::{Bench, succeeded};
use crate::cargo::{self, BuildEnv, Built, Flavor};
use crate::runner::Exit;
use crate::workbook::{Check, Exercise};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// One exercise's timings.
pub struct SaveRow {
    pub exercise: String,
    pub checker: Samples,
    pub raw: Samples,
    pub rustlings: Samples,
    /// checker ÷ raw, per round.
    pub over_raw: Samples,
    /// checker ÷ rustlings-style, per round.
    pub over_rustlings: Samples,
    /// checker − raw, seconds, per round.
    pub extra: Samples,
    /// Test processes the checker ran per save, and test binaries the raw commands ran.
    pub processes: usize,
    pub binaries: usize,
}

#[derive(Debug, Clone, Copy)]
enum Way {
    Checker,
    Raw,
    Rustlings,
}

pub fn measure(bench: &Bench, runs: usize) -> Result<Vec<SaveRow>> {
    let mut rows = Vec::new();
    for e in &bench.snapshot.exercises {
        eprintln!("save → verdict: {}", e.name);
        let lib = bench.snapshot.crate_dir(e).join("src/lib.rs");
        let original = std::fs::read_to_string(&lib)?;
        let result = measure_one(bench, e, &lib, &original, runs);
        std::fs::write(&lib, &original)?;
        rows.push(result?);
    }
    Ok(rows)
}

fn measure_one(
    bench: &Bench,
    e: &Exercise,
    lib: &Path,
    original: &str,
    runs: usize,
) -> Result<SaveRow> {
    // Warm up: every build cache filled, and the raw commands' test binaries located.
    let processes = checker(bench, e)?.1;
    let binaries = Binaries::locate(bench, e)?;
    let mut row = SaveRow {
        exercise: e.name.clone(),
        checker: Samples::new(),
        raw: Samples::new(),
        rustlings: Samples::new(),
        over_raw: Samples::new(),
        over_rustlings: Samples::new(),
        extra: Samples::new(),
        processes,
        binaries: binaries.count(),
    };
    let mut save = 0;
    for round in 0..runs {
        let mut times = [Duration::ZERO; 3];
        // Each way goes first in turn, so a slow start (a cache, a busy neighbour) is shared.
        for k in 0..3 {
            let way = [Way::Checker, Way::Raw, Way::Rustlings][(round + k) % 3];
            save += 1;
            std::fs::write(
                lib,
                format!("{original}\n// racelings dev bench: save {save}\n"),
            )?;
            let took = match way {
                Way::Checker => checker(bench, e)?.0,
                Way::Raw => raw(bench, e, &binaries)?,
                Way::Rustlings => rustlings(bench, e)?,
            };
            times[way as usize] = took;
        }
        let [c, r, l] = times.map(|d| d.as_secs_f64());
        row.checker.push(c);
        row.raw.push(r);
        row.rustlings.push(l);
        row.over_raw.push(c / r);
        row.over_rustlings.push(c / l);
        row.extra.push(c - r);
    }
    Ok(row)
}

/// `racelings run NAME --json`: its time and how many test processes it ran.
fn checker(bench: &Bench, e: &Exercise) -> Result<(Duration, usize)> {
    let mut cmd = Command::new(&bench.exe);
    cmd.arg("--root")
        .arg(&bench.snapshot.root)
        .args(["run", &e.name, "--json"])
        .env("CARGO_TARGET_DIR", &bench.warm_target);
    let finished = bench.run(cmd)?;
    if !matches!(finished.exit, Exit::Code(0 | 1)) {
        bail!(
            "racelings run {} gave no verdict ({:?}): {}",
            e.name,
            finished.exit,
            finished.stderr.trim()
        );
    }
    let verdict: serde_json::Value = serde_json::from_str(&finished.stdout)?;
    let processes = verdict["stages"].as_array().map_or(0, |stages| {
        stages
            .iter()
            .map(|s| s["tests"].as_array().map_or(0, Vec::len))
            .sum()
    });
    Ok((finished.duration, processes))
}

/// The test binaries the two builds produce (their paths do not change with the source).
struct Binaries {
    stress: Option<PathBuf>,
    loom: Option<PathBuf>,
}

impl Binaries {
    fn locate(bench: &Bench, e: &Exercise) -> Result<Binaries> {
        let env = BuildEnv {
            workspace: bench.snapshot.root.clone(),
            target_base: bench.warm_target.clone(),
            timeout: Duration::from_secs(900),
        };
        let binary = |flavor| -> Result<Option<PathBuf>> {
            Ok(
                match cargo::build(&env, flavor, &[&e.name], None)?.get(&e.name) {
                    Built::Binary(path) => Some(path),
                    Built::CompileError { .. } => None,
                },
            )
        };
        let stress = binary(Flavor::Std)?;
        let loom = if stress.is_some() && e.checks.contains(&Check::Loom) {
            binary(Flavor::Loom)?
        } else {
            None
        };
        Ok(Binaries {
            stress: stress.filter(|_| e.checks.contains(&Check::Stress)),
            loom,
        })
    }

    fn count(&self) -> usize {
        usize::from(self.stress.is_some()) + usize::from(self.loom.is_some())
    }
}

fn cargo_cmd(bench: &Bench, target: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(&bench.snapshot.root)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    cmd
}

/// What a shell script would do: `cargo build --tests -p NAME && RUSTFLAGS="--cfg loom"
/// cargo build --test loom --profile loom -p NAME && ./stress; ./loom`.
fn raw(bench: &Bench, e: &Exercise, binaries: &Binaries) -> Result<Duration> {
    let started = Instant::now();
    let mut std_build = cargo_cmd(bench, &bench.warm_target);
    std_build.args(["build", "--tests", "-p", &e.name]);
    if !succeeded(&bench.run(std_build)?) {
        return Ok(started.elapsed());
    }
    if binaries.loom.is_some() {
        let mut loom_build = cargo_cmd(bench, &Flavor::Loom.target_dir(&bench.warm_target));
        loom_build
            .args([
                "build",
                "--test",
                "loom",
                "--profile",
                "loom",
                "-p",
                &e.name,
            ])
            .env("RUSTFLAGS", "--cfg loom");
        if !succeeded(&bench.run(loom_build)?) {
            bail!("the loom build of {} failed between two saves", e.name);
        }
    }
    for binary in [&binaries.stress, &binaries.loom].into_iter().flatten() {
        let mut test = Command::new(binary);
        test.current_dir(bench.snapshot.crate_dir(e))
            .env("RUST_BACKTRACE", "0")
            .env("LOOM_LOCATION", "1")
            .env_remove("LOOM_LOG")
            .env_remove("LOOM_MAX_PREEMPTIONS");
        if let Some(bound) = e.preemption_bound {
            test.env("RACELINGS_PREEMPTION_BOUND", bound.to_string());
        }
        // A failing test is the expected verdict here; only the time counts.
        bench.run(test)?;
    }
    Ok(started.elapsed())
}

/// The rustlings way: `cargo build -p NAME`, then `cargo test -p NAME --tests` (std only).
fn rustlings(bench: &Bench, e: &Exercise) -> Result<Duration> {
    let started = Instant::now();
    let mut build = cargo_cmd(bench, &bench.warm_target);
    build.args(["build", "-p", &e.name]);
    if succeeded(&bench.run(build)?) {
        let mut test = cargo_cmd(bench, &bench.warm_target);
        test.args(["test", "-p", &e.name, "--tests", "--no-fail-fast"])
            .env("RUST_BACKTRACE", "0");
        bench.run(test)?;
    }
    Ok(started.elapsed())
}
