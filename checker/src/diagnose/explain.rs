//! One line, in plain words, saying why a loom schedule broke the code: which threads did
//! what, on which lines. Read from the schedule's steps (see [`super::timeline`]).

mod race;
mod spin;
mod stuck;
mod wakeup;

use super::timeline::{Event, Names, RawTimeline, linearize, steps};
use crate::verdict::{Kind, Location, Step};

/// What the steps of a failing schedule show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub kind: Kind,
    /// One line.
    pub summary: String,
    /// The steps the summary names, most telling first (indexes into the events).
    pub steps: Vec<usize>,
}

/// Explains a failure of kind `base` from the schedule's `events`. `assertion` is the test's
/// own message, if it failed one; `spurious_pass` says the model let waits return unasked.
pub fn explain(
    base: Kind,
    events: &[Event],
    names: &Names,
    assertion: Option<&str>,
    spurious_pass: bool,
) -> Option<Explanation> {
    let say = Say { events, names };
    match base {
        Kind::Deadlock => say
            .cycle()
            .or_else(|| say.lost_wakeup())
            .or_else(|| say.all_blocked()),
        Kind::DataRace => say.data_race(),
        Kind::SpinLoop => say.yielding_spin().or_else(|| say.spin()),
        Kind::Assertion | Kind::Panic => say
            .spurious_wakeup(spurious_pass)
            .or_else(|| say.timed_out())
            .or_else(|| say.stolen_wakeup())
            .or_else(|| say.lost_update(assertion))
            .or_else(|| say.stale_check(base))
            .or_else(|| say.relocked(base))
            .or_else(|| say.stale_read()),
        _ => None,
    }
}

struct Say<'a> {
    events: &'a [Event],
    names: &'a Names,
}

/// What a thread holds: the object, how (`lock`, `read`, `write`), and the step that took it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Held {
    kind: &'static str,
    object: u64,
    mode: &'static str,
    step: usize,
}

impl Say<'_> {
    fn thread(&self, i: usize) -> String {
        Names::thread(self.events[i].raw.thread)
    }

    fn name(&self, i: usize) -> String {
        self.names.object(&self.events[i])
    }

    /// `line 24` in the exercise's own src/lib.rs, `tests/loom.rs:13` elsewhere.
    fn at(&self, i: usize) -> String {
        let e = &self.events[i].raw;
        match (&e.file, e.line) {
            (Some(file), Some(line)) if file.ends_with("src/lib.rs") => format!("line {line}"),
            (Some(file), Some(line)) => {
                let short = file
                    .rsplit_once("/tests/")
                    .map(|(_, f)| format!("tests/{f}"))
                    .or_else(|| file.rsplit_once("/src/").map(|(_, f)| format!("src/{f}")))
                    .unwrap_or_else(|| file.clone());
                format!("{short}:{line}")
            }
            _ => "the end of a scope".to_string(),
        }
    }
}

/// From `assert_eq!`'s report (`left: 1`, `right: 2`): the expected (right) and the observed
/// (left) value, as tests write `assert_eq!(actual, expected)`.
fn expected_and_observed(message: &str) -> Option<(String, String)> {
    let field = |name: &str| {
        message
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    Some((field("right:")?, field("left:")?))
}

/// What a failing schedule says, ready for the verdict.
pub struct Schedule {
    /// The kind and the one-line summary, when the steps show a known pattern.
    pub explained: Option<(Kind, String)>,
    /// The places the summary names, most telling first.
    pub places: Vec<Location>,
    pub steps: Vec<Step>,
}

/// Reads a failing schedule reported by the facade: the timeline, and what it shows about a
/// failure first classified as `kind`. `place` makes a reported path relative to the
/// workbook root.
pub fn schedule(
    raw: &RawTimeline,
    kind: Kind,
    assertion: Option<&str>,
    spurious_pass: bool,
    place: impl Fn(&str) -> String,
) -> Schedule {
    let events = linearize(raw);
    let names = Names::new(&events);
    let explanation = explain(kind, &events, &names, assertion, spurious_pass);
    // Without a known pattern, the last line of the learner's own code that ran.
    let last_own = (0..events.len()).rev().find(|&i| {
        events[i]
            .raw
            .file
            .as_deref()
            .is_some_and(|f| f.ends_with("src/lib.rs"))
    });
    let named = match &explanation {
        Some(x) => x.steps.clone(),
        None => last_own.into_iter().collect(),
    };
    let places = named
        .iter()
        .filter_map(|&i| {
            let e = &events[i].raw;
            Some(Location::new(
                place(e.file.as_deref()?),
                e.line?,
                e.column.unwrap_or(1),
            ))
        })
        .collect();
    Schedule {
        explained: explanation.map(|x| (x.kind, x.summary)),
        places,
        steps: steps(&events, &names, place),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::timeline::RawStep;

    /// A step: (thread, op, kind, object, other, value, line).
    fn raw(
        t: usize,
        op: &str,
        kind: &str,
        object: u64,
        other: Option<u64>,
        value: &str,
        line: usize,
    ) -> RawStep {
        RawStep {
            thread: t,
            op: op.into(),
            kind: kind.into(),
            object,
            other,
            method: None,
            value: (!value.is_empty()).then(|| value.into()),
            file: Some("exercises/05_condvars/99_x/src/lib.rs".into()),
            line: Some(line),
            column: Some(9),
        }
    }

    fn explained(kind: Kind, steps: Vec<RawStep>, spurious: bool) -> (Kind, String) {
        let raw = RawTimeline {
            steps,
            blocked: vec![],
            dropped: 0,
            dropped_after: 0,
        };
        let s = schedule(&raw, kind, None, spurious, |f| f.to_string());
        s.explained.expect("a pattern")
    }

    #[test]
    fn a_woken_thread_that_lost_the_race_for_the_lock_had_its_wakeup_stolen() {
        // Mutex 1, condvar 2. Thread 1 waits; main pushes and notifies; thread 2 takes the
        // lock before thread 1 is back, and thread 1 goes on without checking.
        let steps = vec![
            raw(1, "lock", "lock", 1, None, "", 20),
            raw(1, "wait", "condvar", 2, Some(1), "", 22),
            raw(0, "lock", "lock", 1, None, "", 10),
            raw(0, "notify", "condvar", 2, None, "one", 12),
            raw(0, "unlock", "lock", 1, None, "", 0),
            raw(2, "lock", "lock", 1, None, "", 20),
            raw(2, "unlock", "lock", 1, None, "", 0),
            raw(1, "wake", "condvar", 2, Some(1), "notified", 22),
            raw(1, "unlock", "lock", 1, None, "", 0),
        ];
        let (kind, summary) = explained(Kind::Assertion, steps, false);
        assert_eq!(kind, Kind::StolenWakeup);
        assert!(
            summary.starts_with(
                "main notified B (line 12) and thread 1 woke (line 22), but thread 2 took lock \
                 A first (line 20)"
            ),
            "{summary}"
        );
    }

    #[test]
    fn a_woken_thread_that_waits_again_is_not_blamed() {
        let steps = vec![
            raw(1, "lock", "lock", 1, None, "", 20),
            raw(1, "wait", "condvar", 2, Some(1), "", 22),
            raw(0, "notify", "condvar", 2, None, "one", 12),
            raw(2, "lock", "lock", 1, None, "", 20),
            raw(2, "unlock", "lock", 1, None, "", 0),
            raw(1, "wake", "condvar", 2, Some(1), "notified", 22),
            raw(1, "wait", "condvar", 2, Some(1), "", 22),
        ];
        let raw = RawTimeline {
            steps,
            blocked: vec![],
            dropped: 0,
            dropped_after: 0,
        };
        let s = schedule(&raw, Kind::Assertion, None, false, |f| f.to_string());
        assert_eq!(s.explained, None);
    }

    #[test]
    fn a_timed_wait_that_ran_out_and_went_on_is_explained_as_such() {
        let steps = vec![
            raw(0, "lock", "lock", 1, None, "", 20),
            raw(0, "wait", "condvar", 2, Some(1), "", 22),
            raw(0, "wake", "condvar", 2, Some(1), "timed out", 22),
            raw(0, "unlock", "lock", 1, None, "", 0),
        ];
        let (kind, summary) = explained(Kind::Panic, steps, false);
        assert_eq!(kind, Kind::SpuriousWakeup);
        assert!(
            summary.starts_with(
                "main's timed wait on B (line 22) ran out of time before any notification came"
            ),
            "{summary}"
        );
    }

    #[test]
    fn a_load_no_order_explains_is_a_stale_read() {
        // Thread 1 stores 5 to its own flag (object 3) and then reads the shared counter
        // (object 4) as 0, after main had stored 1 to it and then read thread 1's flag as 5.
        let steps = vec![
            raw(0, "spawn", "thread", 1, None, "1", 5),
            raw(0, "store", "atomic", 4, None, "1", 30),
            raw(1, "store", "atomic", 3, None, "5", 40),
            raw(0, "load", "atomic", 3, None, "5", 31),
            raw(1, "load", "atomic", 4, None, "1", 41),
            raw(1, "load", "atomic", 4, None, "0", 42),
        ];
        let (kind, summary) = explained(Kind::Assertion, steps, false);
        assert_eq!(kind, Kind::StaleRead);
        assert!(
            summary.starts_with(
                "thread 1 loaded 0 from A (line 42) after main had stored 1 (line 30)"
            ),
            "{summary}"
        );
    }
}
