//! Wrong fix: store the incremented value, then read the counter back and start again if it
//! no longer holds what we stored. A check after the fact cannot undo anything: two handlers
//! can both store the same value and both see it there (a view lost), and a handler whose
//! store was already counted on by another one records its view a second time.
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
        loop {
            let counted = self.views.load(Ordering::SeqCst) + 1;
            self.views.store(counted, Ordering::SeqCst);
            // Our store stuck if the counter still holds it; if not, somebody raced us.
            if self.views.load(Ordering::SeqCst) == counted {
                return;
            }
        }
    }

    /// The number of views recorded so far.
    pub fn total(&self) -> usize {
        self.views.load(Ordering::SeqCst)
    }
}
