//! One line, in plain words, saying why a loom schedule broke the code: which threads did
//! what, on which lines. Read from the schedule's steps (see [`super::timeline`]).

use super::timeline::{Event, Names, RawTimeline, linearize, stale_reads, steps};
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
        Kind::SpinLoop => say.spin(),
        Kind::Assertion | Kind::Panic => say
            .spurious_wakeup(spurious_pass)
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

    /// Every lock each thread holds just before the blocked steps, from the steps in order.
    fn holdings(&self) -> Vec<(usize, Held)> {
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

    fn blocked(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.events.len()).filter(|&i| self.events[i].blocked)
    }

    /// For a blocked step: the threads it waits for, each with the lock it holds (if any).
    fn waits_for(&self, b: usize, held: &[(usize, Held)]) -> Vec<(usize, Option<Held>)> {
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
    fn wanted(&self, b: usize) -> String {
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

    fn holding(&self, h: &Held) -> String {
        let name = self.names.of(h.kind, h.object);
        let at = self.at(h.step);
        match h.mode {
            "read" => format!("a read lock on {name} ({at})"),
            "write" => format!("the write lock on {name} ({at})"),
            _ => format!("lock {name} ({at})"),
        }
    }

    /// A cycle of threads each waiting for the next: the deadlock's cause.
    fn cycle(&self) -> Option<Explanation> {
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

    fn describe_cycle(&self, cycle: &[(usize, Option<Held>)]) -> Explanation {
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

    /// The step at which the thread blocked in `b` (a wait) began that wait.
    fn wait_began(&self, b: usize) -> usize {
        let e = &self.events[b];
        (0..b)
            .rev()
            .find(|&i| {
                let x = &self.events[i];
                !x.blocked && x.raw.thread == e.raw.thread && x.is("wait") && x.object == e.object
            })
            .unwrap_or(b)
    }

    /// The notifications on the condition variable of the wait blocked in `b` since that
    /// wait began, and which of them woke another thread: (notify, woken thread's wake).
    fn notified_since(&self, b: usize) -> Vec<(usize, Option<usize>)> {
        let (t, cv) = (self.events[b].raw.thread, self.events[b].object);
        let began = self.wait_began(b);
        let mut taken = Vec::new();
        (began..b)
            .filter(|&n| self.events[n].is("notify") && self.events[n].object == cv)
            .map(|n| {
                let all = self.events[n].raw.value.as_deref() == Some("all");
                let woke = (!all)
                    .then(|| {
                        (n..b).find(|&w| {
                            let x = &self.events[w];
                            x.is("wake")
                                && x.object == cv
                                && x.raw.thread != t
                                && !taken.contains(&w)
                        })
                    })
                    .flatten();
                taken.extend(woke);
                (n, woke)
            })
            .collect()
    }

    /// Whether the thread blocked in wait `b` has been notified, and now only waits to get
    /// its lock back.
    fn woken(&self, b: usize) -> bool {
        self.notified_since(b)
            .iter()
            .any(|(_, other)| other.is_none())
    }

    /// A thread stuck in a wait nobody will end: its notification came before it waited,
    /// went to another thread, or went to another condition variable.
    fn lost_wakeup(&self) -> Option<Explanation> {
        let mut found: Vec<(u8, Explanation)> = Vec::new();
        for b in self
            .blocked()
            .filter(|&b| self.events[b].is("wait") && !self.woken(b))
        {
            let e = &self.events[b];
            let (t, cv) = (e.raw.thread, e.object);
            let who = Names::thread(t);
            let (name, at) = (self.name(b), self.at(b));
            let began = self.wait_began(b);
            let by_other = |i: usize| self.events[i].raw.thread != t;
            // Since its last wakeup on this condition variable, before this wait began.
            let since = (0..began)
                .rev()
                .find(|&i| {
                    self.events[i].raw.thread == t
                        && self.events[i].is("wake")
                        && self.events[i].object == cv
                })
                .unwrap_or(0);
            let early = (since..began).rev().find(|&i| {
                by_other(i) && self.events[i].is("notify") && self.events[i].object == cv
            });
            if let Some((n, Some(w))) = self.notified_since(b).first().copied() {
                found.push((
                    1,
                    Explanation {
                        kind: Kind::LostWakeup,
                        summary: format!(
                            "{who} waits on {name} ({at}); the notify_one {} sent ({}) woke {} \
                             instead, and nothing wakes {who} again",
                            self.thread(n),
                            self.at(n),
                            self.thread(w)
                        ),
                        steps: vec![b, n],
                    },
                ));
            } else if let Some(n) = early {
                found.push((
                    2,
                    Explanation {
                        kind: Kind::LostWakeup,
                        summary: format!(
                            "{who} waits on {name} ({at}) for a notification {} already sent \
                             ({}), before {who} began to wait; nothing wakes it again",
                            self.thread(n),
                            self.at(n)
                        ),
                        steps: vec![b, n],
                    },
                ));
            } else if let Some(n) = (0..b).rev().find(|&i| {
                let x = &self.events[i];
                by_other(i) && x.is("notify") && x.raw.kind == "condvar" && x.object != cv
            }) && !(0..b)
                .any(|i| self.events[i].is("notify") && self.events[i].object == cv)
            {
                found.push((
                    0,
                    Explanation {
                        kind: Kind::LostWakeup,
                        summary: format!(
                            "{who} waits on {name} ({at}), but no thread ever notifies {name}: \
                             {}'s notification ({}) went to {} instead",
                            self.thread(n),
                            self.at(n),
                            self.name(n)
                        ),
                        steps: vec![b, n],
                    },
                ));
            } else {
                found.push((
                    3,
                    Explanation {
                        kind: Kind::Deadlock,
                        summary: format!(
                            "{who} waits on {name} ({at}) for a notification that no thread is \
                             left to send"
                        ),
                        steps: vec![b],
                    },
                ));
            }
        }
        found.sort_by_key(|(rank, _)| *rank);
        found.into_iter().next().map(|(_, x)| x)
    }

    fn all_blocked(&self) -> Option<Explanation> {
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

    /// The step after `i` by the same thread, if any.
    fn next_of_thread(&self, i: usize) -> Option<usize> {
        let t = self.events[i].raw.thread;
        (i + 1..self.events.len())
            .find(|&j| self.events[j].raw.thread == t && !self.events[j].blocked)
    }

    /// A wake that the thread did not follow by waiting again: it trusted the wakeup.
    fn trusted_wakes(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.events.len()).filter(|&w| {
            self.events[w].is("wake")
                && !self.next_of_thread(w).is_some_and(|n| {
                    self.events[n].is("wait") && self.events[n].object == self.events[w].object
                })
        })
    }

    fn spurious_wakeup(&self, spurious_pass: bool) -> Option<Explanation> {
        if !spurious_pass {
            return None;
        }
        let w = self
            .trusted_wakes()
            .find(|&w| self.events[w].raw.value.as_deref() == Some("spurious"))?;
        let who = self.thread(w);
        Some(Explanation {
            kind: Kind::SpuriousWakeup,
            summary: format!(
                "{who}'s wait on {} ({}) returned without any notification, as a condition \
                 variable's wait may, and {who} went on without checking its condition again",
                self.name(w),
                self.at(w)
            ),
            steps: vec![w],
        })
    }

    fn stolen_wakeup(&self) -> Option<Explanation> {
        for w in self.trusted_wakes() {
            let e = &self.events[w];
            if e.raw.value.as_deref() != Some("notified") {
                continue;
            }
            let (t, cv, mutex) = (e.raw.thread, e.object, e.raw.other);
            let Some(n) = (0..w)
                .rev()
                .find(|&i| self.events[i].is("notify") && self.events[i].object == cv)
            else {
                continue;
            };
            let thief = (n + 1..w).find(|&i| {
                let x = &self.events[i];
                x.raw.thread != t && x.is("lock") && Some(x.object) == mutex
            });
            if let Some(s) = thief {
                let who = Names::thread(t);
                return Some(Explanation {
                    kind: Kind::StolenWakeup,
                    summary: format!(
                        "{} notified {} ({}) and {who} woke ({}), but {} took lock {} first ({}) \
                         and with it what the notification was for; {who} went on without \
                         checking its condition again",
                        self.thread(n),
                        self.name(n),
                        self.at(n),
                        self.at(w),
                        self.thread(s),
                        self.name(s),
                        self.at(s)
                    ),
                    steps: vec![w, s, n],
                });
            }
        }
        None
    }

    /// For the atomic access `k`: the thread's own last access to that object before it,
    /// when that was a load (`i`), and the first write to the object by another thread
    /// between the two (`j`): what the thread loaded was out of date when it acted.
    fn overwritten_load(&self, k: usize) -> Option<(usize, usize)> {
        let ev = self.events;
        let (t, o) = (ev[k].raw.thread, ev[k].object);
        let same = |e: &Event| e.raw.kind == "atomic" && e.object == o;
        let i = (0..k)
            .rev()
            .find(|&i| ev[i].raw.thread == t && same(&ev[i]))
            .filter(|&i| ev[i].is("load"))?;
        let j = (i + 1..k)
            .find(|&j| ev[j].raw.thread != t && same(&ev[j]) && ev[j].written().is_some())?;
        Some((i, j))
    }

    /// A thread stores a value computed from a load, after another thread wrote in between.
    fn lost_update(&self, assertion: Option<&str>) -> Option<Explanation> {
        let ev = self.events;
        for (k, store) in ev.iter().enumerate() {
            if !(store.is("store") && store.raw.kind == "atomic") {
                continue;
            }
            let Some((i, j)) = self.overwritten_load(k) else {
                continue;
            };
            let (t, o) = (store.raw.thread, store.object);
            let same = |e: &Event| e.raw.kind == "atomic" && e.object == o;
            let (who, other) = (Names::thread(t), self.thread(j));
            let seen = ev[i].read().unwrap_or("?");
            // Did the other thread write from the same stale value?
            let both = (0..j)
                .rev()
                .find(|&x| ev[x].raw.thread == ev[j].raw.thread && same(&ev[x]))
                .filter(|&x| ev[x].is("load") && ev[x].read() == Some(seen));
            let mut summary = match both {
                Some(x) => format!(
                    "{} both loaded {seen} from {} ({}) before either stored; \
                     {other} stored {} ({}), then {who} stored {} ({}) over it, so {other}'s \
                     update is lost",
                    if t < ev[j].raw.thread {
                        format!("{who} and {other}")
                    } else {
                        format!("{other} and {who}")
                    },
                    self.name(i),
                    if self.at(i) == self.at(x) {
                        self.at(i)
                    } else {
                        format!("{}, {}", self.at(i), self.at(x))
                    },
                    ev[j].written().unwrap_or("?"),
                    self.at(j),
                    store.written().unwrap_or("?"),
                    self.at(k)
                ),
                None => format!(
                    "{who} loaded {seen} from {} ({}); {other} then wrote {} ({}), and {who} \
                     stored {} ({}) over it, so {other}'s update is lost",
                    self.name(i),
                    self.at(i),
                    ev[j].written().unwrap_or("?"),
                    self.at(j),
                    store.written().unwrap_or("?"),
                    self.at(k)
                ),
            };
            if let Some((expected, observed)) = assertion.and_then(expected_and_observed) {
                summary.push_str(&format!(" (expected {expected}, got {observed})"));
            }
            let mut steps = vec![i, k, j];
            steps.extend(both);
            return Some(Explanation {
                kind: Kind::LostUpdate,
                summary,
                steps,
            });
        }
        self.abandoned_exchange(assertion)
    }

    /// A compare-exchange that failed because another thread wrote first, and was never
    /// tried again: that update is lost too.
    fn abandoned_exchange(&self, assertion: Option<&str>) -> Option<Explanation> {
        let ev = self.events;
        let failed = |e: &Event| {
            e.is("cas")
                && e.raw
                    .value
                    .as_deref()
                    .is_some_and(|v| v.starts_with("failed"))
        };
        for (k, cas) in ev.iter().enumerate().filter(|(_, e)| failed(e)) {
            let (t, o) = (cas.raw.thread, cas.object);
            let same = |e: &Event| e.raw.kind == "atomic" && e.object == o;
            let writes = |e: &Event| e.is("cas") || e.is("store") || e.is("rmw");
            if ev[k + 1..]
                .iter()
                .any(|e| e.raw.thread == t && same(e) && writes(e))
            {
                continue; // it tried again
            }
            let i = (0..k)
                .rev()
                .find(|&i| ev[i].raw.thread == t && same(&ev[i]));
            let from = i.map_or(0, |i| i + 1);
            let Some(j) = (from..k)
                .rev()
                .find(|&j| ev[j].raw.thread != t && same(&ev[j]) && ev[j].written().is_some())
            else {
                continue;
            };
            let (who, other) = (Names::thread(t), self.thread(j));
            let method = cas.raw.method.as_deref().unwrap_or("compare_exchange");
            let mut summary = format!(
                "{other} wrote {} to {} ({}) after {who} read it, so {who}'s {method} ({}) \
                 failed, and {who} never tried again: its update is lost",
                ev[j].written().unwrap_or("?"),
                self.name(k),
                self.at(j),
                self.at(k)
            );
            if let Some((expected, observed)) = assertion.and_then(expected_and_observed) {
                summary.push_str(&format!(" (expected {expected}, got {observed})"));
            }
            let mut steps = vec![k, j];
            steps.extend(i);
            return Some(Explanation {
                kind: Kind::LostUpdate,
                summary,
                steps,
            });
        }
        None
    }

    /// A thread acted on a value it had loaded, after another thread changed it: a
    /// check-then-act on an atomic.
    fn stale_check(&self, base: Kind) -> Option<Explanation> {
        let ev = self.events;
        for (k, act) in ev.iter().enumerate() {
            if !(act.raw.kind == "atomic" && (act.is("rmw") || act.is("cas"))) {
                continue;
            }
            let Some((i, j)) = self.overwritten_load(k) else {
                continue;
            };
            let who = Names::thread(act.raw.thread);
            let summary = format!(
                "{who} checked {} ({}: it was {}), then {} changed it ({}: {}) before {who} \
                 acted on what it had seen ({}: {})",
                self.name(i),
                self.at(i),
                ev[i].read().unwrap_or("?"),
                self.thread(j),
                self.at(j),
                ev[j].raw.value.as_deref().unwrap_or("?"),
                self.at(k),
                act.raw.value.as_deref().unwrap_or("?"),
            );
            return Some(Explanation {
                kind: base,
                summary,
                steps: vec![i, k, j],
            });
        }
        None
    }

    /// A thread let go of a lock between looking at the data and acting on it, and another
    /// thread took the lock in between: a check-then-act across two critical sections.
    fn relocked(&self, base: Kind) -> Option<Explanation> {
        let ev = self.events;
        let locks = |i: usize| ev[i].is("lock") || ev[i].is("write_lock") || ev[i].is("read_lock");
        let unlocks =
            |i: usize| ev[i].is("unlock") || ev[i].is("write_unlock") || ev[i].is("read_unlock");
        for c in (0..ev.len()).filter(|&c| locks(c) && !ev[c].blocked) {
            let (t, m) = (ev[c].raw.thread, ev[c].object);
            let mine = |i: usize| ev[i].raw.thread == t && ev[i].object == m && !ev[i].blocked;
            let Some(b) = (0..c).rev().find(|&b| mine(b) && unlocks(b)) else {
                continue;
            };
            let Some(a) = (0..b).rev().find(|&a| mine(a) && locks(a)) else {
                continue;
            };
            if (a + 1..b).any(|i| mine(i) && (locks(i) || unlocks(i))) {
                continue;
            }
            let Some(x) = (b + 1..c).find(|&x| {
                locks(x) && ev[x].object == m && ev[x].raw.thread != t && !ev[x].blocked
            }) else {
                continue;
            };
            let who = Names::thread(t);
            let summary = format!(
                "{who} looked at the data under lock {} ({}), let go of the lock and took it \
                 again to act ({}); {} took lock {} in between ({}), so what {who} saw may no \
                 longer hold",
                self.name(a),
                self.at(a),
                self.at(c),
                self.thread(x),
                self.name(x),
                self.at(x)
            );
            return Some(Explanation {
                kind: base,
                summary,
                steps: vec![a, c, x],
            });
        }
        None
    }

    /// The spinning thread's last step, repeated: a loop that never yields.
    fn spin(&self) -> Option<Explanation> {
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

    fn stale_read(&self) -> Option<Explanation> {
        let (i, j) = *stale_reads(self.events).first()?;
        Some(Explanation {
            kind: Kind::StaleRead,
            summary: format!(
                "{} loaded {} from {} ({}) after {} had stored {} ({}): nothing orders that \
                 store before the load (a lock, or a Release store read by an Acquire load), \
                 so the load may see the older value",
                self.thread(i),
                self.events[i].read().unwrap_or("?"),
                self.name(i),
                self.at(i),
                self.thread(j),
                self.events[j].written().unwrap_or("?"),
                self.at(j)
            ),
            steps: vec![i, j],
        })
    }

    /// The access loom stopped at, and the other thread's access to the same cell before it.
    fn data_race(&self) -> Option<Explanation> {
        let ev = self.events;
        let cell = |e: &Event| e.raw.kind == "cell" && (e.is("read") || e.is("write"));
        let b = (0..ev.len()).rev().find(|&i| cell(&ev[i]))?;
        let conflicting = (0..b).rev().find(|&a| {
            cell(&ev[a])
                && ev[a].object == ev[b].object
                && ev[a].raw.thread != ev[b].raw.thread
                && (ev[a].is("write") || ev[b].is("write"))
        })?;
        let verb = |i: usize| if ev[i].is("write") { "writes" } else { "reads" };
        let noun = |i: usize| if ev[i].is("write") { "write" } else { "read" };
        Some(Explanation {
            kind: Kind::DataRace,
            summary: format!(
                "{} {} cell {} ({}) while {}'s {} ({}) is not ordered before it: no lock, and \
                 no Release store read by an Acquire load, between the two",
                self.thread(b),
                verb(b),
                self.name(b),
                self.at(b),
                self.thread(conflicting),
                noun(conflicting),
                self.at(conflicting)
            ),
            steps: vec![b, conflicting],
        })
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
