//! The report as one self-contained HTML file: something to attach to a pull request. Styles are
//! inline and there is no script, so it reads the same offline, in a mail client or with scripts
//! off. The page's "Export report" and `mesh-rewrite rewrite --format html` write the same bytes for
//! the same project, rule and verdict (nothing here depends on time or place).

use crate::rewrite::report::{plural, FileStatus, ImportEdit};
use crate::rewrite::rule::Rule;
use crate::rewrite::Outcome;
use crate::verdict::Verdict;
use std::fmt::Write as _;

const STYLE: &str = "\
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff}\
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}\
code,pre{font:13px/1.4 ui-monospace,monospace}table{border-collapse:collapse}\
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}\
.ok{color:#116329}.fail,.error{color:#a40e26}.warning{color:#7d4e00}.info{color:#0550ae}\
.verdict{padding:.5rem 1rem;border-left:4px solid #0550ae;background:#f6f8fa}\
pre.diff{overflow-x:auto;border:1px solid #d0d7de;padding:.5rem;background:#f6f8fa}\
pre.diff span{display:block;white-space:pre}.add{background:#dafbe1}.del{background:#ffebe9}.hunk{color:#0550ae}\
details{margin:.75rem 0}summary{cursor:pointer;font-weight:600}";

/// The whole report. `verdict` is the page's (or `mesh-rewrite verdict`'s) for the same rule.
pub fn html_report(outcome: &Outcome, rule: &Rule, verdict: Option<&Verdict>) -> String {
    let report = &outcome.report;
    let mut out = String::with_capacity(outcome.patch().len() * 2 + 8192);
    let version = crate::version();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"mesh-rewrite {}\">\n<title>Registry rewrite report</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<h1>Registry rewrite report</h1>\n",
        esc(version)
    );
    let _ = writeln!(
        out,
        "<p>Every <code>Process.whereis(\"{}\")</code> rewritten to <code>{}()</code> from <code>{}</code>, \
         helper form <code>{}</code>. Made with mesh-rewrite {}.</p>",
        esc(&rule.registry_name),
        esc(&rule.helper_name),
        esc(&rule.helper_file),
        rule.helper_form.name(),
        esc(version)
    );

    if let Some(v) = verdict {
        let _ = writeln!(out, "<h2 id=\"verdict\">Verdict</h2>\n<p class=\"verdict\">{}</p>", esc(&v.line()));
        let _ = writeln!(
            out,
            "<table>\n<tr><th>Helper form</th><th>Compiles</th><th>Worse</th><th>Better</th><th>Same</th><th>What happens</th></tr>"
        );
        for f in &v.forms {
            let mark = if Some(&f.form) == v.recommended.as_ref() { " (ship this)" } else { "" };
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code>{mark}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&f.form),
                if f.compiles { "ok" } else { "fail" },
                if f.compiles { "yes" } else { "no" },
                f.worse,
                f.better,
                f.same,
                esc(&f.summary)
            );
        }
        let _ = writeln!(out, "</table>\n<p>{} scenarios × {} seeds.</p>", v.scenarios.len(), v.seeds);
    }

    let _ = writeln!(out, "<h2 id=\"summary\">Summary</h2>");
    let _ = writeln!(out, "<p>{}</p>", esc(&report.summary_line()));
    let _ = writeln!(out, "<table>\n<tr><th>File</th><th>Replacements</th><th>Status</th><th>Import</th></tr>");
    for f in report.files.iter().filter(|f| !f.replacements.is_empty() || f.status != FileStatus::Unchanged) {
        let import = match f.import_edit {
            ImportEdit::Merged => "merged",
            ImportEdit::Added => "added",
            ImportEdit::None => "",
        };
        let status = f.status.as_str();
        let at: Vec<String> = f
            .replacements
            .iter()
            .map(|r| format!("{}:{} in {}", r.line, r.column, esc(r.function.as_deref().unwrap_or("(top level)"))))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}{}</td><td>{status}</td><td>{import}</td></tr>",
            esc(&f.path),
            plural(f.replacements.len(), "replacement"),
            if at.is_empty() { String::new() } else { format!("<br>{}", at.join("<br>")) }
        );
    }
    let _ = writeln!(out, "</table>");

    let _ = writeln!(out, "<h2 id=\"checks\">Checks</h2>\n<ul>");
    for c in &report.checks {
        let (class, mark) = if c.passed { ("ok", "ok") } else { ("fail", "FAIL") };
        let _ = writeln!(out, "<li class=\"{class}\">[{mark}] {}: {}</li>", esc(&c.name), esc(&c.detail));
    }
    let _ = writeln!(out, "</ul>");

    let _ = writeln!(out, "<h2 id=\"diagnostics\">Diagnostics</h2>");
    if report.diagnostics.is_empty() {
        let _ = writeln!(out, "<p>None.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for d in &report.diagnostics {
            let severity = d.severity.as_str();
            let _ = writeln!(
                out,
                "<li class=\"{severity}\"><code>{}:{}:{}</code> {severity}[{}]: {}</li>",
                esc(&d.path),
                d.line,
                d.column,
                esc(&d.code),
                esc(&d.message)
            );
        }
        let _ = writeln!(out, "</ul>");
    }

    let skipped: Vec<_> = report.files.iter().flat_map(|f| f.skipped.iter().map(move |s| (&f.path, s))).collect();
    if !skipped.is_empty() {
        let _ = writeln!(out, "<h2 id=\"kept\">Kept as they are</h2>\n<ul>");
        for (path, s) in skipped {
            let _ = writeln!(out, "<li><code>{}:{}:{}</code> {}</li>", esc(path), s.line, s.column, s.reason.as_str());
        }
        let _ = writeln!(out, "</ul>");
    }

    let _ = writeln!(out, "<h2 id=\"changes\">Changes</h2>");
    let changed: Vec<_> = outcome.files.iter().filter(|f| f.changed()).collect();
    if changed.is_empty() {
        let _ = writeln!(out, "<p>No file changed.</p>");
    }
    for f in changed {
        let _ = write!(out, "<details open>\n<summary><code>{}</code></summary>\n<pre class=\"diff\">", esc(&f.path));
        for line in f.patch().lines() {
            let class = match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++ ") => " class=\"add\"",
                Some(b'-') if !line.starts_with("--- ") => " class=\"del\"",
                Some(b'@') => " class=\"hunk\"",
                _ => "",
            };
            let _ = write!(out, "<span{class}>{}</span>", esc(line));
        }
        let _ = writeln!(out, "</pre>\n</details>");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A word of a shell command as the shell reads it back: as it is when it holds only plain path
/// characters, else in single quotes (the page's CLI command, the CLI's undo note).
pub fn shell_word(word: &str) -> String {
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@%".contains(&b)) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_the_shell_would_split_are_quoted() {
        assert_eq!(shell_word("../p/mesher"), "../p/mesher");
        assert_eq!(shell_word("my project"), "'my project'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
