//! Correct: publish raises a loaded flag and wakes one worker; every worker that leaves
//! wait_loaded wakes one more, so the wakeup is passed down the line of waiting workers. A
//! worker that finds the flag raised never waits, and the flag, set under the lock, is checked
//! under it before every wait.
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

use racelings_sync::{Condvar, Mutex};

/// What a worker needs to start serving.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub listen_port: u16,
    pub pool_size: usize,
}

#[derive(Default)]
struct Slot {
    settings: Settings,
    loaded: bool,
}

/// Where the loader leaves the settings for the workers; written once.
#[derive(Default)]
pub struct SettingsSlot {
    slot: Mutex<Slot>,
    loaded: Condvar,
}

impl SettingsSlot {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores the loaded settings and wakes every worker waiting for them.
    pub fn publish(&self, settings: Settings) {
        let mut slot = self.slot.lock().unwrap();
        slot.settings = settings;
        slot.loaded = true;
        self.loaded.notify_one();
    }

    /// Blocks until the loader has published the settings, then returns them.
    pub fn wait_loaded(&self) -> Settings {
        let mut slot = self.slot.lock().unwrap();
        while !slot.loaded {
            slot = self.loaded.wait(slot).unwrap();
        }
        self.loaded.notify_one();
        slot.settings.clone()
    }
}
