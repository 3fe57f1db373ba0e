//! Verdicts that teach: each kind of failure explained in one line of plain words, at the
//! learner's own lines, with the failing loom schedule as a timeline of steps; driven end to
//! end over the fixture workbook `teach` (one exercise per kind) and over the real workbook.

mod common;

use common::{Workbook, stderr, stdout, verdicts};
use serde_json::Value;

fn loom_stage<'a>(all: &'a Value, name: &str) -> &'a Value {
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
        .find(|s| s["check"] == "loom")
        .unwrap_or_else(|| panic!("no loom stage in {v:#}"))
}

fn message(stage: &Value) -> &str {
    stage["message"].as_str().unwrap()
}

/// The lines of the exercise's src/lib.rs that the stage names.
fn own_lines(stage: &Value, dir: &str) -> Vec<u64> {
    let file = format!("exercises/01_teach/{dir}/src/lib.rs");
    stage["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["file"] == file)
        .map(|l| l["line"].as_u64().unwrap())
        .collect()
}

/// (thread, op, value, line) of each step, `blocked` steps marked with a `!` on their op.
fn steps(stage: &Value) -> Vec<(u64, String, String, u64)> {
    stage["timeline"]
        .as_array()
        .unwrap_or_else(|| panic!("no timeline in {stage:#}"))
        .iter()
        .map(|s| {
            let mut op = s["op"].as_str().unwrap().to_string();
            if s["blocked"] == true {
                op.push('!');
            }
            (
                s["thread"].as_u64().unwrap(),
                op,
                s["value"].as_str().unwrap_or("").to_string(),
                s["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// A verdict as text, without the learner's own source lines (the snippets), which may say
/// anything (`SessionId(…)`).
fn verdict_text(v: &Value) -> String {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("snippet");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = v.clone();
    strip(&mut v);
    v.to_string()
}

const INTERNALS: [&str; 5] = [
    "Id(",
    "generator::",
    "rt/execution.rs",
    "Option::unwrap()",
    "Box<dyn Any>",
];

#[test]
fn each_kind_of_failure_is_explained_at_the_learners_lines() {
    let wb = Workbook::fixture("teach");
    let out = wb.racelings(&["verify", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = verdicts(&out);
    for v in all.as_array().unwrap() {
        let text = verdict_text(v);
        for internal in INTERNALS {
            assert!(!text.contains(internal), "{internal} in {v:#}");
        }
    }

    // A lost update: both threads load 0, then both store 1, on the learner's two lines.
    let s = loom_stage(&all, "teach_lost_update");
    assert_eq!(s["kind"], "lost_update", "{s:#}");
    assert!(
        message(s).contains("main and thread 1 both loaded 0 from A (line 9)"),
        "{s:#}"
    );
    assert!(message(s).contains("(expected 2, got 1)"), "{s:#}");
    assert_eq!(own_lines(s, "01_lost_update")[..2], [9, 10]);
    let atomic: Vec<_> = steps(s)
        .into_iter()
        .filter(|(_, op, _, _)| op == "load" || op == "store")
        .collect();
    assert_eq!(
        atomic[..4],
        [
            (0, "load".into(), "0".into(), 9),
            (1, "load".into(), "0".into(), 9),
            (0, "store".into(), "1".into(), 10),
            (1, "store".into(), "1".into(), 10),
        ],
        "{s:#}"
    );
    let first = &s["timeline"][1];
    assert_eq!(first["thread_name"], "main");
    assert_eq!(
        first["snippet"],
        "let seen = self.0.load(Ordering::SeqCst);"
    );
    // Its stress check counts outcomes, jcstress style: every round is in the table once.
    let v = all.as_array().unwrap();
    let stress = v
        .iter()
        .find(|v| v["exercise"] == "teach_lost_update")
        .and_then(|v| {
            v["stages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["check"] == "stress")
        })
        .unwrap();
    let table = &stress["tests"][0]["outcomes"];
    let rows = table["outcomes"].as_array().unwrap();
    let counted: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, table["completed"].as_u64().unwrap(), "{table:#}");
    assert_eq!(table["rounds"], 20);
    for r in rows {
        assert_eq!(r["correct"] == true, r["outcome"] == "80000", "{table:#}");
    }
    assert_eq!(
        stress["status"] == "fail",
        rows.iter().any(|r| r["correct"] == false),
        "{stress:#}"
    );

    // A deadlock: the cycle, each thread's held lock and the one it waits for.
    let s = loom_stage(&all, "teach_lock_cycle");
    assert_eq!(s["kind"], "deadlock");
    assert_eq!(
        message(s),
        "opposite_transfers_finish: main holds lock A (line 7) and waits for lock B (line 8); \
         thread 1 holds lock B (line 7) and waits for lock A (line 8): each waits for the other \
         forever"
    );
    let st = steps(s);
    assert_eq!(
        st[st.len() - 2..],
        [
            (0, "lock!".into(), "".into(), 8),
            (1, "lock!".into(), "".into(), 8)
        ],
        "{s:#}"
    );
    assert_eq!(s["timeline"][st.len() - 1]["object"], "A");

    // A lock taken twice by one thread.
    let s = loom_stage(&all, "teach_reentrant");
    assert_eq!(s["kind"], "deadlock");
    assert!(
        message(s).contains("main holds lock A (line 8) and asks for it again (line 16)"),
        "{s:#}"
    );

    // A lost wakeup: the notify came before the wait.
    let s = loom_stage(&all, "teach_lost_wakeup");
    assert_eq!(s["kind"], "lost_wakeup");
    assert!(
        message(s).contains(
            "thread 1 waits on B (line 19) for a notification main already sent (line 14)"
        ),
        "{s:#}"
    );
    let st = steps(s);
    let notify = st.iter().position(|x| x.1 == "notify").unwrap();
    let wait = st.iter().position(|x| x.1 == "wait").unwrap();
    assert!(notify < wait, "{st:?}");
    assert!(st.contains(&(1, "wait!".into(), "".into(), 19)), "{st:?}");

    // One consumer and an `if` around the wait: caught by the pass with spurious wakeups.
    let s = loom_stage(&all, "teach_one_consumer");
    assert_eq!(s["kind"], "spurious_wakeup", "{s:#}");
    assert!(
        message(s).contains("main's wait on B (line 21) returned without any notification"),
        "{s:#}"
    );
    assert_eq!(s["tests"][0]["spurious_pass"], true);
    assert!(
        steps(s).contains(&(0, "wake".into(), "spurious".into(), 21)),
        "{s:#}"
    );

    // A data race: the two accesses, at their lines.
    let s = loom_stage(&all, "teach_data_race");
    assert_eq!(s["kind"], "data_race");
    assert!(
        message(s).contains("main reads cell A (line 21) while thread 1's write (line 15)"),
        "{s:#}"
    );
    assert_eq!(own_lines(s, "06_data_race")[..2], [21, 15]);

    // A spin loop: the repeated load, folded into one step.
    let s = loom_stage(&all, "teach_spin");
    assert_eq!(s["kind"], "spin_loop");
    assert!(message(s).contains("main spins at line 13"), "{s:#}");
    let last = s["timeline"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["op"].as_str(), last["line"].as_u64()),
        (Some("load"), Some(13))
    );
    assert!(last["repeat"].as_u64().unwrap() > 100, "{last:#}");

    // A plain assertion keeps the test's words and names the learner's last line that ran.
    let s = loom_stage(&all, "teach_assertion");
    assert_eq!(s["kind"], "assertion");
    assert_eq!(
        message(s),
        "a_discount_lowers_the_price: a discount lowers the price"
    );
    assert_eq!(own_lines(s, "08_assertion"), [17]);
    assert_eq!(steps(s)[1], (0, "store".into(), "1100".into(), 13), "{s:#}");

    // A panic in the learner's code: its message and line, and the check it acted on.
    let s = loom_stage(&all, "teach_panic");
    assert_eq!(s["kind"], "panic");
    assert!(message(s).contains("overdrawn: took 10 from 0"), "{s:#}");
    assert!(
        message(s).contains("checked A (line 12: it was 10)"),
        "{s:#}"
    );
    assert!(own_lines(s, "09_panic").contains(&17), "{s:#}");

    // No result in time: a timeout, with nothing made up.
    let s = loom_stage(&all, "teach_timeout");
    assert_eq!(s["status"], "timeout");
    assert_eq!(s["kind"], "timeout");
    assert!(s.get("timeline").is_none(), "{s:#}");

    // The terminal shows the same: the diagnosis, then one column per thread.
    let out = wb.racelings(&["run", "teach_lost_update"]);
    let text = stdout(&out);
    assert!(
        text.contains("lost update: two_records_make_two: main and thread 1"),
        "{text}"
    );
    assert!(text.contains("the schedule that breaks it:"), "{text}");
    let header = text
        .lines()
        .find(|l| l.contains("main") && l.contains("thread 1") && l.trim_end().ends_with("line"))
        .unwrap_or_else(|| panic!("{text}"));
    let column = header.find("thread 1").unwrap();
    let row = text
        .lines()
        .find(|l| l.contains("load A → 0") && l.find("load A → 0") == Some(column))
        .unwrap_or_else(|| panic!("thread 1's load in its column: {text}"));
    assert!(
        row.contains("let seen = self.0.load(Ordering::SeqCst);"),
        "{row}"
    );
}

#[test]
fn verbose_output_is_the_tests_own_without_loom_teardown_or_progress_lines() {
    // notify_all's bug shows in a late pass (preemption bound 2), after passes that ended
    // many schedules' threads early.
    let wb = Workbook::real();
    let out = wb.racelings(&["run", "notify_all", "--verbose"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(
        text.contains("running 1 test"),
        "the test's own output: {text}"
    );
    // loom ends each schedule's threads by unwinding them; those are no panics to show.
    assert!(!text.contains("Box<dyn Any>"), "{text}");
    assert!(!text.contains("loom_progress"), "{text}");
}

#[test]
fn one_consumer_waiting_in_a_while_loop_passes_the_spurious_pass() {
    let wb = Workbook::fixture("teach");
    wb.apply_solution("01_teach/05_one_consumer");
    let out = wb.racelings(&["run", "teach_one_consumer", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(verdicts(&out)["fixed"], true);
}

#[test]
fn every_shipped_verdict_names_its_own_lines_and_no_loom_internals() {
    let wb = Workbook::real();
    let out = wb.racelings(&["verify", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let all = verdicts(&out);
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(wb.path().join("info.toml")).unwrap()).unwrap();
    let dirs: std::collections::HashMap<&str, &str> = info["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["dir"].as_str().unwrap()))
        .collect();
    let mut explained = 0;
    for v in all.as_array().unwrap() {
        let name = v["exercise"].as_str().unwrap();
        let text = verdict_text(v);
        for internal in INTERNALS {
            assert!(!text.contains(internal), "{name}: {internal} in {v:#}");
        }
        assert_eq!(v["fixed"], false, "{name} ships with its bug: {v:#}");
        let own = format!("exercises/{}/src/lib.rs", dirs[name]);
        let failed: Vec<&Value> = v["stages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] != "pass" && s["status"] != "skipped")
            .collect();
        assert!(
            failed
                .iter()
                .flat_map(|s| s["locations"].as_array().unwrap())
                .any(|l| l["file"] == own.as_str() && l["line"].as_u64().unwrap() > 0),
            "{name}: no line of {own} named: {v:#}"
        );
        for s in &failed {
            for step in s["timeline"].as_array().into_iter().flatten() {
                if step["file"] == own.as_str() {
                    assert!(step["snippet"].is_string(), "{name}: {step:#}");
                }
            }
            if s["check"] == "loom" && !s["timeline"].is_null() {
                explained += 1;
            }
        }
    }
    assert!(
        explained >= 15,
        "loom failures come with a timeline: {explained}"
    );

    // The spine as a learner sees it.
    for (name, expect) in [
        ("lost_update", "lost update: "),
        (
            "lock_ordering",
            "holds lock A (line 47) and waits for lock B (line 48)",
        ),
        ("condvar_while", "spurious wakeup: "),
    ] {
        let out = wb.racelings(&["run", name]);
        let text = stdout(&out);
        assert!(text.contains(expect), "{name}: {text}");
        assert!(
            text.contains("the schedule that breaks it:"),
            "{name}: {text}"
        );
        for internal in INTERNALS {
            assert!(!text.contains(internal), "{name}: {internal} in {text}");
        }
    }
}
