//! Stage 4: the cluster simulator. Runs a scenario on simulated Mesh nodes and asks, for every request,
//! what the handler's registry lookup finds before the rewrite (`Process.whereis`) and after it (the
//! helper's `get_registry` body, executed by `interp`). Deterministic: same scenario, helper and seed,
//! same log. Semantics: MESH-RUNTIME.md; scenario text: docs/scenario-format.md.

pub mod engine;
pub mod helper;
pub mod interp;
pub mod model;
pub mod nodeset;
pub mod scenario;
pub mod typecheck;
pub mod view;

use crate::rewrite::rule::Rule;
use engine::{Engine, Resolved};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

pub use model::NodeView;
pub use scenario::{built_in, built_in_names, Scenario};

/// What a request's service call `PipelineRegistry.get_pool(reg)` ends in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The registry runs on the handler's node: answered.
    Ok,
    /// The lookup returned 0: the call goes to the node's main process and never returns.
    Hang,
    /// The registry is on another node: the runtime crashes the caller.
    Crash,
    /// As `Crash`, but with the run option "remote service calls work": answered remotely.
    OkRemote,
}

impl Outcome {
    /// How bad the outcome is for the handler: ok < ok-remote (works, but a pool handle from another
    /// node is useless here) < hang < crash.
    pub fn severity(self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::OkRemote => 1,
            Outcome::Hang => 2,
            Outcome::Crash => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Hang => "hang",
            Outcome::Crash => "crash",
            Outcome::OkRemote => "ok-remote",
        }
    }
}

/// One call a lookup made, and what it read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallTrace {
    /// `Process.whereis("mesher_registry")`.
    pub call: String,
    /// Where the call is in the helper (absent for the original lookup).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub returned: String,
    /// Which table was read (`b's local registry`, `b's global-registry copy`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
    /// That table's contents at the moment of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held: Option<BTreeMap<String, String>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub calls: Vec<CallTrace>,
    /// Why the service call ends in this outcome.
    pub why: String,
}

/// One side (before or after the rewrite) of a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lookup {
    pub outcome: Outcome,
    /// The node of the PID the lookup returned; null for 0.
    pub resolved_node: Option<String>,
    pub pid: String,
    pub trace: Trace,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestResult {
    pub time: u64,
    pub node: String,
    pub handler: String,
    pub before: Lookup,
    pub after: Lookup,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub time: u64,
    /// The node it happened on; empty for network-wide events (partition, heal).
    pub node: String,
    pub event: String,
}

/// A type error that keeps the helper from compiling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeError {
    pub line: usize,
    pub column: usize,
    pub code: String,
    pub message: String,
}

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.code.is_empty() {
            write!(f, "{}:{}: error: {}", self.line, self.column, self.message)
        } else {
            write!(f, "{}:{}: error[{}]: {}", self.line, self.column, self.code, self.message)
        }
    }
}

/// Why a run could not happen: the helper is outside the simulated subset or does not parse, or
/// the run outgrew the simulator's limits (docs/scenario-format.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SimError {
    pub message: String,
    /// The scenario is the problem, not the helper: the run passed a limit.
    #[serde(skip)]
    pub too_large: bool,
}

impl SimError {
    pub fn new(message: impl Into<String>) -> SimError {
        SimError { message: message.into(), too_large: false }
    }

    pub fn too_large(message: impl Into<String>) -> SimError {
        SimError { message: message.into(), too_large: true }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SimError {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub seed: u64,
    /// Assume service calls to remote PIDs work (as the plan did), to contrast with today's runtime.
    pub remote_calls_work: bool,
    /// Keep the node states after every log entry (for a page's timeline).
    pub record_states: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { seed: 1, remote_calls_work: false, record_states: false }
    }
}

/// A finished run. The first five keys are the CLI's JSON contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Run {
    pub scenario: String,
    pub helper_form: String,
    /// False when the helper has type errors; the run then uses the intended meaning (0 = not found).
    pub compiles: bool,
    pub results: Vec<RequestResult>,
    pub log: Vec<LogEntry>,
    pub type_errors: Vec<TypeError>,
    /// Set when the run is labelled (the helper does not compile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub seed: u64,
    pub remote_calls_work: bool,
    /// The helper text that was executed.
    pub helper: String,
    /// Node states after each log entry (same index), when `Options::record_states`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<Vec<Vec<NodeView>>>,
}

/// Runs `scenario` with the helper text the rule's form gives.
pub fn run_rule(scenario: &Scenario, rule: &Rule, options: &Options) -> Result<Run, SimError> {
    run(scenario, rule, &rule.helper_source(), rule.helper_form.name(), options)
}

/// Runs `scenario`; after the rewrite, handlers execute the function `rule.helper_name` found in
/// `helper_text` (a whole helper file or just the function). `helper_form` labels the result.
pub fn run(
    scenario: &Scenario,
    rule: &Rule,
    helper_text: &str,
    helper_form: &str,
    options: &Options,
) -> Result<Run, SimError> {
    let helper = helper::Helper::load(helper_text, &rule.helper_name)?;
    let type_errors = typecheck::check(&helper);
    run_loaded(scenario, rule, &helper, &type_errors, helper_form, options)
}

/// `run` with the helper already loaded and type-checked (the verdict runs one helper many times).
pub fn run_loaded(
    scenario: &Scenario,
    rule: &Rule,
    helper: &helper::Helper,
    type_errors: &[TypeError],
    helper_form: &str,
    options: &Options,
) -> Result<Run, SimError> {
    let compiles = type_errors.is_empty();
    let note = (!compiles).then(|| {
        format!(
            "{} does not compile ({}); simulated with its intended meaning: a PID compared with 0 means not found",
            rule.helper_name,
            type_errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
        )
    });
    let mut engine = Engine::new(scenario, &rule.registry_name, options.seed, options.remote_calls_work);
    if options.record_states {
        engine.record_states();
    }
    let mut after = |cluster: &model::Cluster, node: model::NodeId| -> Result<Resolved, SimError> {
        interp::call(helper, cluster, node)
    };
    engine.run(&mut after)?;
    Ok(Run {
        scenario: scenario.name.clone(),
        helper_form: helper_form.to_owned(),
        compiles,
        results: engine.results,
        log: engine.log,
        type_errors: type_errors.to_vec(),
        note,
        seed: options.seed,
        remote_calls_work: options.remote_calls_work,
        helper: helper.function_text().to_owned(),
        states: engine.states,
    })
}
