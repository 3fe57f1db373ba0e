//! Customers paying each other back and forth, on real threads.
#![cfg(not(loom))]

use lock_ordering::Bank;
use racelings_sync::{Arc, Barrier, stress::Stress, thread};
use std::time::Duration;

const OPENING_BALANCE: u64 = 1_000;
const PAYERS_EACH_WAY: usize = 3;
const TRANSFERS_EACH: usize = 3_000;

#[test]
fn transfers_both_ways_all_finish() {
    Stress::new(80).round_timeout(Duration::from_secs(1)).run(
        |_round| {
            let bank = Arc::new(Bank::new(&[OPENING_BALANCE, OPENING_BALANCE]));
            let start = Arc::new(Barrier::new(2 * PAYERS_EACH_WAY));
            let payers: Vec<_> = [(0, 1), (1, 0)]
                .into_iter()
                .flat_map(|pair| [pair; PAYERS_EACH_WAY])
                .map(|(from, to)| {
                    let bank = Arc::clone(&bank);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..TRANSFERS_EACH {
                            let _ = bank.transfer(from, to, 1);
                        }
                    })
                })
                .collect();
            for payer in payers {
                payer.join().unwrap();
            }
            bank.total()
        },
        |&total| total == 2 * OPENING_BALANCE,
    );
}
