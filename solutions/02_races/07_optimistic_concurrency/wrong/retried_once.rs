//! Wrong fix: `save` now refuses a stale row, and `reserve` retries after a conflict, but
//! only once: a second conflict is reported to the customer as out of stock. Two saves by
//! others while an order is placed (a delivery booked in twice, say) and the order is refused
//! although the units are on the shelf. Retry until the save goes through.
//!
//! The stock levels of a web shop: one versioned row per product, read and saved the way the
//! shop's database rows are, so no lock is held while a checkout or a delivery is processed.
//!
//! Checkout calls `reserve` to take units off the shelf; the warehouse calls `restock` when a
//! delivery arrives. On launch days the shop confirmed more orders than it had units, the
//! last unit of a product was sold twice, and now and then a delivery that the warehouse
//! had booked in was missing from the stock count.
//!
//! Fixed means: whatever runs at the same time, every confirmed reservation and every restock
//! is counted exactly once, and no more units are sold than were on the shelf; a reservation is
//! refused (`OutOfStock`) only for want of units, never because another update got in first.
//! `save` stores a level only over the version of the row it was given, as that row's next
//! version; if the row was saved since (whatever level it now holds), it returns `Conflict`
//! and changes nothing.

use racelings_sync::Mutex;
use std::collections::HashMap;

/// A product's row: units on the shelf, and how many times the row has been saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StockRow {
    pub on_hand: u32,
    pub version: u64,
}

/// Why a reservation or restock did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockError {
    UnknownProduct,
    OutOfStock { on_hand: u32 },
}

/// The row was saved by someone else after it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict;

#[derive(Debug, Default)]
pub struct Inventory {
    rows: Mutex<HashMap<String, StockRow>>,
}

impl Inventory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a product with `on_hand` units on the shelf.
    pub fn add_product(&self, sku: &str, on_hand: u32) {
        let row = StockRow {
            on_hand,
            version: 0,
        };
        self.rows.lock().unwrap().insert(sku.to_string(), row);
    }

    /// The product's row as it is now.
    pub fn row(&self, sku: &str) -> Option<StockRow> {
        self.rows.lock().unwrap().get(sku).copied()
    }

    /// Saves a new stock level for a row read earlier, as that row's next version.
    pub fn save(&self, sku: &str, read: StockRow, on_hand: u32) -> Result<StockRow, Conflict> {
        let mut rows = self.rows.lock().unwrap();
        let row = rows.get_mut(sku).ok_or(Conflict)?;
        // The write only stands if the row is still the version the caller read, checked
        // under the same lock as the write: otherwise someone saved in between, and the new
        // level was worked out from a stale row. `reserve` and `restock` then re-read and
        // retry, so every update is applied to the row as it really is.
        if row.version != read.version {
            return Err(Conflict);
        }
        *row = StockRow {
            on_hand,
            version: read.version + 1,
        };
        Ok(*row)
    }

    /// Takes `units` off the shelf; returns how many are left.
    pub fn reserve(&self, sku: &str, units: u32) -> Result<u32, StockError> {
        // Two tries: a row that changed under us twice is selling out, so tell the customer
        // what is left rather than keep them waiting.
        let mut on_hand = 0;
        for _attempt in 0..2 {
            let row = self.row(sku).ok_or(StockError::UnknownProduct)?;
            if row.on_hand < units {
                return Err(StockError::OutOfStock {
                    on_hand: row.on_hand,
                });
            }
            if let Ok(saved) = self.save(sku, row, row.on_hand - units) {
                return Ok(saved.on_hand);
            }
            on_hand = row.on_hand;
        }
        Err(StockError::OutOfStock { on_hand })
    }

    /// Puts a delivery of `units` on the shelf; returns how many are there now.
    pub fn restock(&self, sku: &str, units: u32) -> Result<u32, StockError> {
        loop {
            let row = self.row(sku).ok_or(StockError::UnknownProduct)?;
            if let Ok(saved) = self.save(sku, row, row.on_hand + units) {
                return Ok(saved.on_hand);
            }
        }
    }
}
