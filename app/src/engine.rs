//! The page's pipeline over the core crate: parse (incrementally, per file) → rewrite (cached per
//! file) → assemble → diff. Work is redone only for files whose text or rule changed, so a
//! keystroke costs one file's reparse and rewrite plus the project-wide assembly.

use crate::state::File;
use mesh_rewrite::diff::Hunk;
use mesh_rewrite::highlight::{Highlighter, Span};
use mesh_rewrite::parse::{Document, Parsed, SyntaxError};
use mesh_rewrite::rewrite::rule::Rule;
use mesh_rewrite::rewrite::{assemble, rewrite_parsed, FileRewrite, Outcome};
use std::collections::HashMap;

/// Milliseconds spent in each stage of the last run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    pub parse: f64,
    pub rewrite: f64,
    pub diff: f64,
}

/// What the panels show; rebuilt on every run.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// None until there are files.
    pub outcome: Option<Outcome>,
    /// Syntax errors of each input file, by path.
    pub errors: HashMap<String, Vec<SyntaxError>>,
    /// Diff hunks of each changed file, by path.
    pub hunks: HashMap<String, Vec<Hunk>>,
    pub timings: Timings,
}

#[derive(Default)]
pub struct Engine {
    docs: HashMap<String, Document>,
    rewrites: HashMap<String, FileRewrite>,
    rule: Option<Rule>,
    hunks: HashMap<String, (String, String, Vec<Hunk>)>,
    /// Compiled on first use: the page may never show highlighted code before a project is loaded.
    highlighter: Option<Highlighter>,
}

impl Engine {
    /// The parse of `path` as of the last run.
    pub fn parsed(&self, path: &str) -> Option<&Parsed> {
        self.docs.get(path).map(Document::parsed)
    }

    /// The source of `path` as of the last run and its highlight spans.
    pub fn highlight(&mut self, path: &str) -> Option<(String, Vec<Span>)> {
        let parsed = self.docs.get(path)?.parsed();
        let highlighter = self.highlighter.get_or_insert_with(Highlighter::new);
        Some((parsed.source().to_owned(), highlighter.spans(parsed, None)))
    }

    pub fn run(&mut self, files: &[File], rule: &Rule) -> Analysis {
        let mut timings = Timings::default();
        if self.rule.as_ref() != Some(rule) {
            self.rewrites.clear();
            self.rule = Some(rule.clone());
        }
        self.docs.retain(|path, _| files.iter().any(|f| &f.path == path));
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
            let rewritten = rewrite_parsed(&path, self.docs[&path].parsed(), rule);
            self.rewrites.insert(path, rewritten);
        }
        let outcome = (!files.is_empty())
            .then(|| assemble(files.iter().map(|f| self.rewrites[&f.path].clone()).collect(), rule));
        timings.rewrite = now() - start;

        let start = now();
        let mut hunks = HashMap::new();
        for file in outcome.iter().flat_map(|o| &o.files).filter(|f| f.changed()) {
            let original = file.original.clone().unwrap_or_default();
            let cached = self.hunks.get(&file.path).filter(|(o, n, _)| *o == original && *n == file.text);
            let computed = match cached {
                Some((_, _, h)) => h.clone(),
                None => {
                    let h = file.hunks();
                    self.hunks.insert(file.path.clone(), (original, file.text.clone(), h.clone()));
                    h
                }
            };
            hunks.insert(file.path.clone(), computed);
        }
        timings.diff = now() - start;
        Analysis { outcome, errors, hunks, timings }
    }
}

/// Milliseconds from a monotonic clock.
fn now() -> f64 {
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
