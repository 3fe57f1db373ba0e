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

use racelings_sync::{Arc, Mutex};
use std::collections::HashMap;

/// Setting names and their values, as the config server sends them.
pub type Settings = HashMap<String, String>;

/// Fetches the settings on first use and keeps them for every later caller.
pub struct SettingsCache<F> {
    fetch: F,
    cached: Mutex<Option<Arc<Settings>>>,
}

impl<F: Fn() -> Settings> SettingsCache<F> {
    /// A cache that calls `fetch` when the settings are first needed.
    pub fn new(fetch: F) -> Self {
        SettingsCache {
            fetch,
            cached: Mutex::new(None),
        }
    }

    /// The settings, fetched now if this is the first call.
    pub fn get(&self) -> Arc<Settings> {
        // One guard covers the check and the fetch: a handler that finds the cache empty
        // keeps it locked until the settings are in, so the others wait and then find them
        // instead of fetching again. Checking and filling are one step.
        let mut cached = self.cached.lock().unwrap();
        let settings = cached.get_or_insert_with(|| Arc::new((self.fetch)()));
        Arc::clone(settings)
    }
}
