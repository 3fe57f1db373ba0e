//! Notes under rustc's own diagnostics where following them would hurt: rustc suggests
//! importing from `std`, and a std import bypasses the facade, so neither check would see the
//! code it guards (stress runs it without the harness's view, loom does not model it at all).

use crate::pipeline::strip_ansi;

/// `rendered` (rustc's diagnostics) with a note after it for each `std` path rustc suggests
/// importing that the facade provides.
pub fn with_facade_notes(rendered: &str) -> String {
    let mut notes = Vec::new();
    for line in strip_ansi(rendered).lines() {
        // rustc's suggestion lines look like `1 + use std::sync::atomic::AtomicU8;`.
        let Some(at) = line.find("use std::") else {
            continue;
        };
        let path = line[at + "use ".len()..].trim().trim_end_matches(';');
        if let Some(facade) = facade_path(path) {
            let note = format!(
                "note: rustc suggests `use {path};`: import it from the facade instead, `use \
                 {facade};`. The exercises take every primitive from racelings_sync, so the \
                 stress and loom checks see what it does; a std import would hide it from both."
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    if notes.is_empty() {
        return rendered.to_string();
    }
    let mut out = rendered.trim_end().to_string();
    for note in notes {
        out.push_str("\n\n");
        out.push_str(&note);
    }
    out.push('\n');
    out
}

/// Where the facade offers what `path` (a `std::…` path) names, if it does.
fn facade_path(path: &str) -> Option<String> {
    const MOVES: &[(&str, &str)] = &[
        ("std::sync::atomic::", "racelings_sync::atomic::"),
        ("std::thread::", "racelings_sync::thread::"),
        ("std::cell::UnsafeCell", "racelings_sync::cell::UnsafeCell"),
        ("std::hint::spin_loop", "racelings_sync::hint::spin_loop"),
    ];
    const TOP_LEVEL: &[&str] = &[
        "Arc",
        "Mutex",
        "MutexGuard",
        "Condvar",
        "RwLock",
        "RwLockReadGuard",
        "RwLockWriteGuard",
        "Barrier",
        "OnceLock",
        "WaitTimeoutResult",
    ];
    for (from, to) in MOVES {
        if let Some(rest) = path.strip_prefix(from) {
            return Some(format!("{to}{rest}"));
        }
        if path == *from {
            return Some((*to).to_string());
        }
    }
    let name = path.strip_prefix("std::sync::")?;
    TOP_LEVEL
        .contains(&name)
        .then(|| format!("racelings_sync::{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RENDERED: &str = "error[E0433]: failed to resolve: use of undeclared type `AtomicU8`\n  \
        --> exercises/a/src/lib.rs:4:17\nhelp: consider importing this struct\n  |\n\
        1 + use std::sync::atomic::AtomicU8;\n  |\n";

    #[test]
    fn a_std_import_rustc_suggests_gets_the_facade_path_beside_it() {
        let out = with_facade_notes(RENDERED);
        assert!(out.starts_with(RENDERED.trim_end()), "{out}");
        assert!(
            out.contains(
                "import it from the facade instead, `use racelings_sync::atomic::AtomicU8;`"
            ),
            "{out}"
        );
    }

    #[test]
    fn paths_the_facade_does_not_offer_get_no_note() {
        let other = RENDERED.replace("std::sync::atomic::AtomicU8", "std::collections::HashMap");
        assert_eq!(with_facade_notes(&other), other);
        assert_eq!(
            facade_path("std::thread::park").as_deref(),
            Some("racelings_sync::thread::park")
        );
        assert_eq!(
            facade_path("std::sync::Mutex").as_deref(),
            Some("racelings_sync::Mutex")
        );
        assert_eq!(facade_path("std::sync::LazyLock"), None);
    }
}
