//! Isolation for untrusted child processes (a student's test binary): a private user id, no
//! network, reads only of the program itself and the system's libraries, writes only
//! beneath one scratch folder, no system call that reads or writes another address space,
//! and a sweep that kills whatever is left of a run; which of these the kernel and the user
//! racelings runs as allow is probed once. [`landlock_fd`] also serves the compiler's
//! sandbox (see `grade::rustc`).
//!
//! The runner applies a [`Sandbox`] in the child between fork and exec, so everything here
//! that runs there is a raw system call (no allocation, no locks).

use anyhow::{Context, Result};
use landlock::{
    ABI, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
    path_beneath_rules,
};
use serde::{Deserialize, Serialize};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// Which isolation is in force, for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Isolation {
    /// Each run has a user id of its own (needs root): the process limit binds, files of
    /// other users are out of reach, and everything the run left behind is killed by uid.
    pub private_uid: bool,
    /// The run has a network namespace of its own, with no interfaces but a down loopback.
    pub no_network: bool,
    /// The Landlock ABI that restricts reads to the program and the system's libraries,
    /// writes to the scratch folder (and TCP, and signals to processes outside), if the
    /// kernel has Landlock.
    pub landlock_abi: Option<u32>,
    /// A seccomp filter refuses `ptrace`, `process_vm_readv`/`writev`, `pidfd_getfd` and
    /// `kcmp`.
    #[serde(default)]
    pub syscall_filter: bool,
    /// Why a layer is missing, in words.
    pub notes: Vec<String>,
}

impl Isolation {
    /// One line for humans: what is in force.
    pub fn describe(&self) -> String {
        let mut parts = vec!["rlimits (cpu, memory, processes, file size)".to_string()];
        if self.private_uid {
            parts.push("a private uid per test process".into());
        }
        if self.no_network {
            parts.push("no network (own network namespace)".into());
        }
        if let Some(abi) = self.landlock_abi {
            parts.push(format!(
                "Landlock ABI {abi} (reads only the program and system libraries, writes only in \
                 a scratch folder)"
            ));
        }
        if self.syscall_filter {
            parts.push("no ptrace or process_vm_readv (seccomp)".into());
        }
        let mut line = parts.join(", ");
        if !self.notes.is_empty() {
            line.push_str("; not in force: ");
            line.push_str(&self.notes.join("; "));
        }
        line
    }
}

/// The isolation layers that work here, ready to apply to child processes.
#[derive(Debug)]
pub struct Sandbox {
    scratch: PathBuf,
    /// Whether each run gets a Landlock ruleset (made per run: it names the program).
    landlock: bool,
    /// Folders and files every run may read besides its program and the system's.
    readable: Vec<PathBuf>,
    isolation: Isolation,
    /// Free private uids (when root); a run leases one so no two runs share a uid.
    uids: Option<Mutex<Vec<u32>>>,
}

/// What the child applies between fork and exec: plain values only.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    uid: Option<u32>,
    unshare_net: bool,
    user_ns: bool,
    landlock_fd: Option<i32>,
    seccomp: bool,
}

/// A uid taken from the pool for one run; [`Sandbox::release`] sweeps and returns it.
#[derive(Debug)]
pub struct Lease {
    pub entry: Entry,
    /// The run's Landlock ruleset, open until the run has started.
    _ruleset: Option<OwnedFd>,
}

/// What every sandboxed process may read: the system's programs, libraries and settings,
/// and the devices that give nothing away. Not /proc (another process's memory, or its
/// own), not /sys, not /home, not the workspace.
const SYSTEM_READABLE: &[&str] = &[
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/bin",
    "/sbin",
    "/etc",
    "/dev/null",
    "/dev/zero",
    "/dev/urandom",
    "/dev/random",
];

/// How many runs may hold a private uid at once.
const UID_POOL: u32 = 256;

impl Sandbox {
    /// Probes the layers the kernel allows and prepares them; `scratch` becomes the one
    /// folder runs may write in (created, open to every uid, like /tmp). `reachable` are
    /// the folders a run must read (test binaries, crates): a private uid is used only if
    /// other users can reach them.
    pub fn new(scratch: &Path, reachable: &[&Path]) -> Result<Sandbox> {
        std::fs::create_dir_all(scratch)
            .with_context(|| format!("creating {}", scratch.display()))?;
        std::fs::set_permissions(scratch, std::fs::Permissions::from_mode(0o1777))
            .with_context(|| format!("opening {} to the sandbox", scratch.display()))?;
        let mut isolation = Isolation::default();
        let root = is_root();

        let mut uids = None;
        if root {
            match reachable
                .iter()
                .chain([&scratch])
                .find_map(|p| closed_ancestor(p))
            {
                Some(closed) => isolation.notes.push(format!(
                    "private uid ({} is not open to other users)",
                    closed.display()
                )),
                None => {
                    // A range of its own per sandbox (per process, and per sandbox within
                    // one: a sweep of one sandbox's uid must not reach another's runs), far
                    // above real users.
                    static MADE: std::sync::atomic::AtomicU32 =
                        std::sync::atomic::AtomicU32::new(0);
                    let nth = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 16;
                    let range = (std::process::id() % 500_000) * 16 + nth;
                    let base = 1_000_000_000 + range * UID_POOL;
                    let pool: Vec<u32> = (base..base + UID_POOL).rev().collect();
                    let entry = Entry {
                        uid: Some(base),
                        unshare_net: false,
                        user_ns: false,
                        landlock_fd: None,
                        seccomp: false,
                    };
                    if probe(entry) {
                        isolation.private_uid = true;
                        uids = Some(Mutex::new(pool));
                    } else {
                        isolation
                            .notes
                            .push("private uid (switching uid failed)".into());
                    }
                }
            }
        } else {
            isolation
                .notes
                .push("private uid and process limit (needs root)".into());
        }

        let net = Entry {
            uid: None,
            unshare_net: true,
            user_ns: !root,
            landlock_fd: None,
            seccomp: false,
        };
        if probe(net) {
            isolation.no_network = true;
        } else {
            isolation
                .notes
                .push("network isolation (namespaces not allowed here)".into());
        }

        let true_bin = which("true");
        let landlock = match landlock_fd(&readable_with(&[], true_bin.as_deref()), &[scratch]) {
            Ok((fd, abi)) => {
                let entry = Entry {
                    uid: None,
                    unshare_net: false,
                    user_ns: false,
                    landlock_fd: Some(fd.as_raw_fd()),
                    seccomp: false,
                };
                if probe(entry) {
                    isolation.landlock_abi = Some(abi);
                    true
                } else {
                    isolation.notes.push("Landlock (restricting failed)".into());
                    false
                }
            }
            Err(why) => {
                isolation.notes.push(format!("Landlock ({why})"));
                false
            }
        };
        let filtered = Entry {
            uid: None,
            unshare_net: false,
            user_ns: false,
            landlock_fd: None,
            seccomp: true,
        };
        if probe(filtered) {
            isolation.syscall_filter = true;
        } else {
            isolation
                .notes
                .push("seccomp filter (not allowed here)".into());
        }
        Ok(Sandbox {
            scratch: scratch.to_path_buf(),
            landlock,
            readable: Vec::new(),
            isolation,
            uids,
        })
    }

    /// Lets every run read `path` too (tests of the sandbox itself).
    #[cfg(test)]
    pub fn also_readable(mut self, path: &Path) -> Sandbox {
        self.readable.push(path.to_path_buf());
        self
    }

    pub fn isolation(&self) -> &Isolation {
        &self.isolation
    }

    /// The folder runs may write in (their TMPDIR).
    pub fn scratch(&self) -> &Path {
        &self.scratch
    }

    /// Takes what one run of `program` needs; waits while every private uid is in use.
    /// Where Landlock is in force but this run's ruleset cannot be made, the run fails to
    /// start (its test scores nothing) rather than run with less isolation than reported.
    pub fn lease(&self, program: &Path) -> Lease {
        let ruleset = if self.landlock {
            let program = if program.components().count() > 1 {
                Some(program.to_path_buf())
            } else {
                which(&program.to_string_lossy())
            };
            let extra: Vec<&Path> = self.readable.iter().map(PathBuf::as_path).collect();
            match landlock_fd(&readable_with(&extra, program.as_deref()), &[&self.scratch]) {
                Ok((fd, _)) => Ok(fd),
                Err(why) => {
                    eprintln!("racelings: no Landlock ruleset for a run: {why}");
                    Err(())
                }
            }
        } else {
            Err(())
        };
        let uid = self.uids.as_ref().map(|pool| {
            loop {
                if let Some(uid) = pool.lock().unwrap().pop() {
                    break uid;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        });
        Lease {
            entry: Entry {
                uid,
                unshare_net: self.isolation.no_network,
                user_ns: self.isolation.no_network && !is_root(),
                // -1: restricting fails in the child, which then never runs.
                landlock_fd: match &ruleset {
                    Ok(fd) => Some(fd.as_raw_fd()),
                    Err(()) if self.landlock => Some(-1),
                    Err(()) => None,
                },
                seccomp: self.isolation.syscall_filter,
            },
            _ruleset: ruleset.ok(),
        }
    }

    /// Ends a run: kills every process left with its uid, then frees the uid.
    pub fn release(&self, lease: Lease) {
        if let (Some(uid), Some(pool)) = (lease.entry.uid, &self.uids) {
            sweep(uid);
            pool.lock().unwrap().push(uid);
        }
    }
}

impl Entry {
    /// Applies the isolation to the calling process. Runs in the child between fork and
    /// exec: raw system calls only.
    pub fn enter(&self) -> std::io::Result<()> {
        let check = |r: libc::c_int| {
            if r < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(())
            }
        };
        unsafe {
            if self.unshare_net {
                let mut flags = libc::CLONE_NEWNET;
                if self.user_ns {
                    flags |= libc::CLONE_NEWUSER;
                }
                check(libc::unshare(flags))?;
            }
            if let Some(uid) = self.uid {
                check(libc::setgroups(0, std::ptr::null()))?;
                check(libc::setresgid(uid, uid, uid))?;
                check(libc::setresuid(uid, uid, uid))?;
            }
            if self.landlock_fd.is_some() || self.seccomp {
                check(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))?;
            }
            if let Some(fd) = self.landlock_fd {
                check(libc::syscall(libc::SYS_landlock_restrict_self, fd, 0) as libc::c_int)?;
            }
            if self.seccomp {
                let program = libc::sock_fprog {
                    len: FILTER.len() as libc::c_ushort,
                    filter: FILTER.as_ptr() as *mut libc::sock_filter,
                };
                check(libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &program as *const libc::sock_fprog,
                    0,
                    0,
                ))?;
            }
        }
        Ok(())
    }
}

/// The architecture a seccomp filter checks for, as the kernel's audit names it.
#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xC000_003E;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xC000_00B7;
/// Elsewhere the filter refuses every call, so its probe fails and it is not used.
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
const AUDIT_ARCH: u32 = 0;

/// System calls that reach into another address space or another process's files: refused
/// with EPERM. Any call of another architecture's numbering (x32, i386 through `int 0x80`)
/// is refused too, so no other number can name them.
const FILTERED: [libc::c_long; 5] = [
    libc::SYS_ptrace,
    libc::SYS_process_vm_readv,
    libc::SYS_process_vm_writev,
    libc::SYS_pidfd_getfd,
    libc::SYS_kcmp,
];

const fn stmt(code: u32, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    }
}

const fn jump(code: u32, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter {
        code: code as u16,
        jt,
        jf,
        k,
    }
}

const DENY: u32 = libc::SECCOMP_RET_ERRNO | libc::EPERM as u32;

/// The seccomp program: the architecture first, then the number.
static FILTER: [libc::sock_filter; 12] = [
    // seccomp_data.arch is at offset 4, .nr at 0.
    stmt(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, 4),
    jump(
        libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K,
        AUDIT_ARCH,
        1,
        0,
    ),
    stmt(libc::BPF_RET | libc::BPF_K, DENY),
    stmt(libc::BPF_LD | libc::BPF_W | libc::BPF_ABS, 0),
    // x32's numbers have bit 30 set.
    jump(
        libc::BPF_JMP | libc::BPF_JGE | libc::BPF_K,
        0x4000_0000,
        6,
        0,
    ),
    jump(
        libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K,
        FILTERED[0] as u32,
        5,
        0,
    ),
    jump(
        libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K,
        FILTERED[1] as u32,
        4,
        0,
    ),
    jump(
        libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K,
        FILTERED[2] as u32,
        3,
        0,
    ),
    jump(
        libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K,
        FILTERED[3] as u32,
        2,
        0,
    ),
    jump(
        libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K,
        FILTERED[4] as u32,
        1,
        0,
    ),
    stmt(libc::BPF_RET | libc::BPF_K, libc::SECCOMP_RET_ALLOW),
    stmt(libc::BPF_RET | libc::BPF_K, DENY),
];

/// The system's readable paths that exist here, `extra`, and `program`.
fn readable_with(extra: &[&Path], program: Option<&Path>) -> Vec<PathBuf> {
    SYSTEM_READABLE
        .iter()
        .map(PathBuf::from)
        .chain(extra.iter().map(|p| p.to_path_buf()))
        .chain(program.map(Path::to_path_buf))
        .filter(|p| p.exists())
        .collect()
}

/// A program's path, found on PATH as a spawn would.
fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Whether a child with this isolation starts and exits cleanly.
fn probe(entry: Entry) -> bool {
    let mut cmd = Command::new("true");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .current_dir("/");
    unsafe {
        cmd.pre_exec(move || entry.enter());
    }
    cmd.status().is_ok_and(|s| s.success())
}

/// A Landlock ruleset: reads and execution only beneath `readable`, reads and writes only
/// beneath `writable` (and /dev/null), no TCP, no signals or abstract sockets out of the
/// sandbox. With the ABI in force.
pub fn landlock_fd(readable: &[PathBuf], writable: &[&Path]) -> Result<(OwnedFd, u32), String> {
    let version = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            1u32, // LANDLOCK_CREATE_RULESET_VERSION
        )
    };
    if version < 1 {
        return Err("the kernel has no Landlock".into());
    }
    let abi = ABI::V6;
    let created = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .and_then(|r| r.handle_access(AccessNet::from_all(abi)))
        .and_then(|r| r.scope(Scope::from_all(abi)))
        .and_then(|r| r.create())
        .and_then(|r| r.add_rules(path_beneath_rules(readable, AccessFs::from_read(abi))))
        .and_then(|r| r.add_rules(path_beneath_rules(writable, AccessFs::from_all(abi))))
        .and_then(|r| {
            r.add_rules(path_beneath_rules(
                [Path::new("/dev/null")],
                AccessFs::from_all(abi),
            ))
        })
        .map_err(|e| e.to_string())?;
    let fd: Option<OwnedFd> = created.into();
    let fd = fd.ok_or("Landlock is not enabled")?;
    Ok((fd, version.min(ABI::V6 as i64) as u32))
}

/// The first folder on the way to `path` that other users cannot enter.
fn closed_ancestor(path: &Path) -> Option<PathBuf> {
    let path = path.canonicalize().ok()?;
    path.ancestors()
        .filter(|a| a.is_dir())
        .find(|a| std::fs::metadata(a).is_ok_and(|m| m.permissions().mode() & 0o001 == 0))
        .map(Path::to_path_buf)
}

/// Kills every process of `uid`: a child that takes that uid and signals everything it may
/// signal, which is exactly that uid's processes (itself excepted).
fn sweep(uid: u32) {
    unsafe {
        let pid = libc::fork();
        if pid == 0 {
            if libc::setgroups(0, std::ptr::null()) == 0
                && libc::setresgid(uid, uid, uid) == 0
                && libc::setresuid(uid, uid, uid) == 0
            {
                for _ in 0..3 {
                    libc::kill(-1, libc::SIGKILL);
                }
            }
            libc::_exit(0);
        }
        if pid > 0 {
            let mut status = 0;
            libc::waitpid(pid, &mut status, 0);
        }
    }
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::{self, Exit, Limits};
    use std::sync::Arc;
    use std::time::Duration;

    fn sandboxed(dir: &Path) -> Limits {
        let sandbox = Sandbox::new(&dir.join("scratch"), &[]).unwrap();
        with_sandbox(sandbox)
    }

    fn with_sandbox(sandbox: Sandbox) -> Limits {
        Limits {
            timeout: Duration::from_secs(10),
            cpu: Some(Duration::from_secs(10)),
            memory_bytes: Some(512 << 20),
            processes: Some(64),
            file_size_bytes: Some(1 << 20),
            sandbox: Some(Arc::new(sandbox)),
            ..Limits::default()
        }
    }

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(script).current_dir("/");
        c
    }

    fn open_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        dir
    }

    #[test]
    fn writes_land_only_in_the_scratch_folder() {
        let dir = open_dir();
        let limits = sandboxed(dir.path());
        let iso = limits.sandbox.as_ref().unwrap().isolation().clone();
        eprintln!("isolation: {}", iso.describe());
        let victim = dir.path().join("instructor.txt");
        std::fs::write(&victim, "pristine").unwrap();
        let script = format!(
            "echo hacked > {v}; echo ok > $TMPDIR/mine && cat $TMPDIR/mine",
            v = victim.display()
        );
        let f = runner::run(sh(&script), &limits, None).unwrap();
        assert_eq!(f.stdout, "ok\n", "{f:?}");
        if iso.landlock_abi.is_some() || iso.private_uid {
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "pristine");
        }
    }

    #[test]
    fn a_fork_bomb_is_contained_and_swept() {
        let dir = open_dir();
        let limits = Limits {
            timeout: Duration::from_secs(3),
            ..sandboxed(dir.path())
        };
        let private = limits.sandbox.as_ref().unwrap().isolation().private_uid;
        // Children that leave the process group, then multiply.
        let script = "setsid sh -c 'sleep 60' & b() { b | b; }; b";
        let f = runner::run(sh(script), &limits, None).unwrap();
        assert_ne!(f.exit, Exit::Code(0));
        if private {
            // Killed processes may linger a moment as zombies; none may stay alive.
            let alive = || {
                let ps = Command::new("ps")
                    .args(["-eo", "uid=,stat="])
                    .output()
                    .unwrap();
                String::from_utf8_lossy(&ps.stdout)
                    .lines()
                    .filter_map(|l| l.split_once(char::is_whitespace))
                    .filter(|(uid, stat)| {
                        uid.trim().parse::<u64>().is_ok_and(|u| u >= 1_000_000_000)
                            && !stat.trim().starts_with('Z')
                    })
                    .count()
            };
            let mut left = alive();
            for _ in 0..20 {
                if left == 0 {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
                left = alive();
            }
            assert_eq!(left, 0, "processes of sandbox uids outlived the run");
        }
    }

    #[test]
    fn an_allocation_bomb_fails_fast() {
        let dir = open_dir();
        let limits = sandboxed(dir.path());
        // `head -c` of an endless stream into memory: sort buffers it all.
        let f = runner::run(
            sh("head -c 2000000000 /dev/zero | sort > /dev/null"),
            &limits,
            None,
        )
        .unwrap();
        assert_ne!(f.exit, Exit::Code(0), "{f:?}");
    }

    #[test]
    fn the_network_is_out_of_reach() {
        let dir = open_dir();
        let sandbox = Sandbox::new(&dir.path().join("scratch"), &[]).unwrap();
        let limits = with_sandbox(sandbox.also_readable(Path::new("/proc")));
        if !limits.sandbox.as_ref().unwrap().isolation().no_network {
            return;
        }
        let f = runner::run(sh("cat /proc/net/dev | wc -l"), &limits, None).unwrap();
        // Two header lines and the loopback only.
        assert_eq!(f.stdout.trim(), "3", "{f:?}");
    }

    #[test]
    fn reads_reach_only_the_program_and_the_system() {
        let dir = open_dir();
        let limits = sandboxed(dir.path());
        let iso = limits.sandbox.as_ref().unwrap().isolation().clone();
        if iso.landlock_abi.is_none() {
            eprintln!("no Landlock here: {}", iso.describe());
            return;
        }
        let secret = dir.path().join("other_student.rs");
        std::fs::write(&secret, "pub fn answer() {}").unwrap();
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
        let script = format!(
            "cat {s} && echo read-other; \
             head -c 16 /proc/self/maps && echo read-maps; \
             head -c 16 /proc/self/mem && echo read-mem; \
             ls /dev/fd/ && echo read-fds; \
             echo mine > $TMPDIR/x && cat $TMPDIR/x; \
             head -c 1 /dev/urandom > /dev/null && echo system",
            s = secret.display()
        );
        let f = runner::run(sh(&script), &limits, None).unwrap();
        assert_eq!(
            f.stdout.lines().collect::<Vec<_>>(),
            ["mine", "system"],
            "{f:?}"
        );
    }

    #[test]
    fn another_address_space_is_out_of_reach() {
        let dir = open_dir();
        let limits = sandboxed(dir.path());
        let iso = limits.sandbox.as_ref().unwrap().isolation().clone();
        if !iso.syscall_filter || which("python3").is_none() {
            eprintln!("no seccomp or no python3 here: {}", iso.describe());
            return;
        }
        // process_vm_readv of the process's own memory, and ptrace of its parent, by number.
        let script = format!(
            "import ctypes, os\n\
             libc = ctypes.CDLL(None, use_errno=True)\n\
             buf = ctypes.create_string_buffer(8)\n\
             src = ctypes.create_string_buffer(b'secret!')\n\
             class IoVec(ctypes.Structure):\n    \
                 _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]\n\
             local = IoVec(ctypes.cast(buf, ctypes.c_void_p), 8)\n\
             remote = IoVec(ctypes.cast(src, ctypes.c_void_p), 8)\n\
             n = libc.syscall({vm}, os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)\n\
             print('process_vm_readv', n, ctypes.get_errno())\n\
             n = libc.syscall({pt}, 16, os.getppid(), 0, 0)\n\
             print('ptrace', n, ctypes.get_errno())\n",
            vm = libc::SYS_process_vm_readv,
            pt = libc::SYS_ptrace,
        );
        let mut cmd = Command::new("python3");
        cmd.arg("-c").arg(script).current_dir("/");
        let f = runner::run(cmd, &limits, None).unwrap();
        let eperm = libc::EPERM;
        assert_eq!(
            f.stdout,
            format!("process_vm_readv -1 {eperm}\nptrace -1 {eperm}\n"),
            "{f:?}"
        );
    }
}
