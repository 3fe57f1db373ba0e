//! What the facade models beyond loom, shown both ways over the fixture workbook
//! `model_memory`: each shipped exercise is a non-fix the addition exposes (rejected, with
//! the right kind and words, at the learner's lines), and its solution is correct code the
//! addition lets through. Driven end to end through the real binary.
//!
//! - `memory_small_atomics`: `AtomicU8`, `AtomicI16`, `fence`, `compiler_fence` and
//!   `get_mut` build on both backends; a fence is a timeline step; a compiler fence in
//!   place of an acquire fence is a stale read.
//! - `memory_pointer`: a `Box` published through an `AtomicPtr` with `Relaxed` on both sides
//!   is a data race on the pointee; `Release`/`Acquire` passes, and so does a `Relaxed` load
//!   only compared with null.
//! - `memory_backoff`: a `try_lock` that fails only inside another thread's short critical
//!   section sends a back-off into a lock-order deadlock; the ordered back-off passes.
//! - `memory_rendezvous`: three threads that arrive, step back and yield are a livelock;
//!   three that wait with `yield_now` for the others pass.
//! - `memory_gate`: three threads spinning for a gate no thread opens wait for a change no
//!   thread will make; with the gate opened by the last to arrive, they pass.

mod common;

use common::{Workbook, stderr, stdout, verdicts};
use serde_json::Value;

fn stage<'a>(all: &'a Value, name: &str, check: &str) -> &'a Value {
    let v = all
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["exercise"] == name)
        .unwrap_or_else(|| panic!("no verdict for {name}"));
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["check"] == check)
        .unwrap_or_else(|| panic!("no {check} stage in {v:#}"))
}

fn message(stage: &Value) -> &str {
    stage["message"].as_str().unwrap()
}

/// The lines of the exercise's src/lib.rs that the stage names.
fn own_lines(stage: &Value, dir: &str) -> Vec<u64> {
    let file = format!("exercises/01_memory/{dir}/src/lib.rs");
    stage["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["file"] == file)
        .map(|l| l["line"].as_u64().unwrap())
        .collect()
}

/// (thread, op, value, line) of each step of the failing schedule.
fn steps(stage: &Value) -> Vec<(u64, String, String, u64)> {
    stage["timeline"]
        .as_array()
        .unwrap_or_else(|| panic!("no timeline in {stage:#}"))
        .iter()
        .map(|s| {
            (
                s["thread"].as_u64().unwrap(),
                s["op"].as_str().unwrap().to_string(),
                s["value"].as_str().unwrap_or("").to_string(),
                s["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn each_non_fix_the_model_now_sees_is_rejected_for_what_it_is() {
    let wb = Workbook::fixture("model_memory");
    let out = wb.racelings(&["verify", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = verdicts(&out);

    // Small atomics and get_mut build on real threads too.
    let s = stage(&all, "memory_small_atomics", "stress");
    assert_eq!(s["status"], "pass", "{s:#}");
    // A compiler fence orders nothing between threads: the reading may be the old one.
    let s = stage(&all, "memory_small_atomics", "loom");
    assert_eq!(s["kind"], "stale_read", "{s:#}");
    assert!(
        message(s).contains("main loaded 0 from A (line 27)"),
        "{s:#}"
    );
    assert!(
        steps(s).contains(&(1, "fence".into(), "Release".into(), 17)),
        "the fence is a step at its line: {s:#}"
    );

    // A pointer published and loaded with Relaxed: the pointee is raced on.
    let s = stage(&all, "memory_pointer", "loom");
    assert_eq!(s["kind"], "data_race", "{s:#}");
    assert!(
        message(s).starts_with(
            "a_reader_sees_the_whole_list: main loads a pointer from A (line 23) and reads what \
             it points to, but thread 1 wrote that memory and published the pointer (line 18)"
        ),
        "{s:#}"
    );
    assert_eq!(own_lines(s, "02_pointer")[..2], [23, 18], "{s:#}");
    let st = steps(s);
    let publish = st.iter().position(|x| x.1 == "write" && x.3 == 18);
    let read = st.iter().position(|x| x.1 == "read" && x.3 == 23);
    assert!(
        publish.is_some() && publish < read,
        "the pointee's write and read, at the store's and the load's lines: {st:?}"
    );

    // try_lock failing inside the depositor's short critical section: the back-off takes
    // the locks in the other order and closes a circle with the audit.
    let s = stage(&all, "memory_backoff", "loom");
    assert_eq!(s["kind"], "deadlock", "{s:#}");
    assert!(
        message(s).contains("main holds lock A (line 29) and waits for lock B (line 30)"),
        "{s:#}"
    );
    assert!(
        message(s).contains("thread 1 holds lock B (line 40) and waits for lock A (line 41)"),
        "{s:#}"
    );
    assert!(
        steps(s).contains(&(0, "try_lock".into(), "busy".into(), 24)),
        "{s:#}"
    );

    // Threads that keep stepping back: a livelock, named with what each retries.
    let s = stage(&all, "memory_rendezvous", "loom");
    assert_eq!(s["kind"], "spin_loop", "{s:#}");
    assert!(
        message(s).starts_with(
            "no_worker_starts_before_all_have_arrived: livelock: thread 1, thread 2 and thread \
             3 each retry, yielding between turns: fetch_add B 0 → 1 (line 18), load B → 1 \
             (line 19), fetch_sub B 1 → 0 (line 23)"
        ),
        "{s:#}"
    );
    // Code that yields is never told to yield.
    assert!(!message(s).contains("yield_now()"), "{s:#}");
    assert_eq!(own_lines(s, "04_rendezvous")[0], 18, "{s:#}");

    // Threads spinning for a gate nobody opens.
    let s = stage(&all, "memory_gate", "loom");
    assert_eq!(s["kind"], "deadlock", "{s:#}");
    assert!(
        message(s).contains(
            "thread 1, thread 2 and thread 3 wait in a yielding loop: load C → false (line 21)"
        ),
        "{s:#}"
    );
    assert!(
        message(s).contains("they wait for a change no thread will make"),
        "{s:#}"
    );
    assert!(!message(s).contains("spin_loop()"), "{s:#}");
    let st = steps(s);
    assert!(
        st.iter()
            .any(|x| x.1 == "yield" && x.2 == "nothing changed" && x.3 == 22),
        "{st:?}"
    );

    // The terminal shows the fence and the pointee as steps.
    let out = wb.racelings(&["run", "memory_pointer"]);
    let text = stdout(&out);
    assert!(
        text.contains("write *B") && text.contains("read *B"),
        "{text}"
    );
    let out = wb.racelings(&["run", "memory_small_atomics"]);
    let text = stdout(&out);
    assert!(text.contains("fence Release"), "{text}");
}

#[test]
fn the_correct_code_each_addition_unblocks_is_accepted() {
    let wb = Workbook::fixture("model_memory");
    for dir in [
        "01_memory/01_small_atomics",
        "01_memory/02_pointer",
        "01_memory/03_backoff",
        "01_memory/04_rendezvous",
        "01_memory/05_gate",
    ] {
        wb.apply_solution(dir);
    }
    let out = wb.racelings(&["verify", "--json"]);
    let all = verdicts(&out);
    for v in all.as_array().unwrap() {
        assert_eq!(v["fixed"], true, "{v:#}");
    }
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
