//! Tries: the Release/Acquire pair of a correct fix, plus a fast path for the many request
//! threads: the first reader to see the table published through the Acquire load notes it
//! in a second flag, and later readers that find that note skip the Acquire. But the note is
//! a Relaxed store read by a Relaxed load, which orders nothing: a second reader that trusts
//! it has no happens-before edge to `publish` and can read the table as it was before.
//!
//! The exchange-rate table a pricing service loads once at startup.
//!
//! A loader thread fetches the day's rates and calls `publish`; request threads call `get`
//! and keep using yesterday's rates until it returns a table. On the x86 servers this never
//! misbehaved. Since the move to ARM machines, a few requests right after each deploy priced
//! orders with a table that `get` had returned but that was empty: no currencies, day zero.
//!
//! Why the stress test will most likely pass anyway: it runs on x86, whose memory model (TSO)
//! never reorders a core's stores with its other stores, nor its loads with its other loads,
//! so every core sees another core's writes in the order they were made. Rust promises much
//! less than that; ARM processors and the optimiser both use the room. The loom model checks
//! the code against what Rust promises, and that is the check that counts here.
//!
//! Fixed means: whenever `get` returns a table, on any request thread, it is the whole table
//! that was published, never the empty table from before `publish` nor a part of the new one.

use racelings_sync::atomic::{AtomicBool, Ordering};
use racelings_sync::cell::UnsafeCell;

/// One day's exchange rates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateTable {
    /// Days since 2000-01-01.
    pub day: u32,
    /// Currency code and its rate against the euro, in millionths.
    pub rates: Vec<(&'static str, u64)>,
}

/// Hands the day's rate table from the loader thread to the request threads.
pub struct RateBoard {
    published: AtomicBool,
    /// Set once some reader has seen `published` with an Acquire load.
    confirmed: AtomicBool,
    table: UnsafeCell<RateTable>,
}

// Safety: the table is written once, by `publish`, before `published` is set, and it is only
// read once `published` has been seen set.
unsafe impl Sync for RateBoard {}

impl Default for RateBoard {
    fn default() -> Self {
        Self::new()
    }
}

impl RateBoard {
    /// A board with no table yet.
    pub fn new() -> Self {
        RateBoard {
            published: AtomicBool::new(false),
            confirmed: AtomicBool::new(false),
            table: UnsafeCell::new(RateTable::default()),
        }
    }

    /// Installs the day's table. Called once, by the loader thread.
    pub fn publish(&self, table: RateTable) {
        // Safety: nobody reads the table before `published` is set.
        self.table.with_mut(|slot| unsafe { *slot = table });
        // Release: every write above, the table included, happens-before any Acquire load
        // that reads this `true`. A Relaxed store would let a reader see the flag set and
        // still read the table as it was before `publish`.
        self.published.store(true, Ordering::Release);
    }

    /// The day's table, or `None` while the loader is still at work.
    pub fn get(&self) -> Option<RateTable> {
        // Acquire pairs with the Release in `publish`: seeing `true` here means the table
        // written before it is visible too. Once one reader has confirmed that, the others
        // need not pay for the Acquire again.
        if self.confirmed.load(Ordering::Relaxed) || self.published.load(Ordering::Acquire) {
            self.confirmed.store(true, Ordering::Relaxed);
            // Safety: the table is complete and never written again once `published` is set.
            Some(self.table.with(|slot| unsafe { (*slot).clone() }))
        } else {
            None
        }
    }
}
