//! Where each operator applies in a parsed source, and the edits that make its mutant.

use super::{Edit, Mutant, Operator};
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Block, Expr, ExprMethodCall, Local, Pat, Stmt};

/// How long a mutated wait waits before it gives up and goes on.
const GIVE_UP_AFTER: &str = "std::time::Duration::from_millis(100)";

/// Every mutant of `file`, whose text is `source`.
pub fn find(source: &str, file: &syn::File) -> Vec<Mutant> {
    let mut finder = Finder {
        source,
        out: Vec::new(),
        owner: None,
        function: None,
        loop_depth: 0,
        guards_outside: 0,
    };
    finder.visit_file(file);
    finder.out
}

struct Finder<'s> {
    source: &'s str,
    out: Vec<Mutant>,
    /// The type of the `impl` block we are in.
    owner: Option<String>,
    function: Option<String>,
    /// Loops around the current point, within the current function or closure.
    loop_depth: usize,
    /// Lock guards that enclosing blocks hold at the current point.
    guards_outside: usize,
}

/// What an ordering argument orders, which decides the orderings it may be weakened to.
#[derive(Clone, Copy)]
enum Role {
    Load,
    Store,
    ReadModifyWrite,
    /// A compare-exchange's (or `fetch_update`'s) ordering for the load when it fails.
    Failure,
    Fence,
}

const READ_MODIFY_WRITES: &[&str] = &[
    "swap",
    "fetch_add",
    "fetch_sub",
    "fetch_and",
    "fetch_nand",
    "fetch_or",
    "fetch_xor",
    "fetch_max",
    "fetch_min",
];

const COMPARE_EXCHANGES: &[&str] = &["compare_exchange", "compare_exchange_weak"];

/// The orderings one step weaker than `ordering` for `role` (none below `Relaxed`; a fence
/// is never weakened to `Relaxed`, which is not a fence: `remove-fence` covers it).
fn weaker(ordering: &str, role: Role) -> &'static [&'static str] {
    match (ordering, role) {
        ("SeqCst", Role::Load | Role::Failure) => &["Acquire"],
        ("SeqCst", Role::Store) => &["Release"],
        ("SeqCst", Role::ReadModifyWrite | Role::Fence) => &["AcqRel"],
        ("AcqRel", Role::ReadModifyWrite | Role::Fence) => &["Acquire", "Release"],
        ("Acquire", Role::Load | Role::ReadModifyWrite | Role::Failure) => &["Relaxed"],
        ("Release", Role::Store | Role::ReadModifyWrite) => &["Relaxed"],
        _ => &[],
    }
}

/// The orderings a split read-modify-write's load and store take from the original's.
fn split_ordering(ordering: &str) -> (&'static str, &'static str) {
    match ordering {
        "SeqCst" => ("SeqCst", "SeqCst"),
        "AcqRel" => ("Acquire", "Release"),
        "Acquire" => ("Acquire", "Relaxed"),
        "Release" => ("Relaxed", "Release"),
        _ => ("Relaxed", "Relaxed"),
    }
}

/// An ordering written as a path (`Ordering::Acquire`, `atomic::Ordering::SeqCst`, or a bare
/// `Acquire` after a glob import): its name and the path before the name.
fn ordering_of(expr: &Expr) -> Option<(String, String)> {
    let Expr::Path(p) = expr else { return None };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let name = segments.last()?;
    let known = ["SeqCst", "AcqRel", "Acquire", "Release", "Relaxed"];
    if !known.contains(&name.as_str()) {
        return None;
    }
    if segments.len() >= 2 && segments[segments.len() - 2] != "Ordering" {
        return None;
    }
    let prefix = segments[..segments.len() - 1]
        .iter()
        .map(|s| format!("{s}::"))
        .collect();
    Some((name.clone(), prefix))
}

/// `expr` without a trailing `.unwrap()` or `.expect(…)`.
fn unwrapped(expr: &Expr) -> &Expr {
    match expr {
        Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => &m.receiver,
        other => other,
    }
}

/// The method call `expr` is, when it calls `name` with `args` arguments.
fn method_call<'e>(expr: &'e Expr, names: &[&str], args: usize) -> Option<&'e ExprMethodCall> {
    match expr {
        Expr::MethodCall(m) if names.iter().any(|n| m.method == n) && m.args.len() == args => {
            Some(m)
        }
        _ => None,
    }
}

/// Whether `node` calls a method named in `names` with at least `min_args` arguments
/// (closures inside it are not searched: they run elsewhere).
fn calls<N: CallSearch + ?Sized>(node: &N, names: &[&str], min_args: usize) -> bool {
    let mut search = Calls {
        names,
        min_args,
        found: false,
    };
    node.search(&mut search);
    search.found
}

struct Calls<'n> {
    names: &'n [&'n str],
    min_args: usize,
    found: bool,
}

impl<'ast> Visit<'ast> for Calls<'_> {
    fn visit_expr_method_call(&mut self, m: &'ast ExprMethodCall) {
        if self.names.iter().any(|n| m.method == n) && m.args.len() >= self.min_args {
            self.found = true;
        }
        visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
}

trait CallSearch {
    fn search(&self, calls: &mut Calls);
}
impl CallSearch for Expr {
    fn search(&self, calls: &mut Calls) {
        calls.visit_expr(self);
    }
}
impl CallSearch for Block {
    fn search(&self, calls: &mut Calls) {
        calls.visit_block(self);
    }
}

/// Whether `tokens` name `ident` anywhere.
fn mentions(tokens: TokenStream, ident: &str) -> bool {
    tokens.into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == ident,
        TokenTree::Group(g) => mentions(g.stream(), ident),
        _ => false,
    })
}

/// A `let NAME = …` whose value takes a lock (`lock()`, `write()`, `read()`): the name, and
/// whether it is `mut`.
fn guard_binding(local: &Local) -> Option<(String, bool)> {
    let init = local.init.as_ref()?;
    if !calls(&*init.expr, &["lock", "write", "read"], 0) || init.diverge.is_some() {
        return None;
    }
    match &local.pat {
        Pat::Ident(p) => Some((p.ident.to_string(), p.mutability.is_some())),
        Pat::Type(t) => match &*t.pat {
            Pat::Ident(p) => Some((p.ident.to_string(), p.mutability.is_some())),
            _ => None,
        },
        _ => None,
    }
}

/// The variable a `drop(NAME);` statement drops.
fn dropped(stmt: &Stmt) -> Option<String> {
    let Stmt::Expr(Expr::Call(call), _) = stmt else {
        return None;
    };
    let Expr::Path(f) = &*call.func else {
        return None;
    };
    if !f.path.is_ident("drop") || call.args.len() != 1 {
        return None;
    }
    match &call.args[0] {
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => Some(String::new()),
    }
}

fn is_fence(expr: &Expr) -> bool {
    let Expr::Call(call) = expr else { return false };
    let Expr::Path(f) = &*call.func else {
        return false;
    };
    f.path
        .segments
        .last()
        .is_some_and(|s| s.ident == "fence" || s.ident == "compiler_fence")
}

fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() > 48 || text.lines().nth(1).is_some() {
        let cut: String = line.chars().take(45).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_string()
    }
}

impl Finder<'_> {
    fn text(&self, span: Span) -> &str {
        &self.source[span.byte_range()]
    }

    fn push(&mut self, operator: Operator, at: Span, change: String, edits: Vec<Edit>) {
        let start = at.start();
        self.out.push(Mutant {
            operator,
            line: start.line,
            column: start.column + 1,
            function: self
                .function
                .clone()
                .unwrap_or_else(|| "(top level)".to_string()),
            change,
            edits,
        });
    }

    fn replace(span: Span, text: impl Into<String>) -> Edit {
        Edit {
            range: span.byte_range(),
            text: text.into(),
        }
    }

    fn weaken(&mut self, arg: &Expr, role: Role, method: &str) {
        let Some((name, prefix)) = ordering_of(arg) else {
            return;
        };
        let side = if matches!(role, Role::Failure) {
            " (on failure)"
        } else {
            ""
        };
        for weaker in weaker(&name, role) {
            let change = format!("`{prefix}{name}` → `{prefix}{weaker}` in `{method}`{side}");
            let edit = Self::replace(arg.span(), format!("{prefix}{weaker}"));
            self.push(Operator::WeakenOrdering, arg.span(), change, vec![edit]);
        }
    }

    /// `a.fetch_add(v, o)` → a load, then a store of the new value, in a block that returns
    /// what the original returned.
    fn split(&mut self, m: &ExprMethodCall) {
        let method = m.method.to_string();
        let args: Vec<&Expr> = m.args.iter().collect();
        let receiver = self.text(m.receiver.span()).to_string();
        let (ordering_arg, failure_arg) = if COMPARE_EXCHANGES.contains(&method.as_str()) {
            (args.get(2), args.get(3))
        } else {
            (args.get(1), None)
        };
        let Some((ordering, prefix)) = ordering_arg.and_then(|a| ordering_of(a)) else {
            return;
        };
        let (load, store) = split_ordering(&ordering);
        let load = match failure_arg.and_then(|a| ordering_of(a)) {
            // The load must not be weaker than what the failure path promised.
            Some((failure, _)) if failure == "SeqCst" => "SeqCst",
            _ => load,
        };
        let operand = self.text(args[0].span()).to_string();
        let new_value = match method.as_str() {
            "swap" => "mutant_operand".to_string(),
            "fetch_add" => "mutant_old.wrapping_add(mutant_operand)".to_string(),
            "fetch_sub" => "mutant_old.wrapping_sub(mutant_operand)".to_string(),
            "fetch_and" => "mutant_old & mutant_operand".to_string(),
            "fetch_nand" => "!(mutant_old & mutant_operand)".to_string(),
            "fetch_or" => "mutant_old | mutant_operand".to_string(),
            "fetch_xor" => "mutant_old ^ mutant_operand".to_string(),
            "fetch_max" => "mutant_old.max(mutant_operand)".to_string(),
            "fetch_min" => "mutant_old.min(mutant_operand)".to_string(),
            _ => String::new(),
        };
        let text = if COMPARE_EXCHANGES.contains(&method.as_str()) {
            let new = self.text(args[1].span()).to_string();
            format!(
                "{{ let mutant_atomic = &{receiver}; let mutant_expected = {operand}; \
                 let mutant_new = {new}; let mutant_old = mutant_atomic.load({prefix}{load}); \
                 if mutant_old == mutant_expected {{ mutant_atomic.store(mutant_new, \
                 {prefix}{store}); Ok(mutant_old) }} else {{ Err(mutant_old) }} }}"
            )
        } else {
            format!(
                "{{ let mutant_atomic = &{receiver}; let mutant_operand = {operand}; \
                 let mutant_old = mutant_atomic.load({prefix}{load}); \
                 mutant_atomic.store({new_value}, {prefix}{store}); mutant_old }}"
            )
        };
        self.push(
            Operator::SplitReadModifyWrite,
            m.method.span(),
            format!("`{method}` split into a load and a store"),
            vec![Self::replace(m.span(), text)],
        );
    }

    fn remove(&mut self, operator: Operator, stmt: &Stmt, what: &str) {
        let text = one_line(self.text(stmt.span()));
        self.push(
            operator,
            stmt.span(),
            format!("{what} `{text}` removed"),
            vec![Self::replace(stmt.span(), "")],
        );
    }

    /// The statements of one block: the operators that work on statements, then each
    /// statement's own contents, knowing which guards are held around it.
    fn statements(&mut self, stmts: &[Stmt]) {
        // Guards bound by `let` in this block and not yet dropped, before each statement.
        let mut held: Vec<String> = Vec::new();
        let mut held_before = Vec::with_capacity(stmts.len());
        for stmt in stmts {
            held_before.push(held.len());
            if let Stmt::Local(local) = stmt
                && let Some((name, _)) = guard_binding(local)
            {
                held.push(name);
            }
            if let Some(name) = dropped(stmt) {
                held.retain(|h| *h != name);
            }
        }
        for (i, stmt) in stmts.iter().enumerate() {
            match stmt {
                Stmt::Expr(expr, Some(_)) => {
                    if is_fence(expr) {
                        self.remove(Operator::RemoveFence, stmt, "fence");
                    }
                    if method_call(expr, &["notify_one", "notify_all", "unpark"], 0).is_some() {
                        self.remove(Operator::RemoveNotify, stmt, "notification");
                        self.notify_earlier(stmts, i, &held_before);
                    }
                    if method_call(unwrapped(expr), &["join"], 0).is_some() {
                        self.remove(Operator::RemoveJoin, stmt, "join");
                    }
                    if let Expr::Assign(assign) = expr {
                        self.wait_gives_up_in_assignment(stmt, assign);
                    }
                }
                Stmt::Local(local) => {
                    if let Some(init) = &local.init
                        && matches!(local.pat, Pat::Wild(_))
                        && method_call(unwrapped(&init.expr), &["join"], 0).is_some()
                    {
                        self.remove(Operator::RemoveJoin, stmt, "join");
                    }
                    if let Some((name, _)) = guard_binding(local) {
                        if let Some(Stmt::Local(next)) = stmts.get(i + 1)
                            && let Some((next_name, _)) = guard_binding(next)
                        {
                            self.swap_locks(stmt, &stmts[i + 1], &name, &next_name);
                        }
                        self.release_early(stmts, i, local, &name);
                    }
                }
                _ => {}
            }
            let outside = self.guards_outside;
            self.guards_outside += held_before[i];
            self.visit_stmt(stmt);
            self.guards_outside = outside;
        }
    }

    /// The notification at `stmts[at]` moved before the statement that changes the state it
    /// announces (the one before it, past any `drop`s). Only made when that statement runs
    /// with no guard held: a notification moved within one lock hold cannot be told apart,
    /// since a woken waiter must take the lock again before it looks.
    fn notify_earlier(&mut self, stmts: &[Stmt], at: usize, held_before: &[usize]) {
        let Some(before) = (0..at).rev().find(|&j| dropped(&stmts[j]).is_none()) else {
            return;
        };
        if held_before[before] > 0 || self.guards_outside > 0 {
            return;
        }
        let change = &stmts[before];
        if let Stmt::Local(l) = change
            && guard_binding(l).is_some()
        {
            return;
        }
        if let Stmt::Expr(e, _) = change
            && method_call(e, &["notify_one", "notify_all", "unpark"], 0).is_some()
        {
            return;
        }
        let notify = self.text(stmts[at].span()).to_string();
        let start = change.span().byte_range().start;
        let text = format!(
            "`{}` moved before `{}`",
            one_line(&notify),
            one_line(self.text(change.span()))
        );
        self.push(
            Operator::NotifyBeforeChange,
            stmts[at].span(),
            text,
            vec![
                Self::replace(stmts[at].span(), ""),
                Edit {
                    range: start..start,
                    text: format!("{notify} "),
                },
            ],
        );
    }

    fn swap_locks(&mut self, first: &Stmt, second: &Stmt, a: &str, b: &str) {
        let first_text = self.text(first.span()).to_string();
        let second_text = self.text(second.span()).to_string();
        self.push(
            Operator::SwapLocks,
            first.span(),
            format!("`{b}` locked before `{a}`"),
            vec![
                Self::replace(first.span(), second_text),
                Self::replace(second.span(), first_text),
            ],
        );
    }

    /// The guard bound at `stmts[at]` released right after the first statement that uses it
    /// and taken again for the rest, when the rest uses it too.
    fn release_early(&mut self, stmts: &[Stmt], at: usize, local: &Local, name: &str) {
        let uses: Vec<usize> = (at + 1..stmts.len())
            .filter(|&k| mentions(stmts[k].to_token_stream(), name))
            .collect();
        let [first_use, _, ..] = uses[..] else {
            return;
        };
        if dropped(&stmts[first_use]).is_some() {
            return;
        }
        let Some(init) = &local.init else { return };
        let mutability = match &local.pat {
            Pat::Ident(p) if p.mutability.is_some() => "mut ",
            _ => "",
        };
        let end = stmts[first_use].span().byte_range().end;
        let again = format!(
            " drop({name}); let {mutability}{name} = {};",
            self.text(init.expr.span())
        );
        self.push(
            Operator::ReleaseGuardEarly,
            stmts[first_use].span(),
            format!("`{name}` released after its first use and taken again"),
            vec![Edit {
                range: end..end,
                text: again,
            }],
        );
    }

    /// `guard = cv.wait(guard).unwrap();` → a wait that times out; inside a loop, a timeout
    /// leaves the loop, as code that gives up waiting and goes on would.
    fn wait_gives_up_in_assignment(&mut self, stmt: &Stmt, assign: &syn::ExprAssign) {
        let Some(wait) = method_call(unwrapped(&assign.right), &["wait"], 1) else {
            return;
        };
        let target = self.text(assign.left.span()).to_string();
        let receiver = self.text(wait.receiver.span()).to_string();
        let guard = self.text(wait.args[0].span()).to_string();
        let give_up = if self.loop_depth > 0 {
            " if mutant_waited.timed_out() { break; }"
        } else {
            ""
        };
        let text = format!(
            "let (mutant_guard, mutant_waited) = {receiver}.wait_timeout({guard}, \
             {GIVE_UP_AFTER}).unwrap(); {target} = mutant_guard;{give_up}"
        );
        self.push(
            Operator::WaitGivesUp,
            wait.method.span(),
            "the wait gives up after 100 ms and goes on".to_string(),
            vec![Self::replace(stmt.span(), text)],
        );
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let owner = match &*item.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let outer = std::mem::replace(&mut self.owner, owner);
        visit::visit_item_impl(self, item);
        self.owner = outer;
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let name = match &self.owner {
            Some(owner) => format!("{owner}::{}", f.sig.ident),
            None => f.sig.ident.to_string(),
        };
        let outer = self.function.replace(name);
        visit::visit_impl_item_fn(self, f);
        self.function = outer;
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let outer = self.function.replace(f.sig.ident.to_string());
        visit::visit_item_fn(self, f);
        self.function = outer;
    }

    fn visit_block(&mut self, block: &'ast Block) {
        self.statements(&block.stmts);
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        // A closure may run on another thread, after the guards around it are gone.
        let depth = std::mem::take(&mut self.loop_depth);
        let guards = std::mem::take(&mut self.guards_outside);
        visit::visit_expr_closure(self, closure);
        self.loop_depth = depth;
        self.guards_outside = guards;
    }

    fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
        let waits = calls(&w.body, &["wait", "wait_timeout"], 1);
        let retries = calls(&*w.cond, COMPARE_EXCHANGES, 4) || calls(&w.body, COMPARE_EXCHANGES, 4);
        if waits {
            let edit = Self::replace(w.while_token.span, "if");
            self.push(
                Operator::WhileToIf,
                w.while_token.span,
                "`while` around the wait → `if`".to_string(),
                vec![edit],
            );
        } else if retries {
            let edit = Self::replace(w.while_token.span, "if");
            self.push(
                Operator::OneCompareExchange,
                w.while_token.span,
                "compare-exchange loop cut to one attempt (`while` → `if`)".to_string(),
                vec![edit],
            );
        }
        self.loop_depth += 1;
        visit::visit_expr_while(self, w);
        self.loop_depth -= 1;
    }

    fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
        if calls(&l.body, COMPARE_EXCHANGES, 4) {
            let edit = Self::replace(l.loop_token.span, "for _ in 0..1");
            self.push(
                Operator::OneCompareExchange,
                l.loop_token.span,
                "compare-exchange loop cut to one attempt (`loop` → one pass)".to_string(),
                vec![edit],
            );
        }
        self.loop_depth += 1;
        visit::visit_expr_loop(self, l);
        self.loop_depth -= 1;
    }

    fn visit_expr_for_loop(&mut self, l: &'ast syn::ExprForLoop) {
        self.loop_depth += 1;
        visit::visit_expr_for_loop(self, l);
        self.loop_depth -= 1;
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if is_fence(&Expr::Call(call.clone()))
            && let Some(arg) = call.args.first()
        {
            self.weaken(arg, Role::Fence, "fence");
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, m: &'ast ExprMethodCall) {
        let method = m.method.to_string();
        let args: Vec<&Expr> = m.args.iter().collect();
        let roles: &[(usize, Role)] = match (method.as_str(), args.len()) {
            ("load", 1) => &[(0, Role::Load)],
            ("store", 2) => &[(1, Role::Store)],
            (rmw, 2) if READ_MODIFY_WRITES.contains(&rmw) => &[(1, Role::ReadModifyWrite)],
            (cas, 4) if COMPARE_EXCHANGES.contains(&cas) => {
                &[(2, Role::ReadModifyWrite), (3, Role::Failure)]
            }
            ("fetch_update", 3) => &[(0, Role::ReadModifyWrite), (1, Role::Failure)],
            _ => &[],
        };
        for &(i, role) in roles {
            self.weaken(args[i], role, &method);
        }
        let splittable = (READ_MODIFY_WRITES.contains(&method.as_str()) && args.len() == 2)
            || (COMPARE_EXCHANGES.contains(&method.as_str()) && args.len() == 4);
        if splittable {
            self.split(m);
        }
        if method == "notify_all" && args.is_empty() {
            self.push(
                Operator::NotifyAllToOne,
                m.method.span(),
                "`notify_all` → `notify_one`".to_string(),
                vec![Self::replace(m.method.span(), "notify_one")],
            );
        }
        if method == "wait_while" && args.len() == 2 {
            let receiver = self.text(m.receiver.span()).to_string();
            let guard = self.text(args[0].span()).to_string();
            let condition = self.text(args[1].span()).to_string();
            self.push(
                Operator::WaitWhileToWait,
                m.method.span(),
                "`wait_while` → one `wait`".to_string(),
                vec![Self::replace(m.span(), format!("{receiver}.wait({guard})"))],
            );
            self.push(
                Operator::WaitGivesUp,
                m.method.span(),
                "the wait gives up after 100 ms and goes on".to_string(),
                vec![Self::replace(
                    m.span(),
                    format!(
                        "{receiver}.wait_timeout_while({guard}, {GIVE_UP_AFTER}, {condition})\
                         .map(|(mutant_guard, _)| mutant_guard)"
                    ),
                )],
            );
        }
        visit::visit_expr_method_call(self, m);
    }
}
