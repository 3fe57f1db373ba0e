//! The steps of one loom schedule, recorded so a failure can be shown as the learner's lines.
//!
//! Under loom every facade primitive records what it does (which thread, which operation,
//! which object, what value, and the caller's line through `#[track_caller]`) into a log that
//! [`crate::model`] clears before each schedule. A panic hook, installed once, writes the log
//! of the schedule that failed as a `timeline` marker line before the panic goes on: before
//! loom unwinds, and before it aborts the process after a deadlock. Loom runs every modelled
//! thread of a model on the OS thread that called it, so the log is a thread-local there.

use crate::marker::{Field, emit, json_object};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::panic::Location;
use std::sync::atomic::{AtomicU32, Ordering};

/// The first steps of a schedule are always kept (the threads starting), and after them the
/// last this many; older ones are dropped (only a spin loop gets that far).
const HEAD_STEPS: usize = 16;
const KEPT_STEPS: usize = 2000;
/// How many of the last steps a timeline marker carries.
const REPORTED_STEPS: usize = 400;

/// Identifies one primitive within a model, whatever it is moved into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ObjectId(u32);

impl ObjectId {
    /// A fresh id, for a primitive being created.
    pub(crate) fn next() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        ObjectId(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// The id of a modelled thread: its number in the schedule.
    pub(crate) fn thread(number: usize) -> Self {
        ObjectId(number as u32)
    }
}

impl Default for ObjectId {
    /// A fresh id, as [`ObjectId::next`].
    fn default() -> Self {
        ObjectId::next()
    }
}

/// What kind of primitive an object is; the checker names objects per kind (lock A, lock B).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    Lock,
    RwLock,
    Atomic,
    Cell,
    Condvar,
    Thread,
}

impl ObjectKind {
    fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Lock => "lock",
            ObjectKind::RwLock => "rwlock",
            ObjectKind::Atomic => "atomic",
            ObjectKind::Cell => "cell",
            ObjectKind::Condvar => "condvar",
            ObjectKind::Thread => "thread",
        }
    }
}

/// One recorded step.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    thread: usize,
    op: &'static str,
    /// For read-modify-writes: which method (`fetch_add`, `compare_exchange`, …).
    method: &'static str,
    kind: ObjectKind,
    object: u32,
    /// A second object the step involves: the mutex a condition variable wait releases.
    other: Option<u32>,
    value: String,
    /// The caller's line; none for an unlock by a guard going out of scope (a drop has no
    /// caller to track).
    location: Option<&'static Location<'static>>,
}

impl Step {
    fn to_json(&self) -> String {
        let mut fields = vec![
            ("thread", Field::Num(self.thread as u64)),
            ("op", Field::Str(self.op)),
            ("kind", Field::Str(self.kind.as_str())),
            ("object", Field::Num(u64::from(self.object))),
        ];
        if let Some(l) = self.location {
            fields.push(("file", Field::Str(l.file())));
            fields.push(("line", Field::Num(u64::from(l.line()))));
            fields.push(("column", Field::Num(u64::from(l.column()))));
        }
        if !self.method.is_empty() {
            fields.push(("method", Field::Str(self.method)));
        }
        if let Some(other) = self.other {
            fields.push(("other", Field::Num(u64::from(other))));
        }
        if !self.value.is_empty() {
            fields.push(("value", Field::Str(&self.value)));
        }
        json_object(&fields)
    }
}

/// The log of the schedule running now.
#[derive(Default)]
struct Log {
    /// Inside a model: facade calls are steps of a loom schedule.
    active: bool,
    /// This schedule's failure has been written; later panics (loom's own, after a deadlock)
    /// add nothing.
    reported: bool,
    head: Vec<Step>,
    steps: VecDeque<Step>,
    /// Steps dropped between `head` and `steps`.
    dropped: usize,
    /// Per thread, the blocking operation it is inside of, if any.
    blocked: Vec<Option<Step>>,
    /// Loom's thread ids (their debug text) in the order they were met, for numbering.
    threads: Vec<(crate::backend::thread::ThreadId, usize)>,
}

thread_local! {
    static LOG: RefCell<Log> = RefCell::new(Log::default());
}

/// Installs the panic hook that reports a failing schedule (once per process).
pub(crate) fn install_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Failures panic with a message; the coroutines loom runs threads on unwind with
            // payloads of their own when a schedule is torn down, which are no failure.
            let payload = info.payload();
            if payload.is::<&str>() || payload.is::<String>() {
                report_failure();
            }
            previous(info);
        }));
    });
}

/// Starts the log of a new schedule.
pub(crate) fn begin_schedule() {
    LOG.with(|log| {
        let mut log = log.borrow_mut();
        log.active = true;
        log.reported = false;
        log.head.clear();
        log.steps.clear();
        log.dropped = 0;
        log.blocked.clear();
        log.threads.clear();
    });
}

/// Stops recording: the model is over, facade calls are no longer loom steps.
pub(crate) fn end_model() {
    let _ = LOG.try_with(|log| {
        if let Ok(mut log) = log.try_borrow_mut() {
            log.active = false;
            log.head.clear();
            log.steps.clear();
        }
    });
}

/// Whether steps are being recorded: inside a model, and nothing has failed yet.
fn recording() -> bool {
    !std::thread::panicking()
        && LOG
            .try_with(|log| log.try_borrow().is_ok_and(|l| l.active && !l.reported))
            .unwrap_or(false)
}

/// The current modelled thread: 0 for the model's main thread, then 1, 2, … as spawned.
fn current_thread(log: &mut Log) -> usize {
    let id = crate::backend::thread::current().id();
    if let Some((_, n)) = log.threads.iter().find(|(t, _)| *t == id) {
        return *n;
    }
    let n = thread_number(id);
    log.threads.push((id, n));
    n
}

/// Loom numbers the threads of a schedule 0, 1, 2, … and shows the number only in its
/// `Debug` text (`ThreadId(1)`).
pub(crate) fn thread_number(id: crate::backend::thread::ThreadId) -> usize {
    let text = format!("{id:?}");
    text.trim_start_matches("ThreadId(")
        .trim_end_matches(')')
        .parse()
        .unwrap_or(0)
}

/// What a facade call records.
pub(crate) struct Record {
    pub op: &'static str,
    pub method: &'static str,
    pub kind: ObjectKind,
    pub object: ObjectId,
    pub other: Option<ObjectId>,
    pub value: String,
}

impl Record {
    pub(crate) fn new(op: &'static str, kind: ObjectKind, object: ObjectId) -> Self {
        Record {
            op,
            method: "",
            kind,
            object,
            other: None,
            value: String::new(),
        }
    }

    pub(crate) fn value(mut self, value: impl std::fmt::Display) -> Self {
        self.value = value.to_string();
        self
    }

    pub(crate) fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }

    pub(crate) fn other(mut self, other: ObjectId) -> Self {
        self.other = Some(other);
        self
    }
}

fn step(log: &mut Log, r: Record, location: Option<&'static Location<'static>>) -> Step {
    let thread = current_thread(log);
    step_of(thread, r, location)
}

fn step_of(thread: usize, r: Record, location: Option<&'static Location<'static>>) -> Step {
    Step {
        thread,
        op: r.op,
        method: r.method,
        kind: r.kind,
        object: r.object.0,
        other: r.other.map(|o| o.0),
        value: r.value,
        location,
    }
}

/// Records one step of the current schedule, at the caller's line.
#[track_caller]
pub(crate) fn record(make: impl FnOnce() -> Record) {
    record_at(Some(Location::caller()), make);
}

/// Records a step that has no line of its own: a guard released at the end of its scope.
pub(crate) fn record_unplaced(make: impl FnOnce() -> Record) {
    record_at(None, make);
}

fn record_at(location: Option<&'static Location<'static>>, make: impl FnOnce() -> Record) {
    record_step(None, location, make);
}

/// Records a step of thread `thread` (its number in the schedule), at `location`: for a
/// step made on a thread's behalf when it ends, as loom no longer names it then.
pub(crate) fn record_as(
    thread: usize,
    location: &'static Location<'static>,
    make: impl FnOnce() -> Record,
) {
    record_step(Some(thread), Some(location), make);
}

fn record_step(
    thread: Option<usize>,
    location: Option<&'static Location<'static>>,
    make: impl FnOnce() -> Record,
) {
    if !recording() {
        return;
    }
    LOG.with(|log| {
        let mut log = log.borrow_mut();
        let s = match thread {
            Some(t) => step_of(t, make(), location),
            None => step(&mut log, make(), location),
        };
        if log.head.len() < HEAD_STEPS {
            log.head.push(s);
            return;
        }
        if log.steps.len() == KEPT_STEPS {
            log.steps.pop_front();
            log.dropped += 1;
        }
        log.steps.push_back(s);
    });
}

/// Notes that the current thread is about to block in an operation (lock, wait, join), so a
/// deadlock report can say what each thread was waiting for.
#[track_caller]
pub(crate) fn blocking(make: impl FnOnce() -> Record) {
    // Blocking may order this thread after others (a join, a lock): a pointer it loaded
    // before is checked now, before that order exists (see `publish.rs`).
    crate::publish::settle();
    if !recording() {
        return;
    }
    let location = Some(Location::caller());
    LOG.with(|log| {
        let mut log = log.borrow_mut();
        let s = step(&mut log, make(), location);
        let t = s.thread;
        if log.blocked.len() <= t {
            log.blocked.resize(t + 1, None);
        }
        log.blocked[t] = Some(s);
    });
}

/// The blocking operation of the current thread has returned.
pub(crate) fn unblocked() {
    if !recording() {
        return;
    }
    LOG.with(|log| {
        let mut log = log.borrow_mut();
        let t = current_thread(&mut log);
        if let Some(slot) = log.blocked.get_mut(t) {
            *slot = None;
        }
    });
}

/// Called by the panic hook: writes the failing schedule's log, once per schedule. Touches
/// nothing of loom's, whose state may be mid-update when it panics.
fn report_failure() {
    let _ = LOG.try_with(|log| {
        let Ok(mut log) = log.try_borrow_mut() else {
            return;
        };
        if !log.active || log.reported {
            return;
        }
        log.reported = true;
        let skip = log.steps.len().saturating_sub(REPORTED_STEPS - HEAD_STEPS);
        let steps = log
            .head
            .iter()
            .chain(log.steps.iter().skip(skip))
            .map(Step::to_json)
            .collect::<Vec<_>>()
            .join(",");
        let blocked = log
            .blocked
            .iter()
            .flatten()
            .map(Step::to_json)
            .collect::<Vec<_>>()
            .join(",");
        let dropped = log.dropped + skip;
        emit(&[
            ("event", Field::Str("timeline")),
            ("dropped", Field::Num(dropped as u64)),
            ("dropped_after", Field::Num(log.head.len() as u64)),
            ("steps", Field::Raw(&format!("[{steps}]"))),
            ("blocked", Field::Raw(&format!("[{blocked}]"))),
        ]);
    });
}
