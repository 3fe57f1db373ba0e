//! Ballot boxes counted at once, under every interleaving loom explores: two boxes with one
//! ballot each (for the same candidate and for different ones), a box whose thread comes back
//! for a second ballot while the other box is being counted, and no boxes at all.
#![cfg(loom)]

use racelings_sync::model;
use send_sync::{BallotBox, Tally, count_ballots};

fn ballot_box(station: &str, ballots: &[&str]) -> BallotBox {
    BallotBox {
        station: station.to_string(),
        ballots: ballots.iter().map(|b| b.to_string()).collect(),
    }
}

fn tally(votes: &[(&str, usize)]) -> Tally {
    votes
        .iter()
        .map(|&(candidate, votes)| (candidate.to_string(), votes))
        .collect()
}

#[test]
fn two_votes_for_one_candidate_count_twice() {
    model(|| {
        let counted = count_ballots(vec![
            ballot_box("north", &["Ada"]),
            ballot_box("south", &["Ada"]),
        ]);
        assert_eq!(
            counted,
            tally(&[("Ada", 2)]),
            "Ada got both votes, and nobody else got any"
        );
    });
}

#[test]
fn votes_for_different_candidates_are_all_counted() {
    model(|| {
        let counted = count_ballots(vec![
            ballot_box("north", &["Ada"]),
            ballot_box("south", &["Grace"]),
        ]);
        assert_eq!(
            counted,
            tally(&[("Ada", 1), ("Grace", 1)]),
            "Ada and Grace each got their vote"
        );
    });
}

#[test]
fn a_box_with_several_ballots_counts_each() {
    model(|| {
        let counted = count_ballots(vec![
            ballot_box("north", &["Ada", "Ada"]),
            ballot_box("south", &["Ada"]),
        ]);
        assert_eq!(
            counted,
            tally(&[("Ada", 3)]),
            "Ada got all three votes, two from the north box and one from the south"
        );
    });
}

#[test]
fn no_boxes_give_an_empty_tally() {
    model(|| {
        let counted = count_ballots(Vec::new());
        assert!(
            counted.is_empty(),
            "with no boxes nobody has a vote (got {counted:?})"
        );
    });
}
