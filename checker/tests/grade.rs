//! `racelings grade` over generated submissions of two real exercises: a correct one, an
//! untouched one, and hostile ones (cheats, bombs, endless output, sleeping forever,
//! writes outside, symbolic links, missing files), each of which must score what it
//! deserves and leave nothing running; and shards merged must equal the class graded whole.

mod grade_support;

use grade_support::{Class, EXERCISES, LOST_UPDATE, racelings, summary};
use serde_json::Value;
use std::path::Path;

/// Puts `code` at the start of `ViewCounter::new`, which every lost_update test calls.
fn inject(lib: &str, code: &str) -> String {
    let at = "pub fn new() -> Self {";
    assert!(
        lib.contains(at),
        "lost_update's ViewCounter::new is where hostile code goes"
    );
    lib.replacen(
        at,
        &format!("{at}\n        {code}\n        #[allow(unreachable_code)]"),
        1,
    )
}

fn exercise<'a>(summary: &'a Value, submission: &str, exercise: &str) -> &'a Value {
    let s = summary["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == submission)
        .unwrap_or_else(|| panic!("no submission {submission} in {summary:#}"));
    s["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == exercise)
        .unwrap_or_else(|| panic!("no {exercise} for {submission}: {s:#}"))
}

fn score(summary: &Value, submission: &str) -> u64 {
    summary["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == submission)
        .unwrap_or_else(|| panic!("no submission {submission}"))["score"]
        .as_u64()
        .unwrap()
}

const FAKE_LINES: &str = r#"print!("ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n");"#;

#[test]
fn hostile_submissions_score_what_they_deserve_and_leave_nothing_running() {
    let class = Class::new();
    let out = class.dir.path().join("grades");
    std::fs::create_dir_all(&out).unwrap();
    let pristine_test = class
        .root()
        .join("exercises")
        .join(LOST_UPDATE)
        .join("tests/stress.rs");
    let pristine_before = std::fs::read(&pristine_test).unwrap();

    class.submit("correct", &[LOST_UPDATE, EXERCISES[1]], &[]);
    class.submit("untouched", &[], &[]);
    let buggy = class.shipped(LOST_UPDATE);
    let solved = class.solution(LOST_UPDATE);
    let with = |base: &str, code: &str| (LOST_UPDATE, inject(base, code));
    class.submit(
        "exits_zero",
        &[],
        &[with(
            &buggy,
            &format!("{FAKE_LINES} std::process::exit(0);"),
        )],
    );
    class.submit("prints_a_fake_pass", &[], &[with(&buggy, FAKE_LINES)]);
    let init_array = format!(
        "{buggy}\n#[used]\n#[unsafe(link_section = \".init_array\")]\nstatic CHEAT: extern \"C\" fn() = \
         {{ extern \"C\" fn cheat() {{ {FAKE_LINES} std::process::exit(0); }} cheat }};\n"
    );
    class.submit("runs_before_main", &[], &[(LOST_UPDATE, init_array)]);
    // Copies another student's work in while it compiles, outside the test sandbox.
    let peek = format!(
        "{solved}\npub const COPIED: &str = include_str!({:?});\n",
        class
            .root()
            .join("solutions")
            .join(LOST_UPDATE)
            .join("src/lib.rs")
    );
    class.submit("reads_files_while_compiled", &[], &[(LOST_UPDATE, peek)]);
    class.submit(
        "fork_and_thread_bomb",
        &[],
        &[with(
            &solved,
            "let _ = std::process::Command::new(\"setsid\").args([\"sleep\", \"777.25\"]).spawn(); \
             for _ in 0..100_000 { std::thread::spawn(|| loop { std::thread::park(); }); }",
        )],
    );
    class.submit(
        "allocation_bomb",
        &[],
        &[with(
            &solved,
            "let mut hoard = Vec::new(); loop { hoard.push(vec![1u8; 64 << 20]); }",
        )],
    );
    class.submit(
        "endless_output",
        &[],
        &[with(
            &solved,
            "loop { println!(\"racelings racelings racelings racelings\"); }",
        )],
    );
    class.submit(
        "sleeps_forever",
        &[],
        &[with(
            &solved,
            "std::thread::sleep(std::time::Duration::from_secs(1_000_000));",
        )],
    );
    let vandal = format!(
        "let _ = std::fs::write({:?}, \"fn main() {{}}\"); \
         let _ = std::fs::write(\"tests/stress.rs\", \"fn main() {{}}\"); \
         let _ = std::fs::write({:?}, \"{{}}\"); \
         let _ = std::fs::write({:?}, \"\");",
        pristine_test,
        out.join("summary.json"),
        out.join("hacked")
    );
    class.submit(
        "overwrites_tests_and_reports",
        &[EXERCISES[1]],
        &[with(&solved, &vandal)],
    );
    let linked = class.submit("symlinked", &[EXERCISES[1]], &[]);
    let lib = linked
        .join("exercises")
        .join(LOST_UPDATE)
        .join("src/lib.rs");
    std::fs::remove_file(&lib).unwrap();
    std::os::unix::fs::symlink(
        class
            .root()
            .join("solutions")
            .join(LOST_UPDATE)
            .join("src/lib.rs"),
        &lib,
    )
    .unwrap();
    let missing = class.submit("missing_a_file", &[EXERCISES[1]], &[]);
    std::fs::remove_file(
        missing
            .join("exercises")
            .join(LOST_UPDATE)
            .join("src/lib.rs"),
    )
    .unwrap();
    let empty = class.dir.path().join("subs/not_a_workbook");
    std::fs::create_dir_all(&empty).unwrap();

    let output = racelings(
        &class,
        &[
            "grade",
            "--out",
            out.to_str().unwrap(),
            "--test-timeout",
            "15",
        ],
        &class.all_submissions(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "grading ran: {}",
        grade_support::stderr(&output)
    );
    let s = summary(&out);

    assert_eq!(s["max_score"], 2);
    assert_eq!(score(&s, "correct"), 2, "{s:#}");
    assert_eq!(score(&s, "untouched"), 0);
    for cheat in ["exits_zero", "prints_a_fake_pass"] {
        assert_eq!(score(&s, cheat), 0, "{cheat} earned points: {s:#}");
        assert!(
            !exercise(&s, cheat, "lost_update")["fixed"]
                .as_bool()
                .unwrap()
        );
    }
    let before_main = exercise(&s, "runs_before_main", "lost_update");
    assert_eq!(before_main["status"], "refused", "{before_main:#}");
    assert!(
        before_main["message"]
            .as_str()
            .unwrap()
            .contains("link_section")
    );
    let peeker = exercise(&s, "reads_files_while_compiled", "lost_update");
    assert_eq!(peeker["status"], "refused", "{peeker:#}");
    assert!(
        peeker["message"]
            .as_str()
            .unwrap()
            .contains("`include_str!`"),
        "{peeker:#}"
    );
    for bomb in [
        "fork_and_thread_bomb",
        "allocation_bomb",
        "endless_output",
        "sleeps_forever",
    ] {
        assert_eq!(score(&s, bomb), 0, "{bomb}: {s:#}");
    }
    // The stress watchdog calls a round that never ends a suspected deadlock; loom's test
    // runs into the process's time limit.
    let sleeper = exercise(&s, "sleeps_forever", "lost_update");
    assert!(
        ["deadlock", "timeout"].contains(&sleeper["kind"].as_str().unwrap()),
        "{sleeper:#}"
    );
    // The vandal's code is otherwise right: its writes fail, its grade stands.
    assert_eq!(score(&s, "overwrites_tests_and_reports"), 2, "{s:#}");
    assert_eq!(std::fs::read(&pristine_test).unwrap(), pristine_before);
    let linked = exercise(&s, "symlinked", "lost_update");
    assert_eq!(linked["status"], "refused");
    assert!(
        linked["message"]
            .as_str()
            .unwrap()
            .contains("symbolic link")
    );
    assert_eq!(score(&s, "symlinked"), 1);
    assert_eq!(
        exercise(&s, "missing_a_file", "lost_update")["status"],
        "missing"
    );
    assert_eq!(score(&s, "missing_a_file"), 1);
    let broken = s["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "not_a_workbook")
        .unwrap();
    assert!(
        broken["error"].as_str().unwrap().contains("no exercises/"),
        "{broken:#}"
    );
    assert_eq!(broken["score"], 0);

    // Every report is there and agrees.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.starts_with("submission,score,max_score,"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("correct,2,2,")), "{csv}");
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(junit.contains("<testsuite name=\"correct\""), "{junit}");
    let gs: Value =
        serde_json::from_slice(&std::fs::read(out.join("correct/results.json")).unwrap()).unwrap();
    assert_eq!(gs["score"], 2);
    assert_eq!(gs["tests"].as_array().unwrap().len(), 2);
    assert!(
        gs["tests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["status"] == "passed")
    );
    assert!(!out.join("hacked").exists());

    // Nothing the submissions started outlived the grader.
    let ps = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .unwrap();
    let ps = String::from_utf8_lossy(&ps.stdout);
    assert!(
        !ps.lines().any(|l| l.contains("sleep 777.25")),
        "a process outlived grading"
    );
}

#[test]
fn shards_run_at_once_and_merged_equal_the_class_graded_whole() {
    let class = Class::new();
    class.submit("alice", &[LOST_UPDATE, EXERCISES[1]], &[]);
    class.submit("bob", &[], &[]);
    class.submit("carol", &[EXERCISES[1]], &[]);
    class.submit("dave", &[LOST_UPDATE], &[]);
    let subs = class.all_submissions();
    let base = class.dir.path();
    let run = |out: &str, extra: &[&str]| {
        let out = base.join(out);
        let mut args = vec!["grade", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = racelings(&class, &args, &subs);
        assert_eq!(o.status.code(), Some(0), "{}", grade_support::stderr(&o));
    };
    // The two shards at once on one machine, as one might start them, before anything is
    // built: they share the workbook's grading workspace, so the second waits for the first.
    // The order of the arguments does not change what a shard takes.
    let reversed: Vec<_> = subs.iter().rev().cloned().collect();
    let out2 = base.join("shard2");
    std::thread::scope(|scope| {
        scope.spawn(|| run("shard1", &["--shard", "1/2"]));
        let o = racelings(
            &class,
            &["grade", "--out", out2.to_str().unwrap(), "--shard", "2/2"],
            &reversed,
        );
        assert_eq!(o.status.code(), Some(0), "{}", grade_support::stderr(&o));
    });
    run("whole", &[]);
    let merged = base.join("merged");
    let o = grade_support::racelings_plain(
        &class,
        &[
            "grade",
            "merge",
            base.join("shard1").to_str().unwrap(),
            out2.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", grade_support::stderr(&o));

    let whole = grade_support::without_timings(summary(&base.join("whole")));
    let joined = grade_support::without_timings(summary(&merged));
    assert_eq!(whole, joined);
    assert_eq!(score(&whole, "alice"), 2);
    assert_eq!(score(&whole, "bob"), 0);
    assert_eq!(
        std::fs::read_to_string(base.join("whole/summary.csv")).unwrap(),
        std::fs::read_to_string(merged.join("summary.csv")).unwrap()
    );
    for name in ["alice", "bob", "carol", "dave"] {
        assert!(merged.join(name).join("results.json").is_file());
    }
    assert!(Path::new(&merged.join("junit.xml")).is_file());
}
