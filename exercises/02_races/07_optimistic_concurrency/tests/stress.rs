//! A product launch: checkouts emptying the shelf while deliveries arrive, on real threads.
#![cfg(not(loom))]

use optimistic_concurrency::Inventory;
use racelings_sync::{Arc, Barrier, stress, thread};

const CHECKOUTS: usize = 3;
const IN_STOCK: u32 = 2_000;
const DELIVERIES: u32 = 200;
const UNITS_PER_DELIVERY: u32 = 10;

#[test]
fn every_unit_is_sold_or_on_the_shelf() {
    stress(
        30,
        |_round| {
            let inventory = Arc::new(Inventory::new());
            inventory.add_product("console", IN_STOCK);
            let start = Arc::new(Barrier::new(CHECKOUTS + 1));
            let checkouts: Vec<_> = (0..CHECKOUTS)
                .map(|_| {
                    let inventory = Arc::clone(&inventory);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        let mut sold = 0;
                        while inventory.reserve("console", 1).is_ok() {
                            sold += 1;
                        }
                        sold
                    })
                })
                .collect();
            let warehouse = {
                let inventory = Arc::clone(&inventory);
                let start = Arc::clone(&start);
                thread::spawn(move || {
                    start.wait();
                    for _ in 0..DELIVERIES {
                        inventory.restock("console", UNITS_PER_DELIVERY).unwrap();
                    }
                })
            };
            warehouse.join().unwrap();
            let sold: u32 = checkouts.into_iter().map(|c| c.join().unwrap()).sum();
            let on_shelf = inventory.row("console").unwrap().on_hand;
            // Units that came in, and units accounted for: sold or still on the shelf.
            (IN_STOCK + DELIVERIES * UNITS_PER_DELIVERY, sold + on_shelf)
        },
        |&(came_in, accounted_for)| came_in == accounted_for,
    );
}
