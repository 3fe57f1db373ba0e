//! Warehouse stock for an online shop: checkout threads reserve items, and when an item runs
//! low a reorder is put on the list the purchasing team works through every morning.
//!
//! Reservations worked fine in every test the team wrote. Then, on the first busy day, the
//! checkout froze: one order after another hung and never came back, starting with the order
//! that took an item down to its last few units.
//!
//! Fixed means: `reserve` always returns, from any number of threads at once. A reservation
//! succeeds exactly when the item has at least `units` units on hand (all of them included),
//! and then takes them off the shelf once; otherwise it returns false and changes nothing.
//! After every successful reservation that leaves an item below `REORDER_LEVEL` units, that
//! item is on the reorder list; an item is never listed twice, however many reservations find
//! it low, and an item no reservation has left below the level is not listed.

use racelings_sync::Mutex;
use std::collections::HashMap;

/// Below this many units on hand, an item is reordered.
pub const REORDER_LEVEL: u32 = 3;

#[derive(Debug, Default)]
struct Stock {
    on_hand: HashMap<String, u32>,
    reorders: Vec<String>,
}

/// Units on hand per item, and the items waiting to be reordered.
#[derive(Debug, Default)]
pub struct Inventory {
    stock: Mutex<Stock>,
}

impl Inventory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `units` of `item` to the shelves.
    pub fn receive(&self, item: &str, units: u32) {
        let mut stock = self.stock.lock().unwrap();
        *stock.on_hand.entry(item.to_string()).or_insert(0) += units;
    }

    /// Takes `units` of `item` off the shelves for an order; false if there are not enough.
    pub fn reserve(&self, item: &str, units: u32) -> bool {
        let mut stock = self.stock.lock().unwrap();
        let Some(on_hand) = stock.on_hand.get_mut(item) else {
            return false;
        };
        if *on_hand < units {
            return false;
        }
        *on_hand -= units;
        if *on_hand < REORDER_LEVEL {
            self.request_reorder(item);
        }
        true
    }

    /// Puts `item` on the reorder list, unless it is already there.
    fn request_reorder(&self, item: &str) {
        let mut stock = self.stock.lock().unwrap();
        if !stock.reorders.iter().any(|listed| listed == item) {
            stock.reorders.push(item.to_string());
        }
    }

    /// Units of `item` on hand.
    pub fn on_hand(&self, item: &str) -> u32 {
        let stock = self.stock.lock().unwrap();
        stock.on_hand.get(item).copied().unwrap_or(0)
    }

    /// The items waiting to be reordered, oldest first.
    pub fn reorders(&self) -> Vec<String> {
        self.stock.lock().unwrap().reorders.clone()
    }
}
