//! Producers and a worker sharing a one-slot queue, under every interleaving loom explores.
#![cfg(loom)]

use bounded_queue::JobQueue;
use racelings_sync::{Arc, model, thread};

#[test]
fn producer_resumes_when_a_job_is_taken() {
    model(|| {
        let queue = Arc::new(JobQueue::with_capacity(1));
        let producer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                queue.submit("resize");
                queue.submit("thumbnail");
            })
        };
        let first = queue.take();
        let second = queue.take();
        producer.join().unwrap();
        assert_eq!(
            (first, second),
            ("resize", "thumbnail"),
            "both jobs were taken, in the order they were submitted"
        );
        assert!(queue.is_empty(), "nothing is left in the queue");
    });
}

#[test]
fn two_producers_share_one_slot() {
    model(|| {
        let queue = Arc::new(JobQueue::with_capacity(1));
        let producers: Vec<_> = [&[1, 2][..], &[3][..]]
            .into_iter()
            .map(|jobs| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || jobs.iter().for_each(|&job| queue.submit(job)))
            })
            .collect();
        let taken = [queue.take(), queue.take(), queue.take()];
        for producer in producers {
            producer.join().unwrap();
        }
        let mut sorted = taken;
        sorted.sort();
        assert_eq!(
            sorted,
            [1, 2, 3],
            "each submitted job was taken exactly once"
        );
        assert!(
            taken.iter().position(|&job| job == 1) < taken.iter().position(|&job| job == 2),
            "one producer's jobs were taken in the order it submitted them (got {taken:?})"
        );
    });
}
