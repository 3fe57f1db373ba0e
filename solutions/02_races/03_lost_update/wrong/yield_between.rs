//! Wrong fix: yield the processor between the read and the write, hoping the other handlers
//! finish their increments first. It only moves the window: a handler can still be preempted
//! after its read, and another handler's increment is then overwritten by the stale value.
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
