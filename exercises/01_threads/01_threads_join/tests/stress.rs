//! Batches of documents counted on real threads, many times over: nine documents, two of
//! them with the same id, and an empty batch.
#![cfg(not(loom))]

use racelings_sync::stress;
use threads_join::{DocStats, Document, count_words};

const DOCS: u32 = 8;

/// Documents 0..DOCS, document `i` with `2 * (i + 1)` words, and document 0 queued twice.
fn batch() -> Vec<Document> {
    (0..DOCS)
        .chain([0])
        .map(|id| Document {
            id,
            text: "lorem ipsum ".repeat(id as usize + 1),
        })
        .collect()
}

fn expected() -> Vec<DocStats> {
    let mut stats: Vec<DocStats> = batch()
        .into_iter()
        .map(|doc| DocStats {
            id: doc.id,
            words: 2 * (doc.id as usize + 1),
        })
        .collect();
    stats.sort_by_key(|s| s.id);
    stats
}

#[test]
fn every_document_is_counted() {
    let expected = expected();
    stress(
        200,
        |_round| {
            let mut stats = count_words(batch());
            stats.sort_by_key(|s| s.id);
            let from_empty_batch = count_words(Vec::new());
            (stats, from_empty_batch)
        },
        move |(stats, from_empty_batch)| *stats == expected && from_empty_batch.is_empty(),
    );
}
