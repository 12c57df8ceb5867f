//! Stage 2: the registry rewrite. The rule is data (`rule`); the engine applies it to a project.
//!
//! Work splits in two: `rewrite_file` handles one file on its own (match on the tree, splice,
//! fix imports, reparse, rescan) so callers may run it in parallel; `assemble` does what needs
//! the whole project (the helper, diagnostics, the verification checks).

mod checks;
pub mod choice;
mod edit;
pub mod report;
pub mod rule;
mod scan;

use crate::diff;
use crate::parse::{new_parser, Document, Parsed, SyntaxError};
use crate::project::Project;
use edit::{Edit, ImportPlan};
use report::*;
use rule::Rule;
use scan::{Arg, MentionKind, Scan, ScanContext};
use choice::Choices;
use std::cell::RefCell;
use std::collections::HashMap;
use tree_sitter::Parser;

/// A file after the rewrite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewrittenFile {
    pub path: String,
    pub text: String,
    /// The text before; None for a file the rewrite created.
    pub original: Option<String>,
    /// Where `text` differs from `original`, when the rewrite knows (empty otherwise: the patch
    /// then diffs the two texts).
    pub splices: Vec<diff::Splice>,
}

impl RewrittenFile {
    pub fn changed(&self) -> bool {
        self.original.as_deref() != Some(self.text.as_str())
    }

    /// This file's unified diff with git headers ("" when unchanged).
    pub fn patch(&self) -> String {
        self.patch_at(&self.path)
    }

    /// `patch`, naming the file `path` (where it is on disk when that differs).
    pub fn patch_at(&self, path: &str) -> String {
        match &self.original {
            Some(old) if !self.splices.is_empty() => diff::patch_spliced(path, old, &self.text, &self.splices),
            original => diff::patch(path, original.as_deref(), &self.text),
        }
    }

    /// This file's diff as structured hunks, for rendering (empty when unchanged).
    pub fn hunks(&self) -> Vec<diff::Hunk> {
        diff::hunks(self.original.as_deref().unwrap_or(""), &self.text)
    }
}

/// The result of a rewrite: every file of the project, changed or not, and any file the rewrite
/// created, sorted by path; and the report (its files in the same order).
#[derive(Clone, Debug)]
pub struct Outcome {
    pub files: Vec<RewrittenFile>,
    pub report: Report,
}

impl Outcome {
    pub fn changed(&self) -> bool {
        self.files.iter().any(RewrittenFile::changed)
    }

    /// The patch of the whole project, file by file.
    pub fn patch(&self) -> String {
        self.files.iter().map(RewrittenFile::patch).collect()
    }
}

/// Rewrites `project` according to `rule`.
pub fn rewrite(project: &Project, rule: &Rule) -> Outcome {
    let files = project.files.iter().map(|f| rewrite_file(&f.path, &f.text, rule)).collect();
    assemble(files, rule)
}

/// The per-file half of the rewrite; independent of every other file.
#[derive(Clone)]
pub struct FileRewrite {
    pub(crate) file: RewrittenFile,
    pub(crate) report: FileReport,
    pub(crate) errors: Vec<SyntaxError>,
    pub(crate) errors_after: usize,
    pub(crate) excluded: bool,
    pub(crate) before: Scan,
    /// The scan of the new text; None when the text did not change.
    pub(crate) after: Option<Scan>,
    /// Counted on the original text, for the checks (a summary lets `before.lookups` go):
    /// lookups of the registry outside the helper, and of each `stay_local` name, in the rule's order.
    pub(crate) rewritable: usize,
    pub(crate) stay_local_before: Vec<usize>,
}

impl FileRewrite {
    pub fn path(&self) -> &str {
        &self.file.path
    }

    pub(crate) fn after(&self) -> &Scan {
        self.after.as_ref().unwrap_or(&self.before)
    }

    /// Whether the rewrite replaced a lookup in this file.
    pub fn replaces(&self) -> bool {
        !self.report.replacements.is_empty()
    }

    /// Whether the rewrite changed this file's text (before the helper, which `assemble` adds).
    pub fn changed(&self) -> bool {
        self.file.changed()
    }

    /// The file's text before and after the rewrite (before the helper).
    pub fn file(&self) -> &RewrittenFile {
        &self.file
    }

    /// This file as the whole-project half needs it when it is not the helper file: the report
    /// and the facts the checks and diagnostics read, without the texts or the rest of the scans.
    /// A caller streaming a large project keeps these and lets each file's texts go. `assemble`
    /// gives such a file back with both texts empty (unchanged); its patch is the caller's to make.
    pub fn into_summary(mut self) -> FileRewrite {
        self.file.text = String::new();
        self.file.original = Some(String::new());
        self.file.splices = Vec::new();
        for scan in std::iter::once(&mut self.before).chain(self.after.as_mut()) {
            scan.summarize();
        }
        // Once rewritten, the checks and diagnostics read the new scan; the old lookups were counted.
        if self.after.is_some() {
            self.before.lookups = Vec::new();
        }
        // The page's choice keys: a caller streaming a project does not toggle replacements.
        for r in &mut self.report.replacements {
            r.choice = String::new();
        }
        for s in &mut self.report.skipped {
            s.choice = None;
        }
        self
    }
}

thread_local! {
    // One parser per thread: creating one per file would dominate small files.
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn parse_with(source: String, old: Option<&tree_sitter::Tree>) -> Parsed {
    PARSER.with(|p| Parsed::new(source, &mut p.borrow_mut(), old))
}

fn context<'a>(rule: &'a Rule, module: &'a str, path: &str) -> ScanContext<'a> {
    ScanContext { rule, helper_module: module, is_helper_file: path == rule.helper_file }
}

/// From this size on, `rewrite_file` lets the original tree go before it parses the new text.
/// A tree takes tens of bytes per token (hundreds of MB for a 20 MB file); an incremental reparse
/// needs the old tree alive next to the new one, which doubles the peak. Smaller files keep the
/// faster incremental reparse.
const LARGE_FILE: usize = 1 << 20;

/// Rewrites the lookups of one file and fixes its imports.
///
/// A file that never spells `whereis`, the registry's name or the helper's name holds nothing the
/// rewrite reads (no lookup, mention, stale comment, Pid comparison, helper call or import), so it
/// is not parsed: it comes back unchanged, without its syntax errors (`parse` reports those). Most
/// files of a large project are such files.
pub fn rewrite_file(path: &str, text: &str, rule: &Rule) -> FileRewrite {
    if path != rule.helper_file && !concerns_the_rewrite(text, rule) {
        return untouched(path, text, rule);
    }
    let parsed = parse_with(text.to_owned(), None);
    let planned = plan(path, &parsed, rule);
    if text.len() >= LARGE_FILE {
        drop(parsed);
        return finish(planned, rule, |new_text, _| parse_with(new_text, None));
    }
    // The plan holds nothing of the tree: edited in place, not cloned, the tree copies none of
    // the nodes the edits change (each edit of a shared tree copied its path from the root).
    let tree = parsed.into_tree();
    finish(planned, rule, |new_text, edits| reparse(tree, new_text, edits))
}

/// Parses `new_text`, made from `tree`'s text by `edits`, reusing what the edits left of `tree`.
fn reparse(mut tree: tree_sitter::Tree, new_text: String, edits: &[Edit]) -> Parsed {
    edit::edit_tree(&mut tree, edits);
    parse_with(new_text, Some(&tree))
}

fn concerns_the_rewrite(text: &str, rule: &Rule) -> bool {
    let spelled = |needle: &str| !needle.is_empty() && memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    spelled("whereis") || spelled(&rule.registry_name) || spelled(&rule.helper_name)
}

fn untouched(path: &str, text: &str, rule: &Rule) -> FileRewrite {
    let excluded = rule.excluded_files.iter().any(|p| p == path);
    FileRewrite {
        file: RewrittenFile {
            path: path.to_owned(),
            text: text.to_owned(),
            original: Some(text.to_owned()),
            splices: Vec::new(),
        },
        report: FileReport {
            path: path.to_owned(),
            replacements: Vec::new(),
            import_edit: ImportEdit::None,
            skipped: Vec::new(),
            status: FileStatus::Unchanged,
        },
        errors: Vec::new(),
        errors_after: 0,
        excluded,
        before: Scan::default(),
        after: None,
        rewritable: 0,
        stay_local_before: vec![0; rule.stay_local.len()],
    }
}

/// `rewrite_file` for a file already parsed (the page keeps an incrementally parsed tree per file).
pub fn rewrite_parsed(path: &str, parsed: &Parsed, rule: &Rule) -> FileRewrite {
    let planned = plan(path, parsed, rule);
    finish(planned, rule, |new_text, edits| reparse(parsed.tree().clone(), new_text, edits))
}

/// `rewrite_parsed` whose new text is parsed by `rewritten`, the document of this file's rewritten
/// text as of the previous call (the page keeps one per file while the user types). A keystroke
/// changes that text in one place: its reparse is one small edit, where reparsing from the original
/// tree re-reads every replaced lookup (the page's 1,050-line example file: 210 of them).
pub fn rewrite_into(path: &str, parsed: &Parsed, rule: &Rule, rewritten: &mut Document) -> FileRewrite {
    let planned = plan(path, parsed, rule);
    finish(planned, rule, |new_text, _| {
        rewritten.set_text(&new_text);
        rewritten.parsed().clone()
    })
}

/// What the rewrite of one file will do, decided on the original tree (which it does not keep).
struct Planned {
    path: String,
    original: String,
    excluded: bool,
    before: Scan,
    errors: Vec<SyntaxError>,
    /// Indexes into `before.lookups` of the lookups replaced, with their choice keys.
    replaced: Vec<(usize, String)>,
    skipped: Vec<Skipped>,
    blocked: bool,
    edits: Vec<Edit>,
    import_edit: ImportEdit,
}

fn plan(path: &str, parsed: &Parsed, rule: &Rule) -> Planned {
    let text = parsed.source();
    let module = rule.helper_module();
    let cx = context(rule, &module, path);
    let excluded = rule.excluded_files.iter().any(|p| p == path);
    let before = scan::scan(parsed, &cx);
    let errors = parsed.errors().to_vec();

    let choices = Choices::for_file(&rule.skip, &rule.only, path);
    // Each function's lookups of the registry, counted from 1: what a `PATH:FUNCTION#N` choice names.
    let mut ordinals: HashMap<Option<&str>, usize> = HashMap::new();
    let keys: Vec<Option<(usize, bool)>> = before
        .lookups
        .iter()
        .map(|l| {
            if !l.of(&rule.registry_name) {
                return None;
            }
            let function = l.function.as_deref();
            let ordinal = ordinals.entry(function).or_default();
            *ordinal += 1;
            Some((*ordinal, choices.skips(l.spot.line, function, *ordinal)))
        })
        .collect();
    let chosen = |i: usize| keys[i].is_some_and(|(_, chosen)| chosen);
    let choice = |i: usize| {
        let l = &before.lookups[i];
        keys[i].map(|(n, _)| choice::Selector::call(path, l.function.as_deref(), n).to_string())
    };
    let mut replaced = Vec::new();
    let mut skipped = Vec::new();
    let mut blocked = false;
    for (i, lookup) in before.lookups.iter().enumerate() {
        let reason = match &lookup.arg {
            Arg::Literal(name) if *name != rule.registry_name => continue,
            _ if excluded => SkipReason::ExcludedFile,
            _ if lookup.in_helper => SkipReason::HelperBody,
            Arg::Other => SkipReason::NonLiteralArgument,
            Arg::Literal(_) if chosen(i) => SkipReason::Chosen,
            Arg::Literal(_) if !errors.is_empty() => {
                blocked = true;
                SkipReason::SyntaxError
            }
            Arg::Literal(_) => {
                replaced.push((i, choice(i).unwrap_or_default()));
                continue;
            }
        };
        let mut skipped_here = skip(&lookup.spot, reason);
        if reason == SkipReason::Chosen {
            skipped_here.choice = choice(i);
        }
        skipped.push(skipped_here);
    }
    for mention in &before.mentions {
        let reason = match mention.kind {
            MentionKind::Comment => SkipReason::Comment,
            MentionKind::String => SkipReason::String,
        };
        skipped.push(skip(&mention.spot, reason));
    }
    crate::order::sort_by_key(&mut skipped, |s| s.start_byte);

    let call = format!("{}()", rule.helper_name);
    let mut edits: Vec<Edit> = replaced
        .iter()
        .map(|&(i, _)| {
            let spot = &before.lookups[i].spot;
            let (start_point, end_point) = (spot.start_point, spot.end_point);
            Edit { start: spot.start, end: spot.end, text: call.clone(), start_point, end_point }
        })
        .collect();
    let mut import_edit = ImportEdit::None;
    if !edits.is_empty() && !cx.is_helper_file {
        let (plan, edit) = edit::import_edit(text, &before.top, &module, &rule.helper_name);
        import_edit = match plan {
            ImportPlan::Merged => ImportEdit::Merged,
            ImportPlan::Added => ImportEdit::Added,
            ImportPlan::None => ImportEdit::None,
        };
        edits.extend(edit);
        // An insertion sorts before a replacement starting at the same byte.
        crate::order::sort_by_key(&mut edits, |e| (e.start, e.end));
    }
    Planned {
        path: path.to_owned(),
        original: text.to_owned(),
        excluded,
        before,
        errors,
        replaced,
        skipped,
        blocked,
        edits,
        import_edit,
    }
}

/// Applies the plan; `reparse` parses the new text (given the edits, in original coordinates).
fn finish(p: Planned, rule: &Rule, reparse: impl FnOnce(String, &[Edit]) -> Parsed) -> FileRewrite {
    let module = rule.helper_module();
    let cx = context(rule, &module, &p.path);
    let (new_text, after, errors_after, starts) = if p.edits.is_empty() {
        (p.original.clone(), None, p.errors.len(), Vec::new())
    } else {
        let (new_text, starts) = edit::apply(&p.original, &p.edits);
        let reparsed = reparse(new_text, &p.edits);
        let after = scan::scan(&reparsed, &cx);
        let errors_after = reparsed.errors().len();
        (reparsed.source().to_owned(), Some(after), errors_after, starts)
    };

    let call_len = rule.helper_name.len() + 2;
    let replacements = p
        .replaced
        .iter()
        .map(|(i, choice)| {
            let l = &p.before.lookups[*i];
            // Edits are sorted by range (lookups come in source order): one binary search each.
            let e = p
                .edits
                .binary_search_by_key(&(l.spot.start, l.spot.end), |e| (e.start, e.end))
                .expect("an edit per lookup");
            Replacement {
                line: l.spot.line,
                column: l.spot.column,
                function: l.function.clone(),
                start_byte: l.spot.start,
                end_byte: l.spot.end,
                new_start_byte: starts[e],
                new_end_byte: starts[e] + call_len,
                choice: choice.clone(),
            }
        })
        .collect();
    let status = if p.blocked {
        FileStatus::Blocked
    } else if after.is_some() {
        FileStatus::Modified
    } else {
        FileStatus::Unchanged
    };
    let rewritable = p.before.lookups.iter().filter(|l| !l.in_helper && l.of(&rule.registry_name)).count();
    let stay_local_before = rule.stay_local.iter().map(|name| p.before.lookups_of(name)).collect();
    let splices = p
        .edits
        .iter()
        .zip(&starts)
        .map(|(e, &at)| diff::Splice { old: e.start..e.end, new: at..at + e.text.len() })
        .collect();
    FileRewrite {
        file: RewrittenFile { path: p.path.clone(), text: new_text, original: Some(p.original), splices },
        report: FileReport { path: p.path, replacements, import_edit: p.import_edit, skipped: p.skipped, status },
        errors: p.errors,
        errors_after,
        excluded: p.excluded,
        before: p.before,
        after,
        rewritable,
        stay_local_before,
    }
}

fn skip(spot: &scan::Spot, reason: SkipReason) -> Skipped {
    Skipped { line: spot.line, column: spot.column, reason, start_byte: spot.start, end_byte: spot.end, choice: None }
}

/// The whole-project half: the helper, diagnostics and checks. `files` in any order.
pub fn assemble(files: Vec<FileRewrite>, rule: &Rule) -> Outcome {
    assemble_with_unread(files, rule, &[])
}

/// `assemble` for a project that also holds files that were not read as text (`unread`: paths of
/// files that are not UTF-8, links not followed). The rewrite never writes over what it did not
/// read: when the helper file is one of them, the helper is not inserted (nor the file created).
pub fn assemble_with_unread(mut files: Vec<FileRewrite>, rule: &Rule, unread: &[String]) -> Outcome {
    crate::order::sort_by(&mut files, |a, b| a.file.path.cmp(&b.file.path));
    let total: usize = files.iter().map(|f| f.report.replacements.len()).sum();
    let action = match files.iter().position(|f| f.file.path == rule.helper_file) {
        Some(i) if files[i].after().helper_defined() => HelperAction::Present,
        _ if total == 0 => HelperAction::None,
        None if unread.contains(&rule.helper_file) => HelperAction::Unread,
        Some(i) if !files[i].errors.is_empty() => {
            files[i].report.status = FileStatus::Blocked;
            HelperAction::Blocked
        }
        Some(i) => {
            insert_helper(&mut files[i], rule);
            HelperAction::Inserted
        }
        None => {
            let created = created_helper(rule);
            let at = files.partition_point(|f| f.file.path < created.file.path);
            files.insert(at, created);
            HelperAction::Created
        }
    };
    let diagnostics = diagnostics(&files, rule);
    let checks = checks::run(&files, rule, &diagnostics);
    // Moved, not cloned: on a large project the reports are most of what is left in memory.
    let (files, reports) = files.into_iter().map(|f| (f.file, f.report)).unzip();
    let report = Report { helper: HelperReport { path: rule.helper_file.clone(), action }, files: reports, diagnostics, checks };
    Outcome { files, report }
}

/// Puts the helper before the first item of the (error-free) helper file, after its header comment.
fn insert_helper(file: &mut FileRewrite, rule: &Rule) {
    let module = rule.helper_module();
    let src = &file.file.text;
    let eol = edit::line_ending(src);
    let block = edit::with_eol(&rule.helper_source(), eol);
    let insertion = match file.after().top.item_anchor {
        Some(at) => edit::paragraph_before(src, at, &block, eol),
        None => edit::paragraph_at_end(src, &block, eol),
    };
    let (new_text, _) = edit::apply(src, std::slice::from_ref(&insertion));
    for r in &mut file.report.replacements {
        if r.new_start_byte >= insertion.start {
            r.new_start_byte += insertion.text.len();
            r.new_end_byte += insertion.text.len();
        }
    }
    let parsed = parse_with(new_text, None);
    file.after = Some(scan::scan(&parsed, &context(rule, &module, &file.file.path)));
    file.errors_after = parsed.errors().len();
    file.file.text = parsed.source().to_owned();
    // The splices were the replacements'; the helper moved them (the patch diffs the texts).
    file.file.splices.clear();
    file.report.status = FileStatus::Modified;
}

fn created_helper(rule: &Rule) -> FileRewrite {
    let module = rule.helper_module();
    let parsed = parse_with(rule.helper_source(), None);
    let after = scan::scan(&parsed, &context(rule, &module, &rule.helper_file));
    FileRewrite {
        file: RewrittenFile {
            path: rule.helper_file.clone(),
            text: parsed.source().to_owned(),
            original: None,
            splices: Vec::new(),
        },
        report: FileReport {
            path: rule.helper_file.clone(),
            replacements: Vec::new(),
            import_edit: ImportEdit::None,
            skipped: Vec::new(),
            status: FileStatus::Created,
        },
        errors: Vec::new(),
        errors_after: parsed.errors().len(),
        excluded: false,
        before: Scan::default(),
        after: Some(after),
        rewritable: 0,
        stay_local_before: vec![0; rule.stay_local.len()],
    }
}

fn diagnostics(files: &[FileRewrite], rule: &Rule) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    for f in files {
        let path = &f.file.path;
        let mut found = Vec::new();
        let mut add = |severity, spot: &scan::Spot, code: &str, message: String| {
            found.push(Diagnostic {
                severity,
                path: path.clone(),
                line: spot.line,
                column: spot.column,
                code: code.to_owned(),
                message,
                start_byte: spot.start,
                end_byte: spot.end,
            });
        };
        for e in &f.errors {
            found_error(&mut add, e, f.report.status);
        }
        let after = f.after();
        for c in &after.pid_compares {
            add(
                Severity::Error,
                &c.spot,
                "E0001",
                format!(
                    "`{}` compares a Pid with an Int: Mesh rejects this (E0001), so this code does not compile. \
                     A Pid cannot be tested for \"not found\"",
                    c.text
                ),
            );
        }
        if f.report.status == FileStatus::Modified {
            for spot in &after.lookup_comments {
                add(
                    Severity::Warning,
                    spot,
                    "stale-comment",
                    format!(
                        "this comment still describes the `Process.whereis(\"{}\")` lookup, which this file now does through {}()",
                        rule.registry_name, rule.helper_name
                    ),
                );
            }
        }
        for l in &after.lookups {
            if let Arg::Literal(name) = &l.arg {
                if rule.stay_local.contains(name) {
                    add(
                        Severity::Info,
                        &l.spot,
                        "stay-local",
                        format!("`Process.whereis(\"{name}\")` kept: `{name}` must stay node-local"),
                    );
                }
            }
        }
        crate::order::sort_by_key(&mut found, |d| (d.line, d.column, d.severity));
        all.extend(found);
    }
    all
}

fn found_error(
    add: &mut impl FnMut(Severity, &scan::Spot, &str, String),
    e: &SyntaxError,
    status: FileStatus,
) {
    let spot = scan::Spot {
        line: e.line,
        column: e.column,
        start: e.start_byte,
        end: e.end_byte,
        start_point: Default::default(),
        end_point: Default::default(),
    };
    let note = if status == FileStatus::Blocked { "; the file was not rewritten" } else { "" };
    add(Severity::Error, &spot, "syntax-error", format!("{}{note}", e.message));
}
