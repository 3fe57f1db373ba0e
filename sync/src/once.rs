//! `OnceLock`: one-time initialisation, built from an atomic flag, a `Mutex` and an
//! `UnsafeCell` so loom sees every step (loom has no `OnceLock`).

use crate::Mutex;
use crate::atomic::{AtomicBool, Ordering};
use crate::cell::UnsafeCell;

/// A cell written at most once, as `std::sync::OnceLock`.
pub struct OnceLock<T> {
    ready: AtomicBool,
    init: Mutex<()>,
    value: UnsafeCell<Option<T>>,
}

// Safety: the value is written once, under `init`, before `ready` is released; every read
// happens after an acquire load of `ready` has seen it set.
unsafe impl<T: Send + Sync> Sync for OnceLock<T> {}
unsafe impl<T: Send> Send for OnceLock<T> {}

impl<T> Default for OnceLock<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> OnceLock<T> {
    /// An empty cell.
    pub fn new() -> Self {
        OnceLock {
            ready: AtomicBool::new(false),
            init: Mutex::new(()),
            value: UnsafeCell::new(None),
        }
    }

    /// The value, if it has been set.
    #[track_caller]
    pub fn get(&self) -> Option<&T> {
        if self.ready.load(Ordering::Acquire) {
            // Safety: `ready` is only set after the value was written, never written again.
            self.value.with(|v| unsafe { (*v).as_ref() })
        } else {
            None
        }
    }

    /// The value, running `init` first if nobody has; `init` runs at most once.
    #[track_caller]
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        if let Some(v) = self.get() {
            return v;
        }
        let _only_one = self.init.lock().unwrap_or_else(|p| p.into_inner());
        if !self.ready.load(Ordering::Acquire) {
            let value = init();
            // Safety: we hold `init` and `ready` is false, so nobody reads or writes the cell.
            self.value.with_mut(|v| unsafe { *v = Some(value) });
            self.ready.store(true, Ordering::Release);
        }
        self.get()
            .expect("set above or by the thread we waited for")
    }

    /// Sets the value if it is empty; gives the value back if it was already set.
    #[track_caller]
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        match value {
            None => Ok(()),
            Some(v) => Err(v),
        }
    }
}
