//! Overlay workspaces: a copy of the workbook's exercise crates in another folder, with some
//! `src/lib.rs` files replaced (by solutions, alternative fixes, non-fixes, or a student's
//! submission). The copy is a cargo workspace of its own whose shared dependencies (the
//! facade, loom) resolve to the same packages as the workbook's, so a shared target dir
//! builds them once. Files are rewritten only when their content changes, so cargo's
//! fingerprints stay valid and a second run is incremental.
//!
//! Each overlay renames its crates' packages with a suffix of its own (the library keeps its
//! name, so tests still `use lost_update::…`). Cargo names a path package's artifacts by its
//! name, version and path relative to the workspace root, which are the same in every
//! overlay and in the workbook itself: without the suffix, two of them sharing a target dir
//! would take each other's stale binaries for fresh ones.

use crate::workbook::{Exercise, Workbook};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// One exercise in an overlay, with the `src/lib.rs` text to use (`None`: the shipped one).
pub struct Member<'a> {
    pub exercise: &'a Exercise,
    pub lib_rs: Option<String>,
}

/// Lays out an overlay workspace at `dest` for `members`, copying from `workbook`.
pub fn create(workbook: &Workbook, dest: &Path, members: &[Member<'_>]) -> Result<()> {
    std::fs::create_dir_all(dest).with_context(|| format!("creating {}", dest.display()))?;
    write_if_changed(&dest.join("Cargo.toml"), &manifest(workbook, members)?)?;
    let lock = workbook.root.join("Cargo.lock");
    if lock.is_file() {
        write_if_changed(&dest.join("Cargo.lock"), &std::fs::read_to_string(&lock)?)?;
    }
    let suffix = suffix_for(dest);
    write_if_changed(&dest.join(SUFFIX_FILE), &suffix)?;
    for m in members {
        let from = workbook.crate_dir(m.exercise);
        let to = dest.join(m.exercise.crate_path());
        copy_tree(&from, &to, &["target"])
            .with_context(|| format!("copying exercise `{}`", m.exercise.name))?;
        rename_package(&to.join("Cargo.toml"), &m.exercise.name, &suffix)?;
        if let Some(lib) = &m.lib_rs {
            write_if_changed(&to.join("src/lib.rs"), lib)?;
        }
    }
    Ok(())
}

/// The file in an overlay's root that holds its package suffix.
const SUFFIX_FILE: &str = ".racelings-overlay";

/// The suffix the crates of the workspace at `workspace` carry: empty for a workbook, the
/// overlay's own for an overlay.
pub fn package_suffix(workspace: &Path) -> String {
    std::fs::read_to_string(workspace.join(SUFFIX_FILE))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// A suffix unique to the overlay folder `dest` (its name, in package-name characters).
fn suffix_for(dest: &Path) -> String {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("--{clean}")
}

/// Renames the package of the manifest at `path` to `name` + `suffix`, keeping its library
/// named `name`.
fn rename_package(path: &Path, name: &str, suffix: &str) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut doc: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let Some(toml::Value::Table(package)) = doc.get_mut("package") else {
        bail!("{} has no [package] table", path.display());
    };
    package.insert(
        "name".into(),
        toml::Value::String(format!("{name}{suffix}")),
    );
    let lib = doc
        .entry("lib")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let toml::Value::Table(lib) = lib {
        lib.insert("name".into(), toml::Value::String(name.to_string()));
    }
    write_if_changed(path, &toml::to_string(&doc)?)
}

/// The workspace manifest: the workbook's own, with its members replaced and its path
/// dependencies made absolute (so they are the very same packages).
fn manifest(workbook: &Workbook, members: &[Member<'_>]) -> Result<String> {
    let paths: Vec<String> = members.iter().map(|m| m.exercise.crate_path()).collect();
    workspace_manifest(workbook, &paths)
}

/// [`manifest`] for member crates at any `paths` (relative to the overlay's root).
pub fn workspace_manifest(workbook: &Workbook, paths: &[String]) -> Result<String> {
    let path = workbook.root.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut doc: toml::Table =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let Some(toml::Value::Table(ws)) = doc.get_mut("workspace") else {
        bail!("{} has no [workspace] table", path.display());
    };
    ws.remove("default-members");
    ws.insert(
        "members".into(),
        toml::Value::Array(paths.iter().cloned().map(toml::Value::String).collect()),
    );
    if let Some(toml::Value::Table(deps)) = ws.get_mut("dependencies") {
        for (_, dep) in deps.iter_mut() {
            if let toml::Value::Table(d) = dep
                && let Some(toml::Value::String(p)) = d.get("path")
            {
                let abs = workbook.root.join(p);
                d.insert(
                    "path".into(),
                    toml::Value::String(abs.display().to_string()),
                );
            }
        }
    }
    Ok(format!(
        "# Generated by racelings: an overlay of {}\n{}",
        workbook.root.display(),
        toml::to_string(&doc)?
    ))
}

/// Copies a folder's regular files, skipping the named subfolders; symlinks are not followed.
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let kind = entry.file_type()?;
        let target = to.join(&name);
        if kind.is_dir() {
            copy_tree(&entry.path(), &target, skip)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(entry.path())?;
            write_bytes_if_changed(&target, &bytes)?;
        }
    }
    Ok(())
}

/// Writes `text` unless the file already holds exactly that (keeping its mtime).
pub fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    write_bytes_if_changed(path, text.as_bytes())
}

fn write_bytes_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Where the overlays of a workbook live: under its target dir, stable between runs.
pub fn overlay_root(workbook: &Workbook) -> PathBuf {
    workbook
        .root
        .join("target")
        .join("racelings")
        .join("overlays")
}
