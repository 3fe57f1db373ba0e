//! Fixes acquire with a loop, and saves wakeups in release by notifying only when every
//! permit was held, since callers only wait on a full semaphore. Fails: with a limit of
//! two, two callers can be waiting; two releases in a row, before the first caller woken
//! has taken its permit, wake only one of them, and the other stays blocked while a permit
//! is free.
//!
//! A counting semaphore that caps how many report exports talk to the warehouse database at
//! once.
//!
//! The warehouse allows this service a fixed number of connections and refuses the next
//! one. Every export thread calls `acquire` before it connects and holds the `Permit` until
//! it disconnects. In testing the cap held. In production, when dozens of exports queue up
//! at the top of each hour, the warehouse kept logging more connections than the cap
//! from this service, and an export or two failed with "too many connections" every time.
//!
//! Fixed means: however many threads call `acquire` at once, never more than `limit` of
//! them hold a permit at the same moment, and `in_use` says how many permits are held.
//! `acquire` waits only while all `limit` permits are held, and a caller never stays
//! blocked while a permit is free: once a holder lets one go, a waiting caller gets it,
//! however many callers wait and whoever still holds the other permits (one thread may hold
//! several).

use racelings_sync::{Condvar, Mutex};

/// Hands out at most `limit` permits at a time; `acquire` waits while all are taken.
#[derive(Debug)]
pub struct Semaphore {
    limit: usize,
    in_use: Mutex<usize>,
    released: Condvar,
}

/// One of the semaphore's permits; it goes back when the permit is dropped.
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `limit` permits (at least one).
    pub fn new(limit: usize) -> Self {
        Semaphore {
            limit: limit.max(1),
            in_use: Mutex::new(0),
            released: Condvar::new(),
        }
    }

    /// Takes a permit, waiting while all of them are held.
    pub fn acquire(&self) -> Permit<'_> {
        let mut in_use = self.in_use.lock().unwrap();
        // A wakeup is no promise that a permit is free: another thread may have taken the
        // released permit before this one got the lock back, or the wait may have ended
        // without any release. So look again after every wakeup, and only take a permit
        // once the count, read under the lock, is below the limit.
        while *in_use >= self.limit {
            in_use = self.released.wait(in_use).unwrap();
        }
        *in_use += 1;
        Permit { semaphore: self }
    }

    /// How many permits are held right now.
    pub fn in_use(&self) -> usize {
        *self.in_use.lock().unwrap()
    }

    fn release(&self) {
        let mut in_use = self.in_use.lock().unwrap();
        let was_full = *in_use == self.limit;
        *in_use -= 1;
        // Callers only wait while every permit is held, so only a release from a full
        // semaphore can have one to wake.
        if was_full {
            self.released.notify_one();
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
