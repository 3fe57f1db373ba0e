//! Driving the real watcher in a pseudo-terminal (a tmux server of its own per test) over a
//! copy of a workbook, saving files the ways editors do, and reading what the screen shows.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The repository root (the real workbook).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// One target dir for every test of the checker, so loom and the facade are built once and
/// exercise builds stay warm between tests.
pub fn shared_target() -> PathBuf {
    repo_root().join("target").join("racelings-tests")
}

/// How long any one wait for the screen may take before the test fails. Generous: a cold
/// build of loom on a busy 2-core machine takes a while.
pub const PATIENCE: Duration = Duration::from_secs(240);

/// A copy of a workbook in a temporary folder, its facade path made absolute.
pub struct Workbook {
    pub dir: tempfile::TempDir,
}

impl Workbook {
    /// The fixture workbook under checker/tests/fixtures/`name`.
    pub fn fixture(name: &str) -> Workbook {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::Builder::new()
            .prefix("racelings-watch-")
            .tempdir()
            .unwrap();
        for part in ["info.toml", "exercises", "solutions"] {
            let from = source.join(part);
            if from.is_dir() {
                copy_dir(&from, &dir.path().join(part));
            } else {
                std::fs::copy(&from, dir.path().join(part)).unwrap();
            }
        }
        let sync = repo_root().join("sync");
        let manifest = std::fs::read_to_string(source.join("Cargo.toml"))
            .unwrap()
            .replace("../../../../sync", &sync.display().to_string());
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        std::fs::copy(
            repo_root().join("Cargo.lock"),
            dir.path().join("Cargo.lock"),
        )
        .unwrap();
        give_crates_own_version(&dir.path().join("exercises"));
        Workbook { dir }
    }

    /// A copy of the real workbook (its exercises, solutions, info.toml and facade).
    pub fn real() -> Workbook {
        let dir = tempfile::Builder::new()
            .prefix("racelings-watch-")
            .tempdir()
            .unwrap();
        let root = repo_root();
        for part in ["info.toml", "Cargo.lock", "exercises", "solutions", "sync"] {
            let from = root.join(part);
            if from.is_dir() {
                copy_dir(&from, &dir.path().join(part));
            } else {
                std::fs::copy(&from, dir.path().join(part)).unwrap();
            }
        }
        // The workspace without the checker.
        let manifest: String = std::fs::read_to_string(root.join("Cargo.toml"))
            .unwrap()
            .replace("\"checker\", ", "")
            .lines()
            .filter(|l| !l.starts_with("default-members"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(dir.path().join("Cargo.toml"), manifest).unwrap();
        Workbook { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The learner's file of the exercise at `dir` (relative to exercises/).
    pub fn source(&self, dir: &str) -> PathBuf {
        self.path().join("exercises").join(dir).join("src/lib.rs")
    }

    pub fn solution_text(&self, dir: &str) -> String {
        std::fs::read_to_string(self.path().join("solutions").join(dir).join("src/lib.rs")).unwrap()
    }

    pub fn state(&self) -> String {
        std::fs::read_to_string(self.path().join(".racelings-state.toml")).unwrap_or_default()
    }
}

/// Cargo names a workspace member's build outputs after its name and version, not after
/// where it lives, so copies of one fixture that build at once in the shared target dir
/// would overwrite each other's test binaries. Each test gets a version of its own (from its
/// name: a rerun of the same test reuses its outputs).
fn give_crates_own_version(exercises: &Path) {
    let test = std::thread::current().name().unwrap_or("main").to_string();
    let patch = test
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 100_000;
    for chapter in std::fs::read_dir(exercises).unwrap().flatten() {
        for krate in std::fs::read_dir(chapter.path()).unwrap().flatten() {
            let manifest = krate.path().join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest).unwrap();
            let text = text.replacen(
                "version = \"0.1.0\"",
                &format!("version = \"0.1.{patch}\""),
                1,
            );
            std::fs::write(&manifest, text).unwrap();
        }
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == "target" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// How editors put new text in a file.
#[derive(Debug, Clone, Copy)]
pub enum Save {
    /// Truncate and write the same file (nano, VS Code by default).
    InPlace,
    /// Write a temporary file beside it and rename it over (many IDEs, atomic savers).
    Rename,
    /// Move the old file to a backup, write a new file, delete the backup (vim, neovim).
    Backup,
    /// Delete the file, then create it again.
    DeleteCreate,
}

pub fn save(path: &Path, text: &str, how: Save) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    match how {
        Save::InPlace => std::fs::write(path, text).unwrap(),
        Save::Rename => {
            let tmp = dir.join(format!(".{name}.tmp{}", N.fetch_add(1, Ordering::Relaxed)));
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, path).unwrap();
        }
        Save::Backup => {
            let backup = dir.join(format!("{name}~"));
            // vim first checks that it may create files here.
            std::fs::write(dir.join("4913"), "").unwrap();
            std::fs::remove_file(dir.join("4913")).unwrap();
            std::fs::rename(path, &backup).unwrap();
            std::fs::write(path, text).unwrap();
            std::fs::remove_file(&backup).unwrap();
        }
        Save::DeleteCreate => {
            std::fs::remove_file(path).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
}

/// The watcher running in a terminal of its own.
pub struct Screen {
    socket: String,
    conf: tempfile::NamedTempFile,
}

impl Screen {
    /// Starts `racelings ARGS` in `workbook`, in a 100×45 terminal, building the exercises
    /// in the shared target dir.
    pub fn start(workbook: &Path, args: &[&str]) -> Screen {
        Self::start_with_target(workbook, args, &shared_target())
    }

    /// As `start`, building the exercises in `target`.
    pub fn start_with_target(workbook: &Path, args: &[&str], target: &Path) -> Screen {
        Self::launch(workbook, args, target, &[], None)
    }

    /// As `start`, with `env` (`NAME=value`) set for the watcher, and the shell command
    /// `then` run in the same terminal after it exits.
    pub fn start_then(workbook: &Path, args: &[&str], env: &[&str], then: &str) -> Screen {
        Self::launch(workbook, args, &shared_target(), env, Some(then))
    }

    fn launch(
        workbook: &Path,
        args: &[&str],
        target: &Path,
        env: &[&str],
        then: Option<&str>,
    ) -> Screen {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "racelings-watch-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let conf = tempfile::NamedTempFile::new().unwrap();
        // Keep the pane (and what it shows) after the watcher exits.
        std::fs::write(conf.path(), "set -g remain-on-exit on\n").unwrap();
        let mut command = format!(
            "env CARGO_TARGET_DIR='{}' NO_COLOR=1 RUST_BACKTRACE=0",
            target.display(),
        );
        for e in env {
            command.push_str(&format!(" '{e}'"));
        }
        command.push_str(&format!(" '{}'", env!("CARGO_BIN_EXE_racelings")));
        for a in args {
            command.push_str(&format!(" '{a}'"));
        }
        let command = match then {
            Some(then) => format!("{command}; {then}"),
            None => format!("exec {command}"),
        };
        let screen = Screen { socket, conf };
        let out = screen.tmux(&[
            "-f",
            &screen.conf.path().display().to_string(),
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "45",
            "-c",
            &workbook.display().to_string(),
            &command,
        ]);
        assert!(out.status.success(), "tmux: {:?}", out);
        screen
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is installed")
    }

    /// A tmux format (`#{alternate_on}`, `#{cursor_flag}`, …) for the pane, as tmux prints it.
    pub fn pane(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// What the terminal shows now.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p"]).stdout).into_owned()
    }

    /// The screen and what scrolled off it (after the watcher left its alternate screen).
    pub fn text_with_history(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-S", "-200"]).stdout)
            .into_owned()
    }

    /// Waits until the screen satisfies `ok`; fails the test with the screen after PATIENCE.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = self.text();
            if ok(&text) {
                return text;
            }
            if Instant::now() > deadline {
                panic!("waited for {what}; the screen shows:\n{text}");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen shows `needle`.
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("`{needle}`"), |t| t.contains(needle))
    }

    /// Waits for a verdict (the status line's "check #N") numbered at least `n`, with no
    /// check running.
    pub fn wait_for_check(&self, n: u64) -> String {
        self.wait_until(&format!("check #{n} or later"), |t| {
            check_number(t).is_some_and(|k| k >= n)
        })
    }

    /// Sends keys (tmux key names: "n", "Escape", "C-c").
    pub fn keys(&self, keys: &str) {
        let out = self.tmux(&["send-keys", keys]);
        assert!(out.status.success(), "send-keys: {out:?}");
    }

    pub fn resize(&self, width: u16, height: u16) {
        let out = self.tmux(&[
            "resize-window",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        assert!(out.status.success(), "resize-window: {out:?}");
    }

    /// True once the watcher's process has ended.
    pub fn exited(&self) -> bool {
        let out = self.tmux(&["list-panes", "-F", "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() != "0"
    }

    pub fn wait_exit(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.exited() {
            assert!(
                Instant::now() < deadline,
                "the watcher did not exit:\n{}",
                self.text()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Closes the terminal, as closing the window does (the watcher gets SIGHUP).
    pub fn close_terminal(&self) {
        self.tmux(&["kill-server"]);
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// The number in the status line's "check #N took …", shown when a verdict is on screen
/// and no check runs.
pub fn check_number(screen: &str) -> Option<u64> {
    let at = screen.find("check #")? + "check #".len();
    let digits: String = screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Processes whose working directory is inside `dir` (test binaries run in their crate's
/// folder; the watcher in the workbook's root).
pub fn processes_in(dir: &Path) -> Vec<String> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Ok(cwd) = std::fs::read_link(entry.path().join("cwd"))
            && cwd.starts_with(&dir)
        {
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            found.push(format!(
                "{name}: {}",
                String::from_utf8_lossy(&cmdline).replace('\0', " ")
            ));
        }
    }
    found
}

/// Waits (up to 15 s) until no process works inside `dir`; fails with the ones left.
pub fn assert_no_processes_in(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let left = processes_in(dir);
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "processes left behind: {left:#?}"
        );
        thread::sleep(Duration::from_millis(100));
    }
}
