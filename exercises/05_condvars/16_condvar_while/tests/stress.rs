//! A pool of workers draining the queue while the front end pushes jobs in bursts, with
//! quiet spells in between, on real threads.
#![cfg(not(loom))]

use condvar_while::JobQueue;
use racelings_sync::atomic::{AtomicBool, Ordering};
use racelings_sync::{Arc, Barrier, stress, thread};
use std::time::Duration;

const WORKERS: usize = 3;
const BURSTS: usize = 2;
const JOBS_PER_BURST: usize = 50;
const JOBS: usize = BURSTS * JOBS_PER_BURST;

#[derive(Debug, PartialEq)]
struct Round {
    /// Jobs the workers ran, counting repeats.
    ran: usize,
    /// Distinct jobs the workers ran.
    distinct: usize,
    /// Workers whose `pop` returned `None` before the queue was closed.
    quit_while_open: usize,
}

#[test]
fn every_job_runs_once_and_workers_stop_only_at_close() {
    stress(
        20,
        |_round| {
            let queue = Arc::new(JobQueue::new());
            let closing = Arc::new(AtomicBool::new(false));
            let start = Arc::new(Barrier::new(WORKERS + 1));
            let workers: Vec<_> = (0..WORKERS)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    let closing = Arc::clone(&closing);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        let mut ran = Vec::new();
                        while let Some(job) = queue.pop() {
                            ran.push(job);
                        }
                        (ran, !closing.load(Ordering::SeqCst))
                    })
                })
                .collect();
            start.wait();
            for burst in 0..BURSTS {
                // A quiet spell: the workers find the queue empty and wait.
                std::thread::sleep(Duration::from_millis(4));
                for job in 0..JOBS_PER_BURST {
                    queue.push(burst * JOBS_PER_BURST + job);
                }
            }
            closing.store(true, Ordering::SeqCst);
            queue.close();
            let mut all = Vec::new();
            let mut quit_while_open = 0;
            for worker in workers {
                let (ran, quit_early) = worker.join().unwrap();
                all.extend(ran);
                quit_while_open += usize::from(quit_early);
            }
            let ran = all.len();
            all.sort_unstable();
            all.dedup();
            Round {
                ran,
                distinct: all.len(),
                quit_while_open,
            }
        },
        |round| {
            *round
                == Round {
                    ran: JOBS,
                    distinct: JOBS,
                    quit_while_open: 0,
                }
        },
    );
}
