//! Testing mutants: every mutant of every solution and alt/ file of the chosen exercises,
//! checked through the pipeline like any other variant, and each one's outcome set against
//! the exercise's list of equivalent mutants.

use super::equivalent::{self, EQUIVALENT_FILE, Equivalent};
use super::{Mutant, mutants_of};
use crate::variants::{Expect, Problem, Repeat, Variant, rs_files, run_variants};
use crate::verdict::{Status, Verdict};
use crate::workbook::{Check, Exercise, Workbook};
use anyhow::Result;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What became of a mutant, in cargo-mutants' words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Some check failed: the tests tell it from the original.
    Caught,
    /// Every check passed: no test tells it from the original.
    Missed,
    /// It does not compile.
    Unviable,
    /// A test ran past its time limit (and nothing else failed first).
    Timeout,
}

impl Outcome {
    fn of(v: &Verdict) -> Outcome {
        if v.stages.iter().any(|s| s.status == Status::CompileError) {
            Outcome::Unviable
        } else if v.fixed {
            Outcome::Missed
        } else if v
            .first_failure()
            .is_some_and(|s| s.status == Status::Timeout)
        {
            Outcome::Timeout
        } else {
            Outcome::Caught
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Outcome::Caught => "caught",
            Outcome::Missed => "missed",
            Outcome::Unviable => "unviable",
            Outcome::Timeout => "timeout",
        }
    }
}

/// One tested mutant.
#[derive(Debug, Clone)]
pub struct Tested {
    pub exercise: String,
    /// The mutated file, relative to the workbook: `solutions/<dir>/src/lib.rs` or `…/alt/x.rs`.
    pub path: String,
    /// The same, relative to the solution folder, as equivalent_mutants.toml names it.
    pub file: String,
    pub mutant: Mutant,
    pub outcome: Outcome,
    /// The first check that failed and its one-line message (empty when none failed).
    pub failure: String,
    /// The reason it is listed as equivalent, if it is.
    pub equivalent: Option<String>,
    /// What the tests miss, if it is listed as a known gap.
    pub gap: Option<String>,
    /// What its tests took, all processes added up.
    pub test_time: Duration,
}

/// Every tested mutant, the problems (missed mutants not listed as equivalent, listed ones
/// that are no longer missed, files that cannot be read or parsed) and the wall time.
pub struct MutationRun {
    pub tested: Vec<Tested>,
    pub problems: Vec<Problem>,
    pub elapsed: Duration,
}

/// A mutated source ready to check.
struct Planned<'e> {
    exercise: &'e Exercise,
    path: String,
    file: String,
    mutant: Mutant,
    source: String,
}

/// Tests every mutant of the solution and alt/ files of `chosen`, in one pass of overlay
/// builds (each overlay holds one mutant of each exercise).
pub fn test_exercises(
    workbook: &Workbook,
    chosen: &[&Exercise],
    jobs: Option<usize>,
) -> Result<MutationRun> {
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut planned = Vec::new();
    let mut listed: Vec<(&Exercise, Equivalent)> = Vec::new();
    for &e in chosen {
        let dir = workbook.root.join(e.solution_dir());
        let list_path = dir.join(EQUIVALENT_FILE);
        match equivalent::load(&list_path) {
            Ok(list) => listed.extend(list.into_iter().map(|q| (e, q))),
            Err(err) => problems.push(Problem {
                exercise: e.name.clone(),
                what: format!("{err:#}"),
            }),
        }
        for path in mutated_files(&dir) {
            let file = path
                .strip_prefix(&dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            let shown = format!("{}/{file}", e.solution_dir());
            let source = match std::fs::read_to_string(&path) {
                Ok(s) => s,
                Err(err) => {
                    problems.push(Problem {
                        exercise: e.name.clone(),
                        what: format!("cannot read {shown}: {err}"),
                    });
                    continue;
                }
            };
            match mutants_of(&source) {
                Ok(mutants) => planned.extend(mutants.into_iter().map(|mutant| Planned {
                    exercise: e,
                    path: shown.clone(),
                    file: file.clone(),
                    source: mutant.apply(&source),
                    mutant,
                })),
                Err(err) => problems.push(Problem {
                    exercise: e.name.clone(),
                    what: format!("{shown}:{err}"),
                }),
            }
        }
    }

    let variants: Vec<Variant> = planned
        .iter()
        .enumerate()
        .map(|(i, p)| Variant {
            exercise: p.exercise,
            // Unique: two mutants may change the same place.
            label: format!(
                "mutant {i} {}:{}:{}",
                p.file, p.mutant.line, p.mutant.column
            ),
            lib_rs: Some(p.source.clone()),
            expect: Expect::Fail,
        })
        .collect();
    // Loom is the authority and costs least: every mutant goes through build and loom first,
    // and only those the models let pass through the stress tests too.
    let first = [Check::Build, Check::Loom];
    let first_pass = run_variants(
        workbook,
        &variants,
        Repeat::all(1),
        jobs,
        "mutants",
        None,
        Some(&first),
    )?;
    let mut verdicts: Vec<Option<Verdict>> = vec![None; variants.len()];
    for (variant, runs) in first_pass.results {
        verdicts[position_in(&variants, variant)] = runs.into_iter().next();
    }
    let undecided_at: Vec<usize> = (0..variants.len())
        .filter(|&i| {
            verdicts[i]
                .as_ref()
                .is_some_and(|v| Outcome::of(v) == Outcome::Missed)
        })
        .collect();
    let undecided: Vec<Variant> = undecided_at.iter().map(|&i| variants[i].clone()).collect();
    let second_pass = run_variants(
        workbook,
        &undecided,
        Repeat::all(1),
        jobs,
        "mutants-all-checks",
        None,
        None,
    )?;
    for (variant, runs) in second_pass.results {
        verdicts[undecided_at[position_in(&undecided, variant)]] = runs.into_iter().next();
    }

    let mut tested = Vec::new();
    for (p, verdict) in planned.iter().zip(&verdicts) {
        let Some(verdict) = verdict else { continue };
        let outcome = Outcome::of(verdict);
        let failure = verdict
            .first_failure()
            .map(|s| {
                let message = s.message.lines().next().unwrap_or("");
                format!("{}: {message}", s.check)
            })
            .unwrap_or_default();
        let test_time = verdict
            .stages
            .iter()
            .flat_map(|s| &s.tests)
            .map(|t| Duration::from_millis(t.duration_ms))
            .sum();
        tested.push(Tested {
            exercise: p.exercise.name.clone(),
            path: p.path.clone(),
            file: p.file.clone(),
            mutant: p.mutant.clone(),
            outcome,
            failure,
            equivalent: None,
            gap: None,
            test_time,
        });
    }
    tested.sort_by(|a, b| {
        (&a.exercise, &a.file, a.mutant.line, a.mutant.column).cmp(&(
            &b.exercise,
            &b.file,
            b.mutant.line,
            b.mutant.column,
        ))
    });
    problems.extend(set_against_list(&mut tested, &listed));
    Ok(MutationRun {
        tested,
        problems,
        elapsed: started.elapsed(),
    })
}

/// The files of a solution folder that get mutants: `src/lib.rs` and every `alt/` file.
pub fn mutated_files(solution_dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![solution_dir.join("src/lib.rs")];
    files.extend(rs_files(&solution_dir.join("alt")));
    files
}

/// Where `variant` (a result of `run_variants` over `list`) stands in `list`.
fn position_in(list: &[Variant], variant: &Variant) -> usize {
    list.iter()
        .position(|v| std::ptr::eq(v, variant))
        .expect("a result belongs to a variant we made")
}

/// Marks the listed mutants and reports what disagrees: a missed mutant nobody listed, and a
/// listed one that is no longer missed (or no longer made).
fn set_against_list(tested: &mut [Tested], listed: &[(&Exercise, Equivalent)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (e, entry) in listed {
        let found = tested.iter_mut().find(|t| {
            t.exercise == e.name
                && t.file == entry.file
                && t.mutant.function == entry.function
                && t.mutant.change == entry.change
        });
        match found {
            Some(t) if t.outcome == Outcome::Missed && entry.gap => t.gap = Some(entry.why.clone()),
            // A gap caught in one run may be stress's luck, not a closed gap: it is no
            // problem; the entry goes once a model catches the mutant every time.
            Some(t) if t.outcome == Outcome::Caught && entry.gap => {}
            Some(t) if t.outcome == Outcome::Missed => t.equivalent = Some(entry.why.clone()),
            Some(t) => problems.push(Problem {
                exercise: e.name.clone(),
                what: format!(
                    "{}: lists {} in {} as {}, but the mutant is now {}: remove the entry",
                    entry.at,
                    entry.change,
                    entry.function,
                    if entry.gap {
                        "a known gap"
                    } else {
                        "equivalent"
                    },
                    t.outcome.name()
                ),
            }),
            None => problems.push(Problem {
                exercise: e.name.clone(),
                what: format!(
                    "{}: lists {} in {} of {}, but no such mutant is made any more: remove the \
                     entry",
                    entry.at, entry.change, entry.function, entry.file
                ),
            }),
        }
    }
    for t in tested.iter() {
        if t.outcome == Outcome::Missed && t.equivalent.is_none() && t.gap.is_none() {
            problems.push(Problem {
                exercise: t.exercise.clone(),
                what: format!(
                    "mutant missed: {}:{}:{}: {} in {}: every check passed. A gap in the tests \
                     (close it), or list it in {EQUIVALENT_FILE} with the reason no test can \
                     tell it apart",
                    t.path, t.mutant.line, t.mutant.column, t.mutant.change, t.mutant.function
                ),
            });
        }
    }
    problems
}
