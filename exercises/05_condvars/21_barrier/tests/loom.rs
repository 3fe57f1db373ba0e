//! Workers running two ticks in step, under every interleaving loom explores.
#![cfg(loom)]

use barrier::StepBarrier;
use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Arc, model, thread};

const TICKS: usize = 2;

/// Runs `TICKS` ticks as worker `me`, checking after each barrier that everyone finished it.
fn run_worker(me: usize, barrier: &StepBarrier, ticks_done: &[AtomicUsize]) {
    for tick in 1..=TICKS {
        ticks_done[me].store(tick, Ordering::SeqCst);
        barrier.wait();
        for (other, done) in ticks_done.iter().enumerate() {
            let done = done.load(Ordering::SeqCst);
            assert!(
                done >= tick,
                "worker {me} passed the barrier of tick {tick} while worker {other} had \
                 finished only {done} ticks"
            );
        }
    }
}

fn workers_stay_in_step(workers: usize) {
    let barrier = Arc::new(StepBarrier::new(workers));
    let ticks_done: Arc<Vec<AtomicUsize>> =
        Arc::new((0..workers).map(|_| AtomicUsize::new(0)).collect());
    let others: Vec<_> = (1..workers)
        .map(|me| {
            let (barrier, ticks_done) = (Arc::clone(&barrier), Arc::clone(&ticks_done));
            thread::spawn(move || run_worker(me, &barrier, &ticks_done))
        })
        .collect();
    run_worker(0, &barrier, &ticks_done);
    for other in others {
        other.join().unwrap();
    }
}

#[test]
fn two_workers_run_two_ticks() {
    model(|| workers_stay_in_step(2));
}

#[test]
fn three_workers_run_two_ticks() {
    model(|| workers_stay_in_step(3));
}

#[test]
fn a_barrier_for_one_never_blocks() {
    model(|| {
        for parties in [0, 1] {
            let barrier = StepBarrier::new(parties);
            for _ in 0..TICKS {
                barrier.wait();
            }
        }
    });
}
