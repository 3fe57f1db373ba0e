//! `RwLock` with std's API, over std's or loom's; under loom each lock and unlock is a
//! timeline step.

#[cfg(not(loom))]
pub use crate::backend::{
    RawReadGuard as RwLockReadGuard, RawRwLock as RwLock, RawWriteGuard as RwLockWriteGuard,
};

#[cfg(loom)]
pub use recorded::{RwLock, RwLockReadGuard, RwLockWriteGuard};

#[cfg(loom)]
mod recorded {
    use crate::backend::{RawReadGuard, RawRwLock, RawWriteGuard};
    use crate::trace::{self, ObjectId, ObjectKind, Record};
    use std::fmt;
    use std::ops::{Deref, DerefMut};
    use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

    /// A reader-writer lock, as `std::sync::RwLock`.
    #[derive(Default)]
    pub struct RwLock<T: ?Sized> {
        id: ObjectId,
        raw: RawRwLock<T>,
    }

    /// Shared access to an [`RwLock`]'s value; released when dropped.
    pub struct RwLockReadGuard<'a, T: ?Sized> {
        lock: &'a RwLock<T>,
        raw: RawReadGuard<'a, T>,
    }

    /// Exclusive access to an [`RwLock`]'s value; released when dropped.
    pub struct RwLockWriteGuard<'a, T: ?Sized> {
        lock: &'a RwLock<T>,
        raw: RawWriteGuard<'a, T>,
    }

    impl<T> RwLock<T> {
        /// An unlocked lock holding `value`.
        pub fn new(value: T) -> Self {
            RwLock {
                id: ObjectId::next(),
                raw: RawRwLock::new(value),
            }
        }

        /// Consumes the lock and returns its value.
        pub fn into_inner(self) -> LockResult<T> {
            self.raw.into_inner()
        }
    }

    impl<T> From<T> for RwLock<T> {
        fn from(value: T) -> Self {
            RwLock::new(value)
        }
    }

    impl<T: ?Sized> RwLock<T> {
        fn step(&self, op: &'static str) -> Record {
            Record::new(op, ObjectKind::RwLock, self.id)
        }

        /// Blocks until no writer holds the lock, then shares it.
        #[track_caller]
        pub fn read(&self) -> LockResult<RwLockReadGuard<'_, T>> {
            crate::publish::settle();
            trace::blocking(|| self.step("read_lock"));
            let raw = self.raw.read();
            crate::fair::changed();
            trace::unblocked();
            trace::record(|| self.step("read_lock"));
            map(raw, |raw| RwLockReadGuard { lock: self, raw })
        }

        /// Shares the lock if no writer holds it right now.
        #[track_caller]
        pub fn try_read(&self) -> TryLockResult<RwLockReadGuard<'_, T>> {
            crate::publish::settle();
            let raw = self.raw.try_read();
            let busy = matches!(raw, Err(TryLockError::WouldBlock));
            if !busy {
                crate::fair::changed();
            }
            trace::record(|| match busy {
                true => self.step("try_read_lock").value("busy"),
                false => self.step("read_lock").method("try_read"),
            });
            map_try(raw, |raw| RwLockReadGuard { lock: self, raw })
        }

        /// Blocks until nobody holds the lock, then takes it alone.
        #[track_caller]
        pub fn write(&self) -> LockResult<RwLockWriteGuard<'_, T>> {
            crate::publish::settle();
            trace::blocking(|| self.step("write_lock"));
            let raw = self.raw.write();
            crate::fair::changed();
            trace::unblocked();
            trace::record(|| self.step("write_lock"));
            map(raw, |raw| RwLockWriteGuard { lock: self, raw })
        }

        /// Takes the lock alone if nobody holds it right now.
        #[track_caller]
        pub fn try_write(&self) -> TryLockResult<RwLockWriteGuard<'_, T>> {
            crate::publish::settle();
            let raw = self.raw.try_write();
            let busy = matches!(raw, Err(TryLockError::WouldBlock));
            if !busy {
                crate::fair::changed();
            }
            trace::record(|| match busy {
                true => self.step("try_write_lock").value("busy"),
                false => self.step("write_lock").method("try_write"),
            });
            map_try(raw, |raw| RwLockWriteGuard { lock: self, raw })
        }

        /// A mutable reference to the value; no locking needed, the borrow is exclusive.
        pub fn get_mut(&mut self) -> LockResult<&mut T> {
            self.raw.get_mut()
        }
    }

    fn map<G, H>(result: LockResult<G>, f: impl FnOnce(G) -> H) -> LockResult<H> {
        match result {
            Ok(g) => Ok(f(g)),
            Err(p) => Err(PoisonError::new(f(p.into_inner()))),
        }
    }

    fn map_try<G, H>(result: TryLockResult<G>, f: impl FnOnce(G) -> H) -> TryLockResult<H> {
        match result {
            Ok(g) => Ok(f(g)),
            Err(TryLockError::WouldBlock) => Err(TryLockError::WouldBlock),
            Err(TryLockError::Poisoned(p)) => {
                Err(TryLockError::Poisoned(PoisonError::new(f(p.into_inner()))))
            }
        }
    }

    /// Releasing a read lock is no scheduling point: the only way to make one on this lock
    /// would be a `try_write` that fails, and loom leaves it recorded as a pending write,
    /// which the next reader to come in takes for a writer to block (for ever).
    impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                crate::publish::settle();
                crate::fair::changed();
            }
            trace::record_unplaced(|| self.lock.step("read_unlock"));
        }
    }

    /// Releasing the write lock is a scheduling point on the lock, as taking it is (see the
    /// mutex guard's `Drop`): a `try_read` of the lock this thread holds fails, changes
    /// nothing, and is loom's own scheduling point on it. No other thread can take the lock
    /// meanwhile, so none mistakes the failed try for a reader still waiting.
    impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                crate::publish::settle();
                let _ = self.lock.raw.try_read();
                crate::fair::changed();
            }
            trace::record_unplaced(|| self.lock.step("write_unlock"));
        }
    }

    impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.raw
        }
    }

    impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            &self.raw
        }
    }

    impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            &mut self.raw
        }
    }

    impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("RwLock").finish_non_exhaustive()
        }
    }

    impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockReadGuard<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(&**self, f)
        }
    }

    impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(&**self, f)
        }
    }
}
