//! Stage 5: the verdict. Which helper form is safe to ship? For each form: rewrite with it, type-check
//! the helper it leaves, run every built-in scenario over several seeds (remote service calls off: the
//! runtime as it is), and compare each request's outcome after the rewrite with before.
//!
//! The per-file half of the rewrite does not depend on the helper form (only the helper file's text
//! does), so callers that already hold `FileRewrite`s pass them in and only `assemble` runs per form.

use crate::project::Project;
use crate::rewrite::report::{plural, Report};
use crate::rewrite::rule::{HelperForm, Rule};
use crate::rewrite::{assemble, rewrite_file, FileRewrite};
use crate::simulate::helper::Helper;
use crate::simulate::view::helper_text;
use crate::simulate::{self, typecheck, Options, Outcome, Scenario};
use serde::Serialize;

/// Seeds 0..16 unless asked otherwise: enough to show a race ("in 5 of 16 seeds").
pub const DEFAULT_SEEDS: u64 = 16;
/// More seeds than this add time, not information.
pub const MAX_SEEDS: u64 = 1000;

/// How one request's outcome changed with the rewrite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// ok → hang, crash or ok-remote; hang → crash: the rewrite made it worse.
    Worse,
    /// hang, crash or ok-remote → ok.
    Better,
    Same,
}

/// Before and after of one request. `ok-remote` counts as worse than `ok`: a registry on another node
/// answers, but the pool handles it gives out are useless on the caller's node.
pub fn classify(before: Outcome, after: Outcome) -> Change {
    if after.severity() > before.severity() {
        Change::Worse
    } else if after == Outcome::Ok && before != Outcome::Ok {
        Change::Better
    } else {
        Change::Same
    }
}

/// The request that shows a form at its worst in a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Case {
    pub seed: u64,
    pub time: u64,
    pub node: String,
    pub handler: String,
    pub before: Outcome,
    pub after: Outcome,
    /// The node whose registry the lookup returned after the rewrite (None: PID 0).
    pub resolved_node: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioVerdict {
    pub scenario: String,
    /// Request outcomes over all seeds.
    pub worse: usize,
    pub better: usize,
    pub same: usize,
    /// In how many seeds at least one request is worse.
    pub seeds_worse: u64,
    /// The worst outcome after the rewrite, over every request and seed.
    pub worst_after: Outcome,
    /// The first request whose change is the worst of this scenario (worse before better).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<Case>,
}

impl ScenarioVerdict {
    /// The matrix cell: `worse: crash in 16/16 seeds`, `better in 32`, `same`.
    pub fn cell(&self, seeds: u64) -> String {
        if self.worse > 0 {
            format!("worse: {} in {}/{seeds} seeds", self.worst_after.as_str(), self.seeds_worse)
        } else if self.better > 0 {
            format!("better in {}", self.better)
        } else {
            "same".to_owned()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FormVerdict {
    /// `plan`, `node-mode`, `node-local`, `node-name`, `custom`; `project` when the project's helper
    /// file already defines the helper (the rewrite keeps it whatever the form).
    pub form: String,
    pub compiles: bool,
    /// Why it does not compile (`api/helpers.mpl:14:6: error[E0001]: …`).
    pub diagnostics: Vec<String>,
    /// Set when the helper cannot be simulated; the counts are then 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cannot_simulate: Option<String>,
    pub worse: usize,
    pub better: usize,
    pub same: usize,
    pub scenarios: Vec<ScenarioVerdict>,
    /// One plain sentence: what happens with this form, at its worst.
    pub summary: String,
    /// Expressions in the helper body: fewer is simpler.
    #[serde(skip)]
    pub size: usize,
}

impl FormVerdict {
    /// Compiles, simulates and is never worse than today.
    pub fn safe(&self) -> bool {
        self.compiles && self.cannot_simulate.is_none() && self.worse == 0
    }

    /// The scenario and case behind the summary: the worst change, first in scenario order.
    pub fn worst(&self) -> Option<(&ScenarioVerdict, &Case)> {
        let mut worst: Option<(&ScenarioVerdict, &Case)> = None;
        for s in self.scenarios.iter().filter(|s| s.worse > 0) {
            if let Some(case) = &s.case {
                if worst.is_none_or(|(_, w)| case.after.severity() > w.after.severity()) {
                    worst = Some((s, case));
                }
            }
        }
        worst
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The form to ship, if any is safe.
    pub recommended: Option<String>,
    /// The form the rule uses now.
    pub current: String,
    pub seeds: u64,
    pub scenarios: Vec<String>,
    pub forms: Vec<FormVerdict>,
    /// The answer in one sentence.
    pub headline: String,
}

impl Verdict {
    pub fn form(&self, name: &str) -> Option<&FormVerdict> {
        self.forms.iter().find(|f| f.form == name)
    }

    /// One line for a report: the current form's verdict, then what to ship.
    pub fn line(&self) -> String {
        let current = match self.form(&self.current) {
            Some(f) => format!("verdict: {}: {}", f.form, f.summary),
            None => format!("verdict: {}", self.current),
        };
        match &self.recommended {
            Some(r) if *r == self.current => format!("{current}. Safe to ship."),
            Some(r) if HelperForm::from_name(r).is_some() => {
                format!("{current}. Ship {r} instead (--helper-form {r}).")
            }
            Some(r) => format!("{current}. Ship {r} instead."),
            None => format!("{current}. {}", self.headline),
        }
    }
}

/// Points the report's messages about a helper that does not compile at the form to ship. The rewrite
/// itself does not know the verdict (data flows one way), so this runs after both.
pub fn annotate(report: &mut Report, verdict: &Verdict) {
    let advice = match verdict.recommended.as_deref() {
        Some(r) if r == verdict.current => return,
        Some(r) if HelperForm::from_name(r).is_some() => {
            format!("; ship the {r} helper instead (--helper-form {r}), the form the verdict found safe")
        }
        Some(r) => format!("; ship the {r} helper instead, the form the verdict found safe"),
        None => "; no helper form is safe to ship yet (see the verdict)".to_owned(),
    };
    for d in report.diagnostics.iter_mut().filter(|d| d.code == "E0001" || d.code == "E0006") {
        d.message.push_str(&advice);
    }
}

/// The verdict for a project as it is on disk (the CLI).
pub fn verdict(project: &Project, rule: &Rule, seeds: u64) -> Verdict {
    let files: Vec<FileRewrite> = project.files.iter().map(|f| rewrite_file(&f.path, &f.text, rule)).collect();
    evaluate(&files, rule, seeds)
}

/// The forms a verdict weighs: every built-in form, and `custom` when the rule uses it.
pub fn forms_for(rule: &Rule) -> Vec<HelperForm> {
    HelperForm::ALL
        .into_iter()
        .filter(|f| *f != HelperForm::Custom || rule.helper_form == HelperForm::Custom)
        .collect()
}

/// The verdict from the per-file rewrites of a project (made with `rule`, whatever its form).
pub fn evaluate(files: &[FileRewrite], rule: &Rule, seeds: u64) -> Verdict {
    let seeds = seeds.clamp(1, MAX_SEEDS);
    let names = simulate::built_in_names();
    let scenarios: Vec<Scenario> = names.iter().filter_map(|n| simulate::built_in(n)).collect();
    // Only the helper file's text differs between forms, and it depends on the helper file and on
    // whether anything was replaced: assemble just those (not every file) once per form.
    let helper_file = files.iter().find(|f| f.path() == rule.helper_file);
    let replacing = files.iter().find(|f| !f.report.replacements.is_empty() && f.path() != rule.helper_file);
    let subset: Vec<FileRewrite> = helper_file.into_iter().chain(replacing).cloned().collect();
    let mut forms = Vec::new();
    for form in forms_for(rule) {
        let rule = Rule { helper_form: form, ..rule.clone() };
        let outcome = assemble(subset.clone(), &rule);
        let source = helper_text(Some(&outcome), &rule);
        let own = source.label == "project";
        forms.push(weigh(&source.label, &source.text, source.path.as_deref(), &rule, &scenarios, seeds));
        if own {
            // The project defines the helper: every form leaves the same one.
            break;
        }
    }
    let recommended = forms
        .iter()
        .enumerate()
        .filter(|(_, f)| f.safe())
        .min_by_key(|(i, f)| (std::cmp::Reverse(f.better), f.size, *i))
        .map(|(_, f)| f.form.clone());
    let current = if forms.len() == 1 && forms[0].form == "project" {
        "project".to_owned()
    } else {
        rule.helper_form.name().to_owned()
    };
    let runs = format!("{} scenarios × {seeds} seeds", scenarios.len());
    let headline = match recommended.as_deref().and_then(|r| forms.iter().find(|f| f.form == r)) {
        Some(f) if f.better > 0 => format!(
            "Ship {}: it compiles, is never worse than today and is better in {} ({runs}).",
            f.form,
            plural(f.better, "request outcome")
        ),
        Some(f) => format!("Ship {}: it compiles and is never worse than today ({runs}).", f.form),
        None => format!(
            "No helper form is safe to ship: each one either does not compile or is worse than today in a cluster ({runs})."
        ),
    };
    Verdict { recommended, current, seeds, scenarios: names.iter().map(|n| n.to_string()).collect(), forms, headline }
}

/// One form: compile it, run it everywhere, count the changes.
fn weigh(
    label: &str,
    text: &str,
    path: Option<&str>,
    rule: &Rule,
    scenarios: &[Scenario],
    seeds: u64,
) -> FormVerdict {
    let mut verdict = FormVerdict {
        form: label.to_owned(),
        compiles: false,
        diagnostics: Vec::new(),
        cannot_simulate: None,
        worse: 0,
        better: 0,
        same: 0,
        scenarios: Vec::new(),
        summary: String::new(),
        size: usize::MAX,
    };
    let refuse = |mut verdict: FormVerdict, message: String| {
        let message = match path {
            Some(p) => format!("{message} (in {p})"),
            None => message,
        };
        verdict.summary = format!("cannot be checked: {message}");
        verdict.cannot_simulate = Some(message);
        verdict
    };
    let helper = match Helper::load(text, &rule.helper_name) {
        Ok(h) => h,
        Err(e) => return refuse(verdict, e.message),
    };
    let type_errors = typecheck::check(&helper);
    verdict.compiles = type_errors.is_empty();
    verdict.size = helper.size();
    verdict.diagnostics = type_errors
        .iter()
        .map(|e| match path {
            Some(p) => format!("{p}:{e}"),
            // Not in the project (nothing calls it yet): the position is in the helper alone.
            None => format!("the helper's line {e}"),
        })
        .collect();
    let options = |seed| Options { seed, remote_calls_work: false, record_states: false };
    for scenario in scenarios {
        let mut s = ScenarioVerdict {
            scenario: scenario.name.clone(),
            worse: 0,
            better: 0,
            same: 0,
            seeds_worse: 0,
            worst_after: Outcome::Ok,
            case: None,
        };
        // The case to show: a worse change with the worst result, else a better one.
        let mut shown: Option<(Change, u8)> = None;
        for seed in 0..seeds {
            let run = match simulate::run_loaded(scenario, rule, &helper, &type_errors, label, &options(seed)) {
                Ok(run) => run,
                Err(e) => {
                    verdict.scenarios.clear();
                    (verdict.worse, verdict.better, verdict.same) = (0, 0, 0);
                    return refuse(verdict, e.message);
                }
            };
            let mut worse_here = false;
            for r in &run.results {
                let change = classify(r.before.outcome, r.after.outcome);
                match change {
                    Change::Worse => {
                        s.worse += 1;
                        worse_here = true;
                    }
                    Change::Better => s.better += 1,
                    Change::Same => s.same += 1,
                }
                if r.after.outcome.severity() > s.worst_after.severity() {
                    s.worst_after = r.after.outcome;
                }
                let rank = (change, r.after.outcome.severity());
                let beats = match (shown, change) {
                    (_, Change::Same) => false,
                    (None, _) => true,
                    (Some((Change::Better, _)), Change::Worse) => true,
                    (Some((Change::Worse, sev)), Change::Worse) => rank.1 > sev,
                    _ => false,
                };
                if beats {
                    shown = Some(rank);
                    s.case = Some(Case {
                        seed,
                        time: r.time,
                        node: r.node.clone(),
                        handler: r.handler.clone(),
                        before: r.before.outcome,
                        after: r.after.outcome,
                        resolved_node: r.after.resolved_node.clone(),
                    });
                }
            }
            s.seeds_worse += u64::from(worse_here);
        }
        verdict.worse += s.worse;
        verdict.better += s.better;
        verdict.same += s.same;
        verdict.scenarios.push(s);
    }
    verdict.summary = summary(&verdict, seeds);
    verdict
}

/// The form's verdict as one plain sentence, naming its worst case.
fn summary(f: &FormVerdict, seeds: u64) -> String {
    let runs = format!("{} scenarios × {seeds} seeds", f.scenarios.len());
    let behaviour = match f.worst() {
        Some((s, case)) => {
            let often = if s.seeds_worse < seeds { format!(" (in {} of {seeds} seeds)", s.seeds_worse) } else { String::new() };
            format!("{} on node {} in {}{often}: {}", verb(case.after), case.node, s.scenario, reason(case))
        }
        None if f.better > 0 => format!("never worse than today, better in {} ({runs})", plural(f.better, "request outcome")),
        None => format!("never worse than today: every request ends as it does today ({runs})"),
    };
    if f.compiles {
        if f.worse > 0 {
            format!("compiles, but {behaviour}")
        } else {
            format!("compiles and is {behaviour}")
        }
    } else {
        let why = f.diagnostics.first().map_or("a type error".to_owned(), |d| d.clone());
        let meaning = if f.worse > 0 { format!("even as intended it {behaviour}") } else { format!("as intended it would be {behaviour}") };
        format!("does not compile ({why}); {meaning}")
    }
}

fn verb(after: Outcome) -> &'static str {
    match after {
        Outcome::Crash => "crashes",
        Outcome::Hang => "hangs",
        Outcome::OkRemote => "calls a remote registry",
        Outcome::Ok => "answers",
    }
}

fn reason(case: &Case) -> String {
    match (case.after, case.resolved_node.as_deref()) {
        (Outcome::Crash, Some(other)) => {
            format!("its handlers call node {other}'s registry, and a service call to another node's PID crashes the caller")
        }
        (Outcome::OkRemote, Some(other)) => {
            format!("its handlers use node {other}'s registry, whose pool handles mean nothing on node {}", case.node)
        }
        (Outcome::Hang, _) => "the lookup finds no registry (PID 0), so the service call waits on the main process forever"
            .to_owned(),
        (after, _) => format!("{} before, {} after", case.before.as_str(), after.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::*;

    #[test]
    fn classifies_every_pair() {
        let table = [
            (Ok, Ok, Change::Same),
            (Ok, Hang, Change::Worse),
            (Ok, Crash, Change::Worse),
            (Ok, OkRemote, Change::Worse),
            (Hang, Crash, Change::Worse),
            (Hang, Ok, Change::Better),
            (Crash, Ok, Change::Better),
            (OkRemote, Ok, Change::Better),
            (Hang, Hang, Change::Same),
            (Crash, Crash, Change::Same),
            (Crash, Hang, Change::Same),
            (Hang, OkRemote, Change::Same),
            (OkRemote, Hang, Change::Worse),
        ];
        for (before, after, change) in table {
            assert_eq!(classify(before, after), change, "{before:?} → {after:?}");
        }
    }
}
