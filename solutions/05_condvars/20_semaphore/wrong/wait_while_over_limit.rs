//! Tries `wait_while`, waiting "while the semaphore is over its limit". Fails: a full
//! semaphore is not over its limit, so a caller arriving when all permits are held walks
//! straight in; the loop is right, the condition lets one too many through.
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
        let mut in_use = self
            .released
            .wait_while(self.in_use.lock().unwrap(), |in_use| *in_use > self.limit)
            .unwrap();
        *in_use += 1;
        Permit { semaphore: self }
    }

    /// How many permits are held right now.
    pub fn in_use(&self) -> usize {
        *self.in_use.lock().unwrap()
    }

    fn release(&self) {
        let mut in_use = self.in_use.lock().unwrap();
        *in_use -= 1;
        self.released.notify_one();
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
