//! Wrong fix: yield the processor between the read and the write, hoping the other handlers
//! finish their increments first. It only moves the window: a handler can still be preempted
//! after its read, and another handler's increment is then overwritten by the stale value.

use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::thread;

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
        let seen = self.views.load(Ordering::SeqCst);
        thread::yield_now();
        self.views.store(seen + 1, Ordering::SeqCst);
    }

    /// The number of views recorded so far.
    pub fn total(&self) -> usize {
        self.views.load(Ordering::SeqCst)
    }
}
