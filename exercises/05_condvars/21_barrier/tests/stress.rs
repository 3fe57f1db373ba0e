//! Workers running many ticks in step on real threads, each checking its neighbours' progress.
#![cfg(not(loom))]

use barrier::StepBarrier;
use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, Barrier, stress::Stress, thread};
use std::time::Duration;

const WORKERS: usize = 3;
const TICKS: usize = 100;

#[test]
fn workers_stay_in_step_for_many_ticks() {
    Stress::new(30).round_timeout(Duration::from_secs(1)).run(
        |_round| {
            let barrier = Arc::new(StepBarrier::new(WORKERS));
            let ticks_done: Arc<Vec<AtomicUsize>> =
                Arc::new((0..WORKERS).map(|_| AtomicUsize::new(0)).collect());
            let start = Arc::new(Barrier::new(WORKERS));
            let workers: Vec<_> = (0..WORKERS)
                .map(|me| {
                    let (barrier, ticks_done, start) = (
                        Arc::clone(&barrier),
                        Arc::clone(&ticks_done),
                        Arc::clone(&start),
                    );
                    thread::spawn(move || {
                        start.wait();
                        let mut out_of_step = 0;
                        for tick in 1..=TICKS {
                            ticks_done[me].store(tick, Ordering::SeqCst);
                            barrier.wait();
                            // Past the barrier for `tick`, everyone has finished it, and
                            // nobody can have finished the tick after next.
                            out_of_step += ticks_done
                                .iter()
                                .map(|done| done.load(Ordering::SeqCst))
                                .filter(|&done| done < tick || done > tick + 1)
                                .count();
                        }
                        out_of_step
                    })
                })
                .collect();
            let out_of_step: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
            out_of_step
        },
        |&out_of_step| out_of_step == 0,
    );
}
