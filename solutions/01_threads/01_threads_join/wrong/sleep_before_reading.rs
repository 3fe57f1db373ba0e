//! Tries: sleeping a few milliseconds before reading the stats, long enough for the workers
//! on an idle machine. On a busy one a worker can wait longer than that to be scheduled, and
//! loom, for which a sleep is no synchronisation at all, finds the schedule where it does.

use racelings_sync::{Arc, Mutex, thread};
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
    for doc in batch {
        let stats = Arc::clone(&stats);
        thread::spawn(move || {
            let words = doc.text.split_whitespace().count();
            stats.lock().unwrap().push(DocStats { id: doc.id, words });
        });
    }
    std::thread::sleep(Duration::from_millis(5));
    let counted = stats.lock().unwrap();
    counted.clone()
}
