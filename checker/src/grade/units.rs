//! The grading workspace: one crate per distinct (exercise, sources) pair of the class — a
//! "unit" — made from the pristine exercise crate with the submitted sources in place of
//! its `src/` and its tests sealed. Identical sources are built and tested once, however
//! many submissions share them; a unit's folder is named by a hash of its content, so a
//! second run over the same submissions finds its builds fresh.

use super::Event;
use super::intake::Sources;
use crate::libtest;
use crate::overlay;
use crate::workbook::{Exercise, Workbook};
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

/// One distinct (exercise, sources) pair.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The exercise as the pipeline sees this unit: its package is `<name>_<id>`, its crate
    /// at `exercises/<id>/<dir>` of the grading workspace.
    pub exercise: Exercise,
    /// The exercise's real name.
    pub name: String,
    pub id: String,
    pub sources: Sources,
}

/// The content hash that names a unit.
pub fn unit_id(exercise: &str, sources: &Sources) -> String {
    let mut h = Sha256::new();
    h.update(exercise.as_bytes());
    for (path, bytes) in sources {
        h.update([0]);
        h.update(path.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Unit {
    /// The exercise's own folder under `exercises/`.
    pub fn dir(&self) -> &str {
        self.exercise
            .dir
            .split_once('/')
            .map_or(self.exercise.dir.as_str(), |(_, d)| d)
    }

    pub fn new(exercise: &Exercise, sources: Sources, test_timeout_cap: Option<u64>) -> Unit {
        let id = unit_id(&exercise.name, &sources);
        let mut synthetic = exercise.clone();
        synthetic.name = format!("{}_{id}", exercise.name);
        synthetic.dir = format!("{id}/{}", exercise.dir);
        if let Some(cap) = test_timeout_cap {
            synthetic.stress_timeout_secs = synthetic.stress_timeout_secs.min(cap);
            synthetic.loom_timeout_secs = synthetic.loom_timeout_secs.min(cap);
        }
        Unit {
            exercise: synthetic,
            name: exercise.name.clone(),
            id,
            sources,
        }
    }
}

/// Where grading builds: a workspace under the workbook's target folder.
pub fn workspace_dir(workbook: &Workbook) -> PathBuf {
    overlay::overlay_root(workbook).join("grade")
}

/// Holds the grading workspace of `workbook` for this run, until dropped. Another run on
/// the same workbook (a second shard started on the same machine, a second class) waits
/// for it, saying so, rather than rewriting the workspace under it.
pub fn lock_workspace(workbook: &Workbook, events: &(dyn Fn(Event) + Sync)) -> Result<File> {
    let root = overlay::overlay_root(workbook);
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let path = root.join("grade.lock");
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            events(Event::Doing(format!(
                "waiting for another racelings grade on this workbook to finish ({})",
                path.display()
            )));
            file.lock()
                .with_context(|| format!("locking {}", path.display()))?;
        }
        Err(TryLockError::Error(err)) => {
            return Err(err).with_context(|| format!("locking {}", path.display()));
        }
    }
    Ok(file)
}

/// Lays out the workspace at `ws` for `units` (dropping the members of earlier runs).
pub fn lay_out(workbook: &Workbook, ws: &Path, units: &[&Unit]) -> Result<()> {
    std::fs::create_dir_all(ws).with_context(|| format!("creating {}", ws.display()))?;
    let paths: Vec<String> = units.iter().map(|u| u.exercise.crate_path()).collect();
    overlay::write_if_changed(
        &ws.join("Cargo.toml"),
        &overlay::workspace_manifest(workbook, &paths)?,
    )?;
    // Every rustc of a unit runs in the compiler's sandbox (see `rustc`).
    let racelings = std::env::current_exe().context("finding racelings itself")?;
    overlay::write_if_changed(
        &ws.join(".cargo/config.toml"),
        &super::rustc::cargo_config(&racelings, ws),
    )?;
    let lock = workbook.root.join("Cargo.lock");
    if lock.is_file() && !ws.join("Cargo.lock").is_file() {
        std::fs::copy(&lock, ws.join("Cargo.lock"))?;
    }
    // The pristine crates, read once per exercise.
    let mut pristine: BTreeMap<&str, Pristine> = BTreeMap::new();
    for unit in units {
        if !pristine.contains_key(unit.name.as_str()) {
            let original = workbook
                .exercises
                .iter()
                .find(|e| e.name == unit.name)
                .expect("units come from the workbook's exercises");
            pristine.insert(&unit.name, Pristine::read(workbook, original)?);
        }
        let dest = ws.join(unit.exercise.crate_path());
        pristine[unit.name.as_str()]
            .write(&dest, &unit.exercise.name, &unit.name)
            .with_context(|| format!("laying out `{}`", unit.name))?;
        write_sources(&dest.join("src"), &unit.sources)?;
    }
    Ok(())
}

/// A pristine exercise crate: its manifest, its sealed tests, its other files.
struct Pristine {
    manifest: toml::Table,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Pristine {
    fn read(workbook: &Workbook, exercise: &Exercise) -> Result<Pristine> {
        let dir = workbook.crate_dir(exercise);
        let manifest_path = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let manifest: toml::Table = toml::from_str(&text)
            .with_context(|| format!("parsing {}", manifest_path.display()))?;
        let mut files = Vec::new();
        gather(&dir, Path::new(""), &mut files)?;
        let extra = grader_only_tests(workbook, exercise)?;
        for (rel, bytes) in &mut files {
            if rel.starts_with("tests") && rel.extension().is_some_and(|x| x == "rs") {
                let mut text = String::from_utf8(std::mem::take(bytes))
                    .with_context(|| format!("{} is not UTF-8", rel.display()))?;
                if let Some((from, more)) = rel.file_name().and_then(|name| extra.get(name)) {
                    text.push_str(&format!(
                        "\n// Grader-only tests, from {}.\n",
                        from.display()
                    ));
                    text.push_str(more);
                }
                let sealed = libtest::seal_tests(&text).map_err(|why| {
                    anyhow::anyhow!(
                        "exercise `{}`: cannot seal {}: {why}",
                        exercise.name,
                        rel.display()
                    )
                })?;
                *bytes = sealed.into_bytes();
            }
        }
        Ok(Pristine { manifest, files })
    }

    /// Writes the crate at `dest` as package `package` whose library keeps the name `lib`.
    fn write(&self, dest: &Path, package: &str, lib: &str) -> Result<()> {
        let mut manifest = self.manifest.clone();
        if let Some(toml::Value::Table(p)) = manifest.get_mut("package") {
            p.insert("name".into(), package.into());
        }
        let lib_table = manifest
            .entry("lib")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let toml::Value::Table(t) = lib_table {
            t.entry("name").or_insert_with(|| lib.into());
        }
        overlay::write_if_changed(&dest.join("Cargo.toml"), &toml::to_string(&manifest)?)?;
        for (rel, bytes) in &self.files {
            let path = dest.join(rel);
            if std::fs::read(&path).is_ok_and(|old| &old == bytes) {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

/// The folder of an exercise's grader-only tests in the grading copy: `grading/<dir>/tests`
/// beside info.toml. Handed-out workbooks leave `grading/` out.
pub fn grader_only_dir(workbook: &Workbook, exercise: &Exercise) -> PathBuf {
    workbook
        .root
        .join("grading")
        .join(&exercise.dir)
        .join("tests")
}

/// An exercise's grader-only tests, by the name of the public test file they extend
/// (`stress.rs`, `loom.rs`): where each came from, and its text without inner attributes
/// (the public file's `#![…]` apply to it).
fn grader_only_tests(
    workbook: &Workbook,
    exercise: &Exercise,
) -> Result<BTreeMap<std::ffi::OsString, (PathBuf, String)>> {
    let dir = grader_only_dir(workbook, exercise);
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(out);
    };
    let public: Vec<String> = exercise
        .checks
        .iter()
        .filter_map(|c| c.test_file())
        .map(|f| format!("{f}.rs"))
        .collect();
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_owned();
        if !public.iter().any(|p| name == p.as_str()) {
            anyhow::bail!(
                "{}: grader-only tests extend the exercise's public test files ({}), by name",
                path.display(),
                public.join(", ")
            );
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let kept: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("#!["))
            .map(|l| format!("{l}\n"))
            .collect();
        out.insert(name, (path, kept));
    }
    Ok(out)
}

/// The crate's files but its manifest, `src/` and `target/`.
fn gather(root: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let dir = root.join(rel);
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        let sub = rel.join(&name);
        if rel.as_os_str().is_empty() && (name == "src" || name == "target" || name == "Cargo.toml")
        {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            gather(root, &sub, out)?;
        } else if kind.is_file() {
            out.push((sub, std::fs::read(entry.path())?));
        }
    }
    Ok(())
}

/// Makes `src/` hold exactly `sources`.
fn write_sources(src: &Path, sources: &Sources) -> Result<()> {
    std::fs::create_dir_all(src)?;
    for (rel, bytes) in sources {
        let path = src.join(rel);
        if std::fs::read(&path).is_ok_and(|old| &old == bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    remove_extra(src, src, sources)
}

fn remove_extra(src: &Path, dir: &Path, keep: &Sources) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_extra(src, &path, keep)?;
        } else {
            let rel = path.strip_prefix(src)?.to_string_lossy().into_owned();
            if !keep.contains_key(&rel) {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

/// Puts a unit's paths and names back into the words of the workbook: `exercises/<id>/x`
/// becomes `exercises/x`, the package `<name>_<id>` becomes `<name>`.
pub fn unmangle(text: &str, unit: &Unit, ws: &Path) -> String {
    let ws = format!("{}/", ws.display());
    text.replace(&ws, "")
        .replace(&format!("{}/", unit.id), "")
        .replace(&format!("_{}", unit.id), "")
}
