//! Versions of an exercise's source (shipped, solution, alt/, wrong/, mutants) and what each
//! must do, run through the pipeline in overlay workspaces. `dev check`, `dev mutants` and
//! `dev bench` all check variants this way.

use crate::overlay::{self, Member};
use crate::pipeline::{self, Options};
use crate::verdict::{Status, Verdict};
use crate::workbook::{Check, Exercise, Workbook};
use anyhow::Result;
use colored::Colorize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a variant of an exercise must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The shipped code: fail, in the exercise's `caught_by` check.
    CaughtBy(Check),
    /// A solution or an alternative fix: pass every check.
    Pass,
    /// A plausible non-fix: fail some check.
    Fail,
}

/// One version of one exercise's source.
#[derive(Clone)]
pub struct Variant<'a> {
    pub exercise: &'a Exercise,
    /// `shipped`, `solution`, `alt/<file>`, `wrong/<file>`.
    pub label: String,
    pub lib_rs: Option<String>,
    pub expect: Expect,
}

/// A problem dev check found, for the report.
pub struct Problem {
    pub exercise: String,
    pub what: String,
}

/// Whether a verdict is what the variant must give; the error says how it is not.
pub fn judge(expect: Expect, v: &Verdict) -> Result<(), String> {
    let summary = || {
        v.first_failure()
            .map(|s| format!("{} {:?}: {}", s.check, s.status, first_line(&s.message)))
            .unwrap_or_else(|| "every check passed".to_string())
    };
    match expect {
        Expect::Pass if v.fixed => Ok(()),
        Expect::Pass => Err(format!("must pass, but {}", summary())),
        Expect::Fail if !v.fixed => Ok(()),
        Expect::Fail => Err("must fail, but every check passed".to_string()),
        Expect::CaughtBy(check) => match v.stage(check).map(|s| s.status) {
            Some(Status::Pass) | None => Err(format!(
                "the shipped bug must be caught by {check}, but {check} passed ({})",
                summary()
            )),
            Some(Status::Skipped) => Err(format!(
                "the shipped bug must be caught by {check}, but {check} did not run ({})",
                summary()
            )),
            Some(Status::CompileError) if check != Check::Build => Err(format!(
                "the shipped code must compile for {check} to catch its bug ({})",
                summary()
            )),
            Some(_) => Ok(()),
        },
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// How many times each variant runs: the shipped code and the solution (what learners meet,
/// and what every other verdict leans on) may run more often than alt/ and wrong/ files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    pub shipped_and_solution: usize,
    pub others: usize,
}

impl Repeat {
    /// Every variant `n` times.
    pub fn all(n: usize) -> Repeat {
        Repeat {
            shipped_and_solution: n,
            others: n,
        }
    }

    fn of(&self, v: &Variant) -> usize {
        let times = if v.label == "shipped" || v.label == "solution" {
            self.shipped_and_solution
        } else {
            self.others
        };
        times.max(1)
    }

    /// The most times any variant runs.
    pub fn most(&self) -> usize {
        self.shipped_and_solution.max(self.others).max(1)
    }
}

/// Runs every variant as often as `repeat` says and returns each variant's verdicts in run
/// order. Variants go into slots: slot k holds at most one variant of each exercise, so a
/// slot is one overlay workspace (`<overlay root>/<name>-<k>`) built in one go, and the runs
/// after the first find its builds fresh. A slot runs as often as its most repeated variant
/// (shipped code and solutions come first in each exercise's list, so they share the first
/// slots). `target_dir` replaces the workbook's own (or `CARGO_TARGET_DIR`); `only_checks`
/// limits each exercise's checks (see [`Options::only_checks`]).
pub fn run_variants<'v, 'e>(
    workbook: &Workbook,
    variants: &'v [Variant<'e>],
    repeat: Repeat,
    jobs: Option<usize>,
    name: &str,
    target_dir: Option<&Path>,
    only_checks: Option<&[Check]>,
) -> Result<VariantRuns<'v, 'e>> {
    let mut slots: Vec<Vec<&Variant>> = Vec::new();
    let mut per_exercise: BTreeMap<&str, usize> = BTreeMap::new();
    for v in variants {
        let k = per_exercise.entry(&v.exercise.name).or_default();
        if slots.len() <= *k {
            slots.push(Vec::new());
        }
        slots[*k].push(v);
        *k += 1;
    }

    let mut results = Vec::new();
    let mut round_times = vec![Duration::ZERO; repeat.most()];
    for (k, slot) in slots.iter().enumerate() {
        let rounds = slot.iter().map(|v| repeat.of(v)).max().unwrap_or(1);
        let dest = overlay::overlay_root(workbook).join(format!("{name}-{k}"));
        let members: Vec<Member> = slot
            .iter()
            .map(|v| Member {
                exercise: v.exercise,
                lib_rs: v.lib_rs.clone(),
            })
            .collect();
        overlay::create(workbook, &dest, &members)?;
        let mut opts = Options::for_workspace(&workbook.root);
        opts.workspace = dest;
        if let Some(dir) = target_dir {
            opts.target_dir = dir.to_path_buf();
        }
        if let Some(j) = jobs {
            opts.jobs = j.max(1);
        }
        opts.only_checks = only_checks.map(<[Check]>::to_vec);
        let exercises: Vec<&Exercise> = slot.iter().map(|v| v.exercise).collect();
        let mut runs: Vec<Vec<Verdict>> = vec![Vec::new(); slot.len()];
        for (round, round_time) in round_times.iter_mut().take(rounds).enumerate() {
            eprintln!(
                "{} variant set {}/{} ({} crates){}",
                "checking".dimmed(),
                k + 1,
                slots.len(),
                slot.len(),
                if rounds > 1 {
                    format!(", run {}/{rounds}", round + 1)
                } else {
                    String::new()
                }
            );
            let started = Instant::now();
            let verdicts = pipeline::check_all(&exercises, &opts, &|_| {})?;
            *round_time += started.elapsed();
            for (i, v) in verdicts.into_iter().enumerate() {
                runs[i].push(v);
            }
        }
        results.extend(slot.iter().copied().zip(runs));
    }
    Ok(VariantRuns {
        results,
        round_times,
    })
}

/// Every variant's verdicts, in run order, and how long each round took (round k of every
/// slot together: the first builds, the later ones find the builds fresh).
pub struct VariantRuns<'v, 'e> {
    pub results: Vec<(&'v Variant<'e>, Vec<Verdict>)>,
    pub round_times: Vec<Duration>,
}

pub fn variants<'a>(
    workbook: &Workbook,
    chosen: &[&'a Exercise],
    problems: &mut Vec<Problem>,
) -> Vec<Variant<'a>> {
    let mut out = Vec::new();
    for &e in chosen {
        out.push(Variant {
            exercise: e,
            label: "shipped".into(),
            lib_rs: None,
            expect: Expect::CaughtBy(e.caught_by),
        });
        let solution_dir = workbook.root.join(e.solution_dir());
        match std::fs::read_to_string(solution_dir.join("src/lib.rs")) {
            Ok(lib) => out.push(Variant {
                exercise: e,
                label: "solution".into(),
                lib_rs: Some(lib),
                expect: Expect::Pass,
            }),
            Err(err) => problems.push(Problem {
                exercise: e.name.clone(),
                what: format!("no solution at {}/src/lib.rs: {err}", e.solution_dir()),
            }),
        }
        for (folder, expect) in [("alt", Expect::Pass), ("wrong", Expect::Fail)] {
            for file in rs_files(&solution_dir.join(folder)) {
                let label = format!(
                    "{folder}/{}",
                    file.file_name().unwrap_or_default().to_string_lossy()
                );
                match std::fs::read_to_string(&file) {
                    Ok(lib) => out.push(Variant {
                        exercise: e,
                        label,
                        lib_rs: Some(lib),
                        expect,
                    }),
                    Err(err) => problems.push(Problem {
                        exercise: e.name.clone(),
                        what: format!("cannot read {}: {err}", file.display()),
                    }),
                }
            }
        }
    }
    out
}

pub fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
