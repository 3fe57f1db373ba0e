//! Checkouts taking items down to and below the reorder level, under every interleaving loom
//! explores.
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

/// Two checkouts want the last mug on the shelf: one gets it, the other is told no.
#[test]
fn the_last_unit_goes_to_one_order() {
    model(|| {
        let inventory = Arc::new(Inventory::new());
        inventory.receive("mug", 1);
        let other = {
            let inventory = Arc::clone(&inventory);
            thread::spawn(move || inventory.reserve("mug", 1))
        };
        let mine = inventory.reserve("mug", 1);
        let theirs = other.join().unwrap();
        assert!(
            mine != theirs,
            "exactly one of two orders for the last mug succeeds (mine: {mine}, theirs: {theirs})"
        );
        assert_eq!(inventory.on_hand("mug"), 0, "the shelf is empty");
        assert_eq!(
            inventory.reorders(),
            ["mug"],
            "mugs are on the reorder list once"
        );
    });
}

/// Two items, each sold by its own checkout: one received below the reorder level, one
/// sold down to the level, then to nothing, then restocked and sold low again; and the
/// reservations that do not fit.
#[test]
fn every_low_item_is_listed_and_no_other() {
    model(|| {
        let inventory = Arc::new(Inventory::new());
        inventory.receive("mug", REORDER_LEVEL - 1);
        inventory.receive("tea", REORDER_LEVEL + 1);
        let listed = |inventory: &Inventory, item: &str| {
            inventory.reorders().iter().filter(|i| *i == item).count()
        };
        let tea_checkout = {
            let inventory = Arc::clone(&inventory);
            thread::spawn(move || {
                assert!(inventory.reserve("tea", 1), "one tea fits");
                assert_eq!(
                    listed(&inventory, "tea"),
                    0,
                    "tea at the reorder level is not low"
                );
                assert!(!inventory.reserve("tea", REORDER_LEVEL + 1), "too much tea");
                assert!(inventory.reserve("tea", REORDER_LEVEL), "the last teas fit");
                assert_eq!(listed(&inventory, "tea"), 1, "tea sold out is listed");
                inventory.receive("tea", REORDER_LEVEL + 2);
                assert!(inventory.reserve("tea", 3), "restocked tea fits");
                assert_eq!(listed(&inventory, "tea"), 1, "tea is listed once");
            })
        };
        assert!(!inventory.reserve("cup", 1), "cups were never received");
        assert!(inventory.reserve("mug", 1), "one mug fits");
        assert_eq!(
            listed(&inventory, "mug"),
            1,
            "a mug left below the level is listed"
        );
        assert!(!inventory.reserve("mug", 2), "two mugs do not fit");
        assert_eq!(inventory.on_hand("mug"), 1, "a refused order takes nothing");
        tea_checkout.join().unwrap();
        let mut reorders = inventory.reorders();
        reorders.sort();
        assert_eq!(
            reorders,
            ["mug", "tea"],
            "mugs and tea are listed once each"
        );
        assert_eq!(inventory.on_hand("tea"), 2);
    });
}
