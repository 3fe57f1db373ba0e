//! Which saves matter: a notify watcher over `exercises/` (the OS's notifications, or polling
//! when asked or when notifications cannot be had), debounced so that one save is one event
//! however the editor writes it, and filtered to the current exercise's sources. A
//! fingerprint of those sources tells a real change from a save that changed nothing.

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_mini::{
    Config, DebounceEventResult, DebouncedEventKind, Debouncer, new_debouncer_opt,
};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the files must stay quiet before a burst of events counts as one save. Editors
/// write, rename and delete within a few milliseconds of each other; every save waits this
/// long before its check starts, so it is kept short (a save split by a longer pause costs
/// one cancelled check, never a wrong verdict).
pub const QUIET: Duration = Duration::from_millis(50);
/// How often the polling watcher looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// What the watcher says.
#[derive(Debug)]
pub enum Change {
    /// Something in the watched exercise changed (or its folder came or went).
    Sources,
    /// The watcher reported an error; watching may have stopped.
    Failed(String),
}

/// The running watcher; dropping it stops watching.
pub struct FileWatcher {
    _debouncer: Box<dyn Send>,
    watched: Arc<Mutex<PathBuf>>,
    /// True when the polling watcher is in use.
    pub polling: bool,
}

impl FileWatcher {
    /// Watches `exercises` (recursively) and reports changes under `crate_dir` to `on_change`.
    /// With `poll`, or when the OS's notifications are not available, polls instead.
    pub fn start(
        exercises: &Path,
        crate_dir: PathBuf,
        poll: bool,
        on_change: impl Fn(Change) + Send + Sync + 'static,
    ) -> notify::Result<FileWatcher> {
        let watched = Arc::new(Mutex::new(crate_dir));
        let handler = {
            let watched = Arc::clone(&watched);
            move |result: DebounceEventResult| match result {
                Ok(events) => {
                    let dir = watched.lock().expect("watched path").clone();
                    if events
                        .iter()
                        .any(|e| e.kind == DebouncedEventKind::Any && is_relevant(&dir, &e.path))
                    {
                        on_change(Change::Sources);
                    }
                }
                Err(err) => on_change(Change::Failed(err.to_string())),
            }
        };
        let config = Config::default()
            .with_timeout(QUIET)
            .with_batch_mode(false)
            .with_notify_config(
                notify::Config::default()
                    .with_poll_interval(POLL_INTERVAL)
                    .with_compare_contents(true),
            );
        let handler = Arc::new(handler);
        if !poll {
            let h = Arc::clone(&handler);
            let native = new_debouncer_opt::<_, RecommendedWatcher>(config.clone(), move |r| h(r))
                .and_then(|d| watch(d, exercises));
            if let Ok(debouncer) = native {
                return Ok(FileWatcher {
                    _debouncer: Box::new(debouncer),
                    watched,
                    polling: false,
                });
            }
        }
        let polling = new_debouncer_opt::<_, PollWatcher>(config, move |r| handler(r))
            .and_then(|d| watch(d, exercises))?;
        Ok(FileWatcher {
            _debouncer: Box::new(polling),
            watched,
            polling: true,
        })
    }

    /// Follows another exercise from now on.
    pub fn follow(&self, crate_dir: PathBuf) {
        *self.watched.lock().expect("watched path") = crate_dir;
    }
}

fn watch<W: Watcher>(mut d: Debouncer<W>, dir: &Path) -> notify::Result<Debouncer<W>> {
    d.watcher().watch(dir, RecursiveMode::Recursive)?;
    Ok(d)
}

/// True for the files a check reads (Rust sources and the manifest) in the exercise's crate,
/// and for the crate's folder or a folder above it (removed or put back whole). Editors'
/// swap, backup and temporary files are not.
pub fn is_relevant(crate_dir: &Path, path: &Path) -> bool {
    if crate_dir.starts_with(path) {
        return true;
    }
    let Ok(inside) = path.strip_prefix(crate_dir) else {
        return false;
    };
    if inside.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c.starts_with('.') || c == "target"
    }) {
        return false;
    }
    is_source_name(inside)
}

fn is_source_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name == "Cargo.toml" || path.extension().is_some_and(|e| e == "rs")
}

/// A hash of the exercise's sources (names and contents); equal fingerprints mean the check
/// would see the same code. A missing folder has a fingerprint too.
pub fn fingerprint(crate_dir: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    let mut files = Vec::new();
    collect(crate_dir, crate_dir, &mut files);
    files.sort();
    for relative in files {
        relative.hash(&mut hasher);
        std::fs::read(crate_dir.join(&relative))
            .unwrap_or_default()
            .hash(&mut hasher);
    }
    hasher.finish()
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !is_relevant(root, &path) && !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(root, &path, files),
            Ok(_) => {
                if let Ok(relative) = path.strip_prefix(root) {
                    files.push(relative.to_path_buf());
                }
            }
            Err(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_count_and_editor_files_do_not() {
        let dir = Path::new("/w/exercises/02_races/03_lost_update");
        for yes in ["src/lib.rs", "tests/stress.rs", "Cargo.toml", "src/a/b.rs"] {
            assert!(is_relevant(dir, &dir.join(yes)), "{yes}");
        }
        for no in [
            "src/.lib.rs.swp",
            "src/lib.rs~",
            "src/4913",
            "src/.#lib.rs",
            "target/debug/x.rs",
            "src/lib.rs.tmp",
        ] {
            assert!(!is_relevant(dir, &dir.join(no)), "{no}");
        }
        // The folder itself, or one above it, removed or put back.
        assert!(is_relevant(dir, dir));
        assert!(is_relevant(dir, Path::new("/w/exercises/02_races")));
        // Another exercise.
        assert!(!is_relevant(
            dir,
            Path::new("/w/exercises/02_races/04_check_then_act/src/lib.rs")
        ));
    }

    #[test]
    fn fingerprints_follow_content() {
        let dir = tempfile::tempdir().unwrap();
        let missing = fingerprint(&dir.path().join("gone"));
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/lib.rs"), "fn a() {}").unwrap();
        let a = fingerprint(dir.path());
        assert_ne!(a, missing);
        std::fs::write(dir.path().join("src/.lib.rs.swp"), "noise").unwrap();
        assert_eq!(fingerprint(dir.path()), a, "swap files do not count");
        std::fs::write(dir.path().join("src/lib.rs"), "fn b() {}").unwrap();
        assert_ne!(fingerprint(dir.path()), a);
        std::fs::write(dir.path().join("src/lib.rs"), "fn a() {}").unwrap();
        assert_eq!(fingerprint(dir.path()), a, "the same code again");
    }
}
