//! `Mutex` with std's API, over std's or loom's; its guard knows its mutex so a condition
//! variable can release and re-take it (that is how a spurious wakeup is modelled).

use crate::backend::{RawMutex, RawMutexGuard};
#[cfg(loom)]
use crate::trace::{self, ObjectId, ObjectKind, Record};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

/// A mutual exclusion lock, as `std::sync::Mutex`.
#[derive(Default)]
pub struct Mutex<T: ?Sized> {
    #[cfg(loom)]
    id: ObjectId,
    raw: RawMutex<T>,
}

/// The guard of a locked [`Mutex`]; the lock is released when it is dropped.
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
    // `None` only while a condition variable holds the raw guard during a wait.
    raw: Option<RawMutexGuard<'a, T>>,
}

impl<T> Mutex<T> {
    /// Creates an unlocked mutex holding `value`.
    pub fn new(value: T) -> Self {
        Mutex {
            #[cfg(loom)]
            id: ObjectId::next(),
            raw: RawMutex::new(value),
        }
    }

    /// Consumes the mutex and returns its value.
    pub fn into_inner(self) -> LockResult<T> {
        self.raw.into_inner()
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Blocks until the lock is free, then takes it.
    #[track_caller]
    pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        #[cfg(loom)]
        {
            crate::publish::settle();
            trace::blocking(|| self.step("lock"));
        }
        let raw = self.raw.lock();
        #[cfg(loom)]
        {
            crate::fair::changed();
            trace::unblocked();
            trace::record(|| self.step("lock"));
        }
        wrap(self, raw)
    }

    /// Takes the lock if it is free right now.
    #[track_caller]
    pub fn try_lock(&self) -> TryLockResult<MutexGuard<'_, T>> {
        #[cfg(loom)]
        crate::publish::settle();
        let raw = self.raw.try_lock();
        #[cfg(loom)]
        {
            let busy = matches!(raw, Err(TryLockError::WouldBlock));
            if !busy {
                crate::fair::changed();
            }
            trace::record(|| match busy {
                true => self.step("try_lock").value("busy"),
                false => self.step("lock").method("try_lock"),
            });
        }
        match raw {
            Ok(raw) => Ok(self.guard(raw)),
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
            Err(TryLockError::Poisoned(p)) => Err(TryLockError::Poisoned(PoisonError::new(
                self.guard(p.into_inner()),
            ))),
        }
    }

    /// A mutable reference to the value; no locking needed, the borrow is exclusive.
    pub fn get_mut(&mut self) -> LockResult<&mut T> {
        self.raw.get_mut()
    }

    fn guard<'a>(&'a self, raw: RawMutexGuard<'a, T>) -> MutexGuard<'a, T> {
        MutexGuard {
            mutex: self,
            raw: Some(raw),
        }
    }

    /// A timeline step on this mutex.
    #[cfg(loom)]
    pub(crate) fn step(&self, op: &'static str) -> Record {
        Record::new(op, ObjectKind::Lock, self.id)
    }
}

fn wrap<'a, T: ?Sized>(
    mutex: &'a Mutex<T>,
    result: LockResult<RawMutexGuard<'a, T>>,
) -> LockResult<MutexGuard<'a, T>> {
    match result {
        Ok(raw) => Ok(mutex.guard(raw)),
        Err(p) => Err(PoisonError::new(mutex.guard(p.into_inner()))),
    }
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    pub(crate) fn into_raw(mut self) -> (&'a Mutex<T>, RawMutexGuard<'a, T>) {
        let raw = self.raw.take().expect("guard holds its lock");
        (self.mutex, raw)
    }

    /// The id of the guard's mutex, for a condition variable's steps.
    #[cfg(loom)]
    pub(crate) fn mutex_id(&self) -> ObjectId {
        self.mutex.id
    }

    #[cfg_attr(not(loom), allow(dead_code))]
    pub(crate) fn from_raw(mutex: &'a Mutex<T>, raw: RawMutexGuard<'a, T>) -> Self {
        mutex.guard(raw)
    }

    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn rewrap<U>(
        mutex: &'a Mutex<T>,
        result: LockResult<(RawMutexGuard<'a, T>, U)>,
    ) -> LockResult<(MutexGuard<'a, T>, U)> {
        match result {
            Ok((raw, u)) => Ok((mutex.guard(raw), u)),
            Err(p) => {
                let (raw, u) = p.into_inner();
                Err(PoisonError::new((mutex.guard(raw), u)))
            }
        }
    }

    /// Releases the lock and takes it again, as a wakeup without a notification would.
    #[cfg_attr(not(loom), allow(dead_code))]
    pub(crate) fn relock(self) -> LockResult<Self> {
        let (mutex, raw) = self.into_raw();
        drop(raw);
        wrap(mutex, mutex.raw.lock())
    }
}

/// Under loom, a guard going out of scope is an unlock step (unless a condition variable
/// took its lock: then the wait is the step).
///
/// It is also a scheduling point on the mutex, as taking it is. Loom releases a lock
/// without one, so the moment just before the release, when the lock is still held, is
/// never a place where another thread runs: a `try_lock` could only be tried before the
/// holder took the lock or after it let go, never fail in between, and a back-off that
/// deadlocks when both of two `try_lock`s fail went unexplored. Trying the lock it holds
/// (which fails, and changes nothing) is loom's own scheduling point on that mutex.
#[cfg(loom)]
impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if self.raw.is_some() {
            if !std::thread::panicking() {
                crate::publish::settle();
                let _ = self.mutex.raw.try_lock();
                crate::fair::changed();
            }
            trace::record_unplaced(|| self.mutex.step("unlock"));
        }
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.raw.as_deref().expect("guard holds its lock")
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.raw.as_deref_mut().expect("guard holds its lock")
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
