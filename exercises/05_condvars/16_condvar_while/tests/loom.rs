//! The job queue under every interleaving loom explores, and once more with a wakeup nobody
//! sent: two workers (one of them the main thread) waiting for the two jobs the front end
//! pushes; a shutdown, with two workers that keep coming back for jobs while the service
//! pushes its last job and closes the queue; and a shutdown of an idle pool of three workers.
#![cfg(loom)]

use condvar_while::JobQueue;
use racelings_sync::atomic::{AtomicBool, Ordering};
use racelings_sync::{Arc, model, thread};

#[test]
fn two_workers_get_one_job_each() {
    model(|| {
        let queue = Arc::new(JobQueue::new());
        let other_worker = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop())
        };
        let front_end = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                queue.push(1);
                queue.push(2);
            })
        };
        let mine = queue.pop();
        front_end.join().unwrap();
        let theirs = other_worker.join().unwrap();
        let mut got = vec![mine, theirs];
        assert!(
            got.iter().all(Option::is_some),
            "pop gave each worker a job while the queue was open (got {got:?})"
        );
        got.sort();
        assert_eq!(
            got,
            [Some(1), Some(2)],
            "each job went to exactly one worker"
        );
    });
}

/// Two workers, each looping on `pop` until it returns `None`, while the service pushes one
/// last job and closes the queue. Both workers may be waiting when `close` runs, or may
/// come back after it; the job may still be queued when it runs.
#[test]
fn close_hands_out_the_last_job_then_stops_every_worker() {
    model(|| {
        let queue = Arc::new(JobQueue::new());
        // Set just before `close`: a worker that sees `None` checks that it was set.
        let closing = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let queue = Arc::clone(&queue);
                let closing = Arc::clone(&closing);
                thread::spawn(move || {
                    let mut ran = Vec::new();
                    while let Some(job) = queue.pop() {
                        ran.push(job);
                    }
                    assert!(
                        closing.load(Ordering::SeqCst),
                        "pop returned None while the queue was open"
                    );
                    ran
                })
            })
            .collect();
        queue.push(7);
        closing.store(true, Ordering::SeqCst);
        queue.close();
        let ran: Vec<i32> = workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect();
        assert_eq!(
            ran,
            [7],
            "the job queued at close ran once, then every worker stopped"
        );
    });
}

/// Three idle workers, any of them possibly waiting when the service closes the queue:
/// waking some of them (one, two, any fixed number short of all) leaves a worker blocked.
#[test]
fn close_stops_three_idle_workers() {
    model(|| {
        let queue = Arc::new(JobQueue::<i32>::new());
        let closing = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let queue = Arc::clone(&queue);
                let closing = Arc::clone(&closing);
                thread::spawn(move || {
                    let job = queue.pop();
                    assert!(
                        closing.load(Ordering::SeqCst),
                        "pop returned {job:?} while the queue was open and empty"
                    );
                    job
                })
            })
            .collect();
        closing.store(true, Ordering::SeqCst);
        queue.close();
        for worker in workers {
            assert_eq!(
                worker.join().unwrap(),
                None,
                "pop returned None to every worker once the queue was closed"
            );
        }
    });
}
