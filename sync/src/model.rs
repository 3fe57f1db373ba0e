//! Loom models, always bounded, simplest schedules first, with a pass for spurious wakeups.
//!
//! [`model`] explores the closure with preemption bound 0, then 1, … up to the exercise's
//! bound, so the first failure found is one with the fewest preemptions: the easiest
//! schedule to read. When the closure waits on a [`crate::Condvar`] or parks, each bound gets
//! a second pass in which every condition variable's first wait returns without a
//! notification (a timed one: timed out), and every thread's first park returns without a
//! token.
//! Each pass reports the schedules it explored (a marker line when it ends, or, when it
//! fails, at the first panic); when the checker asks for progress (`RACELINGS_PROGRESS`),
//! the count so far is reported while the model runs, a few times a second. On real threads (no `--cfg loom`) the closure simply runs once.

/// The bound used when the checker does not pass one (`RACELINGS_PREEMPTION_BOUND`).
pub const DEFAULT_PREEMPTION_BOUND: usize = 2;

/// The environment variable through which the checker passes an exercise's bound.
pub const BOUND_ENV: &str = "RACELINGS_PREEMPTION_BOUND";

/// The preemption bound for this run: the checker's, or the default.
pub fn preemption_bound() -> usize {
    std::env::var(BOUND_ENV)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_PREEMPTION_BOUND)
}

/// Checks `body` under every interleaving loom explores up to the preemption bound.
pub fn model<F>(body: F)
where
    F: Fn() + Sync + Send + 'static,
{
    model_with_bound(preemption_bound(), body)
}

/// As [`model`], with an explicit bound instead of the exercise's.
pub fn model_with_bound<F>(max_bound: usize, body: F)
where
    F: Fn() + Sync + Send + 'static,
{
    #[cfg(not(loom))]
    {
        let _ = max_bound;
        body();
    }
    #[cfg(loom)]
    {
        use crate::marker::{Field, emit};
        use std::sync::Arc;
        use std::sync::atomic::Ordering;
        // Each schedule starts a fresh timeline; a failing one is reported by the hook.
        crate::trace::install_hook();
        let body = Arc::new(move || {
            crate::trace::begin_schedule();
            crate::clock::begin_schedule();
            body();
            crate::clock::finished();
        });
        CONDVAR_WAITED.store(false, Ordering::Relaxed);
        schedules::report_failures();
        // Schedules explored by the passes before the current one.
        let mut explored_before = 0;
        for bound in 0..=max_bound {
            for spurious in [false, true] {
                if spurious && !CONDVAR_WAITED.load(Ordering::Relaxed) {
                    continue;
                }
                SPURIOUS_PASS.store(spurious, Ordering::Relaxed);
                emit(&[
                    ("event", Field::Str("loom_pass")),
                    ("bound", Field::Num(bound as u64)),
                    ("spurious", Field::Bool(spurious)),
                ]);
                let mut builder = loom::model::Builder::new();
                builder.preemption_bound = Some(bound);
                builder.location = true;
                let body = Arc::clone(&body);
                SCHEDULES.store(0, Ordering::Relaxed);
                schedules::REPORT_PENDING.store(true, Ordering::Relaxed);
                // The schedules explored so far, for a front end's live progress.
                let pacer = crate::marker::Pacer::new();
                builder.check(move || {
                    let explored = SCHEDULES.fetch_add(1, Ordering::Relaxed) + 1;
                    if pacer.due() {
                        // `schedules` counts every pass so far, so the figure only grows.
                        emit(&[
                            ("event", Field::Str("loom_progress")),
                            ("bound", Field::Num(bound as u64)),
                            ("max_bound", Field::Num(max_bound as u64)),
                            ("spurious", Field::Bool(spurious)),
                            ("schedules", Field::Num(explored_before + explored)),
                        ]);
                    }
                    body()
                });
                schedules::REPORT_PENDING.store(false, Ordering::Relaxed);
                explored_before += SCHEDULES.load(Ordering::Relaxed);
                emit(&[
                    ("event", Field::Str("loom_pass_done")),
                    ("bound", Field::Num(bound as u64)),
                    ("spurious", Field::Bool(spurious)),
                    ("schedules", Field::Num(SCHEDULES.load(Ordering::Relaxed))),
                ]);
            }
        }
        SPURIOUS_PASS.store(false, Ordering::Relaxed);
        crate::trace::end_model();
    }
}

/// Schedules (executions of the body) loom has started in the current pass.
#[cfg(loom)]
static SCHEDULES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[cfg(loom)]
mod schedules {
    use super::SCHEDULES;
    use crate::marker::{Field, emit};
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Whether a pass is under way and its failure not reported yet: a failing schedule can
    /// panic more than once (a failed assertion, then loom's own report as it tears the
    /// threads down), and a panic after the model is not the model's.
    pub(super) static REPORT_PENDING: AtomicBool = AtomicBool::new(false);

    /// From now on, the first panic of each pass (a failed assertion in the model, or loom's
    /// report of a deadlock, which then aborts the process) first writes a marker with the
    /// number of the schedule that failed.
    ///
    /// The hook is installed once, before loom's first model, and never taken down: the
    /// coroutines loom runs threads on install a filter for their own unwinding panics once
    /// per process, around whatever hook is in place then, and a hook put back later would
    /// drop that filter (those panics would then print as `Box<dyn Any>`).
    pub(super) fn report_failures() {
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let payload = info.payload();
                let failure = payload.is::<&str>() || payload.is::<String>();
                if failure && REPORT_PENDING.swap(false, Ordering::Relaxed) {
                    emit(&[
                        ("event", Field::Str("loom_failed_at")),
                        ("schedules", Field::Num(SCHEDULES.load(Ordering::Relaxed))),
                    ]);
                }
                previous(info);
            }));
        });
    }
}

#[cfg(loom)]
static SPURIOUS_PASS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
#[cfg(loom)]
static CONDVAR_WAITED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this pass makes each condition variable's first wait return spuriously.
#[cfg(loom)]
pub(crate) fn spurious_pass() -> bool {
    SPURIOUS_PASS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Records that the model waits on a condition variable or parks, so a spurious pass is
/// worth running.
#[cfg(loom)]
pub(crate) fn note_condvar_wait() {
    CONDVAR_WAITED.store(true, std::sync::atomic::Ordering::Relaxed);
}
