//! Three philosophers at a small table, under every interleaving loom explores.
//!
//! loom runs at most five threads counting the test's own, so the model seats three (the
//! stress test seats five); a circle of waits can form around a table of any size.
#![cfg(loom)]

use dining_philosophers::Table;
use racelings_sync::{Arc, model, thread};

const PHILOSOPHERS: usize = 3;

#[test]
fn three_philosophers_all_eat() {
    model(|| {
        let table = Arc::new(Table::new(PHILOSOPHERS));
        let philosophers: Vec<_> = (0..PHILOSOPHERS)
            .map(|seat| {
                let table = Arc::clone(&table);
                thread::spawn(move || table.eat(seat))
            })
            .collect();
        for philosopher in philosophers {
            philosopher.join().unwrap();
        }
        assert_eq!(
            table.fork_meals(),
            [2; PHILOSOPHERS],
            "every fork served the meal on each side of it"
        );
    });
}
