//! The verdict on one exercise: fixed or not, and per check what happened, in types that
//! serialize to the JSON contract documented in the README.

use crate::workbook::Check;
use serde::Serialize;
use std::fmt;

/// Everything racelings concluded about one exercise.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub exercise: String,
    /// True iff every check passed.
    pub fixed: bool,
    pub stages: Vec<StageOutcome>,
}

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// A test process ran past its time limit.
    Timeout,
    /// The code did not compile.
    CompileError,
    /// Not run, because an earlier check (the build) failed.
    Skipped,
}

/// What kind of failure, so that a front end can explain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    CompileError,
    /// A test's assertion failed (its message says what should have held).
    Assertion,
    /// The learner's code panicked.
    Panic,
    /// Threads wait for each other forever (loom), or a stress round hung (watchdog).
    Deadlock,
    /// Two unsynchronised accesses to the same memory, one a write (loom).
    DataRace,
    /// A loop that spins without ever letting another thread run (loom's branch limit).
    SpinLoop,
    /// Stress rounds ended with outcomes the test forbids.
    WrongOutcome,
    /// Two threads read the same value and each wrote back its own update: one is lost (loom).
    LostUpdate,
    /// A thread read an older value than one already written, as nothing ordered the write
    /// before the read (loom).
    StaleRead,
    /// A thread waits for a notification that came before it began to wait, or went to
    /// another thread, so it waits forever (loom).
    LostWakeup,
    /// A woken thread found its condition false again: another thread got the lock first and
    /// took what the notification was for (loom).
    StolenWakeup,
    /// A wait returned without a notification, as std allows, and the code went on as if the
    /// condition held (loom's spurious pass, or stress).
    SpuriousWakeup,
    /// The test process ran past its time limit.
    Timeout,
    /// The test process died of a signal (abort, segfault, out of memory).
    Crash,
    /// The test process ended without reporting the test's result.
    NoResult,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CompileError => "compile error",
            Kind::Assertion => "assertion failed",
            Kind::Panic => "panic",
            Kind::Deadlock => "deadlock",
            Kind::DataRace => "data race",
            Kind::SpinLoop => "spin loop",
            Kind::WrongOutcome => "wrong outcome",
            Kind::LostUpdate => "lost update",
            Kind::StaleRead => "stale read",
            Kind::LostWakeup => "lost wakeup",
            Kind::StolenWakeup => "stolen wakeup",
            Kind::SpuriousWakeup => "spurious wakeup",
            Kind::Timeout => "timeout",
            Kind::Crash => "crash",
            Kind::NoResult => "no result",
        }
    }
}

/// A place in the workbook: a path relative to the workbook root, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(file: String, line: usize, column: usize) -> Self {
        Location { file, line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One observed outcome of a stress test and how often it came up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OutcomeCount {
    pub outcome: String,
    pub count: u64,
    pub correct: bool,
}

/// The outcome table of one stress test, in the style of jcstress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeTable {
    pub test: String,
    pub rounds: u64,
    pub completed: u64,
    pub outcomes: Vec<OutcomeCount>,
    /// The round (from 1) that hung, if one did.
    pub hang_round: Option<u64>,
}

/// One step of the schedule that broke the code: what one thread did, on which line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 0 for the model's main thread, then 1, 2, … in the order they were spawned.
    pub thread: usize,
    /// `main`, `thread 1`, …
    pub thread_name: String,
    /// `spawn`, `join`, `lock`, `unlock`, `read_lock`, `read_unlock`, `write_lock`,
    /// `write_unlock`, `try_lock`, `load`, `store`, `rmw`, `cas`, `read`, `write` (an
    /// `UnsafeCell`), `wait`, `wake`, `notify`.
    pub op: String,
    /// The object, named per timeline in the order met: `A`, `B`, …; for `spawn` and `join`,
    /// the thread's name.
    pub object: String,
    /// `lock`, `rwlock`, `atomic`, `cell`, `condvar`, `thread`.
    pub object_kind: String,
    /// For `rmw` and `cas`: the method (`fetch_add`, `compare_exchange`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// What the step saw or wrote: `0` for a load, `1` for a store, `0 → 1` for a
    /// read-modify-write, `notified` or `spurious` for a wake, `one` or `all` for a notify.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The step's place (a path relative to the workbook root); none for an unlock at the
    /// end of a guard's scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The source line, trimmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// True for the last steps of a deadlock: the operation each thread is stuck in.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blocked: bool,
    /// How many times in a row the thread did this same step (a spin loop), 1 otherwise.
    #[serde(skip_serializing_if = "is_one")]
    pub repeat: usize,
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// One test of a check, as the harness reported it (or failed to).
#[derive(Debug, Clone, Serialize)]
pub struct TestOutcome {
    pub name: String,
    pub passed: bool,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// For loom tests: the preemption bound of the pass that failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loom_bound: Option<u64>,
    /// For loom tests: whether the failing pass modelled spurious wakeups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spurious_pass: Option<bool>,
    /// For loom tests: the schedules loom explored, over every pass, up to the failing one
    /// (when the facade reported them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loom_schedules: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<OutcomeTable>,
    /// For loom failures: the schedule that broke the code, step by step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Step>,
    /// The test process's output, capped; shown with --verbose.
    #[serde(skip)]
    pub output: String,
}

impl TestOutcome {
    /// A test that passed or not, with nothing yet said about why.
    pub fn new(name: &str, passed: bool, took: std::time::Duration) -> Self {
        TestOutcome {
            name: name.to_string(),
            passed,
            duration_ms: took.as_millis() as u64,
            kind: None,
            message: String::new(),
            locations: Vec::new(),
            loom_bound: None,
            spurious_pass: None,
            loom_schedules: None,
            outcomes: None,
            timeline: Vec::new(),
            output: String::new(),
        }
    }
}

/// How one check of the pipeline ended.
#[derive(Debug, Clone, Serialize)]
pub struct StageOutcome {
    pub check: Check,
    pub status: Status,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// A short reason: the first failing test's message, or what the build said.
    pub message: String,
    /// Places in the exercise the failure points at, most telling first.
    pub locations: Vec<Location>,
    /// The first failing test's timeline (see [`TestOutcome::timeline`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Step>,
    pub tests: Vec<TestOutcome>,
    /// rustc's diagnostics (ANSI colors kept) when the build failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compiler_output: Option<String>,
}

impl StageOutcome {
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }

    pub fn skipped(check: Check) -> Self {
        StageOutcome {
            check,
            status: Status::Skipped,
            duration_ms: 0,
            kind: None,
            message: "not run: the build failed".to_string(),
            locations: Vec::new(),
            timeline: Vec::new(),
            tests: Vec::new(),
            compiler_output: None,
        }
    }

    /// A stage summed up from its tests: it passes iff every test passed.
    pub fn from_tests(check: Check, duration_ms: u64, tests: Vec<TestOutcome>) -> Self {
        let first_failure = tests.iter().find(|t| !t.passed);
        let timeline = first_failure
            .map(|t| t.timeline.clone())
            .unwrap_or_default();
        let (status, kind, message, locations) = match first_failure {
            None => (
                Status::Pass,
                None,
                format!("{} of {} tests passed", tests.len(), tests.len()),
                Vec::new(),
            ),
            Some(t) => {
                let status = if t.kind == Some(Kind::Timeout) {
                    Status::Timeout
                } else {
                    Status::Fail
                };
                (
                    status,
                    t.kind,
                    format!("{}: {}", t.name, t.message),
                    t.locations.clone(),
                )
            }
        };
        StageOutcome {
            check,
            status,
            duration_ms,
            kind,
            message,
            locations,
            timeline,
            tests,
            compiler_output: None,
        }
    }
}

impl Verdict {
    pub fn new(exercise: &str, stages: Vec<StageOutcome>) -> Self {
        Verdict {
            exercise: exercise.to_string(),
            fixed: !stages.is_empty() && stages.iter().all(StageOutcome::passed),
            stages,
        }
    }

    /// The stage of `check`, if it ran.
    pub fn stage(&self, check: Check) -> Option<&StageOutcome> {
        self.stages.iter().find(|s| s.check == check)
    }

    /// The first stage that did not pass.
    pub fn first_failure(&self) -> Option<&StageOutcome> {
        self.stages
            .iter()
            .find(|s| !s.passed() && s.status != Status::Skipped)
    }
}
