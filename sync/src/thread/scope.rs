//! Under loom: `thread::scope`, built from the facade's own `spawn` and `join` (loom has no
//! scoped threads), so every scoped thread is a modelled thread and its start and end are
//! timeline steps.

use super::park::Thread;
use super::recorded::{JoinHandle, spawn};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

/// A scope to spawn threads in that may borrow from outside it; as `std::thread::Scope`.
pub struct Scope<'scope, 'env: 'scope> {
    /// The scope's threads not joined yet, by the order they were spawned.
    pending: Mutex<Vec<Option<JoinHandle<()>>>>,
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// Owns a scoped thread: `join` waits for it and returns what it returned.
pub struct ScopedJoinHandle<'scope, T> {
    scope: &'scope Mutex<Vec<Option<JoinHandle<()>>>>,
    index: usize,
    thread: Thread,
    result: Arc<Mutex<Option<T>>>,
}

/// Runs `f` with a scope; every thread spawned in it has finished when `scope` returns.
/// Panics if one of them panicked and was not joined.
#[track_caller]
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let scope = Scope {
        pending: Mutex::new(Vec::new()),
        scope: PhantomData,
        env: PhantomData,
    };
    // A panic in `f` fails the model there; loom then runs no thread of this schedule again.
    let result = f(&scope);
    let mut panicked = false;
    loop {
        let next = lock(&scope.pending).iter_mut().find_map(Option::take);
        match next {
            Some(handle) => panicked |= handle.join().is_err(),
            None => break,
        }
    }
    assert!(!panicked, "a scoped thread panicked");
    result
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<'scope> Scope<'scope, '_> {
    /// Starts a thread running `f`, which may borrow what outlives the scope.
    #[track_caller]
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        let result = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&result);
        let run: Box<dyn FnOnce() + Send + 'scope> = Box::new(move || {
            let value = f();
            *lock(&slot) = Some(value);
        });
        // Safety: the thread is joined before `scope` returns (by its handle's `join` or by
        // `scope` itself), so nothing it borrows for 'scope is gone while it runs.
        let run: Box<dyn FnOnce() + Send + 'static> = unsafe { std::mem::transmute(run) };
        let handle = spawn(run);
        let thread = handle.thread().clone();
        let mut pending = lock(&self.pending);
        pending.push(Some(handle));
        ScopedJoinHandle {
            scope: &self.pending,
            index: pending.len() - 1,
            thread,
            result,
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    /// Waits for the thread to finish; `Err` if it panicked.
    #[track_caller]
    pub fn join(self) -> std::thread::Result<T> {
        let handle = lock(self.scope)[self.index]
            .take()
            .expect("a scoped thread is joined once");
        handle.join()?;
        Ok(lock(&self.result)
            .take()
            .expect("a thread that returned left its result"))
    }

    /// The thread this handle owns.
    pub fn thread(&self) -> &Thread {
        &self.thread
    }

    /// Whether the thread has finished running (without waiting for it).
    pub fn is_finished(&self) -> bool {
        lock(&self.result).is_some()
    }
}

impl std::fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope").finish_non_exhaustive()
    }
}

impl<T> std::fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopedJoinHandle").finish_non_exhaustive()
    }
}
