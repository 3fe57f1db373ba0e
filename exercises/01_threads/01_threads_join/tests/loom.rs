//! Small batches under every interleaving loom explores: two documents (the fewest for which
//! waiting on one worker is not waiting on all), two documents with the same id, and none.
#![cfg(loom)]

use racelings_sync::model;
use threads_join::{DocStats, Document, count_words};

fn document(id: u32, text: &str) -> Document {
    Document {
        id,
        text: text.to_string(),
    }
}

fn sorted(mut stats: Vec<DocStats>) -> Vec<DocStats> {
    stats.sort_by_key(|s| (s.id, s.words));
    stats
}

#[test]
fn both_documents_are_counted() {
    model(|| {
        let batch = vec![document(1, "hello world"), document(2, "one two three")];
        let stats = sorted(count_words(batch));
        assert_eq!(
            stats,
            vec![DocStats { id: 1, words: 2 }, DocStats { id: 2, words: 3 }],
            "count_words returned the stats of both documents, each once"
        );
    });
}

#[test]
fn documents_with_the_same_id_are_each_counted() {
    model(|| {
        // The same document queued twice, edited in between.
        let batch = vec![document(7, "first draft"), document(7, "final draft here")];
        let stats = sorted(count_words(batch));
        assert_eq!(
            stats,
            vec![DocStats { id: 7, words: 2 }, DocStats { id: 7, words: 3 }],
            "two documents with the same id give two entries"
        );
    });
}

#[test]
fn an_empty_batch_gives_no_stats() {
    model(|| {
        let stats = count_words(Vec::new());
        assert!(
            stats.is_empty(),
            "an empty batch gives an empty vector (got {stats:?})"
        );
    });
}
