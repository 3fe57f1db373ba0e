//! Wrong: close calls notify_one twice, one wakeup for each of the two workers the pool was
//! tested with. With three workers waiting when close runs, the third is never woken and sits
//! in pop after the service has shut down.
//! The job queue behind the thumbnail service's worker pool.
//!
//! The web front end pushes a job for every uploaded image; a pool of worker threads each
//! loop on `pop`, and a worker stops when `pop` returns `None`, which should only happen
//! once the service closes the queue at shutdown. In production, workers kept quitting
//! while the service was running: the pool shrank over the day, and on quiet nights every
//! worker was gone and uploads piled up with nobody to resize them.
//!
//! Fixed means: while the queue is open, `pop` never returns `None` and never stays
//! blocked while a job is queued; every pushed job is returned by exactly one `pop`; and
//! once `close` has run, `pop` hands out the jobs still queued and then returns `None`, at
//! once, to every worker, including those already waiting when `close` ran.

use racelings_sync::{Condvar, Mutex};
use std::collections::VecDeque;

struct State<J> {
    jobs: VecDeque<J>,
    closed: bool,
}

/// A multi-producer, multi-consumer queue of jobs.
pub struct JobQueue<J> {
    state: Mutex<State<J>>,
    job_or_closed: Condvar,
}

impl<J> Default for JobQueue<J> {
    fn default() -> Self {
        Self::new()
    }
}

impl<J> JobQueue<J> {
    pub fn new() -> Self {
        JobQueue {
            state: Mutex::new(State {
                jobs: VecDeque::new(),
                closed: false,
            }),
            job_or_closed: Condvar::new(),
        }
    }

    /// Adds a job and wakes a worker to run it.
    pub fn push(&self, job: J) {
        let mut state = self.state.lock().unwrap();
        state.jobs.push_back(job);
        self.job_or_closed.notify_one();
    }

    /// Shuts the queue: workers drain what is left, then `pop` returns `None`.
    pub fn close(&self) {
        let mut state = self.state.lock().unwrap();
        state.closed = true;
        self.job_or_closed.notify_one();
        self.job_or_closed.notify_one();
    }

    /// The next job, blocking while the queue is empty; `None` once closed and drained.
    pub fn pop(&self) -> Option<J> {
        let mut state = self.state.lock().unwrap();
        while state.jobs.is_empty() && !state.closed {
            state = self.job_or_closed.wait(state).unwrap();
        }
        state.jobs.pop_front()
    }
}
