//! Wrong fix: yield between picking up the left fork and the right one.
//! Fails: the philosopher yields while holding the left fork, so every philosopher can still
//! hold one fork and wait for the next; the yield only makes that more likely.
//!
//! The dining philosophers, as a table that any number of threads can dine at.
//!
//! Philosophers sit around a round table with one fork between each pair of neighbours. To
//! eat, a philosopher needs both forks beside their plate, so neighbours take turns. Each
//! philosopher is a thread calling `eat` meal after meal. Some evenings dinner goes on for
//! hours; other evenings, a few minutes in, every philosopher sits frozen with a fork in one
//! hand, and nobody ever eats again.
//!
//! Fixed means: at a table of any size from two seats up, however the philosophers' threads
//! are scheduled and however many meals each of them eats, every call to `eat` returns. Each
//! meal is eaten with both forks beside the seat in hand at once, so `fork_meals`, which
//! looks at the forks one after another, never counts a meal on one fork without counting it
//! on the other fork it looks at later; and no fork is ever held by two philosophers at once.

use racelings_sync::{Mutex, thread};

/// One fork; it counts the meals it has been used for.
#[derive(Debug, Default)]
struct Fork {
    meals: usize,
}

/// A round table with one fork between each pair of neighbouring seats.
#[derive(Debug)]
pub struct Table {
    forks: Vec<Mutex<Fork>>,
}

impl Table {
    /// A table for `seats` philosophers (at least two), with as many forks.
    pub fn new(seats: usize) -> Self {
        assert!(seats >= 2, "a table needs at least two seats");
        Table {
            forks: (0..seats).map(|_| Mutex::new(Fork::default())).collect(),
        }
    }

    /// How many philosophers the table seats.
    pub fn seats(&self) -> usize {
        self.forks.len()
    }

    /// The philosopher at `seat` eats one meal, with the forks on their left and right.
    pub fn eat(&self, seat: usize) {
        let left = seat;
        let right = (seat + 1) % self.seats();
        let mut left_fork = self.forks[left].lock().unwrap();
        // Let the neighbours finish with their forks before reaching for the right one.
        thread::yield_now();
        let mut right_fork = self.forks[right].lock().unwrap();
        left_fork.meals += 1;
        right_fork.meals += 1;
    }

    /// For each fork, how many meals it has been used for.
    pub fn fork_meals(&self) -> Vec<usize> {
        self.forks.iter().map(|f| f.lock().unwrap().meals).collect()
    }
}
