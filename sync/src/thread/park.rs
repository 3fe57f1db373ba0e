//! Under loom: `park`, `park_timeout` and `Thread::unpark` built on a modelled lock and
//! condition variable, carrying only the ordering std promises.
//!
//! Loom's own `unpark` hands the unparked thread everything the unparker did, at once, even
//! if that thread never parks: a `Relaxed` "ready" flag followed by `unpark` would pass. Here
//! the unpark leaves a token under a lock, and only the park that takes the token (by taking
//! the lock after the unparker released it) is ordered after the unparker, as std's is.
//! A park may also return without a token, as std allows: in the model's spurious pass,
//! each thread's first park does; and `park_timeout` may time out wherever the schedule
//! allows (it lets the other threads run first, then returns, with or without a token).

use crate::backend::thread as raw;
use crate::backend::{RawCondvar, RawMutex};
use crate::trace::{self, ObjectId, ObjectKind, Record};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::Duration;

/// One thread's park token.
pub(crate) struct Parker {
    token: RawMutex<bool>,
    unparked: RawCondvar,
    /// This thread's park has returned spuriously in this schedule (once is enough).
    woken_spuriously: AtomicBool,
    /// The thread's number in the schedule.
    number: usize,
}

impl Parker {
    pub(crate) fn new(number: usize) -> Arc<Parker> {
        Arc::new(Parker {
            token: RawMutex::new(false),
            unparked: RawCondvar::new(),
            woken_spuriously: AtomicBool::new(false),
            number,
        })
    }

    fn step(&self, op: &'static str) -> Record {
        Record::new(op, ObjectKind::Thread, ObjectId::thread(self.number))
    }
}

loom::thread_local! {
    /// The current thread's parker, set when a facade `spawn` starts it, made on first use
    /// for the model's main thread.
    static PARKER: std::cell::RefCell<Option<Arc<Parker>>> = std::cell::RefCell::new(None);
}

/// Makes `parker` the current thread's (at the start of a spawned thread).
pub(crate) fn adopt(parker: Arc<Parker>) {
    PARKER.with(|p| *p.borrow_mut() = Some(parker));
}

fn own_parker() -> Arc<Parker> {
    PARKER.with(|p| {
        p.borrow_mut()
            .get_or_insert_with(|| Parker::new(trace::thread_number(raw::current().id())))
            .clone()
    })
}

/// A handle to a thread, as `std::thread::Thread`: its id, its name, and `unpark`.
#[derive(Clone)]
pub struct Thread {
    raw: raw::Thread,
    parker: Arc<Parker>,
}

impl Thread {
    pub(crate) fn new(raw: raw::Thread, parker: Arc<Parker>) -> Thread {
        Thread { raw, parker }
    }

    /// The thread's id.
    pub fn id(&self) -> raw::ThreadId {
        self.raw.id()
    }

    /// The thread's name, if it was given one.
    pub fn name(&self) -> Option<&str> {
        self.raw.name()
    }

    /// Gives the thread its park token: its next `park` (or the one it is in) returns. What
    /// the caller did before is visible to the thread once that park has returned, and not
    /// before.
    #[track_caller]
    pub fn unpark(&self) {
        let p = &self.parker;
        trace::record(|| p.step("unpark").value(p.number));
        let mut token = p.token.lock().unwrap_or_else(|e| e.into_inner());
        *token = true;
        crate::clock::unparked(p.number);
        p.unparked.notify_one();
    }
}

impl fmt::Debug for Thread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Thread")
            .field("number", &self.parker.number)
            .finish_non_exhaustive()
    }
}

/// The handle of the thread that calls it.
pub fn current() -> Thread {
    Thread::new(raw::current(), own_parker())
}

/// Blocks until the thread's token is available (taking it), or returns spuriously.
#[track_caller]
pub fn park() {
    crate::model::note_condvar_wait();
    let p = own_parker();
    trace::record(|| p.step("park"));
    trace::blocking(|| p.step("park"));
    // Before the token's lock: blocking may fire other threads' timers (loom steps).
    crate::clock::block(crate::clock::Waits::Park);
    let mut token = p.token.lock().unwrap_or_else(|e| e.into_inner());
    if crate::model::spurious_pass() && !p.woken_spuriously.swap(true, Relaxed) {
        drop(token);
        crate::clock::resumed();
        trace::unblocked();
        trace::record(|| p.step("unparked").value("spurious"));
        return;
    }
    while !*token {
        token = p.unparked.wait(token).unwrap_or_else(|e| e.into_inner());
    }
    *token = false;
    drop(token);
    crate::clock::resumed();
    trace::unblocked();
    trace::record(|| p.step("unparked").value("unpark"));
}

/// As [`park`], but the time may run out first: the other threads run, then it returns,
/// having taken the token if one came meanwhile.
#[track_caller]
pub fn park_timeout(timeout: Duration) {
    let _ = timeout;
    let p = own_parker();
    trace::record(|| p.step("park"));
    let taken = |p: &Parker| {
        let mut token = p.token.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::replace(&mut *token, false)
    };
    let unparked = taken(&p) || {
        raw::yield_now();
        taken(&p)
    };
    trace::record(|| {
        p.step("unparked").value(match unparked {
            true => "unpark",
            false => "timed out",
        })
    });
}

/// Puts the thread to sleep; in a model, lets the other threads run first.
#[track_caller]
pub fn sleep(duration: Duration) {
    let _ = duration;
    let p = own_parker();
    trace::record(|| p.step("sleep"));
    raw::yield_now();
}

/// A `Thread` is shared between threads, as std's is.
#[allow(dead_code)]
fn threads_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Thread>();
}
