//! Many handler threads recording views at once, on real threads.
#![cfg(not(loom))]

use lost_update::ViewCounter;
use racelings_sync::{Arc, Barrier, stress, thread};

const HANDLERS: usize = 4;
const VIEWS_EACH: usize = 20_000;

#[test]
fn every_view_is_counted() {
    stress(
        40,
        |_round| {
            let counter = Arc::new(ViewCounter::new());
            let start = Arc::new(Barrier::new(HANDLERS));
            let handlers: Vec<_> = (0..HANDLERS)
                .map(|_| {
                    let counter = Arc::clone(&counter);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..VIEWS_EACH {
                            counter.record();
                        }
                    })
                })
                .collect();
            for handler in handlers {
                handler.join().unwrap();
            }
            counter.total()
        },
        |&total| total == HANDLERS * VIEWS_EACH,
    );
}
