//! What the compiler says, and what racelings adds: a guard discarded with `let _ =` fails the
//! build as it would on std, a std import rustc suggests gets the facade's path beside it, and
//! no color escapes reach output that asked for none. Driven end to end over the fixture
//! workbook `compiler`.

mod common;

use common::{Workbook, stderr, stdout, verdicts};

#[test]
fn a_discarded_guard_fails_the_build_at_the_learners_line() {
    let wb = Workbook::fixture("compiler");
    let out = wb.racelings(&["run", "discarded_guard", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = verdicts(&out);
    let build = &v["stages"][0];
    assert_eq!(build["check"], "build", "{v:#}");
    assert_eq!(build["status"], "compile_error", "{v:#}");
    assert_eq!(
        build["message"], "error: non-binding let on a synchronization lock",
        "{v:#}"
    );
    assert_eq!(
        build["locations"][0]["file"],
        "exercises/01_compiler/01_discarded_guard/src/lib.rs"
    );
    assert_eq!(build["locations"][0]["line"], 15);

    // Bound to a name, the guard holds the lock and the build passes.
    let lib = wb
        .path()
        .join("exercises/01_compiler/01_discarded_guard/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        text.replace(
            "let _ = self.entries.lock().unwrap();\n        self.entries.lock().unwrap().len()",
            "let entries = self.entries.lock().unwrap();\n        entries.len()",
        ),
    )
    .unwrap();
    let out = wb.racelings(&["run", "discarded_guard"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_std_import_suggestion_gets_the_facade_path_and_no_color_escapes() {
    let wb = Workbook::fixture("compiler");
    let out = wb.racelings(&["run", "std_import"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(text.contains("use std::sync::atomic::AtomicBool"), "{text}");
    assert!(
        text.contains(
            "import it from the facade instead, `use racelings_sync::atomic::AtomicBool;`"
        ),
        "{text}"
    );
    // NO_COLOR is set for every run of the tests, and stdout is not a terminal.
    assert!(!text.contains('\u{1b}'), "color escapes in: {text:?}");
}
