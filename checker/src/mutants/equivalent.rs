//! `solutions/<dir>/equivalent_mutants.toml`: the mutants no test can catch, each with the
//! sentence that shows it changes nothing a test could observe; and, apart from them, the
//! known gaps: mutants a test should catch and none does yet, each with what is missing.
//! A gap is a work list, never a reason: `dev mutants` counts gaps apart and says so.
//!
//! ```toml
//! [[equivalent]]
//! file = "src/lib.rs"                          # or "alt/<file>.rs"
//! function = "JobQueue::take"
//! change = "`notify_all` → `notify_one`"       # as `racelings dev mutants` prints it
//! why = "Only one thread ever waits on `not_full` …"
//!
//! [[gap]]
//! file = "alt/one_condvar_notify_all.rs"
//! function = "JobQueue::take"
//! change = "`jobs` released after its first use and taken again"
//! why = "No model lets a second worker take the job between the check and the pop …"
//! ```

use crate::workbook::SourcePos;
use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use std::path::Path;

/// The file in a solution folder that lists its equivalent mutants.
pub const EQUIVALENT_FILE: &str = "equivalent_mutants.toml";

/// One listed mutant.
#[derive(Debug, Clone)]
pub struct Equivalent {
    /// `src/lib.rs` or `alt/<file>.rs`, relative to the solution folder.
    pub file: String,
    pub function: String,
    pub change: String,
    pub why: String,
    /// A known gap in the tests rather than a mutant no test could catch.
    pub gap: bool,
    /// Where the entry is, for messages about it.
    pub at: SourcePos,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    #[serde(default)]
    equivalent: Vec<toml::Spanned<Entry>>,
    #[serde(default)]
    gap: Vec<toml::Spanned<Entry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    function: String,
    change: String,
    why: String,
}

/// The entries of `path`; none when the file does not exist. Errors name `path:line:col`.
pub fn load(path: &Path) -> Result<Vec<Equivalent>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    parse(path, &text)
}

fn parse(path: &Path, text: &str) -> Result<Vec<Equivalent>> {
    let list: ListFile = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| SourcePos::of(path, text, s.start).to_string());
        anyhow!(
            "{}: {}",
            at.unwrap_or_else(|| path.display().to_string()),
            e.message()
        )
    })?;
    let mut out = Vec::new();
    let entries = list
        .equivalent
        .into_iter()
        .map(|e| (e, false))
        .chain(list.gap.into_iter().map(|e| (e, true)));
    for (spanned, gap) in entries {
        let at = SourcePos::of(path, text, spanned.span().start);
        let entry = spanned.into_inner();
        let alt = entry
            .file
            .strip_prefix("alt/")
            .is_some_and(|f| f.ends_with(".rs") && !f.contains('/'));
        if entry.file != "src/lib.rs" && !alt {
            bail!(
                "{at}: `file` is `{}`; it names `src/lib.rs` or `alt/<file>.rs` of this solution",
                entry.file
            );
        }
        if entry.why.split_whitespace().count() < 5 {
            bail!(
                "{at}: `why` must say, in a sentence a reader can check, why no test can tell \
                 this mutant from the original"
            );
        }
        out.push(Equivalent {
            file: entry.file,
            function: entry.function,
            change: entry.change,
            why: entry.why.trim().to_string(),
            gap,
            at,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_with_where_they_are() {
        let text = "[[equivalent]]\nfile = \"alt/two_condvars.rs\"\nfunction = \"Queue::take\"\n\
                    change = \"`notify_all` → `notify_one`\"\n\
                    why = \"only one thread ever waits on this condition variable\"\n";
        let list = parse(Path::new("eq.toml"), text).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].function, "Queue::take");
        assert_eq!(list[0].at.to_string(), "eq.toml:1:1");
    }

    #[test]
    fn mistakes_are_named_with_their_place() {
        let unknown = "[[equivalent]]\nfile = \"src/lib.rs\"\nfunction = \"f\"\nchange = \"x\"\n\
                       why = \"a b c d e\"\nreason = \"x\"\n";
        let err = parse(Path::new("eq.toml"), unknown)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("eq.toml:"), "{err}");
        assert!(err.contains("reason"), "{err}");

        let bad_file = "[[equivalent]]\nfile = \"tests/loom.rs\"\nfunction = \"f\"\n\
                        change = \"x\"\nwhy = \"a b c d e\"\n";
        let err = parse(Path::new("eq.toml"), bad_file)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("eq.toml:1:1: `file`"), "{err}");

        let no_reason = "[[equivalent]]\nfile = \"src/lib.rs\"\nfunction = \"f\"\n\
                         change = \"x\"\nwhy = \"same\"\n";
        let err = parse(Path::new("eq.toml"), no_reason)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`why`"), "{err}");
    }

    #[test]
    fn no_file_lists_nothing() {
        assert!(
            load(Path::new("/nonexistent/equivalent_mutants.toml"))
                .unwrap()
                .is_empty()
        );
    }
}
