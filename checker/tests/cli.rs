//! The `racelings` binary driven end to end over the fixture workbook `kinds`: one exercise
//! per way learner code can fail, each of which must come out as a verdict, never a crash.

mod common;

use common::{Workbook, stderr, stdout, verdicts};
use serde_json::Value;

fn stage<'a>(v: &'a Value, check: &str) -> &'a Value {
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["check"] == check)
        .unwrap_or_else(|| panic!("no {check} stage in {v:#}"))
}

fn verdict_of<'a>(all: &'a Value, name: &str) -> &'a Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|v| v["exercise"] == name)
        .unwrap_or_else(|| panic!("no verdict for {name}"))
}

#[test]
fn every_failure_is_a_verdict_of_its_kind() {
    let wb = Workbook::fixture("kinds");
    let out = wb.racelings(&["verify", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "nothing is fixed: {}",
        stderr(&out)
    );
    let all = verdicts(&out);
    for v in all.as_array().unwrap() {
        assert_eq!(v["fixed"], false, "{v:#}");
    }

    // A lost update: the stress table counts outcomes, loom names it and the test's assertion.
    let counter = verdict_of(&all, "counter");
    let loom = stage(counter, "loom");
    assert_eq!(loom["status"], "fail");
    assert_eq!(loom["kind"], "lost_update");
    assert!(
        loom["message"]
            .as_str()
            .unwrap()
            .contains("both adds counted"),
        "{loom:#}"
    );
    assert_eq!(
        loom["locations"][0]["file"],
        "exercises/01_kinds/01_counter/src/lib.rs"
    );

    // A compile error: rustc's message and the learner's line; later checks skipped.
    let broken = verdict_of(&all, "broken_build");
    let build = stage(broken, "build");
    assert_eq!(build["status"], "compile_error");
    assert_eq!(build["kind"], "compile_error");
    assert!(
        build["message"].as_str().unwrap().starts_with("error"),
        "{build:#}"
    );
    assert_eq!(
        build["locations"][0]["file"],
        "exercises/01_kinds/02_broken_build/src/lib.rs"
    );
    assert_eq!(build["locations"][0]["line"], 3);
    assert_eq!(stage(broken, "stress")["status"], "skipped");

    // process::exit(0) in the learner's code is not a pass.
    let early = stage(verdict_of(&all, "exits_early"), "stress");
    assert_eq!(early["status"], "fail");
    assert_eq!(early["kind"], "no_result");

    // An abort is a crash with its signal's name.
    let aborts = stage(verdict_of(&all, "aborts"), "stress");
    assert_eq!(aborts["kind"], "crash");
    assert!(
        aborts["message"].as_str().unwrap().contains("SIGABRT"),
        "{aborts:#}"
    );

    // An endless loop is stopped at the exercise's time limit.
    let spins = stage(verdict_of(&all, "spins_forever"), "stress");
    assert_eq!(spins["status"], "timeout");
    assert_eq!(spins["kind"], "timeout");

    // A deadlock: loom names the blocked lines, the stress watchdog reports instead of hanging.
    let deadlock = verdict_of(&all, "deadlock");
    let loom = stage(deadlock, "loom");
    assert_eq!(loom["kind"], "deadlock", "{loom:#}");
    let lines: Vec<u64> = loom["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["file"] == "exercises/01_kinds/07_deadlock/src/lib.rs")
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert!(
        lines.contains(&7) || lines.contains(&8),
        "blocked at the lock lines: {loom:#}"
    );
    assert!(
        !loom["message"].as_str().unwrap().contains("Id("),
        "{loom:#}"
    );
    let stress = stage(deadlock, "stress");
    assert_eq!(stress["kind"], "deadlock", "{stress:#}");
    assert!(
        stress["message"]
            .as_str()
            .unwrap()
            .contains("suspected deadlock")
    );

    // A panic in the learner's code names its line.
    let panics = stage(verdict_of(&all, "panics"), "stress");
    assert_eq!(panics["kind"], "panic");
    assert!(panics["message"].as_str().unwrap().contains("overdrawn"));
    assert_eq!(
        panics["locations"][0]["file"],
        "exercises/01_kinds/08_panics/src/lib.rs"
    );
    assert_eq!(panics["locations"][0]["line"], 3);
}

#[test]
fn a_fixed_exercise_passes_and_is_recorded_done() {
    let wb = Workbook::fixture("kinds");
    let out = wb.racelings(&["run", "counter"]);
    assert_eq!(out.status.code(), Some(1), "shipped counter is not fixed");
    assert!(
        stdout(&out).contains("counter is not fixed yet"),
        "{}",
        stdout(&out)
    );

    wb.apply_solution("01_kinds/01_counter");
    let out = wb.racelings(&["run", "counter", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let v = verdicts(&out);
    assert_eq!(v["fixed"], true);
    for s in v["stages"].as_array().unwrap() {
        assert_eq!(s["status"], "pass", "{s:#}");
    }
    let list = stdout(&wb.racelings(&["list"]));
    let row = list.lines().find(|l| l.contains("counter")).unwrap();
    assert!(row.contains("done"), "{list}");
    let row = list.lines().find(|l| l.contains("broken_build")).unwrap();
    assert!(row.contains("pending"), "{list}");
}

#[test]
fn an_unknown_name_suggests_the_closest() {
    let wb = Workbook::fixture("kinds");
    let out = wb.racelings(&["run", "countr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `counter`"),
        "{}",
        stderr(&out)
    );
    let out = wb.racelings(&["hint", "countr"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_malformed_info_toml_names_file_line_and_column() {
    let wb = Workbook::fixture("kinds");
    let info = wb.path().join("info.toml");
    let text = std::fs::read_to_string(&info).unwrap();
    std::fs::write(
        &info,
        text.replacen("hint = \"The counter", "hnit = \"The counter", 1),
    )
    .unwrap();
    let out = wb.racelings(&["list"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("info.toml:11:1: unknown field `hnit`"),
        "{err}"
    );
}

#[test]
fn a_missing_exercise_dir_and_a_corrupt_state_file_are_survived() {
    let wb = Workbook::fixture("kinds");
    std::fs::write(wb.path().join(".racelings-state.toml"), "done = [\u{0}").unwrap();
    let out = wb.racelings(&["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("could not be read"),
        "{}",
        stderr(&out)
    );

    std::fs::remove_dir_all(wb.path().join("exercises/01_kinds/08_panics")).unwrap();
    let out = wb.racelings(&["run", "panics"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("racelings reset panics"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hint_and_list_show_the_workbook() {
    let wb = Workbook::fixture("kinds");
    let out = wb.racelings(&["hint", "deadlock"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Two locks, two orders."));
    let out = wb.racelings(&["list", "--json"]);
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 7);
    assert_eq!(rows[0]["name"], "counter");
    assert_eq!(rows[0]["status"], "pending");
}

#[test]
fn reset_puts_the_shipped_source_back() {
    let wb = Workbook::fixture("kinds");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(wb.path())
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "shipped"]);
    let lib = wb.path().join("exercises/01_kinds/08_panics/src/lib.rs");
    let shipped = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, "// my attempt\n").unwrap();

    // Without a terminal to ask in, it refuses rather than overwrite.
    let out = wb.racelings(&["reset", "panics"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), "// my attempt\n");

    let out = wb.racelings(&["reset", "panics", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), shipped);
}

#[test]
fn no_cargo_on_path_is_a_clear_error() {
    let wb = Workbook::fixture("kinds");
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_racelings"))
        .current_dir(wb.path())
        .args(["run", "counter"])
        .env("PATH", empty.path())
        .env_remove("CARGO")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cargo on your PATH"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_stopped_racelings_leaves_no_process_behind() {
    let wb = Workbook::fixture("kinds");
    // Warm the build first, so the test process is running when the signal comes.
    let _ = wb.racelings(&["run", "spins_forever"]);
    // Every process racelings starts inherits this mark; /proc shows who still carries it.
    let mark = format!("RACELINGS_TEST_MARK={}", wb.path().display());
    let marked = || -> Vec<String> {
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .chars()
                    .all(|c| c.is_ascii_digit())
            })
            .filter(|e| {
                std::fs::read(e.path().join("environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == mark.as_bytes()))
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_racelings"))
        .current_dir(wb.path())
        .args(["run", "spins_forever"])
        .env("CARGO_TARGET_DIR", common::shared_target())
        .env("RACELINGS_TEST_MARK", wb.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let me = child.id().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    // Wait until racelings has a child of its own running (the build, then the test).
    while marked().iter().all(|p| *p == me) {
        assert!(
            std::time::Instant::now() < deadline,
            "racelings never started a process"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + 15), "{status:?}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        marked(),
        Vec::<String>::new(),
        "processes outlived racelings"
    );
}
