//! Producers and workers sharing a small queue, under every interleaving loom explores.
#![cfg(loom)]

use bounded_queue::JobQueue;
use racelings_sync::{Arc, model, thread};

/// Submits `job`, then checks that the queue is within its capacity, as it is at any moment.
fn submit_checked<T>(queue: &JobQueue<T>, capacity: usize, job: T) {
    queue.submit(job);
    let held = queue.len();
    assert!(
        held <= capacity,
        "a queue with capacity {capacity} held {held} jobs"
    );
}

#[test]
fn producer_resumes_when_a_job_is_taken() {
    model(|| {
        let queue = Arc::new(JobQueue::with_capacity(2));
        let producer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                for job in ["resize", "thumbnail", "watermark"] {
                    submit_checked(&queue, 2, job);
                }
            })
        };
        let first = queue.take();
        // One job taken makes room for the producer's last one: it finishes while the other
        // job is still waiting in the queue.
        producer.join().unwrap();
        let rest = (queue.take(), queue.take());
        assert_eq!(
            (first, rest.0, rest.1),
            ("resize", "thumbnail", "watermark"),
            "every job was taken, in the order it was submitted"
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
                thread::spawn(move || jobs.iter().for_each(|&job| submit_checked(&queue, 1, job)))
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

#[test]
fn each_take_lets_a_blocked_producer_go_on() {
    model(|| {
        let queue = Arc::new(JobQueue::with_capacity(2));
        queue.submit("resize");
        queue.submit("thumbnail");
        let producers: Vec<_> = ["watermark", "crop"]
            .into_iter()
            .map(|job| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || submit_checked(&queue, 2, job))
            })
            .collect();
        // Two jobs taken make room for both producers, wherever they are blocked.
        let first = [queue.take(), queue.take()];
        for producer in producers {
            producer.join().unwrap();
        }
        let mut last = [queue.take(), queue.take()];
        last.sort();
        assert_eq!(
            (first, last),
            (["resize", "thumbnail"], ["crop", "watermark"]),
            "each submitted job was taken once, the earlier ones first"
        );
        assert!(queue.is_empty(), "nothing is left in the queue");
    });
}

#[test]
fn each_job_lets_a_blocked_worker_go_on() {
    model(|| {
        let queue = Arc::new(JobQueue::with_capacity(2));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || queue.take())
            })
            .collect();
        // Two jobs submitted give both workers one, wherever they are blocked.
        queue.submit("resize");
        queue.submit("thumbnail");
        let mut taken: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        taken.sort();
        assert_eq!(
            taken,
            ["resize", "thumbnail"],
            "each worker took one job, each job once"
        );
        assert!(queue.is_empty(), "nothing is left in the queue");
    });
}
