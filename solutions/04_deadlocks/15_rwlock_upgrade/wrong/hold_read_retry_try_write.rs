//! Tries: keep the read guard and retry `try_write` in a loop until it succeeds, on the idea
//! that `try_write` never blocks, so it cannot deadlock the way `write` does. But the write
//! lock is free only when no reader holds the lock, and this thread is one of the readers:
//! each request spins for ever, waiting for a guard it holds itself, and two first requests
//! at once each wait for the other's guard as well (a livelock instead of a deadlock).
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

use racelings_sync::atomic::{AtomicU64, Ordering};
use racelings_sync::{RwLock, thread};
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
        // Don't block on the write lock while reading: `write` would wait for our own read
        // guard. Keep trying until the write lock is free, then look again under it and keep
        // the session that is there.
        loop {
            if let Ok(mut sessions) = self.sessions.try_write() {
                return *sessions
                    .entry(user.to_string())
                    .or_insert_with(|| SessionId(self.next_id.fetch_add(1, Ordering::Relaxed)));
            }
            thread::yield_now();
        }
    }

    /// How many sessions are open.
    pub fn open_sessions(&self) -> usize {
        self.sessions.read().unwrap().len()
    }
}
