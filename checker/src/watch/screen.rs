//! The watcher's screen: the exercise on top (name, number, topic, a link to its file, a
//! progress bar), then what is happening now (a check's progress, its verdict, the hint or
//! the list), then a status line and the keys. Always fitted to the terminal: long output is
//! cut, with a note saying so.

use super::keys::{self, Mode};
use super::{App, Shown};
use crate::commands::verify;
use crate::render;
use crate::workbook::Exercise;
use colored::Colorize;
use crossterm::{cursor, queue, style, terminal};
use std::io::{self, Write};
use std::time::Duration;
use unicode_width::UnicodeWidthChar;

const BAR_WIDTH: usize = 30;
const SPINNER: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Draws the whole screen.
pub fn draw(app: &App, out: &mut impl Write) -> io::Result<()> {
    let (width, height) = terminal::size().unwrap_or((80, 24));
    let (width, height) = (usize::from(width).max(20), usize::from(height).max(8));
    let rows = layout(app, width, height);
    queue!(out, terminal::BeginSynchronizedUpdate)?;
    for (y, row) in rows.iter().enumerate() {
        queue!(
            out,
            cursor::MoveTo(0, y as u16),
            style::Print(row),
            style::Print("\x1b[0m"),
            terminal::Clear(terminal::ClearType::UntilNewLine)
        )?;
    }
    queue!(out, terminal::EndSynchronizedUpdate)?;
    out.flush()
}

/// The screen as rows, each at most `width` columns wide, exactly `height` of them.
fn layout(app: &App, width: usize, height: usize) -> Vec<String> {
    let header = header(app);
    // The status and the keys wrap rather than lose their end in a narrow window.
    let footer: Vec<String> = [status_line(app), keys_line(app)]
        .iter()
        .flat_map(|l| wrap(l, width))
        .collect();
    let room = height.saturating_sub(header.len() + 1 + footer.len() + 1);
    let mut rows: Vec<String> = header
        .iter()
        .map(|l| wrap(l, width).swap_remove(0))
        .collect();
    rows.push(String::new());
    let body: Vec<String> = body(app, room)
        .iter()
        .flat_map(|text| text.split('\n'))
        .flat_map(|line| wrap(line, width))
        .collect();
    if body.len() > room {
        let shown = room.saturating_sub(1);
        rows.extend_from_slice(&body[..shown]);
        rows.push(
            format!(
                "… {} more lines cut to fit the window; `racelings run` prints everything",
                body.len() - shown
            )
            .dimmed()
            .to_string(),
        );
    } else {
        let blank = room - body.len();
        rows.extend(body);
        rows.extend(std::iter::repeat_n(String::new(), blank));
    }
    rows.push(String::new());
    rows.extend(footer);
    rows.truncate(height);
    rows
}

fn header(app: &App) -> Vec<String> {
    let e = app.exercise();
    let total = app.workbook.exercises.len();
    let done = app
        .workbook
        .exercises
        .iter()
        .filter(|e| app.progress.done.contains(&e.name))
        .count();
    let title = format!(
        "{}  {}/{}  {}  {}",
        "racelings".bold(),
        e.number,
        total,
        e.name.bold(),
        format!("({})", e.topic).dimmed()
    );
    let path = format!("{}:{}", e.source_path(), app.source_line());
    let url = format!(
        "file://{}",
        app.workbook.root.join(e.source_path()).display()
    );
    let link = hyperlink(&url, &path.underline().to_string());
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(0);
    let bar = format!(
        "{}{}  {done}/{total} done",
        "█".repeat(filled).green(),
        "░".repeat(BAR_WIDTH - filled).dimmed()
    );
    vec![title, link, bar]
}

/// An OSC 8 hyperlink: terminals that know it make `text` clickable, others show the text.
fn hyperlink(url: &str, text: &str) -> String {
    format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\")
}

fn body(app: &App, room: usize) -> Vec<String> {
    let e = app.exercise();
    if app.mode == Mode::List {
        return list(app, room);
    }
    let mut body = Vec::new();
    if app.show_hint {
        body.push(format!("{}\n{}\n", "Hint".bold(), e.hint.trim_end()));
    }
    if let Some(run) = &app.running {
        if app.checks_shown == 0 && app.progress.done.is_empty() {
            body.push(app.workbook.welcome_message.trim_end().to_string());
            body.push(String::new());
        }
        let frame = SPINNER[(run.started.elapsed().as_millis() / 100) as usize % SPINNER.len()];
        let what = if run.all {
            "checking every exercise".to_string()
        } else {
            format!("checking {}", e.name.bold())
        };
        let tests = if run.tests_total > 0 && (run.tests_done > 0 || !run.in_flight.is_empty()) {
            format!("  {}/{} tests", run.tests_done, run.tests_total)
        } else {
            String::new()
        };
        body.push(format!(
            "{} {what}: {}{tests}  {}",
            frame.to_string().cyan(),
            run.stage,
            seconds(run.started.elapsed()).dimmed()
        ));
        for (test, live) in &run.in_flight {
            let whose = if run.all {
                format!("{} ", test.exercise)
            } else {
                String::new()
            };
            let live = live.as_ref().map(|l| format!(": {l}")).unwrap_or_default();
            body.push(format!(
                "    {whose}{:<6} {}{live}",
                test.check.to_string(),
                test.test
            ));
        }
        return body;
    }
    match &app.shown {
        Shown::Nothing => {}
        Shown::Verdict { verdict, .. } => {
            body.push(render::verdict(e, verdict, false).trim_end().to_string());
            body.push(String::new());
            if verdict.fixed {
                body.push(format!(
                    "Compare with the solution: {}/src/lib.rs",
                    e.solution_dir()
                ));
                if app.all_done() {
                    body.push(String::new());
                    body.push(app.workbook.final_message.trim_end().green().to_string());
                } else {
                    body.push(format!("Press {} for the next exercise.", "n".bold()));
                }
            } else {
                body.push(
                    "Fix the code and save: the watcher checks it again. Stuck? h shows a hint."
                        .dimmed()
                        .to_string(),
                );
            }
        }
        Shown::Failed { all, message } => {
            let what = if *all {
                "The exercises".to_string()
            } else {
                e.name.bold().to_string()
            };
            body.push(format!(
                "{} {what} could not be checked:",
                "!".yellow().bold()
            ));
            body.push(message.trim_end().to_string());
            body.push(String::new());
            body.push(
                "The watcher keeps going: it checks again when the files come back or change \
                 (x puts the shipped code back)."
                    .dimmed()
                    .to_string(),
            );
        }
        Shown::Summary { verdicts, took } => {
            let all: Vec<&Exercise> = app.workbook.exercises.iter().collect();
            body.push(verify::summary_table(&all, verdicts).trim_end().to_string());
            let fixed = verdicts.iter().filter(|v| v.fixed).count();
            body.push(format!(
                "\n{fixed} of {} exercises are fixed  {}",
                verdicts.len(),
                format!("(checked in {})", seconds(*took)).dimmed()
            ));
        }
        Shown::AllDone => body.push(app.workbook.final_message.trim_end().green().to_string()),
    }
    body
}

fn list(app: &App, room: usize) -> Vec<String> {
    let mut lines = vec![format!(
        "{:>3}  {:<26} {:<24} status",
        "#", "exercise", "topic"
    )];
    let room = room.saturating_sub(1).max(1);
    let total = app.workbook.exercises.len();
    // Keep the cursor in view.
    let first = app
        .cursor
        .saturating_sub(room / 2)
        .min(total.saturating_sub(room));
    for (i, e) in app
        .workbook
        .exercises
        .iter()
        .enumerate()
        .skip(first)
        .take(room)
    {
        let status = if app.progress.done.contains(&e.name) {
            "done".green()
        } else {
            "pending".yellow()
        };
        let marker = if i == app.current { "▶" } else { " " };
        let row = format!(
            "{:>3}{marker} {:<26} {:<24} {status}",
            e.number, e.name, e.topic
        );
        lines.push(if i == app.cursor {
            format!("{}", row.reversed())
        } else {
            row
        });
    }
    lines
}

fn status_line(app: &App) -> String {
    if app.mode == Mode::ConfirmReset {
        return format!(
            "{} Reset {} to the shipped code, throwing away your changes? (y/n)",
            "?".yellow().bold(),
            app.exercise().name.bold()
        );
    }
    let last = match &app.shown {
        Shown::Verdict { took, check, .. } if app.running.is_none() => {
            format!("check #{check} took {} · ", seconds(*took))
                .dimmed()
                .to_string()
        }
        _ => String::new(),
    };
    if let Some(notice) = &app.notice {
        return format!("{last}{}", notice.yellow());
    }
    let how = match (&app.watching, app.manual) {
        (_, true) => "not watching the files: press r to check".to_string(),
        (Some(true), _) => format!(
            "polling {} for saves every {}",
            app.exercise().crate_path(),
            seconds(super::files::POLL_INTERVAL)
        ),
        _ => format!("watching {} for saves", app.exercise().crate_path()),
    };
    format!("{last}{}", how.dimmed())
}

fn keys_line(app: &App) -> String {
    keys::help(app.mode, app.manual, app.can_move_on())
        .bold()
        .to_string()
}

fn seconds(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// Cuts `line` into rows of at most `width` columns; escape sequences (colors, links) are
/// kept and take no room; tabs become spaces, other control characters are dropped.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut rows = vec![String::new()];
    let mut used = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let row = rows.last_mut().expect("at least one row");
        if c == '\x1b' {
            row.push(c);
            match chars.next() {
                // CSI: parameters up to a final byte.
                Some('[') => {
                    row.push('[');
                    for c in chars.by_ref() {
                        row.push(c);
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ESC \.
                Some(']') => {
                    row.push(']');
                    while let Some(c) = chars.next() {
                        row.push(c);
                        if c == '\x07' {
                            break;
                        }
                        if c == '\x1b' {
                            if chars.peek() == Some(&'\\') {
                                row.push('\\');
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                Some(other) => row.push(other),
                None => {}
            }
            continue;
        }
        let (text, w) = match c {
            '\t' => ("    ".to_string(), 4),
            c if c.is_control() => continue,
            c => (c.to_string(), c.width().unwrap_or(0)),
        };
        if used + w > width && used > 0 {
            rows.push(String::new());
            used = 0;
        }
        rows.last_mut().expect("a row").push_str(&text);
        used += w;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_what_shows() {
        assert_eq!(wrap("abcdef", 4), ["abcd", "ef"]);
        assert_eq!(wrap("", 4), [""]);
        let red = "\x1b[31mabcdef\x1b[0m";
        assert_eq!(wrap(red, 4), ["\x1b[31mabcd", "ef\x1b[0m"]);
        let link = hyperlink("file:///x", "ab");
        assert_eq!(wrap(&link, 2), vec![link.clone()]);
        assert_eq!(wrap("a\tb", 20), ["a    b"]);
        assert_eq!(wrap("a\rb", 20), ["ab"]);
        assert_eq!(wrap("█░", 1), ["█", "░"]);
    }
}
