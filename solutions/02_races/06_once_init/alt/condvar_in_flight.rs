//! Alternative fix: the cache remembers that a fetch is in flight. The first handler marks
//! it so under the lock and fetches without holding it; handlers that arrive meanwhile wait
//! on a condition variable, in a `while` loop, until the settings are in, and the fetching
//! handler wakes all of them once it has stored them.
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

use racelings_sync::{Arc, Condvar, Mutex};
use std::collections::HashMap;

/// Setting names and their values, as the config server sends them.
pub type Settings = HashMap<String, String>;

/// Where the one fetch has got to.
enum Fetch {
    NotStarted,
    InFlight,
    Done(Arc<Settings>),
}

/// Fetches the settings on first use and keeps them for every later caller.
pub struct SettingsCache<F> {
    fetch: F,
    state: Mutex<Fetch>,
    fetched: Condvar,
}

impl<F: Fn() -> Settings> SettingsCache<F> {
    /// A cache that calls `fetch` when the settings are first needed.
    pub fn new(fetch: F) -> Self {
        SettingsCache {
            fetch,
            state: Mutex::new(Fetch::NotStarted),
            fetched: Condvar::new(),
        }
    }

    /// The settings, fetched now if this is the first call.
    pub fn get(&self) -> Arc<Settings> {
        let mut state = self.state.lock().unwrap();
        while let Fetch::InFlight = *state {
            state = self.fetched.wait(state).unwrap();
        }
        if let Fetch::Done(settings) = &*state {
            return Arc::clone(settings);
        }
        // Claimed under the same lock that saw `NotStarted`: nobody else fetches now.
        *state = Fetch::InFlight;
        drop(state);
        let settings = Arc::new((self.fetch)());
        *self.state.lock().unwrap() = Fetch::Done(Arc::clone(&settings));
        // Every handler waiting meanwhile waits for these same settings: wake them all.
        self.fetched.notify_all();
        settings
    }
}
