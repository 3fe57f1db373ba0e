//! Request threads recording lines, then a shutdown, on real threads.
#![cfg(not(loom))]

use lock_during_blocking::AuditLog;
use racelings_sync::{Arc, Barrier, stress::Stress, thread};
use std::time::Duration;

const REQUEST_THREADS: usize = 3;
const LINES_EACH: usize = 50;

#[test]
fn close_returns_every_recorded_line() {
    Stress::new(40).round_timeout(Duration::from_secs(1)).run(
        |_round| {
            let log = Arc::new(AuditLog::start());
            let start = Arc::new(Barrier::new(REQUEST_THREADS));
            let requests: Vec<_> = (0..REQUEST_THREADS)
                .map(|t| {
                    let log = Arc::clone(&log);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        for n in 0..LINES_EACH {
                            log.record(format!("request {t} line {n}"));
                        }
                    })
                })
                .collect();
            for request in requests {
                request.join().unwrap();
            }
            log.close().len()
        },
        |&written| written == REQUEST_THREADS * LINES_EACH,
    );
}
