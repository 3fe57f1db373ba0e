//! Alternative fix: a `OnceLock`, the standard tool for one-time initialisation.

use racelings_sync::{Arc, OnceLock};
use std::collections::HashMap;

/// Setting names and their values, as the config server sends them.
pub type Settings = HashMap<String, String>;

/// Fetches the settings on first use and keeps them for every later caller.
pub struct SettingsCache<F> {
    fetch: F,
    cached: OnceLock<Arc<Settings>>,
}

impl<F: Fn() -> Settings> SettingsCache<F> {
    /// A cache that calls `fetch` when the settings are first needed.
    pub fn new(fetch: F) -> Self {
        SettingsCache {
            fetch,
            cached: OnceLock::new(),
        }
    }

    /// The settings, fetched now if this is the first call.
    pub fn get(&self) -> Arc<Settings> {
        // `get_or_init` runs the closure at most once; callers that arrive meanwhile wait
        // for it and then share its result.
        Arc::clone(self.cached.get_or_init(|| Arc::new((self.fetch)())))
    }
}
