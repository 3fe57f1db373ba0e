//! The grades of a class and the files graders read: summary.json (everything, and what
//! `grade merge` joins), summary.csv (spreadsheets, LMS import), junit.xml (CI dashboards)
//! and one Gradescope results.json per submission.

use crate::sandbox::Isolation;
use anyhow::{Context, Result, bail};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;

/// The report's format version, for tools that read summary.json.
pub const FORMAT_VERSION: u32 = 1;

/// Everything one grading run (or a merge of shards) found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub format_version: u32,
    pub racelings_version: String,
    /// The graded exercises, in workbook order, with their points.
    pub exercises: Vec<ExerciseInfo>,
    pub max_score: u32,
    /// The isolation test processes ran under.
    pub isolation: Isolation,
    /// `I/N` when this is one shard's report; none once merged or when graded whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// The run's seed, which grader-only tests draw their parameters from
    /// (`RACELINGS_GRADE_SEED` set to it grades again alike); none once merged from shards
    /// that ran with different seeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Sorted by name.
    pub submissions: Vec<SubmissionGrade>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseInfo {
    pub name: String,
    pub points: u32,
}

/// One student's grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmissionGrade {
    pub name: String,
    pub score: u32,
    pub max_score: u32,
    /// Why the submission could not be graded at all (it then scores 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: u64,
    pub exercises: Vec<ExerciseGrade>,
}

/// One exercise of one submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseGrade {
    pub name: String,
    pub score: u32,
    pub max_score: u32,
    /// Every check passed, as `racelings run` would say.
    pub fixed: bool,
    pub status: GradeStatus,
    /// The verdict's kind of failure (`assertion`, `deadlock`, `timeout`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub message: String,
    pub duration_ms: u64,
    /// Per check, what happened: for the student's eyes (Gradescope shows it).
    pub output: String,
}

/// How an exercise of a submission came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeStatus {
    Pass,
    Fail,
    Timeout,
    CompileError,
    /// The submission does not have the exercise's sources.
    Missing,
    /// Its sources may not be graded (a symbolic link, code placed before main, …).
    Refused,
    /// Grading it failed for a reason of the grader's.
    Error,
}

impl GradeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            GradeStatus::Pass => "pass",
            GradeStatus::Fail => "fail",
            GradeStatus::Timeout => "timeout",
            GradeStatus::CompileError => "compile_error",
            GradeStatus::Missing => "missing",
            GradeStatus::Refused => "refused",
            GradeStatus::Error => "error",
        }
    }
}

impl Summary {
    /// Writes summary.json, summary.csv, junit.xml and `<submission>/results.json` to `out`.
    pub fn write_all(&self, out: &Path) -> Result<()> {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        write(
            out,
            "summary.json",
            &(serde_json::to_string_pretty(self)? + "\n"),
        )?;
        write(out, "summary.csv", &self.csv())?;
        write(out, "junit.xml", &self.junit()?)?;
        for s in &self.submissions {
            let dir = out.join(&s.name);
            std::fs::create_dir_all(&dir)?;
            let json = serde_json::to_string_pretty(&gradescope(s, &self.isolation))? + "\n";
            write(&dir, "results.json", &json)?;
        }
        Ok(())
    }

    /// One row per submission, one column per exercise (its points).
    pub fn csv(&self) -> String {
        let mut header = vec!["submission".to_string(), "score".into(), "max_score".into()];
        header.extend(self.exercises.iter().map(|e| e.name.clone()));
        header.push("error".into());
        let mut out = csv_row(&header);
        for s in &self.submissions {
            let mut row = vec![s.name.clone(), s.score.to_string(), s.max_score.to_string()];
            for e in &self.exercises {
                let cell = s
                    .exercises
                    .iter()
                    .find(|g| g.name == e.name)
                    .map_or("0".to_string(), |g| g.score.to_string());
                row.push(cell);
            }
            row.push(s.error.clone().unwrap_or_default());
            out.push_str(&csv_row(&row));
        }
        out
    }

    /// One testsuite per submission, one testcase per exercise.
    pub fn junit(&self) -> Result<String> {
        let mut report = Report::new("racelings");
        for s in &self.submissions {
            let mut suite = TestSuite::new(s.name.as_str());
            suite.set_time(Duration::from_millis(s.duration_ms));
            if let Some(error) = &s.error {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(error.as_str());
                suite.add_test_case(TestCase::new("submission", status));
            }
            for e in &s.exercises {
                let status = if e.fixed {
                    TestCaseStatus::success()
                } else {
                    let kind = match e.status {
                        GradeStatus::Error | GradeStatus::Refused | GradeStatus::Missing => {
                            NonSuccessKind::Error
                        }
                        _ => NonSuccessKind::Failure,
                    };
                    let mut status = TestCaseStatus::non_success(kind);
                    status.set_message(e.message.as_str());
                    status.set_type(e.kind.as_deref().unwrap_or(e.status.as_str()));
                    status.set_description(e.output.as_str());
                    status
                };
                let mut case = TestCase::new(e.name.as_str(), status);
                case.set_classname(s.name.as_str());
                case.set_time(Duration::from_millis(e.duration_ms));
                case.add_property(("score", e.score.to_string().as_str()));
                case.add_property(("max_score", e.max_score.to_string().as_str()));
                suite.add_test_case(case);
            }
            report.add_test_suite(suite);
        }
        Ok(report.to_string()?)
    }

    /// Joins shard reports of one class into one, as if it had been graded whole.
    pub fn merge(parts: Vec<Summary>) -> Result<Summary> {
        let mut parts = parts.into_iter();
        let Some(mut merged) = parts.next() else {
            bail!("nothing to merge");
        };
        for part in parts {
            if part.exercises != merged.exercises {
                bail!(
                    "the reports grade different exercises ({} and {}): were they made with \
                     the same workbook and --only?",
                    names(&merged),
                    names(&part)
                );
            }
            if part.isolation != merged.isolation {
                merged.isolation.notes.push(format!(
                    "a shard ran with other isolation: {}",
                    part.isolation.describe()
                ));
                merged.isolation.notes.dedup();
            }
            if part.seed != merged.seed {
                merged.seed = None;
                merged.isolation.notes.push(
                    "shards ran with different seeds (set RACELINGS_GRADE_SEED for every shard)"
                        .into(),
                );
                merged.isolation.notes.dedup();
            }
            merged.submissions.extend(part.submissions);
        }
        merged.shard = None;
        merged.submissions.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(w) = merged
            .submissions
            .windows(2)
            .find(|w| w[0].name == w[1].name)
        {
            bail!(
                "submission `{}` is in more than one report: were the shards' --shard values \
                 distinct?",
                w[0].name
            );
        }
        Ok(merged)
    }

    /// Reads a report folder's summary.json.
    pub fn read(dir: &Path) -> Result<Summary> {
        let path = dir.join("summary.json");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let summary: Summary =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        if summary.format_version != FORMAT_VERSION {
            bail!(
                "{} has format_version {}, this racelings reads {FORMAT_VERSION}",
                path.display(),
                summary.format_version
            );
        }
        Ok(summary)
    }
}

fn names(s: &Summary) -> String {
    s.exercises
        .iter()
        .map(|e| e.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gradescope's results.json for one submission.
pub fn gradescope(s: &SubmissionGrade, isolation: &Isolation) -> serde_json::Value {
    let mut output = format!(
        "racelings: {} of {} points.\nIsolation: {}\n",
        s.score,
        s.max_score,
        isolation.describe()
    );
    if let Some(error) = &s.error {
        output.push_str(&format!("\nThe submission could not be graded: {error}\n"));
    }
    let tests: Vec<serde_json::Value> = s
        .exercises
        .iter()
        .map(|e| {
            serde_json::json!({
                "name": e.name,
                "score": e.score,
                "max_score": e.max_score,
                "status": if e.fixed { "passed" } else { "failed" },
                "output": e.output,
            })
        })
        .collect();
    serde_json::json!({
        "score": s.score,
        "execution_time": s.duration_ms.div_ceil(1000),
        "output": output,
        "tests": tests,
    })
}

fn csv_row(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

/// Writes a report file through a temporary name, so a reader never sees half of one.
fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(name)).with_context(|| format!("writing {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_with_commas_and_quotes_are_quoted() {
        assert_eq!(
            csv_row(&["a".into(), "b,c".into(), "say \"hi\"".into()]),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }
}
