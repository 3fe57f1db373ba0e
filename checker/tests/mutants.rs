//! `racelings dev mutants` end to end on a fixture workbook: the mutants of a solution are
//! checked through the real pipeline, a mutant no test catches is reported until it is listed
//! as equivalent with its reason, and a listed mutant that is caught or no longer made is
//! reported too.

mod common;

use common::{Workbook, stderr, stdout};
use serde_json::Value;

const SOLUTION: &str = "solutions/01_kinds/01_counter";

fn run(wb: &Workbook, out: &std::path::Path) -> (Option<i32>, String, Vec<Value>) {
    let o = wb.racelings(&[
        "dev",
        "mutants",
        "--only",
        "counter",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = format!("{}\n{}", stdout(&o), stderr(&o));
    let outcomes = std::fs::read_to_string(out.join("outcomes.json"))
        .map(|s| serde_json::from_str(&s).unwrap())
        .unwrap_or_default();
    (o.status.code(), text, outcomes)
}

fn equivalent_entry(mutant: &Value, why: &str) -> String {
    format!(
        "[[equivalent]]\nfile = \"src/lib.rs\"\nfunction = {}\nchange = {}\nwhy = \"{why}\"\n\n",
        mutant["function"], mutant["change"]
    )
}

#[test]
fn missed_mutants_are_reported_until_listed_with_a_reason() {
    let wb = Workbook::fixture("kinds");
    let out = wb.path().join("mutants.out");

    // The counter's solution is `fetch_add(1, SeqCst)` and a `load(SeqCst)`: splitting the
    // read-modify-write is a lost update the tests catch; the weaker orderings on a
    // single counter change nothing any test can see.
    let (code, text, outcomes) = run(&wb, &out);
    assert_eq!(code, Some(1), "{text}");
    let by_operator = |op: &str| -> Vec<&Value> {
        outcomes
            .iter()
            .filter(|m| m["operator"] == op)
            .collect::<Vec<_>>()
    };
    let split = by_operator("split-read-modify-write");
    assert_eq!(split.len(), 1, "{outcomes:#?}");
    assert_eq!(split[0]["outcome"], "caught", "{outcomes:#?}");
    let failure = split[0]["failure"].as_str().unwrap();
    assert!(
        failure.starts_with("stress: ") || failure.starts_with("loom: "),
        "a caught mutant names the check that caught it: {outcomes:#?}"
    );
    let weakened = by_operator("weaken-ordering");
    assert_eq!(weakened.len(), 2, "{outcomes:#?}");
    assert!(
        weakened.iter().all(|m| m["outcome"] == "missed"),
        "{outcomes:#?}"
    );
    assert!(text.contains("mutant missed"), "{text}");
    assert!(
        text.contains("solutions/01_kinds/01_counter/src/lib.rs:9:"),
        "the missed mutant is named by file:line:col: {text}"
    );
    let missed = std::fs::read_to_string(out.join("missed.txt")).unwrap();
    assert_eq!(missed.lines().count(), 2, "{missed}");

    // Listed with a reason: the run is clean, and says which are equivalent.
    let why = "one counter alone: coherence orders every access to it, so a stronger \
               ordering adds nothing a test could observe";
    let list: String = weakened.iter().map(|m| equivalent_entry(m, why)).collect();
    let list_path = wb.path().join(SOLUTION).join("equivalent_mutants.toml");
    std::fs::write(&list_path, &list).unwrap();
    let (code, text, outcomes) = run(&wb, &out);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        outcomes
            .iter()
            .filter(|m| m["outcome"] == "missed")
            .all(|m| m["equivalent"].as_str() == Some(why)),
        "{outcomes:#?}"
    );
    let equivalent = std::fs::read_to_string(out.join("equivalent.txt")).unwrap();
    assert_eq!(equivalent.lines().count(), 2, "{equivalent}");
    assert_eq!(std::fs::read_to_string(out.join("missed.txt")).unwrap(), "");

    // Listed as a known gap instead, a missed mutant keeps the run clean but is counted apart.
    let as_gap = list.replacen("[[equivalent]]", "[[gap]]", 1);
    std::fs::write(&list_path, &as_gap).unwrap();
    let (code, text, _) = run(&wb, &out);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("1 known gaps in the tests"), "{text}");
    let gaps = std::fs::read_to_string(out.join("gaps.txt")).unwrap();
    assert_eq!(gaps.lines().count(), 1, "{gaps}");

    // A listed mutant that is caught, and one no longer made, are both reported.
    let stale = format!(
        "{list}{}",
        equivalent_entry(split[0], "it was thought to change nothing at all")
    ) + "[[equivalent]]\nfile = \"src/lib.rs\"\nfunction = \"Counter::add\"\n\
           change = \"`notify_all` → `notify_one`\"\nwhy = \"there is no condition variable here\"\n";
    std::fs::write(&list_path, stale).unwrap();
    let (code, text, _) = run(&wb, &out);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("as equivalent, but the mutant is now caught"),
        "{text}"
    );
    assert!(text.contains("no such mutant is made any more"), "{text}");
    assert!(
        text.contains("equivalent_mutants.toml:"),
        "entries are named by file:line:col: {text}"
    );
}

#[test]
fn a_malformed_list_is_named_with_its_place() {
    let wb = Workbook::fixture("kinds");
    let list_path = wb.path().join(SOLUTION).join("equivalent_mutants.toml");
    std::fs::write(
        &list_path,
        "[[equivalent]]\nfile = \"src/lib.rs\"\nfunction = \"Counter::get\"\nwhy = 3\n",
    )
    .unwrap();
    let o = wb.racelings(&["dev", "mutants", "--only", "counter", "--list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listed = stdout(&o);
    assert_eq!(listed.lines().count(), 3, "{listed}");
    let out = wb.path().join("mutants.out");
    let (code, text, _) = run(&wb, &out);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("equivalent_mutants.toml:4:"),
        "the bad value is named by line: {text}"
    );
}
