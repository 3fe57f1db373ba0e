//! Alternative fix: nothing is shared. Each thread counts its own box into its own map and
//! returns it; the caller merges the maps as it joins the threads.
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

use racelings_sync::thread;
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
    let counters: Vec<_> = boxes
        .into_iter()
        .map(|ballot_box| {
            thread::spawn(move || {
                let mut local = Tally::new();
                for candidate in ballot_box.ballots {
                    *local.entry(candidate).or_insert(0) += 1;
                }
                local
            })
        })
        .collect();
    // Each map has one owner at a time: the thread that fills it, then (through `join`)
    // the caller, so there is nothing to lock.
    let mut tally = Tally::new();
    for counter in counters {
        for (candidate, votes) in counter.join().unwrap() {
            *tally.entry(candidate).or_insert(0) += votes;
        }
    }
    tally
}
