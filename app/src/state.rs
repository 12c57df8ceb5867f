//! The page's state, in one place. Components read it with `use_store()` and change it
//! through the methods here, so every change flows the same way: signals → engine → panels.

use crate::engine::{Analysis, Engine};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use mesh_rewrite::highlight::Span;
use mesh_rewrite::parse::Parsed;
use mesh_rewrite::permalink::{self, Simulation};
use mesh_rewrite::project::check_path;
use mesh_rewrite::rewrite::choice::Selector;
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::verdict::Verdict;
use std::sync::Arc;

/// One file of the project the user brought.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub text: String,
}

/// How the diff panel shows changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Unified,
    Split,
    /// Every changed file stacked, like a pull request.
    Project,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Unified => "unified",
            View::Split => "split",
            View::Project => "project",
        }
    }

    pub fn parse(s: &str) -> View {
        match s {
            "split" => View::Split,
            "project" => View::Project,
            _ => View::Unified,
        }
    }
}

/// Which region a narrow screen shows (wide screens show all but the simulator, which
/// takes the middle column when chosen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    Files,
    #[default]
    Source,
    Diff,
    Report,
    Tree,
    Simulator,
}

impl Tab {
    pub const ALL: [Tab; 6] = [Tab::Files, Tab::Source, Tab::Diff, Tab::Report, Tab::Tree, Tab::Simulator];

    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Files => "files",
            Tab::Source => "source",
            Tab::Diff => "diff",
            Tab::Report => "report",
            Tab::Tree => "tree",
            Tab::Simulator => "simulator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Files => "Files",
            Tab::Source => "Source",
            Tab::Diff => "Diff",
            Tab::Report => "Report",
            Tab::Tree => "Tree",
            Tab::Simulator => "Simulator",
        }
    }
}

/// How long typing must pause before the engine re-runs when runs are slow (a big project on a
/// slow machine); see `Store::rerun_soon`.
const DEBOUNCE_MS: u32 = 150;
/// How long typing pauses before the report, the file badges and the syntax tree follow it.
const SETTLE_MS: u32 = 250;
/// A run (engine and re-render) faster than this is not debounced at all.
const FAST_RUN_MS: f64 = 100.0;

/// A message for the user (a refused link, a skipped upload, a limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Unique while the page lives: dismissing or undoing names the notice by it.
    pub id: u64,
    pub level: Level,
    pub text: String,
    /// What its Undo button puts back, if it has one.
    pub undo: Option<Undo>,
}

/// What a notice's Undo puts back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undo {
    /// A deleted file, at its place in the project, selected again if it was.
    Restore { file: File, index: usize, selected: bool },
}

/// At most this many notices at once: a new one dismisses the oldest.
pub const MAX_NOTICES: usize = 3;
/// How long a Delete can be undone.
pub const UNDO_MS: u32 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// A place the user asked to see: set by clicking a report item, a diagnostic or a tree node;
/// the editor selects it, the diff scrolls to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Focus {
    pub path: String,
    /// Byte range in the text the focus is about.
    pub start: usize,
    pub end: usize,
    /// Whether the range is in the rewritten text (else in the original).
    pub after: bool,
}

#[derive(Clone, Copy)]
pub struct Store {
    pub files: RwSignal<Vec<File>>,
    pub selected: RwSignal<Option<String>>,
    pub rule: RwSignal<Rule>,
    pub view: RwSignal<View>,
    pub simulation: RwSignal<Simulation>,
    /// (path, reason) of what the last upload did not take.
    pub skipped: RwSignal<Vec<(String, String)>>,
    pub notices: RwSignal<Vec<Notice>>,
    /// Files read so far / to read: while an upload is in progress, then (n, n) until the next one.
    pub progress: RwSignal<Option<(usize, usize)>>,
    pub focus: RwSignal<Option<Focus>>,
    /// Dark mode: None follows the system.
    pub dark: RwSignal<Option<bool>>,
    /// The latest result of the engine over `files` and `rule`.
    pub analysis: RwSignal<Arc<Analysis>>,
    /// `analysis` for the panels typing does not wait for (report, file badges, syntax tree): the
    /// same, but while typing it follows only once typing pauses for `SETTLE_MS`, so a keystroke
    /// re-renders the editor and the diff alone.
    pub settled: RwSignal<Arc<Analysis>>,
    /// The analysis's verdict, changing only when the verdict does (not on every run).
    pub verdict: Memo<Option<Arc<Verdict>>>,
    /// The region a narrow screen shows; `Tab::Simulator` also swaps the middle column on wide ones.
    pub tab: RwSignal<Tab>,
    /// Caret position (byte offset) in the selected file, for the tree panel.
    pub cursor: RwSignal<Option<usize>>,
    /// The folder the user brought the project in (`mesher/`, with its '/'), or "": project paths
    /// are relative to the project root; the patch and the zip put this folder back in front.
    pub base: RwSignal<String>,
    /// Whether the diff wraps long lines: None is the default (on side by side only).
    pub wrap: RwSignal<Option<bool>>,
    next_notice: StoredValue<u64>,
    /// What the last run cost, the engine and the re-render after it (ms).
    last_cost: StoredValue<f64>,
    /// Files an upload or a drop brought into a non-empty project, waiting for "Replace / Add".
    pub incoming: RwSignal<Option<crate::components::intake::Incoming>>,
    engine: StoredValue<Engine, LocalStorage>,
    /// The pending debounced re-run; replacing it cancels the previous one.
    pending: StoredValue<Option<Timeout>, LocalStorage>,
    /// The pending update of `settled`; replacing it cancels the previous one.
    settling: StoredValue<Option<Timeout>, LocalStorage>,
    /// Whether the run under way comes from typing (then `settled` waits).
    typing: StoredValue<bool>,
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}

impl Store {
    /// Creates the store and provides it to every component below the caller.
    pub fn provide() -> Store {
        let engine = Engine::default();
        let analysis = RwSignal::new(Arc::new(Analysis::default()));
        let store = Store {
            files: RwSignal::new(Vec::new()),
            selected: RwSignal::new(None),
            rule: RwSignal::new(Rule::default()),
            view: RwSignal::new(View::default()),
            simulation: RwSignal::new(Simulation::default()),
            skipped: RwSignal::new(Vec::new()),
            notices: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            focus: RwSignal::new(None),
            dark: RwSignal::new(None),
            analysis,
            settled: RwSignal::new(Arc::new(Analysis::default())),
            verdict: Memo::new(move |_| analysis.with(|a| a.verdict.clone())),
            tab: RwSignal::new(Tab::default()),
            cursor: RwSignal::new(None),
            base: RwSignal::new(String::new()),
            incoming: RwSignal::new(None),
            wrap: RwSignal::new(None),
            next_notice: StoredValue::new(0),
            last_cost: StoredValue::new(0.0),
            engine: StoredValue::new_local(engine),
            pending: StoredValue::new_local(None),
            settling: StoredValue::new_local(None),
            typing: StoredValue::new(false),
        };
        provide_context(store);
        store
    }

    /// Runs the engine over the current files and rule now (the editor debounces its calls).
    pub fn rerun(&self) {
        // A pending debounced run is now redundant.
        self.pending.set_value(None);
        let start = crate::engine::now();
        let files = self.files.get_untracked();
        let rule = self.rule.get_untracked();
        let analysis = self.engine.try_update_value(|engine| engine.run(&files, &rule)).unwrap_or_default();
        let analysis = Arc::new(analysis);
        self.analysis.set(analysis.clone());
        let settled = self.settled;
        if std::mem::take(&mut *self.typing.write_value()) {
            self.settling.set_value(Some(Timeout::new(SETTLE_MS, move || settled.set(analysis))));
        } else {
            self.settling.set_value(None);
            settled.set(analysis);
        }
        // The panels re-render in effects queued by that; a timer runs after them.
        let cost = self.last_cost;
        Timeout::new(0, move || cost.set_value(crate::engine::now() - start)).forget();
    }

    /// Switches the helper the rewrite inserts (options, verdict, simulator, downloads) and re-runs.
    pub fn set_helper_form(&self, form: HelperForm) {
        if self.rule.with_untracked(|r| r.helper_form) != form {
            self.rule.update(|r| r.helper_form = form);
            self.rerun();
        }
    }

    /// Accepts or rejects one replacement, named by its selector (`Replacement::choice`), and re-runs.
    /// Rejecting one of a file rejected as a whole is a no-op; accepting one there keeps the file's
    /// other lookups rejected, one by one.
    pub fn choose(&self, selector: &str, accept: bool) {
        let Ok(parsed) = Selector::parse(selector) else { return };
        let path = parsed.path().to_owned();
        let whole_file = self.rule.with_untracked(|r| r.skip.contains(&path));
        // The file's other lookups kept by choice, named one by one when one of a whole file comes back.
        let others: Vec<String> = if accept && whole_file {
            self.analysis.with_untracked(|a| {
                let file = a.outcome.as_ref().and_then(|o| o.report.files.iter().find(|f| f.path == path));
                file.map(|f| f.skipped.iter().filter_map(|s| s.choice.clone()).filter(|k| k != selector).collect())
            })
            .unwrap_or_default()
        } else {
            Vec::new()
        };
        self.rule.update(|rule| {
            if accept {
                rule.skip.retain(|s| *s != path && s != selector);
                rule.skip.extend(others);
            } else if !whole_file && !rule.skip.iter().any(|s| s == selector) {
                rule.skip.push(selector.to_owned());
            }
        });
        self.rerun();
    }

    /// Accepts or rejects every replacement of a file, and re-runs.
    pub fn choose_file(&self, path: &str, accept: bool) {
        self.rule.update(|rule| {
            rule.skip.retain(|s| Selector::parse(s).map_or(true, |sel| sel.path() != path));
            if !accept {
                rule.skip.push(path.to_owned());
            }
        });
        self.rerun();
    }

    /// Re-runs soon: at once (after the events already queued) when the last run was fast, else
    /// once typing pauses for half as long as a run took, at most `DEBOUNCE_MS`.
    pub fn rerun_soon(&self) {
        let store = *self;
        let delay = debounce(self.last_cost.get_value());
        self.pending.set_value(Some(Timeout::new(delay, move || {
            store.typing.set_value(true);
            store.rerun();
        })));
    }

    /// A user edit of one file: stored at once, analysed after the debounce.
    pub fn edit(&self, path: &str, text: String) {
        self.set_text(path, text);
        self.rerun_soon();
    }

    /// Runs `f` on the engine's parse of `path` (as of the last run), without reparsing.
    pub fn with_parsed<R>(&self, path: &str, f: impl FnOnce(&Parsed) -> R) -> Option<R> {
        self.engine.with_value(|engine| engine.parsed(path).map(f))
    }

    /// Highlight spans of `path` as of the last run.
    pub fn highlight(&self, path: &str) -> Option<(String, Arc<Vec<Span>>)> {
        self.engine.try_update_value(|engine| engine.highlight(path)).flatten()
    }

    /// The text of the selected file.
    pub fn selected_file(&self) -> Option<File> {
        let selected = self.selected.get()?;
        self.files.with(|files| files.iter().find(|f| f.path == selected).cloned())
    }

    /// Replaces one file's text.
    pub fn set_text(&self, path: &str, text: String) {
        self.files.update(|files| {
            if let Some(f) = files.iter_mut().find(|f| f.path == path) {
                f.text = text;
            }
        });
    }

    /// Why `path` cannot name a new file: it leaves the project (links and bundles refuse such
    /// paths, downloads would carry them) or is taken.
    fn refuse_path(&self, path: &str) -> Option<String> {
        if let Err(problem) = check_path(path) {
            return Some(format!("the path {problem}"));
        }
        self.files.with_untracked(|f| f.iter().any(|f| f.path == path)).then(|| "the path is taken".to_owned())
    }

    /// Adds an empty file and selects it; Err(why) if the path is taken or not inside the project.
    pub fn add_file(&self, path: &str) -> Result<(), String> {
        let path = path.trim();
        if let Some(why) = self.refuse_path(path) {
            return Err(why);
        }
        self.files.update(|f| f.push(File { path: path.to_owned(), text: String::new() }));
        self.selected.set(Some(path.to_owned()));
        self.rerun();
        Ok(())
    }

    /// Renames a file (keeping its place); Err(why) if the new path is taken or not inside the project.
    pub fn rename_file(&self, from: &str, to: &str) -> Result<(), String> {
        let to = to.trim();
        if let Some(why) = self.refuse_path(to) {
            return Err(why);
        }
        self.files.update(|f| f.iter_mut().filter(|f| f.path == from).for_each(|f| f.path = to.to_owned()));
        if self.selected.get_untracked().as_deref() == Some(from) {
            self.selected.set(Some(to.to_owned()));
        }
        self.rerun();
        Ok(())
    }

    /// Deletes a file at once; a notice offers Undo for `UNDO_MS`.
    pub fn delete_file(&self, path: &str) {
        let Some(index) = self.files.with_untracked(|f| f.iter().position(|f| f.path == path)) else { return };
        let mut removed = None;
        self.files.update(|f| removed = Some(f.remove(index)));
        let selected = self.selected.get_untracked().as_deref() == Some(path);
        if selected {
            self.selected.set(self.files.with_untracked(|f| f.first().map(|f| f.path.clone())));
        }
        self.rerun();
        let file = removed.expect("the file was there");
        let undo = Undo::Restore { file, index, selected };
        let id = self.push_notice(Level::Info, format!("Deleted {path}"), Some(undo));
        let store = *self;
        Timeout::new(UNDO_MS, move || store.dismiss(id)).forget();
    }

    /// Puts back what notice `id` can undo (unless its path was taken since), then dismisses it.
    pub fn undo(&self, id: u64) {
        let undo = self.notices.with_untracked(|n| n.iter().find(|n| n.id == id).and_then(|n| n.undo.clone()));
        self.dismiss(id);
        let Some(Undo::Restore { file, index, selected }) = undo else { return };
        if self.files.with_untracked(|f| f.iter().any(|f| f.path == file.path)) {
            self.notify(Level::Warning, format!("Cannot restore {}: the path is taken", file.path));
            return;
        }
        let path = file.path.clone();
        self.files.update(|f| f.insert(index.min(f.len()), file));
        if selected || self.selected.get_untracked().is_none() {
            self.selected.set(Some(path.clone()));
        }
        self.rerun();
        self.notify(Level::Info, format!("Restored {path}"));
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|n| n.retain(|n| n.id != id));
    }

    /// Shows a place: selects its file and asks the editor and diff to reveal the range.
    pub fn show(&self, focus: Focus) {
        if self.selected.get_untracked().as_deref() != Some(focus.path.as_str()) {
            self.selected.set(Some(focus.path.clone()));
        }
        self.focus.set(Some(focus));
    }

    /// Replaces the whole project (an example, an upload that replaces, a link).
    pub fn load(&self, files: Vec<File>) {
        self.base.set(String::new());
        let first = files.first().map(|f| f.path.clone());
        self.files.set(files);
        self.selected.set(first);
        self.focus.set(None);
        self.rerun();
    }

    pub fn notify(&self, level: Level, text: impl Into<String>) {
        self.push_notice(level, text.into(), None);
    }

    /// Adds a notice (the oldest goes when there are `MAX_NOTICES`); returns its id.
    fn push_notice(&self, level: Level, text: String, undo: Option<Undo>) -> u64 {
        let id = self.next_notice.get_value();
        self.next_notice.set_value(id + 1);
        self.notices.update(|n| {
            n.push(Notice { id, level, text, undo });
            let extra = n.len().saturating_sub(MAX_NOTICES);
            n.drain(..extra);
        });
        id
    }

    /// Everything a permalink or a bundle holds.
    pub fn snapshot(&self) -> permalink::State {
        permalink::State {
            files: self.files.with_untracked(|f| f.iter().map(|f| (f.path.clone(), f.text.clone())).collect()),
            rule: self.rule.get_untracked(),
            selected: self.selected.get_untracked(),
            view: view_string(self.view.get_untracked(), self.tab.get_untracked(), &self.base.get_untracked()),
            simulation: self.simulation.get_untracked(),
            ..permalink::State::default()
        }
    }

    /// Restores a permalink's or a bundle's state exactly.
    pub fn restore(&self, state: permalink::State) {
        self.rule.set(state.rule);
        let (view, tab, base) = parse_view_string(&state.view);
        self.view.set(view);
        if let Some(tab) = tab {
            self.tab.set(tab);
        }
        self.base.set(base);
        self.simulation.set(state.simulation);
        self.files.set(state.files.into_iter().map(|(path, text)| File { path, text }).collect());
        self.selected.set(state.selected);
        self.focus.set(None);
        self.rerun();
    }
}

/// The pause before a re-run, from what the last run cost: none when it was fast.
fn debounce(last_cost_ms: f64) -> u32 {
    if last_cost_ms < FAST_RUN_MS {
        0
    } else {
        ((last_cost_ms / 2.0) as u32).min(DEBOUNCE_MS)
    }
}

/// The permalink's `view` field: the diff mode, then what else the page restores without a change
/// of the wire format: `split;tab=diff;base=mesher/` (the tab when not the default, the folder the
/// project was brought in when any; `base` last, it runs to the end).
pub fn view_string(view: View, tab: Tab, base: &str) -> String {
    let mut out = view.as_str().to_owned();
    if tab != Tab::default() {
        out.push_str(";tab=");
        out.push_str(tab.as_str());
    }
    if !base.is_empty() {
        out.push_str(";base=");
        out.push_str(base);
    }
    out
}

/// Reads `view_string`'s format; an older link's plain `split` too. A base that is not a
/// relative path inside the project is dropped.
pub fn parse_view_string(s: &str) -> (View, Option<Tab>, String) {
    let (head, base) = match s.split_once(";base=") {
        Some((head, base)) => (head, base),
        None => (s, ""),
    };
    let mut parts = head.split(';');
    let view = View::parse(parts.next().unwrap_or_default());
    let tab = parts.find_map(|p| p.strip_prefix("tab=")).and_then(|t| Tab::ALL.into_iter().find(|x| x.as_str() == t));
    let base = base
        .strip_suffix('/')
        .filter(|b| check_path(b).is_ok())
        .map_or(String::new(), |b| format!("{b}/"));
    (view, tab, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_debounced_only_when_runs_are_slow() {
        assert_eq!(debounce(3.0), 0);
        assert_eq!(debounce(60.0), 0);
        assert_eq!(debounce(160.0), 80);
        assert_eq!(debounce(900.0), DEBOUNCE_MS);
    }

    #[test]
    fn the_view_string_carries_tab_and_base() {
        assert_eq!(view_string(View::Unified, Tab::Source, ""), "unified");
        let s = view_string(View::Split, Tab::Diff, "work/mesher/");
        assert_eq!(s, "split;tab=diff;base=work/mesher/");
        assert_eq!(parse_view_string(&s), (View::Split, Some(Tab::Diff), "work/mesher/".to_owned()));
        assert_eq!(parse_view_string("project"), (View::Project, None, String::new()));
        assert_eq!(parse_view_string("split;base=../x/"), (View::Split, None, String::new()));
        assert_eq!(parse_view_string("split;tab=nope;base=a;b/"), (View::Split, None, "a;b/".to_owned()));
    }
}
