//! The part of Mesh's type check a lookup helper meets (MESH-RUNTIME.md): a Pid compared with an Int is
//! E0001, a Pid compared with a Pid is E0006 (Pid has no Eq). Both branches are checked, taken or not.
//! Errors whose Mesh code we do not know carry an empty code rather than a guessed one.

use super::helper::{BinOp, Builtin, Expr, ExprKind, Helper, Literal, Pattern, Pos, Stmt};
use super::TypeError;
use std::collections::HashMap;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    String,
    Int,
    Bool,
    Pid,
    List,
    Unit,
    /// Already reported; do not report again.
    Error,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Ty::String => "String",
            Ty::Int => "Int",
            Ty::Bool => "Bool",
            Ty::Pid => "Pid",
            Ty::List => "List<String>",
            Ty::Unit => "()",
            Ty::Error => "?",
        })
    }
}

/// Every type error in the helper, in source order.
pub fn check(helper: &Helper) -> Vec<TypeError> {
    let mut checker = Checker { errors: Vec::new(), scopes: vec![HashMap::new()] };
    let ty = checker.expr(&helper.body);
    if ty != Ty::Pid && ty != Ty::Error {
        checker.error(
            helper.body.at,
            "E0001",
            format!("{} returns {ty} where callers expect a Pid", helper.name),
        );
    }
    crate::order::sort_by_key(&mut checker.errors, |e| (e.line, e.column));
    checker.errors
}

struct Checker {
    errors: Vec<TypeError>,
    scopes: Vec<HashMap<String, Ty>>,
}

impl Checker {
    fn error(&mut self, at: Pos, code: &str, message: String) {
        self.errors.push(TypeError { line: at.line, column: at.column, code: code.to_owned(), message });
    }

    fn lookup(&self, name: &str) -> Option<Ty> {
        self.scopes.iter().rev().find_map(|s| s.get(name).cloned())
    }

    fn scoped(&mut self, f: impl FnOnce(&mut Checker) -> Ty) -> Ty {
        self.scopes.push(HashMap::new());
        let ty = f(self);
        self.scopes.pop();
        ty
    }

    /// Two branch types must agree; an error on either side is already reported.
    fn join(&mut self, at: Pos, what: &str, a: Ty, b: Ty) -> Ty {
        match (a, b) {
            (Ty::Error, _) | (_, Ty::Error) => Ty::Error,
            (a, b) if a == b => a,
            (a, b) => {
                self.error(at, "E0001", format!("{what} have different types: {a} and {b}"));
                Ty::Error
            }
        }
    }

    fn expr(&mut self, expr: &Expr) -> Ty {
        match &expr.kind {
            ExprKind::Literal(Literal::Str(_)) => Ty::String,
            ExprKind::Literal(Literal::Int(_)) => Ty::Int,
            ExprKind::Literal(Literal::Bool(_)) => Ty::Bool,
            ExprKind::Var(name) => match self.lookup(name) {
                Some(ty) => ty,
                None => {
                    self.error(expr.at, "", format!("unbound variable `{name}`"));
                    Ty::Error
                }
            },
            ExprKind::Block(statements) => self.scoped(|c| {
                let mut last = Ty::Unit;
                for statement in statements {
                    last = match statement {
                        Stmt::Let { name, value, .. } => {
                            let ty = c.expr(value);
                            c.scopes.last_mut().expect("a scope is open").insert(name.clone(), ty);
                            Ty::Unit
                        }
                        Stmt::Expr(e) => c.expr(e),
                    };
                }
                last
            }),
            ExprKind::If { condition, consequence, alternative } => {
                let cond = self.expr(condition);
                if cond != Ty::Bool && cond != Ty::Error {
                    self.error(condition.at, "E0001", format!("if condition is {cond}, not Bool"));
                }
                let then = self.expr(consequence);
                let otherwise = alternative.as_ref().map_or(Ty::Unit, |a| self.expr(a));
                self.join(expr.at, "if branches", then, otherwise)
            }
            ExprKind::Case { value, arms } => {
                let scrutinee = self.expr(value);
                let mut result: Option<Ty> = None;
                for arm in arms {
                    let body = self.scoped(|c| {
                        match &arm.pattern {
                            Pattern::Literal(lit) => {
                                let ty = c.expr(&Expr { at: arm.at, kind: ExprKind::Literal(lit.clone()) });
                                if scrutinee != Ty::Error && ty != scrutinee {
                                    c.error(
                                        arm.at,
                                        "E0001",
                                        format!("pattern of type {ty} on a {scrutinee} value"),
                                    );
                                }
                            }
                            Pattern::Bind(name) => {
                                c.scopes
                                    .last_mut()
                                    .expect("a scope is open")
                                    .insert(name.clone(), scrutinee.clone());
                            }
                            Pattern::Wildcard => {}
                        }
                        c.expr(&arm.body)
                    });
                    result = Some(match result {
                        None => body,
                        Some(prev) => self.join(arm.body.at, "case arms", prev, body),
                    });
                }
                result.unwrap_or(Ty::Unit)
            }
            ExprKind::Binary { op, left, right } => {
                let (l, r) = (self.expr(left), self.expr(right));
                match op {
                    BinOp::Concat => {
                        for (side, ty) in [(left, &l), (right, &r)] {
                            if *ty != Ty::String && *ty != Ty::Error {
                                self.error(
                                    side.at,
                                    "E0001",
                                    format!("`<>` needs String operands, found {ty}"),
                                );
                            }
                        }
                        Ty::String
                    }
                    BinOp::Eq | BinOp::Ne => {
                        let symbol = op.symbol();
                        match (&l, &r) {
                            (Ty::Error, _) | (_, Ty::Error) => {}
                            (Ty::Pid, Ty::Pid) => self.error(
                                expr.at,
                                "E0006",
                                format!("`{symbol}` on Pid values: Pid has no Eq"),
                            ),
                            (a, b) if a != b => self.error(
                                expr.at,
                                "E0001",
                                format!("type mismatch: {a} compared with {b} (`{symbol}`)"),
                            ),
                            _ => {}
                        }
                        Ty::Bool
                    }
                }
            }
            ExprKind::Call { function, arguments } => {
                let args: Vec<Ty> = arguments.iter().map(|a| self.expr(a)).collect();
                let (params, result): (&[Ty], Ty) = match function {
                    Builtin::ProcessWhereis | Builtin::GlobalWhereis => (&[Ty::String], Ty::Pid),
                    Builtin::NodeSelf => (&[], Ty::String),
                    Builtin::NodeList => (&[], Ty::List),
                    Builtin::ListLength => (&[Ty::List], Ty::Int),
                };
                let name = function.name();
                if args.len() != params.len() {
                    self.error(
                        expr.at,
                        "",
                        format!("{name} takes {} argument(s), given {}", params.len(), args.len()),
                    );
                } else {
                    for ((arg, ty), want) in arguments.iter().zip(&args).zip(params) {
                        if ty != want && *ty != Ty::Error {
                            self.error(arg.at, "E0001", format!("{name} expects {want}, given {ty}"));
                        }
                    }
                }
                result
            }
        }
    }
}
