//! A loader publishing the day's rates while a request thread polls, under every interleaving
//! and every memory ordering loom explores.
#![cfg(loom)]

use memory_ordering::{RateBoard, RateTable};
use racelings_sync::{Arc, hint, model, thread};

#[test]
fn a_reader_gets_the_table_that_was_published() {
    model(|| {
        let board = Arc::new(RateBoard::new());
        let loader = {
            let board = Arc::clone(&board);
            thread::spawn(move || {
                board.publish(RateTable {
                    day: 9_300,
                    rates: vec![("USD", 1_084_200)],
                })
            })
        };
        let table = loop {
            if let Some(table) = board.get() {
                break table;
            }
            hint::spin_loop();
        };
        assert_eq!(table.day, 9_300, "the reader got the published day");
        assert_eq!(table.rates.len(), 1, "the reader got the published rates");
        loader.join().unwrap();
    });
}
