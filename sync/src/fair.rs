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
use std::cell::Cell;

std::thread_local! {
    /// Changes so far, by any thread of any schedule: loom runs a model's threads on one OS
    /// thread. It only ever grows, so "nothing changed since" is an equal count.
    static CHANGES: Cell<u64> = const { Cell::new(0) };
}

raw_thread::thread_local! {
    /// The change count when this (loom) thread last yielded; loom's thread-locals start
    /// afresh with each schedule.
    static YIELDED_AT: Cell<Option<u64>> = Cell::new(None);
}

/// Notes that the current thread changed shared state: a yielding thread may now see it.
pub(crate) fn changed() {
    CHANGES.with(|c| c.set(c.get() + 1));
}

/// `thread::yield_now` (`how` = "yield_now") and `hint::spin_loop` ("spin_loop") in the model.
#[track_caller]
pub(crate) fn yield_now(how: &'static str) {
    crate::publish::settle();
    let me = trace::thread_number(crate::backend::thread::current().id());
    let now = CHANGES.with(Cell::get);
    let idle = YIELDED_AT.with(|at| at.replace(Some(now)) == Some(now));
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
