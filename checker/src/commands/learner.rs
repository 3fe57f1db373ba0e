//! `racelings hint` and `racelings reset`: small helps for the learner.

use crate::commands::{load_progress, open, pick};
use anyhow::{Context, Result, bail};
use colored::Colorize;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::{Command, ExitCode};

pub fn hint(root: Option<&Path>, name: Option<String>) -> Result<ExitCode> {
    let workbook = open(root)?;
    let progress = load_progress(&workbook);
    let exercise = pick(&workbook, &progress, name.as_deref())?;
    println!("{} {}\n", "Hint for".bold(), exercise.name.bold());
    println!("{}", exercise.hint);
    Ok(ExitCode::SUCCESS)
}

pub fn reset(root: Option<&Path>, name: &str, yes: bool) -> Result<ExitCode> {
    let workbook = open(root)?;
    let exercise = workbook.find(name)?;
    let source = exercise.source_path();
    let shipped = shipped_source(&workbook.root, &source)?;
    let path = workbook.root.join(&source);
    if std::fs::read_to_string(&path).is_ok_and(|now| now == shipped) {
        println!("{source} is already as shipped.");
        return Ok(ExitCode::SUCCESS);
    }
    if !yes && !confirm(&format!("Throw away your changes to {source}?"))? {
        println!("Nothing changed.");
        return Ok(ExitCode::from(1));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, shipped).with_context(|| format!("writing {}", path.display()))?;
    println!("{} {source} is back as shipped.", "✓".green());
    Ok(ExitCode::SUCCESS)
}

/// The shipped text of a workbook file: what the upstream branch holds for it (the learner
/// may have committed their own work on top), else what HEAD holds.
pub fn shipped_source(root: &Path, relative: &str) -> Result<String> {
    let mut last_error = String::new();
    for rev in ["@{upstream}", "HEAD"] {
        let out = Command::new("git")
            .current_dir(root)
            .args(["show", &format!("{rev}:{relative}")])
            .output()
            .context("running git to find the shipped source (is git installed?)")?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
        }
        last_error = String::from_utf8_lossy(&out.stderr).trim().to_string();
    }
    bail!("cannot find the shipped {relative}: git says {last_error}")
}

fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("{question} Pass --yes to confirm when not in a terminal.");
    }
    print!("{question} [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
