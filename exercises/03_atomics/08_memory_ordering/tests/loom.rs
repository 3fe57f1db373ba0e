//! A loader publishing the day's rates while a request thread polls, under every interleaving
//! and every memory ordering loom explores.
#![cfg(loom)]

use memory_ordering::{RateBoard, RateTable};
use racelings_sync::{Arc, hint, model, thread};

fn todays_rates() -> RateTable {
    RateTable {
        day: 9_300,
        rates: vec![("USD", 1_084_200), ("GBP", 855_100)],
    }
}

#[test]
fn a_reader_gets_the_table_that_was_published() {
    model(|| {
        let board = Arc::new(RateBoard::new());
        let loader = {
            let board = Arc::clone(&board);
            thread::spawn(move || board.publish(todays_rates()))
        };
        let table = loop {
            if let Some(table) = board.get() {
                break table;
            }
            hint::spin_loop();
        };
        assert_eq!(
            table,
            todays_rates(),
            "the reader got the whole table that was published"
        );
        loader.join().unwrap();
    });
}
