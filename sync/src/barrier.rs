//! A reusable `Barrier`, built from the facade's `Mutex` and `Condvar` (loom has none).

use crate::{Condvar, Mutex};

/// Blocks `n` threads until all of them have arrived, then lets them all go; reusable.
pub struct Barrier {
    parties: usize,
    state: Mutex<BarrierState>,
    all_arrived: Condvar,
}

struct BarrierState {
    arrived: usize,
    // Counts completed rounds, so a thread from the next round cannot be mistaken for a
    // late one from this round.
    generation: u64,
}

/// Returned by [`Barrier::wait`]; exactly one thread per round is the leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// True for exactly one of the threads released in each round.
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    /// A barrier for `parties` threads (0 behaves like 1).
    pub fn new(parties: usize) -> Self {
        Barrier {
            parties: parties.max(1),
            state: Mutex::new(BarrierState {
                arrived: 0,
                generation: 0,
            }),
            all_arrived: Condvar::new(),
        }
    }

    /// Waits until all parties have called `wait` in this round.
    #[track_caller]
    pub fn wait(&self) -> BarrierWaitResult {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.arrived += 1;
        if state.arrived == self.parties {
            state.arrived = 0;
            state.generation += 1;
            self.all_arrived.notify_all();
            return BarrierWaitResult(true);
        }
        let round = state.generation;
        let _released = self
            .all_arrived
            .wait_while(state, |s| s.generation == round)
            .unwrap_or_else(|p| p.into_inner());
        BarrierWaitResult(false)
    }
}
