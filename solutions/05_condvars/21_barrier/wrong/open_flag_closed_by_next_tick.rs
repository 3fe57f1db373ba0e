//! Tries a flag instead of the count: the last worker to arrive opens the barrier, the
//! waiters wait until it is open, and the first worker to arrive for the next tick closes
//! it again. Fails: that first worker can be the one that just opened it, back before the
//! others have woken up; they find the barrier closed again and go back to sleep, and the
//! barrier freezes as before.
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
    open: bool,
}

impl StepBarrier {
    /// A barrier for `parties` threads (at least one).
    pub fn new(parties: usize) -> Self {
        StepBarrier {
            parties: parties.max(1),
            state: Mutex::new(Round {
                waiting: 0,
                open: false,
            }),
            all_arrived: Condvar::new(),
        }
    }

    /// Blocks until all `parties` threads have called `wait`, then lets them all continue.
    pub fn wait(&self) {
        let mut state = self.state.lock().unwrap();
        if state.waiting == 0 {
            // The first arrival of a tick: the previous tick is over, close the barrier.
            state.open = false;
        }
        state.waiting += 1;
        if state.waiting == self.parties {
            state.waiting = 0;
            state.open = true;
            self.all_arrived.notify_all();
        } else {
            while !state.open {
                state = self.all_arrived.wait(state).unwrap();
            }
        }
    }
}
