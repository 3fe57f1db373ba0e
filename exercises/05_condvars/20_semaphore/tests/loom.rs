//! Exports sharing one permit, under every interleaving loom explores.
#![cfg(loom)]

use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, model, thread};
use semaphore::Semaphore;

/// Takes a permit, holds it while counting the holders, and gives it back.
fn export(semaphore: &Semaphore, holders: &AtomicUsize, most: &AtomicUsize) {
    let _permit = semaphore.acquire();
    let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
    most.fetch_max(now, Ordering::SeqCst);
    holders.fetch_sub(1, Ordering::SeqCst);
}

fn exports_share_one_permit(threads: usize) {
    let semaphore = Arc::new(Semaphore::new(1));
    let holders = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let others: Vec<_> = (1..threads)
        .map(|_| {
            let (semaphore, holders, most) = (
                Arc::clone(&semaphore),
                Arc::clone(&holders),
                Arc::clone(&most),
            );
            thread::spawn(move || export(&semaphore, &holders, &most))
        })
        .collect();
    export(&semaphore, &holders, &most);
    for other in others {
        other.join().unwrap();
    }
    assert_eq!(
        most.load(Ordering::SeqCst),
        1,
        "at most one export held the only permit at a time"
    );
    assert_eq!(semaphore.in_use(), 0, "every permit was given back");
}

#[test]
fn two_exports_take_turns() {
    model(|| exports_share_one_permit(2));
}

#[test]
fn three_exports_take_turns() {
    model(|| exports_share_one_permit(3));
}
