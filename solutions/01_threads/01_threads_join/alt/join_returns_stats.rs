//! Alternative fix: each worker returns its document's stats from its closure, and the caller
//! collects them by joining every worker; nothing is shared, so no lock is needed.
//!
//! Word counts for the search indexer, one worker thread per document.
//!
//! `count_words` takes a batch of documents, counts each one's words on its own thread so a
//! large batch does not take as long as its documents put together, and returns one
//! `DocStats` per document, in any order. The nightly index job kept logging batches with
//! documents missing, sometimes all of them; running the same batch again gave a different
//! number of documents each time.
//!
//! Fixed means: every time, `count_words` returns exactly one `DocStats` for each document
//! it was given, with that document's id and word count: none missing and none twice (two
//! documents with the same id give two entries), and an empty batch gives an empty vector.

use racelings_sync::thread;

/// A document waiting to be indexed.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: u32,
    pub text: String,
}

/// What the indexer needs to know about one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocStats {
    pub id: u32,
    pub words: usize,
}

/// Counts the words of every document in `batch`, each on its own thread.
pub fn count_words(batch: Vec<Document>) -> Vec<DocStats> {
    let workers: Vec<_> = batch
        .into_iter()
        .map(|doc| {
            thread::spawn(move || DocStats {
                id: doc.id,
                words: doc.text.split_whitespace().count(),
            })
        })
        .collect();
    // Joining hands back what each worker returned, so the result cannot be read before
    // the worker that computed it has finished.
    workers
        .into_iter()
        .map(|worker| worker.join().unwrap())
        .collect()
}
