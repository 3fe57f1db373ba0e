//! Verdicts as text for a terminal: what broke, where, and why, in the learner's lines.

mod timeline;

use crate::verdict::{Kind, OutcomeTable, StageOutcome, Status, Verdict};
use crate::workbook::Exercise;
use colored::Colorize;
use std::fmt::Write as _;

/// How many outcome rows a table shows before summing up the rest.
const TABLE_ROWS: usize = 8;

/// The verdict on one exercise, as the learner reads it.
pub fn verdict(exercise: &Exercise, v: &Verdict, verbose: bool) -> String {
    let mut out = String::new();
    let file = exercise.source_path();
    if v.fixed {
        let _ = writeln!(
            out,
            "{} {} is fixed: every check passes.",
            "✓".green().bold(),
            exercise.name.bold()
        );
    } else {
        let _ = writeln!(
            out,
            "{} {} is not fixed yet  ({})",
            "✗".red().bold(),
            exercise.name.bold(),
            file.underline()
        );
    }
    for stage in &v.stages {
        stage_line(&mut out, stage);
        if !stage.passed() {
            stage_details(&mut out, stage, verbose);
        }
    }
    out
}

fn stage_line(out: &mut String, s: &StageOutcome) {
    let status = match s.status {
        Status::Pass => "pass".green(),
        Status::Fail => "FAIL".red().bold(),
        Status::Timeout => "TIMEOUT".red().bold(),
        Status::CompileError => "ERROR".red().bold(),
        Status::Skipped => "skip".dimmed(),
    };
    let time = if s.status == Status::Skipped {
        String::new()
    } else {
        format!("{:>6.2}s", s.duration_ms as f64 / 1000.0)
    };
    let summary = match (s.status, s.kind) {
        (Status::Pass, _) | (Status::Skipped, _) => s.message.dimmed().to_string(),
        (_, Some(kind)) => format!("{}: {}", kind.as_str().bold(), first_line(&s.message)),
        (_, None) => first_line(&s.message).to_string(),
    };
    let _ = writeln!(
        out,
        "  {:<7}{:<8}{}  {}",
        s.check.as_str(),
        status,
        time.dimmed(),
        summary
    );
}

fn stage_details(out: &mut String, s: &StageOutcome, verbose: bool) {
    if let Some(rendered) = &s.compiler_output {
        out.push('\n');
        // rustc's colors, kept only where colors are wanted (a terminal, no NO_COLOR).
        if colored::control::SHOULD_COLORIZE.should_colorize() {
            out.push_str(rendered);
        } else {
            out.push_str(&crate::pipeline::strip_ansi(rendered));
        }
        if !rendered.ends_with('\n') {
            out.push('\n');
        }
        return;
    }
    for t in s.tests.iter().filter(|t| !t.passed) {
        let _ = writeln!(out, "    {} {}", "test".dimmed(), t.name.bold());
        for line in t.message.lines().take(12) {
            let _ = writeln!(out, "      {line}");
        }
        for l in t.locations.iter().take(4) {
            let _ = writeln!(out, "      {} {}", "at".dimmed(), l.to_string().cyan());
        }
        if let Some(bound) = t.loom_bound {
            let pass = if t.spurious_pass == Some(true) {
                ", in the pass where a condition variable wakes without a notification"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "      {}",
                format!("found by loom with {bound} preemption(s){pass}").dimmed()
            );
        }
        if !t.timeline.is_empty() {
            let _ = writeln!(out, "      {}", "the schedule that breaks it:".dimmed());
            timeline::draw(out, &t.timeline, 6);
        }
        if let Some(table) = &t.outcomes {
            outcome_table(out, table);
        }
        if verbose && !t.output.is_empty() {
            let _ = writeln!(out, "    {}", "output:".dimmed());
            for line in t.output.lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
        if t.kind == Some(Kind::Timeout) || t.kind == Some(Kind::Deadlock) {
            break;
        }
    }
}

/// A stress test's outcome table, jcstress style.
pub fn outcome_table(out: &mut String, table: &OutcomeTable) {
    let _ = writeln!(
        out,
        "      {}",
        format!(
            "outcomes over {} of {} rounds:",
            table.completed, table.rounds
        )
        .dimmed()
    );
    let mut rows = table.outcomes.clone();
    rows.sort_by_key(|r| std::cmp::Reverse(r.count));
    for row in rows.iter().take(TABLE_ROWS) {
        let verdict = if row.correct {
            "correct".green()
        } else if row.outcome == "hang" {
            "hang".red()
        } else {
            "forbidden".red()
        };
        let _ = writeln!(
            out,
            "      {:>14} ×{:<6} {}",
            row.outcome, row.count, verdict
        );
    }
    if rows.len() > TABLE_ROWS {
        let rest: u64 = rows[TABLE_ROWS..].iter().map(|r| r.count).sum();
        let _ = writeln!(
            out,
            "      {:>14} ×{:<6} {}",
            format!("{} others", rows.len() - TABLE_ROWS),
            rest,
            "…".dimmed()
        );
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}
