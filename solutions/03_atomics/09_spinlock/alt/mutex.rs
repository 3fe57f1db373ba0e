//! Alternative fix: give up spinning and use the standard Mutex behind the same API.
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

use racelings_sync::Mutex;

/// Kept under its old name so callers need not change; it no longer spins.
pub struct SpinLock<T> {
    // A Mutex lets exactly one thread in at a time, and parks the others instead of
    // burning their cores; for short critical sections it spins briefly first anyway.
    value: Mutex<T>,
}

impl<T> SpinLock<T> {
    /// An unlocked lock guarding `value`.
    pub fn new(value: T) -> Self {
        SpinLock {
            value: Mutex::new(value),
        }
    }

    /// Runs `f` with exclusive access to the value, waiting until the lock is free.
    pub fn with_lock<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        let mut value = self.value.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut value)
    }

    /// Consumes the lock and returns the value.
    pub fn into_inner(self) -> T {
        self.value.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}
