//! Handlers asking a cold cache for the settings at once, under every interleaving loom
//! explores. Each fetch returns settings of its own (its generation), so a handler that got
//! a second fetch's settings, or none at all, shows up as well as a second fetch does.
#![cfg(loom)]

use once_init::{Settings, SettingsCache};
use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, model, thread};

/// A cache whose fetches are counted; fetch number `n` returns `generation = n`.
fn counted_cache() -> (Arc<AtomicUsize>, Arc<SettingsCache<impl Fn() -> Settings>>) {
    let fetches = Arc::new(AtomicUsize::new(0));
    let cache = {
        let fetches = Arc::clone(&fetches);
        SettingsCache::new(move || {
            let generation = fetches.fetch_add(1, Ordering::SeqCst) + 1;
            Settings::from([("generation".to_string(), generation.to_string())])
        })
    };
    (fetches, Arc::new(cache))
}

/// The generation of the settings a handler got, or `None` if they had no such setting.
fn generation_seen(settings: &Settings) -> Option<String> {
    settings.get("generation").cloned()
}

fn spawn_handler(
    cache: &Arc<SettingsCache<impl Fn() -> Settings + Send + Sync + 'static>>,
) -> thread::JoinHandle<Option<String>> {
    let cache = Arc::clone(cache);
    thread::spawn(move || generation_seen(&cache.get()))
}

#[test]
fn settings_are_fetched_once() {
    model(|| {
        let (fetches, cache) = counted_cache();
        let other = spawn_handler(&cache);
        let here = generation_seen(&cache.get());
        let there = other.join().unwrap();
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            1,
            "two handlers at once: the settings were fetched once"
        );
        let first = Some("1".to_string());
        assert_eq!(
            (&here, &there),
            (&first, &first),
            "both handlers got the settings of the one fetch"
        );
        // A handler that comes later still gets them, without a new fetch.
        let later = generation_seen(&cache.get());
        assert_eq!(later, first, "a later call got the cached settings");
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            1,
            "a later call fetched again"
        );
    });
}

#[test]
fn three_handlers_share_one_fetch() {
    // Two handlers wait while a third fetches: whatever wakes the waiters must wake both.
    model(|| {
        let (fetches, cache) = counted_cache();
        let handlers = [spawn_handler(&cache), spawn_handler(&cache)];
        let here = generation_seen(&cache.get());
        let there: Vec<_> = handlers.map(|h| h.join().unwrap()).into_iter().collect();
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            1,
            "three handlers at once: the settings were fetched once"
        );
        let first = Some("1".to_string());
        assert_eq!(
            (&here, &there[0], &there[1]),
            (&first, &first, &first),
            "all three handlers got the settings of the one fetch"
        );
    });
}

#[test]
fn an_empty_answer_is_cached_too() {
    // A service with no settings of its own gets an empty map back: that is an answer too,
    // and a later call must not ask the config server again.
    model(|| {
        let fetches = Arc::new(AtomicUsize::new(0));
        let cache = {
            let fetches = Arc::clone(&fetches);
            Arc::new(SettingsCache::new(move || {
                fetches.fetch_add(1, Ordering::SeqCst);
                Settings::new()
            }))
        };
        let other = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || cache.get().len())
        };
        let here = cache.get().len();
        let there = other.join().unwrap();
        let later = cache.get().len();
        assert_eq!(
            (here, there, later),
            (0, 0, 0),
            "every call got no settings"
        );
        assert_eq!(
            fetches.load(Ordering::SeqCst),
            1,
            "an empty answer was fetched again"
        );
    });
}
