//! Wrong fix: test and test-and-set, taking the lock with a compare-exchange; a thread whose
//! compare-exchange fails waits for the winner to let go and then goes in, since it is next.
//! It goes in without marking the lock taken, though: when the winner comes back for the
//! lock (or a third thread arrives), its compare-exchange finds the lock free and succeeds,
//! and two closures run at once.
//!
//! A small spin lock for the hot path of a market-data feed handler.
//!
//! Each feed thread updates its symbols' statistics a few million times a second, for a few
//! nanoseconds at a time, so the team wrote a spin lock rather than put the threads to sleep
//! on a `Mutex`. `with_lock` runs a closure with exclusive access to the guarded value.
//! Since it went in, the end-of-day message counts come out a little short on busy days, and
//! a debug build once tripped the check that the best bid is below the best ask.
//!
//! Fixed means: no two closures ever run under the same lock at the same time, however many
//! threads call `with_lock` at once and however often each of them comes back; and each
//! closure finds the value as the closure before it left it.

use racelings_sync::atomic::{AtomicBool, Ordering};
use racelings_sync::cell::UnsafeCell;
use racelings_sync::hint;

/// A lock that spins instead of sleeping, for critical sections of a few instructions.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// Safety: the value is only reached through `with_lock`, by one thread at a time.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// An unlocked lock guarding `value`.
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Runs `f` with exclusive access to the value, spinning until the lock is free.
    pub fn with_lock<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.lock();
        // Safety: we hold the lock, so no other thread is touching the value.
        let result = self.value.with_mut(|value| f(unsafe { &mut *value }));
        self.unlock();
        result
    }

    /// Consumes the lock and returns the value.
    pub fn into_inner(self) -> T {
        self.value.into_inner()
    }

    fn lock(&self) {
        loop {
            while self.locked.load(Ordering::Relaxed) {
                hint::spin_loop();
            }
            if self
                .locked
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
            // Another thread took the lock just before us: wait for it to finish, and then
            // it is our turn.
            while self.locked.load(Ordering::Acquire) {
                hint::spin_loop();
            }
            return;
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }
}
