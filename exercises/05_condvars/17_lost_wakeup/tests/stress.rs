//! Workers waiting for the settings while the loader publishes them, sometimes at once and
//! sometimes after a slow read, on real threads.
#![cfg(not(loom))]

use lost_wakeup::{Settings, SettingsSlot};
use racelings_sync::{Arc, Barrier, stress::Stress, thread};
use std::time::Duration;

const WORKERS: usize = 3;

fn loaded() -> Settings {
    Settings {
        listen_port: 8080,
        pool_size: 16,
    }
}

#[test]
fn every_worker_starts_with_the_loaded_settings() {
    Stress::new(40).round_timeout(Duration::from_secs(1)).run(
        |round| {
            let slot = Arc::new(SettingsSlot::new());
            let start = Arc::new(Barrier::new(WORKERS + 1));
            let workers: Vec<_> = (0..WORKERS)
                .map(|_| {
                    let slot = Arc::clone(&slot);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        slot.wait_loaded()
                    })
                })
                .collect();
            start.wait();
            // Every other round the disk is slow and the workers are already waiting.
            if round % 2 == 1 {
                std::thread::sleep(Duration::from_millis(4));
            }
            slot.publish(loaded());
            let started_with: Vec<Settings> =
                workers.into_iter().map(|w| w.join().unwrap()).collect();
            started_with
                .iter()
                .filter(|s| **s != loaded())
                .cloned()
                .collect::<Vec<_>>()
        },
        |started_with_wrong_settings| started_with_wrong_settings.is_empty(),
    );
}
