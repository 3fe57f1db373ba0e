//! Tries: keeping every worker's `JoinHandle` in a vector until the function returns, as if
//! dropping a handle waited for its thread. It does not: dropping a `JoinHandle` detaches
//! the thread, so the stats are still read before the workers have pushed them.

use racelings_sync::{Arc, Mutex, thread};

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
    let mut workers = Vec::with_capacity(batch.len());
    for doc in batch {
        let stats = Arc::clone(&stats);
        workers.push(thread::spawn(move || {
            let words = doc.text.split_whitespace().count();
            stats.lock().unwrap().push(DocStats { id: doc.id, words });
        }));
    }
    let counted = stats.lock().unwrap();
    counted.clone()
}
