//! Wrong fix: the first handler claims the cache by storing empty settings in it, under the
//! same lock that found it empty, and replaces them once the fetch returns. Nobody fetches
//! twice any more, but a handler that comes during the fetch gets the empty placeholder, not
//! the settings: waiting for the fetch is part of the job.
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
        {
            let mut cached = self.cached.lock().unwrap();
            if let Some(settings) = cached.as_ref() {
                return Arc::clone(settings);
            }
            // Claim the cache so that the others do not fetch too.
            *cached = Some(Arc::new(Settings::new()));
        }
        let settings = Arc::new((self.fetch)());
        *self.cached.lock().unwrap() = Some(Arc::clone(&settings));
        settings
    }
}
