//! Tries: `Arc` instead of `Rc`, and a cell wrapper declared `Sync` with `unsafe impl` to
//! silence the compiler. It builds, but nothing stops two counting threads from changing
//! the map at the same time: a data race, which loom reports on the first interleaving.
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

use racelings_sync::cell::UnsafeCell;
use racelings_sync::{Arc, thread};
use std::collections::HashMap;

/// The running tally, shared by the counting threads.
struct SharedTally(UnsafeCell<Tally>);

// The compiler wanted `Sync`; the counting threads only ever add to the map.
unsafe impl Sync for SharedTally {}

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
    let tally = Arc::new(SharedTally(UnsafeCell::new(Tally::new())));
    let counters: Vec<_> = boxes
        .into_iter()
        .map(|ballot_box| {
            let tally = Arc::clone(&tally);
            thread::spawn(move || {
                for candidate in ballot_box.ballots {
                    tally
                        .0
                        .with_mut(|map| unsafe { *(*map).entry(candidate).or_insert(0) += 1 });
                }
            })
        })
        .collect();
    for counter in counters {
        counter.join().unwrap();
    }
    tally.0.with_mut(|map| unsafe { std::mem::take(&mut *map) })
}
