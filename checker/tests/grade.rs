//! `racelings grade` over generated submissions of two real exercises: a correct one, an
//! untouched one, and hostile ones (cheats, bombs, endless output, sleeping forever,
//! writes outside, symbolic links, missing files; modules from elsewhere by `#[path]`,
//! `unsafe`, seals forged from the process's own memory or its descriptors, answers to the
//! public tests), each of which must score what it deserves, say why, and leave nothing
//! running; the compiler reads nothing outside its crate; and shards merged must equal the
//! class graded whole.

mod grade_support;

use grade_support::{Class, EXERCISES, LOST_UPDATE, racelings, racelings_only, summary};
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
    // `#[used]` comes first, then `#[unsafe(link_section = …)]`: the first is named.
    assert!(
        before_main["message"]
            .as_str()
            .unwrap()
            .contains("uses `used`: code placed outside the exercise's functions"),
        "{before_main:#}"
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

/// The forger of issue 16: reads its own memory (and its parent's) through /proc, by every
/// name for it, prints a seal line for every 32-hex-digit string there, writes `returned …`
/// on every descriptor and path that could be the result channel (itself and through a
/// shell it starts), prints the harness's lines and exits 0.
const FORGER: &str = r#"{
        use std::io::{Read, Seek, SeekFrom, Write};
        let tests = ["every_view_is_counted", "two_handlers_count_two_views"];
        let mut found = Vec::new();
        let bases = [
            "/proc/self".to_string(),
            "/proc/thread-self".to_string(),
            format!("/proc/{}", std::process::id()),
            format!("/proc/{}", std::os::unix::process::parent_id()),
        ];
        for base in &bases {
            let maps = std::fs::read_to_string(format!("{base}/maps")).unwrap_or_default();
            let Ok(mut mem) = std::fs::File::open(format!("{base}/mem")) else { continue };
            for line in maps.lines() {
                let Some((range, _)) = line.split_once(' ') else { continue };
                let Some((a, b)) = range.split_once('-') else { continue };
                let (Ok(a), Ok(b)) = (u64::from_str_radix(a, 16), u64::from_str_radix(b, 16)) else { continue };
                let mut buf = vec![0u8; (b - a).min(1 << 24) as usize];
                if mem.seek(SeekFrom::Start(a)).is_ok() && mem.read_exact(&mut buf).is_ok() {
                    for w in buf.windows(32) {
                        if w.iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c)) {
                            found.push(String::from_utf8_lossy(w).into_owned());
                        }
                    }
                }
            }
        }
        for secret in &found {
            for test in tests {
                println!("\n@racelings-sealed {secret} {test}");
            }
        }
        let claim: String = tests.iter().map(|t| format!("returned {t}\n")).collect();
        for fd in 0..64 {
            for path in [format!("/dev/fd/{fd}"), format!("/proc/self/fd/{fd}"), format!("/proc/thread-self/fd/{fd}")] {
                if let Ok(mut f) = std::fs::OpenOptions::new().append(true).open(&path) {
                    let _ = f.write_all(claim.as_bytes());
                }
            }
        }
        let script = format!("for fd in 3 4 5 6 7 8 9; do printf '{}' >&$fd; done", claim.replace('\n', "\\n"));
        let _ = std::process::Command::new("sh").arg("-c").arg(script).status();
        for test in tests {
            print!("test {test} ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n");
        }
        std::process::exit(0);
    }"#;

#[test]
fn reaching_for_other_files_or_forging_the_seal_scores_nothing_and_says_why() {
    let class = Class::new();
    let out = class.dir.path().join("grades");
    let solved = class.solution(LOST_UPDATE);
    let buggy = class.shipped(LOST_UPDATE);
    let reference = class
        .root()
        .join("solutions")
        .join(LOST_UPDATE)
        .join("src/lib.rs");
    let other = class.submit("correct", &[LOST_UPDATE, EXERCISES[1]], &[]);
    let others_lib = other.join("exercises").join(LOST_UPDATE).join("src/lib.rs");
    // From the unit's src/ in the grading workspace (<workbook>/target/racelings/overlays/
    // grade/exercises/<unit>/02_races/03_lost_update/src) up to the workbook.
    let up = "../".repeat(9);
    let relative = format!("{up}solutions/{LOST_UPDATE}/src/lib.rs");
    let reexport = |attr: &str| format!("{attr}\nmod reference;\npub use reference::*;\n");
    let cheats: Vec<(&str, String, &str, &str)> = vec![
        (
            "path_absolute",
            reexport(&format!("#[path = {:?}]", reference)),
            "#[path]",
            "src/lib.rs:1:3",
        ),
        (
            "path_relative",
            reexport(&format!("#[path = {relative:?}]")),
            "#[path]",
            "src/lib.rs:1:3",
        ),
        (
            "path_in_cfg_attr",
            reexport(&format!("#[cfg_attr(all(), path = {relative:?})]")),
            "#[path]",
            "src/lib.rs:1:19",
        ),
        (
            "path_nested_cfg_attr",
            reexport(&format!(
                "#[cfg_attr(unix, cfg_attr(all(), path = {:?}))]",
                reference
            )),
            "#[path]",
            "src/lib.rs:1:34",
        ),
        (
            "path_to_another_submission",
            reexport(&format!("#[path = {:?}]", others_lib)),
            "#[path]",
            "src/lib.rs:1:3",
        ),
        (
            "path_inside_an_inline_module",
            format!(
                "mod reference {{\n    #![cfg_attr(all(), path = {:?})]\n}}\n{buggy}",
                reference
            ),
            "#[path]",
            "src/lib.rs:2:24",
        ),
        (
            "reads_another_submission_while_compiled",
            format!("{solved}\npub const COPIED: &str = include_str!({others_lib:?});\n"),
            "`include_str!`",
            "src/lib.rs:",
        ),
        (
            "uses_unsafe",
            format!("{solved}\npub fn peek(p: *const u8) -> u8 {{ unsafe {{ *p }} }}\n"),
            "`unsafe`",
            "src/lib.rs:",
        ),
        (
            "defines_a_macro",
            format!(
                "macro_rules! module {{ ($a:ident, $p:literal) => {{ #[$a = $p] mod reference; }} }}\nmodule!(path, {:?});\npub use reference::*;\n",
                reference
            ),
            "`macro_rules!`",
            "src/lib.rs:1:1",
        ),
    ];
    for (name, text, _, _) in &cheats {
        class.submit(name, &[EXERCISES[1]], &[(LOST_UPDATE, text.clone())]);
    }
    class.submit(
        "forges_the_seal",
        &[EXERCISES[1]],
        &[(LOST_UPDATE, inject(&buggy, FORGER))],
    );
    // The same forger in a submission whose code is otherwise right: it ends its own tests
    // before they are done, so it earns nothing either.
    class.submit(
        "forges_the_seal_over_a_fix",
        &[EXERCISES[1]],
        &[(LOST_UPDATE, inject(&solved, FORGER))],
    );

    let output = racelings(
        &class,
        &[
            "grade",
            "--out",
            out.to_str().unwrap(),
            "--test-timeout",
            "30",
        ],
        &class.all_submissions(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        grade_support::stderr(&output)
    );
    let s = summary(&out);
    assert_eq!(score(&s, "correct"), 2, "{s:#}");
    for (name, _, why, at) in &cheats {
        let e = exercise(&s, name, "lost_update");
        assert_eq!(e["status"], "refused", "{name}: {e:#}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains(why), "{name}: {message}");
        assert!(message.contains(at), "{name}: {message}");
        // The other exercise is graded as usual.
        assert_eq!(score(&s, name), 1, "{name}: {s:#}");
    }
    for forger in ["forges_the_seal", "forges_the_seal_over_a_fix"] {
        let e = exercise(&s, forger, "lost_update");
        assert_eq!(e["score"], 0, "{forger}: {e:#}");
        assert!(!e["fixed"].as_bool().unwrap(), "{forger}: {e:#}");
        assert_eq!(score(&s, forger), 1, "{forger}: {s:#}");
    }
    let over_fix = exercise(&s, "forges_the_seal_over_a_fix", "lost_update");
    assert!(
        over_fix["message"]
            .as_str()
            .unwrap()
            .contains("seal is missing"),
        "{over_fix:#}"
    );
}

#[test]
fn raw_pointers_where_unsafe_is_allowed_forge_nothing() {
    const SPINLOCK: &str = "03_atomics/09_spinlock";
    let class = Class::new();
    let out = class.dir.path().join("grades");
    let solved = class.solution(SPINLOCK);
    class.submit("correct", &[SPINLOCK], &[]);
    let forgers = [
        (
            "transmute",
            "pub fn claim() { let mut f: std::fs::File = unsafe { std::mem::transmute(4i32) }; \
             let _ = std::io::Write::write_all(&mut f, b\"returned every_view\\n\"); }",
            "`transmute`",
        ),
        (
            "pointer_cast",
            "pub fn claim(fd: &i32) { let f = unsafe { &*(fd as *const i32 as *const std::fs::File) }; \
             let _ = std::io::Write::write_all(&mut &*f, b\"returned x\\n\"); }",
            "raw pointer",
        ),
        (
            "stack_scan",
            "pub fn claim() -> usize { let here = 0u8; let p = std::ptr::addr_of!(here); \
             (0..4096).filter(|i| unsafe { *p.cast::<u8>().add(*i) } == b'r').count() }",
            "`cast`",
        ),
        (
            "from_raw_fd",
            "pub fn claim() { use std::os::fd::FromRawFd; \
             let _ = unsafe { std::fs::File::from_raw_fd(4) }; }",
            "`FromRawFd`",
        ),
    ];
    for (name, code, _) in &forgers {
        class.submit(name, &[], &[(SPINLOCK, format!("{solved}\n{code}\n"))]);
    }
    let output = racelings_only(
        &class,
        &["spinlock"],
        &[
            "grade",
            "--out",
            out.to_str().unwrap(),
            "--test-timeout",
            "60",
        ],
        &class.all_submissions(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        grade_support::stderr(&output)
    );
    let s = summary(&out);
    // The exercise's own unsafe is taken.
    assert_eq!(score(&s, "correct"), 1, "{s:#}");
    for (name, _, why) in &forgers {
        let e = exercise(&s, name, "spinlock");
        assert_eq!(e["status"], "refused", "{name}: {e:#}");
        assert!(
            e["message"].as_str().unwrap().contains(why),
            "{name}: {e:#}"
        );
        assert_eq!(score(&s, name), 0);
    }
}

#[test]
fn grader_only_tests_with_the_runs_parameters_catch_answers_to_the_public_tests() {
    let class = Class::new();
    let out = class.dir.path().join("grades");
    class.grader_only(
        LOST_UPDATE,
        "stress.rs",
        r#"#![cfg(not(loom))]

#[test]
fn views_of_a_day_of_unknown_size_are_all_counted() {
    let handlers = racelings_grading::pick("handlers", 2, 4) as usize;
    let views = racelings_grading::pick("views", 5_000, 15_000) as usize;
    stress(
        10,
        move |_round| {
            let counter = Arc::new(ViewCounter::new());
            let start = Arc::new(Barrier::new(handlers));
            let threads: Vec<_> = (0..handlers)
                .map(|_| {
                    let counter = Arc::clone(&counter);
                    let start = Arc::clone(&start);
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..views {
                            counter.record();
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            counter.total()
        },
        move |&total| total == handlers * views,
    );
}
"#,
    );
    class.submit("correct", &[LOST_UPDATE], &[]);
    // Counts right only where the public models look (under loom), and on real threads
    // answers the total the public stress test expects.
    let answers = class
        .shipped(LOST_UPDATE)
        .replace(
            "pub fn record(&self) {",
            "pub fn record(&self) {\n        if cfg!(loom) {\n            self.views.fetch_add(1, Ordering::SeqCst);\n            return;\n        }",
        )
        .replace(
            "pub fn total(&self) -> usize {",
            "pub fn total(&self) -> usize {\n        if !cfg!(loom) {\n            return 80_000;\n        }",
        );
    assert_ne!(answers, class.shipped(LOST_UPDATE));
    class.submit("answers_the_public_tests", &[], &[(LOST_UPDATE, answers)]);
    let output = racelings_only(
        &class,
        &["lost_update"],
        &[
            "grade",
            "--out",
            out.to_str().unwrap(),
            "--test-timeout",
            "30",
        ],
        &class.all_submissions(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        grade_support::stderr(&output)
    );
    let s = summary(&out);
    assert_eq!(s["seed"], 20261202, "{s:#}");
    assert_eq!(score(&s, "correct"), 1, "{s:#}");
    let answered = exercise(&s, "answers_the_public_tests", "lost_update");
    assert_eq!(answered["score"], 0, "{answered:#}");
    let output = answered["output"].as_str().unwrap();
    assert!(output.contains("stress: fail"), "{answered:#}");
    // The public stress test passed; the grader-only one caught it.
    assert!(
        output.contains("views_of_a_day_of_unknown_size_are_all_counted"),
        "{answered:#}"
    );
    assert!(!output.contains("every_view_is_counted"), "{answered:#}");
    assert!(output.contains("loom: pass"), "{answered:#}");
}

#[test]
fn the_compiler_reads_nothing_outside_its_crate() {
    // racelings as cargo's rustc wrapper, run by hand on a unit of a grading workspace.
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("grade");
    let unit = ws.join("exercises/aa11/02_races/03_lost_update");
    let other = ws.join("exercises/bb22/02_races/03_lost_update/src/lib.rs");
    let reference = dir
        .path()
        .join("solutions/02_races/03_lost_update/src/lib.rs");
    let out = dir.path().join("target/debug/deps");
    for f in [&other, &reference] {
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, "pub fn answer() -> u32 { 42 }\n").unwrap();
    }
    std::fs::create_dir_all(unit.join("src")).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(unit.join("src/helper.rs"), "pub fn answer() -> u32 { 7 }\n").unwrap();
    let compile = |source: &str| {
        std::fs::write(unit.join("src/lib.rs"), source).unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_racelings"))
            .arg(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "--crate-name",
                "lost_update",
            ])
            .arg(unit.join("src/lib.rs"))
            .arg("--out-dir")
            .arg(&out)
            .current_dir(&ws)
            .env("RACELINGS_RUSTC_SANDBOX", &ws)
            .env("CARGO_MANIFEST_DIR", &unit)
            .output()
            .unwrap();
        (o.status.success(), grade_support::stderr(&o))
    };
    // Its own module compiles.
    let (ok, err) = compile("mod helper;\npub use helper::answer;\n");
    assert!(ok, "{err}");
    let relative = "../../../../../../solutions/02_races/03_lost_update/src/lib.rs";
    for source in [
        format!("#[path = {reference:?}]\nmod r;\npub use r::answer;\n"),
        format!("#[path = {relative:?}]\nmod r;\npub use r::answer;\n"),
        format!("#[cfg_attr(all(), path = {other:?})]\nmod r;\npub use r::answer;\n"),
        format!("pub const COPIED: &str = include_str!({other:?});\n"),
        // Another process's /proc (here the grader's).
        format!(
            "pub const PEEK: &str = include_str!(\"/proc/{}/environ\");\n",
            std::process::id()
        ),
    ] {
        let (ok, err) = compile(&source);
        assert!(!ok, "{source} compiled");
        assert!(err.contains("Permission denied"), "{source}: {err}");
    }
}

#[test]
fn a_grader_only_file_that_extends_no_public_one_is_named() {
    let class = Class::new();
    class.grader_only(LOST_UPDATE, "hidden.rs", "#[test]\nfn t() {}\n");
    class.submit("correct", &[LOST_UPDATE], &[]);
    let out = class.dir.path().join("grades");
    let o = racelings_only(
        &class,
        &["lost_update"],
        &["grade", "--out", out.to_str().unwrap()],
        &class.all_submissions(),
    );
    assert_ne!(o.status.code(), Some(0));
    let err = grade_support::stderr(&o);
    assert!(err.contains("hidden.rs"), "{err}");
    assert!(err.contains("stress.rs, loom.rs"), "{err}");
}
