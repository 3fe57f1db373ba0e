//! The learner's progress: which exercises are done and which one is current, kept in a
//! small TOML file at the workbook root. Written atomically (a temp file renamed over the
//! old one); a missing or corrupt file means "no progress yet", never an error.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The state file's name, at the workbook root.
pub const STATE_FILE: &str = ".racelings-state.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The exercise the learner is on, if they picked one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Names of the exercises that passed every check.
    #[serde(default)]
    pub done: BTreeSet<String>,
}

/// What loading found, besides the progress itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    Fresh,
    Read,
    /// The file could not be read; it was moved aside to this path and progress starts over.
    Recovered {
        backup: PathBuf,
        reason: String,
    },
}

impl Progress {
    /// Reads the state file of the workbook at `root`.
    pub fn load(root: &Path) -> (Progress, Loaded) {
        let path = root.join(STATE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Progress::default(), Loaded::Fresh);
            }
            Err(e) => return (Progress::default(), Self::move_aside(&path, e.to_string())),
        };
        match toml::from_str::<Progress>(&text) {
            Ok(p) => (p, Loaded::Read),
            Err(e) => (
                Progress::default(),
                Self::move_aside(&path, e.message().to_string()),
            ),
        }
    }

    fn move_aside(path: &Path, reason: String) -> Loaded {
        let backup = path.with_extension("toml.corrupt");
        let _ = std::fs::rename(path, &backup);
        Loaded::Recovered { backup, reason }
    }

    /// Writes the state file atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        let path = root.join(STATE_FILE);
        let text = toml::to_string(self).context("encoding progress")?;
        let mut tmp = tempfile::NamedTempFile::new_in(root)
            .with_context(|| format!("creating a temporary file in {}", root.display()))?;
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }

    /// Records `name` as done (or not) after a run.
    pub fn record(&mut self, name: &str, fixed: bool) {
        if fixed {
            self.done.insert(name.to_string());
        } else {
            self.done.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_recovers_from_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let (p, how) = Progress::load(dir.path());
        assert_eq!((p.clone(), how), (Progress::default(), Loaded::Fresh));
        let mut p = p;
        p.record("lost_update", true);
        p.current = Some("lock_ordering".into());
        p.save(dir.path()).unwrap();
        assert_eq!(Progress::load(dir.path()), (p, Loaded::Read));

        std::fs::write(dir.path().join(STATE_FILE), "done = [unterminated").unwrap();
        let (p, how) = Progress::load(dir.path());
        assert_eq!(p, Progress::default());
        assert!(matches!(how, Loaded::Recovered { .. }));
        assert!(
            dir.path().join(".racelings-state.toml.corrupt").exists(),
            "the bad file is kept"
        );
    }
}
