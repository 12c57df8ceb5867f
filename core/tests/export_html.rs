//! The exported HTML report: self-contained, no script, every diff, the verdict and the checks.

mod rewrite_common;

use mesh_rewrite::export::html_report;
use mesh_rewrite::rewrite::rule::{HelperForm, Rule};
use mesh_rewrite::rewrite::rewrite;
use mesh_rewrite::verdict::{annotate, verdict};
use rewrite_common::{example_dir, golden, load, project};

/// The report with the engine's version (which moves with the grammar) written as `VERSION`.
fn stable(html: &str) -> String {
    html.replace(mesh_rewrite::version(), "VERSION")
}

#[test]
fn a_small_project_reports_exactly() {
    let files = [
        ("api/a.mpl", "pub fn list(r :: Request) -> Response do\n  let reg = Process.whereis(\"mesher_registry\") # <one>\n  reg\nend\n"),
        ("api/helpers.mpl", "pub fn ok() do\n  1\nend\n"),
    ];
    let rule = Rule { helper_form: HelperForm::NodeLocal, expected_counts: [("api/a.mpl".into(), 1)].into(), ..Rule::default() };
    golden("report-small.html", &stable(&html_report(&rewrite(&project(&files), &rule), &rule, None)));
}

#[test]
fn the_example_report_holds_the_verdict_and_every_diff_and_no_script() {
    let project = load(&example_dir());
    let rule = Rule::default();
    let mut outcome = rewrite(&project, &rule);
    let v = verdict(&project, &rule, 2);
    annotate(&mut outcome.report, &v);
    let html = html_report(&outcome, &rule, Some(&v));
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">\n"));
    assert!(!html.to_ascii_lowercase().contains("<script"), "no script");
    assert!(!html.contains(" src=") && !html.contains(" href="), "nothing loaded from elsewhere");
    let line = v.line().replace('"', "&quot;").replace('\'', "&#39;");
    assert!(html.contains(&format!("<p class=\"verdict\">{line}</p>")), "the verdict line");
    for f in outcome.files.iter().filter(|f| f.changed()) {
        for l in f.patch().lines() {
            let l = l.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;");
            assert!(html.contains(&format!(">{l}</span>")), "{}: {l}", f.path);
        }
    }
    for c in &outcome.report.checks {
        assert!(html.contains(&format!("{}: ", c.name)), "{}", c.name);
    }
    assert_eq!(html.matches("<details open>").count(), outcome.files.iter().filter(|f| f.changed()).count());
}
