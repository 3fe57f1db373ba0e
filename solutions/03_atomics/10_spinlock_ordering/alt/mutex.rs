//! Alternative fix: use the standard Mutex behind the same API.
//!
//! The feed handler's spin lock, as it ships today.
//!
//! It guards each symbol's statistics on the hot path: `with_lock` runs a closure with
//! exclusive access to the guarded value, and two closures never run at once any more. On
//! the x86 servers every count has been right since. On the new ARM build, the end-of-day
//! message counts still come out a little short, and now and then a closure finds the best
//! bid it wrote a moment ago replaced by an older one.
//!
//! Why the stress test will most likely pass anyway: it runs on x86, where every atomic
//! read-modify-write is a full barrier and stores become visible to other cores in the order
//! they were made (TSO), so the hardware itself keeps this code's writes in order. Rust
//! promises much less than x86 does; ARM processors and the optimiser both use the room. The
//! loom model checks the code against what Rust promises, and that is the check that counts.
//!
//! Fixed means: each closure sees everything the closures before it wrote to the value,
//! whichever threads ran them, and no two closures ever run at the same time.

use racelings_sync::Mutex;

/// Kept under its old name so callers need not change; it no longer spins.
pub struct SpinLock<T> {
    // A Mutex's unlock happens-before the next lock, so each holder sees every write made
    // under it before; no orderings to choose.
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
