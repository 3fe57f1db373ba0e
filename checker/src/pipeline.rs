//! The one path from exercise crates to verdicts: build (std, then loom), then every test of
//! every check in its own process, then a verdict per exercise. `run`, `verify`, `dev check`,
//! the watcher and grading all come through here.

use crate::cargo::{self, BuildEnv, BuildReport, Built, Flavor};
use crate::diagnose::{self, Live};
use crate::libtest;
use crate::overlay;
use crate::runner::{self, CancelToken, Limits};
use crate::source_lint;
use crate::verdict::{Kind, StageOutcome, Status, TestOutcome, Verdict};
use crate::workbook::{Check, Exercise};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where the crates are and how to run them.
#[derive(Debug, Clone)]
pub struct Options {
    /// The cargo workspace holding the crates at `exercises/<dir>` (the workbook itself, or
    /// an overlay of it).
    pub workspace: PathBuf,
    /// The target dir for the std build; the loom build goes in `<target>/loom`.
    pub target_dir: PathBuf,
    /// Test processes run at once.
    pub jobs: usize,
    pub build_timeout: Duration,
    /// Keep backtraces in test output.
    pub verbose: bool,
    pub cancel: Option<CancelToken>,
    /// Limits on every test process (resource limits, sandbox); each test's own time limit
    /// replaces `timeout`.
    pub test_limits: Limits,
    /// Run only these of each exercise's checks (all when `None`); the verdict then has
    /// stages for these alone.
    pub only_checks: Option<Vec<Check>>,
    /// What sealed tests read on stdin: the run's parameters, `name=value` lines.
    pub seal_input: String,
}

impl Options {
    /// The checks of `e` this run makes, in order.
    fn checks_of(&self, e: &Exercise) -> Vec<Check> {
        e.checks
            .iter()
            .copied()
            .filter(|c| {
                self.only_checks
                    .as_ref()
                    .is_none_or(|only| only.contains(c))
            })
            .collect()
    }
}

impl Options {
    /// Defaults for a workspace: its own `target/` (or `CARGO_TARGET_DIR`, as cargo would),
    /// one job per core.
    pub fn for_workspace(workspace: &Path) -> Self {
        let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => std::env::current_dir().unwrap_or_default().join(dir),
            None => workspace.join("target"),
        };
        Options {
            workspace: workspace.to_path_buf(),
            target_dir,
            jobs: default_jobs(),
            build_timeout: Duration::from_secs(600),
            verbose: false,
            cancel: None,
            test_limits: Limits::default(),
            only_checks: None,
            seal_input: String::new(),
        }
    }
}

/// The number of cores, the default number of parallel jobs.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// What the pipeline is doing, for front ends that show progress.
#[derive(Debug, Clone)]
pub enum Progress {
    Building(Flavor),
    TestStarted(TestId),
    /// How far a running test has got (stress round, loom schedules), a few times a second.
    TestLive(TestId, Live),
    TestFinished(TestId),
}

/// One test of one check of one exercise, as progress names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestId {
    pub exercise: String,
    pub check: Check,
    pub test: String,
}

/// Checks one exercise.
pub fn check(
    exercise: &Exercise,
    opts: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Verdict> {
    Ok(check_all(&[exercise], opts, progress)?.remove(0))
}

/// Checks several exercises, building each flavor once for all of them.
pub fn check_all(
    exercises: &[&Exercise],
    opts: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<Verdict>> {
    let env = BuildEnv {
        workspace: opts.workspace.clone(),
        target_base: opts.target_dir.clone(),
        timeout: opts.build_timeout,
    };
    for e in exercises {
        let dir = opts.workspace.join(e.crate_path());
        anyhow::ensure!(
            dir.join("Cargo.toml").is_file(),
            "exercise `{}`: its crate is missing ({} has no Cargo.toml); `racelings reset {}` \
             restores it",
            e.name,
            dir.display(),
            e.name
        );
    }
    // In an overlay the crates carry a suffix that keeps their build apart (see overlay.rs).
    let suffix = overlay::package_suffix(&opts.workspace);
    let package = |e: &Exercise| format!("{}{suffix}", e.name);
    let names: Vec<String> = exercises.iter().map(|e| package(e)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    progress(Progress::Building(Flavor::Std));
    let std_build = cargo::build(&env, Flavor::Std, &names, opts.cancel.as_ref())?;
    // What std's compiler would refuse but the facade lets through fails the build too.
    let std_outcomes: Vec<Built> = exercises
        .iter()
        .map(|e| match std_build.get(&package(e)) {
            Built::Binary(binary) => {
                let crate_dir = opts.workspace.join(e.crate_path());
                let errors = source_lint::check_crate(&crate_dir, &e.crate_path());
                if errors.is_empty() {
                    Built::Binary(binary)
                } else {
                    Built::CompileError {
                        rendered: errors.iter().map(|e| e.rendered.as_str()).collect(),
                        locations: errors.into_iter().map(|e| e.location).collect(),
                    }
                }
            }
            failed => failed,
        })
        .collect();
    let compiled: Vec<String> = exercises
        .iter()
        .zip(&std_outcomes)
        .filter(|(e, _)| opts.checks_of(e).contains(&Check::Loom))
        .filter(|(_, built)| matches!(built, Built::Binary(_)))
        .map(|(e, _)| package(e))
        .collect();
    let compiled: Vec<&str> = compiled.iter().map(String::as_str).collect();
    let loom_build = if compiled.is_empty() {
        None
    } else {
        progress(Progress::Building(Flavor::Loom));
        Some(cargo::build(
            &env,
            Flavor::Loom,
            &compiled,
            opts.cancel.as_ref(),
        )?)
    };

    // Every test of every check of every exercise is one task.
    let mut tasks = Vec::new();
    let mut early: HashMap<(usize, Check), StageOutcome> = HashMap::new();
    for (i, e) in exercises.iter().enumerate() {
        let build_ms = std_build.duration.as_millis() as u64;
        let std_outcome = std_outcomes[i].clone();
        let build_failed = matches!(std_outcome, Built::CompileError { .. });
        for check in opts.checks_of(e) {
            let stage = match check {
                Check::Build => Some(build_stage(&std_outcome, build_ms)),
                _ if build_failed => Some(StageOutcome::skipped(check)),
                Check::Stress => test_tasks(e, i, check, &std_outcome, opts, &mut tasks),
                Check::Loom => {
                    let built = loom_build
                        .as_ref()
                        .map(|b: &BuildReport| b.get(&package(e)));
                    let built = built.unwrap_or_else(|| std_outcome.clone());
                    test_tasks(e, i, check, &built, opts, &mut tasks)
                }
            };
            if let Some(stage) = stage {
                early.insert((i, check), stage);
            }
        }
    }

    let results = run_tasks(&tasks, opts, progress);

    let mut verdicts = Vec::new();
    for (i, e) in exercises.iter().enumerate() {
        let mut stages = Vec::new();
        for check in opts.checks_of(e) {
            if let Some(stage) = early.remove(&(i, check)) {
                stages.push(stage);
                continue;
            }
            let mine: Vec<(&Task, &TestOutcome)> = tasks
                .iter()
                .zip(&results)
                .filter(|(t, _)| t.exercise == i && t.check == check)
                .collect();
            let duration_ms = mine.iter().map(|(_, r)| r.duration_ms).sum();
            let tests = mine.into_iter().map(|(_, r)| r.clone()).collect();
            stages.push(StageOutcome::from_tests(check, duration_ms, tests));
        }
        verdicts.push(Verdict::new(&e.name, stages));
    }
    Ok(verdicts)
}

fn build_stage(built: &Built, duration_ms: u64) -> StageOutcome {
    match built {
        Built::Binary(_) => StageOutcome {
            check: Check::Build,
            status: Status::Pass,
            duration_ms,
            kind: None,
            message: "compiled".to_string(),
            locations: Vec::new(),
            timeline: Vec::new(),
            tests: Vec::new(),
            compiler_output: None,
        },
        Built::CompileError {
            rendered,
            locations,
        } => StageOutcome {
            check: Check::Build,
            status: Status::CompileError,
            duration_ms,
            kind: Some(Kind::CompileError),
            message: first_error_line(rendered),
            locations: locations.clone(),
            timeline: Vec::new(),
            tests: Vec::new(),
            compiler_output: Some(diagnose::compiler::with_facade_notes(rendered)),
        },
    }
}

fn first_error_line(rendered: &str) -> String {
    let plain = strip_ansi(rendered);
    plain
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_else(|| plain.lines().next().unwrap_or("it did not compile"))
        .trim()
        .to_string()
}

/// Removes ANSI escape sequences (rustc's colors) from text.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

struct Task {
    exercise: usize,
    check: Check,
    test: String,
    exercise_name: String,
    binary: PathBuf,
    crate_dir: PathBuf,
    crate_path: String,
    timeout: Duration,
    preemption_bound: Option<u32>,
    /// The test file seals this test (see `libtest::seal_tests`): it passes only with the seal.
    sealed: bool,
}

/// Queues one task per expected test; returns a finished stage when there is nothing to run.
fn test_tasks(
    e: &Exercise,
    index: usize,
    check: Check,
    built: &Built,
    opts: &Options,
    tasks: &mut Vec<Task>,
) -> Option<StageOutcome> {
    let binary = match built {
        Built::Binary(b) => b.clone(),
        Built::CompileError { .. } => {
            let mut stage = build_stage(built, 0);
            stage.check = check;
            return Some(stage);
        }
    };
    let crate_dir = opts.workspace.join(e.crate_path());
    let file = check.test_file().expect("stress and loom run a test file");
    let source_path = crate_dir.join("tests").join(format!("{file}.rs"));
    let (expected, sealed) = match std::fs::read_to_string(&source_path) {
        Ok(src) => (libtest::expected_tests(&src), libtest::sealed_tests(&src)),
        Err(err) => {
            return Some(failed_stage(
                check,
                format!("cannot read {}: {err}", source_path.display()),
            ));
        }
    };
    if expected.is_empty() {
        return Some(failed_stage(
            check,
            format!("{} defines no #[test] functions", source_path.display()),
        ));
    }
    for test in expected {
        let sealed = sealed.contains(&test);
        tasks.push(Task {
            exercise: index,
            check,
            test,
            exercise_name: e.name.clone(),
            binary: binary.clone(),
            crate_dir: crate_dir.clone(),
            crate_path: e.crate_path(),
            timeout: Duration::from_secs(e.test_timeout_secs(check)),
            preemption_bound: e.preemption_bound,
            sealed,
        });
    }
    None
}

fn failed_stage(check: Check, message: String) -> StageOutcome {
    StageOutcome {
        check,
        status: Status::Fail,
        duration_ms: 0,
        kind: Some(Kind::NoResult),
        message,
        locations: Vec::new(),
        timeline: Vec::new(),
        tests: Vec::new(),
        compiler_output: None,
    }
}

/// Runs the tasks on `opts.jobs` threads; results in task order.
fn run_tasks(
    tasks: &[Task],
    opts: &Options,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<TestOutcome> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<TestOutcome>>> = Mutex::new(vec![None; tasks.len()]);
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs.max(1).min(tasks.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(task) = tasks.get(i) else { return };
                    let id = TestId {
                        exercise: task.exercise_name.clone(),
                        check: task.check,
                        test: task.test.clone(),
                    };
                    progress(Progress::TestStarted(id.clone()));
                    let live = |line: &str| {
                        if let Some(live) = diagnose::live(line) {
                            progress(Progress::TestLive(id.clone(), live));
                        }
                    };
                    let outcome = run_test(task, opts, &live);
                    progress(Progress::TestFinished(id));
                    results.lock().unwrap()[i] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every task ran"))
        .collect()
}

/// Runs one test in a process of its own; its progress lines go to `live` as they come.
fn run_test(task: &Task, opts: &Options, live: &(dyn Fn(&str) + Sync)) -> TestOutcome {
    let mut cmd = libtest::command_for(&task.binary, &task.test);
    cmd.current_dir(&task.crate_dir)
        .env("RUST_BACKTRACE", if opts.verbose { "1" } else { "0" })
        .env(diagnose::PROGRESS_ENV, "1")
        .env("LOOM_LOCATION", "1")
        .env_remove("LOOM_LOG")
        .env_remove("LOOM_MAX_PREEMPTIONS");
    if let Some(bound) = task.preemption_bound {
        cmd.env("RACELINGS_PREEMPTION_BOUND", bound.to_string());
    }
    // A sealed test reports its return on a pipe only the checker reads.
    let channel = match task.sealed.then(std::io::pipe).transpose() {
        Ok(channel) => channel,
        Err(err) => {
            return TestOutcome {
                kind: Some(Kind::NoResult),
                message: format!("cannot open a result channel: {err}"),
                ..TestOutcome::new(&task.test, false, Duration::ZERO)
            };
        }
    };
    let limits = Limits {
        timeout: task.timeout,
        hand_over: channel
            .as_ref()
            .map(|(_, writer)| (std::os::fd::AsRawFd::as_raw_fd(writer), libtest::SEAL_FD)),
        ..opts.test_limits.clone()
    };
    let started = Instant::now();
    let input = task.sealed.then(|| opts.seal_input.clone());
    let tap = runner::Tap {
        prefix: diagnose::MARKER,
        on_line: live,
    };
    match runner::run_with_input(
        cmd,
        input.as_deref().map(str::as_bytes),
        &limits,
        opts.cancel.as_ref(),
        Some(&tap),
    )
    .with_context(|| format!("running {}", task.binary.display()))
    {
        Ok(finished) => {
            let mut outcome = diagnose::diagnose(&task.test, &task.crate_path, &finished);
            diagnose::timeline::read_snippets(
                &mut outcome.timeline,
                &opts.workspace,
                &task.crate_path,
            );
            if let Some((reader, writer)) = channel
                && outcome.passed
                && !libtest::sealed_pass(&read_channel(reader, writer), &task.test)
            {
                outcome.passed = false;
                outcome.kind = Some(Kind::NoResult);
                outcome.message = libtest::NO_SEAL.to_string();
            }
            outcome
        }
        Err(err) => TestOutcome {
            kind: Some(Kind::NoResult),
            message: format!("{err:#}"),
            ..TestOutcome::new(&task.test, false, started.elapsed())
        },
    }
}

/// What a sealed test wrote on its result channel, once its process is gone: whatever is
/// there now, at most 64 KiB, without waiting for a writer that outlived it.
fn read_channel(reader: std::io::PipeReader, writer: std::io::PipeWriter) -> String {
    use std::io::Read;
    drop(writer);
    let fd = std::os::fd::AsRawFd::as_raw_fd(&reader);
    // SAFETY: a flag on a descriptor this function owns.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
    }
    let mut text = Vec::new();
    let _ = reader.take(64 * 1024).read_to_end(&mut text);
    String::from_utf8_lossy(&text).into_owned()
}
