//! Checkout threads selling a shelf of mugs down to the last one, on real threads.
#![cfg(not(loom))]

use racelings_sync::{Arc, Barrier, stress::Stress, thread};
use reentrant_lock::Inventory;
use std::time::Duration;

const CHECKOUTS: usize = 4;
const ORDERS_EACH: u32 = 250;

#[test]
fn selling_out_finishes_and_reorders_once() {
    Stress::new(40).round_timeout(Duration::from_secs(1)).run(
        |_round| {
            let inventory = Arc::new(Inventory::new());
            inventory.receive("mug", CHECKOUTS as u32 * ORDERS_EACH);
            let start = Arc::new(Barrier::new(CHECKOUTS));
            let checkouts: Vec<_> = (0..CHECKOUTS)
                .map(|_| {
                    let inventory = Arc::clone(&inventory);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        (0..ORDERS_EACH)
                            .filter(|_| inventory.reserve("mug", 1))
                            .count() as u32
                    })
                })
                .collect();
            let sold: u32 = checkouts.into_iter().map(|c| c.join().unwrap()).sum();
            (sold, inventory.on_hand("mug"), inventory.reorders())
        },
        |(sold, left, reorders)| {
            *sold == CHECKOUTS as u32 * ORDERS_EACH && *left == 0 && reorders == &["mug"]
        },
    );
}
