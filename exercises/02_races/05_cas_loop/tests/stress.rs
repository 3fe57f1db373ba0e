//! Many handlers recording ever slower requests at once, on real threads.
#![cfg(not(loom))]

use cas_loop::LatencyStats;
use racelings_sync::atomic::{AtomicU64, Ordering};
use racelings_sync::{Arc, Barrier, stress, thread};

const HANDLERS: u64 = 4;
const REQUESTS: u64 = 50_000;

#[test]
fn slowest_is_never_below_a_recorded_latency() {
    stress(
        60,
        |_round| {
            let stats = Arc::new(LatencyStats::new());
            // The service is slowing down: each request served takes one microsecond longer
            // than the one before, whichever handler serves it.
            let next_latency = Arc::new(AtomicU64::new(1));
            let start = Arc::new(Barrier::new(HANDLERS as usize));
            let handlers: Vec<_> = (0..HANDLERS)
                .map(|_| {
                    let stats = Arc::clone(&stats);
                    let next_latency = Arc::clone(&next_latency);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        // Count the times `slowest` fell short of a latency we just recorded.
                        let mut fell_short = 0u64;
                        loop {
                            let micros = next_latency.fetch_add(1, Ordering::Relaxed);
                            if micros > REQUESTS {
                                return fell_short;
                            }
                            stats.record(micros);
                            if stats.slowest() < micros {
                                fell_short += 1;
                            }
                        }
                    })
                })
                .collect();
            let fell_short: u64 = handlers.into_iter().map(|h| h.join().unwrap()).sum();
            (stats.count(), stats.slowest(), fell_short)
        },
        |&(count, slowest, fell_short)| count == REQUESTS && slowest == REQUESTS && fell_short == 0,
    );
}
