//! `Condvar` with std's API, plus `wait_while` under loom, and spurious wakeups on both sides.
//!
//! std allows a condition variable to wake without a notification, and code that waits in an
//! `if` instead of a `while` breaks when it does. Neither std on Linux nor loom shows that
//! often enough to teach it, so the facade makes it happen:
//! - on real threads every wait is a short timed wait, so it returns now and then on its own;
//! - in a loom model's spurious pass (see [`crate::model`]), each condition variable's first
//!   wait releases the lock, re-takes it and returns without having been notified.

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
            crate::model::note_condvar_wait();
            let mutex_id = guard.mutex_id();
            let step = |op| Record::new(op, ObjectKind::Condvar, self.id).other(mutex_id);
            trace::record(|| step("wait"));
            trace::blocking(|| step("wait"));
            if crate::model::spurious_pass()
                && !self
                    .woken_spuriously
                    .swap(true, std::sync::atomic::Ordering::Relaxed)
            {
                let guard = guard.relock();
                trace::unblocked();
                trace::record(|| step("wake").value("spurious"));
                return guard;
            }
            let (mutex, raw) = guard.into_raw();
            let woken = self.raw.wait(raw);
            trace::unblocked();
            trace::record(|| step("wake").value("notified"));
            match woken {
                Ok(raw) => Ok(MutexGuard::from_raw(mutex, raw)),
                Err(p) => Err(std::sync::PoisonError::new(MutexGuard::from_raw(
                    mutex,
                    p.into_inner(),
                ))),
            }
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
    /// Under loom the time never runs out: a timed wait is modelled as a plain wait.
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
            match self.wait(guard) {
                Ok(g) => Ok((g, WaitTimeoutResult(false))),
                Err(p) => Err(std::sync::PoisonError::new((
                    p.into_inner(),
                    WaitTimeoutResult(false),
                ))),
            }
        }
    }

    /// Wakes one waiting thread, if any.
    #[track_caller]
    pub fn notify_one(&self) {
        #[cfg(loom)]
        trace::record(|| Record::new("notify", ObjectKind::Condvar, self.id).value("one"));
        self.raw.notify_one();
    }

    /// Wakes every waiting thread.
    #[track_caller]
    pub fn notify_all(&self) {
        #[cfg(loom)]
        trace::record(|| Record::new("notify", ObjectKind::Condvar, self.id).value("all"));
        self.raw.notify_all();
    }
}

impl std::fmt::Debug for Condvar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
