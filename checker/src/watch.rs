//! `racelings` and `racelings watch`: the watcher. It shows the current exercise, checks it
//! on every save (a save cancels the check in flight), and walks the learner through the
//! workbook with single keys. The pipeline runs on a worker thread; this loop only reacts to
//! events (keys, saves, the worker's progress and verdicts) and redraws.

mod files;
mod keys;
mod screen;
mod terminal;
mod worker;

use crate::commands::learner::shipped_source;
use crate::diagnose::Live;
use crate::libtest;
use crate::pipeline::{Progress as Step, TestId};
use crate::state::{Loaded, Progress};
use crate::verdict::Verdict;
use crate::workbook::{Exercise, Workbook};
use anyhow::{Context, Result, bail};
use clap::Args;
use colored::Colorize;
use files::{Change, FileWatcher};
use keys::{Action, Mode};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use terminal::{Input, Terminal};
use worker::{Job, Report, Worker};

#[derive(Args, Default, Clone)]
pub struct WatchArgs {
    /// Look at the files every half second instead of waiting for the system's change
    /// notifications (for network drives and WSL-mounted folders, where none arrive).
    #[arg(long)]
    pub poll: bool,
    /// Do not watch the files: check only when you press r.
    #[arg(long)]
    pub manual_run: bool,
}

/// How long a quit waits for the runs' processes to be killed and reaped.
const GRACE: Duration = Duration::from_secs(5);
/// How often the screen is redrawn while a check runs (the spinner and the clock).
const TICK: Duration = Duration::from_millis(100);

enum Event {
    Input(Input),
    Files(Change),
    Worker(Report),
}

/// A check the screen is waiting for.
struct Running {
    id: u64,
    /// Check all (`c`), or the current exercise.
    all: bool,
    started: Instant,
    stage: String,
    tests_done: usize,
    tests_total: usize,
    /// The tests running now, in the order they started, each with how far it has got.
    in_flight: Vec<(TestId, Option<Live>)>,
}

/// What the body of the screen shows when no check runs.
enum Shown {
    Nothing,
    /// The newest verdict on the current exercise, for the code as it is now.
    Verdict {
        verdict: Verdict,
        took: Duration,
        check: u64,
    },
    /// The check could not run (the exercise's folder is gone, cargo is missing, …).
    Failed {
        all: bool,
        message: String,
    },
    /// `c`: every exercise's verdict.
    Summary {
        verdicts: Vec<Verdict>,
        took: Duration,
    },
    AllDone,
}

struct App {
    workbook: Workbook,
    progress: Progress,
    /// Index of the current exercise.
    current: usize,
    mode: Mode,
    show_hint: bool,
    /// The list's cursor.
    cursor: usize,
    running: Option<Running>,
    shown: Shown,
    notice: Option<String>,
    /// The id of the newest request; reports for any other are stale.
    last_id: u64,
    /// Verdicts shown so far (the "check #" on screen).
    checks_shown: u64,
    /// The sources as of the newest check of the current exercise.
    fingerprint: Option<u64>,
    manual: bool,
    /// `Some(polling)` when files are watched.
    watching: Option<bool>,
    watcher: Option<FileWatcher>,
    worker: Worker,
    quit: bool,
}

pub fn watch(root: Option<&Path>, args: WatchArgs) -> Result<ExitCode> {
    let root = Workbook::locate(root)?;
    let root = root
        .canonicalize()
        .with_context(|| format!("finding {}", root.display()))?;
    let workbook = Workbook::load(&root)?;
    if workbook.exercises.is_empty() {
        bail!("the workbook has no exercises");
    }
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!("the watcher needs a terminal; `racelings run` checks the current exercise once");
    }
    let (progress, loaded) = Progress::load(&workbook.root);
    let notice = match loaded {
        Loaded::Recovered { backup, reason } => Some(format!(
            "The progress file could not be read ({reason}); it was moved to {} and progress \
             starts over.",
            backup.display()
        )),
        _ => None,
    };
    let current = crate::commands::current(&workbook, &progress)
        .map_or(workbook.exercises.len() - 1, |e| e.number - 1);

    let (tx, events) = mpsc::channel();
    let worker = Worker::start(workbook.root.clone(), tx.clone(), Event::Worker);
    let stopper = worker.stopper();
    let term = Terminal::enter(Box::new(move || stopper.stop(GRACE)))?;
    let send = |tx: &mpsc::Sender<Event>| {
        let tx = tx.clone();
        move |input| tx.send(Event::Input(input)).is_ok()
    };
    terminal::read_input(send(&tx));
    terminal::catch_signals(send(&tx))?;
    let watcher = if args.manual_run {
        None
    } else {
        let tx = tx.clone();
        let dir = workbook.crate_dir(&workbook.exercises[current]);
        Some(
            FileWatcher::start(&workbook.root.join("exercises"), dir, args.poll, move |c| {
                let _ = tx.send(Event::Files(c));
            })
            .context("watching the exercise files")?,
        )
    };
    let mut app = App {
        current,
        cursor: current,
        mode: Mode::Main,
        show_hint: false,
        running: None,
        shown: Shown::Nothing,
        notice,
        last_id: 0,
        checks_shown: 0,
        fingerprint: None,
        manual: args.manual_run,
        watching: watcher.as_ref().map(|w| w.polling),
        watcher,
        worker,
        quit: false,
        workbook,
        progress,
    };
    if app.all_done() {
        app.shown = Shown::AllDone;
    } else {
        app.check(true);
    }
    app.run(&events);

    let App {
        worker,
        watcher,
        progress,
        workbook,
        current,
        ..
    } = app;
    drop(watcher);
    worker.stop(GRACE);
    drop(term);
    let done = workbook
        .exercises
        .iter()
        .filter(|e| progress.done.contains(&e.name))
        .count();
    println!(
        "racelings: on {}, {done} of {} done. Run `cargo racelings` to pick up from here.",
        workbook.exercises[current].name.bold(),
        workbook.exercises.len()
    );
    Ok(ExitCode::SUCCESS)
}

impl App {
    fn exercise(&self) -> &Exercise {
        &self.workbook.exercises[self.current]
    }

    fn all_done(&self) -> bool {
        self.workbook
            .exercises
            .iter()
            .all(|e| self.progress.done.contains(&e.name))
    }

    fn can_move_on(&self) -> bool {
        self.progress.done.contains(&self.exercise().name)
    }

    /// The line of the learner's file to point at: the first place the verdict names in it.
    fn source_line(&self) -> usize {
        let Shown::Verdict { verdict, .. } = &self.shown else {
            return 1;
        };
        let file = self.exercise().source_path();
        verdict
            .stages
            .iter()
            .flat_map(|s| {
                s.locations
                    .iter()
                    .chain(s.tests.iter().flat_map(|t| &t.locations))
            })
            .find(|l| l.file == file)
            .map_or(1, |l| l.line)
    }

    fn run(&mut self, events: &Receiver<Event>) {
        let mut out = std::io::stdout();
        let _ = screen::draw(self, &mut out);
        while !self.quit {
            let event = if self.running.is_some() {
                events.recv_timeout(TICK)
            } else {
                events.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            match event {
                Ok(event) => self.handle(event),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            // Take in everything already queued, then draw once.
            while !self.quit {
                let Ok(event) = events.try_recv() else { break };
                self.handle(event);
            }
            // A terminal that went away cannot be drawn on; the stop signal follows.
            let _ = screen::draw(self, &mut out);
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Input(Input::Key(key)) => {
                panic_on_test_key(key);
                if let Some(action) = keys::action(self.mode, key) {
                    self.act(action);
                }
            }
            Event::Input(Input::Resize) => {}
            Event::Input(Input::Stop) => self.quit = true,
            Event::Files(Change::Sources) => {
                if !self.manual {
                    self.check(false);
                }
            }
            Event::Files(Change::Failed(err)) => {
                self.notice = Some(format!(
                    "Watching the files failed ({err}); r checks by hand, or restart with --poll."
                ));
            }
            Event::Worker(Report::Progress(id, step)) => self.on_progress(id, step),
            Event::Worker(Report::Done(id, result)) => self.on_done(id, result),
        }
    }

    fn act(&mut self, action: Action) {
        if self.mode == Mode::Main {
            self.notice = None;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Next => self.next(),
            Action::ToggleHint => self.show_hint = !self.show_hint,
            Action::OpenList => {
                self.cursor = self.current;
                self.mode = Mode::List;
            }
            Action::Rerun => self.check(true),
            Action::AskReset => self.mode = Mode::ConfirmReset,
            Action::CheckAll => self.check_all(),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => {
                self.cursor = (self.cursor + 1).min(self.workbook.exercises.len() - 1);
            }
            Action::Pick => self.go_to(self.cursor),
            Action::Back => {
                if self.mode == Mode::Main {
                    self.show_hint = false;
                }
                self.mode = Mode::Main;
            }
            Action::Confirm => {
                self.mode = Mode::Main;
                self.reset();
            }
        }
    }

    /// Checks the current exercise, cancelling the check in flight. Unless `force`d, a
    /// change that leaves the sources as the newest check saw them starts nothing.
    fn check(&mut self, force: bool) {
        let dir = self.workbook.crate_dir(self.exercise());
        let fingerprint = files::fingerprint(&dir);
        if !force && self.fingerprint == Some(fingerprint) {
            return;
        }
        self.fingerprint = Some(fingerprint);
        let exercise = self.exercise().clone();
        let total = libtest::count_tests(&self.workbook, &[&exercise]);
        self.start(Job::One(exercise), false, total);
    }

    fn check_all(&mut self) {
        let all: Vec<Exercise> = self.workbook.exercises.clone();
        let total = libtest::count_tests(&self.workbook, &all.iter().collect::<Vec<_>>());
        self.start(Job::All(all), true, total);
    }

    fn start(&mut self, job: Job, all: bool, tests_total: usize) {
        self.last_id += 1;
        // The verdict on screen was for other code: it goes, it is never shown as current.
        self.shown = Shown::Nothing;
        self.running = Some(Running {
            id: self.last_id,
            all,
            started: Instant::now(),
            stage: "starting".to_string(),
            tests_done: 0,
            tests_total,
            in_flight: Vec::new(),
        });
        self.worker.submit(self.last_id, job);
    }

    fn on_progress(&mut self, id: u64, step: Step) {
        let Some(run) = self.running.as_mut().filter(|r| r.id == id) else {
            return;
        };
        match step {
            Step::Building(flavor) => run.stage = flavor.building().to_string(),
            Step::TestStarted(test) => {
                run.stage = "testing".to_string();
                run.in_flight.push((test, None));
            }
            Step::TestLive(test, live) => {
                if let Some(entry) = run.in_flight.iter_mut().find(|(t, _)| *t == test) {
                    entry.1 = Some(live);
                }
            }
            Step::TestFinished(test) => {
                run.tests_done += 1;
                run.in_flight.retain(|(t, _)| *t != test);
            }
        }
    }

    fn on_done(&mut self, id: u64, result: Result<Vec<Verdict>, String>) {
        let Some(run) = self.running.take_if(|r| r.id == id) else {
            return;
        };
        let took = run.started.elapsed();
        self.shown = match result {
            Err(message) => Shown::Failed {
                all: run.all,
                message,
            },
            Ok(verdicts) if run.all => {
                for v in &verdicts {
                    self.progress.record(&v.exercise, v.fixed);
                }
                self.save_progress();
                Shown::Summary { verdicts, took }
            }
            Ok(mut verdicts) => {
                let verdict = verdicts.remove(0);
                self.progress.record(&verdict.exercise, verdict.fixed);
                self.save_progress();
                self.checks_shown += 1;
                Shown::Verdict {
                    verdict,
                    took,
                    check: self.checks_shown,
                }
            }
        };
    }

    fn save_progress(&mut self) {
        if let Err(err) = self.progress.save(&self.workbook.root) {
            self.notice = Some(format!("Could not save your progress: {err:#}"));
        }
    }

    /// `n`: on to the next exercise not done yet, once this one is fixed.
    fn next(&mut self) {
        if !self.can_move_on() {
            self.notice = Some("n moves on once every check passes: fix this one first.".into());
            return;
        }
        let count = self.workbook.exercises.len();
        let pending = (1..=count).map(|k| (self.current + k) % count).find(|&i| {
            !self
                .progress
                .done
                .contains(&self.workbook.exercises[i].name)
        });
        match pending {
            Some(i) => self.go_to(i),
            None => self.shown = Shown::AllDone,
        }
    }

    /// Makes exercise `index` the current one, remembers it, and checks it.
    fn go_to(&mut self, index: usize) {
        self.mode = Mode::Main;
        self.show_hint = false;
        self.current = index;
        self.progress.current = Some(self.exercise().name.clone());
        self.save_progress();
        let dir: PathBuf = self.workbook.crate_dir(self.exercise());
        if let Some(watcher) = &self.watcher {
            watcher.follow(dir);
        }
        self.fingerprint = None;
        self.check(true);
    }

    /// `x` then `y`: the shipped source back in place of the learner's.
    fn reset(&mut self) {
        let source = self.exercise().source_path();
        let path = self.workbook.root.join(&source);
        let restored = shipped_source(&self.workbook.root, &source).and_then(|text| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
        });
        match restored {
            Ok(()) => {
                self.notice = Some(format!("{source} is back as shipped."));
                self.check(false);
            }
            Err(err) => self.notice = Some(format!("Could not reset {source}: {err:#}")),
        }
    }
}

/// In debug builds only: the key in `RACELINGS_TEST_PANIC_KEY` makes the screen's thread
/// panic, so the tests can see the terminal put back and the runs stopped on a panic.
fn panic_on_test_key(key: crossterm::event::KeyEvent) {
    if cfg!(debug_assertions)
        && let Ok(chosen) = std::env::var("RACELINGS_TEST_PANIC_KEY")
        && key.code == crossterm::event::KeyCode::Char(chosen.chars().next().unwrap_or('\0'))
    {
        panic!("a test asked for a panic with the key {chosen:?}");
    }
}
