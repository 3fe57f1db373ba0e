//! Alternative fix: scoped threads. `thread::scope` joins every counting thread before it
//! returns, so the threads may borrow a `Mutex` on the caller's stack and no `Arc` is needed;
//! the `Mutex` still lets only one of them at a time change the tally.
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

use racelings_sync::{Mutex, thread};
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
    // `Rc` counts its owners with plain integers and `RefCell` tracks borrows with a plain
    // flag, so neither may be touched by two threads at once. A scope joins all its threads
    // before it returns, so they can borrow the tally; the `Mutex` makes it `Sync`.
    let tally = Mutex::new(Tally::new());
    thread::scope(|scope| {
        for ballot_box in boxes {
            let tally = &tally;
            scope.spawn(move || {
                for candidate in ballot_box.ballots {
                    *tally.lock().unwrap().entry(candidate).or_insert(0) += 1;
                }
            });
        }
    });
    tally.into_inner().unwrap()
}
