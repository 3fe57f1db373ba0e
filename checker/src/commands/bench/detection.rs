//! Detection and loom cost: each shipped exercise and each solution checked N times through
//! the pipeline (as `dev check --repeat N` does). Per exercise: the share of runs in which
//! stress and loom each caught the shipped bug, the solutions that passed, any verdict that
//! disagrees with info.toml, and what loom spent finding the bug and proving the solution.

use super::Bench;
use super::stats::Samples;
use crate::variants::{self, Expect, Problem};
use crate::verdict::{Status, TestOutcome, Verdict};
use crate::workbook::Check;
use anyhow::Result;
use std::time::Duration;

pub struct DetectionRow {
    pub exercise: String,
    pub caught_by: Check,
    pub runs: usize,
    /// Runs in which the check failed on the shipped code (None: it never ran, e.g. the
    /// shipped code does not compile).
    pub stress_caught: Option<usize>,
    pub loom_caught: Option<usize>,
    pub solutions_passed: usize,
    /// Runs whose verdict disagrees with info.toml, and why.
    pub disagreements: Vec<String>,
    pub loom: LoomCost,
}

/// What loom spent, from the same runs.
#[derive(Default)]
pub struct LoomCost {
    /// The exercise's preemption bound (info.toml, or the facade's default).
    pub bound: u64,
    /// The failing loom test's process time, in the runs where loom caught the bug.
    pub find: Samples,
    /// The bound of the pass that failed, and the schedules explored up to the failing one.
    pub find_bound: Option<u64>,
    pub find_schedules: Option<u64>,
    /// The solution's slowest loom test (one model, every pass up to the bound), and all of
    /// its loom tests together.
    pub model: Samples,
    pub model_total: Samples,
    pub model_schedules: Option<u64>,
}

/// The detection figures, and what the runs cost.
pub struct Detection {
    pub rows: Vec<DetectionRow>,
    /// The first round (every shipped exercise and solution once, their builds included).
    pub first_round: f64,
    /// The later rounds (tests only).
    pub rounds: Samples,
}

pub fn measure(bench: &Bench, runs: usize) -> Result<Detection> {
    let mut problems: Vec<Problem> = Vec::new();
    let chosen: Vec<_> = bench.snapshot.exercises.iter().collect();
    let variants: Vec<_> = variants::variants(&bench.snapshot, &chosen, &mut problems)
        .into_iter()
        .filter(|v| v.label == "shipped" || v.label == "solution")
        .collect();
    let variants::VariantRuns {
        results,
        round_times,
    } = variants::run_variants(
        &bench.snapshot,
        &variants,
        variants::Repeat::all(runs),
        None,
        "bench",
        Some(&bench.warm_target),
        None,
    )?;
    let mut rounds = Samples::new();
    for t in round_times.iter().skip(1) {
        rounds.push_duration(*t);
    }
    let first_round = round_times.first().map_or(0.0, Duration::as_secs_f64);
    let mut rows = Vec::new();
    for e in &bench.snapshot.exercises {
        let mut row = DetectionRow {
            exercise: e.name.clone(),
            caught_by: e.caught_by,
            runs,
            stress_caught: None,
            loom_caught: None,
            solutions_passed: 0,
            disagreements: problems
                .iter()
                .filter(|p| p.exercise == e.name)
                .map(|p| p.what.clone())
                .collect(),
            loom: LoomCost {
                bound: e.preemption_bound.map_or(DEFAULT_BOUND, u64::from),
                ..LoomCost::default()
            },
        };
        for (variant, verdicts) in results.iter().filter(|(v, _)| v.exercise.name == e.name) {
            for (i, v) in verdicts.iter().enumerate() {
                if let Err(why) = variants::judge(variant.expect, v) {
                    row.disagreements
                        .push(format!("{} run {}: {why}", variant.label, i + 1));
                }
                match variant.expect {
                    Expect::CaughtBy(_) => shipped(&mut row, v),
                    _ => solution(&mut row, v),
                }
            }
        }
        rows.push(row);
    }
    Ok(Detection {
        rows,
        first_round,
        rounds,
    })
}

/// The facade's bound when info.toml names none (`racelings_sync::model`).
const DEFAULT_BOUND: u64 = 2;

fn caught(v: &Verdict, check: Check) -> Option<bool> {
    match v.stage(check)?.status {
        Status::Pass => Some(false),
        Status::Fail | Status::Timeout => Some(true),
        Status::CompileError | Status::Skipped => None,
    }
}

fn shipped(row: &mut DetectionRow, v: &Verdict) {
    for (check, count) in [
        (Check::Stress, &mut row.stress_caught),
        (Check::Loom, &mut row.loom_caught),
    ] {
        if let Some(hit) = caught(v, check) {
            *count.get_or_insert(0) += usize::from(hit);
        }
    }
    let failing = v
        .stage(Check::Loom)
        .and_then(|s| s.tests.iter().find(|t| !t.passed));
    if let Some(t) = failing {
        row.loom.find.push(secs(t));
        row.loom.find_bound = t.loom_bound.or(row.loom.find_bound);
        row.loom.find_schedules = t.loom_schedules.or(row.loom.find_schedules);
    }
}

fn solution(row: &mut DetectionRow, v: &Verdict) {
    row.solutions_passed += usize::from(v.fixed);
    if let Some(stage) = v.stage(Check::Loom).filter(|s| !s.tests.is_empty()) {
        let slowest = stage.tests.iter().map(secs).fold(0.0, f64::max);
        row.loom.model.push(slowest);
        row.loom
            .model_total
            .push(stage.tests.iter().map(secs).sum());
        let schedules: Option<u64> = stage.tests.iter().map(|t| t.loom_schedules).sum();
        row.loom.model_schedules = schedules.or(row.loom.model_schedules);
    }
}

fn secs(t: &TestOutcome) -> f64 {
    t.duration_ms as f64 / 1000.0
}
