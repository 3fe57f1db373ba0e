//! Tries: a chain of wakeups instead of `notify_all`. The last arrival wakes one waiter with
//! `notify_one`, and each released waiter wakes the next before it goes on. That relies on
//! the wakeup reaching a waiter of the same tick, but a worker released earlier may already
//! be waiting for the next tick, and a condition variable may wake it instead: it finds its
//! own tick not over and sleeps again, the chain ends, and a worker of the finished tick is
//! never woken.
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
    generation: u64,
}

impl StepBarrier {
    /// A barrier for `parties` threads (at least one).
    pub fn new(parties: usize) -> Self {
        StepBarrier {
            parties: parties.max(1),
            state: Mutex::new(Round {
                waiting: 0,
                generation: 0,
            }),
            all_arrived: Condvar::new(),
        }
    }

    /// Blocks until all `parties` threads have called `wait`, then lets them all continue.
    pub fn wait(&self) {
        let mut state = self.state.lock().unwrap();
        let generation = state.generation;
        state.waiting += 1;
        if state.waiting == self.parties {
            state.waiting = 0;
            state.generation += 1;
            // Wake one waiter; each waiter released wakes the next, so every waiter of this
            // tick is woken in turn.
            self.all_arrived.notify_one();
        } else {
            // Wait for *this* tick to end, not for the count to look right: by the time a
            // woken worker has the lock back, a fast one may already have arrived for the
            // next tick and counted itself in. The generation only moves on when a tick is
            // complete, so it tells "my tick is over" apart from "the next tick has begun".
            while state.generation == generation {
                state = self.all_arrived.wait(state).unwrap();
            }
            self.all_arrived.notify_one();
        }
    }
}
