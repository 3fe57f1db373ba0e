//! Grading a class: each submission's sources taken in without trust, every distinct source
//! built and tested once in one sandboxed pipeline run against the pristine tests, and each
//! submission scored from info.toml's points.

pub mod bench;
pub mod intake;
pub mod report;
pub mod rustc;
pub mod scan;
pub mod units;

use crate::libtest;
use crate::pipeline::{self, Options, Progress};
use crate::runner::Limits;
use crate::sandbox::{Isolation, Sandbox};
use crate::verdict::{Status, Verdict};
use crate::workbook::{Exercise, Workbook};
use anyhow::{Context, Result, bail};
use intake::Taken;
use report::{ExerciseGrade, ExerciseInfo, GradeStatus, SubmissionGrade, Summary};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use units::Unit;

/// How to grade.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Test processes at once.
    pub jobs: usize,
    /// Only these exercises (all when empty).
    pub only: Vec<String>,
    pub shard: Option<Shard>,
    /// A cap on every test process's time limit (info.toml's otherwise).
    pub test_timeout_cap: Option<u64>,
    /// Writable memory per test process (heap, stacks).
    pub memory_bytes: u64,
    /// Processes and threads per test process (binds with a private uid).
    pub processes: u64,
    pub file_size_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            jobs: pipeline::default_jobs(),
            only: Vec::new(),
            shard: None,
            test_timeout_cap: None,
            memory_bytes: 1 << 30,
            processes: 512,
            file_size_bytes: 16 << 20,
        }
    }
}

/// `--shard I/N`: the I-th of N disjoint parts of the class (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}`: a shard is I/N with 1 <= I <= N, like 2/5");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) = (
            i.trim().parse::<u64>().map_err(|_| bad())?,
            n.trim().parse::<u64>().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether this shard grades the submission called `name`: by a hash of the name, so
    /// the split depends neither on the order of the arguments nor on the other names.
    pub fn takes(&self, name: &str) -> bool {
        let digest = Sha256::digest(name.as_bytes());
        let n = u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"));
        n % self.count == self.index - 1
    }
}

/// One submission to grade: its name in the reports and its folder.
#[derive(Debug, Clone)]
pub struct Submission {
    pub name: String,
    pub path: PathBuf,
}

/// Names submissions after their folders; two with one name are an error.
pub fn submissions(paths: &[PathBuf]) -> Result<Vec<Submission>> {
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    let mut out = Vec::new();
    for path in paths {
        let full = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let name = full
            .components()
            .next_back()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .filter(|n| !n.is_empty() && n != "/" && n != "." && n != "..")
            .or_else(|| {
                full.canonicalize()
                    .ok()?
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "submission".to_string());
        if let Some(other) = seen.insert(name.clone(), path) {
            bail!(
                "two submissions are named `{name}` ({} and {}): reports name submissions after \
                 their folders, so each needs its own name",
                other.display(),
                path.display()
            );
        }
        out.push(Submission {
            name,
            path: path.clone(),
        });
    }
    Ok(out)
}

/// What grading is doing, for a progress bar over submissions × exercises.
#[derive(Debug, Clone)]
pub enum Event {
    /// The number of grades to give (submissions × exercises).
    Planned(u64),
    /// What is happening now.
    Doing(String),
    /// This many more grades are done (fractions while a shared build's tests run).
    Advanced(f64),
}

/// Grades `submissions` against `workbook`.
pub fn grade(
    workbook: &Workbook,
    submissions: &[Submission],
    settings: &Settings,
    events: &(dyn Fn(Event) + Sync),
) -> Result<Summary> {
    for name in &settings.only {
        workbook.find(name)?;
    }
    let exercises: Vec<&Exercise> = workbook
        .exercises
        .iter()
        .filter(|e| settings.only.is_empty() || settings.only.contains(&e.name))
        .collect();
    let mine: Vec<&Submission> = submissions
        .iter()
        .filter(|s| settings.shard.is_none_or(|sh| sh.takes(&s.name)))
        .collect();
    events(Event::Planned((mine.len() * exercises.len()) as u64));
    let seed = run_seed()?;

    // Take every submission in; group identical sources into units.
    let intakes: Vec<intake::Intake> = mine
        .iter()
        .map(|s| intake::take(&s.name, &s.path, &exercises))
        .collect();
    let mut units: BTreeMap<String, Unit> = BTreeMap::new();
    let mut weight: HashMap<String, f64> = HashMap::new();
    let mut settled = 0.0;
    for intake in &intakes {
        let Ok(taken) = &intake.result else {
            settled += exercises.len() as f64;
            continue;
        };
        for (e, t) in exercises.iter().zip(taken) {
            match t {
                Taken::Sources(sources) => {
                    let unit = Unit::new(e, sources.clone(), settings.test_timeout_cap);
                    *weight.entry(unit.exercise.name.clone()).or_default() += 1.0;
                    units.entry(unit.id.clone()).or_insert(unit);
                }
                _ => settled += 1.0,
            }
        }
    }
    events(Event::Advanced(settled));

    let ws = units::workspace_dir(workbook);
    // One grading run at a time per workbook: each lays the shared workspace out anew.
    let _lock = units::lock_workspace(workbook, events)?;
    let (verdicts, isolation) = if units.is_empty() {
        (HashMap::new(), Isolation::default())
    } else {
        run_units(workbook, &ws, &units, &weight, settings, seed, events)?
    };

    let mut graded = Vec::new();
    for intake in intakes {
        graded.push(grade_submission(intake, &exercises, &units, &verdicts, &ws));
    }
    graded.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Summary {
        format_version: report::FORMAT_VERSION,
        racelings_version: env!("CARGO_PKG_VERSION").to_string(),
        exercises: exercises
            .iter()
            .map(|e| ExerciseInfo {
                name: e.name.clone(),
                points: e.points,
            })
            .collect(),
        max_score: exercises.iter().map(|e| e.points).sum(),
        isolation,
        shard: settings.shard.map(|s| s.to_string()),
        seed: Some(seed),
        submissions: graded,
    })
}

/// The environment variable that fixes a grading run's seed (to grade again alike, or to
/// give every shard of a class the same parameters).
pub const SEED_ENV: &str = "RACELINGS_GRADE_SEED";

/// This run's seed: [`SEED_ENV`]'s, or a fresh random one.
fn run_seed() -> Result<u64> {
    if let Ok(text) = std::env::var(SEED_ENV) {
        return text
            .trim()
            .parse()
            .with_context(|| format!("{SEED_ENV}={text:?} is not a whole number"));
    }
    let mut bytes = [0u8; 8];
    std::io::Read::read_exact(
        &mut std::fs::File::open("/dev/urandom").context("opening /dev/urandom")?,
        &mut bytes,
    )
    .context("reading /dev/urandom")?;
    Ok(u64::from_le_bytes(bytes))
}

/// Each unit's verdict, by unit id.
type UnitVerdicts = HashMap<String, Verdict>;

/// Builds and tests every unit in one pipeline run; units that fail to build there are
/// built again alone, so one that breaks the shared build cannot take the others down.
fn run_units(
    workbook: &Workbook,
    ws: &Path,
    units: &BTreeMap<String, Unit>,
    weight: &HashMap<String, f64>,
    settings: &Settings,
    seed: u64,
    events: &(dyn Fn(Event) + Sync),
) -> Result<(UnitVerdicts, Isolation)> {
    let all: Vec<&Unit> = units.values().collect();
    events(Event::Doing(format!("preparing {} crates", all.len())));
    units::lay_out(workbook, ws, &all)?;

    let mut opts = Options::for_workspace(&workbook.root);
    opts.workspace = ws.to_path_buf();
    opts.jobs = settings.jobs.max(1);
    // Sealed tests read the run's parameters before any of the learner's code runs.
    opts.seal_input = format!("seed={seed}\n");
    let scratch = ws.join(format!("scratch-{}", std::process::id()));
    let sandbox = Sandbox::new(&scratch, &[ws, &opts.target_dir])
        .context("preparing the sandbox for test processes")?;
    let isolation = sandbox.isolation().clone();
    let longest = all
        .iter()
        .map(|u| {
            u.exercise
                .stress_timeout_secs
                .max(u.exercise.loom_timeout_secs)
        })
        .max()
        .unwrap_or(60);
    opts.test_limits = Limits {
        // Every thread's time counts; the wall-clock limit normally ends a run first.
        cpu: Some(Duration::from_secs(longest * opts.jobs.max(2) as u64 + 5)),
        memory_bytes: Some(settings.memory_bytes),
        processes: isolation.private_uid.then_some(settings.processes),
        file_size_bytes: Some(settings.file_size_bytes),
        sandbox: Some(Arc::new(sandbox)),
        ..Limits::default()
    };

    // Progress: each finished test advances its unit's share of grades.
    let per_test: HashMap<String, f64> = all
        .iter()
        .map(|u| {
            let tests = expected_test_count(workbook, u).max(1) as f64;
            let w = weight.get(&u.exercise.name).copied().unwrap_or(0.0);
            (u.exercise.name.clone(), w / tests)
        })
        .collect();
    let progress = |p: Progress| match p {
        Progress::Building(flavor) => events(Event::Doing(format!("building ({flavor:?})"))),
        Progress::TestStarted(t) => {
            events(Event::Doing(format!("testing {}", short(&t.exercise))));
        }
        Progress::TestLive(..) => {}
        Progress::TestFinished(t) => {
            if let Some(step) = per_test.get(&t.exercise).copied() {
                events(Event::Advanced(step));
            }
        }
    };
    let result = (|| -> Result<UnitVerdicts> {
        let synthetic: Vec<&Exercise> = all.iter().map(|u| &u.exercise).collect();
        let mut verdicts = pipeline::check_all(&synthetic, &opts, &progress)?;
        if all.len() > 1 {
            for (i, unit) in all.iter().enumerate() {
                if !build_failed(&verdicts[i]) {
                    continue;
                }
                events(Event::Doing(format!(
                    "rebuilding {} alone",
                    short(&unit.exercise.name)
                )));
                verdicts[i] = pipeline::check(&unit.exercise, &opts, &progress)?;
            }
        }
        Ok(all
            .iter()
            .zip(verdicts)
            .map(|(u, v)| (u.id.clone(), v))
            .collect())
    })();
    // Whatever the tests left in the scratch folder goes, whether grading ran or not.
    let _ = std::fs::remove_dir_all(&scratch);
    Ok((result?, isolation))
}

fn build_failed(v: &Verdict) -> bool {
    v.stages
        .iter()
        .any(|s| s.status == Status::CompileError && s.check == crate::workbook::Check::Build)
}

fn short(package: &str) -> &str {
    package.rsplit_once('_').map_or(package, |(name, _)| name)
}

fn expected_test_count(workbook: &Workbook, unit: &Unit) -> usize {
    unit.exercise
        .checks
        .iter()
        .filter_map(|c| c.test_file())
        .map(|f| {
            let original = workbook.exercises.iter().find(|e| e.name == unit.name);
            let dir = workbook.root.join(format!("exercises/{}", unit.dir()));
            let count = |path: PathBuf| {
                std::fs::read_to_string(path).map_or(0, |s| libtest::expected_tests(&s).len())
            };
            count(dir.join("tests").join(format!("{f}.rs")))
                + original.map_or(0, |e| {
                    count(units::grader_only_dir(workbook, e).join(format!("{f}.rs")))
                })
        })
        .sum()
}

fn grade_submission(
    intake: intake::Intake,
    exercises: &[&Exercise],
    units: &BTreeMap<String, Unit>,
    verdicts: &UnitVerdicts,
    ws: &Path,
) -> SubmissionGrade {
    let max_score = exercises.iter().map(|e| e.points).sum();
    let taken = match intake.result {
        Ok(taken) => taken,
        Err(error) => {
            return SubmissionGrade {
                name: intake.name,
                score: 0,
                max_score,
                error: Some(error),
                duration_ms: 0,
                exercises: Vec::new(),
            };
        }
    };
    let mut grades = Vec::new();
    for (e, t) in exercises.iter().zip(taken) {
        let zero = |status: GradeStatus, message: String| ExerciseGrade {
            name: e.name.clone(),
            score: 0,
            max_score: e.points,
            fixed: false,
            status,
            kind: None,
            output: message.clone(),
            message,
            duration_ms: 0,
        };
        let grade = match t {
            Taken::Missing(why) => zero(GradeStatus::Missing, why),
            Taken::Refused(why) => zero(GradeStatus::Refused, why),
            Taken::Sources(sources) => {
                let id = units::unit_id(&e.name, &sources);
                match (units.get(&id), verdicts.get(&id)) {
                    (Some(unit), Some(verdict)) => exercise_grade(e, unit, verdict, ws),
                    _ => zero(GradeStatus::Error, "the grader lost this exercise".into()),
                }
            }
        };
        grades.push(grade);
    }
    SubmissionGrade {
        name: intake.name,
        score: grades.iter().map(|g| g.score).sum(),
        max_score,
        error: None,
        duration_ms: grades.iter().map(|g| g.duration_ms).sum(),
        exercises: grades,
    }
}

/// An exercise's grade from its unit's verdict.
fn exercise_grade(e: &Exercise, unit: &Unit, verdict: &Verdict, ws: &Path) -> ExerciseGrade {
    let fix = |s: &str| units::unmangle(s, unit, ws);
    let failure = verdict.first_failure();
    let status = match failure.map(|s| s.status) {
        None if verdict.fixed => GradeStatus::Pass,
        None => GradeStatus::Fail,
        Some(Status::Timeout) => GradeStatus::Timeout,
        Some(Status::CompileError) => GradeStatus::CompileError,
        Some(_) => GradeStatus::Fail,
    };
    let message = match failure {
        None if verdict.fixed => "fixed: every check passed".to_string(),
        None => "not fixed".to_string(),
        Some(stage) => fix(&format!("{}: {}", stage.check, stage.message)),
    };
    let kind = failure
        .and_then(|s| s.kind)
        .and_then(|k| serde_json::to_value(k).ok())
        .and_then(|v| v.as_str().map(String::from));
    let mut output = String::new();
    for stage in &verdict.stages {
        output.push_str(&format!(
            "{}: {} — {}\n",
            stage.check,
            serde_json::to_value(stage.status)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            fix(&stage.message)
        ));
        for l in &stage.locations {
            output.push_str(&format!("  at {}\n", fix(&l.to_string())));
        }
        if let Some(compiler) = &stage.compiler_output {
            let plain = fix(&pipeline::strip_ansi(compiler));
            output.push_str(&cap(&plain, 4000));
            output.push('\n');
        }
    }
    let fixed = verdict.fixed;
    ExerciseGrade {
        name: e.name.clone(),
        score: if fixed { e.points } else { 0 },
        max_score: e.points,
        fixed,
        status,
        kind,
        message,
        // The build is shared by every unit of the run: only the tests' time is this one's.
        duration_ms: verdict
            .stages
            .iter()
            .filter(|s| s.check != crate::workbook::Check::Build)
            .map(|s| s.duration_ms)
            .sum(),
        output,
    }
}

fn cap(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n… (cut)", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_a_class_into_disjoint_parts_that_cover_it() {
        let names: Vec<String> = (0..50).map(|i| format!("student{i}")).collect();
        let shards: Vec<Shard> = (1..=3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        for n in &names {
            assert_eq!(shards.iter().filter(|s| s.takes(n)).count(), 1, "{n}");
        }
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }
}
