//! Tries: nothing shared, each thread counting its own box into its own map and the caller
//! folding the maps together with `Iterator::reduce`. Every vote is counted, but `reduce` has
//! nothing to start from when there are no boxes, and the `expect` written for "cannot happen"
//! panics on the first call of the evening, before any station has sent its box.
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
    counters
        .into_iter()
        .map(|counter| counter.join().unwrap())
        .reduce(|mut tally, local| {
            for (candidate, votes) in local {
                *tally.entry(candidate).or_insert(0) += votes;
            }
            tally
        })
        .expect("every election has at least one polling station")
}
