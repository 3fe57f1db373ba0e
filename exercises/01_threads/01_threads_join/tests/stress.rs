//! Batches of documents counted on real threads, many times over.
#![cfg(not(loom))]

use racelings_sync::stress;
use threads_join::{DocStats, Document, count_words};

const DOCS: u32 = 8;

fn batch() -> Vec<Document> {
    (0..DOCS)
        .map(|id| Document {
            id,
            text: "lorem ipsum ".repeat(id as usize + 1),
        })
        .collect()
}

#[test]
fn every_document_is_counted() {
    stress(
        200,
        |_round| {
            let mut stats = count_words(batch());
            stats.sort_by_key(|s| s.id);
            stats
        },
        |stats: &Vec<DocStats>| {
            stats.len() == DOCS as usize
                && stats
                    .iter()
                    .enumerate()
                    .all(|(i, s)| s.id == i as u32 && s.words == 2 * (i + 1))
        },
    );
}
