//! Two handlers recording one view each, under every interleaving loom explores.
#![cfg(loom)]

use lost_update::ViewCounter;
use racelings_sync::{Arc, model, thread};

#[test]
fn two_handlers_count_two_views() {
    model(|| {
        let counter = Arc::new(ViewCounter::new());
        let other = {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.record())
        };
        counter.record();
        other.join().unwrap();
        assert_eq!(counter.total(), 2, "two views were recorded");
    });
}
