//! Correct: an AtomicBool lets a worker that comes late skip the wait, but publish stores it
//! (Release) under the lock and only after the settings; a waiting worker re-checks it under
//! the lock, so publish cannot raise it and notify between a worker's check and its wait.
//! Hands the service's settings from the loader thread to the workers at startup.
//!
//! At startup the service spawns its workers and a loader thread that reads the settings
//! file; each worker calls `wait_loaded` and starts serving with the settings it returns.
//! Most mornings that worked. Some mornings a worker never came up at all: it sat in
//! `wait_loaded` long after the settings had been loaded. And on days the disk was slow, a
//! worker now and then started listening on port 0 with no database connections, as if the
//! settings file had been empty.
//!
//! Fixed means: every call to `wait_loaded`, by any number of workers and as often as they
//! like, returns exactly the settings `publish` was given (whatever they hold, values equal
//! to `Settings::default()` included), whether `publish` ran before or after the call, and
//! blocks only until `publish` has run.

use racelings_sync::atomic::{AtomicBool, Ordering};
use racelings_sync::{Condvar, Mutex};

/// What a worker needs to start serving.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub listen_port: u16,
    pub pool_size: usize,
}

/// Where the loader leaves the settings for the workers; written once.
#[derive(Default)]
pub struct SettingsSlot {
    settings: Mutex<Settings>,
    is_loaded: AtomicBool,
    loaded: Condvar,
}

impl SettingsSlot {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores the loaded settings and wakes every worker waiting for them.
    pub fn publish(&self, settings: Settings) {
        let mut slot = self.settings.lock().unwrap();
        *slot = settings;
        self.is_loaded.store(true, Ordering::Release);
        drop(slot);
        self.loaded.notify_all();
    }

    /// Blocks until the loader has published the settings, then returns them.
    pub fn wait_loaded(&self) -> Settings {
        if self.is_loaded.load(Ordering::Acquire) {
            return self.settings.lock().unwrap().clone();
        }
        let mut slot = self.settings.lock().unwrap();
        while !self.is_loaded.load(Ordering::Relaxed) {
            slot = self.loaded.wait(slot).unwrap();
        }
        slot.clone()
    }
}
