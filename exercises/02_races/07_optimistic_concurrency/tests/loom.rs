//! Two writers on one product row, under every interleaving loom explores.
#![cfg(loom)]

use optimistic_concurrency::Inventory;
use racelings_sync::{Arc, model, thread};

#[test]
fn the_last_unit_is_sold_once() {
    model(|| {
        let inventory = Arc::new(Inventory::new());
        inventory.add_product("lamp", 1);
        let other = {
            let inventory = Arc::clone(&inventory);
            thread::spawn(move || inventory.reserve("lamp", 1).is_ok())
        };
        let here = inventory.reserve("lamp", 1).is_ok();
        let there = other.join().unwrap();
        assert_eq!(
            u32::from(here) + u32::from(there),
            1,
            "one lamp on the shelf: exactly one of two orders is confirmed"
        );
        assert_eq!(inventory.row("lamp").unwrap().on_hand, 0, "no lamp is left");
    });
}

#[test]
fn a_delivery_is_never_lost() {
    model(|| {
        let inventory = Arc::new(Inventory::new());
        inventory.add_product("lamp", 1);
        let warehouse = {
            let inventory = Arc::clone(&inventory);
            thread::spawn(move || inventory.restock("lamp", 5).is_ok())
        };
        let ordered = inventory.reserve("lamp", 1).is_ok();
        let delivered = warehouse.join().unwrap();
        assert!(
            ordered && delivered,
            "the order and the delivery both went through"
        );
        assert_eq!(
            inventory.row("lamp").unwrap().on_hand,
            5,
            "1 lamp, 1 sold, 5 delivered: 5 on the shelf"
        );
    });
}
