//! `racelings dev bench`, in one short pass over one fixture exercise: it measures every
//! figure it was asked for, prints them, and replaces only its own sections of the report.
//! (Timings are never asserted: they go to BENCHMARKS.md.)

mod common;

use common::{Workbook, stderr, stdout};

#[test]
fn a_short_bench_writes_its_sections_and_keeps_the_others() {
    let wb = Workbook::fixture("kinds");
    let report = wb.path().join("BENCHMARKS.md");
    std::fs::write(&report, "# Benchmarks\n\n## Grading\n\nWritten by hand.\n").unwrap();
    let args = [
        "dev",
        "bench",
        "--only",
        "counter",
        "--runs",
        "1",
        "--detection-runs",
        "1",
        "--skip",
        "verify",
    ];
    let out = wb.racelings(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(
        text.starts_with("# Benchmarks\n\n## Grading\n\nWritten by hand.\n"),
        "{text}"
    );
    for section in ["about", "save", "loom", "detection"] {
        assert_eq!(
            text.matches(&format!("racelings dev bench: {section} -->"))
                .count(),
            2,
            "{section} is one block: {text}"
        );
    }
    assert!(!text.contains("racelings dev bench: verify -->"), "{text}");
    // The counter's bug is caught by loom, in its one run, and its solution passes.
    let row = text
        .lines()
        .find(|l| l.starts_with("| counter | loom |"))
        .unwrap_or_else(|| panic!("no detection row for counter: {text}"));
    assert!(
        row.contains("**1/1 (100%)**") && row.ends_with("| 1/1 (100%) |"),
        "{row}"
    );
    // The loom row names the bound the bug was found at and the schedules the facade counted.
    let loom = text
        .lines()
        .find(|l| l.starts_with("| counter | 2 |"))
        .unwrap_or_else(|| panic!("no loom row for counter: {text}"));
    let cells: Vec<&str> = loom.split('|').map(str::trim).collect();
    assert_eq!(cells[4], "0", "found at bound 0: {loom}");
    assert!(cells[5].parse::<u64>().is_ok_and(|n| n >= 1), "{loom}");
    assert!(cells[8].parse::<u64>().is_ok_and(|n| n >= 1), "{loom}");
    assert!(
        stdout(&out).contains("### Save → verdict, warm"),
        "{}",
        stdout(&out)
    );
    // The learner's own files are untouched: the bench ran in a copy.
    let lib = std::fs::read_to_string(wb.path().join("exercises/01_kinds/01_counter/src/lib.rs"))
        .unwrap();
    assert!(!lib.contains("racelings dev bench"), "{lib}");
    assert!(!wb.path().join(".racelings-state.toml").exists());
}

#[test]
fn dev_check_names_the_run_the_check_and_the_output_of_a_disagreement() {
    let wb = Workbook::fixture("kinds");
    // A "solution" that still has the bug: loom fails it in every run (and stress in most).
    std::fs::copy(
        wb.path().join("exercises/01_kinds/01_counter/src/lib.rs"),
        wb.path().join("solutions/01_kinds/01_counter/src/lib.rs"),
    )
    .unwrap();
    let out = wb.racelings(&["dev", "check", "--only", "counter", "--repeat", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("counter: solution: run 2: must pass, but "))
        .unwrap_or_else(|| panic!("no line for the second run: {text}"));
    let path = line
        .split("its output: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no output file named: {line}"));
    let evidence = std::fs::read_to_string(path.trim()).unwrap();
    assert!(
        evidence.contains("two_adds_make_two") && evidence.contains("both adds counted"),
        "{evidence}"
    );
}
