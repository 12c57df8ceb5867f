//! What the rewrite did and what the user must know, as data (JSON via serde) and as text.
//!
//! Positions: `replacements` and `skipped` point into the original file (where the user's code
//! was); `diagnostics` point into the file after the rewrite (what needs attention now).
//! Lines and columns are 1-based, columns count characters; byte ranges are half-open.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub helper: HelperReport,
    pub diagnostics: Vec<Diagnostic>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub path: String,
    pub replacements: Vec<Replacement>,
    pub import_edit: ImportEdit,
    pub skipped: Vec<Skipped>,
    pub status: FileStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Unchanged,
    Modified,
    Created,
    /// Has syntax errors, so the rewrite left it alone although it had work to do.
    Blocked,
}

impl FileStatus {
    /// As the reports say it: `modified`, `not rewritten: syntax errors`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Unchanged => "unchanged",
            FileStatus::Modified => "modified",
            FileStatus::Created => "created",
            FileStatus::Blocked => "not rewritten: syntax errors",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Replacement {
    pub line: usize,
    pub column: usize,
    /// The enclosing function, actor or service handler (None at the top level).
    pub function: Option<String>,
    pub start_byte: usize,
    pub end_byte: usize,
    /// Where `get_registry()` sits in the rewritten file.
    pub new_start_byte: usize,
    pub new_end_byte: usize,
    /// The selector naming this replacement for `skip`/`only` (`api/alerts.mpl:handle_list#2`).
    #[serde(skip)]
    pub choice: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportEdit {
    Merged,
    Added,
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub line: usize,
    pub column: usize,
    pub reason: SkipReason,
    pub start_byte: usize,
    pub end_byte: usize,
    /// For a lookup skipped by choice, the selector naming it (what accepting it again removes).
    #[serde(skip)]
    pub choice: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SkipReason {
    #[serde(rename = "excluded file")]
    ExcludedFile,
    #[serde(rename = "helper body")]
    HelperBody,
    #[serde(rename = "comment")]
    Comment,
    #[serde(rename = "string")]
    String,
    #[serde(rename = "non-literal argument")]
    NonLiteralArgument,
    #[serde(rename = "syntax error")]
    SyntaxError,
    /// The user chose to keep it (`skip`/`only` in the config or on the command line, a box unticked in the page).
    #[serde(rename = "skipped by choice")]
    Chosen,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::ExcludedFile => "excluded file",
            SkipReason::HelperBody => "helper body",
            SkipReason::Comment => "comment",
            SkipReason::String => "string",
            SkipReason::NonLiteralArgument => "non-literal argument",
            SkipReason::SyntaxError => "syntax error",
            SkipReason::Chosen => "skipped by choice",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HelperReport {
    pub path: String,
    pub action: HelperAction,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HelperAction {
    Inserted,
    Present,
    Created,
    /// Nothing was rewritten, so no helper is needed.
    None,
    /// The helper file has syntax errors; the helper could not be inserted.
    Blocked,
    /// The helper file exists but was not read as text (not UTF-8, a link not followed); it was
    /// left as it is and the helper not inserted.
    Unread,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub code: String,
    pub message: String,
    pub start_byte: usize,
    pub end_byte: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: String,
    pub passed: bool,
    pub detail: String,
}

impl Report {
    pub fn replacement_count(&self) -> usize {
        self.files.iter().map(|f| f.replacements.len()).sum()
    }

    pub fn blocked(&self) -> bool {
        self.files.iter().any(|f| f.status == FileStatus::Blocked)
    }

    /// The report for people: per-file summary, skipped lookups, diagnostics, checks.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_text(&mut out).expect("writing to a String cannot fail");
        out
    }

    /// `to_text` written piece by piece: the CLI streams a large project's report instead of
    /// holding all of it (megabytes for 10,000 files).
    pub fn write_text(&self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        for f in &self.files {
            if f.replacements.is_empty() && f.status == FileStatus::Unchanged {
                continue;
            }
            let import = match f.import_edit {
                ImportEdit::Merged => ", import merged",
                ImportEdit::Added => ", import added",
                ImportEdit::None => "",
            };
            let helper = if f.path == self.helper.path && self.helper.action == HelperAction::Inserted {
                ", helper inserted"
            } else {
                ""
            };
            writeln!(
                out,
                "{}: {} ({}{import}{helper})",
                f.path,
                plural(f.replacements.len(), "replacement"),
                f.status.as_str()
            )?;
            for r in &f.replacements {
                writeln!(out, "  {}:{} in {}", r.line, r.column, r.function.as_deref().unwrap_or("(top level)"))?;
            }
        }
        let action = match self.helper.action {
            HelperAction::Inserted => "inserted",
            HelperAction::Present => "already present",
            HelperAction::Created => "created",
            HelperAction::None => "not needed",
            HelperAction::Blocked => "not inserted (syntax errors)",
            HelperAction::Unread => "not inserted (the file was not read; see its diagnostic)",
        };
        writeln!(out, "helper {}: {action}", self.helper.path)?;
        let skipped: Vec<_> = self.files.iter().flat_map(|f| f.skipped.iter().map(move |s| (&f.path, s))).collect();
        if !skipped.is_empty() {
            writeln!(out, "kept as they are:")?;
            for (path, s) in skipped {
                writeln!(out, "  {path}:{}:{}: {}", s.line, s.column, s.reason.as_str())?;
            }
        }
        for d in &self.diagnostics {
            let severity = d.severity.as_str();
            writeln!(out, "{}:{}:{}: {severity}[{}]: {}", d.path, d.line, d.column, d.code, d.message)?;
        }
        writeln!(out, "checks:")?;
        for c in &self.checks {
            let mark = if c.passed { "ok  " } else { "FAIL" };
            writeln!(out, "  [{mark}] {}: {}", c.name, c.detail)?;
        }
        writeln!(out, "{}", self.summary_line())
    }

    /// The report's last line: `41 replacements in 9 changed files; 7 of 8 checks passed`.
    pub fn summary_line(&self) -> String {
        let changed = self.files.iter().filter(|f| matches!(f.status, FileStatus::Modified | FileStatus::Created)).count();
        let passed = self.checks.iter().filter(|c| c.passed).count();
        let chosen = self.files.iter().flat_map(|f| &f.skipped).filter(|s| s.reason == SkipReason::Chosen).count();
        let chosen = if chosen > 0 { format!(" ({chosen} skipped by choice)") } else { String::new() };
        format!(
            "{} in {}{chosen}; {} of {} checks passed",
            plural(self.replacement_count(), "replacement"),
            plural(changed, "changed file"),
            passed,
            self.checks.len()
        )
    }
}


pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}
