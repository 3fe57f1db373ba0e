//! The switch itself: the one module that names std or loom.

#[cfg(not(loom))]
mod imp {
    pub const IS_MODEL: bool = false;
    pub use std::sync::Arc;
    pub use std::sync::{
        Condvar as RawCondvar, Mutex as RawMutex, MutexGuard as RawMutexGuard, RwLock as RawRwLock,
        RwLockReadGuard as RawReadGuard, RwLockWriteGuard as RawWriteGuard,
    };

    pub mod atomic {
        pub use std::sync::atomic::{
            AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr,
            AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize, Ordering, compiler_fence,
            fence,
        };
    }

    pub mod thread {
        pub use std::thread::{JoinHandle, Thread, ThreadId, current, panicking, spawn, yield_now};
    }

    pub mod hint {
        pub use std::hint::spin_loop;
    }

    pub(crate) mod cell {
        pub(crate) use std::cell::UnsafeCell;
    }
}

#[cfg(loom)]
mod imp {
    pub const IS_MODEL: bool = true;
    pub use loom::sync::Arc;
    pub use loom::sync::{
        Condvar as RawCondvar, Mutex as RawMutex, MutexGuard as RawMutexGuard, RwLock as RawRwLock,
        RwLockReadGuard as RawReadGuard, RwLockWriteGuard as RawWriteGuard,
    };

    pub mod atomic {
        pub use loom::sync::atomic::{
            AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr,
            AtomicU8, AtomicU16, AtomicU32, AtomicU64, AtomicUsize, Ordering, fence,
        };
    }

    pub mod thread {
        pub use loom::thread::{JoinHandle, Thread, ThreadId, current, spawn};

        /// Lets the other threads run; in the model, as a fair scheduler would (see `fair.rs`).
        #[track_caller]
        pub fn yield_now() {
            crate::fair::yield_now("yield_now");
        }

        /// Whether the current thread is unwinding because of a panic.
        pub fn panicking() -> bool {
            std::thread::panicking()
        }
    }

    pub mod hint {
        /// A busy-wait hint; in the model, a fair yield (see `fair.rs`).
        #[track_caller]
        pub fn spin_loop() {
            crate::fair::yield_now("spin_loop");
        }
    }

    pub(crate) mod raw_thread {
        pub(crate) use loom::thread::yield_now;
        pub(crate) use loom::{lazy_static, skip_branch, thread_local};
    }

    pub(crate) mod cell {
        pub(crate) use loom::cell::UnsafeCell;
    }
}

pub use imp::*;
