//! Stress runs on real threads: many rounds, an outcome table, and a watchdog for hangs.
//!
//! Each round runs the exercise's workload and returns an outcome (a final counter, a
//! balance, the number of items consumed). The outcomes are tallied as a table in the style
//! of jcstress: each distinct outcome, how often it was seen, and whether it is correct.
//! A round that does not finish within the round timeout is a hang, reported as a suspected
//! deadlock instead of hanging the test. The test fails if any round was wrong or hung.

use crate::marker::{Field, Pacer, emit, json_object};
use std::collections::HashMap;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long one round may take before it counts as a hang, unless the test says otherwise.
pub const DEFAULT_ROUND_TIMEOUT: Duration = Duration::from_secs(3);

/// How many distinct outcomes a failure message lists (the table marker has them all).
const SHOWN_OUTCOMES: usize = 6;

/// A stress test: how many rounds, and how long one may take.
#[derive(Debug, Clone)]
pub struct Stress {
    rounds: usize,
    round_timeout: Duration,
}

/// Runs `work` for `rounds` rounds and fails if any outcome is not `correct` or a round hangs.
#[track_caller]
pub fn stress<T, W, C>(rounds: usize, work: W, correct: C)
where
    T: Debug + Send + 'static,
    W: Fn(usize) -> T + Send + Sync + 'static,
    C: Fn(&T) -> bool,
{
    Stress::new(rounds).run(work, correct)
}

enum RoundEnd<T> {
    Finished(T),
    Panicked(String),
}

struct Tally {
    outcome: String,
    count: usize,
    correct: bool,
}

impl Stress {
    /// `rounds` rounds with the default round timeout.
    pub fn new(rounds: usize) -> Self {
        Stress {
            rounds: rounds.max(1),
            round_timeout: DEFAULT_ROUND_TIMEOUT,
        }
    }

    /// How long one round may run before it counts as a hang.
    pub fn round_timeout(mut self, timeout: Duration) -> Self {
        self.round_timeout = timeout;
        self
    }

    /// Runs the rounds; panics (failing the test) on any wrong outcome or hang.
    #[track_caller]
    pub fn run<T, W, C>(self, work: W, correct: C)
    where
        T: Debug + Send + 'static,
        W: Fn(usize) -> T + Send + Sync + 'static,
        C: Fn(&T) -> bool,
    {
        let quiet = QuietRepeatPanics::install();
        let (tx, rx) = mpsc::channel();
        let rounds = self.rounds;
        let work = Arc::new(work);
        // A plain std thread: if a round deadlocks, this thread is the one left stuck, and
        // the test thread is free to report it.
        std::thread::Builder::new()
            .name("stress-rounds".into())
            .spawn(move || {
                // The round under way, for a front end's live progress.
                let pacer = Pacer::new();
                for round in 0..rounds {
                    if pacer.due() {
                        emit(&[
                            ("event", Field::Str("stress_round")),
                            ("round", Field::Num(round as u64 + 1)),
                            ("rounds", Field::Num(rounds as u64)),
                        ]);
                    }
                    let work = Arc::clone(&work);
                    let end = match catch_unwind(AssertUnwindSafe(move || work(round))) {
                        Ok(v) => RoundEnd::Finished(v),
                        Err(payload) => RoundEnd::Panicked(panic_message(&*payload)),
                    };
                    if tx.send(end).is_err() {
                        return;
                    }
                }
            })
            .expect("spawn the stress thread");

        let started = Instant::now();
        let mut table: Vec<Tally> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut hang_round = None;
        for round in 0..rounds {
            let (outcome, ok) = match rx.recv_timeout(self.round_timeout) {
                Ok(RoundEnd::Finished(v)) => {
                    let ok = correct(&v);
                    (format!("{v:?}"), ok)
                }
                Ok(RoundEnd::Panicked(msg)) => (format!("panicked: {msg}"), false),
                Err(_) => {
                    hang_round = Some(round);
                    ("hang".to_string(), false)
                }
            };
            let slot = *index.entry(outcome.clone()).or_insert_with(|| {
                table.push(Tally {
                    outcome,
                    count: 0,
                    correct: ok,
                });
                table.len() - 1
            });
            table[slot].count += 1;
            if hang_round.is_some() {
                break;
            }
        }
        drop(quiet);

        let completed = table.iter().map(|t| t.count).sum::<usize>();
        let rows = table
            .iter()
            .map(|t| {
                json_object(&[
                    ("outcome", Field::Str(&t.outcome)),
                    ("count", Field::Num(t.count as u64)),
                    ("correct", Field::Bool(t.correct)),
                ])
            })
            .collect::<Vec<_>>()
            .join(",");
        let rows = format!("[{rows}]");
        emit(&[
            ("event", Field::Str("stress")),
            ("rounds", Field::Num(rounds as u64)),
            ("completed", Field::Num(completed as u64)),
            (
                "elapsed_ms",
                Field::Num(started.elapsed().as_millis() as u64),
            ),
            ("outcomes", Field::Raw(&rows)),
            (
                "hang_round",
                match hang_round {
                    Some(r) => Field::Num(r as u64 + 1),
                    None => Field::Raw("null"),
                },
            ),
        ]);

        if let Some(round) = hang_round {
            panic!(
                "suspected deadlock: round {} of {} made no progress for {:?} (its threads are \
                 still blocked)",
                round + 1,
                rounds,
                self.round_timeout
            );
        }
        let wrong: usize = table.iter().filter(|t| !t.correct).map(|t| t.count).sum();
        if wrong > 0 {
            // The most frequent outcomes first; a lost update can give a new value every round.
            table.sort_by_key(|t| std::cmp::Reverse(t.count));
            let shown = table.len().min(SHOWN_OUTCOMES);
            let mut seen = table[..shown]
                .iter()
                .map(|t| {
                    format!(
                        "{} ×{}{}",
                        t.outcome,
                        t.count,
                        if t.correct { "" } else { " (wrong)" }
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            if table.len() > shown {
                seen.push_str(&format!(", and {} other outcomes", table.len() - shown));
            }
            panic!("{wrong} of {rounds} rounds ended wrong; outcomes seen: {seen}");
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// While installed, only the first panic of a stress run is printed in full (it carries the
/// file and line); the same panic in later rounds would only bury it.
struct QuietRepeatPanics {
    previous: Arc<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync>,
}

impl QuietRepeatPanics {
    fn install() -> Self {
        let previous: Arc<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync> =
            Arc::from(std::panic::take_hook());
        let seen = Arc::new(AtomicUsize::new(0));
        let forward = Arc::clone(&previous);
        std::panic::set_hook(Box::new(move |info| {
            if seen.fetch_add(1, Ordering::Relaxed) == 0 {
                forward(info);
            }
        }));
        QuietRepeatPanics { previous }
    }
}

impl Drop for QuietRepeatPanics {
    fn drop(&mut self) {
        let previous = Arc::clone(&self.previous);
        std::panic::set_hook(Box::new(move |info| previous(info)));
    }
}
