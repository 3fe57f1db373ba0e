//! Tries: one atomic counter per candidate in an `RwLock`ed map; a new candidate is added
//! under the write lock, and a vote for a known one is counted under the shared read lock
//! with a load and a store. The read lock keeps the map from changing, not the counters: two
//! threads counting votes for the same known candidate can both load the same count and one
//! vote is lost. It takes a box with a second ballot for a candidate to get there.
//!
//! Election night: every polling station's ballot box is counted on its own thread.
//!
//! `count_ballots` started life counting the boxes one after another. Counting them in
//! parallel was meant to get the results out before midnight, but that version never
//! shipped: it does not build. The compiler refuses to let the counting threads share the
//! running tally.
//!
//! Fixed means: it builds, and however the counting threads interleave, the tally gives every
//! candidate named on a ballot the number of ballots naming them across all the boxes, one
//! vote per ballot, and names nobody else (no boxes at all give an empty tally).

use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, RwLock, thread};
use std::collections::HashMap;

/// Votes per candidate.
pub type Tally = HashMap<String, usize>;

/// The ballots from one polling station, one candidate's name per ballot.
#[derive(Debug, Clone)]
pub struct BallotBox {
    pub station: String,
    pub ballots: Vec<String>,
}

/// Counts every box on its own thread and returns the votes per candidate.
pub fn count_ballots(boxes: Vec<BallotBox>) -> Tally {
    let tally: Arc<RwLock<HashMap<String, AtomicUsize>>> = Arc::new(RwLock::new(HashMap::new()));
    let counters: Vec<_> = boxes
        .into_iter()
        .map(|ballot_box| {
            let tally = Arc::clone(&tally);
            thread::spawn(move || {
                for candidate in ballot_box.ballots {
                    if let Some(votes) = tally.read().unwrap().get(&candidate) {
                        let seen = votes.load(Ordering::Relaxed);
                        votes.store(seen + 1, Ordering::Relaxed);
                        continue;
                    }
                    tally
                        .write()
                        .unwrap()
                        .entry(candidate)
                        .or_insert_with(|| AtomicUsize::new(0))
                        .fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for counter in counters {
        counter.join().unwrap();
    }
    let counted = tally.read().unwrap();
    counted
        .iter()
        .map(|(candidate, votes)| (candidate.clone(), votes.load(Ordering::Relaxed)))
        .collect()
}
