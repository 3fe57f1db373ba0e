//! What the facade models beyond loom's own primitives, driven end to end over the fixture
//! workbook `model_waits`: each exercise's shipped code is a non-fix the model now exposes,
//! and its solution is correct code the model now accepts.
//!
//! - timed waits time out (`01_timeout`: a wait that times out and goes on is caught; a loop
//!   that polls with a timeout, with nobody notifying, passes instead of deadlocking);
//! - `park`/`unpark` carry only std's ordering (`02_park`: a `Relaxed` flag before `unpark`
//!   is a data race; `Release`/`Acquire` passes);
//! - `notify_one` wakes any waiter (`03_relay`: a relay that works only if the longest
//!   waiter wakes deadlocks; `notify_all` passes);
//! - `thread::scope` on both backends (`04_scope`);
//! - `thread::sleep` orders nothing, `park_timeout` returns (`05_poll`).

mod common;

use common::{Workbook, stderr, stdout, verdicts};
use serde_json::Value;

const DIRS: [&str; 5] = [
    "01_waits/01_timeout",
    "01_waits/02_park",
    "01_waits/03_relay",
    "01_waits/04_scope",
    "01_waits/05_poll",
];

fn verdict<'a>(all: &'a Value, name: &str) -> &'a Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|v| v["exercise"] == name)
        .unwrap_or_else(|| panic!("no verdict for {name} in {all:#}"))
}

fn stage<'a>(v: &'a Value, check: &str) -> &'a Value {
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["check"] == check)
        .unwrap_or_else(|| panic!("no {check} stage in {v:#}"))
}

fn message(stage: &Value) -> &str {
    stage["message"].as_str().unwrap_or("")
}

/// (thread, op, value) of each step of a stage's timeline.
fn steps(stage: &Value) -> Vec<(u64, String, String)> {
    stage["timeline"]
        .as_array()
        .unwrap_or_else(|| panic!("no timeline in {stage:#}"))
        .iter()
        .map(|s| {
            (
                s["thread"].as_u64().unwrap(),
                s["op"].as_str().unwrap().to_string(),
                s["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn each_non_fix_the_model_now_exposes_is_rejected_with_what_broke_it() {
    let wb = Workbook::fixture("model_waits");
    let out = wb.racelings(&["verify", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = verdicts(&out);
    for v in all.as_array().unwrap() {
        assert_eq!(v["fixed"], false, "{v:#}");
    }

    // A timed wait that runs out of time, and code that goes on without its condition.
    let s = stage(verdict(&all, "waits_timeout"), "loom");
    assert_eq!(s["kind"], "spurious_wakeup", "{s:#}");
    assert!(
        message(s).contains(
            "main's timed wait on B (line 23) ran out of time before any notification came"
        ),
        "{s:#}"
    );
    assert!(
        steps(s).contains(&(0, "wake".into(), "timed out".into())),
        "{s:#}"
    );

    // A Relaxed flag before unpark: the reader may see the flag without parking, and then
    // nothing orders the sensor's write before its read.
    let s = stage(verdict(&all, "waits_park"), "loom");
    assert_eq!(s["kind"], "data_race", "{s:#}");
    assert!(message(s).contains("main reads cell"), "{s:#}");
    assert!(
        message(s).contains("thread 1's write (line 25)"),
        "the sensor's write: {s:#}"
    );

    // notify_one woke the caller whose turn it was not; the one it was sleeps on. Found in
    // the normal pass: no spurious wakeup reordered the waiters.
    let s = stage(verdict(&all, "waits_relay"), "loom");
    assert_eq!(s["kind"], "lost_wakeup", "{s:#}");
    assert_eq!(s["tests"][0]["spurious_pass"], false, "{s:#}");
    assert!(
        message(s).contains("the notify_one main sent (line 41) woke thread"),
        "{s:#}"
    );

    // Scoped threads run in the model: their lost update is found.
    let v = verdict(&all, "waits_scope");
    let s = stage(v, "loom");
    assert_eq!(s["kind"], "lost_update", "{s:#}");
    assert_eq!(stage(v, "build")["status"], "pass", "{v:#}");

    // A sleep orders nothing: the read races with the exporter's write.
    let s = stage(verdict(&all, "waits_poll"), "loom");
    assert_eq!(s["kind"], "data_race", "{s:#}");
    assert!(
        steps(s).iter().any(|(t, op, _)| *t == 0 && op == "sleep"),
        "{s:#}"
    );
}

#[test]
fn each_correct_fix_the_model_used_to_reject_is_accepted() {
    let wb = Workbook::fixture("model_waits");
    for dir in DIRS {
        wb.apply_solution(dir);
    }
    let out = wb.racelings(&["verify", "--json"]);
    let all = verdicts(&out);
    for v in all.as_array().unwrap() {
        assert_eq!(v["fixed"], true, "{v:#}\n{}", stdout(&out));
    }
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Scoped threads on both backends.
    let v = verdict(&all, "waits_scope");
    for check in ["stress", "loom"] {
        assert_eq!(stage(v, check)["status"], "pass", "{v:#}");
    }
}
