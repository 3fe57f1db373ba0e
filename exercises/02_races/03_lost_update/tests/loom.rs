//! Handlers recording views at once, under every interleaving loom explores: two handlers,
//! and three (the fewest for which a handler can be beaten twice in a row, so a retry that
//! gives up after one more attempt loses a view).
#![cfg(loom)]

use lost_update::ViewCounter;
use racelings_sync::{Arc, model, thread};

/// `handlers` threads (the model's own thread among them) each record one view.
fn record_once_each(handlers: usize) -> usize {
    let counter = Arc::new(ViewCounter::new());
    let others: Vec<_> = (1..handlers)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.record())
        })
        .collect();
    counter.record();
    for other in others {
        other.join().unwrap();
    }
    counter.total()
}

#[test]
fn two_handlers_count_two_views() {
    model(|| {
        assert_eq!(record_once_each(2), 2, "two views were recorded");
    });
}

#[test]
fn three_handlers_count_three_views() {
    model(|| {
        assert_eq!(record_once_each(3), 3, "three views were recorded");
    });
}
