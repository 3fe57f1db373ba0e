//! Helpers for the tests that drive the real `racelings` binary over real workbooks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the real workbook).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The fixture workbook `name` under checker/tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// One target dir for every test, so loom and the facade are built once.
pub fn shared_target() -> PathBuf {
    repo_root().join("target").join("racelings-tests")
}

/// A copy of a workbook in a temporary folder, its workspace's path dependencies made
/// absolute so they still resolve to the real facade.
pub struct Workbook {
    pub dir: tempfile::TempDir,
}

impl Workbook {
    pub fn copy_of(source: &Path, parts: &[&str]) -> Workbook {
        let dir = tempfile::Builder::new()
            .prefix("racelings-test-")
            .tempdir()
            .unwrap();
        for part in parts {
            let from = source.join(part);
            if from.is_dir() {
                copy_dir(&from, &dir.path().join(part));
            } else if from.is_file() {
                std::fs::copy(&from, dir.path().join(part)).unwrap();
            }
        }
        let manifest = std::fs::read_to_string(source.join("Cargo.toml")).unwrap();
        let mut doc: toml::Table = toml::from_str(&manifest).unwrap();
        let deps = doc["workspace"]["dependencies"].as_table().unwrap().clone();
        let mut fixed = toml::Table::new();
        for (name, dep) in deps {
            let mut dep = dep.as_table().unwrap().clone();
            if let Some(p) = dep.get("path").and_then(|p| p.as_str()) {
                let abs = source.join(p).canonicalize().unwrap();
                dep.insert("path".into(), abs.display().to_string().into());
            }
            fixed.insert(name, dep.into());
        }
        let ws = doc.get_mut("workspace").unwrap().as_table_mut().unwrap();
        ws.insert("dependencies".into(), fixed.into());
        // Only the exercises are copied: the copy's workspace is them alone.
        ws.insert(
            "members".into(),
            vec![toml::Value::from("exercises/*/*")].into(),
        );
        ws.remove("default-members");
        std::fs::write(
            dir.path().join("Cargo.toml"),
            toml::to_string(&doc).unwrap(),
        )
        .unwrap();
        unique_versions(&dir.path().join("exercises"));
        let lock = repo_root().join("Cargo.lock");
        if !dir.path().join("Cargo.lock").exists() {
            std::fs::copy(lock, dir.path().join("Cargo.lock")).unwrap();
        }
        Workbook { dir }
    }

    /// The fixture workbook `name`, copied.
    pub fn fixture(name: &str) -> Workbook {
        Self::copy_of(&fixture(name), &["info.toml", "exercises", "solutions"])
    }

    /// The real workbook, copied (exercises, solutions, info.toml).
    pub fn real() -> Workbook {
        Self::copy_of(
            &repo_root(),
            &["info.toml", "Cargo.lock", "exercises", "solutions"],
        )
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `racelings ARGS…` run inside this workbook.
    pub fn racelings(&self, args: &[&str]) -> Output {
        racelings_in(self.path(), args)
    }

    /// Puts the solution of the exercise at `dir` over its source.
    pub fn apply_solution(&self, dir: &str) {
        std::fs::copy(
            self.path().join("solutions").join(dir).join("src/lib.rs"),
            self.path().join("exercises").join(dir).join("src/lib.rs"),
        )
        .unwrap();
    }
}

/// Gives every exercise crate of a copy a version of its own. Cargo names a path package's
/// build by its name, version and place in its workspace, which are the same in every copy:
/// copies built at once in the shared target dir would take each other's binaries.
fn unique_versions(exercises: &Path) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let version = format!("0.{}.{n}", std::process::id());
    for chapter in std::fs::read_dir(exercises).unwrap().flatten() {
        for krate in std::fs::read_dir(chapter.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let manifest = krate.path().join("Cargo.toml");
            let Ok(text) = std::fs::read_to_string(&manifest) else {
                continue;
            };
            let mut doc: toml::Table = toml::from_str(&text).unwrap();
            doc["package"]
                .as_table_mut()
                .unwrap()
                .insert("version".into(), version.clone().into());
            std::fs::write(&manifest, toml::to_string(&doc).unwrap()).unwrap();
        }
    }
}

/// `racelings ARGS…` with the shared target dir, in `cwd`.
pub fn racelings_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_racelings"))
        .current_dir(cwd)
        .args(args)
        .env("CARGO_TARGET_DIR", shared_target())
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run racelings")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The verdicts of a `--json` run, keyed by exercise name.
pub fn verdicts(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout:\n{}\nstderr:\n{}",
            stdout(o),
            stderr(o)
        )
    })
}
