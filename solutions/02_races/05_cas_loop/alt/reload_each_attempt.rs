//! Alternative fix: a loop in which every attempt reads the current value afresh, gives up as
//! soon as it is at least our latency, and otherwise tries to replace exactly that value; a
//! failed attempt means another handler changed it in between, so we go round again.
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
        self.requests.fetch_add(1, Ordering::Relaxed);
        loop {
            let slowest = self.slowest_micros.load(Ordering::Relaxed);
            if micros <= slowest {
                return;
            }
            if self
                .slowest_micros
                .compare_exchange_weak(slowest, micros, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    /// How many requests were recorded.
    pub fn count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The longest latency recorded, in microseconds (0 before the first request).
    pub fn slowest(&self) -> u64 {
        self.slowest_micros.load(Ordering::Relaxed)
    }
}
