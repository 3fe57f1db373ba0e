//! Alternative fix: the count lives in a `Mutex<usize>`, so the read and the write of one
//! increment happen while holding the lock and no other handler can run in between.
//!
//! A page-view counter shared by every request-handling thread.
//!
//! Each handler calls `record` once per page served, and a report reads `total` at the end
//! of the day. The numbers never matched the web server's access log: on busy days the
//! counter came out short by a few hundred views, and never by the same amount twice.
//!
//! Fixed means: however many threads call `record` at once, and however many times each, once
//! they have returned `total` is exactly the number of calls: no view lost, none counted twice.

use racelings_sync::Mutex;

/// Counts page views across threads.
#[derive(Debug, Default)]
pub struct ViewCounter {
    views: Mutex<usize>,
}

impl ViewCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one page view.
    pub fn record(&self) {
        // The guard is held across the read and the write: one increment at a time.
        *self.views.lock().unwrap() += 1;
    }

    /// The number of views recorded so far.
    pub fn total(&self) -> usize {
        *self.views.lock().unwrap()
    }
}
