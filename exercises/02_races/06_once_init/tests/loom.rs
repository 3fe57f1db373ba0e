//! Two handlers asking for the settings at once, under every interleaving loom explores.
#![cfg(loom)]

use once_init::{Settings, SettingsCache};
use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, model, thread};

#[test]
fn settings_are_fetched_once() {
    model(|| {
        let fetches = Arc::new(AtomicUsize::new(0));
        let cache = {
            let fetches = Arc::clone(&fetches);
            Arc::new(SettingsCache::new(move || {
                fetches.fetch_add(1, Ordering::SeqCst);
                Settings::from([("region".to_string(), "eu-west-1".to_string())])
            }))
        };
        let other = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || cache.get()["region"].clone())
        };
        let here = cache.get()["region"].clone();
        let there = other.join().unwrap();
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            1,
            "the settings were fetched once"
        );
        assert_eq!((here.as_str(), there.as_str()), ("eu-west-1", "eu-west-1"));
    });
}
