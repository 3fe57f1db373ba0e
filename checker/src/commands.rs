//! The front ends: one module per command. They ask the pipeline for verdicts and show them;
//! none of them spawns a process or reads cargo's output itself.

pub mod bench;
pub mod dev;
pub mod grade;
pub mod learner;
pub mod list;
pub mod mutants;
pub mod run;
pub mod verify;

use crate::state::{Loaded, Progress};
use crate::workbook::{Exercise, Workbook};
use anyhow::Result;
use colored::Colorize;
use std::path::Path;

/// Finds and loads the workbook.
pub fn open(root: Option<&Path>) -> Result<Workbook> {
    let root = Workbook::locate(root)?;
    Workbook::load(&root)
}

/// Loads the progress, telling the learner if a corrupt state file was set aside.
pub fn load_progress(workbook: &Workbook) -> Progress {
    let (progress, how) = Progress::load(&workbook.root);
    if let Loaded::Recovered { backup, reason } = how {
        eprintln!(
            "{} the progress file could not be read ({reason}); it was moved to {} and progress \
             starts from the first exercise. Running an exercise records it again.",
            "warning:".yellow().bold(),
            backup.display()
        );
    }
    progress
}

/// The exercise the learner is on: the one they picked, else the first not done.
pub fn current<'a>(workbook: &'a Workbook, progress: &Progress) -> Option<&'a Exercise> {
    progress
        .current
        .as_deref()
        .and_then(|name| workbook.exercises.iter().find(|e| e.name == name))
        .or_else(|| {
            workbook
                .exercises
                .iter()
                .find(|e| !progress.done.contains(&e.name))
        })
}

/// The named exercise, or the current one.
pub fn pick<'a>(
    workbook: &'a Workbook,
    progress: &Progress,
    name: Option<&str>,
) -> Result<&'a Exercise> {
    match name {
        Some(name) => workbook.find(name),
        None => current(workbook, progress)
            .or(workbook.exercises.last())
            .ok_or_else(|| anyhow::anyhow!("the workbook has no exercises")),
    }
}
