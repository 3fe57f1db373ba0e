//! Tries giving the released workers a millisecond to leave before the last one to arrive
//! returns and can come back for the next tick. Fails: it only makes the race rarer (the
//! workers released with it can come back just as fast), and loom, where a sleep changes
//! no schedule, still finds the worker stranded by the next tick's count.
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
    waiting: Mutex<usize>,
    all_arrived: Condvar,
}

impl StepBarrier {
    /// A barrier for `parties` threads (at least one).
    pub fn new(parties: usize) -> Self {
        StepBarrier {
            parties: parties.max(1),
            waiting: Mutex::new(0),
            all_arrived: Condvar::new(),
        }
    }

    /// Blocks until all `parties` threads have called `wait`, then lets them all continue.
    pub fn wait(&self) {
        let mut waiting = self.waiting.lock().unwrap();
        *waiting += 1;
        if *waiting == self.parties {
            *waiting = 0;
            self.all_arrived.notify_all();
            drop(waiting);
            std::thread::sleep(std::time::Duration::from_millis(1));
        } else {
            while *waiting != 0 {
                waiting = self.all_arrived.wait(waiting).unwrap();
            }
        }
    }
}
