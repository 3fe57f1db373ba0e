//! Taking in a submission without trusting it: only `exercises/<dir>/src/**/*.rs`, read as
//! plain files; symbolic links, oversized files and whatever [`super::scan`] refuses (code
//! that would run before `main`, `#[path]`, compile-time reads, `unsafe` where the exercise
//! needs none) are refused, and nothing is ever built or run in the submission's own folder.

use crate::workbook::Exercise;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The learner-editable sources of one exercise: path under `src/` → content.
pub type Sources = BTreeMap<String, Vec<u8>>;

/// What a submission holds for one exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    Sources(Sources),
    /// `src/lib.rs` is not there.
    Missing(String),
    /// Something in it may not be graded: why.
    Refused(String),
}

/// A submission read in, or why it could not be.
#[derive(Debug)]
pub struct Intake {
    pub name: String,
    pub result: Result<Vec<Taken>, String>,
}

/// Caps that keep a hostile submission from filling the grader's memory.
const MAX_FILE_BYTES: u64 = 1 << 20;
const MAX_FILES: usize = 64;
const MAX_DEPTH: usize = 8;

/// Reads the sources of `exercises` from the submission at `path`.
pub fn take(name: &str, path: &Path, exercises: &[&Exercise]) -> Intake {
    let result = base(path).map(|base| {
        exercises
            .iter()
            .map(|e| take_exercise(&base, e))
            .collect::<Vec<_>>()
    });
    Intake {
        name: name.to_string(),
        result,
    }
}

/// The submission's workbook root: the folder itself, or its one subfolder holding
/// `exercises/` (an upload of the whole folder).
fn base(path: &Path) -> Result<PathBuf, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !meta.is_dir() {
        return Err(format!("{} is not a folder", path.display()));
    }
    let has_exercises = |dir: &Path| -> Result<bool, String> {
        match std::fs::symlink_metadata(dir.join("exercises")) {
            Ok(m) if m.file_type().is_symlink() => Err(format!(
                "{}/exercises is a symbolic link: refused",
                dir.display()
            )),
            Ok(m) => Ok(m.is_dir()),
            Err(_) => Ok(false),
        }
    };
    if has_exercises(path)? {
        return Ok(path.to_path_buf());
    }
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut inner = Vec::new();
    for entry in entries.flatten() {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && has_exercises(&entry.path())? {
            inner.push(entry.path());
        }
    }
    match inner.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "{} holds no exercises/ folder: is it a copy of the workbook?",
            path.display()
        )),
        _ => Err(format!(
            "{} holds several workbooks; hand in one",
            path.display()
        )),
    }
}

fn take_exercise(base: &Path, exercise: &Exercise) -> Taken {
    let crate_rel = exercise.crate_path();
    // Every folder on the way must be a real folder of the submission.
    let mut dir = base.to_path_buf();
    for part in crate_rel.split('/').chain(["src"]) {
        dir.push(part);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => {
                return Taken::Refused(format!("{} is a symbolic link: refused", rel(base, &dir)));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Taken::Missing(format!("{} is not a folder", rel(base, &dir))),
            Err(_) => return Taken::Missing(format!("{} is missing", rel(base, &dir))),
        }
    }
    let mut sources = Sources::new();
    if let Err(why) = collect(base, &dir, "", 0, &mut sources) {
        return Taken::Refused(why);
    }
    if !sources.contains_key("lib.rs") {
        return Taken::Missing(format!("{}/src/lib.rs is missing", crate_rel));
    }
    for (file, bytes) in &sources {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                return Taken::Refused(format!("{crate_rel}/src/{file} is not UTF-8 text"));
            }
        };
        if let Some(r) = super::scan::refusal(text, exercise.unsafe_allowed) {
            return Taken::Refused(format!(
                "{crate_rel}/src/{file}:{}:{} {}",
                r.line, r.column, r.what
            ));
        }
    }
    Taken::Sources(sources)
}

/// Reads the `.rs` files under `dir` into `out`, refusing links and oversized trees.
fn collect(
    base: &Path,
    dir: &Path,
    prefix: &str,
    depth: usize,
    out: &mut Sources,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("{} is nested too deep", rel(base, dir)));
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", rel(base, dir)))?;
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(String::from) else {
            return Err(format!("{} has a name that is not UTF-8", rel(base, &path)));
        };
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", rel(base, &path)))?;
        let key = format!("{prefix}{name}");
        if kind.is_symlink() {
            return Err(format!("{} is a symbolic link: refused", rel(base, &path)));
        } else if kind.is_dir() {
            collect(base, &path, &format!("{key}/"), depth + 1, out)?;
        } else if kind.is_file() && name.ends_with(".rs") {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
            if size > MAX_FILE_BYTES || out.len() >= MAX_FILES {
                return Err(format!("{} is too large to grade", rel(base, &path)));
            }
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("cannot read {}: {e}", rel(base, &path)))?;
            out.insert(key, bytes);
        }
    }
    Ok(())
}

fn rel(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}
