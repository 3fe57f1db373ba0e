//! A failing schedule as text: one column per thread, one row per step, and on each row the
//! learner's line it ran.

use crate::verdict::Step;
use colored::Colorize;
use std::fmt::Write as _;

/// Rows shown before a long timeline is cut: the first few (the threads starting) and the
/// last ones (where it broke).
const HEAD_ROWS: usize = 4;
const TAIL_ROWS: usize = 32;
/// The widest a thread's column gets; longer steps are cut with `…`.
const COLUMN_MAX: usize = 28;
const SNIPPET_MAX: usize = 56;

/// What a step did, in a few words: `load A → 0`, `lock B`, `blocked: lock A`.
pub fn describe(s: &Step) -> String {
    let obj = &s.object;
    let value = s.value.as_deref().unwrap_or("");
    let text = match s.op.as_str() {
        "spawn" => format!("spawn {obj}"),
        "join" => format!("join {obj}"),
        "load" => format!("load {obj} → {value}"),
        "store" => format!("store {obj} ← {value}"),
        "cas" => match value.strip_prefix("failed: found ") {
            Some(rest) => format!(
                "cas {obj} failed, is {}",
                rest.split(',').next().unwrap_or("")
            ),
            None => format!("cas {obj} {value}"),
        },
        "rmw" => format!("{} {obj} {value}", s.method.as_deref().unwrap_or("rmw")),
        "read" | "write" if s.method.as_deref() == Some("pointee") => format!("read *{obj}"),
        "read" | "write" if s.method.as_deref() == Some("publish") => format!("write *{obj}"),
        "read" | "write" => format!("{} cell {obj}", s.op),
        "wait" => format!("wait {obj}"),
        "wake" if value == "spurious" => format!("wake {obj} (no notify!)"),
        "wake" => format!("wake {obj}"),
        "notify" => format!("notify_{value} {obj}"),
        "try_lock" | "try_read_lock" | "try_write_lock" => format!("{} {obj}: {value}", s.op),
        "fence" => format!("fence {value}"),
        "yield" => s.method.clone().unwrap_or_else(|| "yield".to_string()),
        op => match &s.method {
            Some(m) => format!("{m} {obj}"),
            None => format!("{op} {obj}"),
        },
    };
    let text = if s.blocked {
        format!("stuck: {text}")
    } else {
        text
    };
    if s.repeat > 1 {
        format!("{text} ×{}", s.repeat)
    } else {
        text
    }
}

/// Where a step ran: `24` in the exercise's src/lib.rs, `tests/loom.rs:13` elsewhere.
fn place(s: &Step) -> String {
    match (&s.file, s.line) {
        (Some(file), Some(line)) if file.ends_with("/src/lib.rs") => line.to_string(),
        (Some(file), Some(line)) => {
            let short = ["/tests/", "/src/"]
                .iter()
                .find_map(|dir| {
                    file.rsplit_once(dir)
                        .map(|(_, f)| format!("{}{f}", &dir[1..]))
                })
                .unwrap_or_else(|| file.clone());
            format!("{short}:{line}")
        }
        _ => String::new(),
    }
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// Draws `steps` under a heading, indented by `indent` spaces.
pub fn draw(out: &mut String, steps: &[Step], indent: usize) {
    let pad = " ".repeat(indent);
    let mut threads: Vec<(usize, String)> = Vec::new();
    for s in steps {
        if !threads.iter().any(|(t, _)| *t == s.thread) {
            threads.push((s.thread, s.thread_name.clone()));
        }
    }
    threads.sort();
    let column = |t: usize| threads.iter().position(|(u, _)| *u == t).unwrap_or(0);
    let texts: Vec<String> = steps
        .iter()
        .map(|s| cut(&describe(s), COLUMN_MAX))
        .collect();
    let widths: Vec<usize> = threads
        .iter()
        .map(|(t, name)| {
            steps
                .iter()
                .zip(&texts)
                .filter(|(s, _)| s.thread == *t)
                .map(|(_, x)| x.chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let places: Vec<String> = steps.iter().map(place).collect();
    let place_width = places
        .iter()
        .map(|p| p.chars().count())
        .chain(["line".len()])
        .max()
        .unwrap_or(0);
    let number_width = steps.len().to_string().len();

    let mut header = format!("{pad}{:>number_width$}  ", "");
    for ((_, name), w) in threads.iter().zip(&widths) {
        let _ = write!(header, "{name:<w$}  ");
    }
    let _ = write!(header, "{:>place_width$}", "line");
    let _ = writeln!(out, "{}", header.trim_end().dimmed());

    let shown: Vec<usize> = if steps.len() > HEAD_ROWS + TAIL_ROWS + 1 {
        (0..HEAD_ROWS)
            .chain(steps.len() - TAIL_ROWS..steps.len())
            .collect()
    } else {
        (0..steps.len()).collect()
    };
    let mut previous = None;
    for i in shown {
        if previous.is_some_and(|p| p + 1 != i) {
            let _ = writeln!(
                out,
                "{pad}{}",
                format!(
                    "{:>number_width$}  … {} steps not shown",
                    "",
                    i - previous.unwrap_or(0) - 1
                )
                .dimmed()
            );
        }
        previous = Some(i);
        let s = &steps[i];
        let mut row = format!("{pad}{:>number_width$}  ", i + 1);
        let c = column(s.thread);
        for (k, w) in widths.iter().enumerate() {
            if k == c {
                let text = format!("{:<w$}", texts[i]);
                let text = if s.blocked {
                    text.red().bold().to_string()
                } else {
                    text
                };
                let _ = write!(row, "{text}  ");
            } else {
                let _ = write!(row, "{:<w$}  ", "");
            }
        }
        let snippet = s
            .snippet
            .as_deref()
            .map(|x| cut(x, SNIPPET_MAX))
            .unwrap_or_default();
        let _ = write!(
            row,
            "{}  {}",
            format!("{:>place_width$}", places[i]).cyan(),
            snippet.dimmed()
        );
        let _ = writeln!(out, "{}", row.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(thread: usize, op: &str, value: &str, line: usize) -> Step {
        Step {
            thread,
            thread_name: if thread == 0 {
                "main".into()
            } else {
                format!("thread {thread}")
            },
            op: op.into(),
            object: "A".into(),
            object_kind: "atomic".into(),
            method: None,
            value: Some(value.into()),
            file: Some("exercises/02_races/03_lost_update/src/lib.rs".into()),
            line: Some(line),
            snippet: Some(format!("code on line {line}")),
            blocked: false,
            repeat: 1,
        }
    }

    #[test]
    fn each_thread_has_its_column_and_each_row_its_line() {
        colored::control::set_override(false);
        let steps = [
            step(0, "load", "0", 24),
            step(1, "load", "0", 24),
            step(0, "store", "1", 25),
            step(1, "store", "1", 25),
        ];
        let mut out = String::new();
        draw(&mut out, &steps, 2);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "     main         thread 1     line");
        assert_eq!(
            lines[1],
            "  1  load A → 0                  24  code on line 24"
        );
        assert_eq!(
            lines[2],
            "  2               load A → 0     24  code on line 24"
        );
        assert_eq!(
            lines[4],
            "  4               store A ← 1    25  code on line 25"
        );
    }
}
