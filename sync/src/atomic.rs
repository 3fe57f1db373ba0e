//! Atomic integers, flags, pointers and fences, with std's `Ordering`.
//!
//! On real threads these are std's own types. Under loom they are loom's, wrapped so that
//! each load, store and read-modify-write is also a step of the schedule's timeline (see
//! [`crate::trace`]), with the value it saw or wrote and the caller's line. The methods are
//! loom's, which are std's.

#[cfg(not(loom))]
pub use crate::backend::atomic::*;

#[cfg(loom)]
pub use crate::backend::atomic::{Ordering, fence};
#[cfg(loom)]
pub use recorded::*;

#[cfg(loom)]
mod recorded {
    use crate::backend::atomic as raw;
    use crate::trace::{ObjectId, ObjectKind, Record, record};
    use std::fmt;
    use std::sync::atomic::Ordering;

    /// The ordering of the load that models a swap's read: the read half of the swap's.
    ///
    /// Why a swap is a load, then a compare-exchange only when the value is to change: loom
    /// 0.7 makes every read-modify-write a new write in the atomic's history, and a thread
    /// spinning on `swap(true)` while another holds a lock adds one per turn without end,
    /// until loom gives up ("exceeded maximum number of branches"), so a correct
    /// test-and-set spin lock could not be checked. A swap that leaves the value as it was
    /// differs from a load only in what it releases: with `Release`, `AcqRel` or `SeqCst`, a
    /// thread that later reads the unchanged value from it would synchronize with the
    /// swapping thread. Code that publishes its writes through such a swap is the one kind
    /// this model does not check.
    fn unchanged_swap_order(order: Ordering) -> Ordering {
        match order {
            Ordering::Release | Ordering::Relaxed => Ordering::Relaxed,
            Ordering::Acquire | Ordering::AcqRel => Ordering::Acquire,
            _ => Ordering::SeqCst,
        }
    }

    #[track_caller]
    fn step(id: ObjectId, op: &'static str, method: &'static str, value: impl FnOnce() -> String) {
        record(|| {
            Record::new(op, ObjectKind::Atomic, id)
                .method(method)
                .value(value())
        });
    }

    #[track_caller]
    fn exchanged<V: Copy>(
        id: ObjectId,
        method: &'static str,
        result: Result<V, V>,
        new: V,
        expected: V,
        show: fn(V) -> String,
    ) -> Result<V, V> {
        step(id, "cas", method, || match result {
            Ok(old) => format!("{} → {}", show(old), show(new)),
            Err(seen) => format!("failed: found {}, expected {}", show(seen), show(expected)),
        });
        result
    }

    /// The parts every atomic has: `new`, `load`, `store`, `swap`, the compare-exchanges and
    /// the update functions.
    macro_rules! recorded_atomic {
        ($name:ident $(<$p:ident>)?, $t:ty, $show:expr) => {
            #[doc = concat!("`std::sync::atomic::", stringify!($name), "`, modelled by loom, each operation a timeline step.")]
            pub struct $name $(<$p>)? {
                raw: raw::$name $(<$p>)?,
                id: ObjectId,
            }

            impl $(<$p>)? $name $(<$p>)? {
                const SHOW: fn($t) -> String = $show;

                /// A new atomic holding `v`.
                #[track_caller]
                pub fn new(v: $t) -> Self {
                    $name { raw: raw::$name::new(v), id: ObjectId::next() }
                }

                /// Loads without synchronisation.
                ///
                /// # Safety
                ///
                /// As loom's: only when no other thread can access the atomic.
                #[track_caller]
                pub unsafe fn unsync_load(&self) -> $t {
                    // Safety: the caller's promise, passed on.
                    unsafe { self.raw.unsync_load() }
                }

                /// Consumes the atomic and returns its value.
                #[track_caller]
                pub fn into_inner(self) -> $t {
                    self.raw.into_inner()
                }

                /// Loads the value.
                #[track_caller]
                pub fn load(&self, order: Ordering) -> $t {
                    let v = self.raw.load(order);
                    step(self.id, "load", "", || (Self::SHOW)(v));
                    v
                }

                /// Stores a value.
                #[track_caller]
                pub fn store(&self, val: $t, order: Ordering) {
                    self.raw.store(val, order);
                    step(self.id, "store", "", || (Self::SHOW)(val));
                }

                /// Stores a value, returning the previous one.
                ///
                /// A swap that finds `val` already there is modelled as a load (see
                /// [`unchanged_swap_order`]); any other swap is a compare-exchange from the
                /// value just loaded, retried if another thread wrote in between.
                #[track_caller]
                pub fn swap(&self, val: $t, order: Ordering) -> $t {
                    let old = self.modelled_swap(val, order);
                    step(self.id, "rmw", "swap", || {
                        format!("{} → {}", (Self::SHOW)(old), (Self::SHOW)(val))
                    });
                    old
                }

                /// The swap as loom sees it (see [`unchanged_swap_order`]), not recorded.
                fn modelled_swap(&self, val: $t, order: Ordering) -> $t {
                    let read = unchanged_swap_order(order);
                    loop {
                        let current = self.raw.load(read);
                        if current == val
                            || self.raw.compare_exchange(current, val, order, read).is_ok()
                        {
                            return current;
                        }
                    }
                }

                /// Stores `new` if the value is `current`; returns the previous value.
                #[track_caller]
                pub fn compare_and_swap(&self, current: $t, new: $t, order: Ordering) -> $t {
                    #[allow(deprecated)]
                    let old = self.raw.compare_and_swap(current, new, order);
                    let result = if old == current { Ok(old) } else { Err(old) };
                    let _ = exchanged(self.id, "compare_and_swap", result, new, current, Self::SHOW);
                    old
                }

                /// Stores `new` if the value is `current`.
                #[track_caller]
                pub fn compare_exchange(
                    &self,
                    current: $t,
                    new: $t,
                    success: Ordering,
                    failure: Ordering,
                ) -> Result<$t, $t> {
                    let result = self.raw.compare_exchange(current, new, success, failure);
                    exchanged(self.id, "compare_exchange", result, new, current, Self::SHOW)
                }

                /// Stores `new` if the value is `current`; may fail spuriously on real hardware.
                #[track_caller]
                pub fn compare_exchange_weak(
                    &self,
                    current: $t,
                    new: $t,
                    success: Ordering,
                    failure: Ordering,
                ) -> Result<$t, $t> {
                    let result = self.raw.compare_exchange_weak(current, new, success, failure);
                    exchanged(self.id, "compare_exchange_weak", result, new, current, Self::SHOW)
                }

                /// Applies `f` until it stores; `Err` with the value if `f` returned `None`.
                #[track_caller]
                pub fn try_update(
                    &self,
                    set_order: Ordering,
                    fetch_order: Ordering,
                    f: impl FnMut($t) -> Option<$t>,
                ) -> Result<$t, $t> {
                    self.updated("try_update", set_order, fetch_order, f)
                }

                /// As [`Self::try_update`].
                #[track_caller]
                pub fn fetch_update<F>(
                    &self,
                    set_order: Ordering,
                    fetch_order: Ordering,
                    f: F,
                ) -> Result<$t, $t>
                where
                    F: FnMut($t) -> Option<$t>,
                {
                    self.updated("fetch_update", set_order, fetch_order, f)
                }

                /// Applies `f` and stores its result; returns the previous value.
                #[track_caller]
                pub fn update(
                    &self,
                    set_order: Ordering,
                    fetch_order: Ordering,
                    mut f: impl FnMut($t) -> $t,
                ) -> $t {
                    match self.updated("update", set_order, fetch_order, |v| Some(f(v))) {
                        Ok(v) | Err(v) => v,
                    }
                }

                #[track_caller]
                fn updated(
                    &self,
                    method: &'static str,
                    set_order: Ordering,
                    fetch_order: Ordering,
                    mut f: impl FnMut($t) -> Option<$t>,
                ) -> Result<$t, $t> {
                    let mut stored = None;
                    let result = self.raw.fetch_update(set_order, fetch_order, |v| {
                        stored = f(v);
                        stored
                    });
                    step(self.id, "rmw", method, || match (result, stored) {
                        (Ok(old), Some(new)) => format!("{} → {}", (Self::SHOW)(old), (Self::SHOW)(new)),
                        (Ok(v) | Err(v), _) => format!("{} unchanged", (Self::SHOW)(v)),
                    });
                    result
                }
            }

            impl $(<$p>)? Default for $name $(<$p>)? {
                #[track_caller]
                fn default() -> Self {
                    Self::new(Default::default())
                }
            }

            impl $(<$p>)? From<$t> for $name $(<$p>)? {
                #[track_caller]
                fn from(v: $t) -> Self {
                    Self::new(v)
                }
            }

            impl $(<$p>)? fmt::Debug for $name $(<$p>)? {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Debug::fmt(&self.raw, f)
                }
            }
        };
    }

    /// `fetch_and`, `fetch_or`, …: integers and flags.
    macro_rules! recorded_bitwise {
        ($name:ident, $t:ty, $($method:ident),*) => {
            impl $name {
                $(
                    #[doc = concat!("As std's `", stringify!($method), "`; returns the previous value.")]
                    #[track_caller]
                    pub fn $method(&self, val: $t, order: Ordering) -> $t {
                        let old = self.raw.$method(val, order);
                        step(self.id, "rmw", stringify!($method), || {
                            format!("{} → {}", old, Self::after(stringify!($method), old, val))
                        });
                        old
                    }
                )*
            }
        };
    }

    /// `with_mut`, which loom gives integers and pointers but not flags.
    macro_rules! recorded_with_mut {
        ($name:ident $(<$p:ident>)?, $t:ty) => {
            impl $(<$p>)? $name $(<$p>)? {
                /// The value, through the exclusive borrow (no other thread can see it).
                #[track_caller]
                pub fn with_mut<R>(&mut self, f: impl FnOnce(&mut $t) -> R) -> R {
                    self.raw.with_mut(f)
                }
            }
        };
    }

    macro_rules! recorded_int {
        ($($name:ident $t:ty),*) => {$(
            recorded_atomic!($name, $t, |v| v.to_string());
            recorded_with_mut!($name, $t);
            recorded_bitwise!(
                $name, $t, fetch_add, fetch_sub, fetch_and, fetch_nand, fetch_or, fetch_xor,
                fetch_max, fetch_min
            );

            impl $name {
                fn after(method: &str, old: $t, val: $t) -> $t {
                    match method {
                        "fetch_add" => old.wrapping_add(val),
                        "fetch_sub" => old.wrapping_sub(val),
                        "fetch_and" => old & val,
                        "fetch_nand" => !(old & val),
                        "fetch_or" => old | val,
                        "fetch_xor" => old ^ val,
                        "fetch_max" => old.max(val),
                        _ => old.min(val),
                    }
                }
            }
        )*};
    }

    recorded_int!(
        AtomicU32 u32, AtomicU64 u64, AtomicUsize usize, AtomicI32 i32, AtomicI64 i64,
        AtomicIsize isize
    );

    recorded_atomic!(AtomicBool, bool, |v| v.to_string());
    recorded_bitwise!(AtomicBool, bool, fetch_nand, fetch_xor);

    impl AtomicBool {
        /// As std's `fetch_or`; returns the previous value. `fetch_or(true)` is a swap to
        /// `true` and is modelled as one, so a test-and-set spin on it can be checked.
        #[track_caller]
        pub fn fetch_or(&self, val: bool, order: Ordering) -> bool {
            let old = if val {
                self.modelled_swap(true, order)
            } else {
                self.raw.fetch_or(false, order)
            };
            step(self.id, "rmw", "fetch_or", || {
                format!("{old} → {}", Self::after("fetch_or", old, val))
            });
            old
        }

        /// As std's `fetch_and`; returns the previous value. `fetch_and(false)` is a swap to
        /// `false` and is modelled as one.
        #[track_caller]
        pub fn fetch_and(&self, val: bool, order: Ordering) -> bool {
            let old = if val {
                self.raw.fetch_and(true, order)
            } else {
                self.modelled_swap(false, order)
            };
            step(self.id, "rmw", "fetch_and", || {
                format!("{old} → {}", Self::after("fetch_and", old, val))
            });
            old
        }

        fn after(method: &str, old: bool, val: bool) -> bool {
            match method {
                "fetch_and" => old & val,
                "fetch_nand" => !(old & val),
                "fetch_or" => old | val,
                _ => old ^ val,
            }
        }
    }

    recorded_atomic!(AtomicPtr<T>, *mut T, |p| format!("{p:p}"));
    recorded_with_mut!(AtomicPtr<T>, *mut T);
}
