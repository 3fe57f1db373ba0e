//! What an `AtomicPtr` publishes: the pointee of each pointer it stores, as a loom cell.
//!
//! Loom checks only its own cells and atomics; memory reached through a pointer it cannot
//! see, so a `Box` handed over with `Relaxed` on both sides passes. The facade stands a
//! loom cell for the pointee of each pointer an `AtomicPtr` stores: the storing thread
//! writes it just before the store (as it wrote the pointee before publishing it), and a
//! thread that loads the pointer reads it. Unless the load is ordered after the store (a
//! `Release` store read by an `Acquire` load, fences, or anything else that orders them),
//! loom reports the read as a data race, at the learner's lines.
//!
//! The read is made at the loading thread's next step of the model (any facade call, a
//! fence, or the thread's end), not at the load itself: a pointer loaded with `Relaxed` and
//! only compared (handed back to `compare_exchange`, as a lock-free push does, or loaded
//! again from the same atomic before anything else) is never read, and one followed by
//! `fence(Acquire)` is read after the fence, which orders it. The facade cannot see a
//! dereference: a pointer loaded with `Relaxed`, only tested for null, and followed by some
//! other step counts as read through.
//! Each address is published once per model run: a pointer stored again later (memory
//! freed and allocated anew at the same address) is not checked again.

use crate::backend::cell::UnsafeCell as ModelUnsafeCell;
use crate::backend::raw_thread;
use crate::trace::{self, ObjectId, ObjectKind, Record};
use std::cell::RefCell;
use std::panic::Location;
use std::rc::Rc;

/// The stand-in for one published pointer's pointee.
struct Pointee {
    address: usize,
    id: ObjectId,
    cell: ModelUnsafeCell<()>,
}

/// The pointers one `AtomicPtr` has published.
#[derive(Default)]
pub(crate) struct Publications(RefCell<Vec<Rc<Pointee>>>);

// Safety: loom runs every thread of a model on the one OS thread that called the model, and
// no loom operation runs while the cell is borrowed.
unsafe impl Sync for Publications {}
unsafe impl Send for Publications {}

/// A pointer a thread loaded, whose pointee it has not been checked to see yet.
struct Check {
    pointee: Rc<Pointee>,
    loaded_at: &'static Location<'static>,
    /// The loading thread's number in the schedule.
    thread: usize,
}

/// The current thread's loads still to check; the rest are checked when the thread ends.
#[derive(Default)]
struct Pending(RefCell<Vec<Check>>);

impl Drop for Pending {
    fn drop(&mut self) {
        let due = std::mem::take(self.0.get_mut());
        PENDING_COUNT.with(|c| c.set(c.get().saturating_sub(due.len())));
        if !std::thread::panicking() {
            check(due);
        }
    }
}

raw_thread::thread_local! {
    static PENDING: Pending = Pending::default();
}

std::thread_local! {
    /// How many checks the loom threads of the model have pending: most models publish no
    /// pointer, and their steps then skip the (loom) thread-local altogether. Loom runs a
    /// model's threads on one OS thread, so this one count covers them all; a schedule cut
    /// short may leave it above zero, which only costs a look.
    static PENDING_COUNT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn any_pending() -> bool {
    PENDING_COUNT.with(|c| c.get() > 0)
}

/// Keeps the count in step with a change of the current thread's pending checks.
fn counted(change: impl FnOnce(&mut Vec<Check>)) {
    let _ = PENDING.try_with(|p| {
        let mut pending = p.0.borrow_mut();
        let before = pending.len();
        change(&mut pending);
        let after = pending.len();
        PENDING_COUNT.with(|c| c.set((c.get() + after).saturating_sub(before)));
    });
}

impl Publications {
    /// `address` is about to be stored by the current thread: the pointee is written now.
    #[track_caller]
    pub(crate) fn publish(&self, address: usize) {
        if address == 0 || self.find(address).is_some() {
            return;
        }
        let pointee = Rc::new(Pointee {
            address,
            id: ObjectId::next(),
            cell: ModelUnsafeCell::new(()),
        });
        trace::record(|| Record::new("write", ObjectKind::Cell, pointee.id).method("publish"));
        pointee.cell.with_mut(|_| ());
        self.0.borrow_mut().push(pointee);
    }

    /// The current thread loaded `address`: its pointee is read at the thread's next step.
    #[track_caller]
    pub(crate) fn loaded(&self, address: usize) {
        if let Some(pointee) = self.find(address) {
            let loaded_at = Location::caller();
            let thread = trace::thread_number(crate::backend::thread::current().id());
            counted(|pending| {
                pending.push(Check {
                    pointee,
                    loaded_at,
                    thread,
                })
            });
        }
    }

    /// The current thread hands `address` back as a value (`compare_exchange`'s `current`):
    /// comparing a pointer reads nothing through it.
    pub(crate) fn compared(&self, address: usize) {
        if !any_pending() {
            return;
        }
        counted(|pending| {
            pending.retain(|c| !(c.pointee.address == address && self.owns(&c.pointee)))
        });
    }

    /// The current thread loads from this atomic again: what it loaded before, with no
    /// other step since, it only looked at (`is_null`, a comparison); had it read through
    /// it, the new load most likely returns the same pointer and is checked in its place.
    pub(crate) fn reloaded(&self) {
        if !any_pending() {
            return;
        }
        counted(|pending| pending.retain(|c| !self.owns(&c.pointee)));
    }

    fn find(&self, address: usize) -> Option<Rc<Pointee>> {
        self.0
            .borrow()
            .iter()
            .find(|p| p.address == address)
            .cloned()
    }

    fn owns(&self, pointee: &Rc<Pointee>) -> bool {
        self.0.borrow().iter().any(|p| Rc::ptr_eq(p, pointee))
    }
}

/// Reads the pointees of the current thread's pending loads: called at each of its steps.
pub(crate) fn settle() {
    if std::thread::panicking() || !any_pending() {
        return;
    }
    let mut due = Vec::new();
    counted(|pending| due = std::mem::take(pending));
    check(due);
}

fn check(due: Vec<Check>) {
    for c in due {
        trace::record_as(c.thread, c.loaded_at, || {
            Record::new("read", ObjectKind::Cell, c.pointee.id).method("pointee")
        });
        c.pointee.cell.with(|_| ());
    }
}

/// Before a fence: a `Release` or `Relaxed` fence orders nothing for earlier loads.
pub(crate) fn settle_before_fence(order: std::sync::atomic::Ordering) {
    use std::sync::atomic::Ordering::{Relaxed, Release};
    if matches!(order, Relaxed | Release) {
        settle();
    }
}

/// After a fence: an `Acquire` (or stronger) fence orders the loads before it.
pub(crate) fn settle_after_fence() {
    settle();
}
