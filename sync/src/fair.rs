//! Fair yields: in the model, a thread that yields waits until another thread changes something.
//!
//! Loom schedules a thread that called `yield_now` (or `hint::spin_loop`) only when no other
//! thread can run, but it still explores every choice among the others. With several threads
//! spinning, it follows schedules in which they hand the processor to each other for ever
//! while the one thread that would end their wait never runs: no fair scheduler does that,
//! and loom gives up ("exceeded maximum number of branches") on code that is correct.
//!
//! The facade counts the changes of each schedule (atomic writes, locks taken and released,
//! cell writes). A thread that yields again with nothing changed since its last yield has
//! only waited for others that waited too; every schedule from there is one a fair
//! scheduler reaches without the extra turn, so the facade tells loom to stop branching in
//! this schedule and let it run on with loom's default choice (the thread that yielded
//! least), which lets the starved thread run. What is left in a loop is real: threads that
//! keep changing state without getting anywhere (a livelock), or threads that wait for a
//! change no thread will make; both still exceed the branch limit, and the timeline says which.

use crate::backend::raw_thread;
use crate::trace::{self, ObjectId, ObjectKind, Record};
use std::cell::RefCell;

#[derive(Default)]
struct Fairness {
    /// Changes so far in this schedule, by any thread.
    changes: u64,
    /// Per thread number, `changes` when it last yielded.
    yielded_at: Vec<Option<u64>>,
}

/// Only the OS thread running the model touches it; loom threads are coroutines on it.
struct PerSchedule(RefCell<Fairness>);

// Safety: loom runs every thread of a model on the one OS thread that called the model, and
// no loom operation runs while the cell is borrowed, so no two borrows overlap.
unsafe impl Sync for PerSchedule {}
unsafe impl Send for PerSchedule {}

raw_thread::lazy_static! {
    // Loom's statics live for one schedule: each schedule starts with no changes.
    static ref FAIRNESS: PerSchedule = PerSchedule(RefCell::new(Fairness::default()));
}

fn with<R>(f: impl FnOnce(&mut Fairness) -> R) -> R {
    f(&mut FAIRNESS.0.borrow_mut())
}

/// Notes that the current thread changed shared state: a yielding thread may now see it.
pub(crate) fn changed() {
    if std::thread::panicking() {
        return;
    }
    with(|f| f.changes += 1);
}

/// `thread::yield_now` (`how` = "yield_now") and `hint::spin_loop` ("spin_loop") in the model.
#[track_caller]
pub(crate) fn yield_now(how: &'static str) {
    let me = trace::thread_number(crate::backend::thread::current().id());
    let idle = with(|f| {
        if f.yielded_at.len() <= me {
            f.yielded_at.resize(me + 1, None);
        }
        let now = f.changes;
        f.yielded_at[me].replace(now) == Some(now)
    });
    trace::record(|| {
        Record::new("yield", ObjectKind::Thread, ObjectId::thread(me))
            .method(how)
            .value(if idle { "nothing changed" } else { "" })
    });
    if idle {
        // Nothing changed since this thread last yielded: the turns in between were wasted
        // on other waiters. Run on without exploring alternatives (see the module's doc).
        raw_thread::skip_branch();
    }
    raw_thread::yield_now();
}
