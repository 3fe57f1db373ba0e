//! Two feed threads taking the lock once each, under every interleaving loom explores.
#![cfg(loom)]

use racelings_sync::{Arc, model, thread};
use spinlock::SpinLock;

#[test]
fn two_updates_under_the_lock_count_two() {
    model(|| {
        let messages = Arc::new(SpinLock::new(0_usize));
        let other = {
            let messages = Arc::clone(&messages);
            thread::spawn(move || messages.with_lock(|n| *n += 1))
        };
        messages.with_lock(|n| *n += 1);
        other.join().unwrap();
        let total = messages.with_lock(|n| *n);
        assert_eq!(total, 2, "both updates were counted");
    });
}
