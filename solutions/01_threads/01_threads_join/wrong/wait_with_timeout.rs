//! Tries: a count of the workers still running and a condition variable, as in a correct fix,
//! but the caller waits for the count to reach zero for at most a second and then reads the
//! stats anyway, so a slow batch cannot hang the index job. A worker that has not finished
//! when the time runs out (a busy machine, a large document) is missing from the result.
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
use std::time::Duration;

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
    let running = Arc::new((Mutex::new(batch.len()), Condvar::new()));
    for doc in batch {
        let stats = Arc::clone(&stats);
        let running = Arc::clone(&running);
        thread::spawn(move || {
            let words = doc.text.split_whitespace().count();
            stats.lock().unwrap().push(DocStats { id: doc.id, words });
            let (count, all_done) = &*running;
            *count.lock().unwrap() -= 1;
            all_done.notify_all();
        });
    }
    // Wait for the workers, but not for ever: a stuck document must not hold up the batch.
    let (count, all_done) = &*running;
    let left = count.lock().unwrap();
    let (left, _timed_out) = all_done
        .wait_timeout_while(left, Duration::from_secs(1), |left| *left > 0)
        .unwrap();
    drop(left);
    let counted = stats.lock().unwrap();
    counted.clone()
}
