//! Wrong fix: drop the read guard, take the write lock, and insert the new session only if the
//! user still has none.
//! Fails: the look under the write lock keeps the store right, but the request returns the id
//! it drew even when another request of the user opened a session first: the two requests get
//! different ids, and one of them belongs to no stored session.
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
        {
            let sessions = self.sessions.read().unwrap();
            if let Some(&id) = sessions.get(user) {
                return id;
            }
        }
        // The read guard is gone before we ask for the write lock. Another request of this
        // user may have opened a session in between, so only insert if there still is none.
        let id = SessionId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let mut sessions = self.sessions.write().unwrap();
        if !sessions.contains_key(user) {
            sessions.insert(user.to_string(), id);
        }
        id
    }

    /// How many sessions are open.
    pub fn open_sessions(&self) -> usize {
        self.sessions.read().unwrap().len()
    }
}
