//! The lookup helper as a small expression tree, lowered from the Mesh syntax tree.
//! Only the subset a lookup helper needs is accepted; anything else is refused here, with its
//! position, so an unsupported construct is reported even in a branch a scenario never takes.

use super::SimError;
use crate::lines::LineIndex;
use crate::parse::parse;
use std::cell::Cell;
use tree_sitter::Node;

/// How deep the helper's syntax may nest. The lowered helper is walked recursively (evaluation,
/// type check, drop), so a limit here keeps every later walk within the stack.
pub const MAX_DEPTH: usize = 100;

/// 1-based line and column in the helper text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// The functions a helper may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    ProcessWhereis,
    GlobalWhereis,
    NodeSelf,
    NodeList,
    ListLength,
}

impl Builtin {
    fn named(name: &str) -> Option<Builtin> {
        Some(match name {
            "Process.whereis" => Builtin::ProcessWhereis,
            "Global.whereis" => Builtin::GlobalWhereis,
            "Node.self" => Builtin::NodeSelf,
            "Node.list" => Builtin::NodeList,
            "List.length" => Builtin::ListLength,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Builtin::ProcessWhereis => "Process.whereis",
            Builtin::GlobalWhereis => "Global.whereis",
            Builtin::NodeSelf => "Node.self",
            Builtin::NodeList => "Node.list",
            Builtin::ListLength => "List.length",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Eq,
    Ne,
    Concat,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Concat => "<>",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    Str(String),
    Int(i64),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    Literal(Literal),
    /// `_`
    Wildcard,
    /// A name: matches anything and binds it.
    Bind(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arm {
    pub pattern: Pattern,
    pub at: Pos,
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    Let { name: String, at: Pos, value: Expr },
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub at: Pos,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Literal(Literal),
    Var(String),
    Block(Vec<Stmt>),
    /// `alternative` is a block or another `if` (an `else if` chain).
    If {
        condition: Box<Expr>,
        consequence: Box<Expr>,
        alternative: Option<Box<Expr>>,
    },
    Case {
        value: Box<Expr>,
        arms: Vec<Arm>,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Call {
        function: Builtin,
        arguments: Vec<Expr>,
    },
}

/// The helper function, ready to run.
#[derive(Clone, Debug)]
pub struct Helper {
    pub name: String,
    pub body: Expr,
    text: String,
}

impl Helper {
    /// Finds the function `name` in `source` (a helper file or just the function) and lowers its body.
    pub fn load(source: &str, name: &str) -> Result<Helper, SimError> {
        let parsed = parse(source);
        if let Some(e) = parsed.errors().first() {
            return Err(SimError::new(format!(
                "cannot simulate: the helper has a syntax error at {}:{}: {}",
                e.line, e.column, e.message
            )));
        }
        let function = find_function(parsed.root(), source, name).ok_or_else(|| {
            SimError::new(format!("cannot simulate: the helper text has no function `{name}`"))
        })?;
        let lower = Lower { source, lines: LineIndex::new(source), depth: Cell::new(0) };
        if let Some(params) = function.child_by_field_name("parameters") {
            if params.named_child_count() > 0 {
                return Err(lower.unsupported(params, &format!("parameters of {name}")));
            }
        }
        for field in ["guard", "where", "type_parameters"] {
            if let Some(node) = function.child_by_field_name(field) {
                return Err(lower.unsupported(node, &format!("{} on {name}", field.replace('_', " "))));
            }
        }
        let body = function
            .child_by_field_name("body")
            .ok_or_else(|| SimError::new(format!("cannot simulate: `{name}` has no body")))?;
        Ok(Helper {
            name: name.to_owned(),
            body: lower.expr(body)?,
            text: source[function.byte_range()].to_owned(),
        })
    }

    /// The function's source text.
    pub fn function_text(&self) -> &str {
        &self.text
    }

    /// How many expressions the body has: the verdict's measure of "simplest".
    /// Walks with an explicit stack, so a deep body cannot overflow the call stack.
    pub fn size(&self) -> usize {
        let mut stack = vec![&self.body];
        let mut count = 0;
        while let Some(e) = stack.pop() {
            count += 1;
            match &e.kind {
                ExprKind::Literal(_) | ExprKind::Var(_) => {}
                ExprKind::Block(statements) => stack.extend(statements.iter().map(|s| match s {
                    Stmt::Let { value, .. } => value,
                    Stmt::Expr(e) => e,
                })),
                ExprKind::If { condition, consequence, alternative } => {
                    stack.extend([&**condition, &**consequence]);
                    stack.extend(alternative.as_deref());
                }
                ExprKind::Case { value, arms } => {
                    stack.push(value);
                    stack.extend(arms.iter().map(|a| &a.body));
                }
                ExprKind::Binary { left, right, .. } => stack.extend([&**left, &**right]),
                ExprKind::Call { arguments, .. } => stack.extend(arguments),
            }
        }
        count
    }
}

/// Whether `source` parses and defines a function `name` (whatever its body holds).
pub fn defines(source: &str, name: &str) -> bool {
    let parsed = parse(source);
    find_function(parsed.root(), source, name).is_some()
}

/// The first `function_definition` named `name`, in document order. Walks with a cursor, so
/// a deeply nested file cannot overflow the stack.
fn find_function<'t>(root: Node<'t>, source: &str, name: &str) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.kind() == "function_definition"
            && node.child_by_field_name("name").is_some_and(|n| &source[n.byte_range()] == name)
        {
            return Some(node);
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return None;
            }
        }
    }
}

struct Lower<'s> {
    source: &'s str,
    lines: LineIndex<'s>,
    /// How many `expr` calls are open.
    depth: Cell<usize>,
}

impl Lower<'_> {
    fn pos(&self, node: Node) -> Pos {
        let p = self.lines.position(node.start_byte());
        Pos { line: p.line, column: p.column }
    }

    fn text(&self, node: Node) -> &str {
        &self.source[node.byte_range()]
    }

    fn unsupported(&self, node: Node, what: &str) -> SimError {
        let p = self.pos(node);
        SimError::new(format!("cannot simulate: {what} at {}:{}", p.line, p.column))
    }

    /// How an unsupported node kind is named in the message.
    fn refuse(&self, node: Node) -> SimError {
        let what = node.kind().trim_start_matches('_').replace('_', " ");
        self.unsupported(node, &what)
    }

    fn children<'t>(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = node.walk();
        node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect()
    }

    fn field<'t>(&self, node: Node<'t>, field: &str) -> Result<Node<'t>, SimError> {
        node.child_by_field_name(field).ok_or_else(|| {
            self.unsupported(node, &format!("{} without {field}", node.kind().replace('_', " ")))
        })
    }

    fn expr(&self, node: Node) -> Result<Expr, SimError> {
        let depth = self.depth.get();
        if depth == MAX_DEPTH {
            return Err(self.unsupported(node, &format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.depth.set(depth + 1);
        let lowered = self.lower(node);
        self.depth.set(depth);
        lowered
    }

    fn lower(&self, node: Node) -> Result<Expr, SimError> {
        let at = self.pos(node);
        let kind = match node.kind() {
            "block" => ExprKind::Block(self.block(node)?),
            "expression_statement" | "parenthesized_expression" => {
                return match self.children(node).as_slice() {
                    [inner] => self.expr(*inner),
                    _ => Err(self.refuse(node)),
                };
            }
            "string" => ExprKind::Literal(Literal::Str(self.string(node)?)),
            "integer" => ExprKind::Literal(Literal::Int(self.integer(node)?)),
            "boolean" | "true" | "false" => ExprKind::Literal(Literal::Bool(self.text(node) == "true")),
            "identifier" => ExprKind::Var(self.text(node).to_owned()),
            "if_expression" => {
                let condition = self.expr(self.field(node, "condition")?)?;
                let consequence = self.expr(self.field(node, "consequence")?)?;
                let alternative = match node.child_by_field_name("alternative") {
                    None => None,
                    Some(alt) => Some(Box::new(self.else_clause(alt)?)),
                };
                ExprKind::If {
                    condition: Box::new(condition),
                    consequence: Box::new(consequence),
                    alternative,
                }
            }
            "case_expression" => {
                let value = self.expr(self.field(node, "value")?)?;
                let mut arms = Vec::new();
                for arm in self.children(node).into_iter().filter(|c| c.kind() == "case_arm") {
                    if let Some(guard) = arm.child_by_field_name("guard") {
                        return Err(self.unsupported(guard, "case guard"));
                    }
                    let pattern_node = self.field(arm, "pattern")?;
                    arms.push(Arm {
                        pattern: self.pattern(pattern_node)?,
                        at: self.pos(pattern_node),
                        body: self.expr(self.field(arm, "body")?)?,
                    });
                }
                ExprKind::Case { value: Box::new(value), arms }
            }
            "binary_expression" => {
                let operator = self.field(node, "operator")?;
                let op = match self.text(operator) {
                    "==" => BinOp::Eq,
                    "!=" => BinOp::Ne,
                    "<>" => BinOp::Concat,
                    other => return Err(self.unsupported(operator, &format!("operator {other}"))),
                };
                let left = self.expr(self.field(node, "left")?)?;
                let right = self.expr(self.field(node, "right")?)?;
                ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) }
            }
            "call" => {
                let function = self.field(node, "function")?;
                let name: String = self.text(function).chars().filter(|c| !c.is_whitespace()).collect();
                let builtin = Builtin::named(&name)
                    .ok_or_else(|| self.unsupported(node, &format!("call to {name}")))?;
                if let Some(block) = node.child_by_field_name("block") {
                    return Err(self.unsupported(block, "trailing block"));
                }
                let mut arguments = Vec::new();
                if let Some(args) = node.child_by_field_name("arguments") {
                    for arg in self.children(args) {
                        arguments.push(self.expr(arg)?);
                    }
                }
                ExprKind::Call { function: builtin, arguments }
            }
            _ => return Err(self.refuse(node)),
        };
        Ok(Expr { at, kind })
    }

    fn else_clause(&self, node: Node) -> Result<Expr, SimError> {
        if node.kind() != "else_clause" {
            return self.expr(node);
        }
        match self.children(node).as_slice() {
            [inner] => self.expr(*inner),
            _ => Err(self.refuse(node)),
        }
    }

    fn block(&self, node: Node) -> Result<Vec<Stmt>, SimError> {
        let mut statements = Vec::new();
        for child in self.children(node) {
            if child.kind() == "let_statement" {
                if let Some(ty) = child.child_by_field_name("type") {
                    return Err(self.unsupported(ty, "type annotation in let"));
                }
                let pattern = self.field(child, "pattern")?;
                if pattern.kind() != "identifier" {
                    return Err(
                        self.unsupported(pattern, &format!("pattern `{}` in let", self.text(pattern)))
                    );
                }
                statements.push(Stmt::Let {
                    name: self.text(pattern).to_owned(),
                    at: self.pos(child),
                    value: self.expr(self.field(child, "value")?)?,
                });
            } else {
                statements.push(Stmt::Expr(self.expr(child)?));
            }
        }
        Ok(statements)
    }

    fn pattern(&self, node: Node) -> Result<Pattern, SimError> {
        Ok(match node.kind() {
            "string" => Pattern::Literal(Literal::Str(self.string(node)?)),
            "integer" => Pattern::Literal(Literal::Int(self.integer(node)?)),
            "boolean" | "true" | "false" => Pattern::Literal(Literal::Bool(self.text(node) == "true")),
            "wildcard" | "_" => Pattern::Wildcard,
            "identifier" if self.text(node) == "_" => Pattern::Wildcard,
            "identifier" => Pattern::Bind(self.text(node).to_owned()),
            "pattern" | "literal_pattern" => match self.children(node).as_slice() {
                [inner] => return self.pattern(*inner),
                [] if self.text(node) == "_" => Pattern::Wildcard,
                _ => return Err(self.unsupported(node, &format!("pattern `{}`", self.text(node)))),
            },
            _ => return Err(self.unsupported(node, &format!("pattern `{}`", self.text(node)))),
        })
    }

    fn string(&self, node: Node) -> Result<String, SimError> {
        let mut out = String::new();
        for part in self.children(node) {
            match part.kind() {
                "string_content" => out.push_str(self.text(part)),
                "escape_sequence" => out.push(unescape(self.text(part))),
                "interpolation" => return Err(self.unsupported(part, "string interpolation")),
                _ => return Err(self.refuse(part)),
            }
        }
        Ok(out)
    }

    fn integer(&self, node: Node) -> Result<i64, SimError> {
        let digits: String = self.text(node).chars().filter(|c| *c != '_').collect();
        let value = match digits.get(..2) {
            Some("0x") | Some("0X") => i64::from_str_radix(&digits[2..], 16),
            Some("0b") | Some("0B") => i64::from_str_radix(&digits[2..], 2),
            Some("0o") | Some("0O") => i64::from_str_radix(&digits[2..], 8),
            _ => digits.parse(),
        };
        value.map_err(|_| self.unsupported(node, &format!("integer {}", self.text(node))))
    }
}

/// `\n` → newline; any other `\X` means `X` (MESH-SYNTAX.md).
fn unescape(escape: &str) -> char {
    match escape.chars().nth(1) {
        Some('n') => '\n',
        Some('t') => '\t',
        Some('r') => '\r',
        Some('0') => '\0',
        Some(c) => c,
        None => '\\',
    }
}
