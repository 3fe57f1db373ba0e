//! The workbook: info.toml parsed and validated, and where each exercise lives on disk.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file that lists the exercises, at the workbook's root.
pub const INFO_FILE: &str = "info.toml";

/// The `format_version` this checker reads.
pub const FORMAT_VERSION: u32 = 1;

/// The topic tags of the curriculum; an exercise's `topic` must be one of them.
pub const TOPICS: &[&str] = &[
    "threads-join",
    "send-sync",
    "lost-update",
    "check-then-act",
    "cas-loop",
    "once-init",
    "optimistic-concurrency",
    "memory-ordering",
    "spinlock",
    "lock-ordering",
    "reentrant-lock",
    "dining-philosophers",
    "lock-during-blocking",
    "rwlock",
    "condvar-while",
    "lost-wakeup",
    "notify-all",
    "bounded-queue",
    "semaphore",
    "barrier",
];

/// One of the checks an exercise runs, in pipeline order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// The exercise and its tests compile.
    Build,
    /// The stress tests pass on real threads.
    Stress,
    /// The loom model tests pass under every explored interleaving.
    Loom,
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Build => "build",
            Check::Stress => "stress",
            Check::Loom => "loom",
        }
    }

    /// The test file (under `tests/`) this check runs, if it runs one.
    pub fn test_file(self) -> Option<&'static str> {
        match self {
            Check::Build => None,
            Check::Stress => Some("stress"),
            Check::Loom => Some("loom"),
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InfoFile {
    format_version: Spanned<u32>,
    welcome_message: String,
    final_message: String,
    #[serde(default)]
    exercises: Vec<Spanned<ExerciseEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseEntry {
    name: Spanned<String>,
    dir: Spanned<String>,
    topic: Spanned<String>,
    checks: Spanned<Vec<Check>>,
    caught_by: Spanned<Check>,
    hint: Spanned<String>,
    preemption_bound: Option<u32>,
    stress_timeout_secs: Option<u64>,
    loom_timeout_secs: Option<u64>,
    points: Option<u32>,
    unsafe_allowed: Option<bool>,
}

/// One exercise as info.toml describes it.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// Position in the workbook, from 1.
    pub number: usize,
    /// Unique snake_case name; also the crate's package name.
    pub name: String,
    /// The crate's folder relative to `exercises/` (and its solution's, relative to `solutions/`).
    pub dir: String,
    pub topic: String,
    /// The checks to run, in pipeline order.
    pub checks: Vec<Check>,
    /// The check that must catch the shipped bug.
    pub caught_by: Check,
    pub hint: String,
    pub preemption_bound: Option<u32>,
    pub stress_timeout_secs: u64,
    pub loom_timeout_secs: u64,
    pub points: u32,
    /// The exercise's contract needs `unsafe` (an `unsafe impl Sync`, an `UnsafeCell`
    /// access): grading takes `unsafe` in a submission only for these.
    pub unsafe_allowed: bool,
}

/// Per-test-process limits when info.toml says nothing.
pub const DEFAULT_STRESS_TIMEOUT_SECS: u64 = 60;
pub const DEFAULT_LOOM_TIMEOUT_SECS: u64 = 60;

impl Exercise {
    /// The crate's folder relative to the workbook root, with `/` separators.
    pub fn crate_path(&self) -> String {
        format!("exercises/{}", self.dir)
    }

    /// The learner's source file relative to the workbook root.
    pub fn source_path(&self) -> String {
        format!("exercises/{}/src/lib.rs", self.dir)
    }

    /// The solution folder relative to the workbook root.
    pub fn solution_dir(&self) -> String {
        format!("solutions/{}", self.dir)
    }

    /// The per-test-process time limit of a check.
    pub fn test_timeout_secs(&self, check: Check) -> u64 {
        match check {
            Check::Loom => self.loom_timeout_secs,
            _ => self.stress_timeout_secs,
        }
    }
}

/// The parsed workbook and where it is.
#[derive(Debug, Clone)]
pub struct Workbook {
    pub root: PathBuf,
    pub welcome_message: String,
    pub final_message: String,
    pub exercises: Vec<Exercise>,
}

impl Workbook {
    /// Finds the workbook root: `explicit` if given, else the nearest folder at or above
    /// the current one that holds an info.toml.
    pub fn locate(explicit: Option<&Path>) -> Result<PathBuf> {
        if let Some(root) = explicit {
            if !root.join(INFO_FILE).is_file() {
                bail!(
                    "{} has no {INFO_FILE}: is it a racelings workbook?",
                    root.display()
                );
            }
            return Ok(root.to_path_buf());
        }
        let cwd = std::env::current_dir().context("reading the current directory")?;
        for dir in cwd.ancestors() {
            if dir.join(INFO_FILE).is_file() && dir.join("exercises").is_dir() {
                return Ok(dir.to_path_buf());
            }
        }
        bail!(
            "no {INFO_FILE} here or in any folder above {}: run racelings inside the workbook \
             (the folder with info.toml and exercises/), or pass --root",
            cwd.display()
        )
    }

    /// Reads and validates `root/info.toml`.
    pub fn load(root: &Path) -> Result<Workbook> {
        let path = root.join(INFO_FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Self::parse(root, &path, &text)
    }

    /// Parses info.toml text; errors name `path:line:col`.
    pub fn parse(root: &Path, path: &Path, text: &str) -> Result<Workbook> {
        let at = |span: std::ops::Range<usize>| SourcePos::of(path, text, span.start);
        let info: InfoFile = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| at(s).to_string());
            let pos = pos.unwrap_or_else(|| path.display().to_string());
            anyhow::anyhow!("{pos}: {}", e.message())
        })?;
        if *info.format_version.get_ref() != FORMAT_VERSION {
            bail!(
                "{}: format_version {} is not one this racelings reads (it reads {FORMAT_VERSION})",
                at(info.format_version.span()),
                info.format_version.get_ref()
            );
        }
        let mut exercises: Vec<Exercise> = Vec::new();
        for (i, entry) in info.exercises.into_iter().enumerate() {
            let entry = entry.into_inner();
            let name = entry.name.get_ref();
            if !is_snake_case(name) {
                bail!(
                    "{}: exercise name `{name}` must be snake_case (a-z, 0-9, _), it is also the \
                     crate's package name",
                    at(entry.name.span())
                );
            }
            if exercises.iter().any(|e| &e.name == name) {
                bail!(
                    "{}: a second exercise named `{name}`",
                    at(entry.name.span())
                );
            }
            let dir = entry.dir.get_ref();
            if dir.is_empty()
                || dir.starts_with('/')
                || dir
                    .split('/')
                    .any(|c| c == ".." || c == "." || c.is_empty())
            {
                bail!(
                    "{}: dir `{dir}` must be a relative path inside exercises/, like \
                     \"02_races/03_lost_update\"",
                    at(entry.dir.span())
                );
            }
            let topic = entry.topic.get_ref();
            if !TOPICS.contains(&topic.as_str()) {
                bail!(
                    "{}: unknown topic `{topic}`; the topics are: {}",
                    at(entry.topic.span()),
                    TOPICS.join(", ")
                );
            }
            let mut checks = entry.checks.get_ref().clone();
            checks.sort();
            checks.dedup();
            if checks.is_empty() {
                bail!(
                    "{}: checks must name at least one check",
                    at(entry.checks.span())
                );
            }
            let caught_by = *entry.caught_by.get_ref();
            if !checks.contains(&caught_by) {
                bail!(
                    "{}: caught_by = \"{caught_by}\" is not one of this exercise's checks",
                    at(entry.caught_by.span())
                );
            }
            if entry.hint.get_ref().trim().is_empty() {
                bail!("{}: the hint is empty", at(entry.hint.span()));
            }
            exercises.push(Exercise {
                number: i + 1,
                name: name.clone(),
                dir: dir.clone(),
                topic: topic.clone(),
                checks,
                caught_by,
                hint: entry.hint.get_ref().trim().to_string(),
                preemption_bound: entry.preemption_bound,
                stress_timeout_secs: entry
                    .stress_timeout_secs
                    .unwrap_or(DEFAULT_STRESS_TIMEOUT_SECS),
                loom_timeout_secs: entry.loom_timeout_secs.unwrap_or(DEFAULT_LOOM_TIMEOUT_SECS),
                points: entry.points.unwrap_or(1),
                unsafe_allowed: entry.unsafe_allowed.unwrap_or(false),
            });
        }
        Ok(Workbook {
            root: root.to_path_buf(),
            welcome_message: info.welcome_message.trim().to_string(),
            final_message: info.final_message.trim().to_string(),
            exercises,
        })
    }

    /// The exercises named in `only` (every exercise when it is empty), in workbook order;
    /// an unknown name is an error that suggests the closest one.
    pub fn choose(&self, only: &[String]) -> Result<Vec<&Exercise>> {
        for name in only {
            self.find(name)?;
        }
        Ok(self
            .exercises
            .iter()
            .filter(|e| only.is_empty() || only.contains(&e.name))
            .collect())
    }

    /// The exercise called `name`, or an error that suggests the closest name.
    pub fn find(&self, name: &str) -> Result<&Exercise> {
        if let Some(e) = self.exercises.iter().find(|e| e.name == name) {
            return Ok(e);
        }
        let closest = self
            .exercises
            .iter()
            .map(|e| (strsim::damerau_levenshtein(name, &e.name), &e.name))
            .min();
        match closest {
            Some((distance, best)) if distance <= best.len().max(3) / 2 => {
                bail!(
                    "no exercise named `{name}`; did you mean `{best}`? (`racelings list` shows all)"
                )
            }
            _ => bail!("no exercise named `{name}` (`racelings list` shows all)"),
        }
    }

    /// An exercise's crate folder on disk.
    pub fn crate_dir(&self, exercise: &Exercise) -> PathBuf {
        self.root.join(exercise.crate_path())
    }
}

fn is_snake_case(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A `file:line:col` position in a text file, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePos {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl SourcePos {
    /// The position of byte `offset` in `text`.
    pub fn of(file: &Path, text: &str, offset: usize) -> SourcePos {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        SourcePos {
            file: file.to_path_buf(),
            line,
            column,
        }
    }
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "format_version = 1\nwelcome_message = \"hi\"\nfinal_message = \"bye\"\n";
    const ENTRY: &str = "[[exercises]]\nname = \"lost_update\"\ndir = \"02_races/03_lost_update\"\n\
        topic = \"lost-update\"\nchecks = [\"build\", \"stress\", \"loom\"]\ncaught_by = \"loom\"\n\
        hint = \"look at record\"\n";

    fn parse(text: &str) -> Result<Workbook> {
        Workbook::parse(Path::new("/w"), Path::new("/w/info.toml"), text)
    }

    #[test]
    fn a_valid_entry_parses_with_defaults() {
        let wb = parse(&format!("{HEAD}{ENTRY}")).unwrap();
        let ex = &wb.exercises[0];
        assert_eq!(ex.number, 1);
        assert_eq!(ex.checks, vec![Check::Build, Check::Stress, Check::Loom]);
        assert_eq!(ex.points, 1);
        assert_eq!(
            ex.source_path(),
            "exercises/02_races/03_lost_update/src/lib.rs"
        );
    }

    #[test]
    fn an_unknown_key_names_its_line_and_column() {
        let text = format!("{HEAD}{ENTRY}colour = \"red\"\n");
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.starts_with("/w/info.toml:11:1:"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn a_missing_key_is_an_error_at_its_table() {
        let text = format!("{HEAD}{}", ENTRY.replace("hint = \"look at record\"\n", ""));
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("/w/info.toml:4:"), "{err}");
        assert!(err.contains("hint"), "{err}");
    }

    #[test]
    fn duplicate_names_and_bad_caught_by_are_rejected() {
        let err = parse(&format!("{HEAD}{ENTRY}{ENTRY}"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(":12:8: a second exercise named `lost_update`"),
            "{err}"
        );
        let text = format!(
            "{HEAD}{}",
            ENTRY.replace("[\"build\", \"stress\", \"loom\"]", "[\"build\"]")
        );
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("caught_by = \"loom\" is not one of"), "{err}");
    }

    #[test]
    fn unknown_topic_lists_the_known_ones() {
        let text = format!("{HEAD}{}", ENTRY.replace("lost-update", "lost-updates"));
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains("unknown topic `lost-updates`"), "{err}");
    }

    #[test]
    fn find_suggests_the_closest_name() {
        let wb = parse(&format!("{HEAD}{ENTRY}")).unwrap();
        let err = wb.find("lost_updat").unwrap_err().to_string();
        assert!(err.contains("did you mean `lost_update`"), "{err}");
        let err = wb.find("zzz").unwrap_err().to_string();
        assert!(!err.contains("did you mean"), "{err}");
    }
}
