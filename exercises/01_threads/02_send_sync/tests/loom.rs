//! Two ballot boxes counted at once, under every interleaving loom explores.
#![cfg(loom)]

use racelings_sync::model;
use send_sync::{BallotBox, count_ballots};

fn ballot_box(station: &str, ballots: &[&str]) -> BallotBox {
    BallotBox {
        station: station.to_string(),
        ballots: ballots.iter().map(|b| b.to_string()).collect(),
    }
}

#[test]
fn two_votes_for_one_candidate_count_twice() {
    model(|| {
        let tally = count_ballots(vec![
            ballot_box("north", &["Ada"]),
            ballot_box("south", &["Ada"]),
        ]);
        assert_eq!(tally.get("Ada"), Some(&2), "Ada got both votes");
        assert_eq!(tally.len(), 1, "only Ada received votes");
    });
}

#[test]
fn votes_for_different_candidates_are_all_counted() {
    model(|| {
        let tally = count_ballots(vec![
            ballot_box("north", &["Ada"]),
            ballot_box("south", &["Grace"]),
        ]);
        assert_eq!(tally.get("Ada"), Some(&1), "Ada got her vote");
        assert_eq!(tally.get("Grace"), Some(&1), "Grace got her vote");
    });
}
