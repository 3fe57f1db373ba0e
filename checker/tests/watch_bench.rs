//! Save → verdict on screen in the watcher, against the raw cargo commands that check the
//! same exercise by hand, warm, on the first exercises of the spine. It measures time, so it
//! is not part of `cargo test`; run it with
//!
//! ```sh
//! cargo test -p racelings --test watch_bench -- --ignored --nocapture
//! ```
//!
//! and it prints the table for BENCHMARKS.md ("Watcher").

#[path = "watch/harness.rs"]
mod harness;

use harness::{Save, Screen, Workbook, check_number, repo_root, save};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const EXERCISES: &[&str] = &["lost_update", "lock_ordering", "condvar_while"];
/// Saves of each kind (the shipped bug, the solution) per exercise and per side.
const ROUNDS: usize = 5;

#[test]
#[ignore = "a benchmark: minutes long, prints timings for BENCHMARKS.md"]
fn save_to_verdict_against_raw_cargo() {
    let wb = Workbook::real();
    let target = repo_root().join("target").join("watch-bench");
    let info: toml::Table =
        toml::from_str(&std::fs::read_to_string(wb.path().join("info.toml")).unwrap()).unwrap();
    let mut rows = Vec::new();
    for &name in EXERCISES {
        let entry = info["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no exercise {name}"));
        let dir = entry["dir"].as_str().unwrap();
        let bound = entry.get("preemption_bound").and_then(|b| b.as_integer());
        let source = wb.source(dir);
        let shipped = std::fs::read_to_string(&source).unwrap();
        let codes = [
            ("shipped bug", shipped.clone()),
            ("solution", wb.solution_text(dir)),
        ];
        std::fs::write(
            wb.path().join(".racelings-state.toml"),
            format!("current = \"{name}\"\ndone = []\n"),
        )
        .unwrap();

        // Rounds, so that a change in the machine's load falls on all three alike. In each,
        // the watcher's first check warms the build; then each save is timed until its
        // verdict is on screen. Then by hand, two ways, with the watcher gone: the checker's
        // two cargo builds with its test binaries run directly (all tests of a binary in one
        // process), and `cargo test` for each flavor.
        let crate_dir = wb.path().join("exercises").join(dir);
        let mut watched = [Vec::new(), Vec::new()];
        let mut builds = [Vec::new(), Vec::new()];
        let mut tests = [Vec::new(), Vec::new()];
        for round in 0..ROUNDS {
            let screen = Screen::start_with_target(wb.path(), &[], &target);
            let s = screen.wait_for_check(1);
            assert!(s.contains(name), "{s}");
            for (i, (_, code)) in codes.iter().enumerate() {
                let text = format!("{code}\n// watcher round {round}\n");
                let started = Instant::now();
                save(&source, &text, Save::Rename);
                let checks = i as u64 + 1;
                screen.wait_until("the verdict", |t| {
                    check_number(t).is_some_and(|n| n > checks)
                });
                watched[i].push(started.elapsed());
            }
            screen.keys("q");
            screen.wait_exit();
            drop(screen);
            // Each timed build follows a build of the other code, as each save in the
            // watcher does: an edit that only adds a comment rebuilds faster (rustc's
            // incremental cache keeps the code it generated), which would flatter whichever
            // way ran second.
            for (i, (_, code)) in codes.iter().enumerate() {
                std::fs::write(&source, format!("{code}\n// builds round {round}\n")).unwrap();
                builds[i].push(raw_builds(wb.path(), &crate_dir, name, bound, &target));
            }
            for (i, (_, code)) in codes.iter().enumerate() {
                std::fs::write(&source, format!("{code}\n// tests round {round}\n")).unwrap();
                tests[i].push(raw_cargo_test(wb.path(), name, bound, &target));
            }
        }
        std::fs::write(&source, &shipped).unwrap();
        for (i, (code, _)) in codes.iter().enumerate() {
            rows.push((
                name,
                *code,
                median(&mut watched[i]),
                median(&mut builds[i]),
                median(&mut tests[i]),
            ));
        }
    }

    println!(
        "\n| exercise | code | watcher: save → verdict | cargo build ×2 + test binaries | \
         overhead | cargo test ×2 |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, code, watch, builds, tests) in rows {
        let overhead = (watch.as_secs_f64() / builds.as_secs_f64() - 1.0) * 100.0;
        println!(
            "| {name} | {code} | {:.2} s | {:.2} s | {overhead:+.0}% | {:.2} s |",
            watch.as_secs_f64(),
            builds.as_secs_f64(),
            tests.as_secs_f64()
        );
    }
    println!("\n(median of {ROUNDS} saves each)");
}

/// The checker's two cargo builds (std: every test target; loom: the loom test in the loom
/// profile with `--cfg loom`), then the stress and the loom test binary, each run once.
fn raw_builds(
    workspace: &Path,
    crate_dir: &Path,
    package: &str,
    bound: Option<i64>,
    target: &Path,
) -> Duration {
    let started = Instant::now();
    let mut binaries = Vec::new();
    for (flavor_target, args, rustflags, test) in [
        (
            target.to_path_buf(),
            vec!["build", "--tests", "-p", package],
            None,
            "stress",
        ),
        (
            target.join("loom"),
            vec![
                "build",
                "--profile",
                "loom",
                "--test",
                "loom",
                "-p",
                package,
            ],
            Some("--cfg loom"),
            "loom",
        ),
    ] {
        let mut cmd = cargo(workspace, &flavor_target, rustflags);
        let out = cmd
            .args(&args)
            .arg("--message-format=json")
            .output()
            .expect("cargo runs");
        binaries.push(executable(&out.stdout, test));
    }
    for binary in binaries {
        let mut cmd = Command::new(binary);
        cmd.current_dir(crate_dir)
            .env("LOOM_LOCATION", "1")
            .env("RUST_BACKTRACE", "0");
        if let Some(bound) = bound {
            cmd.env("RACELINGS_PREEMPTION_BOUND", bound.to_string());
        }
        // The shipped bugs fail their tests: only that they ran matters here.
        cmd.output().expect("the test binary runs");
    }
    started.elapsed()
}

/// The test binary named `test` in cargo's JSON messages.
fn executable(stdout: &[u8], test: &str) -> std::path::PathBuf {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["target"]["name"] == test && m["target"]["kind"][0] == "test")
        .find_map(|m| m["executable"].as_str().map(std::path::PathBuf::from))
        .unwrap_or_else(|| panic!("cargo built no `{test}` test binary"))
}

fn cargo(workspace: &Path, target: &Path, rustflags: Option<&str>) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env("LOOM_LOCATION", "1")
        .env("RUST_BACKTRACE", "0")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    match rustflags {
        Some(flags) => cmd.env("RUSTFLAGS", flags),
        None => cmd.env_remove("RUSTFLAGS"),
    };
    cmd
}

/// `cargo test` of every test target (std), then the loom tests in the loom profile with
/// `--cfg loom`: the same checks as one would type them.
fn raw_cargo_test(workspace: &Path, package: &str, bound: Option<i64>, target: &Path) -> Duration {
    let started = Instant::now();
    for (flavor_target, args, rustflags) in [
        (
            target.to_path_buf(),
            vec!["test", "-q", "--no-fail-fast", "--tests", "-p", package],
            None,
        ),
        (
            target.join("loom"),
            vec![
                "test",
                "-q",
                "--no-fail-fast",
                "--profile",
                "loom",
                "--test",
                "loom",
                "-p",
                package,
            ],
            Some("--cfg loom"),
        ),
    ] {
        let mut cmd = cargo(workspace, &flavor_target, rustflags);
        cmd.args(&args);
        if let Some(bound) = bound {
            cmd.env("RACELINGS_PREEMPTION_BOUND", bound.to_string());
        }
        // The shipped bugs fail their tests: only that cargo ran matters here.
        cmd.output().expect("cargo runs");
    }
    started.elapsed()
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
