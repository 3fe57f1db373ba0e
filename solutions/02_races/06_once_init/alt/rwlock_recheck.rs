//! Alternative fix: readers share a read lock on the fast path; a handler that finds the
//! cache empty takes the write lock and checks again before fetching (double-checked locking).

use racelings_sync::{Arc, RwLock};
use std::collections::HashMap;

/// Setting names and their values, as the config server sends them.
pub type Settings = HashMap<String, String>;

/// Fetches the settings on first use and keeps them for every later caller.
pub struct SettingsCache<F> {
    fetch: F,
    cached: RwLock<Option<Arc<Settings>>>,
}

impl<F: Fn() -> Settings> SettingsCache<F> {
    /// A cache that calls `fetch` when the settings are first needed.
    pub fn new(fetch: F) -> Self {
        SettingsCache {
            fetch,
            cached: RwLock::new(None),
        }
    }

    /// The settings, fetched now if this is the first call.
    pub fn get(&self) -> Arc<Settings> {
        if let Some(settings) = self.cached.read().unwrap().as_ref() {
            return Arc::clone(settings);
        }
        // Another handler may have filled the cache between our read lock and this write
        // lock: look again while holding the write lock, and fetch only if it is still empty.
        let mut cached = self.cached.write().unwrap();
        Arc::clone(cached.get_or_insert_with(|| Arc::new((self.fetch)())))
    }
}
