//! Reading one test process's output into a [`TestOutcome`]: did the harness report a pass,
//! and if not, what kind of failure, with what message, at which lines of the exercise.
//!
//! Sources, most trusted first: the harness's own lines (pass or not), the process's exit,
//! panic reports (`thread '…' panicked at file:line:col:` and the message), loom's failure
//! texts, and the facade's `@racelings` marker lines (which pass failed, the outcome table,
//! the steps of the loom schedule that failed: see [`timeline`] and [`explain`]).

pub mod compiler;
mod explain;
pub mod timeline;

use crate::libtest;
use crate::runner::{self, Exit, Finished};
use crate::verdict::{Kind, Location, OutcomeCount, OutcomeTable, TestOutcome};
use serde::Deserialize;

/// The marker prefix the facade writes (see `racelings_sync::marker`).
pub const MARKER: &str = "@racelings ";

/// The environment variable that asks the facade for progress lines while a test runs.
pub const PROGRESS_ENV: &str = "RACELINGS_PROGRESS";

/// How far a running test has got, from the facade's progress lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// A stress test has started round `round` of `rounds`.
    StressRound { round: u64, rounds: u64 },
    /// A loom model has explored `schedules` schedules over its passes so far; the pass
    /// under way allows `bound` preemptions, of at most `max_bound`.
    LoomSchedules {
        schedules: u64,
        bound: u64,
        max_bound: u64,
        spurious: bool,
    },
}

impl std::fmt::Display for Live {
    /// How far the test has got, in words: "round 7/20", "1633 schedules explored
    /// (preemption bound 2 of 2)".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Live::StressRound { round, rounds } => write!(f, "round {round}/{rounds}"),
            Live::LoomSchedules {
                schedules,
                bound,
                max_bound,
                spurious,
            } => write!(
                f,
                "{schedules} schedule{} explored (preemption bound {bound} of {max_bound}{})",
                if *schedules == 1 { "" } else { "s" },
                if *spurious { ", spurious wakeups" } else { "" }
            ),
        }
    }
}

/// Reads a whole stderr line as a progress line, if it is one.
pub fn live(line: &str) -> Option<Live> {
    let m = serde_json::from_str::<RawMarker>(line.strip_prefix(MARKER)?).ok()?;
    match m.event.as_str() {
        "stress_round" => Some(Live::StressRound {
            round: m.round?,
            rounds: m.rounds?,
        }),
        "loom_progress" => Some(Live::LoomSchedules {
            schedules: m.schedules?,
            bound: m.bound?,
            max_bound: m.max_bound?,
            spurious: m.spurious.unwrap_or(false),
        }),
        _ => None,
    }
}

/// A panic report found in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanicReport {
    pub location: Option<Location>,
    pub message: String,
}

/// Reads the outcome of running `test` from the crate at `crate_path` (relative to the
/// workbook root, e.g. `exercises/02_races/03_lost_update`).
pub fn diagnose(test: &str, crate_path: &str, finished: &Finished) -> TestOutcome {
    let mut outcome = TestOutcome {
        output: combined_output(finished),
        ..TestOutcome::new(
            test,
            libtest::harness_passed(finished, test),
            finished.duration,
        )
    };
    let markers = markers(&finished.stderr);
    for m in &markers {
        match m {
            Marker::LoomPass { bound, spurious } => {
                outcome.loom_bound = Some(*bound);
                outcome.spurious_pass = Some(*spurious);
            }
            Marker::LoomSchedules(n) => {
                *outcome.loom_schedules.get_or_insert(0) += n;
            }
            Marker::Stress(table) => {
                let mut table = table.clone();
                table.test = test.to_string();
                outcome.outcomes = Some(table);
            }
            Marker::Timeline(_) => {}
        }
    }
    if outcome.passed {
        outcome.loom_bound = None;
        outcome.spurious_pass = None;
        return outcome;
    }

    let text = &outcome.output;
    let panics = panics(text, crate_path);
    let first = panics.first();
    let mut locations: Vec<Location> = Vec::new();
    let (kind, message) = if finished.exit == Exit::TimedOut {
        (
            Kind::Timeout,
            format!(
                "no result after {:.0?}: the test neither passed nor failed in time (an endless \
                 loop, or threads that never finish?)",
                finished.duration
            ),
        )
    } else if let Some(blocked) = text.find("deadlock; threads =").map(|i| &text[i..]) {
        let blocked_line = blocked.lines().next().unwrap_or("");
        locations = loom_debug_locations(blocked_line, crate_path);
        let places = locations
            .iter()
            .map(|l| format!("{}:{}", short_file(&l.file), l.line))
            .collect::<Vec<_>>();
        let message = if places.is_empty() {
            "every thread is blocked, each waiting for another: a deadlock".to_string()
        } else {
            format!(
                "every thread is blocked, each waiting for another: a deadlock (threads blocked at {})",
                places.join(", ")
            )
        };
        (Kind::Deadlock, message)
    } else if let Some(p) = first.filter(|p| p.message.contains("Causality violation")) {
        (
            Kind::DataRace,
            format!(
                "two threads touch the same memory with nothing ordering them, and one of them \
                 writes: a data race ({})",
                p.message
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches('.')
            ),
        )
    } else if text.contains("Model exceeded maximum number of branches") {
        (
            Kind::SpinLoop,
            "a loop spins without ever letting another thread run; spin loops must call \
             hint::spin_loop() or thread::yield_now() from the facade"
                .to_string(),
        )
    } else if let Some(p) = first.filter(|p| p.message.starts_with("suspected deadlock")) {
        (Kind::Deadlock, p.message.clone())
    } else if outcome
        .outcomes
        .as_ref()
        .is_some_and(|t| t.outcomes.iter().any(|o| !o.correct))
    {
        let msg = first.map_or_else(
            || "some rounds ended wrong".to_string(),
            |p| p.message.clone(),
        );
        (Kind::WrongOutcome, msg)
    } else if let Some(p) = first {
        let in_learner_code = p
            .location
            .as_ref()
            .is_some_and(|l| l.file.starts_with(&format!("{crate_path}/src/")));
        if in_learner_code {
            (Kind::Panic, p.message.clone())
        } else {
            (Kind::Assertion, p.message.clone())
        }
    } else {
        match finished.exit {
            Exit::Signal(sig) => (
                Kind::Crash,
                format!(
                    "the test process was killed by {}",
                    runner::signal_name(sig)
                ),
            ),
            Exit::Code(0) => (
                Kind::NoResult,
                "the test process exited before the test reported a result (does the code call \
                 process::exit?)"
                    .to_string(),
            ),
            Exit::Code(code) => (
                Kind::NoResult,
                format!("the test process exited with code {code} without reporting a result"),
            ),
            Exit::TimedOut | Exit::Cancelled => (Kind::Timeout, "the run was stopped".to_string()),
        }
    };
    // The failing schedule's steps, when the facade reported them, say more than loom did.
    let (kind, message) = match markers.iter().rev().find_map(Marker::timeline) {
        Some(raw) => {
            let assertion = first.map(|p| p.message.as_str());
            let spurious = outcome.spurious_pass == Some(true);
            let schedule = explain::schedule(raw, kind, assertion, spurious, |f| {
                workbook_path(f, crate_path)
            });
            outcome.timeline = schedule.steps;
            locations.splice(0..0, schedule.places);
            match schedule.explained {
                Some((k, summary)) if matches!(kind, Kind::Assertion | Kind::Panic) => {
                    (k, format!("{summary}\n{message}"))
                }
                Some((k, summary)) => (k, summary),
                None => (kind, message),
            }
        }
        None => (kind, message),
    };
    for p in &panics {
        if let Some(l) = &p.location {
            locations.push(l.clone());
        }
    }
    locations.extend(rs_locations(text, crate_path));
    // Places outside the workbook (loom's, the standard library's) mean nothing to a learner.
    locations.retain(|l| !l.file.starts_with('/'));
    // The learner's own file first: that is where the fix goes.
    locations.sort_by_key(|l| !l.file.starts_with(&format!("{crate_path}/src/")));
    let mut seen = std::collections::HashSet::new();
    locations.retain(|l| seen.insert((l.file.clone(), l.line)));
    outcome.kind = Some(kind);
    outcome.message = message;
    outcome.locations = locations;
    outcome
}

fn combined_output(finished: &Finished) -> String {
    let mut text = String::new();
    text.push_str(&finished.stdout);
    if !finished.stderr.is_empty() {
        text.push('\n');
        // Progress lines were for the screen while the test ran; the rest is kept as is.
        for line in finished.stderr.split_inclusive('\n') {
            if live(line.trim_end()).is_none() {
                text.push_str(line);
            }
        }
    }
    if finished.truncated {
        text.push_str("\n[output cut: the test printed more than racelings keeps]\n");
    }
    text
}

fn short_file(file: &str) -> &str {
    file.rsplit_once("/src/").map_or(file, |(_, f)| f)
}

enum Marker {
    LoomPass {
        bound: u64,
        spurious: bool,
    },
    /// Schedules one pass explored: all of them when it ended, up to the failing one when
    /// it failed.
    LoomSchedules(u64),
    Stress(OutcomeTable),
    /// The steps of the schedule that failed.
    Timeline(timeline::RawTimeline),
}

impl Marker {
    fn timeline(&self) -> Option<&timeline::RawTimeline> {
        match self {
            Marker::Timeline(t) => Some(t),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct RawMarker {
    event: String,
    bound: Option<u64>,
    max_bound: Option<u64>,
    spurious: Option<bool>,
    round: Option<u64>,
    rounds: Option<u64>,
    completed: Option<u64>,
    outcomes: Option<Vec<OutcomeCount>>,
    hang_round: Option<u64>,
    schedules: Option<u64>,
    steps: Option<Vec<timeline::RawStep>>,
    blocked: Option<Vec<timeline::RawStep>>,
    dropped: Option<usize>,
    dropped_after: Option<usize>,
}

fn markers(stderr: &str) -> Vec<Marker> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(MARKER))
        .filter_map(|json| serde_json::from_str::<RawMarker>(json).ok())
        .filter_map(|m| match m.event.as_str() {
            "loom_pass" => Some(Marker::LoomPass {
                bound: m.bound?,
                spurious: m.spurious.unwrap_or(false),
            }),
            "loom_pass_done" | "loom_failed_at" => Some(Marker::LoomSchedules(m.schedules?)),
            "stress" => Some(Marker::Stress(OutcomeTable {
                test: String::new(),
                rounds: m.rounds?,
                completed: m.completed.unwrap_or(0),
                outcomes: m.outcomes.unwrap_or_default(),
                hang_round: m.hang_round,
            })),
            "timeline" => Some(Marker::Timeline(timeline::RawTimeline {
                steps: m.steps?,
                blocked: m.blocked.unwrap_or_default(),
                dropped: m.dropped.unwrap_or(0),
                dropped_after: m.dropped_after.unwrap_or(0),
            })),
            _ => None,
        })
        .collect()
}

/// Every `thread '…' panicked at file:line:col:` report and its message, in order.
pub fn panics(text: &str, crate_path: &str) -> Vec<PanicReport> {
    let lines: Vec<&str> = text.lines().collect();
    let mut reports = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find(" panicked at ") else {
            continue;
        };
        if !line[..at].trim_start().starts_with("thread ") {
            continue;
        }
        let place = line[at + " panicked at ".len()..].trim_end_matches(':');
        let location = parse_location(place, crate_path);
        let message = lines[i + 1..]
            .iter()
            // loom starts some messages with a blank line.
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| {
                !l.trim().is_empty()
                    && !l.starts_with("note: ")
                    && !l.starts_with("stack backtrace:")
                    && !l.contains(" panicked at ")
            })
            .map(|l| l.trim_end())
            .collect::<Vec<_>>()
            .join("\n");
        // A panic without a message (`Box<dyn Any>`) is the way loom's coroutines unwind
        // when a schedule is torn down, not a failure.
        if message.trim() == "Box<dyn Any>" {
            continue;
        }
        reports.push(PanicReport {
            location,
            message: message.trim().to_string(),
        });
    }
    // After a deadlock loom's scheduler panics again while unwinding; that second report
    // says nothing about the learner's code.
    let mut kept: Vec<PanicReport> = Vec::new();
    for r in reports {
        let echo = r
            .message
            .contains("called `Option::unwrap()` on a `None` value")
            && !r
                .location
                .as_ref()
                .is_some_and(|l| l.file.starts_with(crate_path));
        if !echo || kept.is_empty() {
            kept.push(r);
        }
    }
    kept
}

/// `file:line:col` as written in a panic report, made relative to the workbook root.
fn parse_location(place: &str, crate_path: &str) -> Option<Location> {
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    let file = parts.next()?.trim();
    Some(Location::new(workbook_path(file, crate_path), line, column))
}

/// Rust reports paths as rustc saw them: relative to the workspace (`exercises/…/src/lib.rs`)
/// for a workspace member, or relative to the crate (`src/lib.rs`) elsewhere.
fn workbook_path(file: &str, crate_path: &str) -> String {
    if file.starts_with("src/") || file.starts_with("tests/") {
        format!("{crate_path}/{file}")
    } else if let Some(i) = file.find(&format!("{crate_path}/")) {
        file[i..].to_string()
    } else {
        file.to_string()
    }
}

/// `file.rs:line:col` mentions that point inside the exercise crate.
fn rs_locations(text: &str, crate_path: &str) -> Vec<Location> {
    let mut found = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',') {
        let token = token.trim_end_matches(['.', ':', ';']);
        if let Some(at) = token.find(".rs:")
            && let Some(l) = parse_location(token, crate_path)
            && at > 0
            && l.file.starts_with(crate_path)
        {
            found.push(l);
        }
    }
    found
}

/// The `Location { file: "…", line: N, col: M }` entries of loom's deadlock report.
fn loom_debug_locations(report: &str, crate_path: &str) -> Vec<Location> {
    let mut found = Vec::new();
    let mut rest = report;
    while let Some(i) = rest.find("file: \"") {
        rest = &rest[i + "file: \"".len()..];
        let Some(end) = rest.find('"') else { break };
        let file = &rest[..end];
        let number_after = |key: &str, s: &str| -> Option<usize> {
            let j = s.find(key)? + key.len();
            s[j..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        };
        let line = number_after("line: ", rest);
        let col = number_after("col: ", rest).or_else(|| number_after("column: ", rest));
        if let (Some(line), Some(col)) = (line, col) {
            let l = Location::new(workbook_path(file, crate_path), line, col);
            if l.file.starts_with(crate_path) && !found.contains(&l) {
                found.push(l);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const CRATE: &str = "exercises/04_deadlocks/11_lock_ordering";

    fn run(exit: Exit, stdout: &str, stderr: &str) -> TestOutcome {
        diagnose(
            "transfers_finish",
            CRATE,
            &Finished {
                exit,
                stdout: stdout.into(),
                stderr: stderr.into(),
                truncated: false,
                duration: Duration::from_millis(12),
            },
        )
    }

    #[test]
    fn progress_lines_are_read_live_and_left_out_of_the_kept_output() {
        let stress = "@racelings {\"event\":\"stress_round\",\"round\":7,\"rounds\":60}";
        let loom = "@racelings {\"event\":\"loom_progress\",\"bound\":1,\"max_bound\":2,\
            \"spurious\":true,\"schedules\":340}";
        assert_eq!(
            live(stress),
            Some(Live::StressRound {
                round: 7,
                rounds: 60
            })
        );
        assert_eq!(
            live(loom),
            Some(Live::LoomSchedules {
                schedules: 340,
                bound: 1,
                max_bound: 2,
                spurious: true
            })
        );
        let pass = "@racelings {\"event\":\"loom_pass\",\"bound\":1,\"spurious\":false}";
        assert_eq!(live(pass), None, "not a progress line");
        assert_eq!(live("stress_round 7/60"), None);
        let t = run(
            Exit::Code(0),
            "\nrunning 1 test\ntest transfers_finish ... ok\n",
            &format!("{stress}\nlearner's own line\n{loom}\n{pass}\n"),
        );
        assert!(t.output.contains("learner's own line") && t.output.contains(pass));
        assert!(!t.output.contains("stress_round") && !t.output.contains("loom_progress"));
    }

    #[test]
    fn a_loom_deadlock_names_the_blocked_lines_and_no_loom_internals() {
        let stderr = "\n@racelings {\"event\":\"loom_pass\",\"bound\":1,\"spurious\":false}\n\
            thread 'transfers_finish' (77) panicked at /r/.cargo/registry/src/loom-0.7.3/src/rt/execution.rs:216:13:\n\
            deadlock; threads = [(Id(0), Blocked(Location(Some(Location { file: \"exercises/04_deadlocks/11_lock_ordering/src/lib.rs\", line: 30, col: 27 })))), \
            (Id(1), Blocked(Location(Some(Location { file: \"exercises/04_deadlocks/11_lock_ordering/src/lib.rs\", line: 31, col: 27 }))))]\n\
            thread 'transfers_finish' (77) panicked at /r/loom-0.7.3/src/rt/thread.rs:9:5:\n\
            called `Option::unwrap()` on a `None` value\n";
        let t = run(
            Exit::Signal(6),
            "\nrunning 1 test\ntest transfers_finish ... ",
            stderr,
        );
        assert!(!t.passed);
        assert_eq!(t.kind, Some(Kind::Deadlock));
        assert_eq!(t.loom_bound, Some(1));
        assert!(
            t.message.contains("lib.rs:30") && t.message.contains("lib.rs:31"),
            "{}",
            t.message
        );
        assert!(!t.message.contains("Id("), "{}", t.message);
        assert_eq!(
            t.locations[0],
            Location::new(format!("{CRATE}/src/lib.rs"), 30, 27)
        );
    }

    #[test]
    fn a_spin_on_a_read_modify_write_is_told_to_wait_with_loads() {
        let lib = "exercises/03_atomics/09_spinlock/src/lib.rs";
        let rmw = |thread: u64| {
            format!(
                "{{\"thread\":{thread},\"op\":\"rmw\",\"kind\":\"atomic\",\"object\":3,\
                 \"file\":\"{lib}\",\"line\":49,\"column\":27,\"method\":\"fetch_or\",\
                 \"value\":\"true → true\"}}"
            )
        };
        let steps: Vec<String> = [0, 1, 1, 1, 1].into_iter().map(rmw).collect();
        let stderr = format!(
            "\n@racelings {{\"event\":\"loom_pass\",\"bound\":0,\"spurious\":false}}\n\
             \n@racelings {{\"event\":\"timeline\",\"dropped\":0,\"dropped_after\":0,\
             \"steps\":[{}],\"blocked\":[]}}\n\
             thread 'two_updates' (9) panicked at /r/loom-0.7.3/src/rt/path.rs:247:13:\n\
             Model exceeded maximum number of branches. This is often caused by an algorithm \
             requiring the processor to make progress, e.g. spin locks.\n",
            steps.join(",")
        );
        let t = run(Exit::Code(101), "\nrunning 1 test\n", &stderr);
        assert_eq!(t.kind, Some(Kind::SpinLoop));
        assert!(
            t.message.contains(
                "thread 1 spins at line 49, fetch_or on A (true → true) 4 times in a row: each \
                 one is a write"
            ),
            "{}",
            t.message
        );
        assert!(t.message.contains("wait with loads"), "{}", t.message);
        assert!(
            !t.message.contains("call hint::spin_loop()"),
            "{}",
            t.message
        );
    }

    #[test]
    fn a_timeline_marker_names_the_cycle_and_becomes_the_timeline() {
        let lib = "exercises/04_deadlocks/11_lock_ordering/src/lib.rs";
        let step = |thread: u64, op: &str, object: u64, line: u64| {
            format!(
                "{{\"thread\":{thread},\"op\":\"{op}\",\"kind\":\"lock\",\"object\":{object},\
                 \"file\":\"{lib}\",\"line\":{line},\"column\":9}}"
            )
        };
        let stderr = format!(
            "\n@racelings {{\"event\":\"loom_pass\",\"bound\":1,\"spurious\":false}}\n\
             \n@racelings {{\"event\":\"timeline\",\"dropped\":0,\"dropped_after\":2,\
             \"steps\":[{},{}],\"blocked\":[{},{}]}}\n\
             thread 'transfers_finish' (77) panicked at /r/loom-0.7.3/src/rt/execution.rs:216:13:\n\
             deadlock; threads = [(Id(0), Blocked(Location(None))), (Id(1), Blocked(Location(None)))]\n",
            step(0, "lock", 5, 30),
            step(1, "lock", 6, 30),
            step(0, "lock", 6, 31),
            step(1, "lock", 5, 31),
        );
        let t = run(Exit::Signal(6), "\nrunning 1 test\n", &stderr);
        assert_eq!(t.kind, Some(Kind::Deadlock));
        assert_eq!(
            t.message,
            "main holds lock A (line 30) and waits for lock B (line 31); thread 1 holds lock B \
             (line 30) and waits for lock A (line 31): each waits for the other forever"
        );
        assert_eq!(t.timeline.len(), 4);
        assert!(t.timeline[2].blocked && t.timeline[3].blocked);
        assert_eq!(t.timeline[3].thread_name, "thread 1");
        assert_eq!(t.locations[0], Location::new(lib.to_string(), 31, 9));
        assert!(t.locations.iter().all(|l| !l.file.starts_with('/')));
    }

    #[test]
    fn an_assertion_in_the_test_is_an_assertion_and_a_panic_in_src_a_panic() {
        let assertion = "thread 'transfers_finish' (5) panicked at exercises/04_deadlocks/11_lock_ordering/tests/loom.rs:17:9:\n\
            assertion `left == right` failed: money is conserved\n  left: 90\n right: 100\nnote: run with `RUST_BACKTRACE=1`\n";
        let t = run(Exit::Code(101), "", assertion);
        assert_eq!(t.kind, Some(Kind::Assertion));
        assert!(
            t.message
                .starts_with("assertion `left == right` failed: money is conserved")
        );
        assert_eq!(t.locations[0].line, 17);

        let panic = "thread '<unnamed>' (5) panicked at exercises/04_deadlocks/11_lock_ordering/src/lib.rs:40:13:\nbalance went negative\n";
        let t = run(Exit::Code(101), "", panic);
        assert_eq!(t.kind, Some(Kind::Panic));
        assert_eq!(
            t.locations[0],
            Location::new(format!("{CRATE}/src/lib.rs"), 40, 13)
        );
    }

    #[test]
    fn exit_zero_without_a_result_timeouts_and_signals_are_named() {
        let t = run(
            Exit::Code(0),
            "\nrunning 1 test\ntest transfers_finish ... ",
            "",
        );
        assert_eq!(t.kind, Some(Kind::NoResult));
        assert!(t.message.contains("process::exit"));
        assert_eq!(run(Exit::TimedOut, "", "").kind, Some(Kind::Timeout));
        let t = run(Exit::Signal(11), "", "");
        assert_eq!(t.kind, Some(Kind::Crash));
        assert!(t.message.contains("SIGSEGV"));
    }

    #[test]
    fn a_stress_table_becomes_a_wrong_outcome_with_counts() {
        let stderr = "\n@racelings {\"event\":\"stress\",\"rounds\":3,\"completed\":3,\"elapsed_ms\":5,\
            \"outcomes\":[{\"outcome\":\"3999\",\"count\":2,\"correct\":false},{\"outcome\":\"4000\",\"count\":1,\"correct\":true}],\"hang_round\":null}\n\
            thread 'transfers_finish' (5) panicked at exercises/04_deadlocks/11_lock_ordering/tests/stress.rs:12:5:\n\
            2 of 3 rounds ended wrong; outcomes seen: 3999 ×2 (wrong), 4000 ×1\n";
        let t = run(Exit::Code(101), "", stderr);
        assert_eq!(t.kind, Some(Kind::WrongOutcome));
        let table = t.outcomes.unwrap();
        assert_eq!(table.rounds, 3);
        assert_eq!(
            table.outcomes[0],
            OutcomeCount {
                outcome: "3999".into(),
                count: 2,
                correct: false
            }
        );
    }

    #[test]
    fn loom_schedules_add_up_over_the_passes_to_the_failing_one() {
        let stderr = "\n@racelings {\"event\":\"loom_pass\",\"bound\":0,\"spurious\":false}\n\
            \n@racelings {\"event\":\"loom_pass_done\",\"bound\":0,\"spurious\":false,\"schedules\":3}\n\
            \n@racelings {\"event\":\"loom_pass\",\"bound\":1,\"spurious\":false}\n\
            \n@racelings {\"event\":\"loom_failed_at\",\"schedules\":7}\n\
            thread 'transfers_finish' (5) panicked at exercises/04_deadlocks/11_lock_ordering/tests/loom.rs:17:9:\n\
            money is conserved\n";
        let t = run(Exit::Code(101), "", stderr);
        assert_eq!((t.loom_bound, t.loom_schedules), (Some(1), Some(10)));
    }

    #[test]
    fn a_data_race_is_named_in_plain_words() {
        let stderr = "thread 'x' (1) panicked at /r/loom/src/rt/cell.rs:140:17:\n\n\
            Causality violation: Concurrent read and write accesses to `UnsafeCell`.\n    \
            created: exercises/04_deadlocks/11_lock_ordering/src/lib.rs:12:20\n";
        let t = run(Exit::Code(101), "", stderr);
        assert_eq!(t.kind, Some(Kind::DataRace));
        assert_eq!(t.locations[0].line, 12);
    }
}
