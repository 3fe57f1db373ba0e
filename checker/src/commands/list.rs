//! `racelings list`: every exercise with its number, topic and status.

use crate::commands::{current, load_progress, open};
use anyhow::Result;
use clap::Args;
use colored::Colorize;
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;

#[derive(Args)]
pub struct ListArgs {
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    number: usize,
    name: &'a str,
    topic: &'a str,
    status: &'a str,
    points: u32,
    path: String,
}

pub fn list(root: Option<&Path>, args: ListArgs) -> Result<ExitCode> {
    let workbook = open(root)?;
    let progress = load_progress(&workbook);
    let current = current(&workbook, &progress).map(|e| e.name.as_str());
    let rows: Vec<Row> = workbook
        .exercises
        .iter()
        .map(|e| Row {
            number: e.number,
            name: &e.name,
            topic: &e.topic,
            status: if progress.done.contains(&e.name) {
                "done"
            } else {
                "pending"
            },
            points: e.points,
            path: e.source_path(),
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:>3}  {:<24} {:<24} status", "#", "name", "topic");
    for r in &rows {
        let status = if r.status == "done" {
            "done".green()
        } else {
            "pending".yellow()
        };
        let marker = if Some(r.name) == current { "▶" } else { " " };
        println!(
            "{:>3}{marker} {:<24} {:<24} {status}",
            r.number, r.name, r.topic
        );
    }
    let done = rows.iter().filter(|r| r.status == "done").count();
    println!("\n{done} of {} done", rows.len());
    Ok(ExitCode::SUCCESS)
}
