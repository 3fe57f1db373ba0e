//! What a submission's source may not contain, found by Rust's own lexer (comments and
//! strings are never mistaken for code): attributes that place code outside the exercise's
//! functions or make the compiler read another file (`#[path]` in any form, `cfg_attr` and
//! macro bodies included), macros that read the machine while the code is compiled, macros
//! of its own that could assemble any of these, foreign code, and `unsafe` where the
//! exercise's contract needs none.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use std::str::FromStr;

/// Attributes that place code outside the exercise's functions (before `main`, in place of
/// a symbol of the harness): no exercise needs them, and a cheat needs one.
const PLACEMENT: &[&str] = &[
    "link_section",
    "export_name",
    "no_mangle",
    "naked",
    "used",
    // An allocator of its own runs before `main`, and before a test's seal is taken.
    "global_allocator",
    "panic_handler",
];

/// Macros that read the grading machine at compile time (files, environment variables), or
/// put machine code in place: no exercise needs them.
const MACHINE_MACROS: &[&str] = &[
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "asm",
    "global_asm",
    "naked_asm",
];

/// Where `unsafe` is allowed, the ways to reach a file descriptor the harness holds, to call
/// the kernel directly, or to turn an integer or a pointer into a value of another type
/// (the test's result travels on a descriptor the harness holds): no exercise's contract
/// needs them. Pointer casts (`as *const T`, `as *mut T`) are refused with them.
const RAW_ACCESS: &[&str] = &[
    "from_raw_fd",
    "FromRawFd",
    "borrow_raw",
    "syscall",
    "transmute",
    "transmute_copy",
    "union",
    "zeroed",
    "MaybeUninit",
    "read_volatile",
    "write_volatile",
    "copy_nonoverlapping",
    "from_raw_parts",
    "from_raw_parts_mut",
    "cast",
    "from_exposed_addr",
    "with_exposed_provenance",
    "without_provenance",
    "from_bits",
];

/// One thing refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    /// From 1.
    pub column: usize,
    pub what: String,
}

/// The first thing in `text` a submission may not contain, if any. `unsafe_allowed` says
/// whether the exercise's contract needs `unsafe`.
pub fn refusal(text: &str, unsafe_allowed: bool) -> Option<Refusal> {
    let tokens = match TokenStream::from_str(text) {
        Ok(tokens) => tokens,
        Err(err) => {
            let at = err.span().start();
            return Some(Refusal {
                line: at.line,
                column: at.column + 1,
                what: format!("does not read as Rust ({err})"),
            });
        }
    };
    let mut scan = Scan {
        unsafe_allowed,
        found: None,
    };
    scan.stream(tokens, false);
    scan.found
}

struct Scan {
    unsafe_allowed: bool,
    found: Option<Refusal>,
}

impl Scan {
    fn refuse(&mut self, span: Span, what: String) {
        if self.found.is_none() {
            let at = span.start();
            self.found = Some(Refusal {
                line: at.line,
                column: at.column + 1,
                what,
            });
        }
    }

    /// Walks `tokens`; `in_attribute` is true inside the brackets of `#[…]` / `#![…]`.
    fn stream(&mut self, tokens: TokenStream, in_attribute: bool) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            if self.found.is_some() {
                return;
            }
            let prev = i.checked_sub(1).map(|p| &trees[p]);
            let next = trees.get(i + 1);
            match tree {
                TokenTree::Group(group) => {
                    // `#[…]` or `#![…]`: an attribute (also inside macro bodies).
                    let attribute = group.delimiter() == Delimiter::Bracket
                        && match prev {
                            Some(TokenTree::Punct(p)) if p.as_char() == '#' => true,
                            Some(TokenTree::Punct(p)) if p.as_char() == '!' => {
                                i >= 2
                                    && matches!(&trees[i - 2], TokenTree::Punct(h) if h.as_char() == '#')
                            }
                            _ => false,
                        };
                    self.stream(group.stream(), in_attribute || attribute);
                }
                TokenTree::Ident(ident) => {
                    // A raw identifier (`r#path`, `r#include_str`) names the same thing.
                    let word = ident.to_string();
                    let word = word.strip_prefix("r#").unwrap_or(&word).to_string();
                    let bang = matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    let in_path = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    let span = ident.span();
                    if bang && MACHINE_MACROS.contains(&word.as_str()) {
                        self.refuse(
                            span,
                            format!(
                                "uses `{word}!`: code that reads files or the environment while \
                                 it is compiled, or machine code, is not graded"
                            ),
                        );
                    } else if bang && word == "macro_rules" {
                        self.refuse(
                            span,
                            "defines a macro (`macro_rules!`): a macro could assemble what grading \
                             refuses, so submissions may not define one"
                                .into(),
                        );
                    } else if PLACEMENT.contains(&word.as_str()) && (in_attribute || bang) {
                        self.refuse(
                            span,
                            format!(
                                "uses `{word}`: code placed outside the exercise's functions (run \
                                 before main, or in place of the harness) is not graded"
                            ),
                        );
                    } else if in_attribute && word == "path" && !in_path(prev) && !in_path(next) {
                        self.refuse(
                            span,
                            "uses `#[path]`: a module must be a file of the submission's own \
                             src/, not a file elsewhere on the grading machine"
                                .into(),
                        );
                    } else if word == "extern" {
                        self.refuse(
                            span,
                            "uses `extern`: foreign functions and other crates are not graded"
                                .into(),
                        );
                    } else if word == "unsafe" && !self.unsafe_allowed {
                        self.refuse(
                            span,
                            "uses `unsafe`: this exercise's contract needs none, so grading \
                             takes none"
                                .into(),
                        );
                    } else if self.unsafe_allowed
                        && word == "as"
                        && matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == '*')
                    {
                        self.refuse(
                            span,
                            "casts to a raw pointer (`as *const`/`as *mut`): turning an address \
                             into a value of another type is not graded"
                                .into(),
                        );
                    } else if self.unsafe_allowed && RAW_ACCESS.contains(&word.as_str()) {
                        self.refuse(
                            span,
                            format!(
                                "uses `{word}`: reaching file descriptors by number or calling the \
                                 kernel directly is not graded"
                            ),
                        );
                    }
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(text: &str) -> Option<String> {
        refusal(text, false).map(|r| format!("{}:{} {}", r.line, r.column, r.what))
    }

    #[test]
    fn path_is_refused_in_every_form() {
        for (src, at) in [
            ("#[path = \"/srv/solutions/lib.rs\"]\nmod m;\n", "1:3"),
            ("mod a {\n    #[path=\"../../x.rs\"] mod b;\n}\n", "2:7"),
            (
                "#[cfg_attr(all(), path = \"../../../solutions/x/src/lib.rs\")]\nmod s;\n",
                "1:19",
            ),
            (
                "#[cfg_attr(unix, cfg_attr(all(), path = \"x.rs\"))]\nmod s;\n",
                "1:34",
            ),
            ("#![path = \"x\"]\n", "1:4"),
            (
                "mod m {\n    #![cfg_attr(all(), path = \"x\")]\n}\n",
                "2:24",
            ),
        ] {
            let got = what(src).unwrap_or_else(|| panic!("{src}: not refused"));
            assert!(got.starts_with(at), "{src}: {got}");
            assert!(got.contains("#[path]"), "{got}");
        }
        // Paths, types and variables named path are fine, and so is a comment or a string.
        for fine in [
            "use std::path::Path;\nfn f(path: &Path) -> &Path { path }\n",
            "#[derive(Debug)]\nstruct S; // #[path = \"x\"]\n",
            "#[doc = \"#[path = x]\"]\nfn f() {}\n",
            "#[allow(clippy::path_buf_push_overwrite)]\nfn f() {}\n",
        ] {
            assert_eq!(what(fine), None, "{fine}");
        }
    }

    #[test]
    fn compile_time_reads_and_placement_are_refused_wherever_they_hide() {
        for (src, word) in [
            (
                "const S: &str = include_str!(\"/etc/passwd\");",
                "include_str!",
            ),
            ("fn f() { println!(\"{}\", env!(\"HOME\")); }", "env!"),
            (
                "fn f() { let v = vec![include_bytes!(\"x\")]; }",
                "include_bytes!",
            ),
            ("#[doc = include_str!(\"x\")]\nfn f() {}", "include_str!"),
            (
                "#[cfg_attr(all(), doc = include_str!(\"x\"))]\nfn f() {}",
                "include_str!",
            ),
            (
                "#[unsafe(link_section = \".init_array\")]\nstatic X: u8 = 0;",
                "unsafe",
            ),
            (
                "#[cfg_attr(all(), export_name = \"main\")]\nfn f() {}",
                "export_name",
            ),
            (
                "macro_rules! m { ($a:ident) => { $a!(\"x\") } }",
                "macro_rules!",
            ),
            ("extern crate alloc;", "extern"),
            ("const S: &str = r#include_str!(\"x\");", "include_str!"),
            ("#[r#path = \"x.rs\"]\nmod m;", "#[path]"),
            (
                "#[global_allocator]\nstatic A: Counting = Counting;",
                "global_allocator",
            ),
            ("unsafe extern \"C\" { fn getpid() -> i32; }", "unsafe"),
            (
                "fn f() { unsafe { std::hint::unreachable_unchecked() } }",
                "unsafe",
            ),
            ("unsafe impl Sync for S {}", "unsafe"),
        ] {
            let got = what(src).unwrap_or_else(|| panic!("{src}: not refused"));
            assert!(got.contains(&format!("`{word}")), "{src}: {got}");
        }
        // Words that only look alike, in code, comments and strings.
        for fine in [
            "fn f() { let include = 1; let env_var = include + 1; assert!(env_var > 0); }",
            "fn f() -> &'static str { \"include_str!(x) unsafe extern\" }",
            "/// Not `unsafe`, never `#[no_mangle]`.\nfn used_slots() -> usize { 0 }",
        ] {
            assert_eq!(what(fine), None, "{fine}");
        }
    }

    #[test]
    fn unsafe_is_taken_where_the_contract_needs_it_but_raw_descriptors_are_not() {
        let spin =
            "unsafe impl<T: Send> Sync for S<T> {}\nfn f(v: *mut u8) { unsafe { *v = 1 } }\n";
        assert_eq!(refusal(spin, true), None);
        let raw = "use std::os::fd::FromRawFd;\nfn f() { let _ = unsafe { std::fs::File::from_raw_fd(3) }; }\n";
        let got = refusal(raw, true).unwrap();
        assert_eq!((got.line, got.column), (1, 18));
        assert!(got.what.contains("FromRawFd"), "{got:?}");
        assert!(refusal("fn f() { extern \"C\" { fn write(); } }", true).is_some());
        // Forging a File out of a number: by transmute, by a pointer cast, by a union.
        for forge in [
            "fn f() { let f: std::fs::File = unsafe { std::mem::transmute(4i32) }; }",
            "fn f(x: &i32) { let f = unsafe { &*(x as *const i32 as *const std::fs::File) }; }",
            "fn f(x: &i32) { let f = unsafe { &*std::ptr::from_ref(x).cast::<std::fs::File>() }; }",
            "union Pun { n: i32, f: std::mem::ManuallyDrop<std::fs::File> }",
        ] {
            let got = refusal(forge, true).unwrap_or_else(|| panic!("{forge}: not refused"));
            assert!(got.what.contains("not graded"), "{got:?}");
        }
    }

    #[test]
    fn the_workbook_itself_is_taken() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let workbook = crate::workbook::Workbook::load(root).unwrap();
        for e in &workbook.exercises {
            let mut files = vec![workbook.crate_dir(e).join("src/lib.rs")];
            let solution = root.join("solutions").join(&e.dir);
            files.push(solution.join("src/lib.rs"));
            if let Ok(alt) = std::fs::read_dir(solution.join("alt")) {
                files.extend(alt.flatten().map(|f| f.path()));
            }
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                let got = refusal(&text, e.unsafe_allowed);
                assert_eq!(got, None, "{}", file.display());
            }
        }
    }

    #[test]
    fn unreadable_code_is_refused_with_its_place() {
        let got = refusal("fn f() { \n", false).unwrap();
        assert!(got.what.contains("does not read as Rust"), "{got:?}");
    }
}
