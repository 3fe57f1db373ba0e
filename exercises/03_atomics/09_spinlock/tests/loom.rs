//! Feed threads taking the lock at once, under every interleaving loom explores: two feeds,
//! a feed that comes back for the lock, and three feeds spinning on it at once.
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

#[test]
fn a_feed_that_comes_back_waits_its_turn() {
    // One feed takes the lock twice while the other takes it once: a thread can lose the
    // race for the lock twice in a row, and the lock it lost stays taken while it waits.
    model(|| {
        let messages = Arc::new(SpinLock::new(0_usize));
        let busy_feed = {
            let messages = Arc::clone(&messages);
            thread::spawn(move || {
                messages.with_lock(|n| *n += 1);
                messages.with_lock(|n| *n += 1);
            })
        };
        messages.with_lock(|n| *n += 1);
        busy_feed.join().unwrap();
        let total = messages.with_lock(|n| *n);
        assert_eq!(total, 3, "all three updates were counted");
    });
}

#[test]
fn three_feeds_at_once_count_three() {
    // Three feeds arrive together: while one holds the lock, two spin on it, and when it is
    // let go both may see it free at the same moment.
    model(|| {
        let messages = Arc::new(SpinLock::new(0_usize));
        let feeds: Vec<_> = (0..2)
            .map(|_| {
                let messages = Arc::clone(&messages);
                thread::spawn(move || messages.with_lock(|n| *n += 1))
            })
            .collect();
        messages.with_lock(|n| *n += 1);
        for feed in feeds {
            feed.join().unwrap();
        }
        let total = messages.with_lock(|n| *n);
        assert_eq!(total, 3, "all three updates were counted");
    });
}
