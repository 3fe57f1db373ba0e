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
            AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr, AtomicU32, AtomicU64,
            AtomicUsize, Ordering, fence,
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
            AtomicBool, AtomicI32, AtomicI64, AtomicIsize, AtomicPtr, AtomicU32, AtomicU64,
            AtomicUsize, Ordering, fence,
        };
    }

    pub mod thread {
        pub use loom::thread::{JoinHandle, Thread, ThreadId, current, spawn, yield_now};

        /// Whether the current thread is unwinding because of a panic.
        pub fn panicking() -> bool {
            std::thread::panicking()
        }
    }

    pub mod hint {
        pub use loom::hint::spin_loop;
    }

    pub(crate) mod cell {
        pub(crate) use loom::cell::UnsafeCell;
    }
}

pub use imp::*;
