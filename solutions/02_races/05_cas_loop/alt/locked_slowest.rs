//! Alternative fix: the slowest latency lives behind a `Mutex`, so comparing it with ours and
//! replacing it happen under one acquisition of the lock and no other handler can change it
//! in between. The request count stays a lone atomic counter.
//!
//! Latency statistics for the request handlers of a web service.
//!
//! Every handler calls `record` with the time it took to serve a request; the monitoring
//! dashboard reads `count` and `slowest` once a minute. The on-call team noticed that the
//! "slowest request" panel sometimes showed a value below a request they could see in the
//! slow-request log for the same minute, and only on the busiest minutes.
//!
//! Fixed means: however many handlers record at the same time, once `record(latency)` has
//! returned, `count` includes that request and `slowest` is at least `latency`, from then on:
//! `slowest` never goes down, and is always a latency some handler recorded (0 before the
//! first request).

use racelings_sync::Mutex;
use racelings_sync::atomic::{AtomicU64, Ordering};

/// Request count and worst latency, shared by every handler thread.
#[derive(Debug, Default)]
pub struct LatencyStats {
    requests: AtomicU64,
    slowest_micros: Mutex<u64>,
}

impl LatencyStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one served request that took `micros` microseconds.
    pub fn record(&self, micros: u64) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut slowest = self.slowest_micros.lock().unwrap();
        *slowest = (*slowest).max(micros);
    }

    /// How many requests were recorded.
    pub fn count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The longest latency recorded, in microseconds (0 before the first request).
    pub fn slowest(&self) -> u64 {
        *self.slowest_micros.lock().unwrap()
    }
}
