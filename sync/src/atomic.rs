//! Atomic integers, flags, pointers and fences, with std's `Ordering`.
//!
//! On real threads these are std's own types. Under loom they are loom's, wrapped so that
//! each load, store and read-modify-write is also a step of the schedule's timeline (see
//! [`crate::trace`]), with the value it saw or wrote and the caller's line. The methods are
//! loom's, which are std's. Fences are steps too (`fence Acquire` at the line). An
//! `AtomicPtr` also checks what it publishes: a thread that loads a pointer must be ordered
//! after the store that published it, or loom reports a data race on the pointee (see
//! `publish.rs`).

#[cfg(not(loom))]
pub use crate::backend::atomic::*;

#[cfg(loom)]
pub use crate::backend::atomic::Ordering;
#[cfg(loom)]
pub use recorded::*;

/// A fence: orders this thread's memory accesses around it, as `std::sync::atomic::fence`.
/// Under loom, a step of the timeline at the caller's line.
#[cfg(loom)]
#[track_caller]
pub fn fence(order: Ordering) {
    crate::publish::settle_before_fence(order);
    crate::backend::atomic::fence(order);
    crate::trace::record(|| {
        let me = crate::trace::thread_number(crate::backend::thread::current().id());
        crate::trace::Record::new(
            "fence",
            crate::trace::ObjectKind::Thread,
            crate::trace::ObjectId::thread(me),
        )
        .value(format!("{order:?}"))
    });
    crate::publish::settle_after_fence();
}

/// A compiler fence: keeps the compiler from moving memory accesses across it. It orders
/// nothing between threads, so the model has nothing to check; under loom it does nothing.
#[cfg(loom)]
pub fn compiler_fence(order: Ordering) {
    let _ = order;
}

#[cfg(loom)]
mod recorded {
    use crate::backend::atomic as raw;
    use crate::fair::changed;
    use crate::publish::{Publications, settle};
    use crate::trace::{ObjectId, ObjectKind, Record, record};
    use std::cell::Cell;
    use std::fmt;
    use std::sync::atomic::Ordering;

    /// A value written through `get_mut`, not yet in loom's atomic.
    ///
    /// Loom's atomics lend their value only inside a closure, so `get_mut` lends a copy kept
    /// here. It goes back into the atomic at the next exclusive access (`with_mut`,
    /// `into_inner`) or, at the next shared one, as a `Relaxed` store by the thread making
    /// it: a value set through `get_mut` and then shared reaches other threads only in the
    /// order that store gives it (usually `get_mut` comes last, after the threads are joined).
    struct Exclusive<T: Copy>(Cell<Option<T>>);

    // Safety: loom runs every thread of a model on the one OS thread that called the model,
    // and no loom operation runs between reading and writing the cell.
    unsafe impl<T: Copy> Sync for Exclusive<T> {}
    unsafe impl<T: Copy> Send for Exclusive<T> {}

    impl<T: Copy> Default for Exclusive<T> {
        fn default() -> Self {
            Exclusive(Cell::new(None))
        }
    }

    /// A value's address, when the value is a pointer another thread may read through.
    trait Address: Copy {
        fn address(self) -> usize {
            0
        }
    }

    impl<T> Address for *mut T {
        fn address(self) -> usize {
            self as usize
        }
    }

    macro_rules! not_an_address {
        ($($t:ty),*) => {$(impl Address for $t {})*};
    }
    not_an_address!(bool, u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

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
                exclusive: Exclusive<$t>,
                published: Publications,
            }

            impl $(<$p>)? $name $(<$p>)? {
                const SHOW: fn($t) -> String = $show;

                /// A new atomic holding `v`.
                #[track_caller]
                pub fn new(v: $t) -> Self {
                    $name {
                        raw: raw::$name::new(v),
                        id: ObjectId::next(),
                        exclusive: Exclusive::default(),
                        published: Publications::default(),
                    }
                }

                /// Before a shared access: the thread's pending checks, and a value left
                /// by `get_mut`, stored.
                #[track_caller]
                fn before(&self) {
                    settle();
                    if let Some(v) = self.exclusive.0.get() {
                        self.raw.store(v, Ordering::Relaxed);
                        self.exclusive.0.set(None);
                    }
                }

                /// Before an exclusive access: a value left by `get_mut`, put back (a store
                /// by the only thread that can see the atomic).
                fn flush(&mut self) {
                    if let Some(v) = self.exclusive.0.get_mut().take() {
                        self.raw.store(v, Ordering::Relaxed);
                    }
                }

                /// A mutable reference to the value; the borrow is exclusive, so no other
                /// thread can see it.
                pub fn get_mut(&mut self) -> &mut $t {
                    if self.exclusive.0.get_mut().is_none() {
                        // Safety: the borrow is exclusive, no other thread can access it.
                        let v = unsafe { self.raw.unsync_load() };
                        *self.exclusive.0.get_mut() = Some(v);
                    }
                    self.exclusive.0.get_mut().as_mut().expect("just set")
                }

                /// Stores `val` where a pointer's pointee is checked (see `publish.rs`).
                #[track_caller]
                fn publishing(&self, val: $t) {
                    self.published.publish(Address::address(val));
                }

                /// Loads without synchronisation.
                ///
                /// # Safety
                ///
                /// As loom's: only when no other thread can access the atomic.
                #[track_caller]
                pub unsafe fn unsync_load(&self) -> $t {
                    if let Some(v) = self.exclusive.0.get() {
                        return v;
                    }
                    // Safety: the caller's promise, passed on.
                    unsafe { self.raw.unsync_load() }
                }

                /// Consumes the atomic and returns its value.
                #[track_caller]
                pub fn into_inner(mut self) -> $t {
                    self.flush();
                    self.raw.into_inner()
                }

                /// Loads the value.
                #[track_caller]
                pub fn load(&self, order: Ordering) -> $t {
                    self.published.reloaded();
                    self.before();
                    let v = self.raw.load(order);
                    step(self.id, "load", "", || (Self::SHOW)(v));
                    self.published.loaded(Address::address(v));
                    v
                }

                /// Stores a value.
                #[track_caller]
                pub fn store(&self, val: $t, order: Ordering) {
                    self.before();
                    self.publishing(val);
                    self.raw.store(val, order);
                    changed();
                    step(self.id, "store", "", || (Self::SHOW)(val));
                }

                /// Stores a value, returning the previous one.
                ///
                /// A swap that finds `val` already there is modelled as a load (see
                /// [`unchanged_swap_order`]); any other swap is a compare-exchange from the
                /// value just loaded, retried if another thread wrote in between.
                #[track_caller]
                pub fn swap(&self, val: $t, order: Ordering) -> $t {
                    self.before();
                    let old = self.modelled_swap(val, order);
                    step(self.id, "rmw", "swap", || {
                        format!("{} → {}", (Self::SHOW)(old), (Self::SHOW)(val))
                    });
                    self.published.loaded(Address::address(old));
                    old
                }

                /// The swap as loom sees it (see [`unchanged_swap_order`]), not recorded.
                #[track_caller]
                fn modelled_swap(&self, val: $t, order: Ordering) -> $t {
                    let read = unchanged_swap_order(order);
                    loop {
                        let current = self.raw.load(read);
                        if current == val {
                            return current;
                        }
                        self.publishing(val);
                        if self.raw.compare_exchange(current, val, order, read).is_ok() {
                            changed();
                            return current;
                        }
                    }
                }

                /// Stores `new` if the value is `current`; returns the previous value.
                #[track_caller]
                pub fn compare_and_swap(&self, current: $t, new: $t, order: Ordering) -> $t {
                    self.before_exchange(current, new);
                    #[allow(deprecated)]
                    let old = self.raw.compare_and_swap(current, new, order);
                    let result = if old == current { Ok(old) } else { Err(old) };
                    if result.is_ok() {
                        changed();
                    }
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
                    self.before_exchange(current, new);
                    let result = self.raw.compare_exchange(current, new, success, failure);
                    if result.is_ok() {
                        changed();
                    }
                    exchanged(self.id, "compare_exchange", result, new, current, Self::SHOW)
                }

                /// Before a compare-exchange: `current` is only compared, `new` published.
                #[track_caller]
                fn before_exchange(&self, current: $t, new: $t) {
                    self.published.compared(Address::address(current));
                    self.before();
                    self.publishing(new);
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
                    self.before_exchange(current, new);
                    let result = self.raw.compare_exchange_weak(current, new, success, failure);
                    if result.is_ok() {
                        changed();
                    }
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
                    self.before();
                    let mut stored = None;
                    let result = self.raw.fetch_update(set_order, fetch_order, |v| {
                        stored = f(v);
                        stored
                    });
                    if let (Ok(_), Some(new)) = (result, stored) {
                        changed();
                        self.publishing(new);
                    }
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
                    match self.exclusive.0.get() {
                        Some(v) => fmt::Debug::fmt(&v, f),
                        None => fmt::Debug::fmt(&self.raw, f),
                    }
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
                        self.before();
                        let old = self.raw.$method(val, order);
                        changed();
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
                    self.flush();
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
        AtomicU8 u8, AtomicU16 u16, AtomicU32 u32, AtomicU64 u64, AtomicUsize usize,
        AtomicI8 i8, AtomicI16 i16, AtomicI32 i32, AtomicI64 i64, AtomicIsize isize
    );

    recorded_atomic!(AtomicBool, bool, |v| v.to_string());
    recorded_bitwise!(AtomicBool, bool, fetch_nand, fetch_xor);

    impl AtomicBool {
        /// As std's `fetch_or`; returns the previous value. `fetch_or(true)` is a swap to
        /// `true` and is modelled as one, so a test-and-set spin on it can be checked.
        #[track_caller]
        pub fn fetch_or(&self, val: bool, order: Ordering) -> bool {
            self.before();
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
            self.before();
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
