//! Threads that never finish: a cycle of threads each holding a lock the next one wants,
//! every thread blocked, a loop that spins without end.

use super::{Explanation, Held, Say};
use crate::verdict::Kind;

impl Say<'_> {
    /// Every lock each thread holds just before the blocked steps, from the steps in order.
    pub(super) fn holdings(&self) -> Vec<(usize, Held)> {
        let mut held: Vec<(usize, Held)> = Vec::new();
        for (i, e) in self.events.iter().enumerate().filter(|(_, e)| !e.blocked) {
            let t = e.raw.thread;
            // (taken or released, kind, object, mode)
            let change = match e.raw.op.as_str() {
                "lock" => Some((true, "lock", e.object, "lock")),
                "unlock" => Some((false, "lock", e.object, "lock")),
                "read_lock" => Some((true, "rwlock", e.object, "read")),
                "read_unlock" => Some((false, "rwlock", e.object, "read")),
                "write_lock" => Some((true, "rwlock", e.object, "write")),
                "write_unlock" => Some((false, "rwlock", e.object, "write")),
                "wait" => e.raw.other.map(|m| (false, "lock", m, "lock")),
                "wake" => e.raw.other.map(|m| (true, "lock", m, "lock")),
                _ => None,
            };
            match change {
                Some((true, kind, object, mode)) => held.push((
                    t,
                    Held {
                        kind,
                        object,
                        mode,
                        step: i,
                    },
                )),
                Some((false, kind, object, mode)) => {
                    if let Some(p) = held.iter().rposition(|(u, h)| {
                        *u == t && h.kind == kind && h.object == object && h.mode == mode
                    }) {
                        held.remove(p);
                    }
                }
                None => {}
            }
        }
        held
    }

    pub(super) fn blocked(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.events.len()).filter(|&i| self.events[i].blocked)
    }

    /// For a blocked step: the threads it waits for, each with the lock it holds (if any).
    pub(super) fn waits_for(&self, b: usize, held: &[(usize, Held)]) -> Vec<(usize, Option<Held>)> {
        let e = &self.events[b];
        let holders = |kind: &str, writers_only: bool| {
            held.iter()
                .filter(|(_, h)| h.kind == kind && h.object == e.object)
                .filter(|(_, h)| !writers_only || h.mode != "read")
                .map(|(t, h)| (*t, Some(*h)))
                .collect::<Vec<_>>()
        };
        match e.raw.op.as_str() {
            "lock" => holders("lock", false),
            "write_lock" => holders("rwlock", false),
            "read_lock" => holders("rwlock", true),
            "join" => vec![(e.object as usize, None)],
            // Notified, it needs its lock back.
            "wait" if self.woken(b) => held
                .iter()
                .filter(|(_, h)| h.kind == "lock" && Some(h.object) == e.raw.other)
                .map(|(t, h)| (*t, Some(*h)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What a blocked step waits for, in words: `lock B (line 43)`.
    pub(super) fn wanted(&self, b: usize) -> String {
        let e = &self.events[b];
        let (name, at) = (self.name(b), self.at(b));
        match e.raw.op.as_str() {
            "lock" => format!("lock {name} ({at})"),
            "write_lock" => format!("the write lock on {name} ({at})"),
            "read_lock" => format!("a read lock on {name} ({at})"),
            "join" => format!("{name} to finish ({at})"),
            "wait" if self.woken(b) => format!(
                "lock {} back after its wakeup ({at})",
                e.raw
                    .other
                    .map_or("?".to_string(), |m| self.names.of("lock", m))
            ),
            "wait" => format!("a notification on {name} ({at})"),
            op => format!("{op} {name} ({at})"),
        }
    }

    pub(super) fn holding(&self, h: &Held) -> String {
        let name = self.names.of(h.kind, h.object);
        let at = self.at(h.step);
        match h.mode {
            "read" => format!("a read lock on {name} ({at})"),
            "write" => format!("the write lock on {name} ({at})"),
            _ => format!("lock {name} ({at})"),
        }
    }

    /// A cycle of threads each waiting for the next: the deadlock's cause.
    pub(super) fn cycle(&self) -> Option<Explanation> {
        let held = self.holdings();
        let blocked_step = |t: usize| self.blocked().find(|&b| self.events[b].raw.thread == t);
        for start in self.blocked() {
            // Follow "waits for" from `start` until a thread repeats: (blocked step, the lock
            // it waits on, if it waits on one).
            let mut path: Vec<(usize, Option<Held>)> = Vec::new();
            let mut b = start;
            while let Some((t, h)) = self.waits_for(b, &held).into_iter().next() {
                path.push((b, h));
                let Some(nb) = blocked_step(t) else { break };
                if let Some(p) = path.iter().position(|(s, _)| *s == nb) {
                    return Some(self.describe_cycle(&path[p..]));
                }
                b = nb;
            }
        }
        None
    }

    pub(super) fn describe_cycle(&self, cycle: &[(usize, Option<Held>)]) -> Explanation {
        let mut steps = Vec::new();
        if let [(b, Some(h))] = cycle {
            // A thread waiting for itself.
            let who = self.thread(*b);
            let e = &self.events[*b];
            steps.extend([*b, h.step]);
            let summary = match (e.raw.op.as_str(), h.mode) {
                ("write_lock", "read") => format!(
                    "{who} holds {} and asks for the write lock on it ({}), which waits until \
                     every reader lets go, {who} included: it waits for itself forever",
                    self.holding(h),
                    self.at(*b)
                ),
                _ => format!(
                    "{who} holds {} and asks for it again ({}); a lock is not reentrant, so \
                     {who} waits for itself forever",
                    self.holding(h),
                    self.at(*b)
                ),
            };
            return Explanation {
                kind: Kind::Deadlock,
                summary,
                steps,
            };
        }
        let mut parts = Vec::new();
        for (k, (b, _)) in cycle.iter().enumerate() {
            // What this thread holds is what the previous one in the cycle waits for.
            let before = &cycle[(k + cycle.len() - 1) % cycle.len()];
            let who = self.thread(*b);
            steps.push(*b);
            match &before.1 {
                Some(h) => {
                    steps.push(h.step);
                    parts.push(format!(
                        "{who} holds {} and waits for {}",
                        self.holding(h),
                        self.wanted(*b)
                    ));
                }
                None => parts.push(format!("{who} waits for {}", self.wanted(*b))),
            }
        }
        let end = if cycle.len() == 2 {
            "each waits for the other forever"
        } else {
            "each waits for the next, around the circle, forever"
        };
        Explanation {
            kind: Kind::Deadlock,
            summary: format!("{}: {end}", parts.join("; ")),
            steps,
        }
    }

    pub(super) fn all_blocked(&self) -> Option<Explanation> {
        let held = self.holdings();
        let parts: Vec<String> = self
            .blocked()
            .map(|b| {
                let who = self.thread(b);
                let holds: Vec<String> = held
                    .iter()
                    .filter(|(t, _)| *t == self.events[b].raw.thread)
                    .map(|(_, h)| self.holding(h))
                    .collect();
                if holds.is_empty() {
                    format!("{who} waits for {}", self.wanted(b))
                } else {
                    format!(
                        "{who} holds {} and waits for {}",
                        holds.join(" and "),
                        self.wanted(b)
                    )
                }
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        Some(Explanation {
            kind: Kind::Deadlock,
            summary: format!("every thread is blocked: {}", parts.join("; ")),
            steps: self.blocked().collect(),
        })
    }

    /// The spinning thread's last step, repeated: a loop that never yields.
    pub(super) fn spin(&self) -> Option<Explanation> {
        let ev = self.events;
        let last = (0..ev.len()).rev().find(|&i| !ev[i].blocked)?;
        let same = |i: usize| {
            let (a, b) = (&ev[i].raw, &ev[last].raw);
            a.thread == b.thread
                && a.op == b.op
                && ev[i].object == ev[last].object
                && a.line == b.line
                && a.value == b.value
        };
        let first = (0..=last).rev().take_while(|&i| same(i)).last()?;
        let times: usize = (first..=last)
            .map(|i| 1 + ev[i].dropped_before)
            .sum::<usize>()
            - ev[first].dropped_before;
        let value = ev[last].raw.value.as_deref().unwrap_or("");
        let who = self.thread(last);
        let summary = match ev[last].raw.op.as_str() {
            // Each turn writes: loom sees new work every time, whether or not the loop yields.
            "rmw" => format!(
                "{who} spins at {}, {} on {} ({value}) {times} times in a row: each one is a \
                 write, so to the model checker every turn is new work and the wait never \
                 ends; wait with loads until the value changes (hint::spin_loop() in that \
                 loop), and only then try the read-modify-write",
                self.at(last),
                ev[last]
                    .raw
                    .method
                    .as_deref()
                    .unwrap_or("a read-modify-write"),
                self.name(last),
            ),
            op => {
                let what = match op {
                    "load" => format!("loading {} ({value})", self.name(last)),
                    op => format!("{op} {}", self.name(last)),
                };
                format!(
                    "{who} spins at {}, {what} {times} times in a row, and never lets another \
                     thread run, so what it waits for cannot happen; call hint::spin_loop() or \
                     thread::yield_now() in the loop",
                    self.at(last)
                )
            }
        };
        Some(Explanation {
            kind: Kind::SpinLoop,
            summary,
            steps: vec![last],
        })
    }
}
