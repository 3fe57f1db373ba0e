//! Tries: the caller keeps the set of document ids still being counted; each worker pushes
//! its stats, removes its id from the set and notifies, and the caller waits, in a loop, until
//! the set is empty. Two documents with the same id share one entry in the set, so the first
//! of them to finish empties it and the caller reads before the second has pushed its stats.
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

use racelings_sync::{Arc, Condvar, Mutex, thread};
use std::collections::HashSet;

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
    let stats = Arc::new(Mutex::new(Vec::with_capacity(batch.len())));
    let uncounted: HashSet<u32> = batch.iter().map(|doc| doc.id).collect();
    let uncounted = Arc::new((Mutex::new(uncounted), Condvar::new()));
    for doc in batch {
        let stats = Arc::clone(&stats);
        let uncounted = Arc::clone(&uncounted);
        thread::spawn(move || {
            let words = doc.text.split_whitespace().count();
            stats.lock().unwrap().push(DocStats { id: doc.id, words });
            let (ids, counted) = &*uncounted;
            ids.lock().unwrap().remove(&doc.id);
            counted.notify_all();
        });
    }
    let (ids, counted) = &*uncounted;
    let mut left = ids.lock().unwrap();
    while !left.is_empty() {
        left = counted.wait(left).unwrap();
    }
    drop(left);
    let all_stats = stats.lock().unwrap();
    all_stats.clone()
}
