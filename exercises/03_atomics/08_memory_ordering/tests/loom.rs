//! A loader publishing the day's rates while one request thread polls, and while two poll at
//! once (the fewest for which one reader can lean on what another has already seen), under
//! every interleaving and every memory ordering loom explores.
#![cfg(loom)]

use memory_ordering::{RateBoard, RateTable};
use racelings_sync::{Arc, hint, model, thread};

fn todays_rates() -> RateTable {
    RateTable {
        day: 9_300,
        rates: vec![("USD", 1_084_200), ("GBP", 855_100)],
    }
}

/// Polls `board` until it returns a table.
fn wait_for_table(board: &RateBoard) -> RateTable {
    loop {
        if let Some(table) = board.get() {
            return table;
        }
        hint::spin_loop();
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

#[test]
fn two_readers_each_get_the_table_that_was_published() {
    model(|| {
        let board = Arc::new(RateBoard::new());
        let loader = {
            let board = Arc::clone(&board);
            thread::spawn(move || board.publish(todays_rates()))
        };
        let other_reader = {
            let board = Arc::clone(&board);
            thread::spawn(move || wait_for_table(&board))
        };
        let table = wait_for_table(&board);
        let other_table = other_reader.join().unwrap();
        assert_eq!(
            table,
            todays_rates(),
            "the first reader got the whole table that was published"
        );
        assert_eq!(
            other_table,
            todays_rates(),
            "the second reader got the whole table that was published"
        );
        loader.join().unwrap();
    });
}
