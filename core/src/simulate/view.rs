//! What a page's simulator panel shows, derived from a finished `Run`: which helper text to execute,
//! the grid of requests × nodes, the node states at a step of the log, the log entry of each request.
//! Plain data, so the page only renders it.

use super::model::{Cluster, Node};
use super::{helper, NodeView, Run, Scenario};
use crate::rewrite::report::HelperAction;
use crate::rewrite::rule::Rule;
use crate::rewrite::Outcome;

/// The helper a run executes after the rewrite, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelperSource {
    pub text: String,
    /// How the run is labelled: the helper form, or `project` for the project's own helper.
    pub label: String,
    /// The file the text is from, when it is the rewritten project's helper file (positions in type
    /// errors and traces are in that file).
    pub path: Option<String>,
}

/// The helper the rewrite leaves in the project: the rewritten helper file when it defines the
/// helper function, else the text of the rule's helper form.
pub fn helper_text(outcome: Option<&Outcome>, rule: &Rule) -> HelperSource {
    let file = outcome.and_then(|o| o.files.iter().find(|f| f.path == rule.helper_file));
    match file {
        Some(f) if helper::defines(&f.text, &rule.helper_name) => {
            let own = outcome.is_some_and(|o| o.report.helper.action == HelperAction::Present);
            let label = if own { "project" } else { rule.helper_form.name() };
            HelperSource { text: f.text.clone(), label: label.to_owned(), path: Some(f.path.clone()) }
        }
        _ => HelperSource {
            text: rule.helper_source(),
            label: rule.helper_form.name().to_owned(),
            path: None,
        },
    }
}

/// Requests × nodes: one row per (time, handler), one column per node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub nodes: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub time: u64,
    pub handler: String,
    /// Per node (same order as `Grid::nodes`): the index in `Run::results` of its request, if any.
    pub cells: Vec<Option<usize>>,
}

/// Lays the run's requests out as a grid. A second request to the same node, time and handler gets
/// its own row.
pub fn grid(run: &Run, scenario: &Scenario) -> Grid {
    let nodes: Vec<String> = scenario.nodes.iter().map(|n| n.id.clone()).collect();
    let mut rows: Vec<Row> = Vec::new();
    for (i, r) in run.results.iter().enumerate() {
        let Some(col) = nodes.iter().position(|n| *n == r.node) else {
            continue;
        };
        let free = rows
            .iter_mut()
            .find(|row| row.time == r.time && row.handler == r.handler && row.cells[col].is_none());
        match free {
            Some(row) => row.cells[col] = Some(i),
            None => {
                let mut cells = vec![None; nodes.len()];
                cells[col] = Some(i);
                rows.push(Row { time: r.time, handler: r.handler.clone(), cells });
            }
        }
    }
    Grid { nodes, rows }
}

/// For each result, the step (number of log entries applied) right after its request was logged.
pub fn request_steps(run: &Run) -> Vec<usize> {
    let mut steps = Vec::with_capacity(run.results.len());
    let mut from = 0;
    for r in &run.results {
        let text = format!(
            "request {}: before {}, after {}",
            r.handler,
            r.before.outcome.as_str(),
            r.after.outcome.as_str()
        );
        let found =
            run.log[from..].iter().position(|e| e.time == r.time && e.node == r.node && e.event == text);
        let at = found.map_or(from, |p| from + p);
        steps.push(at + 1);
        from = at + 1;
    }
    steps
}

/// The nodes as they are after the first `step` log entries (step 0: before anything happened).
/// Needs a run made with `Options::record_states`; `step` is clamped to the log's length.
pub fn nodes_at(run: &Run, scenario: &Scenario, step: usize) -> Vec<NodeView> {
    let states = run.states.as_deref().unwrap_or(&[]);
    match step.min(states.len()) {
        0 => Cluster::new(scenario.nodes.iter().map(|d| Node::new(&d.id, &d.full_name)).collect()).view(),
        s => states[s - 1].clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Project, SourceFile};
    use crate::rewrite::rewrite;
    use crate::rewrite::rule::HelperForm;
    use crate::simulate::{built_in, run, Options};

    fn node_mode() -> Rule {
        Rule { helper_form: HelperForm::NodeMode, ..Rule::default() }
    }

    fn late_join(rule: &Rule) -> (Scenario, Run) {
        let scenario = built_in("late-join").unwrap();
        let options = Options { record_states: true, ..Options::default() };
        let h = helper_text(None, rule);
        let run = run(&scenario, rule, &h.text, &h.label, &options).unwrap();
        (scenario, run)
    }

    #[test]
    fn helper_text_prefers_the_rewritten_helper_file() {
        let rule = node_mode();
        let project = Project::new(vec![SourceFile::new(
            "api/routes.mpl",
            "pub fn h() do\n  let r = Process.whereis(\"mesher_registry\")\n  r\nend\n",
        )]);
        let outcome = rewrite(&project, &rule);
        let h = helper_text(Some(&outcome), &rule);
        assert!(h.text.starts_with("# Cluster-aware registry lookup."), "{}", h.text);
        assert!(h.text.contains("if Node.self() != \"\" do"));
        assert_eq!((h.label.as_str(), h.path.as_deref()), ("node-mode", Some("api/helpers.mpl")));
    }

    #[test]
    fn helper_text_uses_the_projects_own_helper() {
        let rule = node_mode();
        let own = "pub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend\n";
        let project = Project::new(vec![SourceFile::new("api/helpers.mpl", own)]);
        let outcome = rewrite(&project, &rule);
        let expected = HelperSource {
            text: own.to_owned(),
            label: "project".into(),
            path: Some("api/helpers.mpl".into()),
        };
        assert_eq!(helper_text(Some(&outcome), &rule), expected);
    }

    #[test]
    fn helper_text_without_a_project_is_the_rules_form() {
        let rule = Rule { helper_form: HelperForm::NodeLocal, helper_name: "find_reg".into(), ..Rule::default() };
        let text = "# Registry lookup, in one place for the whole app.\n\
                    # A service call must reach a registry on the caller's own node: a call to a\n\
                    # PID on another node crashes the caller. So every node keeps resolving its own\n\
                    # registry, exactly as before. Change this one function when Mesh gets remote\n\
                    # service calls.\n\
                    pub fn find_reg() do\n\
                    \x20 Process.whereis(\"mesher_registry\")\n\
                    end\n";
        let expected = HelperSource { text: text.into(), label: "node-local".into(), path: None };
        assert_eq!(helper_text(None, &rule), expected);
    }

    #[test]
    fn grid_puts_simultaneous_requests_in_one_row() {
        let (scenario, run) = late_join(&node_mode());
        let g = grid(&run, &scenario);
        assert_eq!(g.nodes, ["a", "b"]);
        assert_eq!(
            g.rows,
            vec![Row { time: 500, handler: "handle_event".into(), cells: vec![Some(0), Some(1)] }]
        );
    }

    #[test]
    fn grid_rows_for_later_requests_and_missing_nodes() {
        let scenario = built_in("registry-not-ready").unwrap();
        let rule = node_mode();
        let run = run(&scenario, &rule, &rule.helper_source(), "node-mode", &Options::default()).unwrap();
        let g = grid(&run, &scenario);
        assert_eq!(g.nodes, ["a", "b", "c"]);
        let rows: Vec<(u64, Vec<Option<usize>>)> = g.rows.iter().map(|r| (r.time, r.cells.clone())).collect();
        assert_eq!(rows, vec![(300, vec![None, Some(0), Some(1)]), (600, vec![None, Some(2), None])]);
    }

    #[test]
    fn request_steps_point_at_the_request_entries() {
        let (_, run) = late_join(&node_mode());
        let steps = request_steps(&run);
        assert_eq!(steps, vec![run.log.len() - 1, run.log.len()]);
        assert_eq!(run.log[steps[1] - 1].event, "request handle_event: before ok, after crash");
    }

    #[test]
    fn nodes_at_each_step() {
        let (scenario, run) = late_join(&node_mode());
        let start = nodes_at(&run, &scenario, 0);
        assert_eq!(start.len(), 2);
        assert!(start.iter().all(|n| n.local.is_empty() && n.global.is_empty() && n.self_name.is_empty()));
        // After b received a's snapshot (entry 8), b's copy holds a's names; b's own registry is not up yet.
        let b = &nodes_at(&run, &scenario, 8)[1];
        assert_eq!(run.log[7].event.split(':').next(), Some("received snapshot from a"));
        assert!(b.local.is_empty());
        let global: Vec<(&str, &str)> = b.global.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(global, [("mesher_registry", "<a.1>"), ("mesher_registry@a@sim", "<a.1>")]);
        // Past the end: the final state.
        let end = nodes_at(&run, &scenario, 1000);
        assert_eq!(end, run.states.as_ref().unwrap().last().unwrap().clone());
        assert_eq!(end[1].local["mesher_registry"], "<b.1>");
        assert_eq!(end[1].global["mesher_registry"], "<a.1>");
    }
}
