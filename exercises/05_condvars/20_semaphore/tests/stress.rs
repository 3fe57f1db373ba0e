//! Export threads competing for a few permits on real threads, each counting the holders.
#![cfg(not(loom))]

use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, Barrier, stress, thread};
use semaphore::Semaphore;

const LIMIT: usize = 2;
const EXPORTS: usize = 4;
const CONNECTIONS_EACH: usize = 50;

/// What the holders saw in one round.
#[derive(Debug)]
struct Observed {
    most_at_once: usize,
    held_after: usize,
}

#[test]
fn never_more_holders_than_permits() {
    stress(
        30,
        |_round| {
            let semaphore = Arc::new(Semaphore::new(LIMIT));
            let holders = Arc::new(AtomicUsize::new(0));
            let most = Arc::new(AtomicUsize::new(0));
            let start = Arc::new(Barrier::new(EXPORTS));
            let exports: Vec<_> = (0..EXPORTS)
                .map(|_| {
                    let (semaphore, holders, most, start) = (
                        Arc::clone(&semaphore),
                        Arc::clone(&holders),
                        Arc::clone(&most),
                        Arc::clone(&start),
                    );
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..CONNECTIONS_EACH {
                            let _permit = semaphore.acquire();
                            let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            for _ in 0..20 {
                                thread::yield_now();
                            }
                            holders.fetch_sub(1, Ordering::SeqCst);
                        }
                    })
                })
                .collect();
            for export in exports {
                export.join().unwrap();
            }
            Observed {
                most_at_once: most.load(Ordering::SeqCst),
                held_after: semaphore.in_use(),
            }
        },
        |seen| seen.most_at_once <= LIMIT && seen.held_after == 0,
    );
}
