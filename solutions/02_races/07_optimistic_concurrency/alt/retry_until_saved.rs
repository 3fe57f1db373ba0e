//! Alternative fix: `save` matches on the stored row and writes only over the version it
//! was given; `reserve` and `restock` share one helper that reads, works out the new level
//! and saves, starting over from a fresh read for as long as the save reports a `Conflict`.
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
        match self.rows.lock().unwrap().get_mut(sku) {
            // Compared and written under one guard: nobody saves in between.
            Some(row) if *row == read => {
                *row = StockRow {
                    on_hand,
                    version: row.version + 1,
                };
                Ok(*row)
            }
            _ => Err(Conflict),
        }
    }

    /// Takes `units` off the shelf; returns how many are left.
    pub fn reserve(&self, sku: &str, units: u32) -> Result<u32, StockError> {
        self.update_until_saved(sku, |on_hand| {
            on_hand
                .checked_sub(units)
                .ok_or(StockError::OutOfStock { on_hand })
        })
    }

    /// Puts a delivery of `units` on the shelf; returns how many are there now.
    pub fn restock(&self, sku: &str, units: u32) -> Result<u32, StockError> {
        self.update_until_saved(sku, |on_hand| Ok(on_hand + units))
    }

    /// Reads the row, works out its new level and saves it; after a `Conflict` the level is
    /// worked out again from the row as it is now, so `change` sees every save before its own.
    fn update_until_saved(
        &self,
        sku: &str,
        change: impl Fn(u32) -> Result<u32, StockError>,
    ) -> Result<u32, StockError> {
        loop {
            let read = self.row(sku).ok_or(StockError::UnknownProduct)?;
            let on_hand = change(read.on_hand)?;
            match self.save(sku, read, on_hand) {
                Ok(saved) => return Ok(saved.on_hand),
                Err(Conflict) => continue,
            }
        }
    }
}
