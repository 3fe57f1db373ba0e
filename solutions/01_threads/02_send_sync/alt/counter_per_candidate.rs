//! Alternative fix: the candidates are read from the ballots before counting starts, and each
//! gets an atomic counter in a map that the counting threads share but only read, so the map
//! needs no lock; each vote is one `fetch_add` on its candidate's counter. The caller reads
//! the counters after joining every thread, which makes every increment visible to it.
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
use racelings_sync::{Arc, thread};
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
    let counts: HashMap<String, AtomicUsize> = boxes
        .iter()
        .flat_map(|ballot_box| &ballot_box.ballots)
        .map(|candidate| (candidate.clone(), AtomicUsize::new(0)))
        .collect();
    let counts = Arc::new(counts);
    let counters: Vec<_> = boxes
        .into_iter()
        .map(|ballot_box| {
            let counts = Arc::clone(&counts);
            thread::spawn(move || {
                for candidate in &ballot_box.ballots {
                    counts[candidate].fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for counter in counters {
        counter.join().unwrap();
    }
    counts
        .iter()
        .map(|(candidate, votes)| (candidate.clone(), votes.load(Ordering::Relaxed)))
        .collect()
}
