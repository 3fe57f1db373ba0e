//! The primitives every racelings exercise imports: std in normal builds, loom under `--cfg loom`.
//!
//! Exercises and their tests write `use racelings_sync::{Arc, Mutex, Condvar, thread, …}` and
//! never name std or loom themselves, so one source file is both a real program (stress tests
//! run it on OS threads) and a loom model (every interleaving up to a preemption bound). This
//! crate is the only code in the workbook that says `cfg(loom)`.
//!
//! Where loom has no model of a std type (`Barrier`, `OnceLock`, `Condvar::wait_while`) the
//! facade builds one from modelled primitives, so loom still sees every step. Its `Condvar` may
//! wake spuriously, as the real one may: under stress every wait is a short timed wait, and a
//! loom model runs a second pass in which each condition variable's first wait returns
//! without a notification. A `wait` outside a `while` loop is caught even with one waiter.
//!
//! It also models what loom's own primitives leave out: a timed wait can time out (when no
//! other thread can go on, and at once in the spurious pass; see `clock.rs`), a `notify_one`
//! wakes any one of the waiters, `park`/`unpark` order only what std promises, and
//! `thread::sleep` and `thread::scope` exist under loom too (see `thread.rs`). And it sees
//! memory behind a pointer an `AtomicPtr`
//! publishes (`publish.rs`), a `try_lock` failing inside another thread's short critical
//! section (releasing a lock is a scheduling point, `mutex.rs`), and threads that spin with
//! `yield_now` scheduled as a fair scheduler would (`fair.rs`).
//!
//! Under loom every primitive also records what it does (which thread, which operation, the
//! value it saw or wrote, the caller's line), so a failing schedule is reported to the
//! checker as a timeline of the learner's own lines (see `trace.rs`).

mod backend;
mod barrier;
#[cfg(loom)]
mod clock;
mod condvar;
#[cfg(loom)]
mod fair;
pub mod marker;
mod mutex;
mod once;
#[cfg(loom)]
mod publish;
mod rwlock;
#[cfg(loom)]
mod trace;

pub mod atomic;
pub mod cell;
pub mod model;
pub mod stress;
pub mod thread;

pub use backend::Arc;
pub use barrier::{Barrier, BarrierWaitResult};
pub use condvar::{Condvar, WaitTimeoutResult};
pub use mutex::{Mutex, MutexGuard};
pub use once::OnceLock;
pub use rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
pub use std::sync::{LockResult, PoisonError, TryLockError, TryLockResult};

pub use model::model;
pub use stress::stress;

/// Hints to the processor and to the model checker.
pub mod hint {
    pub use crate::backend::hint::*;
}

/// True when this build is a loom model (`--cfg loom`), false on real threads.
pub const IS_MODEL: bool = backend::IS_MODEL;
