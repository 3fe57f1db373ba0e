//! A loader publishing the day's rates while request threads poll for them, on real threads.
#![cfg(not(loom))]

use memory_ordering::{RateBoard, RateTable};
use racelings_sync::{Arc, Barrier, stress, thread};

const READERS: usize = 2;
const DAY: u32 = 9_300;

fn todays_rates() -> RateTable {
    RateTable {
        day: DAY,
        rates: vec![("USD", 1_084_200), ("GBP", 855_100), ("JPY", 162_310_000)],
    }
}

#[test]
fn readers_only_see_whole_tables() {
    stress(
        500,
        |_round| {
            let board = Arc::new(RateBoard::new());
            let start = Arc::new(Barrier::new(READERS + 1));
            let readers: Vec<_> = (0..READERS)
                .map(|_| {
                    let board = Arc::clone(&board);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        loop {
                            if let Some(table) = board.get() {
                                break (table.day, table.rates.len());
                            }
                            thread::yield_now();
                        }
                    })
                })
                .collect();
            start.wait();
            board.publish(todays_rates());
            readers
                .into_iter()
                .map(|reader| reader.join().unwrap())
                .collect::<Vec<_>>()
        },
        |seen| seen.iter().all(|&(day, rates)| day == DAY && rates == 3),
    );
}
