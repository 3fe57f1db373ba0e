//! The machine a benchmark ran on: cores, memory, load, toolchain, and today's date.

use crate::runner::{self, Exit, Limits};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What the figures depend on besides racelings itself.
#[derive(Debug, Clone)]
pub struct Machine {
    pub cores: usize,
    pub cpu: String,
    pub memory_gib: f64,
    pub kernel: String,
    pub rustc: String,
    pub loom: String,
    /// The checker's own build: `debug` (what `cargo racelings` runs) or `release`.
    pub checker_build: &'static str,
    pub commit: String,
    /// The 1-minute load average when the benchmark started.
    pub load_at_start: f64,
}

impl Machine {
    pub fn probe(workbook_root: &Path) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, m)| m.trim().to_string())
            .unwrap_or_else(|| "unknown cpu".to_string());
        let memory_kib: f64 = std::fs::read_to_string("/proc/meminfo")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|l| l.split_whitespace().next()?.parse().ok())
            .unwrap_or(0.0);
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu,
            memory_gib: memory_kib / (1024.0 * 1024.0),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|s| format!("Linux {}", s.trim()))
                .unwrap_or_else(|_| std::env::consts::OS.to_string()),
            rustc: first_line_of(Command::new("rustc").arg("--version"))
                .unwrap_or_else(|| "rustc (unknown version)".to_string()),
            loom: locked_version(workbook_root, "loom")
                .map(|v| format!("loom {v}"))
                .unwrap_or_else(|| "loom (not locked)".to_string()),
            checker_build: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            commit: first_line_of(Command::new("git").current_dir(workbook_root).args([
                "rev-parse",
                "--short",
                "HEAD",
            ]))
            // An export of the repository (say, a clean copy for benchmarking) has no git;
            // RACELINGS_COMMIT then names what it was exported from.
            .or_else(|| std::env::var("RACELINGS_COMMIT").ok())
            .unwrap_or_else(|| "a copy outside git (RACELINGS_COMMIT would name it)".to_string()),
            load_at_start: load_average(),
        }
    }

    /// One Markdown line.
    pub fn describe(&self) -> String {
        format!(
            "{} cores ({}), {:.0} GiB memory, {}, {}, {}, racelings {} build at {}; load \
             average {:.1} at the start, {:.1} at the end",
            self.cores,
            self.cpu,
            self.memory_gib,
            self.kernel,
            self.rustc,
            self.loom,
            self.checker_build,
            self.commit,
            self.load_at_start,
            load_average()
        )
    }
}

/// The 1-minute load average (0 where /proc has none).
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

fn first_line_of(cmd: &mut Command) -> Option<String> {
    let cmd = std::mem::replace(cmd, Command::new("true"));
    let limits = Limits {
        timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let finished = runner::run(cmd, &limits, None).ok()?;
    (finished.exit == Exit::Code(0)).then(|| {
        finished
            .stdout
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    })
}

/// The version of `package` in the workbook's Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Option<String> {
    let lock: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.lock")).ok()?).ok()?;
    lock.get("package")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(package))?
        .get("version")?
        .as_str()
        .map(str::to_string)
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn day_counts_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
    }
}
