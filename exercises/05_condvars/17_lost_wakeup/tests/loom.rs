//! Workers waiting for the settings while the loader publishes them, under every
//! interleaving loom explores, and once more with a wakeup nobody sent: one worker; two
//! workers, one of which asks twice; three workers; and a loader whose settings equal the
//! defaults.
#![cfg(loom)]

use lost_wakeup::{Settings, SettingsSlot};
use racelings_sync::{Arc, model, thread};

fn loaded() -> Settings {
    Settings {
        listen_port: 8080,
        pool_size: 16,
    }
}

#[test]
fn worker_gets_the_settings_whenever_they_are_published() {
    model(|| {
        let slot = Arc::new(SettingsSlot::new());
        let worker = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || slot.wait_loaded())
        };
        slot.publish(loaded());
        let started_with = worker.join().unwrap();
        assert_eq!(
            started_with,
            loaded(),
            "the worker started with the settings the loader published"
        );
    });
}

/// Two workers may both be waiting when the loader publishes; the second one asks again
/// later (as a worker does when it restarts its listener) and must get the same answer.
#[test]
fn every_worker_gets_the_settings_every_time_it_asks() {
    model(|| {
        let slot = Arc::new(SettingsSlot::new());
        let first = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || vec![slot.wait_loaded()])
        };
        let second = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || vec![slot.wait_loaded(), slot.wait_loaded()])
        };
        slot.publish(loaded());
        for (worker, calls) in [(first, 1), (second, 2)] {
            assert_eq!(
                worker.join().unwrap(),
                vec![loaded(); calls],
                "every call to wait_loaded returned the settings the loader published"
            );
        }
    });
}

/// Three workers may all be waiting when the loader publishes: waking some of them (one,
/// two, any fixed number short of all) leaves a worker that never comes up.
#[test]
fn three_waiting_workers_all_start() {
    model(|| {
        let slot = Arc::new(SettingsSlot::new());
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let slot = Arc::clone(&slot);
                thread::spawn(move || slot.wait_loaded())
            })
            .collect();
        slot.publish(loaded());
        for worker in workers {
            assert_eq!(
                worker.join().unwrap(),
                loaded(),
                "every worker started with the settings the loader published"
            );
        }
    });
}

/// Settings equal to `Settings::default()` (port 0: any free port) are settings too.
#[test]
fn settings_equal_to_the_defaults_are_delivered_too() {
    model(|| {
        let slot = Arc::new(SettingsSlot::new());
        let worker = {
            let slot = Arc::clone(&slot);
            thread::spawn(move || slot.wait_loaded())
        };
        slot.publish(Settings::default());
        assert_eq!(
            worker.join().unwrap(),
            Settings::default(),
            "the worker started with the settings the loader published"
        );
    });
}
