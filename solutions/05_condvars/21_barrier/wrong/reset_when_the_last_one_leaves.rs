//! Tries resetting the count only once every worker of the tick has left `wait`, so that a
//! waiter that wakes late still finds the full count. Fails: the worker that arrived last
//! returns at once and can come back for the next tick before the others have left; it
//! counts itself on top of the full count, finds it is not below `parties`, and walks
//! through the next tick's barrier alone.
//!
//! A reusable barrier that keeps the workers of a traffic simulation in step.
//!
//! Each worker moves the vehicles in its own district for one tick of simulated time, then
//! calls `wait`, and no worker starts tick N + 1 before every worker has finished tick N:
//! vehicles cross district borders, so a worker running ahead would read a neighbour's
//! district half-updated. The unit test ran one tick and passed. Real runs of thousands of
//! ticks froze, usually within the first few: every worker sat blocked in `wait`, with
//! nothing left to wait for.
//!
//! Fixed means: the barrier can be used for any number of ticks in a row. Each call to
//! `wait` returns only after all `parties` workers have called `wait` for the same tick,
//! and once the last of them has, every one of them returns, without waiting for anything
//! else (such as the next tick's arrivals). With one party, `wait` returns at once.

use racelings_sync::{Condvar, Mutex};

/// Holds each of `parties` threads in `wait` until all of them have arrived; reusable.
#[derive(Debug)]
pub struct StepBarrier {
    parties: usize,
    state: Mutex<Round>,
    all_arrived: Condvar,
}

#[derive(Debug)]
struct Round {
    arrived: usize,
    left: usize,
}

impl StepBarrier {
    /// A barrier for `parties` threads (at least one).
    pub fn new(parties: usize) -> Self {
        StepBarrier {
            parties: parties.max(1),
            state: Mutex::new(Round {
                arrived: 0,
                left: 0,
            }),
            all_arrived: Condvar::new(),
        }
    }

    /// Blocks until all `parties` threads have called `wait`, then lets them all continue.
    pub fn wait(&self) {
        let mut state = self.state.lock().unwrap();
        state.arrived += 1;
        if state.arrived == self.parties {
            self.all_arrived.notify_all();
        } else {
            while state.arrived < self.parties {
                state = self.all_arrived.wait(state).unwrap();
            }
        }
        // The last worker out resets the count for the next tick, so nobody who is still
        // waiting can see it go back to zero.
        state.left += 1;
        if state.left == self.parties {
            state.arrived = 0;
            state.left = 0;
        }
    }
}
