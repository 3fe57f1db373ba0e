//! What std's compiler refuses but the facade's types let through, found in the learner's
//! sources after a build that succeeded, and reported as the compile error std gives.
//!
//! On std, `let _ = m.lock().unwrap();` is refused (`let_underscore_lock`): the guard is
//! dropped at once, so nothing after the line is protected. The lint knows only std's guard
//! types; the facade's guards are its own, so without this check the line would compile and
//! protect nothing.

use crate::verdict::Location;
use std::path::Path;
use syn::spanned::Spanned;
use syn::visit::Visit;

/// An error found in one file, rendered as rustc renders its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintError {
    pub rendered: String,
    pub location: Location,
}

/// The errors in the `.rs` files under `crate_dir/src`; `shown` is the crate's path as the
/// verdict names files (e.g. `exercises/02_races/03_lost_update`). A file that does not parse
/// has no errors here: the build has judged it already.
pub fn check_crate(crate_dir: &Path, shown: &str) -> Vec<LintError> {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    collect_rs(&crate_dir.join("src"), &mut files);
    files.sort();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let relative = file.strip_prefix(crate_dir).unwrap_or(&file);
        let name = format!("{shown}/{}", relative.display());
        errors.extend(check_source(&text, &name));
    }
    errors
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The errors in one source file called `name`.
pub fn check_source(text: &str, name: &str) -> Vec<LintError> {
    let Ok(file) = syn::parse_file(text) else {
        return Vec::new();
    };
    let mut finder = DiscardedGuards { found: Vec::new() };
    finder.visit_file(&file);
    finder
        .found
        .into_iter()
        .map(|span| {
            let start = span.start();
            let (line, column) = (start.line, start.column + 1);
            let source_line = text.lines().nth(line - 1).unwrap_or("");
            let gutter = " ".repeat(line.to_string().len());
            let rendered = format!(
                "error: non-binding let on a synchronization lock\n\
                 {gutter}--> {name}:{line}:{column}\n\
                 {gutter} |\n\
                 {line} | {source_line}\n\
                 {gutter} | {}^ this lock is not assigned to a binding and is immediately dropped\n\
                 {gutter} |\n\
                 {gutter} = help: std refuses this line too (`let_underscore_lock`): the guard is \
                 dropped at once, so nothing after it is protected. Bind the guard to a name \
                 (`let _guard = …`) to hold the lock to the end of the block, or `drop` it where \
                 the critical section ends.\n",
                " ".repeat(column - 1)
            );
            LintError {
                rendered,
                location: Location::new(name.to_string(), line, column),
            }
        })
        .collect()
}

/// `let _ = <…>.lock()` (or `read`, `write`, their `try_` forms), through `unwrap`, `expect`
/// and `?`.
struct DiscardedGuards {
    found: Vec<proc_macro2::Span>,
}

impl<'ast> Visit<'ast> for DiscardedGuards {
    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let (syn::Pat::Wild(wild), Some(init)) = (&local.pat, &local.init)
            && takes_lock(&init.expr)
        {
            self.found.push(wild.span());
        }
        syn::visit::visit_local(self, local);
    }
}

fn takes_lock(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => {
            takes_lock(&m.receiver)
        }
        syn::Expr::Try(t) => takes_lock(&t.expr),
        syn::Expr::MethodCall(m) => {
            m.args.is_empty()
                && ["lock", "read", "write", "try_lock", "try_read", "try_write"]
                    .iter()
                    .any(|name| m.method == name)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discarded_guard_is_an_error_at_its_underscore() {
        let src = "impl Ledger {\n    fn audit(&self) {\n        let _ = self.entries.lock().unwrap();\n        \
                   self.check();\n    }\n}\n";
        let errors = check_source(src, "exercises/x/src/lib.rs");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].location,
            Location::new("exercises/x/src/lib.rs".into(), 3, 13)
        );
        assert!(
            errors[0]
                .rendered
                .contains("error: non-binding let on a synchronization lock"),
            "{}",
            errors[0].rendered
        );
        assert!(
            errors[0]
                .rendered
                .contains("--> exercises/x/src/lib.rs:3:13")
        );
    }

    #[test]
    fn a_named_guard_or_another_discarded_value_is_fine() {
        let src = "fn f(m: &Mutex<u8>, h: JoinHandle<()>) {\n    let _guard = m.lock().unwrap();\n    \
                   let _ = h.join();\n    let _ = m.lock().map(|g| *g);\n}\n";
        assert!(check_source(src, "lib.rs").is_empty());
    }

    #[test]
    fn try_and_rwlock_forms_are_found_too() {
        let src = "fn f(m: &RwLock<u8>) -> Result<(), E> {\n    let _ = m.write()?;\n    \
                   let _ = m.try_read().expect(\"free\");\n    Ok(())\n}\n";
        assert_eq!(check_source(src, "lib.rs").len(), 2);
    }
}
