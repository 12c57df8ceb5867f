//! The page's state, in one place. Components get the pieces they need as props.

use crate::analysis::{analyze, Analysis, Diagnostic, SyntaxNode};
use leptos::prelude::*;
use std::collections::HashSet;

#[derive(Clone, Copy)]
pub struct Playground {
    /// The editor's text; every change re-parses.
    pub source: RwSignal<String>,
    pub diagnostics: Memo<Vec<Diagnostic>>,
    pub tree: Memo<SyntaxNode>,
    /// Tree-view nodes the user opened, by path of child indices, so a re-parse keeps them open.
    pub expanded: RwSignal<HashSet<Vec<usize>>>,
}

impl Playground {
    pub fn new() -> Playground {
        let source = RwSignal::new(String::new());
        let analysis: Memo<Analysis> = Memo::new(move |_| source.with(|s| analyze(s)));
        Playground {
            source,
            diagnostics: Memo::new(move |_| analysis.with(|a| a.diagnostics.clone())),
            tree: Memo::new(move |_| analysis.with(|a| a.tree.clone())),
            expanded: RwSignal::new(HashSet::from([vec![]])),
        }
    }
}
