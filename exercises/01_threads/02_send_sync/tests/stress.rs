//! Several ballot boxes counted at once on real threads, many times over.
#![cfg(not(loom))]

use racelings_sync::stress;
use send_sync::{BallotBox, Tally, count_ballots};

const BOXES: usize = 4;
const BALLOTS_EACH: usize = 10_000;
const CANDIDATES: [&str; 3] = ["Ada", "Grace", "Linus"];

fn boxes() -> Vec<BallotBox> {
    (0..BOXES)
        .map(|b| BallotBox {
            station: format!("station {b}"),
            ballots: (0..BALLOTS_EACH)
                .map(|i| CANDIDATES[(i + b) % CANDIDATES.len()].to_string())
                .collect(),
        })
        .collect()
}

fn counted_one_by_one(boxes: &[BallotBox]) -> Tally {
    let mut tally = Tally::new();
    for ballot in boxes.iter().flat_map(|b| &b.ballots) {
        *tally.entry(ballot.clone()).or_insert(0) += 1;
    }
    tally
}

#[test]
fn every_ballot_is_counted() {
    let expected = counted_one_by_one(&boxes());
    stress(
        10,
        |_round| {
            let mut tally: Vec<_> = count_ballots(boxes()).into_iter().collect();
            tally.sort();
            tally
        },
        move |tally| {
            tally.len() == expected.len()
                && tally
                    .iter()
                    .all(|(name, votes)| expected.get(name) == Some(votes))
        },
    );
}
