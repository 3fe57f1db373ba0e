//! Exports sharing one or two permits, under every interleaving loom explores.
#![cfg(loom)]

use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, model, thread};
use semaphore::Semaphore;

/// Counts the permits held right now, as their holders see it, and the most ever held.
#[derive(Default)]
struct Holders {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Holders {
    /// Called by a holder right after it got its permit.
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
    }

    /// Called by a holder right before it gives its permit back.
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }

    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

/// Takes a permit, counts itself among the holders, and gives the permit back.
fn export(semaphore: &Semaphore, holders: &Holders) {
    let _permit = semaphore.acquire();
    holders.enter();
    holders.leave();
}

/// Starts a thread that exports `times` times in a row.
fn spawn_exports(
    semaphore: &Arc<Semaphore>,
    holders: &Arc<Holders>,
    times: usize,
) -> thread::JoinHandle<()> {
    let (semaphore, holders) = (Arc::clone(semaphore), Arc::clone(holders));
    thread::spawn(move || {
        for _ in 0..times {
            export(&semaphore, &holders);
        }
    })
}

fn exports_share_one_permit(threads: usize) {
    let semaphore = Arc::new(Semaphore::new(1));
    let holders = Arc::new(Holders::default());
    let others: Vec<_> = (1..threads)
        .map(|_| spawn_exports(&semaphore, &holders, 1))
        .collect();
    export(&semaphore, &holders);
    for other in others {
        other.join().unwrap();
    }
    assert_eq!(
        holders.most(),
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

#[test]
fn an_export_coming_back_waits_its_turn() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let holders = Arc::new(Holders::default());
        let other = spawn_exports(&semaphore, &holders, 1);
        // The same thread asks again right after giving its permit back, so it can take the
        // permit its release announced to the other export.
        export(&semaphore, &holders);
        export(&semaphore, &holders);
        other.join().unwrap();
        assert_eq!(
            holders.most(),
            1,
            "at most one export held the only permit at a time"
        );
        assert_eq!(semaphore.in_use(), 0, "every permit was given back");
    });
}

#[test]
fn a_waiting_export_gets_a_permit_while_the_other_is_held() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(2));
        let holders = Arc::new(Holders::default());
        let first = semaphore.acquire();
        let second = semaphore.acquire();
        let waiting = spawn_exports(&semaphore, &holders, 1);
        drop(first);
        // The export must finish on the permit just given back, while `second` is held.
        waiting.join().unwrap();
        assert_eq!(
            semaphore.in_use(),
            1,
            "only the permit still held is in use"
        );
        drop(second);
        assert_eq!(semaphore.in_use(), 0, "every permit was given back");
    });
}

#[test]
fn two_waiting_exports_get_the_two_permits_given_back() {
    model(|| {
        let semaphore = Arc::new(Semaphore::new(2));
        let holders = Arc::new(Holders::default());
        let first = semaphore.acquire();
        let second = semaphore.acquire();
        holders.enter();
        holders.enter();
        let waiting: Vec<_> = (0..2)
            .map(|_| spawn_exports(&semaphore, &holders, 1))
            .collect();
        // Two permits given back one after the other: each waiting export gets one.
        holders.leave();
        drop(first);
        holders.leave();
        drop(second);
        for export in waiting {
            export.join().unwrap();
        }
        assert!(
            holders.most() <= 2,
            "at most two exports held the two permits at a time (saw {})",
            holders.most()
        );
        assert_eq!(semaphore.in_use(), 0, "every permit was given back");
    });
}

#[test]
fn a_semaphore_for_no_one_still_has_one_permit() {
    model(|| {
        let semaphore = Semaphore::new(0);
        let permit = semaphore.acquire();
        assert_eq!(semaphore.in_use(), 1, "the one permit is in use");
        drop(permit);
        assert_eq!(semaphore.in_use(), 0, "the permit was given back");
    });
}
