//! Alternative fix: each worker returns its document's stats from its closure, and the caller
//! collects them by joining every worker; nothing is shared, so no lock is needed.

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
