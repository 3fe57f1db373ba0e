//! Helpers for the grading tests: a copy of the real workbook to grade against, and
//! submissions made from its exercises and solutions in a temporary folder.
#![allow(dead_code)]

use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The exercises the grading tests grade (`--only`), by folder under exercises/.
pub const EXERCISES: [&str; 2] = [LOST_UPDATE, "01_threads/01_threads_join"];
pub const LOST_UPDATE: &str = "02_races/03_lost_update";
const NAMES: [&str; 2] = ["lost_update", "threads_join"];

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A grading workbook (a copy of the real one) and a folder of submissions.
pub struct Class {
    pub dir: tempfile::TempDir,
}

impl Class {
    pub fn new() -> Class {
        let dir = tempfile::Builder::new()
            .prefix("racelings-grade-")
            .tempdir()
            .unwrap();
        // Test processes run under another uid: they must be able to reach the crates.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let repo = repo_root();
        let root = dir.path().join("workbook");
        std::fs::create_dir_all(&root).unwrap();
        for part in ["exercises", "solutions"] {
            copy_dir(&repo.join(part), &root.join(part));
        }
        for file in ["info.toml", "Cargo.lock"] {
            std::fs::copy(repo.join(file), root.join(file)).unwrap();
        }
        // The workspace manifest, its path dependencies made absolute (the real facade).
        let manifest = std::fs::read_to_string(repo.join("Cargo.toml")).unwrap();
        let mut doc: toml::Table = toml::from_str(&manifest).unwrap();
        let ws = doc.get_mut("workspace").unwrap().as_table_mut().unwrap();
        if let Some(toml::Value::Table(deps)) = ws.get_mut("dependencies") {
            for (_, dep) in deps.iter_mut() {
                if let toml::Value::Table(d) = dep
                    && let Some(p) = d.get("path").and_then(|p| p.as_str())
                {
                    let abs = repo.join(p).display().to_string();
                    d.insert("path".into(), abs.into());
                }
            }
        }
        std::fs::write(root.join("Cargo.toml"), toml::to_string(&doc).unwrap()).unwrap();
        Class { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("workbook")
    }

    /// The shipped source of an exercise.
    pub fn shipped(&self, dir: &str) -> String {
        std::fs::read_to_string(self.root().join("exercises").join(dir).join("src/lib.rs")).unwrap()
    }

    pub fn solution(&self, dir: &str) -> String {
        std::fs::read_to_string(self.root().join("solutions").join(dir).join("src/lib.rs")).unwrap()
    }

    /// A submission: the shipped exercises, `solved` ones replaced by their solutions and
    /// `sources` by the given text.
    pub fn submit(&self, name: &str, solved: &[&str], sources: &[(&str, String)]) -> PathBuf {
        let sub = self.dir.path().join("subs").join(name);
        copy_dir(&self.root().join("exercises"), &sub.join("exercises"));
        for dir in solved {
            std::fs::write(
                sub.join("exercises").join(dir).join("src/lib.rs"),
                self.solution(dir),
            )
            .unwrap();
        }
        for (dir, text) in sources {
            std::fs::write(sub.join("exercises").join(dir).join("src/lib.rs"), text).unwrap();
        }
        sub
    }

    /// A grader-only test file of the exercise at `dir`, extending its public `file`.
    pub fn grader_only(&self, dir: &str, file: &str, text: &str) {
        let tests = self.root().join("grading").join(dir).join("tests");
        std::fs::create_dir_all(&tests).unwrap();
        std::fs::write(tests.join(file), text).unwrap();
    }

    pub fn all_submissions(&self) -> Vec<PathBuf> {
        let mut subs: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("subs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        subs.sort();
        subs
    }
}

/// One target dir for every grading test, so loom and the facade are built once.
pub fn shared_target() -> PathBuf {
    repo_root().join("target").join("racelings-tests")
}

/// `racelings --root <class workbook> ARGS… --only … SUBMISSIONS…`.
pub fn racelings(class: &Class, args: &[&str], submissions: &[PathBuf]) -> Output {
    racelings_only(class, &NAMES, args, submissions)
}

/// [`racelings`] grading the exercises named `only`.
pub fn racelings_only(
    class: &Class,
    only: &[&str],
    args: &[&str],
    submissions: &[PathBuf],
) -> Output {
    let mut cmd = command(class);
    cmd.args(args);
    for name in only {
        cmd.args(["--only", name]);
    }
    cmd.args(submissions);
    cmd.output().expect("run racelings")
}

/// `racelings --root <class workbook> ARGS…`.
pub fn racelings_plain(class: &Class, args: &[&str]) -> Output {
    command(class).args(args).output().expect("run racelings")
}

fn command(class: &Class) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_racelings"));
    cmd.current_dir(class.dir.path())
        .arg("--root")
        .arg(class.root())
        .env("CARGO_TARGET_DIR", shared_target())
        .env("NO_COLOR", "1")
        // One seed for every run, so that shards and the class graded whole agree.
        .env("RACELINGS_GRADE_SEED", "20261202")
        .env_remove("RUST_BACKTRACE");
    cmd
}

pub fn summary(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("summary.json"))
        .unwrap_or_else(|e| panic!("{}/summary.json: {e}", out.display()));
    serde_json::from_str(&text).unwrap()
}

/// A summary without what differs between two runs of the same code: timings, messages
/// and the way a buggy exercise failed (a race may show in stress one time, in loom the
/// next); scores, fixed and errors stay.
pub fn without_timings(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("duration_ms");
                // Stress outcome tables count rounds that differ between runs.
                map.remove("output");
                map.remove("message");
                if map.get("fixed") == Some(&Value::Bool(false)) {
                    map.remove("kind");
                    map.remove("status");
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
