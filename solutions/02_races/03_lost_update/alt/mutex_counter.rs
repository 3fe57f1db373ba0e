//! Alternative fix: the count lives in a `Mutex<usize>`, so the read and the write of one
//! increment happen while holding the lock and no other handler can run in between.

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
