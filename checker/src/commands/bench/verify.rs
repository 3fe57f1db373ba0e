//! `racelings verify --solutions`, cold (an empty target dir: the facade, loom and every
//! exercise compiled) and warm (the same again, nothing to compile).

use super::stats::Samples;
use super::{Bench, succeeded};
use anyhow::{Result, bail};
use std::process::Command;

pub struct VerifyFigure {
    pub cold: Samples,
    pub warm: Samples,
    /// Every solution passed in every run.
    pub all_passed: bool,
    /// Test processes per run.
    pub processes: usize,
    /// The slowest test processes of the last warm run: exercise, check, test, seconds.
    pub slowest: Vec<(String, String, String, f64)>,
}

pub fn measure(bench: &Bench, cold_runs: usize, warm_runs: usize) -> Result<VerifyFigure> {
    let target = bench.base.join("verify-target");
    let mut figure = VerifyFigure {
        cold: Samples::new(),
        warm: Samples::new(),
        all_passed: true,
        processes: 0,
        slowest: Vec::new(),
    };
    for (cold, runs) in [(true, cold_runs), (false, warm_runs)] {
        for i in 0..runs {
            if cold && target.exists() {
                std::fs::remove_dir_all(&target)?;
            }
            eprintln!(
                "verify --solutions, {} {}/{runs}",
                if cold { "cold" } else { "warm" },
                i + 1
            );
            let mut cmd = Command::new(&bench.exe);
            cmd.arg("--root")
                .arg(&bench.snapshot.root)
                .args(["verify", "--solutions", "--json"])
                .env("CARGO_TARGET_DIR", &target);
            let finished = bench.run(cmd)?;
            let verdicts: serde_json::Value = match serde_json::from_str(&finished.stdout) {
                Ok(v) => v,
                Err(_) => bail!(
                    "racelings verify --solutions gave no verdicts ({:?}): {}",
                    finished.exit,
                    finished.stderr.trim()
                ),
            };
            figure.all_passed &= succeeded(&finished);
            if cold {
                figure.cold.push_duration(finished.duration);
            } else {
                figure.warm.push_duration(finished.duration);
            }
            figure.slowest = slowest_tests(&verdicts, &mut figure.processes);
        }
    }
    Ok(figure)
}

fn slowest_tests(
    verdicts: &serde_json::Value,
    processes: &mut usize,
) -> Vec<(String, String, String, f64)> {
    let mut all = Vec::new();
    for v in verdicts.as_array().into_iter().flatten() {
        for s in v["stages"].as_array().into_iter().flatten() {
            for t in s["tests"].as_array().into_iter().flatten() {
                all.push((
                    v["exercise"].as_str().unwrap_or("").to_string(),
                    s["check"].as_str().unwrap_or("").to_string(),
                    t["name"].as_str().unwrap_or("").to_string(),
                    t["duration_ms"].as_f64().unwrap_or(0.0) / 1000.0,
                ));
            }
        }
    }
    *processes = all.len();
    all.sort_by(|a, b| b.3.total_cmp(&a.3));
    all.truncate(3);
    all
}
