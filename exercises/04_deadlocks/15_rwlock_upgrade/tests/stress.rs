//! Requests from many users arriving on several threads at once, on real threads.
#![cfg(not(loom))]

use racelings_sync::{Arc, Barrier, stress::Stress, thread};
use rwlock_upgrade::SessionStore;
use std::time::Duration;

const REQUEST_THREADS: usize = 4;
const USERS: usize = 50;

#[test]
fn each_user_gets_one_session() {
    Stress::new(100).round_timeout(Duration::from_secs(1)).run(
        |_round| {
            let store = Arc::new(SessionStore::new());
            let start = Arc::new(Barrier::new(REQUEST_THREADS));
            let requests: Vec<_> = (0..REQUEST_THREADS)
                .map(|t| {
                    let store = Arc::clone(&store);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        // Every thread sees every user, each starting at a different one.
                        (0..USERS)
                            .map(|n| (n + t * USERS / REQUEST_THREADS) % USERS)
                            .map(|user| (user, store.session_for(&format!("user{user}"))))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut seen = vec![Vec::new(); USERS];
            for request in requests {
                for (user, id) in request.join().unwrap() {
                    seen[user].push(id);
                }
            }
            let users_with_two_sessions = seen
                .iter()
                .filter(|ids| ids.iter().any(|id| *id != ids[0]))
                .count();
            (users_with_two_sessions, store.open_sessions())
        },
        |&(users_with_two_sessions, open)| users_with_two_sessions == 0 && open == USERS,
    );
}
