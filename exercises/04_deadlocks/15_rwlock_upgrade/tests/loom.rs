//! First requests arriving at once, under every interleaving loom explores.
#![cfg(loom)]

use racelings_sync::{Arc, model, thread};
use rwlock_upgrade::SessionStore;

#[test]
fn one_user_gets_one_session() {
    model(|| {
        let store = Arc::new(SessionStore::new());
        let other = {
            let store = Arc::clone(&store);
            thread::spawn(move || store.session_for("ada"))
        };
        let mine = store.session_for("ada");
        let theirs = other.join().unwrap();
        assert_eq!(mine, theirs, "both of ada's requests got the same session");
        assert_eq!(store.session_for("ada"), mine, "ada's session stays open");
        assert_eq!(store.open_sessions(), 1, "one session is open");
    });
}

/// The first requests of two different users at once: each user gets a session of their
/// own, and each keeps it.
#[test]
fn two_users_get_two_sessions() {
    model(|| {
        let store = Arc::new(SessionStore::new());
        let other = {
            let store = Arc::clone(&store);
            thread::spawn(move || store.session_for("bob"))
        };
        let ada = store.session_for("ada");
        let bob = other.join().unwrap();
        assert_ne!(ada, bob, "ada and bob got different sessions");
        assert_eq!(store.session_for("ada"), ada, "ada's session stays open");
        assert_eq!(store.session_for("bob"), bob, "bob's session stays open");
        assert_eq!(store.open_sessions(), 2, "two sessions are open");
    });
}
