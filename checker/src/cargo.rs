//! Building exercise crates with cargo: the std build and the loom build, and where the test
//! binaries they produce are.
//!
//! One cargo invocation builds any number of exercise crates (`--keep-going`, so one crate's
//! compile error does not stop the others); its JSON messages are sorted per package into
//! test binaries or rustc's diagnostics.

use crate::runner::{self, CancelToken, Exit, Limits};
use crate::verdict::Location;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Which of the two builds: std for stress tests, loom for model checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Std,
    Loom,
}

impl Flavor {
    /// The loom build lives in its own target dir, so switching never throws away the
    /// std build (RUSTFLAGS differ, and cargo would rebuild everything in one dir).
    pub fn target_dir(self, base: &Path) -> PathBuf {
        match self {
            Flavor::Std => base.to_path_buf(),
            Flavor::Loom => base.join("loom"),
        }
    }

    /// What a learner's screen says while this build runs.
    pub fn building(self) -> &'static str {
        match self {
            Flavor::Std => "building",
            Flavor::Loom => "building the loom model",
        }
    }

    fn test_target(self) -> &'static str {
        match self {
            Flavor::Std => "stress",
            Flavor::Loom => "loom",
        }
    }
}

/// Where and how to build: the workspace holding the crates, and the target dir base.
#[derive(Debug, Clone)]
pub struct BuildEnv {
    pub workspace: PathBuf,
    pub target_base: PathBuf,
    pub timeout: Duration,
}

/// What one package's build gave.
#[derive(Debug, Clone)]
pub enum Built {
    /// The test binary of the flavor's test target.
    Binary(PathBuf),
    /// It did not compile: rustc's rendered diagnostics (with ANSI colors) and the first
    /// error locations.
    CompileError {
        rendered: String,
        locations: Vec<Location>,
    },
}

/// The result of building several packages at once; a package missing from `per_package`
/// failed for a reason `failure` tells (cargo itself failed, timed out, …).
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub per_package: HashMap<String, Built>,
    pub failure: Option<String>,
    pub duration: Duration,
}

impl BuildReport {
    /// The outcome for `package`, or a compile error built from `failure`.
    pub fn get(&self, package: &str) -> Built {
        self.per_package
            .get(package)
            .cloned()
            .unwrap_or_else(|| Built::CompileError {
                rendered: self
                    .failure
                    .clone()
                    .unwrap_or_else(|| "cargo reported nothing for this crate".to_string()),
                locations: Vec::new(),
            })
    }
}

/// Builds the flavor's test target of each package.
pub fn build(
    env: &BuildEnv,
    flavor: Flavor,
    packages: &[&str],
    cancel: Option<&CancelToken>,
) -> Result<BuildReport> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(&cargo);
    cmd.current_dir(&env.workspace)
        .args([
            "build",
            "--keep-going",
            "--message-format=json-diagnostic-rendered-ansi",
        ])
        .env("CARGO_TARGET_DIR", flavor.target_dir(&env.target_base))
        .env("CARGO_TERM_COLOR", "always")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    for p in packages {
        cmd.args(["--package", p]);
    }
    match flavor {
        // Every test target: the build check covers all of the crate's code.
        Flavor::Std => {
            cmd.arg("--tests").env_remove("RUSTFLAGS");
        }
        Flavor::Loom => {
            cmd.args(["--test", "loom", "--profile", "loom"])
                .env("RUSTFLAGS", "--cfg loom");
        }
    }
    let limits = Limits {
        timeout: env.timeout,
        output_cap: 16 * 1024 * 1024,
        ..Limits::default()
    };
    let finished = match runner::run(cmd, &limits, cancel) {
        Ok(f) => f,
        Err(e) if is_not_found(&e) => bail!(
            "cannot run `{}`: is Rust installed and cargo on your PATH? (https://rustup.rs)",
            Path::new(&cargo).display()
        ),
        Err(e) => return Err(e).context("running cargo"),
    };
    let mut report = parse_messages(&finished.stdout, flavor, &env.workspace);
    report.duration = finished.duration;
    match finished.exit {
        Exit::Code(0) => {}
        Exit::TimedOut => {
            report.failure = Some(format!("the build took longer than {:?}", env.timeout))
        }
        Exit::Cancelled => report.failure = Some("the build was cancelled".to_string()),
        _ => {
            // cargo's own errors (a bad manifest, a missing dependency) are on stderr.
            let stderr = finished.stderr.trim();
            report.failure = Some(if stderr.is_empty() {
                "cargo failed without a message".to_string()
            } else {
                stderr.to_string()
            });
        }
    }
    Ok(report)
}

fn is_not_found(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
    })
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    package_id: Option<String>,
    target: Option<Target>,
    executable: Option<PathBuf>,
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    column_start: usize,
    is_primary: bool,
}

/// Sorts cargo's JSON messages per package.
fn parse_messages(stdout: &str, flavor: Flavor, workspace: &Path) -> BuildReport {
    let mut binaries: HashMap<String, PathBuf> = HashMap::new();
    let mut errors: BTreeMap<String, (String, Vec<Location>)> = BTreeMap::new();
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let Ok(msg) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        let Some(package) = msg.package_id.as_deref().map(package_name) else {
            continue;
        };
        match msg.reason.as_str() {
            "compiler-artifact" => {
                if let (Some(t), Some(exe)) = (msg.target, msg.executable)
                    && t.kind.iter().any(|k| k == "test")
                    && t.name == flavor.test_target()
                {
                    binaries.insert(package, exe);
                }
            }
            "compiler-message" => {
                let Some(d) = msg.message else { continue };
                if d.level != "error" {
                    continue;
                }
                let entry = errors.entry(package).or_default();
                // `--tests` compiles the library twice (as itself and as its unit-test
                // harness), so each error arrives twice: keep one.
                if let Some(r) = d.rendered {
                    if entry.0.contains(&r) {
                        continue;
                    }
                    entry.0.push_str(&r);
                }
                for s in d.spans.iter().filter(|s| s.is_primary) {
                    let l = Location::new(
                        relative_to(&s.file_name, workspace),
                        s.line_start,
                        s.column_start,
                    );
                    if !entry.1.contains(&l) {
                        entry.1.push(l);
                    }
                }
            }
            _ => {}
        }
    }
    let mut per_package: HashMap<String, Built> = binaries
        .into_iter()
        .map(|(p, exe)| (p, Built::Binary(exe)))
        .collect();
    for (package, (rendered, locations)) in errors {
        per_package.insert(
            package,
            Built::CompileError {
                rendered,
                locations,
            },
        );
    }
    BuildReport {
        per_package,
        failure: None,
        duration: Duration::ZERO,
    }
}

/// The package name in a cargo package id: `path+file:///…/lost_update#0.1.0` or
/// `path+file:///…/dir#lost_update@0.1.0`.
fn package_name(id: &str) -> String {
    let tail = id.rsplit('/').next().unwrap_or(id);
    let (dir, version) = tail.split_once('#').unwrap_or((tail, ""));
    match version.split_once('@') {
        Some((name, _)) => name.to_string(),
        None => dir.to_string(),
    }
}

fn relative_to(file: &str, workspace: &Path) -> String {
    Path::new(file)
        .strip_prefix(workspace)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| file.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_come_out_of_both_id_forms() {
        assert_eq!(
            package_name("path+file:///w/exercises/02_races/03_lost_update#0.1.0"),
            "03_lost_update"
        );
        assert_eq!(
            package_name("path+file:///w/exercises/02_races/03_lost_update#lost_update@0.1.0"),
            "lost_update"
        );
    }

    #[test]
    fn messages_sort_into_binaries_and_errors() {
        let ws = Path::new("/w");
        let out = [
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/a#a_ex@0.1.0","target":{"name":"stress","kind":["test"]},"executable":"/t/stress-1"}"#,
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/a#a_ex@0.1.0","target":{"name":"a_ex","kind":["lib"]},"executable":null}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/b#b_ex@0.1.0","message":{"level":"error","rendered":"error[E0277]: `Rc<..>` cannot be sent\n","spans":[{"file_name":"exercises/b/src/lib.rs","line_start":12,"column_start":5,"is_primary":true}]}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/b#b_ex@0.1.0","message":{"level":"warning","rendered":"warning: unused\n","spans":[]}}"#,
        ]
        .join("\n");
        let out = format!("{out}\n{}", out.lines().nth(2).unwrap());
        let report = parse_messages(&out, Flavor::Std, ws);
        assert!(matches!(report.get("a_ex"), Built::Binary(p) if p == Path::new("/t/stress-1")));
        match report.get("b_ex") {
            Built::CompileError {
                rendered,
                locations,
            } => {
                assert!(rendered.contains("E0277") && !rendered.contains("unused"));
                assert_eq!(
                    rendered.matches("E0277").count(),
                    1,
                    "one copy of each error"
                );
                assert_eq!(
                    locations,
                    vec![Location::new("exercises/b/src/lib.rs".into(), 12, 5)]
                );
            }
            other => panic!("expected a compile error, got {other:?}"),
        }
    }
}
