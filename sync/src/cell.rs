//! `UnsafeCell` with loom's closure API, so loom can check every access for a data race.
//!
//! On real threads `with` and `with_mut` just hand out the raw pointer; under loom each call
//! is an access loom tracks, and two unsynchronised accesses, one of them a write, fail the
//! model with "Causality violation".

use crate::backend::cell::UnsafeCell as RawUnsafeCell;
#[cfg(loom)]
use crate::trace::{self, ObjectId, ObjectKind, Record};

/// Interior mutability with no synchronisation of its own, as `std::cell::UnsafeCell`.
#[derive(Default)]
pub struct UnsafeCell<T> {
    #[cfg(loom)]
    id: ObjectId,
    raw: RawUnsafeCell<T>,
}

impl<T> UnsafeCell<T> {
    /// A cell holding `value`.
    pub fn new(value: T) -> Self {
        UnsafeCell {
            #[cfg(loom)]
            id: ObjectId::next(),
            raw: RawUnsafeCell::new(value),
        }
    }

    /// Reads through a shared pointer; the caller promises no write happens meanwhile.
    #[track_caller]
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        #[cfg(not(loom))]
        {
            f(self.raw.get())
        }
        #[cfg(loom)]
        {
            // Recorded first: if loom finds a data race, this access is the one it stops at.
            crate::publish::settle();
            trace::record(|| Record::new("read", ObjectKind::Cell, self.id));
            self.raw.with(f)
        }
    }

    /// Writes through a unique pointer; the caller promises no other access meanwhile.
    #[track_caller]
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        #[cfg(not(loom))]
        {
            f(self.raw.get())
        }
        #[cfg(loom)]
        {
            crate::publish::settle();
            crate::fair::changed();
            trace::record(|| Record::new("write", ObjectKind::Cell, self.id));
            self.raw.with_mut(f)
        }
    }

    /// Consumes the cell and returns its value.
    pub fn into_inner(self) -> T {
        self.raw.into_inner()
    }
}
