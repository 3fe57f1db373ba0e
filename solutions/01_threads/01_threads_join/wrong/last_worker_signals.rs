//! Tries: a countdown of the workers still running; the worker that takes it to zero sets a
//! `finished` flag and notifies, and the caller waits, in a loop, until the flag is set. That
//! holds for any batch with a document in it, but with an empty batch no worker ever runs,
//! nobody sets the flag, and the caller waits for ever.
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

use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, Condvar, Mutex, thread};

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
    let remaining = Arc::new(AtomicUsize::new(batch.len()));
    let finished = Arc::new((Mutex::new(false), Condvar::new()));
    for doc in batch {
        let stats = Arc::clone(&stats);
        let remaining = Arc::clone(&remaining);
        let finished = Arc::clone(&finished);
        thread::spawn(move || {
            let words = doc.text.split_whitespace().count();
            stats.lock().unwrap().push(DocStats { id: doc.id, words });
            // The last worker out tells the caller.
            if remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
                let (done, all_done) = &*finished;
                *done.lock().unwrap() = true;
                all_done.notify_one();
            }
        });
    }
    let (done, all_done) = &*finished;
    let mut done = done.lock().unwrap();
    while !*done {
        done = all_done.wait(done).unwrap();
    }
    drop(done);
    let counted = stats.lock().unwrap();
    counted.clone()
}
