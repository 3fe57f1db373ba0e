//! Writers on one product row, under every interleaving loom explores.
#![cfg(loom)]

use optimistic_concurrency::{Conflict, Inventory, StockRow};
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

#[test]
fn an_order_outlasts_any_number_of_conflicts() {
    // Deliveries come in at two loading bays while one order is placed: the order can lose
    // the race to a save twice in a row, and must still go through, since a lamp is there.
    model(|| {
        let inventory = Arc::new(Inventory::new());
        inventory.add_product("lamp", 1);
        let bays = [1, 2].map(|_| {
            let inventory = Arc::clone(&inventory);
            thread::spawn(move || inventory.restock("lamp", 1).is_ok())
        });
        let ordered = inventory.reserve("lamp", 1);
        let delivered = bays.map(|bay| bay.join().unwrap());
        assert!(
            ordered.is_ok(),
            "a lamp was on the shelf all along, yet the order was refused: {ordered:?}"
        );
        assert_eq!(delivered, [true, true], "both deliveries were booked in");
        assert_eq!(
            inventory.row("lamp").unwrap().on_hand,
            2,
            "1 lamp, 1 sold, 2 delivered: 2 on the shelf"
        );
    });
}

#[test]
fn of_two_saves_over_one_version_only_one_stands() {
    // Two clerks correct the stock count from the same row: the second save must be refused,
    // not written over the first.
    model(|| {
        let inventory = Arc::new(Inventory::new());
        inventory.add_product("lamp", 4);
        let read = inventory.row("lamp").unwrap();
        let other = {
            let inventory = Arc::clone(&inventory);
            thread::spawn(move || inventory.save("lamp", read, 7))
        };
        let here = inventory.save("lamp", read, 9);
        let there = other.join().unwrap();
        let now = inventory.row("lamp").unwrap();
        let expected_row = StockRow {
            on_hand: 0,
            version: read.version + 1,
        };
        match (here, there) {
            (Ok(saved), Err(Conflict)) => {
                assert_eq!(
                    saved,
                    StockRow {
                        on_hand: 9,
                        ..expected_row
                    }
                );
                assert_eq!(now, saved, "the save that stood is the row now");
            }
            (Err(Conflict), Ok(saved)) => {
                assert_eq!(
                    saved,
                    StockRow {
                        on_hand: 7,
                        ..expected_row
                    }
                );
                assert_eq!(now, saved, "the save that stood is the row now");
            }
            outcome => panic!(
                "two saves over version {}: exactly one must stand, got {outcome:?} (row now {now:?})",
                read.version
            ),
        }
    });
}

#[test]
fn a_row_saved_since_is_a_conflict_even_at_the_same_level() {
    // One clerk at a time: a row read before a delivery and a sale is out of date, although
    // the shelf holds as many units as when it was read.
    model(|| {
        let inventory = Inventory::new();
        inventory.add_product("lamp", 3);
        let read = inventory.row("lamp").unwrap();
        assert_eq!(inventory.restock("lamp", 1), Ok(4));
        assert_eq!(inventory.reserve("lamp", 1), Ok(3));
        let now = inventory.row("lamp").unwrap();
        assert_eq!(now.on_hand, read.on_hand);
        assert_ne!(now.version, read.version, "every save makes a new version");
        assert_eq!(
            inventory.save("lamp", read, 0),
            Err(Conflict),
            "a save over a row saved twice since was not refused"
        );
        assert_eq!(
            inventory.row("lamp"),
            Some(now),
            "a refused save changed the row"
        );
        let saved = inventory
            .save("lamp", now, 2)
            .expect("a save over the current row");
        assert_eq!(saved.on_hand, 2);
        assert_eq!(inventory.row("lamp"), Some(saved));
        assert_eq!(
            inventory.reserve("lamp", 3),
            Err(optimistic_concurrency::StockError::OutOfStock { on_hand: 2 })
        );
    });
}
