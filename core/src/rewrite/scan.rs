//! One walk over a file's syntax tree, collecting every fact the rewrite and its report need:
//! registry lookups, mentions of the lookup in comments and strings, helper calls, imports,
//! Pid-vs-Int comparisons and the top-level layout (where imports and the helper go).

use super::rule::Rule;
use crate::lines::LineIndex;
use crate::parse::Parsed;
use memchr::memmem;
use std::collections::HashSet;
use std::sync::OnceLock;
use tree_sitter::{Node, Point, TreeCursor};

/// What a file is to the rule.
pub(crate) struct ScanContext<'a> {
    pub rule: &'a Rule,
    pub helper_module: &'a str,
    pub is_helper_file: bool,
}

/// A 1-based line and character column plus the byte range it points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Spot {
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
    /// Tree-sitter's (row, byte column) of `start` and `end`, for tree edits.
    pub start_point: Point,
    pub end_point: Point,
}

/// The argument of a `Process.whereis(...)` call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Arg {
    /// Exactly one plain string literal (no interpolation, no escapes): its value.
    Literal(String),
    /// Anything else: a variable, an expression, an interpolated string, a wrong argument count.
    Other,
}

/// A `Process.whereis(...)` call in code.
#[derive(Clone, Debug)]
pub(crate) struct Lookup {
    pub spot: Spot,
    pub arg: Arg,
    /// The enclosing function, actor or service handler.
    pub function: Option<String>,
    /// Inside the helper's definition in the helper file.
    pub in_helper: bool,
}

impl Lookup {
    /// Whether this is `Process.whereis("name")` with `name` as a literal.
    pub fn of(&self, name: &str) -> bool {
        matches!(&self.arg, Arg::Literal(v) if v == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MentionKind {
    Comment,
    String,
}

/// The registry lookup written out in a comment or a string: text, not code.
#[derive(Clone, Debug)]
pub(crate) struct Mention {
    pub spot: Spot,
    pub kind: MentionKind,
}

/// `x != 0` where `x` holds a `Process.whereis`/`Global.whereis` result: Pid compared with Int.
#[derive(Clone, Debug)]
pub(crate) struct PidCompare {
    pub spot: Spot,
    pub text: String,
}

/// A top-level `from M import a, b` or `import M`.
#[derive(Clone, Debug)]
pub(crate) struct Import {
    /// Byte just past the end of the import's line (after its line ending, if any).
    pub line_end: usize,
    /// For `from <helper module> import …`: the end of the name list and whether it holds the helper.
    pub helper_names: Option<(usize, bool)>,
}

/// Where things sit at the top level of a file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Top {
    pub imports: Vec<Import>,
    /// Start of the line where new items go: the first item that is not a comment or import,
    /// moved up over its own doc comments, but never into the file's leading comment block.
    /// None when the file has no such item.
    pub item_anchor: Option<usize>,
    /// The helper's definition (with its attached comments) in the helper file: byte range.
    pub helper_region: Option<(usize, usize)>,
}

/// Everything one walk found, in source order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scan {
    pub lookups: Vec<Lookup>,
    pub mentions: Vec<Mention>,
    /// Comments outside the helper that talk about `Process.whereis` or the registry lookup.
    pub lookup_comments: Vec<Spot>,
    /// The first call of the helper, if any: the checks ask whether a file calls it. Once found,
    /// the walk stops visiting the helper's name (a rewritten file holds one call per replacement).
    pub helper_call: Option<Spot>,
    pub pid_compares: Vec<PidCompare>,
    pub top: Top,
}

impl Scan {
    pub fn helper_defined(&self) -> bool {
        self.top.helper_region.is_some()
    }

    /// Whether a top-level `from <helper module> import …` lists the helper.
    pub fn imports_helper(&self) -> bool {
        self.top.imports.iter().any(|i| matches!(i.helper_names, Some((_, true))))
    }

    /// Keeps only what the checks and diagnostics read of a file that is not the helper file:
    /// the lookups (without their functions, already in the report), comments, Pid comparisons,
    /// whether the helper is called, imported and defined. Mentions (already in the report as
    /// skipped), the import list and the anchors (for edits) go.
    pub fn summarize(&mut self) {
        for l in &mut self.lookups {
            l.function = None;
        }
        self.mentions = Vec::new();
        let helper_import = self.top.imports.iter().find(|i| matches!(i.helper_names, Some((_, true)))).cloned();
        self.top.imports = helper_import.into_iter().collect();
        self.top.item_anchor = None;
        self.lookups.shrink_to_fit();
        self.lookup_comments.shrink_to_fit();
        self.pid_compares.shrink_to_fit();
    }

    /// Number of lookups whose literal argument is `name`.
    pub fn lookups_of(&self, name: &str) -> usize {
        self.lookups.iter().filter(|l| l.of(name)).count()
    }
}

/// Node kind ids of the contract in `core/grammar/README.md`, resolved once.
struct Kinds {
    call: u16,
    field_access: u16,
    identifier: u16,
    string: u16,
    string_content: u16,
    comment: u16,
    import_statement: u16,
    from_import: u16,
    function_definition: u16,
    actor_definition: u16,
    service_definition: u16,
    call_handler: u16,
    cast_handler: u16,
    let_statement: u16,
    binary_expression: u16,
    integer: u16,
    /// Field ids: `child_by_field_name` looks the name up among all fields on every call.
    fields: Fields,
}

struct Fields {
    name: u16,
    function: u16,
    pattern: u16,
    value: u16,
    operator: u16,
    left: u16,
    right: u16,
    field: u16,
    arguments: u16,
    module: u16,
    names: u16,
}

fn kinds() -> &'static Kinds {
    static KINDS: OnceLock<Kinds> = OnceLock::new();
    KINDS.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_mesh::LANGUAGE.into();
        let id = |kind: &str| {
            let id = language.id_for_node_kind(kind, true);
            debug_assert!(id != 0, "the Mesh grammar has no `{kind}` node (see core/grammar/README.md)");
            id
        };
        Kinds {
            call: id("call"),
            field_access: id("field_access"),
            identifier: id("identifier"),
            string: id("string"),
            string_content: id("string_content"),
            comment: id("comment"),
            import_statement: id("import_statement"),
            from_import: id("from_import"),
            function_definition: id("function_definition"),
            actor_definition: id("actor_definition"),
            service_definition: id("service_definition"),
            call_handler: id("call_handler"),
            cast_handler: id("cast_handler"),
            let_statement: id("let_statement"),
            binary_expression: id("binary_expression"),
            integer: id("integer"),
            fields: {
                let field = |name: &str| {
                    let id = language.field_id_for_name(name).map_or(0, |id| id.get());
                    debug_assert!(id != 0, "the Mesh grammar has no `{name}` field (see core/grammar/README.md)");
                    id
                };
                Fields {
                    name: field("name"),
                    function: field("function"),
                    pattern: field("pattern"),
                    value: field("value"),
                    operator: field("operator"),
                    left: field("left"),
                    right: field("right"),
                    field: field("field"),
                    arguments: field("arguments"),
                    module: field("module"),
                    names: field("names"),
                }
            },
        }
    })
}

/// Walks `parsed` once, entering only nodes whose text holds something of interest (see `Hits`):
/// most of a file is never visited, which keeps the rewrite close to the cost of the parse.
pub(crate) fn scan(parsed: &Parsed, cx: &ScanContext) -> Scan {
    let src = parsed.source();
    let root = parsed.root();
    let k = kinds();
    let lines = LineIndex::new(src);
    let top = top_level(src, root, cx, k);
    let hits = Hits::new(src, "whereis");
    let helper_hits = Hits::new(src, &cx.rule.helper_name);
    let mut walker = Walker {
        src,
        lines,
        cx,
        k,
        scan: Scan { top, ..Scan::default() },
        frames: Vec::new(),
        pid_names: HashSet::new(),
        name_hits: Hits(Vec::new()),
        walk_all: false,
    };
    if hits.is_empty() && helper_hits.is_empty() {
        return walker.scan;
    }
    // The first place at or after `from` that makes a node worth entering (`None`: no more).
    // Once a name holds a lookup's result, a comparison with it holds the name: the name's places
    // in the rest of the definition are hits too (`name_hits`).
    let next_hit = |walker: &Walker, from: usize| {
        if walker.walk_all {
            return Some(from);
        }
        let helper = if walker.scan.helper_call.is_none() { helper_hits.next(from) } else { None };
        [hits.next(from), helper, walker.name_hits.next(from)].into_iter().flatten().min()
    };
    let mut cursor = root.walk();
    // At each depth below the root: the cursor's child index (`next_sibling`'s budget) and where
    // its parent ends.
    let mut index: Vec<(usize, usize)> = Vec::new();
    loop {
        let node = cursor.node();
        let relevant = next_hit(&walker, node.start_byte()).filter(|&h| h < node.end_byte());
        // Into the first child that holds or follows the hit: the children before it hold none.
        if let Some(h) = relevant {
            if walker.enter(node) {
                if let Some(i) = cursor.goto_first_child_for_byte(h) {
                    index.push((i, node.end_byte()));
                    continue;
                }
            }
        }
        loop {
            walker.leave(cursor.node());
            let step = match next_hit(&walker, cursor.node().end_byte()) {
                Some(h) => next_sibling(&mut cursor, &mut index, h),
                None => Step::Up,
            };
            match step {
                Step::Sibling => break,
                Step::Up if cursor.goto_parent() => {
                    index.pop();
                }
                Step::Up => return walker.scan,
                // The loop now leaves the parent.
                Step::AtParent => {
                    index.pop();
                }
            }
        }
    }
}

enum Step {
    /// On the next sibling worth a look.
    Sibling,
    /// No sibling is: the cursor is where it was, to go up from.
    Up,
    /// No sibling is, found from the parent, where the cursor now is.
    AtParent,
}

/// Moves `cursor` to the first following sibling that ends after `hit`: the siblings before it hold
/// no hit. It steps sibling by sibling, but after as many steps as the node's index it jumps from
/// the parent (`goto_first_child_for_byte`). A step through a long list (statements, items: a tree
/// of hidden repeat nodes) can cost hundreds of instructions and the jump only its depth; in a flat
/// list the jump costs up to the target's index, which the steps already taken bound: linear.
/// A hit past the parent's end is in no sibling: up at once, without a step (the walk after a
/// function's last hit stepped through the rest of its statements: 9% of the scan's instructions).
fn next_sibling(cursor: &mut TreeCursor, index: &mut [(usize, usize)], hit: usize) -> Step {
    let Some((i, parent_end)) = index.last_mut() else { return Step::Up };
    if hit >= *parent_end {
        return Step::Up;
    }
    let mut budget = (*i).max(1);
    while cursor.goto_next_sibling() {
        *i += 1;
        if cursor.node().end_byte() > hit {
            return Step::Sibling;
        }
        budget -= 1;
        if budget == 0 {
            // The hit is before the parent's end (checked above): jump to the child holding it.
            cursor.goto_parent();
            if let Some(j) = cursor.goto_first_child_for_byte(hit) {
                *i = j;
                return Step::Sibling;
            }
            return Step::AtParent;
        }
    }
    Step::Up
}

/// Sorted start offsets of a word in the source, to tell in O(log n) whether a node's text holds one.
/// Every fact the walk collects involves `whereis`, the helper's name, or a name bound to a
/// `whereis` result (the Pid-vs-Int comparison), so nodes without these are skipped.
struct Hits(Vec<usize>);

impl Hits {
    /// Found left to right, so already sorted; an empty word is found nowhere.
    fn new(text: &str, word: &str) -> Hits {
        if word.is_empty() {
            return Hits(Vec::new());
        }
        Hits(memmem::find_iter(text.as_bytes(), word).collect())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first hit at or after `from`.
    fn next(&self, from: usize) -> Option<usize> {
        self.0.get(self.0.partition_point(|&h| h < from)).copied()
    }
}

struct Walker<'a> {
    src: &'a str,
    lines: LineIndex<'a>,
    cx: &'a ScanContext<'a>,
    k: &'static Kinds,
    scan: Scan,
    /// Enclosing named definitions: (node id, name, end byte).
    frames: Vec<(usize, &'a str, usize)>,
    /// Names bound by `let x = Process.whereis(...)`/`Global.whereis(...)` in the current definition.
    pid_names: HashSet<&'a str>,
    /// Where those names are written after their binding, to the end of the definition.
    name_hits: Hits,
    /// More names than `NAME_SEARCHES`: the rest of the definition is walked whole.
    walk_all: bool,
}

/// How many bound names a definition's text is searched for (see `Walker::let_binding`).
const NAME_SEARCHES: usize = 8;

impl<'a> Walker<'a> {
    /// Records what `node` is; returns whether its children are worth visiting.
    fn enter(&mut self, node: Node<'a>) -> bool {
        let k = self.k;
        let kind = node.kind_id();
        if kind == k.call {
            self.call(node);
        } else if kind == k.comment {
            self.comment(node);
            return false;
        } else if kind == k.string {
            self.string(node);
        } else if kind == k.string_content {
            return false;
        } else if [k.function_definition, k.actor_definition, k.service_definition, k.call_handler, k.cast_handler]
            .contains(&kind)
        {
            if let Some(name) = node.child_by_field_id(k.fields.name) {
                self.frames.push((node.id(), text(self.src, name), node.end_byte()));
                self.forget_names();
            }
        } else if kind == k.let_statement {
            self.let_binding(node);
        } else if kind == k.binary_expression {
            self.comparison(node);
        }
        true
    }

    fn leave(&mut self, node: Node<'a>) {
        if self.frames.last().is_some_and(|&(id, _, _)| id == node.id()) {
            self.frames.pop();
            self.forget_names();
        }
    }

    fn forget_names(&mut self) {
        self.pid_names.clear();
        self.name_hits.0.clear();
        self.walk_all = false;
    }

    fn in_helper(&self, byte: usize) -> bool {
        self.scan.top.helper_region.is_some_and(|(s, e)| s <= byte && byte < e)
    }

    fn call(&mut self, node: Node<'a>) {
        let Some(function) = node.child_by_field_id(self.k.fields.function) else { return };
        if qualified(self.src, self.k, function) == Some(("Process", "whereis")) {
            let arg = literal_argument(self.src, self.k, node);
            let spot = spot(&self.lines, node);
            let function = self.frames.last().map(|&(_, name, _)| name.to_owned());
            let in_helper = self.in_helper(spot.start);
            self.scan.lookups.push(Lookup { spot, arg, function, in_helper });
        } else if function.kind_id() == self.k.identifier && text(self.src, function) == self.cx.rule.helper_name {
            self.scan.helper_call.get_or_insert_with(|| spot(&self.lines, node));
        }
    }

    fn comment(&mut self, node: Node<'a>) {
        let body = text(self.src, node);
        let before = self.scan.mentions.len();
        self.mentions_in(node.start_byte(), body, MentionKind::Comment);
        let mentions_lookup = self.scan.mentions.len() > before;
        let about_whereis = body.contains("Process.whereis")
            && !self.cx.rule.stay_local.iter().any(|name| body.contains(name.as_str()));
        if (mentions_lookup || about_whereis) && !self.in_helper(node.start_byte()) {
            self.scan.lookup_comments.push(spot(&self.lines, node));
        }
    }

    /// Looks for the lookup in each run of literal text between interpolations.
    fn string(&mut self, node: Node<'a>) {
        let mut run: Option<(usize, usize)> = None;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind_id() == self.k.string_content || child.kind() == "escape_sequence" {
                run = Some(match run {
                    Some((s, e)) if e == child.start_byte() => (s, child.end_byte()),
                    Some((s, e)) => {
                        let src = self.src;
                        self.mentions_in(s, &src[s..e], MentionKind::String);
                        (child.start_byte(), child.end_byte())
                    }
                    None => (child.start_byte(), child.end_byte()),
                });
            }
        }
        if let Some((s, e)) = run {
            let src = self.src;
            self.mentions_in(s, &src[s..e], MentionKind::String);
        }
    }

    fn mentions_in(&mut self, base: usize, body: &str, kind: MentionKind) {
        for (s, e) in lookup_mentions(body, &self.cx.rule.registry_name) {
            let spot = spot_of_range(&self.lines, base + s, base + e);
            self.scan.mentions.push(Mention { spot, kind });
        }
    }

    fn let_binding(&mut self, node: Node<'a>) {
        let f = &self.k.fields;
        let (Some(pattern), Some(value)) = (node.child_by_field_id(f.pattern), node.child_by_field_id(f.value))
        else {
            return;
        };
        if pattern.kind_id() == self.k.identifier && is_whereis_call(self.src, self.k, value) {
            let name = text(self.src, pattern);
            if !self.pid_names.insert(name) || self.walk_all {
                return;
            }
            // Past a few names, one search per name would cost the definition's text each time:
            // the rest of the definition is then walked whole instead (once: linear).
            if self.pid_names.len() > NAME_SEARCHES {
                self.walk_all = true;
                return;
            }
            let (from, to) = (node.end_byte(), self.frames.last().map_or(self.src.len(), |&(_, _, end)| end));
            let more = memmem::find_iter(&self.src.as_bytes()[from..to.max(from)], name).map(|i| from + i);
            self.name_hits.0.extend(more);
            self.name_hits.0.sort_unstable();
        }
    }

    fn comparison(&mut self, node: Node<'a>) {
        let Some(op) = node.child_by_field_id(self.k.fields.operator) else { return };
        if !matches!(text(self.src, op), "==" | "!=") {
            return;
        }
        let f = &self.k.fields;
        let (Some(left), Some(right)) = (node.child_by_field_id(f.left), node.child_by_field_id(f.right)) else {
            return;
        };
        let is_pid = |n: Node| {
            (n.kind_id() == self.k.identifier && self.pid_names.contains(&text(self.src, n)))
                || is_whereis_call(self.src, self.k, n)
        };
        let is_int = |n: Node| n.kind_id() == self.k.integer;
        if (is_pid(left) && is_int(right)) || (is_int(left) && is_pid(right)) {
            let spot = spot(&self.lines, node);
            self.scan.pid_compares.push(PidCompare { spot, text: text(self.src, node).to_owned() });
        }
    }
}

/// `Module.name` of a field access callee, when both parts are plain names.
fn qualified<'a>(src: &'a str, k: &Kinds, callee: Node) -> Option<(&'a str, &'a str)> {
    if callee.kind_id() != k.field_access {
        return None;
    }
    let value = callee.child_by_field_id(k.fields.value)?;
    let field = callee.child_by_field_id(k.fields.field)?;
    Some((text(src, value), text(src, field)))
}

fn is_whereis_call(src: &str, k: &Kinds, node: Node) -> bool {
    node.kind_id() == k.call
        && node
            .child_by_field_id(k.fields.function)
            .and_then(|f| qualified(src, k, f))
            .is_some_and(|(m, f)| f == "whereis" && (m == "Process" || m == "Global"))
}

/// The call's single plain string argument, if that is what it has.
fn literal_argument(src: &str, k: &Kinds, call: Node) -> Arg {
    let Some(args) = call.child_by_field_id(k.fields.arguments) else { return Arg::Other };
    let mut cursor = args.walk();
    let mut named = args.named_children(&mut cursor).filter(|n| n.kind_id() != k.comment);
    let (Some(arg), None) = (named.next(), named.next()) else { return Arg::Other };
    if arg.kind_id() != k.string {
        return Arg::Other;
    }
    let mut value = String::new();
    let mut cursor = arg.walk();
    for part in arg.named_children(&mut cursor) {
        if part.kind_id() != k.string_content {
            return Arg::Other;
        }
        value.push_str(text(src, part));
    }
    Arg::Literal(value)
}

/// Byte ranges of `Process.whereis("<registry>")` written out in `body` (spacing free;
/// quotes may be escaped, as they are inside a string literal).
pub(crate) fn lookup_mentions(body: &str, registry: &str) -> Vec<(usize, usize)> {
    const CALLEE: &str = "Process.whereis";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = body[from..].find(CALLEE) {
        let start = from + i;
        from = start + CALLEE.len();
        let rest = &body[from..];
        let mut p = rest.trim_start();
        let Some(after_paren) = p.strip_prefix('(') else { continue };
        p = after_paren.trim_start();
        p = p.strip_prefix('\\').unwrap_or(p);
        let Some(after_quote) = p.strip_prefix('"') else { continue };
        let Some(after_name) = after_quote.strip_prefix(registry) else { continue };
        let after_name = after_name.strip_prefix('\\').unwrap_or(after_name);
        let Some(after_close) = after_name.strip_prefix('"') else { continue };
        let p = after_close.trim_start();
        let end = match p.strip_prefix(')') {
            Some(tail) => body.len() - tail.len(),
            None => body.len() - after_close.len(),
        };
        found.push((start, end));
        from = end;
    }
    found
}

fn top_level<'a>(src: &'a str, root: Node<'a>, cx: &ScanContext, k: &Kinds) -> Top {
    let mut cursor = root.walk();
    let children: Vec<Node> = root.children(&mut cursor).collect();
    let own_line = |n: &Node| src[super::edit::line_start(src, n.start_byte())..n.start_byte()].trim().is_empty();
    let adjacent = |a: &Node, b: &Node| b.start_position().row <= a.end_position().row + 1;

    // The leading comment block: comments from the top of the file up to the first blank line.
    let mut leading = 0;
    while leading < children.len()
        && children[leading].kind_id() == k.comment
        && (leading == 0 || adjacent(&children[leading - 1], &children[leading]))
    {
        leading += 1;
    }

    let mut top = Top::default();
    let mut first_item = None;
    for (i, node) in children.iter().enumerate() {
        let kind = node.kind_id();
        if kind == k.comment {
            continue;
        }
        if kind == k.import_statement || kind == k.from_import {
            top.imports.push(import(src, cx, k, *node));
            continue;
        }
        first_item.get_or_insert(i);
        if cx.is_helper_file
            && top.helper_region.is_none()
            && kind == k.function_definition
            && node.child_by_field_id(k.fields.name).is_some_and(|n| text(src, n) == cx.rule.helper_name)
        {
            let mut start = i;
            while start > 0 && children[start - 1].kind_id() == k.comment && own_line(&children[start - 1])
                && adjacent(&children[start - 1], &children[start])
            {
                start -= 1;
            }
            top.helper_region = Some((super::edit::line_start(src, children[start].start_byte()), node.end_byte()));
        }
    }
    top.item_anchor = first_item.map(|first| {
        let mut start = first;
        while start > leading
            && children[start - 1].kind_id() == k.comment
            && own_line(&children[start - 1])
            && adjacent(&children[start - 1], &children[start])
        {
            start -= 1;
        }
        super::edit::line_start(src, children[start].start_byte())
    });
    top
}

fn import(src: &str, cx: &ScanContext, k: &Kinds, node: Node) -> Import {
    // A lone CR ends a line too (MESH-SYNTAX.md): the CR-aware scan, not the `\n`-only row index.
    let line_end = super::edit::line_end(src, node.end_byte());
    let mut helper_names = None;
    if node.kind_id() == k.from_import
        && node.child_by_field_id(k.fields.module).is_some_and(|m| text(src, m) == cx.helper_module)
    {
        if let Some(names) = node.child_by_field_id(k.fields.names) {
            let mut cursor = names.walk();
            let has = names.named_children(&mut cursor).any(|n| text(src, n) == cx.rule.helper_name);
            helper_names = Some((names.end_byte(), has));
        }
    }
    Import { line_end, helper_names }
}

pub(crate) fn text<'a>(src: &'a str, node: Node) -> &'a str {
    &src[node.byte_range()]
}

/// The spot of a node.
fn spot(lines: &LineIndex, node: Node) -> Spot {
    let start = node.start_byte();
    let point = node.start_position();
    Spot {
        line: point.row + 1,
        column: lines.column(start, point),
        start,
        end: node.end_byte(),
        start_point: point,
        end_point: node.end_position(),
    }
}

/// The spot of an arbitrary byte range (mentions inside comments and strings).
fn spot_of_range(lines: &LineIndex, start: usize, end: usize) -> Spot {
    let position = lines.position(start);
    Spot {
        line: position.line,
        column: position.column,
        start,
        end,
        start_point: lines.point(start),
        end_point: lines.point(end),
    }
}

/// Tree-sitter's point (row, byte column) of `byte`, for the few insertions a file gets.
pub(crate) fn point_at(src: &str, byte: usize) -> Point {
    let before = &src.as_bytes()[..byte];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    Point { row, column: byte - line_start }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_allow_spacing_and_escaped_quotes() {
        let body = r#"# Process.whereis("reg") and Process.whereis ( \"reg\" ) but not Process.whereis("other")"#;
        let found: Vec<_> = lookup_mentions(body, "reg").into_iter().map(|(s, e)| &body[s..e]).collect();
        assert_eq!(found, [r#"Process.whereis("reg")"#, r#"Process.whereis ( \"reg\" )"#]);
    }

    #[test]
    fn points_count_bytes_per_row() {
        let src = "ab\né x\n";
        assert_eq!(point_at(src, 6), Point { row: 1, column: 3 });
        let s = spot_of_range(&LineIndex::new(src), 6, 7);
        assert_eq!((s.line, s.column, s.start_point, s.end_point), (2, 3, Point { row: 1, column: 3 }, Point { row: 1, column: 4 }));
    }
}
