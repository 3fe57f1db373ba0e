//! The figures as Markdown: one block per figure, each with its command, date and machine,
//! its goal, and for every miss a line on why and what would close it. In BENCHMARKS.md the
//! blocks sit between marker comments, so a re-run replaces them and nothing else (the
//! grading and watcher sections are written by their own benchmarks).

use super::detection::{Detection, DetectionRow};
use super::save::SaveRow;
use super::stats::{Samples, secs, share};
use super::verify::VerifyFigure;
use crate::workbook::Check;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::Path;

/// When and how a block was measured.
pub struct Meta {
    pub date: String,
    pub command: String,
    pub machine: String,
    pub cores: usize,
}

impl Meta {
    fn provenance(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "Measured {} with `{}`; {}.\n",
            self.date, self.command, self.machine
        );
    }
}

pub const SAVE_GOAL: f64 = 1.10;
pub const FIND_GOAL: f64 = 0.5;
pub const MODEL_GOAL: f64 = 1.0;
pub const COLD_GOAL: f64 = 300.0;
pub const WARM_GOAL: f64 = 60.0;
pub const STRESS_GOAL: f64 = 0.99;

pub fn about() -> String {
    let mut out = String::from("## Speed and trust (`racelings dev bench`)\n\n");
    out.push_str(
        "How fast a save becomes a verdict, what loom costs, how long verifying the workbook \
         takes, and how reliably each shipped bug is caught and each solution passes. \
         `cargo racelings dev bench` takes about 20 minutes on 2 cores (`--detection-runs \
         200` about 45, `--quick` under ten); it prints these sections and replaces them \
         here, each with the command, date and machine that produced it. Every timing is a \
         median over several runs with the spread (min–max) beside it; comparisons are \
         ratios taken within each round, the ways measured in turn, since absolute times on \
         a shared machine drift. Everything runs in a copy of the workbook under \
         `target/racelings/bench/`.\n",
    );
    out
}

pub fn save(rows: &[SaveRow], meta: &Meta) -> String {
    let mut out = String::from("### Save → verdict, warm\n\n");
    out.push_str(
        "After an edit of the exercise's `src/lib.rs` (the shipped code, so the verdict is \
         \"not fixed\"): `racelings run NAME` against the cargo commands it stands for, run as \
         a shell script would (`cargo build --tests -p NAME`, `RUSTFLAGS=\"--cfg loom\" cargo \
         build --test loom --profile loom -p NAME` into `target/loom`, then the stress and \
         the loom test binary, one after the other), and against a rustlings-style loop \
         (`cargo build -p NAME`, then `cargo test -p NAME --tests`: no loom). racelings runs \
         one process per test, as many at once as there are cores. \
         Goal: racelings ÷ raw ≤ 1.10.\n\n",
    );
    meta.provenance(&mut out);
    out.push_str(
        "| exercise | racelings run | raw commands | rustlings-style | racelings ÷ raw | racelings ÷ rustlings-style |\n|---|---|---|---|---|---|\n",
    );
    let mut all_raw = Samples::new();
    let mut all_rustlings = Samples::new();
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.exercise,
            r.checker.secs(),
            r.raw.secs(),
            r.rustlings.secs(),
            r.over_raw.ratio(),
            r.over_rustlings.ratio()
        );
        all_raw.push(r.over_raw.median());
        all_rustlings.push(r.over_rustlings.median());
    }
    let _ = writeln!(
        out,
        "| **median of the exercises** | | | | **{}** | {} |\n",
        all_raw.ratio(),
        all_rustlings.ratio()
    );
    let misses: Vec<String> = rows
        .iter()
        .filter(|r| r.over_raw.median() > SAVE_GOAL)
        .map(save_miss)
        .collect();
    goal_lines(
        &mut out,
        &misses,
        "every exercise is within 1.10× of the raw commands",
    );
    out
}

fn save_miss(r: &SaveRow) -> String {
    let processes = if r.processes > r.binaries {
        format!(
            ", and starting {} test processes (one per test, so that an abort cannot hide \
             another test's result) where the script starts {} binaries",
            r.processes, r.binaries
        )
    } else {
        String::new()
    };
    let noise = if r.over_raw.min() <= 1.0 {
        format!(
            "partly this machine's noise (its rounds range from {:.2}× to {:.2}×: in some \
             racelings was as fast as the script), and ",
            r.over_raw.min(),
            r.over_raw.max()
        )
    } else {
        String::new()
    };
    format!(
        "{}: {:.2}×, racelings took {} s more than the raw commands on a {} s save (median \
         of the rounds). Why: {noise}racelings' own fixed cost, which a save this short does \
         not hide: starting (`cargo racelings` runs a debug build), reading info.toml and the \
         progress file, reading cargo's JSON messages and writing the progress{processes}. \
         What would close it: a release build of the checker, or the watcher, which pays the \
         start once and not per save (see the Watcher section); more rounds (`--runs`) to \
         tell the cost from the noise.",
        r.exercise,
        r.over_raw.median(),
        secs(r.extra.median()),
        secs(r.raw.median())
    )
}

pub fn loom(rows: &[DetectionRow], meta: &Meta) -> String {
    let mut out = String::from("### Loom: finding the bug, proving the fix\n\n");
    out.push_str(
        "Per exercise, from the detection runs below: the time of the loom test that fails \
         on the shipped code (its process, every pass from bound 0 up to the failing one; \
         goal ≤ 0.5 s), and of the solution's slowest loom test, which explores every pass up \
         to the exercise's bound (goal ≤ 1 s; \"all\" sums the solution's loom tests). \
         Schedules are the executions loom ran, counted by the facade over every pass, the \
         spurious-wakeup passes included.\n\n",
    );
    meta.provenance(&mut out);
    out.push_str(
        "| exercise | bound | shipped: loom fails in | found at bound | schedules to find | solution: slowest model | all models | schedules |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut misses = Vec::new();
    for r in rows {
        let l = &r.loom;
        let found = if l.find.is_empty() {
            "passes (not its check)".to_string()
        } else {
            l.find.secs()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.exercise,
            l.bound,
            found,
            opt(l.find_bound),
            opt(l.find_schedules),
            l.model.secs(),
            l.model_total.secs(),
            opt(l.model_schedules)
        );
        if !l.find.is_empty() && l.find.median() > FIND_GOAL {
            misses.push(format!(
                "{}: the bug takes {} s to find. Why: {} What would close it: a smaller model \
                 in tests/loom.rs (fewer threads or fewer steps per thread) that still shows \
                 the bug at bound {}.",
                r.exercise,
                secs(l.find.median()),
                schedules_why(l.find_schedules, l.find.median(), "before the failing one"),
                opt(l.find_bound)
            ));
        }
        if !l.model.is_empty() && l.model.median() > MODEL_GOAL {
            let lower = match l.find_bound {
                Some(b) if b < l.bound => format!(
                    "`preemption_bound = {b}` in info.toml (the shipped bug is found at \
                     bound {b}, so it stays caught), or "
                ),
                _ => String::new(),
            };
            misses.push(format!(
                "{}: the solution's model takes {} s. Why: {} What would close it: {lower}a \
                 smaller model (fewer threads or operations per thread).",
                r.exercise,
                secs(l.model.median()),
                schedules_why(l.model_schedules, l.model.median(), "up to the bound")
            ));
        }
    }
    out.push('\n');
    goal_lines(
        &mut out,
        &misses,
        "every bug is found within 0.5 s and every solution's model runs within 1 s",
    );
    out
}

fn schedules_why(schedules: Option<u64>, seconds: f64, which: &str) -> String {
    match schedules {
        Some(n) if n > 0 => format!(
            "loom explores {n} schedules {which}, {:.2} ms each (the process's start and the \
             passes at lower bounds included).",
            1000.0 * seconds / n as f64
        ),
        _ => "the process ended before the facade could count its schedules (an abort after \
              a deadlock)."
            .to_string(),
    }
}

pub fn verify(figure: &VerifyFigure, meta: &Meta) -> String {
    let mut out = String::from("### `racelings verify --solutions`\n\n");
    out.push_str(
        "Every exercise with its solution in place (in an overlay), from an empty target dir \
         (cold: the facade, loom and every exercise compiled, std and loom profiles; crates \
         already downloaded) and again with nothing to compile (warm). Goals: cold ≤ 5 min, \
         warm ≤ 60 s.\n\n",
    );
    meta.provenance(&mut out);
    let _ = writeln!(
        out,
        "| | time | runs |\n|---|---|---|\n| cold | {} | {} |\n| warm | {} | {} |\n",
        figure.cold.secs(),
        figure.cold.len(),
        figure.warm.secs(),
        figure.warm.len()
    );
    let slowest = figure
        .slowest
        .iter()
        .map(|(e, c, t, s)| format!("{e} {c} `{t}` {} s", secs(*s)))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "{} test processes per run, {} at once; the slowest: {slowest}. {}\n",
        figure.processes,
        meta.cores,
        if figure.all_passed {
            "Every solution passed in every run."
        } else {
            "**Not every solution passed**: see the detection figures."
        }
    );
    let mut misses = Vec::new();
    if figure.cold.median() > COLD_GOAL {
        misses.push(format!(
            "cold: {} s. Why: compiling dominates: loom and its dependencies in the loom \
             profile, and each exercise twice (std tests, loom tests), on {} cores shared with \
             other work. What would close it: a warm target dir shipped with the workbook, or \
             fewer dependencies in the loom profile.",
            secs(figure.cold.median()),
            meta.cores
        ));
    }
    if figure.warm.median() > WARM_GOAL {
        misses.push(format!(
            "warm: {} s. Why: the test runs themselves ({} processes on {} cores; the slowest \
             are listed above). What would close it: fewer rounds in the slowest stress tests, \
             or smaller loom models.",
            secs(figure.warm.median()),
            figure.processes,
            meta.cores
        ));
    }
    goal_lines(
        &mut out,
        &misses,
        "cold and warm are both within their goals",
    );
    out
}

pub fn detection(detection: &Detection, meta: &Meta) -> String {
    let rows = &detection.rows;
    let runs = rows.first().map_or(0, |r| r.runs);
    let mut out = String::from("### Detection and flakes\n\n");
    let _ = writeln!(
        out,
        "Each shipped exercise and each solution checked {runs} times through the pipeline, \
         all exercises at once, {} test processes at a time (what `racelings dev check \
         --repeat {runs}` does for these two variants). \"stress\" and \"loom\": the runs in \
         which that check failed on the shipped code; the check info.toml names in \
         `caught_by` must catch it every time. Goals: stress ≥ 99% where it is the catching \
         check, loom 100%, solutions {runs}/{runs}, and no verdict that disagrees with \
         info.toml.\n",
        meta.cores
    );
    meta.provenance(&mut out);
    out.push_str(
        "| exercise | caught_by | stress catches | loom catches | solution passes |\n|---|---|---|---|---|\n",
    );
    let mut misses = Vec::new();
    let mut loom_only = Vec::new();
    for r in rows {
        let cell = |n: Option<usize>, check: Check| match n {
            None => "— (does not compile)".to_string(),
            Some(k) if check == r.caught_by => format!("**{}**", share(k, r.runs)),
            Some(k) => share(k, r.runs),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.exercise,
            r.caught_by,
            cell(r.stress_caught, Check::Stress),
            cell(r.loom_caught, Check::Loom),
            share(r.solutions_passed, r.runs)
        );
        let rate = |n: Option<usize>| n.map(|k| k as f64 / r.runs.max(1) as f64);
        match (r.caught_by, rate(r.stress_caught)) {
            (Check::Stress, Some(p)) if p < STRESS_GOAL => misses.push(format!(
                "{}: stress caught the bug in {}. Why: the race window opens in too few \
                 rounds on this machine. What would close it: more rounds, or a workload \
                 that holds the window open longer (more work between the read and the \
                 write).",
                r.exercise,
                share(r.stress_caught.unwrap_or(0), r.runs)
            )),
            (Check::Loom, Some(p)) if p < STRESS_GOAL => loom_only.push(format!(
                "{} ({})",
                r.exercise,
                share(r.stress_caught.unwrap_or(0), r.runs)
            )),
            _ => {}
        }
        if r.caught_by == Check::Loom && r.loom_caught != Some(r.runs) {
            misses.push(format!(
                "{}: loom caught the bug in {}. Why: loom is deterministic, so a miss is a \
                 test that timed out or ended without a result (see the disagreements). What \
                 would close it: the evidence `racelings dev check --repeat N --only {}` saves.",
                r.exercise,
                share(r.loom_caught.unwrap_or(0), r.runs),
                r.exercise
            ));
        }
        if r.solutions_passed != r.runs {
            misses.push(format!(
                "{}: the solution passed {}. Why: a flaky verdict (see the disagreements). \
                 What would close it: the evidence `racelings dev check --repeat N --only {}` \
                 saves names the check and its output.",
                r.exercise,
                share(r.solutions_passed, r.runs),
                r.exercise
            ));
        }
    }
    out.push('\n');
    if !loom_only.is_empty() {
        let _ = writeln!(
            out,
            "Stress did not catch these bugs every time on this machine, and loom, their \
             `caught_by` check, is the one that must: {}. Real threads on 2 cores rarely take the schedule \
             such a bug needs (a preemption at one exact instruction, every thread holding one \
             lock of a cycle at once), and x86's strong memory ordering never makes the reorderings \
             that missing acquire/release orderings allow.\n",
            loom_only.join(", ")
        );
    }
    let disagreements: Vec<String> = rows
        .iter()
        .flat_map(|r| {
            r.disagreements
                .iter()
                .map(move |d| format!("{}: {d}", r.exercise))
        })
        .collect();
    if disagreements.is_empty() {
        let _ = writeln!(
            out,
            "Verdicts that disagree with info.toml: none in {} checks.\n",
            2 * runs * rows.len()
        );
    } else {
        let _ = writeln!(out, "Verdicts that disagree with info.toml:\n");
        for d in &disagreements {
            let _ = writeln!(out, "- {d}");
        }
        out.push('\n');
    }
    goal_lines(
        &mut out,
        &misses,
        "every catching check caught its bug every time and every solution passed",
    );
    let _ = writeln!(
        out,
        "\nThe first round (every shipped exercise and solution once) took {} s, its builds \
         included; each later round {}.",
        secs(detection.first_round),
        detection.rounds.secs()
    );
    if runs < 200 {
        let _ = writeln!(
            out,
            "The issue's bar is 200 runs each; {runs} were run here. `--detection-runs 200` \
             runs the full bar."
        );
    }
    out
}

fn goal_lines(out: &mut String, misses: &[String], all_met: &str) {
    if misses.is_empty() {
        let _ = writeln!(out, "Goal met: {all_met}.");
    } else {
        let _ = writeln!(out, "Missed goals:\n");
        for m in misses {
            let _ = writeln!(out, "- {m}");
        }
    }
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}

/// The begin and end markers of block `id`.
fn markers(id: &str) -> (String, String) {
    (
        format!("<!-- racelings dev bench: {id} -->"),
        format!("<!-- /racelings dev bench: {id} -->"),
    )
}

/// Replaces each block in `text` (or appends it, in order, when it is not there yet).
pub fn merge(text: &str, blocks: &[(&str, String)]) -> String {
    let mut text = text.to_string();
    for (id, body) in blocks {
        let (begin, end) = markers(id);
        let block = format!("{begin}\n{}\n{end}", body.trim_end());
        match (text.find(&begin), text.find(&end)) {
            (Some(b), Some(e)) if b < e => text.replace_range(b..e + end.len(), &block),
            _ => {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&block);
                text.push('\n');
            }
        }
    }
    text
}

/// Writes the blocks into the Markdown file at `path`, keeping everything else in it.
pub fn write(path: &Path, blocks: &[(&str, String)]) -> Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "# Benchmarks\n".to_string(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    std::fs::write(path, merge(&old, blocks)).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn blocks_replace_themselves_and_leave_other_sections_alone() {
        let start = "# Benchmarks\n\n## Grading\n\ntheirs\n";
        let once = merge(start, &[("save", "### Save\nv1".into())]);
        assert!(once.starts_with(start), "{once}");
        assert!(once.contains("### Save\nv1\n<!-- /racelings dev bench: save -->"));
        let with_more = format!("{once}\n## Watcher\n\nalso theirs\n");
        let twice = merge(&with_more, &[("save", "### Save\nv2".into())]);
        assert!(!twice.contains("v1") && twice.contains("v2"), "{twice}");
        assert!(twice.contains("## Grading\n\ntheirs") && twice.ends_with("also theirs\n"));
        assert_eq!(twice.matches("racelings dev bench: save -->").count(), 2);
    }
}
