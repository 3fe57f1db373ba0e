//! Alternative fix: a two-phase barrier. Workers count in, the last one opens the barrier,
//! and workers count out; a worker arriving for the next tick waits, on a condition
//! variable of its own, until the last one has left, so a stale waiter never sees the next
//! tick's count.
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
    all_left: Condvar,
}

#[derive(Debug)]
struct Round {
    inside: usize,
    releasing: bool,
}

impl StepBarrier {
    /// A barrier for `parties` threads (at least one).
    pub fn new(parties: usize) -> Self {
        StepBarrier {
            parties: parties.max(1),
            state: Mutex::new(Round {
                inside: 0,
                releasing: false,
            }),
            all_arrived: Condvar::new(),
            all_left: Condvar::new(),
        }
    }

    /// Blocks until all `parties` threads have called `wait`, then lets them all continue.
    pub fn wait(&self) {
        let mut state = self.state.lock().unwrap();
        // Nobody enters the next tick until everyone has left this one, so arrivals of two
        // ticks never share the count.
        while state.releasing {
            state = self.all_left.wait(state).unwrap();
        }
        state.inside += 1;
        if state.inside == self.parties {
            state.releasing = true;
            self.all_arrived.notify_all();
        } else {
            while !state.releasing {
                state = self.all_arrived.wait(state).unwrap();
            }
        }
        state.inside -= 1;
        if state.inside == 0 {
            state.releasing = false;
            self.all_left.notify_all();
        }
    }
}
