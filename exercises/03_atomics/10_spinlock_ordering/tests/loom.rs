//! Two feed threads taking the lock once each, under every interleaving and every memory
//! ordering loom explores.
#![cfg(loom)]

use racelings_sync::{Arc, model, thread};
use spinlock_ordering::SpinLock;

#[test]
fn each_holder_sees_the_previous_holders_update() {
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
