//! A freshly started process: every handler asks for the settings at once, on real threads.
#![cfg(not(loom))]

use once_init::{Settings, SettingsCache};
use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, Barrier, stress, thread};
use std::time::Duration;

const HANDLERS: usize = 4;

#[test]
fn settings_are_fetched_once_per_process() {
    stress(
        40,
        |round| {
            let fetches = Arc::new(AtomicUsize::new(0));
            let cache = {
                let fetches = Arc::clone(&fetches);
                Arc::new(SettingsCache::new(move || {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    // A round trip to the config server.
                    std::thread::sleep(Duration::from_millis(2));
                    Settings::from([("round".to_string(), round.to_string())])
                }))
            };
            let start = Arc::new(Barrier::new(HANDLERS));
            let handlers: Vec<_> = (0..HANDLERS)
                .map(|_| {
                    let cache = Arc::clone(&cache);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        cache.get()["round"] == round.to_string()
                    })
                })
                .collect();
            let saw_settings = handlers
                .into_iter()
                .map(|h| h.join().unwrap())
                .filter(|&ok| ok)
                .count();
            (fetches.load(Ordering::SeqCst), saw_settings)
        },
        |&(fetches, saw_settings)| fetches == 1 && saw_settings == HANDLERS,
    );
}
