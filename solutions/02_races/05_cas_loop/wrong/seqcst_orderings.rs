//! Wrong fix: make every access `SeqCst`. The orderings were never the problem: another
//! handler can still raise the value between our load and our compare_exchange, which then
//! fails, and the failure is still ignored, so our latency is still dropped.
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

use racelings_sync::atomic::{AtomicU64, Ordering};

/// Request count and worst latency, shared by every handler thread.
#[derive(Debug, Default)]
pub struct LatencyStats {
    requests: AtomicU64,
    slowest_micros: AtomicU64,
}

impl LatencyStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one served request that took `micros` microseconds.
    pub fn record(&self, micros: u64) {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let slowest = self.slowest_micros.load(Ordering::SeqCst);
        if micros > slowest {
            let _ = self.slowest_micros.compare_exchange(
                slowest,
                micros,
                Ordering::SeqCst,
                Ordering::SeqCst,
            );
        }
    }

    /// How many requests were recorded.
    pub fn count(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// The longest latency recorded, in microseconds (0 before the first request).
    pub fn slowest(&self) -> u64 {
        self.slowest_micros.load(Ordering::SeqCst)
    }
}
