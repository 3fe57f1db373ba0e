//! A loader publishing the day's rates while one request thread polls, and while a second
//! request thread looks once beside it (the fewest for which one reader can lean on what
//! another has already seen), under every interleaving and every memory ordering loom
//! explores.
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

/// A second request thread looks once, at any moment: before the table is published, while
/// the first reader polls, or after the first reader has got it. Whenever it gets a table,
/// that is the whole table that was published.
#[test]
fn a_second_reader_gets_the_whole_table_too() {
    model(|| {
        let board = Arc::new(RateBoard::new());
        let loader = {
            let board = Arc::clone(&board);
            thread::spawn(move || board.publish(todays_rates()))
        };
        let second_reader = {
            let board = Arc::clone(&board);
            thread::spawn(move || board.get())
        };
        let table = wait_for_table(&board);
        assert_eq!(
            table,
            todays_rates(),
            "the first reader got the whole table that was published"
        );
        if let Some(second_table) = second_reader.join().unwrap() {
            assert_eq!(
                second_table,
                todays_rates(),
                "the second reader got the whole table that was published"
            );
        }
        loader.join().unwrap();
    });
}
