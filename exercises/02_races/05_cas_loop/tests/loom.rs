//! Two handlers recording one request each, under every interleaving loom explores.
#![cfg(loom)]

use cas_loop::LatencyStats;
use racelings_sync::{Arc, model, thread};

#[test]
fn the_slowest_request_is_kept() {
    model(|| {
        let stats = Arc::new(LatencyStats::new());
        let other = {
            let stats = Arc::clone(&stats);
            thread::spawn(move || stats.record(500))
        };
        stats.record(700);
        other.join().unwrap();
        assert_eq!(stats.count(), 2, "two requests were recorded");
        assert_eq!(stats.slowest(), 700, "the slower of 500 and 700 µs is kept");
    });
}
