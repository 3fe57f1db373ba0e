//! Alternative, and a slow one: the producer's wait has a timeout, so it re-checks the queue
//! every 10 ms. Nothing ever notifies a producer (`take` still wakes `not_empty`, another
//! worker), but polling is enough: every timed wait ends (in the loom model too: a timed
//! wait's time runs out once no other thread can go on), and the loop re-checks. A
//! producer may sit up to 10 ms with room in the queue; notifying `not_full` avoids that.
//!
//! A bounded job queue between the request threads that submit jobs and the workers that
//! run them.
//!
//! `submit` blocks while the queue is full, so a burst of requests cannot pile up unbounded
//! work behind the workers, and `take` blocks while it is empty. At ordinary load it worked.
//! During the first real burst the service froze: the workers had drained the queue and sat
//! idle waiting for jobs, while every request thread that had found the queue full stayed
//! blocked in `submit`, with room in the queue, until the service was restarted.
//!
//! (The workbook's condition variables wake now and then on their own, as real ones may, so
//! in the stress runs the freeze shows only as producers crawling; the loom check, which has
//! no such wakeups in its normal pass, reports it as the deadlock it is.)
//!
//! Fixed means: the queue never holds more than `capacity` jobs, and every submitted job is
//! taken exactly once, first in, first out (so each producer's jobs in the order it
//! submitted them). `submit` waits only while the queue is full and `take` only while it is
//! empty: however many producers and workers are blocked at once, a producer never stays
//! blocked while the queue has room, nor a worker while it holds a job. A producer blocked
//! on a full queue resumes once a worker takes a job, without waiting for the queue to
//! drain or for anything else.

use racelings_sync::{Condvar, Mutex};
use std::collections::VecDeque;

/// A first-in, first-out queue holding at most `capacity` jobs.
#[derive(Debug)]
pub struct JobQueue<T> {
    jobs: Mutex<VecDeque<T>>,
    capacity: usize,
    not_full: Condvar,
    not_empty: Condvar,
}

impl<T> JobQueue<T> {
    /// An empty queue that holds at most `capacity` jobs (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        JobQueue {
            jobs: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_full: Condvar::new(),
            not_empty: Condvar::new(),
        }
    }

    /// Adds a job at the back, waiting while the queue is full.
    pub fn submit(&self, job: T) {
        let mut jobs = self.jobs.lock().unwrap();
        while jobs.len() == self.capacity {
            jobs = self
                .not_full
                .wait_timeout(jobs, std::time::Duration::from_millis(10))
                .unwrap()
                .0;
        }
        jobs.push_back(job);
        self.not_empty.notify_one();
    }

    /// Removes the job at the front, waiting while the queue is empty.
    pub fn take(&self) -> T {
        let mut jobs = self.jobs.lock().unwrap();
        while jobs.is_empty() {
            jobs = self.not_empty.wait(jobs).unwrap();
        }
        let job = jobs.pop_front().expect("the queue is not empty");
        self.not_empty.notify_one();
        job
    }

    /// How many jobs are waiting right now.
    pub fn len(&self) -> usize {
        self.jobs.lock().unwrap().len()
    }

    /// Whether no job is waiting right now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
