//! `Condvar` with std's API, plus `wait_while` under loom, and spurious wakeups on both sides.
//!
//! std allows a condition variable to wake without a notification, and code that waits in an
//! `if` instead of a `while` breaks when it does. Neither std on Linux nor loom shows that
//! often enough to teach it, so the facade makes it happen:
//! - on real threads every wait is a short timed wait, so it returns now and then on its own;
//! - in a loom model's spurious pass (see [`crate::model`]), each condition variable's first
//!   wait releases the lock, re-takes it and returns without having been notified.
//!
//! Under loom the facade also models two things loom's own condition variable leaves out:
//! a `notify_one` wakes *any* of the threads waiting (see `tickets`), and a timed wait can
//! time out: its time runs out when no other thread can go on (see `crate::clock`), and in
//! the spurious pass each condition variable's first timed wait times out at once.

mod tickets;

use crate::backend::RawCondvar;
use crate::mutex::MutexGuard;
#[cfg(loom)]
use crate::trace::{self, ObjectId, ObjectKind, Record};
use std::sync::LockResult;
use std::time::Duration;

/// A condition variable, as `std::sync::Condvar`, that may wake spuriously.
#[derive(Default)]
pub struct Condvar {
    raw: RawCondvar,
    #[cfg(loom)]
    woken_spuriously: std::sync::atomic::AtomicBool,
    /// Who waits, and which notifications they may take (not a loom object: the
    /// bookkeeping adds no step to the model; the raw condition variable and the lock do).
    #[cfg(loom)]
    tickets: std::sync::Mutex<tickets::Tickets>,
    #[cfg(loom)]
    id: ObjectId,
}

/// Whether a timed wait returned because its time ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// True when the wait ended because the time ran out.
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

/// How long a wait on real threads lasts at most before it returns on its own.
#[cfg(not(loom))]
const SPURIOUS_AFTER: Duration = Duration::from_millis(2);

impl Condvar {
    /// A condition variable nobody waits on yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Releases the lock, sleeps until notified (or spuriously woken), re-takes the lock.
    ///
    /// Like std's, it may return without a notification: check your condition in a loop.
    #[track_caller]
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        #[cfg(not(loom))]
        {
            self.wait_timeout(guard, SPURIOUS_AFTER)
                .map(|(g, _)| g)
                .map_err(|p| std::sync::PoisonError::new(p.into_inner().0))
        }
        #[cfg(loom)]
        {
            let (ticket, step) = self.begin_wait(&guard);
            if self.wakes_spuriously() {
                return self.spurious_wake(ticket, guard, "spurious");
            }
            let (guard, _) = self.block_until_woken(ticket, guard, false);
            trace::unblocked();
            trace::record(|| step("wake").value("notified"));
            guard
        }
    }

    /// Waits until `condition` is false, re-checking it after every wakeup.
    #[track_caller]
    pub fn wait_while<'a, T, F>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> LockResult<MutexGuard<'a, T>>
    where
        F: FnMut(&mut T) -> bool,
    {
        while condition(&mut *guard) {
            guard = self.wait(guard)?;
        }
        Ok(guard)
    }

    /// Waits for a notification or until `timeout` has passed.
    ///
    /// Under loom the time runs out when no other thread can go on, or (in the spurious pass)
    /// at once: the model explores the wait returning "timed out" without a notification as
    /// well as it being notified.
    #[track_caller]
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
        #[cfg(not(loom))]
        {
            let (mutex, raw) = guard.into_raw();
            MutexGuard::rewrap(
                mutex,
                match self.raw.wait_timeout(raw, timeout) {
                    Ok((raw, r)) => Ok((raw, WaitTimeoutResult(r.timed_out()))),
                    Err(p) => {
                        let (raw, r) = p.into_inner();
                        Err(std::sync::PoisonError::new((
                            raw,
                            WaitTimeoutResult(r.timed_out()),
                        )))
                    }
                },
            )
        }
        #[cfg(loom)]
        {
            let _ = timeout;
            let (ticket, step) = self.begin_wait(&guard);
            if self.wakes_spuriously() {
                // The time runs out at once, before any notification.
                let guard = self.spurious_wake(ticket, guard, "timed out");
                return with_result(guard, WaitTimeoutResult(true));
            }
            crate::clock::arm(self, ticket);
            let (guard, notified) = self.block_until_woken(ticket, guard, true);
            crate::clock::disarm();
            trace::unblocked();
            trace::record(|| {
                step("wake").value(match notified {
                    true => "notified",
                    false => "timed out",
                })
            });
            with_result(guard, WaitTimeoutResult(!notified))
        }
    }

    /// Waits until `condition` is false or `timeout` has passed; timed out only if the
    /// condition still holds when the time ran out.
    #[track_caller]
    pub fn wait_timeout_while<'a, T, F>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
        mut condition: F,
    ) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>
    where
        F: FnMut(&mut T) -> bool,
    {
        #[cfg(not(loom))]
        {
            // A loop of the facade's own timed waits, so this wait too may wake spuriously.
            let start = std::time::Instant::now();
            let mut guard = guard;
            loop {
                if !condition(&mut *guard) {
                    return Ok((guard, WaitTimeoutResult(false)));
                }
                let Some(left) = timeout.checked_sub(start.elapsed()) else {
                    return Ok((guard, WaitTimeoutResult(true)));
                };
                guard = match self.wait_timeout(guard, left.min(SPURIOUS_AFTER)) {
                    Ok((g, _)) => g,
                    Err(p) => {
                        let (g, _) = p.into_inner();
                        return Err(std::sync::PoisonError::new((g, WaitTimeoutResult(false))));
                    }
                };
            }
        }
        #[cfg(loom)]
        {
            let mut guard = guard;
            loop {
                if !condition(&mut *guard) {
                    return Ok((guard, WaitTimeoutResult(false)));
                }
                let (g, r) = self.wait_timeout(guard, timeout)?;
                guard = g;
                if r.timed_out() {
                    let still = condition(&mut *guard);
                    return Ok((guard, WaitTimeoutResult(still)));
                }
            }
        }
    }

    /// Wakes one waiting thread, if any: under loom, any one of them.
    #[track_caller]
    pub fn notify_one(&self) {
        #[cfg(loom)]
        {
            trace::record(|| Record::new("notify", ObjectKind::Condvar, self.id).value("one"));
            if self.tickets().notify_one() {
                // Every waiter wakes and races for the lock: whoever wins takes it.
                crate::clock::wake(crate::clock::Waits::Condvar(
                    self as *const Condvar as usize,
                ));
                self.raw.notify_all();
            }
        }
        #[cfg(not(loom))]
        self.raw.notify_one();
    }

    /// Wakes every waiting thread.
    #[track_caller]
    pub fn notify_all(&self) {
        #[cfg(loom)]
        {
            trace::record(|| Record::new("notify", ObjectKind::Condvar, self.id).value("all"));
            if self.tickets().notify_all() {
                crate::clock::wake(crate::clock::Waits::Condvar(
                    self as *const Condvar as usize,
                ));
                self.raw.notify_all();
            }
        }
        #[cfg(not(loom))]
        self.raw.notify_all();
    }

    #[cfg(loom)]
    fn tickets(&self) -> std::sync::MutexGuard<'_, tickets::Tickets> {
        self.tickets.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a ticket and records the wait; returns the ticket and how to record its steps.
    #[cfg(loom)]
    #[track_caller]
    fn begin_wait<T>(
        &self,
        guard: &MutexGuard<'_, T>,
    ) -> (u64, impl Fn(&'static str) -> Record + use<T>) {
        crate::model::note_condvar_wait();
        let mutex_id = guard.mutex_id();
        let id = self.id;
        let step = move |op| Record::new(op, ObjectKind::Condvar, id).other(mutex_id);
        let ticket = self.tickets().enter();
        trace::record(|| step("wait"));
        trace::blocking(|| step("wait"));
        (ticket, step)
    }

    /// In the spurious pass, the first wait on this condition variable returns at once
    /// without a notification.
    #[cfg(loom)]
    fn wakes_spuriously(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        crate::model::spurious_pass() && !self.woken_spuriously.swap(true, Relaxed)
    }

    /// Returns from a wait without a notification, having released and re-taken the lock.
    #[cfg(loom)]
    #[track_caller]
    fn spurious_wake<'a, T>(
        &self,
        ticket: u64,
        guard: MutexGuard<'a, T>,
        how: &'static str,
    ) -> LockResult<MutexGuard<'a, T>> {
        self.tickets().leave(ticket);
        let mutex_id = guard.mutex_id();
        let guard = guard.relock();
        trace::unblocked();
        trace::record(|| {
            Record::new("wake", ObjectKind::Condvar, self.id)
                .other(mutex_id)
                .value(how)
        });
        guard
    }

    /// Releases the lock and blocks until the waiter with `ticket` is notified (or, for a
    /// timed wait, its time runs out); re-takes the lock. Every waiter is woken by a
    /// notification and they race for the lock: the first to get it takes the
    /// notification, the others wait again. Returns whether it was notified.
    #[cfg(loom)]
    fn block_until_woken<'a, T>(
        &self,
        ticket: u64,
        guard: MutexGuard<'a, T>,
        timed: bool,
    ) -> (LockResult<MutexGuard<'a, T>>, bool) {
        use crate::clock::{self, Waits};
        let (mutex, mut raw) = guard.into_raw();
        let mut poisoned = false;
        let notified = loop {
            // May fire other threads' timers (loom steps), so the tickets are looked at
            // after it: a notification sent meanwhile is not missed.
            clock::block(Waits::Condvar(self as *const Condvar as usize));
            {
                let mut tickets = self.tickets();
                if tickets.claim(ticket) {
                    break true;
                }
                if timed && tickets.timed_out(ticket) {
                    break false;
                }
            }
            raw = match self.raw.wait(raw) {
                Ok(raw) => raw,
                Err(p) => {
                    poisoned = true;
                    p.into_inner()
                }
            };
            clock::resumed();
            let mut tickets = self.tickets();
            if tickets.claim(ticket) {
                break true;
            }
            if timed && tickets.timed_out(ticket) {
                break false;
            }
        };
        clock::resumed();
        let guard = MutexGuard::from_raw(mutex, raw);
        let guard = match poisoned {
            false => Ok(guard),
            true => Err(std::sync::PoisonError::new(guard)),
        };
        (guard, notified)
    }

    /// A timed wait's time ran out (see `clock.rs`): its waiter wakes and finds out.
    #[cfg(loom)]
    pub(crate) fn time_out(&self, ticket: u64) {
        self.tickets().expire(ticket);
        self.raw.notify_all();
    }
}

/// A timed wait's result, with the lock's poisoning kept.
#[cfg(loom)]
fn with_result<'a, T>(
    guard: LockResult<MutexGuard<'a, T>>,
    result: WaitTimeoutResult,
) -> LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)> {
    match guard {
        Ok(g) => Ok((g, result)),
        Err(p) => Err(std::sync::PoisonError::new((p.into_inner(), result))),
    }
}

impl std::fmt::Debug for Condvar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
