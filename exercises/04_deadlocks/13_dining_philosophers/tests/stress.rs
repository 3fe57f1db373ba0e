//! Five philosophers dining at once, on real threads.
#![cfg(not(loom))]

use dining_philosophers::Table;
use racelings_sync::{Arc, Barrier, stress::Stress, thread};
use std::time::Duration;

const PHILOSOPHERS: usize = 5;
const MEALS_EACH: usize = 2_000;

#[test]
fn every_philosopher_eats_every_meal() {
    Stress::new(60).round_timeout(Duration::from_secs(1)).run(
        |_round| {
            let table = Arc::new(Table::new(PHILOSOPHERS));
            let start = Arc::new(Barrier::new(PHILOSOPHERS));
            let philosophers: Vec<_> = (0..PHILOSOPHERS)
                .map(|seat| {
                    let table = Arc::clone(&table);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..MEALS_EACH {
                            table.eat(seat);
                        }
                    })
                })
                .collect();
            for philosopher in philosophers {
                philosopher.join().unwrap();
            }
            table.fork_meals()
        },
        // Each fork serves the meals of the two philosophers beside it.
        |fork_meals| fork_meals.iter().all(|&meals| meals == 2 * MEALS_EACH),
    );
}
