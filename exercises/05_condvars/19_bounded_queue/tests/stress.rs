//! Producers and workers sharing a small queue on real threads: it is full much of the time.
#![cfg(not(loom))]

use bounded_queue::JobQueue;
use racelings_sync::{Arc, Barrier, stress, thread};

const PRODUCERS: usize = 2;
const WORKERS: usize = 2;
const JOBS_EACH: usize = 100;
const CAPACITY: usize = 2;

/// What the workers received in one round.
#[derive(Debug, PartialEq, Eq)]
struct Delivery {
    taken: usize,
    missing: usize,
    duplicated: usize,
    out_of_order: usize,
    /// Times a producer, right after its submit, saw more than `CAPACITY` jobs queued.
    overfull: usize,
}

#[test]
fn every_job_is_taken_once_in_order() {
    stress(
        20,
        |_round| {
            let queue = Arc::new(JobQueue::with_capacity(CAPACITY));
            let start = Arc::new(Barrier::new(PRODUCERS + WORKERS));
            let producers: Vec<_> = (0..PRODUCERS)
                .map(|producer| {
                    let queue = Arc::clone(&queue);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        let mut overfull = 0;
                        for seq in 0..JOBS_EACH {
                            queue.submit((producer, seq));
                            if queue.len() > CAPACITY {
                                overfull += 1;
                            }
                        }
                        overfull
                    })
                })
                .collect();
            let workers: Vec<_> = (0..WORKERS)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        (0..PRODUCERS * JOBS_EACH / WORKERS)
                            .map(|_| queue.take())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let overfull = producers.into_iter().map(|p| p.join().unwrap()).sum();
            let mut seen = vec![0usize; PRODUCERS * JOBS_EACH];
            let mut out_of_order = 0;
            for worker in workers {
                let mut last = [None; PRODUCERS];
                for (producer, seq) in worker.join().unwrap() {
                    seen[producer * JOBS_EACH + seq] += 1;
                    if last[producer].is_some_and(|prev| prev >= seq) {
                        out_of_order += 1;
                    }
                    last[producer] = Some(seq);
                }
            }
            Delivery {
                taken: seen.iter().sum(),
                missing: seen.iter().filter(|&&n| n == 0).count(),
                duplicated: seen.iter().filter(|&&n| n > 1).count(),
                out_of_order,
                overfull,
            }
        },
        |delivery| {
            *delivery
                == Delivery {
                    taken: PRODUCERS * JOBS_EACH,
                    missing: 0,
                    duplicated: 0,
                    out_of_order: 0,
                    overfull: 0,
                }
        },
    );
}
