//! One worker waiting for the settings while the loader publishes them, under every
//! interleaving loom explores, and once more with a wakeup nobody sent.
#![cfg(loom)]

use lost_wakeup::{Settings, SettingsSlot};
use racelings_sync::{Arc, model, thread};

#[test]
fn worker_gets_the_settings_whenever_they_are_published() {
    model(|| {
        let slot = Arc::new(SettingsSlot::new());
        let worker = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || slot.wait_loaded())
        };
        let settings = Settings {
            listen_port: 8080,
            pool_size: 16,
        };
        slot.publish(settings.clone());
        let started_with = worker.join().unwrap();
        assert_eq!(
            started_with, settings,
            "the worker started with the settings the loader published"
        );
    });
}
