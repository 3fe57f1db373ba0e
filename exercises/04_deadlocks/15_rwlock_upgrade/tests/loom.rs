//! Two first requests of the same user at once, under every interleaving loom explores.
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
