//! Spawning, joining and yielding threads; under loom, spawn and join are timeline steps.

#[cfg(not(loom))]
pub use crate::backend::thread::*;

#[cfg(loom)]
pub use crate::backend::thread::{Thread, ThreadId, current, panicking, yield_now};
#[cfg(loom)]
pub use recorded::{JoinHandle, spawn};

#[cfg(loom)]
mod recorded {
    use crate::backend::thread as raw;
    use crate::trace::{self, ObjectId, ObjectKind, Record};
    use std::fmt;

    /// Owns a spawned thread: `join` waits for it and returns what it returned.
    pub struct JoinHandle<T> {
        raw: raw::JoinHandle<T>,
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
        let raw = raw::spawn(f);
        let number = trace::thread_number(raw.thread().id());
        trace::record(|| {
            Record::new("spawn", ObjectKind::Thread, thread_object(number)).value(number)
        });
        JoinHandle { raw, number }
    }

    impl<T> JoinHandle<T> {
        /// Waits for the thread to finish; `Err` if it panicked.
        #[track_caller]
        pub fn join(self) -> std::thread::Result<T> {
            let number = self.number;
            let joined =
                || Record::new("join", ObjectKind::Thread, thread_object(number)).value(number);
            trace::blocking(joined);
            let result = self.raw.join();
            trace::unblocked();
            trace::record(joined);
            result
        }

        /// The thread this handle owns.
        pub fn thread(&self) -> &raw::Thread {
            self.raw.thread()
        }
    }

    impl<T: fmt::Debug> fmt::Debug for JoinHandle<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("JoinHandle").finish_non_exhaustive()
        }
    }
}
