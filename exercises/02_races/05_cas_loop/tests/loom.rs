//! Handlers recording one request each, under every interleaving loom explores: two handlers,
//! and three (the fewest for which a handler can be beaten twice in a row, so a retry that
//! gives up after one more attempt drops its latency). Each handler reads `slowest` right
//! after its own `record` returns, and the dashboard (the model's own thread) reads it each
//! time it learns that another handler has finished, while the others may still be recording.
#![cfg(loom)]

use cas_loop::LatencyStats;
use racelings_sync::{Arc, model, thread};

fn check(latencies: &[u64]) {
    let stats = Arc::new(LatencyStats::new());
    let handlers: Vec<_> = latencies
        .iter()
        .map(|&micros| {
            let stats = Arc::clone(&stats);
            thread::spawn(move || {
                stats.record(micros);
                stats.slowest()
            })
        })
        .collect();
    let mut shown = 0;
    for (handler, &micros) in handlers.into_iter().zip(latencies) {
        let read_by_handler = handler.join().unwrap();
        assert!(
            read_by_handler >= micros,
            "right after recording {micros} µs, its handler read slowest = {read_by_handler}"
        );
        let on_dashboard = stats.slowest();
        assert!(
            on_dashboard >= micros,
            "after the handler that recorded {micros} µs had finished, the dashboard read \
             slowest = {on_dashboard}"
        );
        assert!(
            on_dashboard >= shown,
            "the dashboard read slowest = {shown}, then {on_dashboard}: it went down"
        );
        shown = on_dashboard;
    }
    assert_eq!(
        stats.count(),
        latencies.len() as u64,
        "every request was counted"
    );
    let max = *latencies.iter().max().unwrap();
    assert_eq!(
        stats.slowest(),
        max,
        "the slowest of {latencies:?} µs is kept"
    );
}

#[test]
fn the_slowest_request_is_kept() {
    model(|| check(&[700, 500]));
}

#[test]
fn three_handlers_keep_the_slowest() {
    model(|| check(&[700, 500, 600]));
}
