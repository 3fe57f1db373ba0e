//! Wrong fix: take a lock to read the counter, then write after the guard is gone. The lock
//! makes the read exclusive, not the read-and-write: a second handler can take the lock and
//! read the same value before the first one stores, and one increment is lost.
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
use racelings_sync::atomic::{AtomicUsize, Ordering};

/// Counts page views across threads.
#[derive(Debug, Default)]
pub struct ViewCounter {
    views: AtomicUsize,
    reading: Mutex<()>,
}

impl ViewCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one page view.
    pub fn record(&self) {
        let seen = {
            let _reading = self.reading.lock().unwrap();
            self.views.load(Ordering::SeqCst)
        };
        self.views.store(seen + 1, Ordering::SeqCst);
    }

    /// The number of views recorded so far.
    pub fn total(&self) -> usize {
        self.views.load(Ordering::SeqCst)
    }
}
