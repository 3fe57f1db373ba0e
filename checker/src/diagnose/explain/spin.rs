//! Loops that yield and still never end: a livelock (threads keep changing state and none
//! gets anywhere), or threads that wait for a change no thread will make.
//!
//! The facade's model schedules a thread that yields as a fair scheduler would: it runs
//! again once another thread has changed something (see `racelings_sync`'s `fair.rs`). A
//! loop that still runs until loom's branch limit is no loop that forgot to yield, and the
//! verdict must not tell code that already yields to add a yield.

use super::{Explanation, Say};
use crate::diagnose::timeline::Names;
use crate::verdict::Kind;

/// How many of the last steps are read as the loop that never ends.
const WINDOW: usize = 60;

impl Say<'_> {
    /// The never-ending loop's threads and what each retries, when the loop yields.
    pub(super) fn yielding_spin(&self) -> Option<Explanation> {
        let ev = self.events;
        let running: Vec<usize> = (0..ev.len()).filter(|&i| !ev[i].blocked).collect();
        let window = &running[running.len().saturating_sub(WINDOW)..];
        if !window.iter().any(|&i| ev[i].is("yield")) {
            return None;
        }
        // The threads of the loop, in the order they first show up in it.
        let mut threads: Vec<usize> = Vec::new();
        for &i in window {
            let t = ev[i].raw.thread;
            if !threads.contains(&t) && self.yields(window, t) {
                threads.push(t);
            }
        }
        // The steps since the last change: when every looping thread has yielded twice in
        // them, they only look and wait.
        let quiet = match window.iter().rposition(|&i| self.changes_state(i)) {
            Some(p) => &window[p + 1..],
            None => window,
        };
        let mut steps = Vec::new();
        let idle = threads.iter().all(|&t| {
            quiet
                .iter()
                .filter(|&&i| self.events[i].raw.thread == t && self.events[i].is("yield"))
                .count()
                >= 2
        });
        if idle {
            let window = quiet;
            // Every thread of the loop only looks and yields: none will ever change what
            // the others look at.
            let loops: Vec<(usize, String)> = threads
                .iter()
                .map(|&t| {
                    let looks = self.iteration(window, t);
                    steps.extend(looks.first());
                    let what = looks
                        .iter()
                        .map(|&i| self.looked(i))
                        .collect::<Vec<_>>()
                        .join(", ");
                    (t, what)
                })
                .collect();
            let parts = grouped(
                &loops,
                "waits in a yielding loop",
                "wait in a yielding loop",
            );
            let summary = format!(
                "{parts}; every thread still running is in such a loop and none \
                 changes anything any more: they wait for a change no thread will make"
            );
            return Some(Explanation {
                kind: Kind::Deadlock,
                summary,
                steps,
            });
        }
        let loops: Vec<(usize, String)> = threads
            .iter()
            .map(|&t| {
                let turn = self.iteration(window, t);
                steps.extend(turn.iter().copied().find(|&i| self.changes_state(i)));
                let what = turn
                    .iter()
                    .map(|&i| self.looked(i))
                    .collect::<Vec<_>>()
                    .join(", ");
                (t, what)
            })
            .collect();
        Some(Explanation {
            kind: Kind::SpinLoop,
            summary: format!(
                "livelock: {}; each turn changes what the others see, but no \
                 thread ever gets past its loop: they keep undoing each other's progress",
                grouped(
                    &loops,
                    "retries, yielding between turns",
                    "each retry, yielding between turns"
                )
            ),
            steps,
        })
    }

    /// Whether thread `t` yields within the window.
    fn yields(&self, window: &[usize], t: usize) -> bool {
        window
            .iter()
            .any(|&i| self.events[i].raw.thread == t && self.events[i].is("yield"))
    }

    /// Thread `t`'s last full turn of its loop: the steps between its last two yields (or
    /// before its last yield), without the yields.
    fn iteration(&self, window: &[usize], t: usize) -> Vec<usize> {
        let own: Vec<usize> = window
            .iter()
            .copied()
            .filter(|&i| self.events[i].raw.thread == t)
            .collect();
        let yields: Vec<usize> = (0..own.len())
            .filter(|&k| self.events[own[k]].is("yield"))
            .collect();
        let (start, end) = match yields.as_slice() {
            [.., a, b] => (*a + 1, *b),
            [b] => (0, *b),
            [] => (0, own.len()),
        };
        own[start..end].to_vec()
    }

    /// Whether step `i` changes shared state another thread can see.
    fn changes_state(&self, i: usize) -> bool {
        let e = &self.events[i];
        match e.raw.op.as_str() {
            "store" | "write" | "lock" | "unlock" | "read_lock" | "read_unlock" | "write_lock"
            | "write_unlock" | "notify" => true,
            "rmw" | "cas" => e.read().is_some() && e.read() != e.written(),
            _ => false,
        }
    }

    /// A step of a loop, in a few words: `load B → false (line 21)`.
    fn looked(&self, i: usize) -> String {
        let e = &self.events[i].raw;
        let name = self.name(i);
        let value = e.value.as_deref().unwrap_or("");
        let what = match e.op.as_str() {
            "load" => format!("load {name} → {value}"),
            "store" => format!("store {name} ← {value}"),
            "rmw" | "cas" => format!(
                "{} {name} {value}",
                e.method.as_deref().unwrap_or("read-modify-write")
            ),
            "try_lock" | "try_read_lock" | "try_write_lock" => format!("{} {name}: {value}", e.op),
            op => format!("{op} {name}"),
        };
        format!("{what} ({})", self.at(i))
    }
}

/// Threads with the same loop named together: `thread 1 and thread 2 each retry load A → 0
/// (line 9)`; `one` and `many` are the verb for one thread and for several.
fn grouped(loops: &[(usize, String)], one: &str, many: &str) -> String {
    let mut groups: Vec<(Vec<usize>, &str)> = Vec::new();
    for (t, what) in loops {
        match groups.iter_mut().find(|(_, w)| *w == what.as_str()) {
            Some((threads, _)) => threads.push(*t),
            None => groups.push((vec![*t], what)),
        }
    }
    groups
        .iter()
        .map(|(threads, what)| {
            let names: Vec<String> = threads.iter().map(|&t| Names::thread(t)).collect();
            let who = match names.as_slice() {
                [one] => one.clone(),
                [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                [] => String::new(),
            };
            let verb = if threads.len() == 1 { one } else { many };
            if what.is_empty() {
                format!("{who} {verb}")
            } else {
                format!("{who} {verb}: {what}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use crate::diagnose::explain::schedule;
    use crate::diagnose::timeline::{RawStep, RawTimeline};
    use crate::verdict::Kind;

    /// A step: (thread, op, object, method, value, line).
    fn raw(t: usize, op: &str, object: u64, method: &str, value: &str, line: usize) -> RawStep {
        RawStep {
            thread: t,
            op: op.into(),
            kind: if op == "yield" { "thread" } else { "atomic" }.into(),
            object: if op == "yield" { t as u64 } else { object },
            other: None,
            method: (!method.is_empty()).then(|| method.into()),
            value: (!value.is_empty()).then(|| value.into()),
            file: Some("exercises/03_atomics/99_x/src/lib.rs".into()),
            line: Some(line),
            column: Some(9),
        }
    }

    fn explained(steps: Vec<RawStep>) -> Option<(Kind, String)> {
        let raw = RawTimeline {
            steps,
            blocked: vec![],
            dropped: 0,
            dropped_after: 0,
        };
        schedule(&raw, Kind::SpinLoop, None, false, |f| f.to_string()).explained
    }

    #[test]
    fn threads_that_keep_undoing_each_others_step_are_a_livelock() {
        let mut steps = Vec::new();
        for _ in 0..3 {
            for t in [1, 2] {
                steps.push(raw(t, "rmw", 5, "fetch_add", "0 → 1", 18));
                steps.push(raw(t, "rmw", 5, "fetch_sub", "1 → 0", 23));
                steps.push(raw(t, "yield", 0, "yield_now", "", 24));
            }
        }
        let (kind, summary) = explained(steps).expect("a pattern");
        assert_eq!(kind, Kind::SpinLoop);
        assert_eq!(
            summary,
            "livelock: thread 1 and thread 2 each retry, yielding between turns: fetch_add A \
             0 → 1 (line 18), fetch_sub A 1 → 0 (line 23); each turn changes what the others \
             see, but no thread ever gets past its loop: they keep undoing each other's progress"
        );
    }

    #[test]
    fn threads_that_only_look_and_yield_wait_for_a_change_no_thread_will_make() {
        let mut steps = vec![raw(0, "store", 6, "", "1", 9)];
        for _ in 0..3 {
            for t in [1, 2] {
                steps.push(raw(t, "load", 5, "", "false", 21));
                steps.push(raw(t, "yield", 0, "spin_loop", "nothing changed", 22));
            }
        }
        let (kind, summary) = explained(steps).expect("a pattern");
        assert_eq!(kind, Kind::Deadlock);
        assert!(
            summary.starts_with(
                "thread 1 and thread 2 wait in a yielding loop: load B → false (line 21); every \
                 thread still running is in such a loop and none changes anything any more"
            ),
            "{summary}"
        );
        assert!(!summary.contains("spin_loop()"), "{summary}");
    }

    #[test]
    fn a_loop_that_never_yields_is_left_to_the_spin_explanation() {
        let steps = (0..5).map(|_| raw(1, "load", 5, "", "false", 13)).collect();
        let (kind, summary) = explained(steps).expect("a pattern");
        assert_eq!(kind, Kind::SpinLoop);
        assert!(summary.contains("call hint::spin_loop()"), "{summary}");
    }
}
