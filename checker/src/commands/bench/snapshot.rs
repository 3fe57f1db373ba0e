//! The benchmark's own copy of the workbook: the chosen exercises, their solutions, the
//! facade, a manifest and a lock file, so that runs of an hour measure one state of the
//! sources (edits in the workbook meanwhile do not leak in) and `racelings run` in it
//! records progress in the copy, never in the learner's state file.

use crate::overlay::{copy_tree, write_if_changed};
use crate::workbook::{Exercise, INFO_FILE, Workbook};
use anyhow::{Context, Result, bail};
use std::path::Path;

/// Copies `exercises` of `workbook` to `dest` (replacing what a previous run left there)
/// and loads the copy.
pub fn create(workbook: &Workbook, exercises: &[&Exercise], dest: &Path) -> Result<Workbook> {
    if dest.exists() {
        // Keep `target/`: the copy's own overlays; build caches live elsewhere.
        for entry in std::fs::read_dir(dest)? {
            let entry = entry?;
            if entry.file_name() != "target" {
                let p = entry.path();
                if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                }
                .with_context(|| format!("clearing {}", p.display()))?;
            }
        }
    }
    std::fs::create_dir_all(dest)?;
    for e in exercises {
        copy_tree(
            &workbook.crate_dir(e),
            &dest.join(e.crate_path()),
            &["target"],
        )?;
        let solution = workbook.root.join(e.solution_dir());
        if solution.is_dir() {
            copy_tree(&solution, &dest.join(e.solution_dir()), &["target"])?;
        }
    }
    write_if_changed(&dest.join(INFO_FILE), &info_toml(workbook, exercises)?)?;
    write_if_changed(&dest.join("Cargo.toml"), &manifest(workbook, dest)?)?;
    let lock = workbook.root.join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, dest.join("Cargo.lock"))?;
    }
    Workbook::load(dest)
}

/// info.toml with only the chosen exercises.
fn info_toml(workbook: &Workbook, exercises: &[&Exercise]) -> Result<String> {
    let path = workbook.root.join(INFO_FILE);
    let mut doc: toml::Table = toml::from_str(&std::fs::read_to_string(&path)?)
        .with_context(|| format!("parsing {}", path.display()))?;
    if let Some(toml::Value::Array(entries)) = doc.get_mut("exercises") {
        entries.retain(|entry| {
            let name = entry.get("name").and_then(|n| n.as_str());
            exercises.iter().any(|e| Some(e.name.as_str()) == name)
        });
    }
    Ok(toml::to_string(&doc)?)
}

/// The workbook's manifest for the copy: members that are not in the copy (the checker)
/// dropped, path dependencies inside the workbook copied beside it, those outside made
/// absolute.
fn manifest(workbook: &Workbook, dest: &Path) -> Result<String> {
    let path = workbook.root.join("Cargo.toml");
    let mut doc: toml::Table = toml::from_str(&std::fs::read_to_string(&path)?)
        .with_context(|| format!("parsing {}", path.display()))?;
    let Some(toml::Value::Table(ws)) = doc.get_mut("workspace") else {
        bail!("{} has no [workspace] table", path.display());
    };
    ws.remove("default-members");
    if let Some(toml::Value::Table(deps)) = ws.get_mut("dependencies") {
        for (_, dep) in deps.iter_mut() {
            let Some(toml::Value::String(p)) = dep.get("path").cloned() else {
                continue;
            };
            let from = workbook.root.join(&p).canonicalize()?;
            if let Ok(inside) = from.strip_prefix(workbook.root.canonicalize()?) {
                copy_tree(&from, &dest.join(inside), &["target"])?;
            } else if let toml::Value::Table(d) = dep {
                d.insert("path".into(), from.display().to_string().into());
            }
        }
    }
    if let Some(toml::Value::Array(members)) = ws.get_mut("members") {
        members.retain(|m| {
            let fixed: String = m
                .as_str()
                .unwrap_or("")
                .split('/')
                .take_while(|part| !part.contains('*'))
                .collect::<Vec<_>>()
                .join("/");
            dest.join(fixed).exists()
        });
    }
    Ok(toml::to_string(&doc)?)
}
