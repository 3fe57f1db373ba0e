//! The real workbook, end to end: it lists every exercise, each shipped bug is caught by the
//! check info.toml names, each solution and alternative fix passes and each non-fix fails
//! (`racelings dev check`), and the spine's exercises give clear verdicts both ways.

mod common;

use common::{Workbook, racelings_in, repo_root, stderr, stdout, verdicts};

#[test]
fn the_workbook_is_honest() {
    // CI repeats the variants (see the README's test section); a local run checks each once.
    let repeat = std::env::var("RACELINGS_DEV_CHECK_REPEAT").unwrap_or_else(|_| "1".into());
    let repeat_variants =
        std::env::var("RACELINGS_DEV_CHECK_REPEAT_VARIANTS").unwrap_or_else(|_| repeat.clone());
    let out = racelings_in(
        &repo_root(),
        &[
            "dev",
            "check",
            "--repeat",
            &repeat,
            "--repeat-variants",
            &repeat_variants,
        ],
    );
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "dev check found problems:\n{text}\n{}",
        stderr(&out)
    );
    assert!(text.contains("every verdict as expected"), "{text}");
    // The mutation tests ran, and every mutant was caught or listed.
    assert!(text.contains("mutants caught or listed"), "{text}");
    // Every row is a variant that behaved; the shipped bug of each exercise is among them.
    let shipped = text.lines().filter(|l| l.contains(" shipped ")).count();
    assert!(shipped >= 20, "twenty exercises or more: {text}");
}

#[test]
fn the_list_covers_the_curriculum() {
    let out = racelings_in(&repo_root(), &["list", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 20, "{} exercises", rows.len());
    for topic in [
        "lost-update",
        "condvar-while",
        "lock-ordering",
        "memory-ordering",
        "barrier",
    ] {
        assert!(
            rows.iter().any(|r| r["topic"] == topic),
            "no {topic} exercise"
        );
    }
}

#[test]
fn the_spine_fails_as_shipped_and_passes_with_its_solution() {
    let wb = Workbook::real();
    let spine = [
        ("lost_update", "02_races/03_lost_update"),
        ("lock_ordering", "04_deadlocks/11_lock_ordering"),
        ("condvar_while", "05_condvars/16_condvar_while"),
    ];
    for (name, _) in spine {
        let out = wb.racelings(&["run", name, "--json"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name} as shipped: {}",
            stderr(&out)
        );
        let v = verdicts(&out);
        let failed: Vec<_> = v["stages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] != "pass" && s["status"] != "skipped")
            .collect();
        assert!(!failed.is_empty(), "{v:#}");
        assert!(
            failed.iter().all(|s| s["status"] != "compile_error"),
            "the spine's bugs compile: {v:#}"
        );
        for s in failed {
            assert!(
                s["kind"].is_string(),
                "a failed check names its kind: {s:#}"
            );
            assert!(!s["message"].as_str().unwrap().is_empty(), "{s:#}");
        }
    }
    for (name, dir) in spine {
        wb.apply_solution(dir);
        let out = wb.racelings(&["run", name]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name} solved: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(stdout(&out).contains("is fixed"), "{}", stdout(&out));
    }
}
