//! Wrong fix: double-checked locking by hand. A `ready` flag lets later handlers skip the
//! lock; the first handler fetches under the lock and then sets the flag. But the flag is
//! set and read with `Relaxed`: a handler that sees it set is not promised to see the
//! settings written before it, and reads the slot while it may still be empty or half
//! written.
//!
//! The service's settings, fetched once from the central config server and then cached.
//!
//! Every request handler calls `get`; the first call fetches the settings, every later call
//! should reuse them. After each deploy the config server's logs showed the new processes
//! fetching their settings two, three, sometimes four times within the same second, and the
//! config server's rate limiter started rejecting deploys of the larger services.
//!
//! Fixed means: `fetch` runs exactly once per cache, however many handlers call `get` and
//! however many of them call it at the same moment; every call to `get`, whether it comes while
//! that fetch is under way or long after it, returns the settings that one fetch returned, even
//! when they are empty.

use racelings_sync::atomic::{AtomicBool, Ordering};
use racelings_sync::cell::UnsafeCell;
use racelings_sync::{Arc, Mutex};
use std::collections::HashMap;

/// Setting names and their values, as the config server sends them.
pub type Settings = HashMap<String, String>;

/// Fetches the settings on first use and keeps them for every later caller.
pub struct SettingsCache<F> {
    fetch: F,
    ready: AtomicBool,
    fetching: Mutex<()>,
    slot: UnsafeCell<Option<Arc<Settings>>>,
}

// Safety: `slot` is written once, under `fetching`, before `ready` is set.
unsafe impl<F: Sync> Sync for SettingsCache<F> {}

impl<F: Fn() -> Settings> SettingsCache<F> {
    /// A cache that calls `fetch` when the settings are first needed.
    pub fn new(fetch: F) -> Self {
        SettingsCache {
            fetch,
            ready: AtomicBool::new(false),
            fetching: Mutex::new(()),
            slot: UnsafeCell::new(None),
        }
    }

    /// The settings, fetched now if this is the first call.
    pub fn get(&self) -> Arc<Settings> {
        if !self.ready.load(Ordering::Relaxed) {
            let _fetching = self.fetching.lock().unwrap();
            if !self.ready.load(Ordering::Relaxed) {
                let settings = Arc::new((self.fetch)());
                // Safety: only the holder of `fetching` writes, and only before `ready`.
                self.slot.with_mut(|slot| unsafe { *slot = Some(settings) });
                self.ready.store(true, Ordering::Relaxed);
            }
        }
        // Safety: `ready` is set, so the slot is filled and never written again.
        self.slot
            .with(|slot| unsafe { (*slot).clone() })
            .expect("ready means filled")
    }
}
