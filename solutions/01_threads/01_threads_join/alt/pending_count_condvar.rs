//! Alternative fix: a count of workers still running, under a mutex; each worker lowers it
//! when done and notifies, and the caller waits on a condition variable, in a `while` loop,
//! until it reaches zero.
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
    // Each worker pushes before it lowers the count, under locks, so when the count reads
    // zero every push has happened and is visible. The loop re-checks after every wakeup,
    // spurious or not.
    let (count, all_done) = &*running;
    let mut left = count.lock().unwrap();
    while *left > 0 {
        left = all_done.wait(left).unwrap();
    }
    drop(left);
    let counted = stats.lock().unwrap();
    counted.clone()
}
