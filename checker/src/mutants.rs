//! Concurrency mutants: a correct source weakened at one site by one operator (an ordering
//! one step weaker, a notify removed, a `while` around a wait made `if`, …), so that a test
//! suite which lets a mutant pass shows a gap in what it checks.
//!
//! Sources are parsed with syn; each mutant is a small set of text edits at the spans syn
//! reports, so everything but the mutated site stays as the author wrote it. A mutant that no
//! longer compiles is *unviable*, not caught. Which mutants are truly equivalent (no test
//! could tell them from the original) is the authors' call, written down with its reason in
//! `solutions/<dir>/equivalent_mutants.toml` (see `equivalent`).

mod equivalent;
mod operators;
mod outcome;

pub use equivalent::EQUIVALENT_FILE;
pub use outcome::{MutationRun, Outcome, Tested, mutated_files, test_exercises};

use anyhow::{Result, anyhow};
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// What kind of weakening a mutant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operator {
    WeakenOrdering,
    RemoveFence,
    WhileToIf,
    WaitWhileToWait,
    NotifyAllToOne,
    RemoveNotify,
    NotifyBeforeChange,
    SplitReadModifyWrite,
    OneCompareExchange,
    RemoveJoin,
    SwapLocks,
    ReleaseGuardEarly,
    WaitGivesUp,
}

impl Operator {
    pub fn name(self) -> &'static str {
        match self {
            Operator::WeakenOrdering => "weaken-ordering",
            Operator::RemoveFence => "remove-fence",
            Operator::WhileToIf => "while-to-if",
            Operator::WaitWhileToWait => "wait-while-to-wait",
            Operator::NotifyAllToOne => "notify-all-to-one",
            Operator::RemoveNotify => "remove-notify",
            Operator::NotifyBeforeChange => "notify-before-change",
            Operator::SplitReadModifyWrite => "split-read-modify-write",
            Operator::OneCompareExchange => "one-compare-exchange",
            Operator::RemoveJoin => "remove-join",
            Operator::SwapLocks => "swap-locks",
            Operator::ReleaseGuardEarly => "release-guard-early",
            Operator::WaitGivesUp => "wait-gives-up",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One replacement of source bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// One mutant of one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    pub operator: Operator,
    /// Where the change is, 1-based (column in characters).
    pub line: usize,
    pub column: usize,
    /// The function it is in, as `Type::method` or `function` (`(top level)` outside one).
    pub function: String,
    /// The change in a few words, e.g. "`Ordering::Acquire` → `Ordering::Relaxed` in `load`".
    pub change: String,
    pub edits: Vec<Edit>,
}

impl Mutant {
    /// The mutated source.
    pub fn apply(&self, source: &str) -> String {
        let mut edits = self.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut out = source.to_string();
        for e in edits {
            out.replace_range(e.range, &e.text);
        }
        out
    }

    /// The key an equivalent_mutants.toml entry names a mutant by: stable while lines move.
    pub fn key(&self) -> (String, String) {
        (self.function.clone(), self.change.clone())
    }
}

/// Every mutant of `source` (a complete `lib.rs`), in source order. Two mutants with the same
/// function and change (the same edit at two sites) are told apart by a `(#2)` suffix.
pub fn mutants_of(source: &str) -> Result<Vec<Mutant>> {
    let file = syn::parse_file(source).map_err(|e| {
        let at = e.span().start();
        anyhow!("{}:{}: {e}", at.line, at.column + 1)
    })?;
    let mut found = operators::find(source, &file);
    found.sort_by_key(|m| (m.line, m.column, m.operator));
    found.dedup_by(|a, b| a.edits == b.edits);
    let mut seen: std::collections::HashMap<(String, String), usize> = Default::default();
    for m in &mut found {
        let n = seen.entry(m.key()).or_default();
        *n += 1;
        if *n > 1 {
            m.change = format!("{} (#{n})", m.change);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUEUE: &str = r#"
use racelings_sync::atomic::{AtomicUsize, Ordering};
use racelings_sync::{Condvar, Mutex};

pub struct Queue {
    items: Mutex<Vec<u32>>,
    ready: Condvar,
    taken: AtomicUsize,
}

impl Queue {
    pub fn push(&self, item: u32) {
        let mut items = self.items.lock().unwrap();
        items.push(item);
        self.ready.notify_all();
    }

    pub fn pop(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        while items.is_empty() {
            items = self.ready.wait(items).unwrap();
        }
        self.taken.fetch_add(1, Ordering::AcqRel);
        items.pop().unwrap()
    }
}
"#;

    fn changes(source: &str) -> Vec<String> {
        mutants_of(source)
            .unwrap()
            .into_iter()
            .map(|m| format!("{} {}: {}", m.operator, m.function, m.change))
            .collect()
    }

    #[test]
    fn every_operator_that_applies_makes_a_mutant() {
        let all = changes(QUEUE);
        for expected in [
            "notify-all-to-one Queue::push",
            "remove-notify Queue::push",
            "while-to-if Queue::pop",
            "weaken-ordering Queue::pop: `Ordering::AcqRel` → `Ordering::Acquire` in `fetch_add`",
            "weaken-ordering Queue::pop: `Ordering::AcqRel` → `Ordering::Release` in `fetch_add`",
            "split-read-modify-write Queue::pop",
            "release-guard-early Queue::pop",
            "wait-gives-up Queue::pop",
        ] {
            assert!(
                all.iter().any(|c| c.starts_with(expected)),
                "no `{expected}` among {all:#?}"
            );
        }
        // The notify comes after a change made under the same lock hold: moving it cannot be
        // seen by a waiter, so no such mutant is made.
        assert!(!all.iter().any(|c| c.starts_with("notify-before-change")));
    }

    #[test]
    fn a_mutant_changes_only_its_site_and_still_parses() {
        for m in mutants_of(QUEUE).unwrap() {
            let mutated = m.apply(QUEUE);
            assert_ne!(mutated, QUEUE, "{} changed nothing", m.change);
            syn::parse_file(&mutated)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}\n{mutated}", m.change));
        }
    }

    #[test]
    fn the_weakened_ordering_replaces_exactly_the_argument() {
        let m = mutants_of(QUEUE)
            .unwrap()
            .into_iter()
            .find(|m| m.change.contains("→ `Ordering::Release`"))
            .unwrap();
        let mutated = m.apply(QUEUE);
        assert!(mutated.contains("self.taken.fetch_add(1, Ordering::Release);"));
        assert_eq!(m.line, 23);
    }

    #[test]
    fn orderings_are_weakened_only_to_what_the_operation_allows() {
        let src = "fn f(a: &AtomicBool) {\n    a.store(true, Ordering::SeqCst);\n    \
                   let _ = a.load(Ordering::SeqCst);\n    fence(Ordering::Release);\n}\n";
        let all = changes(src);
        assert!(
            all.iter()
                .any(|c| c.contains("→ `Ordering::Release` in `store`"))
        );
        assert!(
            all.iter()
                .any(|c| c.contains("→ `Ordering::Acquire` in `load`"))
        );
        assert!(
            !all.iter()
                .any(|c| c.contains("`Ordering::Acquire` in `store`"))
        );
        assert!(
            !all.iter()
                .any(|c| c.contains("`Ordering::Release` in `load`"))
        );
        // A fence cannot be Relaxed: it is removed instead.
        assert!(!all.iter().any(|c| c.contains("in `fence`")));
        assert!(all.iter().any(|c| c.starts_with("remove-fence f")));
    }

    #[test]
    fn a_compare_exchange_loop_is_cut_to_one_attempt() {
        let src = "fn add(a: &AtomicUsize) {\n    let mut seen = a.load(Ordering::Relaxed);\n    \
                   loop {\n        match a.compare_exchange_weak(seen, seen + 1, Ordering::AcqRel, \
                   Ordering::Relaxed) {\n            Ok(_) => break,\n            Err(now) => seen \
                   = now,\n        }\n    }\n}\n";
        let m = mutants_of(src)
            .unwrap()
            .into_iter()
            .find(|m| m.operator == Operator::OneCompareExchange)
            .unwrap();
        assert!(m.apply(src).contains("for _ in 0..1 {"));
    }

    #[test]
    fn swapped_locks_and_removed_joins() {
        let src = "fn transfer(a: &Mutex<u32>, b: &Mutex<u32>, h: JoinHandle<()>) {\n    \
                   let mut from = a.lock().unwrap();\n    let mut to = b.lock().unwrap();\n    \
                   *from -= 1;\n    *to += 1;\n    h.join().unwrap();\n}\n";
        let all = mutants_of(src).unwrap();
        let swap = all
            .iter()
            .find(|m| m.operator == Operator::SwapLocks)
            .unwrap();
        let swapped = swap.apply(src);
        assert!(
            swapped.find("let mut to").unwrap() < swapped.find("let mut from").unwrap(),
            "{swapped}"
        );
        let join = all
            .iter()
            .find(|m| m.operator == Operator::RemoveJoin)
            .unwrap();
        assert!(!join.apply(src).contains("join"));
    }

    #[test]
    fn a_notify_after_a_separate_critical_section_moves_before_it() {
        let src = "fn open(s: &Shared) {\n    {\n        let mut open = s.open.lock().unwrap();\n        \
                   *open = true;\n    }\n    s.changed.notify_one();\n}\n";
        let m = mutants_of(src)
            .unwrap()
            .into_iter()
            .find(|m| m.operator == Operator::NotifyBeforeChange)
            .unwrap();
        let moved = m.apply(src);
        assert!(
            moved.find("notify_one").unwrap() < moved.find("*open = true").unwrap(),
            "{moved}"
        );
    }

    #[test]
    fn a_file_that_does_not_parse_says_where() {
        let err = mutants_of("fn f( {").unwrap_err().to_string();
        assert!(err.starts_with("1:"), "{err}");
    }
}
