//! Philosophers at small tables, under every interleaving loom explores.
//!
//! loom runs at most five threads counting the test's own, so the models seat two or three
//! (the stress test seats five); a circle of waits can form around a table of any size.
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

/// The smallest table, where both philosophers share both forks, and each comes back for a
/// second meal: a fix must hold for every meal, not only for the first one at the table.
#[test]
fn two_philosophers_eat_two_meals_each() {
    model(|| {
        let table = Arc::new(Table::new(2));
        let other = {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                table.eat(1);
                table.eat(1);
            })
        };
        table.eat(0);
        table.eat(0);
        other.join().unwrap();
        assert_eq!(
            table.fork_meals(),
            [4, 4],
            "both forks served all four meals"
        );
    });
}

/// Both philosophers of a two-seat table eat once while a guest looks at the forks. Every
/// meal needs forks 0 and 1 together, so a meal the guest counts on fork 0 is over by the
/// time the guest looks at fork 1, and fork 1 counts it too.
#[test]
fn every_meal_is_eaten_with_both_forks() {
    model(|| {
        let table = Arc::new(Table::new(2));
        let philosophers: Vec<_> = (0..2)
            .map(|seat| {
                let table = Arc::clone(&table);
                thread::spawn(move || table.eat(seat))
            })
            .collect();
        let seen = table.fork_meals();
        assert!(
            seen[0] <= seen[1],
            "fork 1, looked at after fork 0, counts every meal fork 0 counted: saw {seen:?}"
        );
        for philosopher in philosophers {
            philosopher.join().unwrap();
        }
        assert_eq!(table.fork_meals(), [2, 2], "both meals were eaten");
    });
}
