//! Under loom: when a timed wait's time runs out. Loom has no clock, and its timed waits
//! never time out, so a loop that polls with a timeout was reported as a deadlock.
//!
//! A thread in a timed wait blocks like any waiter, with a timer armed. The timers fire when
//! no other thread can go on: every other thread is blocked in a facade wait, park or join,
//! or has finished. Then time is all that is left to pass, and it does. (A thread blocked
//! taking a lock counts as able to go on; the facade cannot see it.) Firing only then keeps
//! two polling threads from timing each other out for ever while a third could run, which
//! would explode the model. Early timeouts, before a notification that would come, are the
//! spurious pass's job (see `condvar.rs`).
//!
//! The bookkeeping is plain memory, not loom objects: it adds no step to any schedule.

use crate::Condvar;
use std::cell::RefCell;

/// What a thread is doing, as far as the facade can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    /// Blocked in a facade wait, park or join.
    Blocked(Waits),
    /// Made runnable by another thread (notified, unparked, its joined thread finished, its
    /// timer fired) and not yet running again.
    Woken,
    Finished,
}

/// What a blocked thread waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waits {
    /// A notification on the condition variable at this address.
    Condvar(usize),
    /// The thread with this number to finish.
    Join(usize),
    /// Its park token.
    Park,
}

/// A timed wait's timer: the waiting thread, its condition variable and its ticket.
struct Timer {
    thread: usize,
    condvar: *const Condvar,
    ticket: u64,
}

#[derive(Default)]
struct Clock {
    threads: Vec<Option<State>>,
    timers: Vec<Timer>,
}

thread_local! {
    // Loom runs every modelled thread of a model on the OS thread that runs the model.
    static CLOCK: RefCell<Clock> = RefCell::new(Clock::default());
}

fn with<R>(f: impl FnOnce(&mut Clock) -> R) -> R {
    CLOCK.with(|c| f(&mut c.borrow_mut()))
}

impl Clock {
    fn set(&mut self, thread: usize, state: State) {
        if self.threads.len() <= thread {
            self.threads.resize(thread + 1, None);
        }
        self.threads[thread] = Some(state);
    }

    fn others_can_run(&self, me: usize) -> bool {
        self.threads
            .iter()
            .enumerate()
            .any(|(t, s)| t != me && matches!(s, Some(State::Running | State::Woken)))
    }

    /// The timers to fire now, if no thread but `me` can go on (they are disarmed).
    fn expired(&mut self, me: usize) -> Vec<Timer> {
        if self.others_can_run(me) {
            return Vec::new();
        }
        let (fire, keep) = std::mem::take(&mut self.timers)
            .into_iter()
            .partition(|t| t.thread != me);
        self.timers = keep;
        for t in &fire {
            self.set(t.thread, State::Woken);
        }
        fire
    }
}

fn me() -> usize {
    crate::trace::thread_number(crate::backend::thread::current().id())
}

fn fire(timers: Vec<Timer>) {
    for t in timers {
        // Safety: a timer is disarmed (taken from the list) before its wait returns, so
        // the condition variable it names is alive while it is armed.
        let condvar = unsafe { &*t.condvar };
        condvar.time_out(t.ticket);
    }
}

/// A new schedule: only the main thread, running.
pub(crate) fn begin_schedule() {
    with(|c| {
        *c = Clock::default();
        c.set(0, State::Running);
    });
}

/// Thread `number` was spawned.
pub(crate) fn spawned(number: usize) {
    // It may have run (and blocked, or finished) before its spawner got here.
    with(|c| {
        if c.threads.get(number).is_none_or(Option::is_none) {
            c.set(number, State::Running);
        }
    });
}

/// The current thread has finished: whoever joins it can go on.
pub(crate) fn finished() {
    let me = me();
    let fire_now = with(|c| {
        c.set(me, State::Finished);
        for t in 0..c.threads.len() {
            if c.threads[t] == Some(State::Blocked(Waits::Join(me))) {
                c.set(t, State::Woken);
            }
        }
        c.expired(me)
    });
    fire(fire_now);
}

/// The current thread is about to block; if no other thread can go on, the other
/// threads' timers fire.
pub(crate) fn block(waits: Waits) {
    let me = me();
    let fire_now = with(|c| {
        c.set(me, State::Blocked(waits));
        c.expired(me)
    });
    fire(fire_now);
}

/// As [`block`], for a join: does not block the thread if `target` has finished.
pub(crate) fn block_on_join(target: usize) {
    let done = with(|c| c.threads.get(target) == Some(&Some(State::Finished)));
    if !done {
        block(Waits::Join(target));
    }
}

/// The current thread runs again.
pub(crate) fn resumed() {
    let me = me();
    with(|c| c.set(me, State::Running));
}

/// Arms the current thread's timer for its timed wait on `condvar` with `ticket`.
pub(crate) fn arm(condvar: &Condvar, ticket: u64) {
    let me = me();
    with(|c| {
        c.timers.push(Timer {
            thread: me,
            condvar,
            ticket,
        })
    });
}

/// Disarms the current thread's timer, if it has not fired.
pub(crate) fn disarm() {
    let me = me();
    with(|c| c.timers.retain(|t| t.thread != me));
}

/// The threads blocked for `waits` may go on (a notification, an unpark).
pub(crate) fn wake(waits: Waits) {
    with(|c| {
        for t in 0..c.threads.len() {
            if c.threads[t] == Some(State::Blocked(waits)) {
                c.set(t, State::Woken);
            }
        }
    });
}

/// Thread `number`, if parked, may go on.
pub(crate) fn unparked(number: usize) {
    with(|c| {
        if c.threads.get(number) == Some(&Some(State::Blocked(Waits::Park))) {
            c.set(number, State::Woken);
        }
    });
}
