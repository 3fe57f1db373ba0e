//! Feed threads hammering one lock, on real threads.
#![cfg(not(loom))]

use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, hint, stress, thread};
use spinlock_ordering::SpinLock;

const FEEDS: usize = 2;
const UPDATES_EACH: usize = 200;

#[derive(Default)]
struct SymbolStats {
    messages: usize,
}

#[test]
fn every_update_under_the_lock_is_counted() {
    stress(
        50,
        |_round| {
            let stats = Arc::new(SpinLock::new(SymbolStats::default()));
            // How many times feeds have reached the lock, how many closures are inside it
            // right now, and how often one found another already there.
            let arrived = Arc::new(AtomicUsize::new(0));
            let inside = Arc::new(AtomicUsize::new(0));
            let overlaps = Arc::new(AtomicUsize::new(0));
            let feeds: Vec<_> = (0..FEEDS)
                .map(|_| {
                    let (stats, arrived) = (Arc::clone(&stats), Arc::clone(&arrived));
                    let (inside, overlaps) = (Arc::clone(&inside), Arc::clone(&overlaps));
                    thread::spawn(move || {
                        for update in 0..UPDATES_EACH {
                            // Every feed reaches the lock at the same moment, every time.
                            arrived.fetch_add(1, Ordering::SeqCst);
                            let mut spins = 0;
                            while arrived.load(Ordering::SeqCst) < FEEDS * (update + 1) {
                                spins += 1;
                                if spins < 1_000 {
                                    hint::spin_loop();
                                } else {
                                    thread::yield_now();
                                }
                            }
                            stats.with_lock(|s| {
                                if inside.fetch_add(1, Ordering::SeqCst) > 0 {
                                    overlaps.fetch_add(1, Ordering::SeqCst);
                                }
                                s.messages += 1;
                                inside.fetch_sub(1, Ordering::SeqCst);
                            });
                        }
                    })
                })
                .collect();
            for feed in feeds {
                feed.join().unwrap();
            }
            let messages = stats.with_lock(|s| s.messages);
            (messages, overlaps.load(Ordering::SeqCst))
        },
        |&(messages, overlaps)| messages == FEEDS * UPDATES_EACH && overlaps == 0,
    );
}
