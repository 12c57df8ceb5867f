//! `mesh-rewrite rewrite [--config FILE] [--helper-form plan|node-mode|node-local|node-name] [--skip SELECTOR]...
//! [--only SELECTOR]... [--write [--force] | --out DIR] [--check] [--format text|json|html] PROJECT_DIR`: the registry
//! rewrite on a directory.
//!
//! Files are read and rewritten in parallel (rayon); the engine itself does no I/O.

use crate::args::{FormArg, ReportFormat};
use crate::exit;
use crate::files::{read_text, walk_project, NotRead, Text, WhyNotRead};
use crate::git;
use crate::undo::Undo;
use crate::write::{target_dir_entries, write_all, Change, Expect};
use mesh_rewrite::export::html_report;
use mesh_rewrite::project::{detect_root_for, strip_dir};
use mesh_rewrite::rewrite::report::{Diagnostic, HelperAction, Report, Severity};
use crate::out::print_stdout;
use mesh_rewrite::rewrite::rule::{Rule, RuleError};
use mesh_rewrite::rewrite::{assemble, assemble_with_unread, rewrite_file, FileRewrite, Outcome, RewrittenFile};
use mesh_rewrite::verdict::{annotate, evaluate, Verdict, DEFAULT_SEEDS};
use rayon::prelude::*;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A TOML file with the rule (keys of the seed plan's defaults: registry_name, helper_name,
    /// helper_file, excluded_files, stay_local, expected_counts, helper_form, custom_helper, skip, only).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Which helper to insert (overrides the config).
    #[arg(long, value_enum)]
    helper_form: Option<FormArg>,
    /// Leave these lookups as they are: PATH, PATH:LINE or PATH:FUNCTION#N (the Nth lookup in
    /// FUNCTION, PATH:#N at the top level), paths from the project root. Adds to the config's `skip`.
    #[arg(long, value_name = "SELECTOR")]
    skip: Vec<String>,
    /// Replace only these lookups (selectors as for --skip). Adds to the config's `only`.
    #[arg(long, value_name = "SELECTOR")]
    only: Vec<String>,
    /// Rewrite the files in place (each written atomically), leaving an undo patch in
    /// PROJECT_DIR/.mesh-rewrite/ first. In a git work tree, files with uncommitted changes are refused.
    #[arg(long, conflicts_with_all = ["out", "check"])]
    write: bool,
    /// With --write: write even files that have uncommitted changes.
    #[arg(long, requires = "write")]
    force: bool,
    /// Write the complete rewritten project (every .mpl file) under DIR.
    #[arg(long, value_name = "DIR", conflicts_with = "check")]
    out: Option<PathBuf>,
    /// Change nothing; exit 1 if the rewrite would change anything.
    #[arg(long)]
    check: bool,
    /// The report's format: text on stderr, or JSON or one HTML file on stdout (html: no patch).
    #[arg(long, value_enum, default_value = "text")]
    format: ReportFormat,
    /// The project: a directory searched recursively for *.mpl.
    project_dir: PathBuf,
}


/// The JSON report, plus the patch when it would have been printed.
#[derive(serde::Serialize)]
struct JsonOut<'a> {
    #[serde(flatten)]
    report: &'a Report,
    verdict: &'a Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<&'a str>,
}

/// A file as found on disk.
pub(crate) struct Found {
    /// Path relative to the project root, '/'-separated.
    rel: String,
    disk: PathBuf,
    /// Where the file really is (relative to the root) when it was reached through a link.
    real: Option<String>,
    /// None when the file is not valid UTF-8. A summary (`FileRewrite::into_summary`) when read
    /// by `read_streaming`, except for the helper file.
    rewrite: Option<FileRewrite>,
    /// Whether the rewrite changed the file (before the helper).
    changed: bool,
}

/// A project as read: its root (relative to PROJECT_DIR), its files, what was not read, and the
/// temporary files an earlier run may have left.
pub(crate) struct Read {
    root: String,
    kept: Kept,
    not_read: Vec<NotRead>,
    temps: Vec<PathBuf>,
}

/// What is kept of the files read, in path order. Kept as they are read: built at the end, the
/// rewrites' vector of a 10,000-file project was 7 MB of new pages, and its page faults alone took
/// ~40 ms while both reading threads had finished (perf).
#[derive(Default)]
pub(crate) struct Kept {
    rewrites: Vec<FileRewrite>,
    not_utf8: Vec<(String, PathBuf)>,
    /// Where each file reached through a link really is.
    real_paths: HashMap<String, String>,
    /// Whether a rewrite changed a file (a summary's texts are gone: `assemble` gives it back as
    /// unchanged).
    changed: bool,
}

impl Kept {
    fn with_capacity(files: usize) -> Kept {
        Kept { rewrites: Vec::with_capacity(files), ..Kept::default() }
    }

    fn keep(&mut self, f: Found) {
        self.changed |= f.changed;
        if let Some(real) = f.real {
            self.real_paths.insert(f.rel.clone(), real);
        }
        match f.rewrite {
            Some(r) => self.rewrites.push(r),
            None => self.not_utf8.push((f.rel, f.disk)),
        }
    }
}

pub fn run(args: Args) -> u8 {
    match run_inner(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("mesh-rewrite: {message}");
            exit::USAGE
        }
    }
}

fn run_inner(args: &Args) -> Result<u8, String> {
    let mut rule = load_rule(args.config.as_deref())?;
    if let Some(form) = args.helper_form {
        rule.helper_form = form.into();
    }
    rule.skip.extend(args.skip.iter().cloned());
    rule.only.extend(args.only.iter().cloned());
    // The config was checked alone: what fails now is a --skip or --only.
    rule.validate().map_err(|errors| refusal(&errors, None))?;
    let dir = &args.project_dir;
    if !fs::metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let walked = walk(dir, &rule)?;
    let root_dir = if walked.root.is_empty() { dir.clone() } else { dir.join(&walked.root) };
    let html = args.format == ReportFormat::Html;
    let printing_patch = !args.write && args.out.is_none() && !args.check && !html;
    let mut sink = match (printing_patch, args.format) {
        (false, _) | (_, ReportFormat::Html) => Sink::Off,
        (true, ReportFormat::Text) => {
            Sink::Stdout { out: io::BufWriter::with_capacity(STDOUT_WRITE, io::stdout()), closed: false, failed: None }
        }
        (true, ReportFormat::Json) => Sink::Buffer(String::new()),
    };
    // `--check` and the patch keep one summary per file and print the patch as files are read.
    // Writing (all or nothing) keeps every text, and so does the HTML report (it shows the whole
    // patch), and so do the rare projects where a write could be refused at the end: links (two
    // paths, one file) and a helper path taken by something else; there the patch is printed after
    // those checks, as it always was.
    let streaming = !args.write
        && args.out.is_none()
        && !html
        && walked.files.iter().all(|f| f.2.is_none())
        && (walked.files.iter().any(|f| f.0 == rule.helper_file)
            || walked.not_read.iter().any(|n| n.rel == rule.helper_file)
            || fs::symlink_metadata(root_dir.join(&rule.helper_file)).is_err());
    let Read { root, kept, not_read, mut temps } = if streaming {
        read_streaming(walked, &rule, &mut sink)?
    } else {
        read_whole(walked, &rule)?
    };
    let Kept { rewrites, not_utf8, real_paths, changed: found_changed } = kept;
    let unread: Vec<String> =
        not_utf8.iter().map(|(rel, _)| rel.clone()).chain(not_read.iter().map(|n| n.rel.clone())).collect();
    // Weighed before `assemble` takes the files: the verdict needs only the helper file's rewrite.
    let verdict = evaluate(&rewrites, &rule, DEFAULT_SEEDS);
    let mut outcome = assemble_with_unread(rewrites, &rule, &unread);
    annotate(&mut outcome.report, &verdict);
    let not_read_diagnostic = |path: &str, code: &str, severity, message: String| Diagnostic {
        severity,
        path: path.to_owned(),
        line: 1,
        column: 1,
        code: code.to_owned(),
        message,
        start_byte: 0,
        end_byte: 0,
    };
    for (rel, _) in &not_utf8 {
        let message = "not valid UTF-8; the file was not examined or changed".to_owned();
        outcome.report.diagnostics.push(not_read_diagnostic(rel, "not-utf8", Severity::Error, message));
    }
    for n in &not_read {
        let (code, severity) = match n.why {
            WhyNotRead::NameNotUtf8 => ("not-utf8-name", Severity::Error),
            WhyNotRead::LinkOutside(_) => ("link-outside", Severity::Warning),
            WhyNotRead::LinkLoop => ("link-loop", Severity::Warning),
            WhyNotRead::LinkBroken => ("link-broken", Severity::Warning),
        };
        outcome.report.diagnostics.push(not_read_diagnostic(&n.rel, code, severity, n.why.message()));
    }

    // Everything that could stop a write is found before the first byte is written, in every mode.
    let at = |f: &RewrittenFile| real_paths.get(&f.path).cloned().unwrap_or_else(|| f.path.clone());
    check_same_files(&outcome, &at)?;
    for f in outcome.files.iter().filter(|f| f.original.is_none()) {
        let target = root_dir.join(&f.path);
        match fs::symlink_metadata(&target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: cannot be created ({e}); nothing was written", target.display())),
            Ok(meta) => {
                let kind = if meta.is_dir() {
                    "a directory"
                } else if meta.file_type().is_symlink() {
                    "a symbolic link"
                } else {
                    "not a plain file"
                };
                let target = target.display();
                return Err(format!("{target}: is {kind}, so the helper cannot be created there; nothing was written"));
            }
        }
    }

    let changed = || {
        let mut seen = HashSet::new();
        outcome.files.iter().filter(|f| f.changed()).map(move |f| (at(f), f)).filter(move |(at, _)| seen.insert(at.clone()))
    };
    if printing_patch && !streaming {
        sink.push(changed().map(|(at, f)| f.patch_at(&at)).collect());
        sink.flush();
    }
    if let Some(out) = &args.out {
        write_out(out, &outcome, &not_utf8, &not_read, &root_dir)?;
    }
    let mut undo_note = None;
    if args.write {
        let mut changes: Vec<Change> = changed()
            .map(|(at, f)| Change {
                target: root_dir.join(at),
                bytes: f.text.as_bytes(),
                expect: f.original.as_deref().map_or(Expect::Absent, |o| Expect::Bytes(o.as_bytes())),
            })
            .collect();
        // Paths relative to PROJECT_DIR.
        let in_dir = |at: String| if root.is_empty() { at } else { format!("{root}/{at}") };
        let undo = if changes.is_empty() {
            None
        } else {
            let work_tree = git::prefix(dir);
            if let Some(prefix) = work_tree.as_deref().filter(|_| !args.force) {
                refuse_uncommitted(dir, prefix, &changed().map(|(at, _)| in_dir(at)).collect::<Vec<_>>())?;
            }
            let files = changed().map(|(at, f)| (in_dir(at), f.original.as_deref(), f.text.as_str()));
            Some(Undo::new(dir, work_tree.as_deref(), files))
        };
        if let Some(undo) = &undo {
            // The patch goes first: it is in place before any project file changes.
            changes.splice(0..0, undo.changes());
            temps.extend(undo.leftovers());
        }
        report_removed(write_all(&changes, temps)?);
        undo_note = undo.map(|u| u.note());
    }
    if args.format != ReportFormat::Json && !root.is_empty() {
        eprintln!("project root: {}", root_dir.display());
    }
    match args.format {
        ReportFormat::Text => {
            let mut err = crate::out::Stderr::new();
            let _ = outcome.report.write_text(&mut err);
            let _ = writeln!(err, "\n{}", verdict.line());
            drop(err);
            sink.finish()?;
        }
        ReportFormat::Html => print_stdout(&html_report(&outcome, &rule, Some(&verdict)))?,
        ReportFormat::Json => {
            let patch = match &sink {
                Sink::Buffer(patch) => Some(patch.as_str()),
                _ => None,
            };
            let json = JsonOut { report: &outcome.report, verdict: &verdict, patch };
            let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
            print_stdout(&format!("{text}\n"))?;
        }
    }
    if let Some(note) = undo_note {
        eprintln!("{note}");
    }
    let unreadable = !not_utf8.is_empty()
        || not_read.iter().any(|n| n.why == WhyNotRead::NameNotUtf8)
        || outcome.report.helper.action == HelperAction::Unread;
    Ok(if outcome.report.blocked() || unreadable {
        exit::BLOCKED
    } else if args.check && (found_changed || outcome.changed()) {
        exit::FOUND
    } else {
        exit::OK
    })
}

/// Paths that are one file on disk (a link and its target) must come out of the rewrite the same.
fn check_same_files(outcome: &Outcome, at: &impl Fn(&RewrittenFile) -> String) -> Result<(), String> {
    let mut by_file: HashMap<String, &RewrittenFile> = HashMap::new();
    for f in &outcome.files {
        match by_file.entry(at(f)) {
            Entry::Vacant(v) => {
                v.insert(f);
            }
            Entry::Occupied(o) if o.get().text != f.text => {
                return Err(format!(
                    "{} and {} are the same file (through a symbolic link) but would be rewritten differently; nothing was written",
                    o.get().path, f.path
                ));
            }
            Entry::Occupied(_) => {}
        }
    }
    Ok(())
}

/// The rule of `--config` (the seed's without one), refused with every problem when unusable.
pub(crate) fn load_rule(config: Option<&Path>) -> Result<Rule, String> {
    let Some(path) = config else { return Ok(Rule::default()) };
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rule: Rule = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    rule.validate().map_err(|errors| refusal(&errors, Some(path)))?;
    Ok(rule)
}

/// What `Rule::validate` found, one line each (after `config: ` when it is the config's); the
/// caller prefixes the first.
fn refusal(errors: &[RuleError], config: Option<&Path>) -> String {
    let at = config.map(|path| format!("{}: ", path.display())).unwrap_or_default();
    errors.iter().map(|e| format!("{at}{e}")).collect::<Vec<_>>().join("\nmesh-rewrite: ")
}

/// In a git work tree (PROJECT_DIR at `prefix` in it), `--write` leaves alone files whose changes
/// are not committed: the rewrite would mix with them. `paths` are relative to PROJECT_DIR.
fn refuse_uncommitted(dir: &Path, prefix: &str, paths: &[String]) -> Result<(), String> {
    let dirty = git::uncommitted(dir, prefix, paths)?;
    if dirty.is_empty() {
        return Ok(());
    }
    Err(format!("uncommitted changes in {}; commit or stash them, or pass --force", dirty.join(", ")))
}

/// The project's root and files, each rewritten (for `verdict`).
pub(crate) fn read_project(dir: &Path, rule: &Rule) -> Result<(String, Vec<FileRewrite>), String> {
    read_whole(walk(dir, rule)?, rule).map(|read| (read.root, read.kept.rewrites))
}

/// A project as walked: its root, its files (path under the root, on disk, real path under the
/// root when reached through a link) sorted by path as `assemble` sorts them, and the rest.
struct Walked {
    root: String,
    files: Vec<(String, PathBuf, Option<String>)>,
    not_read: Vec<NotRead>,
    temps: Vec<PathBuf>,
}

/// Walks the project and detects the root.
fn walk(dir: &Path, rule: &Rule) -> Result<Walked, String> {
    let walk = walk_project(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let all: Vec<&str> =
        walk.files.iter().map(|f| f.rel.as_str()).chain(walk.not_read.iter().map(|n| n.rel.as_str())).collect();
    let root = detect_root_for(&all, rule);
    let under_root = |rel: &str| strip_dir(rel, &root).expect("detect_root contains every path").to_owned();
    let mut not_read: Vec<NotRead> = walk.not_read.into_iter().map(|n| NotRead { rel: under_root(&n.rel), ..n }).collect();
    let mut files = Vec::with_capacity(walk.files.len());
    for f in walk.files {
        let rel = under_root(&f.rel);
        match f.real.as_deref().map(|real| strip_dir(real, &root)) {
            // A link to a file in the project directory but outside the project root.
            Some(None) => {
                let target = dir.join(f.real.as_deref().unwrap_or_default());
                not_read.push(NotRead { rel, disk: f.disk, why: WhyNotRead::LinkOutside(target) });
            }
            real => files.push((rel, f.disk, real.flatten().map(str::to_owned))),
        }
    }
    not_read.sort_by(|a, b| a.rel.cmp(&b.rel));
    // The walk sorts by name per folder ("a/b" before "a-b"); the report and patch sort by path.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Walked { root, files, not_read, temps: walk.temps })
}

/// Reads and rewrites one file.
fn read_one(rel: String, disk: PathBuf, real: Option<String>, rule: &Rule) -> Result<Found, String> {
    let rewrite = match read_text(&disk).map_err(|e| format!("{}: {e}", disk.display()))? {
        Text::Utf8(text) => Some(rewrite_file(&rel, &text, rule)),
        Text::NotUtf8 => None,
    };
    let changed = rewrite.as_ref().is_some_and(FileRewrite::changed);
    Ok(Found { rel, disk, real, rewrite, changed })
}

/// Reads and rewrites every file in parallel, keeping every text.
fn read_whole(walked: Walked, rule: &Rule) -> Result<Read, String> {
    let Walked { root, files, not_read, temps } = walked;
    let found = files
        .into_par_iter()
        .map(|(rel, disk, real)| read_one(rel, disk, real, rule))
        .collect::<Result<Vec<_>, String>>()?;
    let mut kept = Kept::with_capacity(found.len());
    found.into_iter().for_each(|f| kept.keep(f));
    Ok(Read { root, kept, not_read, temps })
}

/// Files per parallel step: enough to keep every thread busy, few enough that the patch streams.
const CHUNK: usize = 256;

/// Reads and rewrites the files in parallel a chunk at a time, in path order, keeping only a
/// summary of each (the helper file whole) and giving each changed file's patch to `sink` as soon
/// as it is known: one file's text and tree per thread are alive at a time, whatever the project's
/// size. For a project without links (see `run_inner`): each path is its own file.
fn read_streaming(walked: Walked, rule: &Rule, sink: &mut Sink) -> Result<Read, String> {
    let Walked { root, files, not_read, temps } = walked;
    let patching = !matches!(sink, Sink::Off);
    let helper_at = files.partition_point(|f| f.0 < rule.helper_file);
    let helper_found = files.get(helper_at).is_some_and(|f| f.0 == rule.helper_file);
    // The helper's patch depends on whether anything in the project is replaced; it waits until
    // a replacement is seen. Until then every file is unchanged (only a replacement changes a
    // file), so nothing else waits behind it.
    let mut helper = Pending::new(rule, &not_read, helper_found);
    let mut kept = Kept::with_capacity(files.len());
    let mut next = 0;
    // In path order: the patch, the helper's place in it, the files as found.
    let mut take = |done: Vec<(Found, String)>| {
        for (f, patch) in done {
            if next == helper_at {
                helper.reach(f.rewrite.as_ref().filter(|_| helper_found), sink);
            }
            next += 1;
            if f.rewrite.as_ref().is_some_and(|r| r.replaces()) {
                helper.replacing(f.rewrite.as_ref().expect("just checked"), sink);
            }
            if f.rel != rule.helper_file {
                sink.push(patch);
            }
            kept.keep(f);
        }
    };
    let mut files = files.into_iter();
    let mut taken: Option<Vec<(Found, String)>> = None;
    loop {
        let chunk: Vec<_> = files.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let read = || {
            chunk
                .into_par_iter()
                .map(|(rel, disk, real)| {
                    let mut f = read_one(rel, disk, real, rule)?;
                    let mut patch = String::new();
                    if f.rel != rule.helper_file {
                        if let Some(r) = f.rewrite.take() {
                            if patching && f.changed {
                                patch = r.file().patch_at(&f.rel);
                            }
                            f.rewrite = Some(r.into_summary());
                        }
                    }
                    Ok((f, patch))
                })
                .collect::<Result<Vec<_>, String>>()
        };
        // The chunk before is taken (its patch printed) while this one is read: the threads
        // reading never wait for the printing.
        let (done, ()) = rayon::join(read, || {
            if let Some(before) = taken.take() {
                take(before);
            }
        });
        taken = Some(done?);
    }
    if let Some(last) = taken {
        take(last);
    }
    if next == helper_at {
        helper.reach(None, sink);
    }
    helper.give(sink);
    sink.flush();
    Ok(Read { root, kept, not_read, temps })
}

/// The helper file's place in the patch while the project streams.
struct Pending<'a> {
    rule: &'a Rule,
    /// The helper file as read (None: to be created, or not to be written at all).
    file: Option<FileRewrite>,
    /// Whether the helper may be created where no file is (not when a file there was not read).
    may_create: bool,
    /// Its place in the patch has been reached.
    reached: bool,
    /// Something in the project (the helper file too) is replaced.
    replaced: bool,
    /// The first other file with a replacement.
    replacing: Option<FileRewrite>,
    /// Its patch has been given.
    done: bool,
}

impl<'a> Pending<'a> {
    fn new(rule: &'a Rule, not_read: &[NotRead], helper_found: bool) -> Pending<'a> {
        let may_create = !helper_found && !not_read.iter().any(|n| n.rel == rule.helper_file);
        Pending { rule, file: None, may_create, reached: false, replaced: false, replacing: None, done: false }
    }

    /// The helper's place in the patch, with the helper file when it was read as text.
    fn reach(&mut self, file: Option<&FileRewrite>, sink: &mut Sink) {
        self.reached = true;
        self.file = file.cloned();
        self.replaced |= file.is_some_and(FileRewrite::replaces);
        if self.replaced {
            self.give(sink);
        }
    }

    /// A file with a replacement: from here on the helper's patch is known.
    fn replacing(&mut self, f: &FileRewrite, sink: &mut Sink) {
        self.replaced = true;
        if self.replacing.is_none() && f.path() != self.rule.helper_file {
            self.replacing = Some(f.clone());
        }
        if self.reached {
            self.give(sink);
        }
    }

    /// The helper's patch, made as `assemble` makes it for the whole project: it depends only on
    /// the helper file and on whether anything is replaced (as in `verdict::evaluate`).
    fn give(&mut self, sink: &mut Sink) {
        if self.done || !self.reached || (self.file.is_none() && !self.may_create) {
            return;
        }
        self.done = true;
        let subset: Vec<FileRewrite> = self.file.take().into_iter().chain(self.replacing.take()).collect();
        let outcome = assemble(subset, self.rule);
        if let Some(f) = outcome.files.iter().find(|f| f.path == self.rule.helper_file && f.changed()) {
            sink.push(f.patch());
        }
    }
}

/// See `Sink::Stdout`.
const STDOUT_WRITE: usize = 1 << 18;

/// Where the patch goes.
enum Sink {
    /// Not printed.
    Off,
    /// Printed as it comes, in writes of `STDOUT_WRITE` bytes or more (a write per file was
    /// 10,000 system calls for 10,000 files); a closed pipe or a write error stops printing and is
    /// acted on at the end, after the report, as when the patch was printed whole.
    Stdout { out: io::BufWriter<io::Stdout>, closed: bool, failed: Option<String> },
    /// Kept for the JSON report.
    Buffer(String),
}

impl Sink {
    fn push(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        match self {
            Sink::Off => {}
            Sink::Buffer(all) => all.push_str(&text),
            Sink::Stdout { out, closed: false, failed: None } => {
                let written = out.write_all(text.as_bytes());
                self.after(written);
            }
            Sink::Stdout { .. } => {}
        }
    }

    /// Writes what is buffered.
    fn flush(&mut self) {
        if let Sink::Stdout { out, closed: false, failed: None } = self {
            let written = out.flush();
            self.after(written);
        }
    }

    fn after(&mut self, written: io::Result<()>) {
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => self.close(),
            Err(e) => self.fail(format!("stdout: {e}")),
        }
    }

    fn close(&mut self) {
        if let Sink::Stdout { closed, .. } = self {
            *closed = true;
        }
    }

    fn fail(&mut self, message: String) {
        if let Sink::Stdout { failed, .. } = self {
            *failed = Some(message);
        }
    }

    /// After the report: a reader that went away ends the process quietly with 0 (as
    /// `print_stdout` does), any other write error is the caller's to report.
    fn finish(&mut self) -> Result<(), String> {
        self.flush();
        match self {
            Sink::Stdout { closed: true, .. } => std::process::exit(exit::OK.into()),
            Sink::Stdout { failed: Some(message), .. } => Err(message.clone()),
            Sink::Buffer(text) => print_stdout(text),
            _ => Ok(()),
        }
    }
}

/// Writes every file of the rewritten project under `out`, all or nothing; files that were not
/// read as text (content or name not UTF-8) are copied unchanged.
fn write_out(
    out: &Path,
    outcome: &Outcome,
    not_utf8: &[(String, PathBuf)],
    not_read: &[NotRead],
    root_dir: &Path,
) -> Result<(), String> {
    let mut copies: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let read = |disk: &Path| fs::read(disk).map_err(|e| format!("{}: {e}", disk.display()));
    for (rel, disk) in not_utf8 {
        copies.push((out.join(rel), read(disk)?));
    }
    for n in not_read.iter().filter(|n| n.why == WhyNotRead::NameNotUtf8) {
        // The name as it is on disk, not its lossy display.
        copies.push((out.join(n.disk.strip_prefix(root_dir).unwrap_or(&n.disk)), read(&n.disk)?));
    }
    let mut changes: Vec<Change> = outcome
        .files
        .iter()
        .map(|f| Change { target: out.join(&f.path), bytes: f.text.as_bytes(), expect: Expect::Any })
        .collect();
    changes.extend(copies.iter().map(|(target, bytes)| Change { target: target.clone(), bytes, expect: Expect::Any }));
    let leftovers = target_dir_entries(&changes);
    write_all(&changes, leftovers).map(report_removed)
}

fn report_removed(temps: Vec<PathBuf>) {
    for temp in temps {
        eprintln!("removed {} (left by an interrupted run)", temp.display());
    }
}
