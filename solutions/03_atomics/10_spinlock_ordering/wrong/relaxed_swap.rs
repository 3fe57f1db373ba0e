//! Wrong fix: the compare-exchange swapped for a test-and-set `swap(true, Relaxed)` and the
//! unlock made Release. The swap still lets one thread in at a time, but a Relaxed swap
//! acquires nothing: the Release unlock has no Acquire to pair with, so the next holder
//! may still see the value from before the last holder's writes.
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
        while self.locked.swap(true, Ordering::Relaxed) {
            hint::spin_loop();
        }
    }

    fn unlock(&self) {
        // Release: the writes made under the lock happen-before the next holder's Acquire.
        // A lock hands over data, not only turns; Relaxed hands over only the turn.
        self.locked.store(false, Ordering::Release);
    }
}
