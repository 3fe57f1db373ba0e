//! Wrong fix: break the symmetry with a table-wide turn counter: every other meal served at the
//! table is eaten right fork first.
//! Fails: with one meal each, the turns drawn are consecutive numbers, never all odd or all
//! even, and dinner ends; but a philosopher who comes back for a second meal draws a new turn,
//! and the philosophers who hold forks at one moment can all have drawn turns of the same
//! parity: the circle closes again.
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

use racelings_sync::Mutex;
use racelings_sync::atomic::{AtomicUsize, Ordering};

/// One fork; it counts the meals it has been used for.
#[derive(Debug, Default)]
struct Fork {
    meals: usize,
}

/// A round table with one fork between each pair of neighbouring seats.
#[derive(Debug)]
pub struct Table {
    forks: Vec<Mutex<Fork>>,
    /// Counts the meals begun at the table; odd turns take the right fork first.
    turns: AtomicUsize,
}

impl Table {
    /// A table for `seats` philosophers (at least two), with as many forks.
    pub fn new(seats: usize) -> Self {
        assert!(seats >= 2, "a table needs at least two seats");
        Table {
            forks: (0..seats).map(|_| Mutex::new(Fork::default())).collect(),
            turns: AtomicUsize::new(0),
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
        // Alternate hands from one meal to the next, so that not everybody reaches in the
        // same direction.
        let (first, second) = if self.turns.fetch_add(1, Ordering::Relaxed) % 2 == 0 {
            (left, right)
        } else {
            (right, left)
        };
        let mut first_fork = self.forks[first].lock().unwrap();
        let mut second_fork = self.forks[second].lock().unwrap();
        first_fork.meals += 1;
        second_fork.meals += 1;
    }

    /// For each fork, how many meals it has been used for.
    pub fn fork_meals(&self) -> Vec<usize> {
        self.forks.iter().map(|f| f.lock().unwrap().meals).collect()
    }
}
