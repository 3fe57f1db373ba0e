//! The watcher's worker thread: runs the pipeline so the screen never waits on cargo. One run
//! at a time; the newest request wins, and a new request cancels the run in flight (the
//! runner kills that run's process group).

use crate::pipeline::{self, Options, Progress};
use crate::runner::CancelToken;
use crate::verdict::Verdict;
use crate::workbook::Exercise;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// What to check.
#[derive(Debug, Clone)]
pub enum Job {
    /// One exercise (the current one).
    One(Exercise),
    /// Several at once (`c`, check all), building each flavor once for all of them.
    All(Vec<Exercise>),
}

/// What the worker tells the screen, tagged with the request's id so that reports of a
/// cancelled run are told apart from the current one's.
#[derive(Debug)]
pub enum Report {
    Progress(u64, Progress),
    /// The verdicts, in the job's order, or why there are none.
    Done(u64, Result<Vec<Verdict>, String>),
}

struct Request {
    id: u64,
    job: Job,
}

#[derive(Default)]
struct Shared {
    /// The id of the newest request; an older one is never started.
    latest: u64,
    /// The run in flight.
    running: Option<CancelToken>,
    stopping: bool,
}

/// A handle that can cancel the run in flight and wait for it, from any thread (the panic
/// hook uses it too).
#[derive(Clone)]
pub struct Stopper(Arc<(Mutex<Shared>, Condvar)>);

impl Stopper {
    /// Cancels the run in flight and any queued one, refuses new ones, and waits up to
    /// `grace` for the run's processes to be gone.
    pub fn stop(&self, grace: Duration) {
        let (lock, idle) = &*self.0;
        let Ok(mut shared) = lock.lock() else { return };
        shared.stopping = true;
        if let Some(token) = &shared.running {
            token.cancel();
        }
        let _ = idle.wait_timeout_while(shared, grace, |s| s.running.is_some());
    }
}

pub struct Worker {
    requests: Sender<Request>,
    stopper: Stopper,
    _thread: JoinHandle<()>,
}

impl Worker {
    /// Starts the thread; its reports go to `report` (wrapped by `wrap` into the caller's
    /// event type).
    pub fn start<E: Send + 'static>(
        workspace: PathBuf,
        events: Sender<E>,
        wrap: fn(Report) -> E,
    ) -> Worker {
        let (requests, rx) = mpsc::channel();
        let stopper = Stopper(Arc::default());
        let shared = stopper.clone();
        let thread = thread::Builder::new()
            .name("racelings-worker".into())
            .spawn(move || serve(&workspace, &rx, &shared, &events, wrap))
            .expect("starting the worker thread");
        Worker {
            requests,
            stopper,
            _thread: thread,
        }
    }

    /// Asks for a run; cancels the one in flight, whose verdict will never be reported as
    /// `id`'s.
    pub fn submit(&self, id: u64, job: Job) {
        {
            let mut shared = self.stopper.0.0.lock().expect("worker state");
            shared.latest = id;
            if let Some(token) = &shared.running {
                token.cancel();
            }
        }
        let _ = self.requests.send(Request { id, job });
    }

    pub fn stopper(&self) -> Stopper {
        self.stopper.clone()
    }

    /// Cancels everything and waits (up to `grace`) until no process of a run is left.
    pub fn stop(self, grace: Duration) {
        self.stopper.stop(grace);
        // Dropping the request channel lets the idle thread end.
    }
}

fn serve<E: Send>(
    workspace: &std::path::Path,
    requests: &Receiver<Request>,
    stopper: &Stopper,
    events: &Sender<E>,
    wrap: fn(Report) -> E,
) {
    let (lock, idle) = &*stopper.0;
    while let Ok(mut request) = requests.recv() {
        // Only the newest of the queued requests matters.
        while let Ok(newer) = requests.try_recv() {
            request = newer;
        }
        let token = CancelToken::new();
        {
            let mut shared = lock.lock().expect("worker state");
            if shared.stopping {
                return;
            }
            if request.id != shared.latest {
                continue;
            }
            shared.running = Some(token.clone());
        }
        let mut opts = Options::for_workspace(workspace);
        opts.cancel = Some(token.clone());
        let id = request.id;
        let progress = |p: Progress| {
            let _ = events.send(wrap(Report::Progress(id, p)));
        };
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| match &request.job {
            Job::One(e) => pipeline::check(e, &opts, &progress).map(|v| vec![v]),
            Job::All(all) => pipeline::check_all(&all.iter().collect::<Vec<_>>(), &opts, &progress),
        }));
        {
            let mut shared = lock.lock().expect("worker state");
            shared.running = None;
            idle.notify_all();
        }
        // A cancelled run's verdict describes code that is no longer there.
        if token.is_cancelled() {
            continue;
        }
        let result = match outcome {
            Ok(Ok(verdicts)) => Ok(verdicts),
            Ok(Err(err)) => Err(format!("{err:#}")),
            Err(panic) => Err(format!(
                "racelings itself failed while checking: {}",
                panic_message(&panic)
            )),
        };
        let _ = events.send(wrap(Report::Done(id, result)));
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}
