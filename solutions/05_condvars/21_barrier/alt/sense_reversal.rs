//! Alternative fix: sense reversal, a flag flipped at the end of every tick (a one-bit
//! generation count); waiters wait until it differs from the value they arrived with.
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
    waiting: usize,
    sense: bool,
}

impl StepBarrier {
    /// A barrier for `parties` threads (at least one).
    pub fn new(parties: usize) -> Self {
        StepBarrier {
            parties: parties.max(1),
            state: Mutex::new(Round {
                waiting: 0,
                sense: false,
            }),
            all_arrived: Condvar::new(),
        }
    }

    /// Blocks until all `parties` threads have called `wait`, then lets them all continue.
    pub fn wait(&self) {
        let mut state = self.state.lock().unwrap();
        let sense = state.sense;
        state.waiting += 1;
        if state.waiting == self.parties {
            state.waiting = 0;
            state.sense = !state.sense;
            self.all_arrived.notify_all();
        } else {
            // The flag flips once per completed tick, and it cannot flip back before this
            // worker arrives for the next one, so "flipped" means "my tick is over".
            while state.sense == sense {
                state = self.all_arrived.wait(state).unwrap();
            }
        }
    }
}
