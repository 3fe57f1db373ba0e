//! Two checkouts taking the shelf below the reorder level, under every interleaving loom explores.
#![cfg(loom)]

use racelings_sync::{Arc, model, thread};
use reentrant_lock::{Inventory, REORDER_LEVEL};

#[test]
fn low_stock_is_reordered_once() {
    model(|| {
        let inventory = Arc::new(Inventory::new());
        inventory.receive("mug", REORDER_LEVEL);
        let other = {
            let inventory = Arc::clone(&inventory);
            thread::spawn(move || inventory.reserve("mug", 1))
        };
        let mine = inventory.reserve("mug", 1);
        let theirs = other.join().unwrap();
        assert!(mine && theirs, "both reservations fit the stock");
        assert_eq!(
            inventory.on_hand("mug"),
            REORDER_LEVEL - 2,
            "two mugs left the shelf"
        );
        assert_eq!(
            inventory.reorders(),
            ["mug"],
            "mugs are on the reorder list once"
        );
    });
}
