//! Wrong fix: test and test-and-set, with the Acquire on the load that waits for the lock to
//! look free and a Relaxed compare-exchange to take it. The load may have seen the lock free
//! before another holder came and went; the compare-exchange then takes the lock from that
//! holder's unlock, and it was Relaxed, so that holder's writes are not promised to be seen.
//! The Acquire belongs on the operation that takes the lock.
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
        loop {
            // Acquire here, where we see the last holder's unlock: its writes are ours now.
            while self.locked.load(Ordering::Acquire) {
                hint::spin_loop();
            }
            if self
                .locked
                .compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }
}
