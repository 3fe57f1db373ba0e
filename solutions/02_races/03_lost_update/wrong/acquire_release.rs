//! Wrong fix: give the read `Acquire` and the write `Release` ordering. Orderings decide what
//! other memory a thread sees once it sees a value; they never make two separate operations
//! one. Another handler can still increment between the load and the store, and is overwritten.
//!
//! A page-view counter shared by every request-handling thread.
//!
//! Each handler calls `record` once per page served, and a report reads `total` at the end
//! of the day. The numbers never matched the web server's access log: on busy days the
//! counter came out short by a few hundred views, and never by the same amount twice.
//!
//! Fixed means: however many threads call `record` at once, and however many times each, once
//! they have returned `total` is exactly the number of calls: no view lost, none counted twice.

use racelings_sync::atomic::{AtomicUsize, Ordering};

/// Counts page views across threads.
#[derive(Debug, Default)]
pub struct ViewCounter {
    views: AtomicUsize,
}

impl ViewCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one page view.
    pub fn record(&self) {
        let seen = self.views.load(Ordering::Acquire);
        self.views.store(seen + 1, Ordering::Release);
    }

    /// The number of views recorded so far.
    pub fn total(&self) -> usize {
        self.views.load(Ordering::Acquire)
    }
}
