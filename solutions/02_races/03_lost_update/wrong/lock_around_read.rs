//! Wrong fix: take a lock to read the counter, then write after the guard is gone. The lock
//! makes the read exclusive, not the read-and-write: a second handler can take the lock and
//! read the same value before the first one stores, and one increment is lost.

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
