//! The page's pipeline over the core crate: parse (incrementally, per file) → rewrite (cached per
//! file) → assemble → verdict → diff. Work is redone only for files whose text or rule changed, so a
//! keystroke costs one file's reparse and rewrite plus the project-wide assembly; the verdict (every
//! helper form × scenario × seed) is redone only when the helper it weighs can have changed.

use crate::state::File;
use mesh_rewrite::diff::Hunk;
use mesh_rewrite::highlight::{Highlighter, Span};
use mesh_rewrite::parse::{Document, Parsed, SyntaxError};
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::rewrite::{assemble, rewrite_file, rewrite_into, FileRewrite, Outcome};
use mesh_rewrite::verdict::{annotate, evaluate, Verdict, DEFAULT_SEEDS};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Milliseconds spent in each stage of the last run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    pub parse: f64,
    pub rewrite: f64,
    pub diff: f64,
    /// About 0.1 ms when the verdict was reused (only `current` and the report's advice are redone).
    pub verdict: f64,
}

/// What the panels show; rebuilt on every run.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// None until there are files. Its report's E0001 diagnostics point at the verdict's recommended form.
    pub outcome: Option<Outcome>,
    /// Which helper form is safe to ship; None until there are files.
    pub verdict: Option<Arc<Verdict>>,
    /// Syntax errors of each input file, by path.
    pub errors: HashMap<String, Vec<SyntaxError>>,
    /// Diff hunks of each changed file, by path.
    pub hunks: HashMap<String, Vec<Hunk>>,
    /// Highlight spans per line of each changed file, for the diff rows, by path.
    pub line_spans: HashMap<String, Arc<LineSpans>>,
    /// Files that do not parse now but did before: the rewrite, report and diff show their last
    /// version without syntax errors. By path: (line, column) of the first syntax error now.
    pub stale: BTreeMap<String, (usize, usize)>,
    pub timings: Timings,
}

/// Highlight spans of a file's lines before and after the rewrite: `old[n - 1]` holds line n's
/// spans with offsets relative to the line's start (a span across lines is split at each newline).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineSpans {
    pub old: Vec<Vec<Span>>,
    pub new: Vec<Vec<Span>>,
}

impl LineSpans {
    /// The spans for one diff line: removed and context lines from the original, added ones from the rewrite.
    pub fn of(&self, line: &mesh_rewrite::diff::Line) -> &[Span] {
        let (lines, n) = match line.kind {
            mesh_rewrite::diff::LineKind::Added => (&self.new, line.new_line),
            _ => (&self.old, line.old_line),
        };
        n.and_then(|n| lines.get(n.wrapping_sub(1))).map_or(&[], Vec::as_slice)
    }
}

/// A changed file's diff and highlighting, kept while its original and rewritten texts stay the same.
struct DiffEntry {
    original: String,
    text: String,
    hunks: Vec<Hunk>,
    spans: Arc<LineSpans>,
}

/// What a verdict depends on: the rule (the helper form only as far as it adds the custom form), the
/// helper file's text and whether anything is replaced. Other files' text does not change the helper.
#[derive(Clone, Debug, PartialEq)]
struct VerdictKey {
    rule: Rule,
    helper_text: Option<String>,
    replacing: bool,
}

/// Work the engine did, for tests of its caching.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub rewrites: usize,
    pub verdicts: usize,
}

#[derive(Default)]
pub struct Engine {
    docs: HashMap<String, Document>,
    rewrites: HashMap<String, FileRewrite>,
    /// The rule the cached rewrites were made with, minus what only the helper's text depends on.
    rule: Option<Rule>,
    verdict: Option<(VerdictKey, Arc<Verdict>)>,
    pub work: Work,
    diffs: HashMap<String, DiffEntry>,
    /// Parses of the rewritten texts, updated incrementally like `docs`.
    rewritten_docs: HashMap<String, Document>,
    /// Compiled on first use: the page may never show highlighted code before a project is loaded.
    highlighter: Option<Highlighter>,
    /// Highlight spans of each input file's text at a version of its document, shared by the
    /// editor and the diff.
    input_spans: HashMap<String, SpansAt>,
    /// The same for each rewritten text (`rewritten_docs`): the diff's added lines take theirs.
    rewritten_spans: HashMap<String, SpansAt>,
    /// The last text of each file that parsed without syntax errors, and its rewrite under the
    /// current rule (made again from the text when the rule changed).
    last_good: HashMap<String, (String, Option<FileRewrite>)>,
}

impl Engine {
    /// The parse of `path` as of the last run.
    pub fn parsed(&self, path: &str) -> Option<&Parsed> {
        self.docs.get(path).map(Document::parsed)
    }

    /// The source of `path` as of the last run and its highlight spans.
    pub fn highlight(&mut self, path: &str) -> Option<(String, Arc<Vec<Span>>)> {
        let spans = self.input_spans(path)?;
        Some((self.docs[path].parsed().source().to_owned(), spans))
    }

    /// Highlight spans of an input file (see `spans_of`).
    fn input_spans(&mut self, path: &str) -> Option<Arc<Vec<Span>>> {
        let doc = self.docs.get(path)?;
        let highlighter = self.highlighter.get_or_insert_with(Highlighter::new);
        Some(spans_of(highlighter, doc, self.input_spans.entry(path.to_owned()).or_default()))
    }

    pub fn run(&mut self, files: &[File], rule: &Rule) -> Analysis {
        let mut timings = Timings::default();
        // Switching helper forms re-assembles but keeps every file's rewrite.
        let per_file = per_file_rule(rule);
        if self.rule.as_ref() != Some(&per_file) {
            self.rewrites.clear();
            self.last_good.values_mut().for_each(|(_, rewrite)| *rewrite = None);
            self.rule = Some(per_file);
        }
        self.docs.retain(|path, _| files.iter().any(|f| &f.path == path));
        self.last_good.retain(|path, _| files.iter().any(|f| &f.path == path));
        self.input_spans.retain(|path, _| files.iter().any(|f| &f.path == path));
        self.rewrites.retain(|path, _| files.iter().any(|f| &f.path == path));

        let start = now();
        let mut errors = HashMap::new();
        let mut dirty = Vec::new();
        for f in files {
            let doc = self.docs.entry(f.path.clone()).or_insert_with(|| Document::new(""));
            if doc.parsed().source() != f.text || !self.rewrites.contains_key(&f.path) {
                doc.set_text(&f.text);
                dirty.push(f.path.clone());
            }
            errors.insert(f.path.clone(), doc.parsed().errors().to_vec());
        }
        timings.parse = now() - start;

        let start = now();
        for path in dirty {
            // The rewritten text is reparsed from its last version (one edit per keystroke), which the
            // diff's highlighting then finds parsed already.
            let doc = self.rewritten_docs.entry(path.clone()).or_insert_with(|| Document::new(""));
            let rewritten = rewrite_into(&path, self.docs[&path].parsed(), rule, doc);
            self.rewrites.insert(path, rewritten);
            self.work.rewrites += 1;
        }
        // A file with syntax errors that parsed before stands in the rewrite as it was then.
        let mut stale = BTreeMap::new();
        let mut used = Vec::with_capacity(files.len());
        for f in files {
            let errors = &errors[&f.path];
            if errors.is_empty() {
                let rewrite = self.rewrites[&f.path].clone();
                let known = self.last_good.get(&f.path).is_some_and(|(t, r)| r.is_some() && *t == f.text);
                if !known {
                    self.last_good.insert(f.path.clone(), (f.text.clone(), Some(rewrite.clone())));
                }
                used.push(rewrite);
            } else if let Some((text, rewrite)) = self.last_good.get_mut(&f.path) {
                let rewrite = rewrite.get_or_insert_with(|| rewrite_file(&f.path, text, rule));
                stale.insert(f.path.clone(), (errors[0].line, errors[0].column));
                used.push(rewrite.clone());
            } else {
                used.push(self.rewrites[&f.path].clone());
            }
        }
        let mut outcome = (!files.is_empty()).then(|| assemble(used.clone(), rule));
        timings.rewrite = now() - start;

        let start = now();
        let verdict = outcome.as_mut().map(|outcome| {
            let verdict = self.verdict(&used, rule, outcome);
            annotate(&mut outcome.report, &verdict);
            verdict
        });
        timings.verdict = now() - start;

        let start = now();
        let mut hunks = HashMap::new();
        let mut line_spans = HashMap::new();
        let changed: Vec<_> = outcome.iter().flat_map(|o| &o.files).filter(|f| f.changed()).collect();
        self.diffs.retain(|path, _| changed.iter().any(|f| &f.path == path));
        self.rewritten_docs.retain(|path, _| changed.iter().any(|f| &f.path == path));
        self.rewritten_spans.retain(|path, _| changed.iter().any(|f| &f.path == path));
        for file in changed {
            let original = file.original.as_deref().unwrap_or_default();
            let fresh = self.diffs.get(&file.path).is_some_and(|d| d.original == original && d.text == file.text);
            if !fresh {
                // A new file has no input document: its original is empty.
                let has_input = self.docs.get(&file.path).is_some_and(|d| d.parsed().source() == original);
                let old = match self.input_spans(&file.path).filter(|_| has_input) {
                    Some(spans) => per_line(original, &spans),
                    None => Vec::new(),
                };
                let hunks = file.hunks();
                // Added lines take the rewritten text's spans (the rest are the original's). That
                // text changes as the input does (one edit a keystroke): its spans are carried over.
                let doc = self.rewritten_docs.entry(file.path.clone()).or_insert_with(|| Document::new(""));
                doc.set_text(&file.text);
                let highlighter = self.highlighter.get_or_insert_with(Highlighter::new);
                let cached = self.rewritten_spans.entry(file.path.clone()).or_default();
                let new = per_line(&file.text, &spans_of(highlighter, doc, cached));
                let entry = DiffEntry {
                    original: original.to_owned(),
                    text: file.text.clone(),
                    hunks,
                    spans: Arc::new(LineSpans { old, new }),
                };
                self.diffs.insert(file.path.clone(), entry);
            }
            let entry = &self.diffs[&file.path];
            hunks.insert(file.path.clone(), entry.hunks.clone());
            line_spans.insert(file.path.clone(), entry.spans.clone());
        }
        timings.diff = now() - start;
        Analysis { outcome, verdict, errors, hunks, line_spans, stale, timings }
    }

    /// The verdict for the project as just assembled: reused while its inputs are the same, with
    /// only `current` following the rule's form.
    fn verdict(&mut self, rewrites: &[FileRewrite], rule: &Rule, outcome: &Outcome) -> Arc<Verdict> {
        let key = VerdictKey {
            rule: verdict_rule(rule),
            helper_text: outcome
                .files
                .iter()
                .find(|f| f.path == rule.helper_file)
                .and_then(|f| f.original.clone()),
            replacing: outcome.report.files.iter().any(|f| !f.replacements.is_empty()),
        };
        let verdict = match &self.verdict {
            Some((cached, verdict)) if *cached == key => verdict.clone(),
            _ => {
                let verdict = Arc::new(evaluate(rewrites, rule, DEFAULT_SEEDS));
                self.work.verdicts += 1;
                self.verdict = Some((key, verdict.clone()));
                verdict
            }
        };
        // `evaluate` names the rule's form current, unless the project brings its own helper.
        let own = verdict.forms.len() == 1 && verdict.forms[0].form == "project";
        let current = if own { "project" } else { rule.helper_form.name() };
        if verdict.current == current {
            verdict
        } else {
            Arc::new(Verdict { current: current.to_owned(), ..(*verdict).clone() })
        }
    }
}

/// Highlight spans of a document's text at a version, as `spans_of` last computed them.
type SpansAt = Option<(u64, String, Arc<Vec<Span>>)>;

/// Highlight spans of `doc`'s text, computed once per text; after one edit (a keystroke), carried
/// over from `cached` and painted again where the edit changed the tree only.
fn spans_of(highlighter: &Highlighter, doc: &Document, cached: &mut SpansAt) -> Arc<Vec<Span>> {
    let (parsed, version) = (doc.parsed(), doc.version());
    if let Some((_, _, spans)) = cached.as_ref().filter(|(_, text, _)| text == parsed.source()) {
        return spans.clone();
    }
    let spans = match (cached.as_ref(), doc.last_change()) {
        (Some((at, text, old)), Some(change)) if at + 1 == version && text.len() == change.old_len => {
            highlighter.respans(parsed, old, change)
        }
        _ => highlighter.spans(parsed, None),
    };
    let spans = Arc::new(spans);
    *cached = Some((version, parsed.source().to_owned(), spans.clone()));
    spans
}

/// The rule minus the helper's text (form and custom text): per-file rewrites do not depend on it.
fn per_file_rule(rule: &Rule) -> Rule {
    Rule { helper_form: HelperForm::Plan, custom_helper: String::new(), ..rule.clone() }
}

/// The rule as far as a verdict depends on it: every built-in form is weighed whichever one is
/// chosen, and the custom form (with its text) only when it is chosen.
fn verdict_rule(rule: &Rule) -> Rule {
    if rule.helper_form == HelperForm::Custom {
        rule.clone()
    } else {
        per_file_rule(rule)
    }
}

/// The byte offset where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

/// `spans` of `text` regrouped by line, with offsets relative to each line's start.
fn per_line(text: &str, spans: &[Span]) -> Vec<Vec<Span>> {
    let starts = line_starts(text);
    let mut lines: Vec<Vec<Span>> = vec![Vec::new(); starts.len()];
    for span in spans {
        // The line holding the span's first byte, then each following line it reaches into.
        let mut line = starts.partition_point(|&s| s <= span.range.start) - 1;
        while line < starts.len() && starts[line] < span.range.end {
            let begin = starts[line];
            let end = starts.get(line + 1).map_or(text.len(), |&next| next - 1);
            let (a, b) = (span.range.start.max(begin), span.range.end.min(end));
            if a < b {
                lines[line].push(Span { range: a - begin..b - begin, class: span.class });
            }
            line += 1;
        }
    }
    lines
}

/// Milliseconds from a monotonic clock.
pub(crate) fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn form(rule: &Rule, form: HelperForm) -> Rule {
        Rule { helper_form: form, ..rule.clone() }
    }

    #[test]
    fn the_example_gets_a_verdict_and_e0001_points_at_it() {
        let mut engine = Engine::default();
        let files = examples::project(examples::MESHER);
        let analysis = engine.run(&files, &Rule::default());
        let verdict = analysis.verdict.expect("a verdict once there are files");
        assert_eq!(verdict.recommended.as_deref(), Some("node-local"));
        assert_eq!(verdict.current, "plan");
        let forms: Vec<_> = verdict.forms.iter().map(|f| (f.form.as_str(), f.compiles, f.worse)).collect();
        assert_eq!(forms, [("plan", false, 16), ("node-mode", true, 80), ("node-local", true, 0), ("node-name", true, 0)]);
        let report = &analysis.outcome.unwrap().report;
        let e0001 = report.diagnostics.iter().find(|d| d.code == "E0001").unwrap();
        assert!(
            e0001.message.ends_with(
                "; ship the node-local helper instead (--helper-form node-local), the form the verdict found safe"
            ),
            "{}",
            e0001.message
        );
        assert!(Engine::default().run(&[], &Rule::default()).verdict.is_none());
    }

    #[test]
    fn switching_forms_reuses_the_rewrites_and_the_verdict() {
        let mut engine = Engine::default();
        let files = examples::project(examples::MESHER);
        let plan = Rule::default();
        let first = engine.run(&files, &plan).verdict.unwrap();
        let work = engine.work;
        assert_eq!(work, Work { rewrites: files.len(), verdicts: 1 });

        let analysis = engine.run(&files, &form(&plan, HelperForm::NodeLocal));
        let verdict = analysis.verdict.unwrap();
        assert_eq!(engine.work, work);
        assert_eq!((verdict.current.as_str(), verdict.recommended.as_deref()), ("node-local", Some("node-local")));
        assert_eq!(verdict.forms, first.forms);
        let helper = analysis.outcome.unwrap().files.into_iter().find(|f| f.path == "api/helpers.mpl").unwrap();
        assert!(helper.text.contains("pub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend"), "{}", helper.text);

        // The custom form adds a row, so its verdict is computed; its text is part of it.
        let custom = Rule {
            custom_helper: "pub fn get_registry() do\n  Global.whereis(\"mesher_registry\")\nend\n".into(),
            ..form(&plan, HelperForm::Custom)
        };
        let verdict = engine.run(&files, &custom).verdict.unwrap();
        assert_eq!(engine.work, Work { rewrites: work.rewrites, verdicts: 2 });
        let row = verdict.form("custom").unwrap();
        assert_eq!((row.compiles, row.worse > 0), (true, true));

        // Other options change every file's rewrite.
        engine.run(&files, &Rule { stay_local: vec![], ..plan });
        assert_eq!(engine.work, Work { rewrites: 2 * files.len(), verdicts: 3 });
    }

    #[test]
    fn the_verdict_is_redone_only_when_the_helper_can_change() {
        let mut engine = Engine::default();
        let mut files = examples::project(examples::MESHER);
        let rule = Rule::default();
        let first = engine.run(&files, &rule).verdict.unwrap();

        // Typing in a handler that stays replaced: same verdict, not recomputed.
        let handler = files.iter().position(|f| f.path == "api/detail.mpl").unwrap();
        files[handler].text.push_str("\n# a note\n");
        let again = engine.run(&files, &rule).verdict.unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(engine.work.verdicts, 1);

        // The helper file brings its own helper: one row, `project`, computed anew.
        let helper = files.iter().position(|f| f.path == "api/helpers.mpl").unwrap();
        files[helper].text.push_str("\npub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend\n");
        let own = engine.run(&files, &rule).verdict.unwrap();
        assert_eq!(engine.work.verdicts, 2);
        let rows: Vec<_> = own.forms.iter().map(|f| f.form.as_str()).collect();
        assert_eq!((rows, own.current.as_str(), own.recommended.as_deref()), (vec!["project"], "project", Some("project")));
        let other_form = engine.run(&files, &form(&rule, HelperForm::NodeMode)).verdict.unwrap();
        assert_eq!((other_form.current.as_str(), engine.work.verdicts), ("project", 2));
    }

    #[test]
    fn a_file_with_a_typo_keeps_its_last_rewrite_that_parsed() {
        let mut engine = Engine::default();
        let mut files = examples::project(examples::MESHER);
        let rule = Rule::default();
        let first = engine.run(&files, &rule);
        let total = first.outcome.as_ref().unwrap().report.replacement_count();
        let i = files.iter().position(|f| f.path == "api/alerts.mpl").unwrap();
        let good = files[i].text.clone();
        files[i].text = format!("{good}\nfn broken( do\n");
        let typo = engine.run(&files, &rule);
        assert_eq!(typo.outcome.as_ref().unwrap().report.replacement_count(), total);
        let (line, _) = typo.stale["api/alerts.mpl"];
        assert!(line > good.lines().count(), "{line}");
        assert!(typo.hunks.contains_key("api/alerts.mpl"));
        assert!(!typo.errors["api/alerts.mpl"].is_empty());
        // Another rule re-derives the last good rewrite from its text.
        let other = engine.run(&files, &Rule { helper_name: "reg".into(), ..rule.clone() });
        assert!(other.stale.contains_key("api/alerts.mpl"));
        assert!(other.outcome.unwrap().files.iter().any(|f| f.path == "api/alerts.mpl" && f.text.contains("reg()")));
        files[i].text = good;
        let fixed = engine.run(&files, &rule);
        assert!(fixed.stale.is_empty());
        // A file that never parsed is refused as before.
        let mut fresh = Engine::default();
        let broken = vec![File { path: "main.mpl".into(), text: "fn f( do\n  Process.whereis(\"mesher_registry\")\n".into() }];
        let a = fresh.run(&broken, &rule);
        assert!(a.stale.is_empty());
        assert_eq!(a.outcome.unwrap().report.replacement_count(), 0);
    }

    #[test]
    fn spans_split_at_newlines_and_become_line_relative() {
        let s = |a, b, class| Span { range: a..b, class };
        // "let a\n\"x\ny\"\n": a string across lines 2 and 3.
        let text = "let a\n\"x\ny\"\n";
        let spans = [s(0, 3, "keyword"), s(6, 11, "string")];
        assert_eq!(
            per_line(text, &spans),
            vec![vec![s(0, 3, "keyword")], vec![s(0, 2, "string")], vec![s(0, 2, "string")], vec![]]
        );
    }
}
