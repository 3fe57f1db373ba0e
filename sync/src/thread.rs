//! Spawning, joining, parking, sleeping and scoped threads; under loom, each is a timeline
//! step, and park, `park_timeout` and `sleep` are built from modelled primitives (see
//! `park.rs`; scoped threads in `scope.rs`).

#[cfg(not(loom))]
pub use crate::backend::thread::*;
#[cfg(not(loom))]
pub use std::thread::{Scope, ScopedJoinHandle, park_timeout, scope, sleep};

#[cfg(loom)]
mod park;
#[cfg(loom)]
mod scope;

#[cfg(loom)]
pub use crate::backend::thread::{ThreadId, panicking, yield_now};
#[cfg(loom)]
pub use park::{Thread, current, park, park_timeout, sleep};
#[cfg(loom)]
pub use recorded::{JoinHandle, spawn};
#[cfg(loom)]
pub use scope::{Scope, ScopedJoinHandle, scope};

/// Blocks until the thread's token is available (taking it), or returns spuriously, as
/// std's may: on real threads it waits at most a few milliseconds, so code that parks
/// outside a loop that checks its condition is caught by the stress runs.
#[cfg(not(loom))]
pub fn park() {
    std::thread::park_timeout(std::time::Duration::from_millis(2));
}

#[cfg(loom)]
mod recorded {
    use super::park::{Parker, Thread, adopt};
    use crate::backend::thread as raw;
    use crate::trace::{self, ObjectId, ObjectKind, Record};
    use std::fmt;

    /// Owns a spawned thread: `join` waits for it and returns what it returned.
    pub struct JoinHandle<T> {
        raw: raw::JoinHandle<T>,
        thread: Thread,
        /// The thread's number in the schedule (1, 2, …; 0 is the model's main thread).
        number: usize,
    }

    fn thread_object(number: usize) -> ObjectId {
        ObjectId::thread(number)
    }

    /// Starts a thread running `f`.
    #[track_caller]
    pub fn spawn<F, T>(f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T,
        F: 'static,
        T: 'static,
    {
        // The thread and its handle share one parker, made by whichever needs it first.
        let parker = std::sync::Arc::new(std::sync::OnceLock::<std::sync::Arc<Parker>>::new());
        let own = std::sync::Arc::clone(&parker);
        let raw = raw::spawn(move || {
            let number = trace::thread_number(raw::current().id());
            adopt(std::sync::Arc::clone(
                own.get_or_init(|| Parker::new(number)),
            ));
            let result = f();
            crate::clock::finished();
            result
        });
        let number = trace::thread_number(raw.thread().id());
        crate::clock::spawned(number);
        let parker = std::sync::Arc::clone(parker.get_or_init(|| Parker::new(number)));
        let thread = Thread::new(raw.thread().clone(), parker);
        trace::record(|| {
            Record::new("spawn", ObjectKind::Thread, thread_object(number)).value(number)
        });
        JoinHandle {
            raw,
            thread,
            number,
        }
    }

    impl<T> JoinHandle<T> {
        /// Waits for the thread to finish; `Err` if it panicked.
        #[track_caller]
        pub fn join(self) -> std::thread::Result<T> {
            let number = self.number;
            let joined =
                || Record::new("join", ObjectKind::Thread, thread_object(number)).value(number);
            trace::blocking(joined);
            crate::clock::block_on_join(number);
            let result = self.raw.join();
            crate::clock::resumed();
            trace::unblocked();
            trace::record(joined);
            result
        }

        /// The thread this handle owns.
        pub fn thread(&self) -> &Thread {
            &self.thread
        }
    }

    impl<T: fmt::Debug> fmt::Debug for JoinHandle<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("JoinHandle").finish_non_exhaustive()
        }
    }
}
