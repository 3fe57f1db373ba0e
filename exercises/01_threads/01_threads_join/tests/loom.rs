//! A batch of two documents, under every interleaving loom explores.
#![cfg(loom)]

use racelings_sync::model;
use threads_join::{DocStats, Document, count_words};

#[test]
fn both_documents_are_counted() {
    model(|| {
        let batch = vec![
            Document {
                id: 1,
                text: "hello world".to_string(),
            },
            Document {
                id: 2,
                text: "one two three".to_string(),
            },
        ];
        let mut stats = count_words(batch);
        stats.sort_by_key(|s| s.id);
        assert_eq!(
            stats,
            vec![DocStats { id: 1, words: 2 }, DocStats { id: 2, words: 3 }],
            "count_words returned the stats of both documents"
        );
    });
}
