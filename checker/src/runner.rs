//! One child process, run to completion or to its limits, in its own process group.
//!
//! Knows nothing about exercises: it takes a command and limits and returns what happened.
//! The whole group is killed when the leader ends, times out or the caller gives up, so a
//! test binary's stray threads or children never outlive it. Output is drained continuously
//! (a full pipe never blocks the child) and kept up to a cap.

use crate::sandbox::Sandbox;
use anyhow::{Context, Result};
use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Limits on one child process.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock time before the group is killed.
    pub timeout: Duration,
    /// Bytes kept of stdout and of stderr, each; the rest is read and dropped.
    pub output_cap: usize,
    /// CPU time, all threads together (RLIMIT_CPU): past it the kernel ends the process.
    pub cpu: Option<Duration>,
    /// Writable memory the process may map: heap, thread stacks, anonymous maps (RLIMIT_DATA).
    pub memory_bytes: Option<u64>,
    /// Processes and threads of the child's user (RLIMIT_NPROC). The kernel exempts root,
    /// so for a root caller it binds only with a sandbox's private uid.
    pub processes: Option<u64>,
    /// The largest file the child may write (RLIMIT_FSIZE).
    pub file_size_bytes: Option<u64>,
    /// Isolation from the rest of the machine (see `sandbox`); the child's TMPDIR becomes
    /// the sandbox's scratch folder, and whatever the run leaves behind is killed.
    pub sandbox: Option<Arc<Sandbox>>,
    /// A descriptor of this process the child gets at another number, open across exec
    /// (from, to): handed over last, once the sandbox is entered.
    pub hand_over: Option<(i32, i32)>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(60),
            output_cap: 256 * 1024,
            cpu: None,
            memory_bytes: None,
            processes: None,
            file_size_bytes: None,
            sandbox: None,
            hand_over: None,
        }
    }
}

impl Limits {
    /// The resource limits to set in the child, as (resource, value) pairs.
    fn rlimits(&self) -> Vec<(Resource, u64)> {
        let mut set = Vec::new();
        if let Some(cpu) = self.cpu {
            set.push((Resource::RLIMIT_CPU, cpu.as_secs().max(1)));
        }
        if let Some(bytes) = self.memory_bytes {
            set.push((Resource::RLIMIT_DATA, bytes));
        }
        if let Some(n) = self.processes {
            set.push((Resource::RLIMIT_NPROC, n));
        }
        if let Some(bytes) = self.file_size_bytes {
            set.push((Resource::RLIMIT_FSIZE, bytes));
        }
        if self.sandbox.is_some() {
            set.push((Resource::RLIMIT_CORE, 0));
        }
        set
    }
}

/// How the child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it (SIGABRT = 6, SIGKILL = 9, SIGSEGV = 11).
    Signal(i32),
    /// It ran past its time limit and was killed.
    TimedOut,
    /// The caller cancelled the run and the group was killed.
    Cancelled,
}

/// What a finished child left behind.
#[derive(Debug, Clone)]
pub struct Finished {
    pub exit: Exit,
    pub stdout: String,
    pub stderr: String,
    /// True when either stream went past the cap and was cut.
    pub truncated: bool,
    pub duration: Duration,
}

/// A flag another thread sets to stop a run (the watcher does, when the file changes).
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

// The watcher cancels runs when a file changes; until then only tests do.
#[cfg_attr(not(test), allow(dead_code))]
impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// How often the leader is polled; also the latency of a cancel.
const POLL: Duration = Duration::from_millis(5);
/// The longest unfinished line a tap holds on to while it waits for the line's end.
const MAX_TAPPED_LINE: usize = 64 * 1024;
/// How long to wait for the pipes to close after the group was killed.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Runs `command` to its end or its limits. An error means it could not be started.
pub fn run(command: Command, limits: &Limits, cancel: Option<&CancelToken>) -> Result<Finished> {
    run_with_input(command, None, limits, cancel, None)
}

/// Lines of a child's stderr handed to a front end while the child runs (live progress),
/// as well as kept in [`Finished::stderr`].
pub struct Tap<'a> {
    /// Only lines that start with this are handed on.
    pub prefix: &'static str,
    pub on_line: &'a (dyn Fn(&str) + Sync),
}

/// [`run`], with `input` written to the child's stdin and then closed (without it, stdin is
/// empty), and the stderr lines `tap` asks for handed to it as they arrive.
pub fn run_with_input(
    mut command: Command,
    input: Option<&[u8]>,
    limits: &Limits,
    cancel: Option<&CancelToken>,
    tap: Option<&Tap<'_>>,
) -> Result<Finished> {
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // The child leads a new process group: everything it starts can be killed at once.
        .process_group(0);
    let rlimits = limits.rlimits();
    let lease = limits
        .sandbox
        .as_ref()
        .map(|s| s.lease(std::path::Path::new(command.get_program())));
    if let Some(sandbox) = &limits.sandbox {
        command.env("TMPDIR", sandbox.scratch());
    }
    let entry = lease.as_ref().map(|l| l.entry);
    let hand_over = limits.hand_over;
    if !rlimits.is_empty() || entry.is_some() || hand_over.is_some() {
        // SAFETY: between fork and exec only system calls run: setrlimit, `Entry::enter`,
        // dup2 and fcntl.
        unsafe {
            command.pre_exec(move || {
                for &(resource, value) in &rlimits {
                    setrlimit(resource, value, value).map_err(std::io::Error::from)?;
                }
                if let Some(entry) = entry {
                    entry.enter()?;
                }
                if let Some((from, to)) = hand_over {
                    let r = if from == to {
                        libc::fcntl(from, libc::F_SETFD, 0)
                    } else {
                        libc::dup2(from, to)
                    };
                    if r < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
    let started = Instant::now();
    let spawned = command
        .spawn()
        .with_context(|| format!("starting `{program}`"));
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) => {
            if let (Some(sandbox), Some(lease)) = (&limits.sandbox, lease) {
                sandbox.release(lease);
            }
            return Err(err);
        }
    };
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        // A small write into an empty pipe never blocks; a child that exits early is fine.
        let _ = stdin.write_all(input);
    }
    let group = Pid::from_raw(child.id() as i32);
    let _live = LiveGroup::register(group);
    let (tx, rx) = mpsc::channel();
    // The drains outlive this call when a process that left the group keeps a pipe open, so
    // they cannot call the tap (it borrows); they send its lines here, and the wait below
    // hands them on.
    let (tapped_tx, tapped) = mpsc::channel::<String>();
    for (stream, reader) in [
        (
            Stream::Out,
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ),
        (
            Stream::Err,
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ),
    ] {
        let tx = tx.clone();
        let cap = limits.output_cap;
        let tap = match (stream, tap) {
            (Stream::Err, Some(tap)) => Some((tap.prefix, tapped_tx.clone())),
            _ => None,
        };
        if let Some(reader) = reader {
            thread::spawn(move || {
                let _ = tx.send((stream, drain(reader, cap, tap)));
            });
        }
    }
    drop(tx);
    drop(tapped_tx);
    let hand_on = || {
        if let Some(tap) = tap {
            for line in tapped.try_iter() {
                (tap.on_line)(&line);
            }
        }
    };

    let exit = loop {
        if let Some(status) = child.try_wait().context("waiting for the child")? {
            break exit_of(status);
        }
        if cancel.is_some_and(CancelToken::is_cancelled) {
            kill_group(group);
            let _ = child.wait();
            break Exit::Cancelled;
        }
        if started.elapsed() >= limits.timeout {
            kill_group(group);
            let _ = child.wait();
            break Exit::TimedOut;
        }
        hand_on();
        thread::sleep(POLL);
    };
    let duration = started.elapsed();
    // The leader is gone; whatever it left running in its group goes too, which also closes
    // the pipes those processes inherited. A sandboxed run's uid is swept as well, for
    // processes that left the group.
    kill_group(group);
    if let (Some(sandbox), Some(lease)) = (&limits.sandbox, lease) {
        sandbox.release(lease);
    }

    let mut out = Drained::default();
    let mut err = Drained::default();
    let deadline = Instant::now() + DRAIN_GRACE;
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((Stream::Out, d)) => out = d,
            Ok((Stream::Err, d)) => err = d,
            // A process that left the group still holds a pipe: keep what we have.
            Err(_) => break,
        }
    }
    Ok(Finished {
        exit,
        truncated: out.truncated || err.truncated,
        stdout: String::from_utf8_lossy(&out.kept).into_owned(),
        stderr: String::from_utf8_lossy(&err.kept).into_owned(),
        duration,
    })
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

#[derive(Default)]
struct Drained {
    kept: Vec<u8>,
    truncated: bool,
}

/// Reads a stream to its end, keeping up to `cap` bytes; with a tap, every whole line that
/// starts with its prefix is also sent on as it arrives (past the cap too: progress goes on
/// after the kept output is full).
fn drain(
    mut reader: Box<dyn Read + Send>,
    cap: usize,
    tap: Option<(&'static str, mpsc::Sender<String>)>,
) -> Drained {
    let mut drained = Drained::default();
    let mut buf = [0u8; 16 * 1024];
    // The tail of the last read that is not a whole line yet (tapped streams only).
    let mut partial: Vec<u8> = Vec::new();
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => return drained,
            Ok(n) => {
                if let Some((prefix, lines)) = &tap {
                    partial.extend_from_slice(&buf[..n]);
                    if let Some(end) = partial.iter().rposition(|&b| b == b'\n') {
                        for line in partial[..end].split(|&b| b == b'\n') {
                            if line.starts_with(prefix.as_bytes()) {
                                let _ = lines.send(String::from_utf8_lossy(line).into_owned());
                            }
                        }
                        partial.drain(..=end);
                    }
                    // Endless output without a line break is not held on to.
                    if partial.len() > MAX_TAPPED_LINE {
                        partial.clear();
                    }
                }
                let room = cap.saturating_sub(drained.kept.len());
                drained.kept.extend_from_slice(&buf[..n.min(room)]);
                if n > room {
                    drained.truncated = true;
                }
            }
        }
    }
}

/// The process groups of the runs in flight, so that a signal to racelings can end them
/// too: they are in groups of their own, out of reach of the terminal's Ctrl-C.
static LIVE_GROUPS: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

/// A run's entry in [`LIVE_GROUPS`], removed when the run is over.
struct LiveGroup(Pid);

impl LiveGroup {
    fn register(group: Pid) -> LiveGroup {
        LIVE_GROUPS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(group);
        LiveGroup(group)
    }
}

impl Drop for LiveGroup {
    fn drop(&mut self) {
        LIVE_GROUPS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|g| *g != self.0);
    }
}

/// Kills every run in flight. For a front end that is stopping (the watcher on `q`).
pub fn kill_all_runs() {
    for group in LIVE_GROUPS.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        kill_group(*group);
    }
}

/// On SIGINT, SIGTERM or SIGHUP, kills every run in flight and exits with 128 + the signal,
/// so that no cargo or test process outlives racelings. For commands without a terminal UI
/// of their own (the watcher handles these signals itself, to restore the terminal).
pub fn stop_runs_on_signals() -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .context("installing signal handlers")?;
    thread::Builder::new()
        .name("stop-runs".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                kill_all_runs();
                std::process::exit(128 + sig);
            }
        })
        .context("starting the signal thread")?;
    Ok(())
}

fn kill_group(group: Pid) {
    // ESRCH (nothing left in the group) is the common, fine case.
    let _ = killpg(group, Signal::SIGKILL);
}

fn exit_of(status: ExitStatus) -> Exit {
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(sig)) => Exit::Signal(sig),
        (None, None) => Exit::Code(-1),
    }
}

/// A signal's usual name, for messages.
pub fn signal_name(sig: i32) -> String {
    Signal::try_from(sig).map_or_else(|_| format!("signal {sig}"), |s| s.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(script);
        c
    }

    #[test]
    fn captures_output_and_exit_code() {
        let f = run(
            sh("echo out; echo err >&2; exit 3"),
            &Limits::default(),
            None,
        )
        .unwrap();
        assert_eq!(f.exit, Exit::Code(3));
        assert_eq!(f.stdout, "out\n");
        assert_eq!(f.stderr, "err\n");
        assert!(!f.truncated);
    }

    #[test]
    fn a_tap_hands_on_its_lines_while_the_child_still_runs() {
        let dir = tempfile::tempdir().unwrap();
        let go = dir.path().join("go");
        // The child waits for the tap to have seen its first line: a tap that only saw the
        // output at the end would leave it waiting until the time limit.
        let script = format!(
            "echo '@p one' >&2; echo 'other' >&2; \
             while [ ! -e {go} ]; do sleep 0.01; done; \
             printf '@p tw' >&2; sleep 0.05; printf 'o\\n' >&2",
            go = go.display()
        );
        let seen = Mutex::new(Vec::new());
        let on_line = |line: &str| {
            seen.lock().unwrap().push(line.to_string());
            std::fs::write(&go, "").unwrap();
        };
        let tap = Tap {
            prefix: "@p ",
            on_line: &on_line,
        };
        let limits = Limits {
            timeout: Duration::from_secs(20),
            ..Limits::default()
        };
        let f = run_with_input(sh(&script), None, &limits, None, Some(&tap)).unwrap();
        assert_eq!(f.exit, Exit::Code(0), "{}", f.stderr);
        assert_eq!(f.stderr, "@p one\nother\n@p two\n");
        assert_eq!(seen.into_inner().unwrap()[0], "@p one");
    }

    #[test]
    fn a_hang_times_out_and_its_children_die_with_it() {
        let limits = Limits {
            timeout: Duration::from_millis(300),
            ..Limits::default()
        };
        let marker = tempfile::NamedTempFile::new().unwrap();
        let path = marker.path().display().to_string();
        // A grandchild that would write the marker after 1 s, if it were still alive.
        let script = format!("(sleep 1; echo alive > {path}) & sleep 30");
        let f = run(sh(&script), &limits, None).unwrap();
        assert_eq!(f.exit, Exit::TimedOut);
        thread::sleep(Duration::from_millis(1500));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "",
            "the grandchild was killed"
        );
    }

    #[test]
    fn endless_output_is_capped_and_drained() {
        let limits = Limits {
            timeout: Duration::from_secs(2),
            output_cap: 1000,
            ..Limits::default()
        };
        let f = run(sh("yes racelings | head -c 5000000"), &limits, None).unwrap();
        assert_eq!(
            f.exit,
            Exit::Code(0),
            "the child was never blocked on a full pipe"
        );
        assert_eq!(f.stdout.len(), 1000);
        assert!(f.truncated);
    }

    #[test]
    fn an_abort_is_reported_as_its_signal() {
        let f = run(sh("kill -ABRT $$"), &Limits::default(), None).unwrap();
        assert_eq!(f.exit, Exit::Signal(6));
        assert_eq!(signal_name(6), "SIGABRT");
    }

    #[test]
    fn cancel_stops_the_run() {
        let token = CancelToken::new();
        let t = token.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            t.cancel();
        });
        let f = run(sh("sleep 30"), &Limits::default(), Some(&token)).unwrap();
        assert_eq!(f.exit, Exit::Cancelled);
        assert!(f.duration < Duration::from_secs(10));
    }

    #[test]
    fn a_handed_over_descriptor_is_open_in_the_child_at_its_number() {
        use std::os::fd::AsRawFd;
        let (mut reader, writer) = std::io::pipe().unwrap();
        let limits = Limits {
            hand_over: Some((writer.as_raw_fd(), 7)),
            ..Limits::default()
        };
        let f = run(sh("echo handed >&7; echo $? >&2"), &limits, None).unwrap();
        assert_eq!(f.exit, Exit::Code(0), "{f:?}");
        drop(writer);
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "handed\n");
        // Without it, the number is closed in the child.
        let f = run(sh("echo lost >&7"), &Limits::default(), None).unwrap();
        assert_ne!(f.exit, Exit::Code(0), "{f:?}");
    }
}
