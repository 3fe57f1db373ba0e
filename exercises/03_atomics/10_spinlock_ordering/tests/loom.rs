//! Feed threads taking the lock in turn, two and three of them, under every interleaving and
//! every memory ordering loom explores.
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

#[test]
fn a_holder_that_comes_back_sees_the_updates_made_meanwhile() {
    // One feed takes the lock, the other takes it in between, the first comes back: each
    // closure must find every earlier update, its own thread's and the other's.
    model(|| {
        let messages = Arc::new(SpinLock::new(Vec::new()));
        let busy_feed = {
            let messages = Arc::clone(&messages);
            thread::spawn(move || {
                let first = messages.with_lock(|seen| {
                    seen.push("busy");
                    seen.len()
                });
                let second = messages.with_lock(|seen| {
                    seen.push("busy");
                    seen.len()
                });
                assert!(second > first, "the second update found the first one");
            })
        };
        messages.with_lock(|seen| seen.push("quiet"));
        busy_feed.join().unwrap();
        let seen = messages.with_lock(|seen| seen.clone());
        assert_eq!(seen.len(), 3, "all three updates were kept: {seen:?}");
    });
}

#[test]
fn each_of_three_holders_sees_the_updates_before_it() {
    // Three feeds, two of them spinning while one holds the lock: whichever order they get
    // it in, each closure finds the updates of every holder before it.
    model(|| {
        let messages = Arc::new(SpinLock::new(Vec::new()));
        let feeds: Vec<_> = ["north", "south"]
            .into_iter()
            .map(|feed| {
                let messages = Arc::clone(&messages);
                thread::spawn(move || messages.with_lock(|seen| seen.push(feed)))
            })
            .collect();
        messages.with_lock(|seen| seen.push("main"));
        for feed in feeds {
            feed.join().unwrap();
        }
        let mut seen = messages.with_lock(|seen| seen.clone());
        seen.sort_unstable();
        assert_eq!(
            seen,
            ["main", "north", "south"],
            "all three updates were kept"
        );
    });
}
