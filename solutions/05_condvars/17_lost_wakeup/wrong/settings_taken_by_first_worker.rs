//! Wrong: the settings as an `Option`, waited for with `wait_while`, then moved out with
//! `take` rather than cloned: the first worker gets them, and every later call finds `None`
//! again and waits for a loader that will never publish twice.
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

/// Where the loader leaves the settings for the workers; written once.
#[derive(Default)]
pub struct SettingsSlot {
    settings: Mutex<Option<Settings>>,
    loaded: Condvar,
}

impl SettingsSlot {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores the loaded settings and wakes every worker waiting for them.
    pub fn publish(&self, settings: Settings) {
        let mut slot = self.settings.lock().unwrap();
        *slot = Some(settings);
        self.loaded.notify_all();
    }

    /// Blocks until the loader has published the settings, then returns them.
    pub fn wait_loaded(&self) -> Settings {
        let slot = self.settings.lock().unwrap();
        let mut slot = self.loaded.wait_while(slot, |s| s.is_none()).unwrap();
        slot.take()
            .expect("wait_while returned, so the settings are there")
    }
}
