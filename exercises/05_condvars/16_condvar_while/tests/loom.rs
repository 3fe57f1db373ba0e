//! Two workers (one of them the main thread) waiting for jobs while the front end pushes
//! two, under every interleaving loom explores, and once more with a wakeup nobody sent.
#![cfg(loom)]

use condvar_while::JobQueue;
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
