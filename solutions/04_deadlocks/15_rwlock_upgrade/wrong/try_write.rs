//! Wrong fix: `try_write` instead of `write`, skipping the insert when the lock is busy.
//! Fails: this thread still holds the read guard, so `try_write` always finds the lock
//! busy; no session is ever stored and every request of a user opens a new one.
//!
//! Login sessions for a web service: every request asks for its user's session id.
//!
//! Nearly every request comes from a user who already has a session, so the store sits
//! behind an `RwLock`: lookups share the read lock and run side by side, and only a user's
//! first request opens a session. The store passed its tests with users whose sessions were
//! set up beforehand. In production the whole service froze within seconds of the first
//! login of a user nobody had seen yet, and every request after it hung as well.
//!
//! Fixed means: `session_for` always returns, from any number of threads at once. Every
//! request of the same user, however many arrive at once, gets the same session id; requests
//! of different users get different ids; and `open_sessions` counts one session for each user
//! who has asked.

use racelings_sync::RwLock;
use racelings_sync::atomic::{AtomicU64, Ordering};
use std::collections::HashMap;

/// Identifies one open session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub u64);

/// The open session of every user who has logged in.
pub struct SessionStore {
    sessions: RwLock<HashMap<String, SessionId>>,
    next_id: AtomicU64,
}

impl Default for SessionStore {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionStore {
    pub fn new() -> Self {
        SessionStore {
            sessions: RwLock::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        }
    }

    /// The session of `user`, opening one if the user has none yet.
    pub fn session_for(&self, user: &str) -> SessionId {
        let sessions = self.sessions.read().unwrap();
        if let Some(&id) = sessions.get(user) {
            return id;
        }
        let id = SessionId(self.next_id.fetch_add(1, Ordering::Relaxed));
        // Don't block on the write lock; if it is busy, the session is stored next time.
        if let Ok(mut sessions) = self.sessions.try_write() {
            sessions.insert(user.to_string(), id);
        }
        id
    }

    /// How many sessions are open.
    pub fn open_sessions(&self) -> usize {
        self.sessions.read().unwrap().len()
    }
}
