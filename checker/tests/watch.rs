//! The watcher (`racelings` in a terminal) driven end to end in a pseudo-terminal over the
//! fixture workbook `watch`: saves in every editor's style, code that breaks in every way,
//! files and folders that come and go, and keys; each time the screen must show a verdict
//! for the code as it is now, and the watcher must keep going.

#[path = "watch/harness.rs"]
mod harness;

use harness::{Save, Screen, Workbook, assert_no_processes_in, check_number, save};
use std::thread::sleep;
use std::time::Duration;

const COUNTER: &str = "01_basics/01_counter";
const TOTAL: &str = "01_basics/02_total";

/// Longer than the watcher's quiet period, so a save that would start a check has done so.
const SETTLE: Duration = Duration::from_millis(1500);

/// The counter exercise with `add` doing `body`.
fn counter_with(body: &str) -> String {
    format!(
        "use racelings_sync::atomic::{{AtomicUsize, Ordering}};\n\
         #[derive(Default)]\n\
         pub struct Counter(AtomicUsize);\n\
         impl Counter {{\n\
         \x20   pub fn add(&self) {{\n{body}\n    }}\n\
         \x20   pub fn get(&self) -> usize {{\n        self.0.load(Ordering::SeqCst)\n    }}\n\
         }}\n"
    )
}

fn compile_error() -> String {
    counter_with("        self.0.fetch_add(1, Ordering::SeqCst)")
}

fn panics() -> String {
    counter_with("        panic!(\"the counter is full\");")
}

fn aborts() -> String {
    counter_with("        std::process::abort();")
}

fn spins_forever() -> String {
    counter_with(
        "        let mut n = 0u64;\n        loop {\n            n = n.wrapping_add(1);\n            \
         std::hint::black_box(n);\n        }",
    )
}

/// A counter behind a lock that `add` takes twice.
fn deadlocks() -> String {
    "use racelings_sync::Mutex;\n\
     #[derive(Default)]\n\
     pub struct Counter(Mutex<usize>);\n\
     impl Counter {\n\
     \x20   pub fn add(&self) {\n\
     \x20       let _held = self.0.lock().unwrap();\n\
     \x20       *self.0.lock().unwrap() += 1;\n\
     \x20   }\n\
     \x20   pub fn get(&self) -> usize {\n\
     \x20       *self.0.lock().unwrap()\n\
     \x20   }\n\
     }\n"
    .to_string()
}

/// The newest verdict's number, once one is on screen.
fn checks_so_far(screen: &Screen) -> u64 {
    check_number(&screen.wait_for_check(1)).unwrap()
}

#[test]
fn saving_the_solution_fixes_the_exercise_and_n_moves_on() {
    let wb = Workbook::fixture("watch");
    let screen = Screen::start(wb.path(), &[]);
    let s = screen.wait_for_check(1);
    assert!(s.contains("racelings  1/2  counter  (lost-update)"), "{s}");
    assert!(
        s.contains("exercises/01_basics/01_counter/src/lib.rs:"),
        "{s}"
    );
    assert!(s.contains("0/2 done"), "{s}");
    assert!(s.contains("counter is not fixed yet"), "{s}");
    assert!(s.contains("loom   FAIL"), "{s}");
    assert!(s.contains("both adds counted"), "{s}");

    screen.keys("n");
    screen.wait_for("fix this one first");

    save(
        &wb.source(COUNTER),
        &wb.solution_text(COUNTER),
        Save::InPlace,
    );
    let s = screen.wait_for("counter is fixed");
    assert!(s.contains("1/2 done"), "{s}");
    assert!(
        s.contains("Compare with the solution: solutions/01_basics/01_counter/src/lib.rs"),
        "{s}"
    );
    assert!(s.contains("n next"), "{s}");
    assert!(wb.state().contains("\"counter\""), "{}", wb.state());

    screen.keys("n");
    let s = screen.wait_for("total is not fixed yet");
    assert!(s.contains("racelings  2/2  total"), "{s}");
    assert!(wb.state().contains("current = \"total\""), "{}", wb.state());

    save(&wb.source(TOTAL), &wb.solution_text(TOTAL), Save::Rename);
    let s = screen.wait_for("total is fixed");
    assert!(s.contains("2/2 done"), "{s}");
    assert!(s.contains("Both fixture exercises are fixed."), "{s}");

    screen.keys("q");
    screen.wait_exit();
    let end = screen.text_with_history();
    assert!(end.contains("racelings: on total, 2 of 2 done"), "{end}");
    assert_no_processes_in(wb.path());
}

#[test]
fn each_save_is_one_check_however_the_editor_writes() {
    let wb = Workbook::fixture("watch");
    let screen = Screen::start(wb.path(), &[]);
    screen.wait_for_check(1);
    let source = wb.source(COUNTER);
    let shipped = std::fs::read_to_string(&source).unwrap();

    // vim: a test file, the old file renamed to a backup, a new file, the backup deleted.
    save(&source, &wb.solution_text(COUNTER), Save::Backup);
    let s = screen.wait_for_check(2);
    assert!(s.contains("counter is fixed"), "{s}");
    sleep(SETTLE);
    assert_eq!(check_number(&screen.text()), Some(2), "{}", screen.text());

    // A save that changes nothing starts nothing.
    save(&source, &wb.solution_text(COUNTER), Save::InPlace);
    sleep(SETTLE);
    assert_eq!(check_number(&screen.text()), Some(2), "{}", screen.text());

    save(&source, &shipped, Save::DeleteCreate);
    let s = screen.wait_for_check(3);
    assert!(s.contains("counter is not fixed yet"), "{s}");
    sleep(SETTLE);
    assert_eq!(check_number(&screen.text()), Some(3), "{}", screen.text());

    // r checks again without a save.
    screen.keys("r");
    let s = screen.wait_for_check(4);
    assert!(s.contains("counter is not fixed yet"), "{s}");
}

#[test]
fn broken_code_of_every_kind_gets_a_verdict_and_the_watcher_recovers() {
    let wb = Workbook::fixture("watch");
    let screen = Screen::start(wb.path(), &[]);
    let source = wb.source(COUNTER);
    let cases: [(&str, String, Save, &[&str]); 5] = [
        (
            "a compile error",
            compile_error(),
            Save::InPlace,
            &["build  ERROR", "mismatched types", "src/lib.rs:6"],
        ),
        ("a panic", panics(), Save::Rename, &["the counter is full"]),
        ("an abort", aborts(), Save::Backup, &["SIGABRT"]),
        ("a deadlock", deadlocks(), Save::InPlace, &["deadlock"]),
        (
            "an endless loop",
            spins_forever(),
            Save::Rename,
            &["TIMEOUT"],
        ),
    ];
    for (what, text, how, expected) in cases {
        let before = checks_so_far(&screen);
        save(&source, &text, how);
        let s = screen.wait_for_check(before + 1);
        assert!(s.contains("counter is not fixed yet"), "{what}:\n{s}");
        for e in expected {
            assert!(s.contains(e), "{what}: no `{e}` on screen:\n{s}");
        }
    }
    save(&source, &wb.solution_text(COUNTER), Save::Rename);
    screen.wait_for("counter is fixed");
    screen.keys("q");
    screen.wait_exit();
    assert_no_processes_in(wb.path());
}

#[test]
fn a_check_in_flight_shows_its_stress_round_and_the_schedules_loom_explored_and_so_does_run() {
    let wb = Workbook::fixture("watch");
    // Time limits long enough for the slow code below to stay in flight while the screen
    // is read.
    let info = wb.path().join("info.toml");
    let text = std::fs::read_to_string(&info).unwrap();
    std::fs::write(
        &info,
        text.replace("_timeout_secs = 3", "_timeout_secs = 60"),
    )
    .unwrap();
    let go = wb.path().join("go");
    // A correct counter whose adds take a millisecond on real threads (each stress round of
    // 2 × 1000 adds takes about a second) and, in a loom model, wait for the file `go`.
    let slow = counter_with(&format!(
        "        if racelings_sync::IS_MODEL {{\n\
         \x20           while !std::path::Path::new({go:?}).exists() {{\n\
         \x20               std::thread::sleep(std::time::Duration::from_millis(10));\n\
         \x20           }}\n\
         \x20       }} else {{\n\
         \x20           std::thread::sleep(std::time::Duration::from_millis(1));\n\
         \x20       }}\n\
         \x20       self.0.fetch_add(1, Ordering::SeqCst);",
        go = go.display().to_string()
    ));
    std::fs::write(wb.source(COUNTER), slow).unwrap();
    let screen = Screen::start(wb.path(), &[]);
    // The round counter moves while the stress test runs.
    let s = screen.wait_until("stress round 2 or later", |t| {
        (2..=10).any(|k| t.contains(&format!("stress counts_every_add: round {k}/10")))
    });
    assert!(s.contains("checking counter: testing  0/2 tests"), "{s}");
    // The model is held up in its first schedule (on one core, once the stress test is over).
    let s = screen.wait_for("loom   two_adds_make_two: 1 schedule explored");
    assert!(s.contains("(preemption bound 0 of 2)"), "{s}");
    std::fs::write(&go, "").unwrap();
    let s = screen.wait_for("counter is fixed");
    assert!(
        !s.contains("schedule explored") && !s.contains("round "),
        "{s}"
    );
    screen.keys("q");
    screen.wait_exit();

    // `racelings run` in a terminal shows the same on one line, gone once the verdict is in.
    let run = Screen::start(wb.path(), &["run", "counter"]);
    run.wait_for("stress counts_every_add: round ");
    let s = run.wait_for("counter is fixed");
    assert!(!s.contains("round "), "{s}");
    assert_no_processes_in(wb.path());
}

#[test]
fn a_save_cancels_the_check_in_flight_and_bursts_end_in_the_last_code() {
    let wb = Workbook::fixture("watch");
    let source = wb.source(COUNTER);
    std::fs::write(&source, spins_forever()).unwrap();
    let screen = Screen::start(wb.path(), &[]);
    // The endless loop's tests run (until their 3 s limit) when the fix is saved.
    screen.wait_until("a test running", |t| {
        t.contains("stress counts_every_add") || t.contains("loom   two_adds_make_two")
    });
    save(&source, &wb.solution_text(COUNTER), Save::Rename);
    let s = screen.wait_until("a verdict", |t| check_number(t).is_some());
    assert!(s.contains("counter is fixed"), "{s}");
    assert_eq!(
        check_number(&s),
        Some(1),
        "the cancelled check has no verdict"
    );

    // Ten saves a second for two seconds, alternating broken code, then the fix.
    for i in 0..20 {
        let text = if i % 2 == 0 {
            compile_error()
        } else {
            panics()
        };
        let how = if i % 3 == 0 {
            Save::Rename
        } else {
            Save::InPlace
        };
        save(&source, &format!("{text}// save {i}\n"), how);
        sleep(Duration::from_millis(100));
    }
    save(&source, &wb.solution_text(COUNTER), Save::InPlace);
    let s = screen.wait_until("the fixed verdict", |t| {
        check_number(t).is_some_and(|n| n > 1) && t.contains("counter is fixed")
    });
    sleep(SETTLE);
    assert_eq!(
        check_number(&screen.text()),
        check_number(&s),
        "{}",
        screen.text()
    );
    assert!(
        screen.text().contains("counter is fixed"),
        "{}",
        screen.text()
    );
}

#[test]
fn files_and_folders_that_come_and_go() {
    let wb = Workbook::fixture("watch");
    let screen = Screen::start(wb.path(), &[]);
    let source = wb.source(COUNTER);
    let crate_dir = wb.path().join("exercises").join(COUNTER);
    let shipped = std::fs::read_to_string(&source).unwrap();
    let shipped_counter = |_: &Workbook| shipped.clone();

    // The file deleted: a verdict that says so; then created again.
    let n = checks_so_far(&screen);
    std::fs::remove_file(&source).unwrap();
    let s = screen.wait_for_check(n + 1);
    assert!(s.contains("counter is not fixed yet"), "{s}");
    std::fs::write(&source, wb.solution_text(COUNTER)).unwrap();
    let s = screen.wait_for_check(n + 2);
    assert!(s.contains("counter is fixed"), "{s}");

    // The whole folder moved away: a message, not a verdict; then back.
    let away = wb.path().join("counter-elsewhere");
    std::fs::rename(&crate_dir, &away).unwrap();
    let s = screen.wait_for("could not be checked");
    assert!(s.contains("its crate is missing"), "{s}");
    std::fs::rename(&away, &crate_dir).unwrap();
    let s = screen.wait_for_check(n + 3);
    assert!(s.contains("counter is fixed"), "{s}");
    // Saves inside the folder that came back are seen.
    save(&source, &compile_error(), Save::Rename);
    let s = screen.wait_for_check(n + 4);
    assert!(s.contains("build  ERROR"), "{s}");

    // Removed for good, then put back by a copy (as `git checkout` would).
    let kept = wb.path().join("counter-kept");
    harness::copy_dir(&crate_dir, &kept);
    std::fs::write(kept.join("src/lib.rs"), shipped_counter(&wb)).unwrap();
    std::fs::remove_dir_all(&crate_dir).unwrap();
    screen.wait_for("its crate is missing");
    harness::copy_dir(&kept, &crate_dir);
    let s = screen.wait_for_check(n + 5);
    assert!(s.contains("counter is not fixed yet"), "{s}");
    assert!(s.contains("loom   FAIL"), "{s}");
}

#[test]
fn a_corrupt_state_file_is_set_aside_and_written_anew() {
    let wb = Workbook::fixture("watch");
    let state = wb.path().join(".racelings-state.toml");
    std::fs::write(&state, "done = [\"counter\"\ncurrent = ").unwrap();
    let screen = Screen::start(wb.path(), &[]);
    let s = screen.wait_for_check(1);
    assert!(s.contains("could not be read"), "{s}");
    assert!(s.contains("racelings  1/2  counter"), "{s}");
    assert!(wb.path().join(".racelings-state.toml.corrupt").exists());

    // Corrupted again while the watcher runs: the next verdict writes it whole.
    std::fs::write(&state, "\u{0}\u{1} not toml").unwrap();
    save(
        &wb.source(COUNTER),
        &wb.solution_text(COUNTER),
        Save::InPlace,
    );
    screen.wait_for("counter is fixed");
    let text = wb.state();
    let parsed: toml::Table = toml::from_str(&text).expect("a valid state file");
    assert_eq!(
        parsed["done"].as_array().unwrap()[0].as_str(),
        Some("counter"),
        "{text}"
    );
}

#[test]
fn quitting_and_closing_the_terminal_leave_no_process_behind() {
    let wb = Workbook::fixture("watch");
    std::fs::write(wb.source(COUNTER), spins_forever()).unwrap();
    for stop in ["q", "C-c", "close"] {
        let screen = Screen::start(wb.path(), &[]);
        screen.wait_until("a test running", |t| {
            t.contains("stress counts_every_add") || t.contains("loom   two_adds_make_two")
        });
        match stop {
            "close" => screen.close_terminal(),
            key => {
                screen.keys(key);
                screen.wait_exit();
            }
        }
        assert_no_processes_in(wb.path());
    }
}

#[test]
fn a_panic_puts_the_terminal_back_and_leaves_no_process_behind() {
    let wb = Workbook::fixture("watch");
    std::fs::write(wb.source(COUNTER), spins_forever()).unwrap();
    let stty = wb.path().join("stty-after");
    // After the watcher, the same terminal's settings are written down (raw mode must be
    // off), and the terminal stays open to be looked at.
    let then = format!("stty -a > '{}'; cd / && exec sleep 60", stty.display());
    let screen = Screen::start_then(wb.path(), &[], &["RACELINGS_TEST_PANIC_KEY=!"], &then);
    screen.wait_until("a test running", |t| {
        t.contains("stress counts_every_add") || t.contains("loom   two_adds_make_two")
    });
    assert_eq!(
        screen.pane("#{alternate_on}"),
        "1",
        "the watcher's own screen"
    );
    assert_eq!(screen.pane("#{cursor_flag}"), "0", "the cursor hidden");
    screen.keys("!");
    let s = screen.wait_for("a test asked for a panic");
    assert!(!s.contains("h hint"), "the watcher's screen is gone:\n{s}");
    assert_eq!(
        screen.pane("#{alternate_on}"),
        "0",
        "back on the normal screen"
    );
    assert_eq!(screen.pane("#{cursor_flag}"), "1", "the cursor shown again");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !stty.exists() || std::fs::read_to_string(&stty).unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "no stty output");
        sleep(Duration::from_millis(50));
    }
    let modes = std::fs::read_to_string(&stty).unwrap();
    let modes: Vec<&str> = modes.split_whitespace().collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(modes.contains(&mode), "`{mode}` is back on: {modes:?}");
    }
    assert_no_processes_in(wb.path());
}

#[test]
fn keys_hint_list_reset_and_check_all() {
    let wb = Workbook::fixture("watch");
    // `x` puts back what git has.
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=racelings",
            "-c",
            "user.email=racelings@localhost",
            "commit",
            "-qm",
            "shipped",
        ],
    ] {
        let ok = std::process::Command::new("git")
            .current_dir(wb.path())
            .args(args)
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let screen = Screen::start(wb.path(), &[]);
    screen.wait_for_check(1);

    screen.keys("h");
    screen.wait_for("another add can run in between");
    screen.keys("h");
    screen.wait_until("the hint gone", |t| {
        !t.contains("another add can run in between")
    });

    screen.keys("l");
    let s = screen.wait_for("status");
    assert!(s.contains("total"), "{s}");
    screen.keys("j");
    screen.keys("Enter");
    screen.wait_for("total is not fixed yet");
    assert!(wb.state().contains("current = \"total\""), "{}", wb.state());
    screen.keys("l");
    screen.wait_for("status");
    screen.keys("k");
    screen.keys("Enter");
    screen.wait_for("racelings  1/2  counter");

    save(
        &wb.source(COUNTER),
        &wb.solution_text(COUNTER),
        Save::InPlace,
    );
    screen.wait_for("counter is fixed");
    screen.keys("x");
    screen.wait_for("to the shipped code");
    screen.keys("n");
    screen.wait_until("the question gone", |t| !t.contains("to the shipped code"));
    assert_eq!(
        std::fs::read_to_string(wb.source(COUNTER)).unwrap(),
        wb.solution_text(COUNTER)
    );
    screen.keys("x");
    screen.wait_for("counter to the shipped code, throwing away your changes? (y/n)");
    screen.keys("y");
    let s = screen.wait_for("counter is not fixed yet");
    assert!(s.contains("is back as shipped"), "{s}");

    screen.keys("c");
    let s = screen.wait_for("exercises are fixed");
    assert!(s.contains("0 of 2 exercises are fixed"), "{s}");
}

#[test]
fn polling_manual_runs_and_a_resized_terminal() {
    let wb = Workbook::fixture("watch");
    let source = wb.source(COUNTER);
    {
        let screen = Screen::start(wb.path(), &["watch", "--poll"]);
        let s = screen.wait_for_check(1);
        assert!(s.contains("polling exercises/01_basics/01_counter"), "{s}");
        save(&source, &wb.solution_text(COUNTER), Save::InPlace);
        screen.wait_for("counter is fixed");
        screen.resize(60, 16);
        let s = screen.wait_until("a redraw at 60×16", |t| {
            t.lines().count() <= 16 && t.contains("counter is fixed") && t.contains("q quit")
        });
        assert!(s.contains("racelings  1/2  counter"), "{s}");
        assert!(s.lines().all(|l| l.chars().count() <= 60), "{s}");
    }
    // The counter is done: the next session starts on the total.
    let screen = Screen::start(wb.path(), &["watch", "--manual-run"]);
    let s = screen.wait_for_check(1);
    assert!(s.contains("racelings  2/2  total"), "{s}");
    assert!(s.contains("press r to check"), "{s}");
    assert!(s.contains("r check"), "{s}");
    save(&wb.source(TOTAL), "pub fn total(", Save::InPlace);
    sleep(SETTLE);
    let s = screen.text();
    assert_eq!(check_number(&s), Some(1), "no check without r:\n{s}");
    screen.keys("r");
    let s = screen.wait_for_check(2);
    assert!(s.contains("build  ERROR"), "{s}");
}
