//! Executes the helper on one node at one moment: registry reads go to that node's tables as they are.
//! A PID compared with an Int runs with its intended meaning (0 = not found) even though it does not
//! compile; `typecheck` reports that separately.

use super::engine::Resolved;
use super::helper::{Arm, BinOp, Builtin, Expr, ExprKind, Helper, Literal, Pattern, Pos, Stmt};
use super::model::{Cluster, NodeId, Pid};
use super::{CallTrace, SimError};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    /// `None` is raw PID 0.
    Pid(Option<Pid>),
    List(Vec<Value>),
    Unit,
}

impl Value {
    fn show(&self, cluster: &Cluster) -> String {
        match self {
            Value::Str(s) => format!("{s:?}"),
            Value::Int(i) => i.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Pid(p) => cluster.show_pid(*p),
            Value::List(items) => {
                format!("[{}]", items.iter().map(|v| v.show(cluster)).collect::<Vec<_>>().join(", "))
            }
            Value::Unit => "()".to_owned(),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "String",
            Value::Int(_) => "Int",
            Value::Bool(_) => "Bool",
            Value::Pid(_) => "Pid",
            Value::List(_) => "List",
            Value::Unit => "()",
        }
    }
}

/// `Process.whereis(name)` on `node`: its local registry only.
pub fn local_whereis(cluster: &Cluster, node: NodeId, name: &str) -> (Option<Pid>, CallTrace) {
    let n = &cluster.nodes[node];
    let pid = n.local.get(name).copied();
    let trace = CallTrace {
        call: format!("Process.whereis({name:?})"),
        line: None,
        column: None,
        returned: cluster.show_pid(pid),
        read: Some(format!("{}'s local registry", n.id)),
        held: Some(cluster.show_table(&n.local)),
    };
    (pid, trace)
}

/// `Global.whereis(name)` on `node`: that node's copy of the global registry only.
pub fn global_whereis(cluster: &Cluster, node: NodeId, name: &str) -> (Option<Pid>, CallTrace) {
    let n = &cluster.nodes[node];
    let pid = n.global.get(name).copied();
    let trace = CallTrace {
        call: format!("Global.whereis({name:?})"),
        line: None,
        column: None,
        returned: cluster.show_pid(pid),
        read: Some(format!("{}'s global-registry copy", n.id)),
        held: Some(cluster.show_table(&n.global)),
    };
    (pid, trace)
}

/// Runs the helper on `node`; its result must be a PID.
pub fn call(helper: &Helper, cluster: &Cluster, node: NodeId) -> Result<Resolved, SimError> {
    let mut interp = Interp { cluster, node, scopes: vec![HashMap::new()], calls: Vec::new() };
    match interp.eval(&helper.body)? {
        Value::Pid(pid) => Ok(Resolved { pid, calls: interp.calls }),
        other => Err(error(
            helper.body.at,
            &format!("{} returned {} ({}), not a Pid,", helper.name, other.show(cluster), other.type_name()),
        )),
    }
}

/// Evaluates an expression on `node` (no result-type requirement), returning its value and calls.
pub fn eval(expr: &Expr, cluster: &Cluster, node: NodeId) -> Result<(Value, Vec<CallTrace>), SimError> {
    let mut interp = Interp { cluster, node, scopes: vec![HashMap::new()], calls: Vec::new() };
    let value = interp.eval(expr)?;
    Ok((value, interp.calls))
}

fn error(at: Pos, what: &str) -> SimError {
    SimError::new(format!("cannot simulate: {what} at {}:{}", at.line, at.column))
}

struct Interp<'c> {
    cluster: &'c Cluster,
    node: NodeId,
    scopes: Vec<HashMap<String, Value>>,
    calls: Vec<CallTrace>,
}

impl Interp<'_> {
    fn scoped<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.scopes.push(HashMap::new());
        let out = f(self);
        self.scopes.pop();
        out
    }

    fn bind(&mut self, name: &str, value: Value) {
        self.scopes.last_mut().expect("a scope is open").insert(name.to_owned(), value);
    }

    fn eval(&mut self, expr: &Expr) -> Result<Value, SimError> {
        match &expr.kind {
            ExprKind::Literal(Literal::Str(s)) => Ok(Value::Str(s.clone())),
            ExprKind::Literal(Literal::Int(i)) => Ok(Value::Int(*i)),
            ExprKind::Literal(Literal::Bool(b)) => Ok(Value::Bool(*b)),
            ExprKind::Var(name) => self
                .scopes
                .iter()
                .rev()
                .find_map(|s| s.get(name).cloned())
                .ok_or_else(|| error(expr.at, &format!("unbound variable `{name}`"))),
            ExprKind::Block(statements) => self.scoped(|me| {
                let mut last = Value::Unit;
                for statement in statements {
                    last = match statement {
                        Stmt::Let { name, value, .. } => {
                            let v = me.eval(value)?;
                            me.bind(name, v);
                            Value::Unit
                        }
                        Stmt::Expr(e) => me.eval(e)?,
                    };
                }
                Ok(last)
            }),
            ExprKind::If { condition, consequence, alternative } => match self.eval(condition)? {
                Value::Bool(true) => self.eval(consequence),
                Value::Bool(false) => alternative.as_ref().map_or(Ok(Value::Unit), |a| self.eval(a)),
                other => {
                    Err(error(condition.at, &format!("if condition is {}, not Bool,", other.type_name())))
                }
            },
            ExprKind::Case { value, arms } => {
                let v = self.eval(value)?;
                for Arm { pattern, body, .. } in arms {
                    let matched = match pattern {
                        Pattern::Wildcard | Pattern::Bind(_) => true,
                        Pattern::Literal(lit) => equal(&v, &literal(lit)),
                    };
                    if matched {
                        return self.scoped(|me| {
                            if let Pattern::Bind(name) = pattern {
                                me.bind(name, v.clone());
                            }
                            me.eval(body)
                        });
                    }
                }
                Err(error(expr.at, &format!("no case arm matches {}", v.show(self.cluster))))
            }
            ExprKind::Binary { op, left, right } => {
                let (l, r) = (self.eval(left)?, self.eval(right)?);
                match op {
                    BinOp::Eq => Ok(Value::Bool(equal(&l, &r))),
                    BinOp::Ne => Ok(Value::Bool(!equal(&l, &r))),
                    BinOp::Concat => match (l, r) {
                        (Value::Str(a), Value::Str(b)) => Ok(Value::Str(a + &b)),
                        (a, b) => {
                            Err(error(expr.at, &format!("`<>` on {} and {}", a.type_name(), b.type_name())))
                        }
                    },
                }
            }
            ExprKind::Call { function, arguments } => {
                let args = arguments.iter().map(|a| self.eval(a)).collect::<Result<Vec<_>, _>>()?;
                self.call(*function, &args, expr.at)
            }
        }
    }

    fn call(&mut self, function: Builtin, args: &[Value], at: Pos) -> Result<Value, SimError> {
        let node = &self.cluster.nodes[self.node];
        let bad_args = || {
            let types: Vec<&str> = args.iter().map(Value::type_name).collect();
            error(at, &format!("{}({})", function.name(), types.join(", ")))
        };
        let (value, mut trace) = match (function, args) {
            (Builtin::ProcessWhereis, [Value::Str(name)]) => {
                let (pid, trace) = local_whereis(self.cluster, self.node, name);
                (Value::Pid(pid), trace)
            }
            (Builtin::GlobalWhereis, [Value::Str(name)]) => {
                let (pid, trace) = global_whereis(self.cluster, self.node, name);
                (Value::Pid(pid), trace)
            }
            (Builtin::NodeSelf, []) => {
                let value = Value::Str(node.self_name().to_owned());
                let why = if node.started { "started" } else { "never started: standalone" };
                (value, self.plain("Node.self()", format!("{} is {why}", node.id)))
            }
            (Builtin::NodeList, []) => {
                let peers = node.peers.iter().map(|p| Value::Str(self.cluster.nodes[p].full_name.clone()));
                let value = Value::List(peers.collect());
                (value, self.plain("Node.list()", format!("{}'s connected peers", node.id)))
            }
            (Builtin::ListLength, [Value::List(items)]) => {
                let value = Value::Int(items.len() as i64);
                let shown = Value::List(items.clone()).show(self.cluster);
                (value, self.plain(&format!("List.length({shown})"), String::new()))
            }
            _ => return Err(bad_args()),
        };
        trace.returned = value.show(self.cluster);
        trace.line = Some(at.line);
        trace.column = Some(at.column);
        if trace.read.as_deref() == Some("") {
            trace.read = None;
        }
        self.calls.push(trace);
        Ok(value)
    }

    fn plain(&self, call: &str, read: String) -> CallTrace {
        CallTrace {
            call: call.to_owned(),
            line: None,
            column: None,
            returned: String::new(),
            read: Some(read),
            held: None,
        }
    }
}

fn literal(lit: &Literal) -> Value {
    match lit {
        Literal::Str(s) => Value::Str(s.clone()),
        Literal::Int(i) => Value::Int(*i),
        Literal::Bool(b) => Value::Bool(*b),
    }
}

/// Equality with the helper's intended meaning: a PID equals Int 0 exactly when it is "not found".
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Pid(p), Value::Int(i)) | (Value::Int(i), Value::Pid(p)) => p.is_none() && *i == 0,
        _ => a == b,
    }
}
