//! Condition variables: a wakeup that was lost, stolen by another thread, or taken for a
//! notification when none came.

use super::{Explanation, Say};
use crate::diagnose::timeline::Names;
use crate::verdict::Kind;

impl Say<'_> {
    /// The step at which the thread blocked in `b` (a wait) began that wait.
    pub(super) fn wait_began(&self, b: usize) -> usize {
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
    pub(super) fn notified_since(&self, b: usize) -> Vec<(usize, Option<usize>)> {
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
    pub(super) fn woken(&self, b: usize) -> bool {
        self.notified_since(b)
            .iter()
            .any(|(_, other)| other.is_none())
    }

    /// A thread stuck in a wait nobody will end: its notification came before it waited,
    /// went to another thread, or went to another condition variable.
    pub(super) fn lost_wakeup(&self) -> Option<Explanation> {
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

    /// The step after `i` by the same thread, if any.
    pub(super) fn next_of_thread(&self, i: usize) -> Option<usize> {
        let t = self.events[i].raw.thread;
        (i + 1..self.events.len())
            .find(|&j| self.events[j].raw.thread == t && !self.events[j].blocked)
    }

    /// A wake that the thread did not follow by waiting again: it trusted the wakeup.
    pub(super) fn trusted_wakes(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.events.len()).filter(|&w| {
            self.events[w].is("wake")
                && !self.next_of_thread(w).is_some_and(|n| {
                    self.events[n].is("wait") && self.events[n].object == self.events[w].object
                })
        })
    }

    pub(super) fn spurious_wakeup(&self, spurious_pass: bool) -> Option<Explanation> {
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

    /// A timed wait that ran out of time, and code that went on as if it had been notified.
    pub(super) fn timed_out(&self) -> Option<Explanation> {
        let w = self
            .trusted_wakes()
            .find(|&w| self.events[w].raw.value.as_deref() == Some("timed out"))?;
        let who = self.thread(w);
        Some(Explanation {
            kind: Kind::SpuriousWakeup,
            summary: format!(
                "{who}'s timed wait on {} ({}) ran out of time before any notification came, \
                 and {who} went on without checking its condition again",
                self.name(w),
                self.at(w)
            ),
            steps: vec![w],
        })
    }

    pub(super) fn stolen_wakeup(&self) -> Option<Explanation> {
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
}
