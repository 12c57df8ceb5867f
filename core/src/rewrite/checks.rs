//! The seed plan's verification list, computed on the rewritten project instead of grepped.

use super::report::{plural, Check, Diagnostic, FileStatus, SkipReason};
use super::rule::Rule;
use super::FileRewrite;
use std::collections::BTreeMap;

pub(crate) fn run(files: &[FileRewrite], rule: &Rule, diagnostics: &[Diagnostic]) -> Vec<Check> {
    vec![
        changed_files_parse(files),
        lookups_left(files, rule),
        helper_called(files, rule),
        stay_local_unchanged(files, rule),
        helper_imported(files, rule),
        counts_match(files, rule),
        helper_defined(files, rule),
        no_pid_int(diagnostics),
    ]
}

fn check(name: &str, problems: Vec<String>, ok: String) -> Check {
    let passed = problems.is_empty();
    Check { name: name.to_owned(), passed, detail: if passed { ok } else { problems.join("; ") } }
}

fn changed(f: &FileRewrite) -> bool {
    matches!(f.report.status, FileStatus::Modified | FileStatus::Created)
}

/// How many of the file's lookups the user chose to keep.
fn chosen(f: &FileRewrite) -> usize {
    f.report.skipped.iter().filter(|s| s.reason == SkipReason::Chosen).count()
}

fn changed_files_parse(files: &[FileRewrite]) -> Check {
    let problems = files
        .iter()
        .filter(|f| changed(f) && f.errors_after > f.errors.len())
        .map(|f| format!("{}: {} after the rewrite", f.file.path, plural(f.errors_after, "syntax error")))
        .collect();
    let n = files.iter().filter(|f| changed(f)).count();
    check("changed files parse", problems, format!("{} parse without new errors", plural(n, "changed file")))
}

fn lookups_left(files: &[FileRewrite], rule: &Rule) -> Check {
    let mut problems = Vec::new();
    let mut kept = Vec::new();
    for f in files {
        let registry = |l: &&super::scan::Lookup| l.of(&rule.registry_name);
        // What the rewrite left in a file it rewrote is exactly what the user chose to keep.
        let left = f.after().lookups.iter().filter(registry).filter(|l| !l.in_helper).count();
        let by_choice = f.report.status != FileStatus::Blocked && !f.excluded && left <= chosen(f);
        for l in f.after().lookups.iter().filter(registry) {
            let at = format!("{}:{}", f.file.path, l.spot.line);
            if f.excluded {
                kept.push(format!("{at} (excluded)"));
            } else if l.in_helper {
                kept.push(format!("{at} (helper)"));
            } else if by_choice {
                kept.push(format!("{at} (skipped by choice)"));
            } else {
                problems.push(format!("{at} still calls Process.whereis(\"{}\")", rule.registry_name));
            }
        }
    }
    let ok = if kept.is_empty() { "none left".to_owned() } else { format!("left only in {}", kept.join(", ")) };
    check("registry lookup left only in excluded files and the helper", problems, ok)
}

/// Whether the file had lookups to replace that the user did not choose to keep.
fn had_rewritable_lookups(f: &FileRewrite) -> bool {
    !f.excluded && f.rewritable > chosen(f)
}

fn helper_called(files: &[FileRewrite], rule: &Rule) -> Check {
    let had: Vec<_> = files.iter().filter(|f| had_rewritable_lookups(f)).collect();
    let missing: Vec<_> = had.iter().filter(|f| f.after().helper_call.is_none()).map(|f| f.file.path.as_str()).collect();
    let problems = if missing.is_empty() {
        Vec::new()
    } else {
        vec![format!("no {}() in {}", rule.helper_name, missing.join(", "))]
    };
    let ok = format!("{}() in all {} that had lookups", rule.helper_name, plural(had.len(), "file"));
    check("helper called in every file that had lookups", problems, ok)
}

fn stay_local_unchanged(files: &[FileRewrite], rule: &Rule) -> Check {
    let mut problems = Vec::new();
    let mut counts = Vec::new();
    for (i, name) in rule.stay_local.iter().enumerate() {
        let before: usize = files.iter().map(|f| f.stay_local_before.get(i).copied().unwrap_or(0)).sum();
        let after: usize = files.iter().map(|f| f.after().lookups_of(name)).sum();
        let line = format!("{name}: {before} before, {after} after");
        if before != after {
            problems.push(line.clone());
        }
        counts.push(line);
    }
    check("stay-local lookups unchanged", problems, counts.join("; "))
}

fn helper_imported(files: &[FileRewrite], rule: &Rule) -> Check {
    let callers: Vec<_> = files
        .iter()
        .filter(|f| f.file.path != rule.helper_file && f.after().helper_call.is_some())
        .collect();
    let missing: Vec<_> = callers.iter().filter(|f| !f.after().imports_helper()).map(|f| f.file.path.as_str()).collect();
    let module = rule.helper_module();
    let problems = if missing.is_empty() {
        Vec::new()
    } else {
        vec![format!("{} called without `from {module} import {}` in {}", rule.helper_name, rule.helper_name, missing.join(", "))]
    };
    let ok = format!("all {} calling {}() import it from {module}", plural(callers.len(), "file"), rule.helper_name);
    check("every file calling the helper imports it", problems, ok)
}

fn counts_match(files: &[FileRewrite], rule: &Rule) -> Check {
    let name = "replacement counts match the plan";
    if !rule.counts_apply(|p| files.iter().any(|f| f.file.path == p)) {
        let detail = "the plan's counts are the mesher app's, whose files this project does not hold; \
                      set expected_counts in the config to check counts of your own";
        return check(name, Vec::new(), detail.to_owned());
    }
    // Keyed like `expected_counts` (String → usize): the page then holds one B-tree of that type, not two.
    let mut made: BTreeMap<String, usize> = BTreeMap::new();
    let mut kept: BTreeMap<String, usize> = BTreeMap::new();
    for f in files {
        if !f.report.replacements.is_empty() {
            made.insert(f.file.path.clone(), f.report.replacements.len());
        }
        if chosen(f) > 0 {
            kept.insert(f.file.path.clone(), chosen(f));
        }
    }
    let mut paths: Vec<&str> = rule.expected_counts.keys().chain(made.keys()).map(String::as_str).collect();
    crate::order::sort(&mut paths);
    paths.dedup();
    let mut problems = Vec::new();
    for path in paths {
        let planned = rule.expected_counts.get(path).copied().unwrap_or(0);
        let actual = made.get(path).copied().unwrap_or(0);
        let skipped = kept.get(path).copied().unwrap_or(0);
        if planned != actual + skipped {
            let by_choice = if skipped > 0 { format!(" (and {skipped} skipped by choice)") } else { String::new() };
            problems.push(format!("{path}: planned {planned}, made {actual}{by_choice}"));
        }
    }
    let total: usize = made.values().sum();
    let skipped: usize = kept.values().sum();
    let ok = if skipped == 0 {
        format!("{} in {}, as planned", plural(total, "replacement"), plural(made.len(), "file"))
    } else {
        format!(
            "{} in {} and {} skipped by choice, as planned",
            plural(total, "replacement"),
            plural(made.len(), "file"),
            skipped
        )
    };
    check(name, problems, ok)
}

fn helper_defined(files: &[FileRewrite], rule: &Rule) -> Check {
    let name = "helper defined";
    let called = files.iter().any(|f| !f.report.replacements.is_empty() || f.after().helper_call.is_some());
    if !called {
        return check(name, Vec::new(), format!("nothing calls {}, so no helper is needed", rule.helper_name));
    }
    let defined = files.iter().any(|f| f.file.path == rule.helper_file && f.after().helper_defined());
    let problems = if defined {
        Vec::new()
    } else {
        vec![format!("{} does not define {}", rule.helper_file, rule.helper_name)]
    };
    check(name, problems, format!("{} defines {}", rule.helper_file, rule.helper_name))
}

fn no_pid_int(diagnostics: &[Diagnostic]) -> Check {
    let problems = diagnostics
        .iter()
        .filter(|d| d.code == "E0001")
        .map(|d| format!("{}:{}: Pid compared with Int", d.path, d.line))
        .collect();
    check("no Pid compared with Int (compiles)", problems, "no Pid-vs-Int comparisons".to_owned())
}
