//! Races on data: a lost update, a check that was stale when acted on, a read nothing
//! ordered after the write it missed, two threads in one cell at once.

use super::{Explanation, Say, expected_and_observed};
use crate::diagnose::timeline::{Event, Names, stale_reads};
use crate::verdict::Kind;

impl Say<'_> {
    /// For the atomic access `k`: the thread's own last access to that object before it,
    /// when that was a load (`i`), and the first write to the object by another thread
    /// between the two (`j`): what the thread loaded was out of date when it acted.
    pub(super) fn overwritten_load(&self, k: usize) -> Option<(usize, usize)> {
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
    pub(super) fn lost_update(&self, assertion: Option<&str>) -> Option<Explanation> {
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
    pub(super) fn abandoned_exchange(&self, assertion: Option<&str>) -> Option<Explanation> {
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
    pub(super) fn stale_check(&self, base: Kind) -> Option<Explanation> {
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
    pub(super) fn relocked(&self, base: Kind) -> Option<Explanation> {
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

    pub(super) fn stale_read(&self) -> Option<Explanation> {
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
    pub(super) fn data_race(&self) -> Option<Explanation> {
        let ev = self.events;
        let cell = |e: &Event| e.raw.kind == "cell" && (e.is("read") || e.is("write"));
        let b = (0..ev.len()).rev().find(|&i| cell(&ev[i]))?;
        let conflicting = (0..b).rev().find(|&a| {
            cell(&ev[a])
                && ev[a].object == ev[b].object
                && ev[a].raw.thread != ev[b].raw.thread
                && (ev[a].is("write") || ev[b].is("write"))
        })?;
        if let Some(x) = self.unordered_pointee(b, conflicting) {
            return Some(x);
        }
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

    /// A pointee read through a pointer the reader loaded with nothing ordering the load
    /// after the store that published it (the facade's `AtomicPtr` check).
    fn unordered_pointee(&self, read: usize, publish: usize) -> Option<Explanation> {
        let ev = self.events;
        let method = |i: usize| ev[i].raw.method.as_deref();
        if method(read) != Some("pointee") || method(publish) != Some("publish") {
            return None;
        }
        let same_line = |i: usize, j: usize| ev[i].raw.line == ev[j].raw.line;
        // The load that returned the pointer, and the store that published it.
        let load = (0..read).rev().find(|&i| {
            ev[i].raw.thread == ev[read].raw.thread
                && ev[i].raw.kind == "atomic"
                && same_line(i, read)
        });
        let store = (publish + 1..ev.len()).find(|&i| {
            ev[i].raw.thread == ev[publish].raw.thread
                && ev[i].raw.kind == "atomic"
                && same_line(i, publish)
        });
        let pointer = match (load, store) {
            (Some(l), _) => format!(" from {}", self.name(l)),
            (None, Some(s)) => format!(" from {}", self.name(s)),
            _ => String::new(),
        };
        Some(Explanation {
            kind: Kind::DataRace,
            summary: format!(
                "{} loads a pointer{pointer} ({}) and reads what it points to, but {} wrote \
                 that memory and published the pointer ({}) with nothing ordering the two: \
                 store the pointer with Release and load it with Acquire (or put fences around \
                 them), so the reader sees the memory as it was written",
                self.thread(read),
                self.at(read),
                self.thread(publish),
                self.at(publish),
            ),
            steps: vec![read, publish],
        })
    }
}
