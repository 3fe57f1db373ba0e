//! Tries: `Arc` instead of `Rc`, keeping the `RefCell`. Still does not build: `RefCell`
//! tracks its borrows without any synchronisation, so it is not `Sync`, and an `Arc` of
//! something that is not `Sync` cannot be sent to another thread.

use racelings_sync::{Arc, thread};
use std::cell::RefCell;
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
    let tally = Arc::new(RefCell::new(Tally::new()));
    let counters: Vec<_> = boxes
        .into_iter()
        .map(|ballot_box| {
            let tally = Arc::clone(&tally);
            thread::spawn(move || {
                for candidate in ballot_box.ballots {
                    *tally.borrow_mut().entry(candidate).or_insert(0) += 1;
                }
            })
        })
        .collect();
    for counter in counters {
        counter.join().unwrap();
    }
    tally.take()
}
