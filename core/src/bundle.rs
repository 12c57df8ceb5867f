//! Bundles: a whole playground state as a readable JSON file, for states too big for a link
//! and for the page's autosave.
//!
//! `{"format": "mesh-playground-bundle", "version": 1, "engine", "files": [{"path", "text"}], "rule", "selected",
//! "view", "simulation"}`. Like a link, a bundle is versioned: a later format bumps `version`
//! and keeps a reader for 1.

use crate::permalink::{Simulation, State};
use crate::rewrite::rule::Rule;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `format` field every bundle carries, so a random JSON file is told apart from a bundle.
pub const FORMAT: &str = "mesh-playground-bundle";
pub const VERSION: u64 = 1;
/// Bundles larger than this are refused before parsing (the project limit plus JSON escaping).
pub const MAX_BUNDLE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub enum BundleError {
    TooLarge(usize),
    /// Not JSON at all, with the parser's complaint.
    NotJson(String),
    /// JSON, but not a playground bundle.
    NotBundle,
    UnknownVersion(u64),
    /// A bundle of a known version whose fields are wrong, with the parser's complaint.
    Malformed(String),
    /// A bundle that names paths outside the project or an unusable rule (`State::validate`).
    Invalid(String),
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            BundleError::TooLarge(n) => write!(f, "this bundle is too large to open ({} MB)", n / (1024 * 1024)),
            BundleError::NotJson(why) => write!(f, "this file is not a bundle: it is not JSON ({why})"),
            BundleError::NotBundle => write!(f, "this JSON file is not a playground bundle"),
            BundleError::UnknownVersion(v) => write!(
                f,
                "this bundle was made by a different version of the playground (version {v}); this page reads version {VERSION}"
            ),
            BundleError::Malformed(why) => write!(f, "this bundle is damaged: {why}"),
            BundleError::Invalid(why) => write!(f, "this bundle was not opened: {why}"),
        }
    }
}

impl std::error::Error for BundleError {}

/// The bundle for `state`, pretty-printed so it reads well and diffs well.
pub fn to_json(state: &State) -> String {
    let wire = BundleV1 {
        format: FORMAT.into(),
        version: VERSION,
        engine: Some(crate::version().to_owned()),
        files: state.files.iter().map(|(path, text)| FileV1 { path: path.clone(), text: text.clone() }).collect(),
        rule: state.rule.clone(),
        selected: state.selected.clone(),
        view: state.view.clone(),
        simulation: SimulationV1 {
            scenario: state.simulation.scenario.clone(),
            seed: state.simulation.seed,
            step: state.simulation.step,
            remote_calls_work: state.simulation.remote_calls_work,
        },
    };
    serde_json::to_string_pretty(&wire).unwrap_or_else(|_| unreachable!("in-memory serialization cannot fail"))
}

/// The state in a bundle.
pub fn from_json(text: &str) -> Result<State, BundleError> {
    if text.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge(text.len()));
    }
    // Read the envelope first, so a bundle of a newer version is named as such, not as damaged.
    let envelope: Envelope = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(e) if e.is_syntax() || e.is_eof() => return Err(BundleError::NotJson(e.to_string())),
        Err(_) => return Err(BundleError::NotBundle),
    };
    if envelope.format.as_deref() != Some(FORMAT) {
        return Err(BundleError::NotBundle);
    }
    if envelope.version != Some(VERSION) {
        return Err(BundleError::UnknownVersion(envelope.version.unwrap_or(0)));
    }
    let wire: BundleV1 = serde_json::from_str(text).map_err(|e| BundleError::Malformed(e.to_string()))?;
    let state = State {
        files: wire.files.into_iter().map(|f| (f.path, f.text)).collect(),
        rule: wire.rule,
        engine: wire.engine,
        selected: wire.selected,
        view: wire.view,
        simulation: Simulation {
            scenario: wire.simulation.scenario,
            seed: wire.simulation.seed,
            step: wire.simulation.step,
            remote_calls_work: wire.simulation.remote_calls_work,
        },
    };
    state.validate().map_err(BundleError::Invalid)?;
    Ok(state)
}

#[derive(Deserialize)]
struct Envelope {
    format: Option<String>,
    version: Option<u64>,
}

// ---- version 1: frozen but for optional fields added since (bundles without them still open) ----

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleV1 {
    format: String,
    version: u64,
    /// The engine that wrote the bundle (`crate::version()`), absent from the first bundles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    engine: Option<String>,
    files: Vec<FileV1>,
    rule: Rule,
    selected: Option<String>,
    view: String,
    simulation: SimulationV1,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1 {
    path: String,
    text: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulationV1 {
    scenario: String,
    seed: u64,
    step: u32,
    remote_calls_work: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rewrite::rule::HelperForm;

    fn sample() -> State {
        State {
            files: vec![
                ("api/helpers.mpl".into(), "pub fn a() do\n  \"ü\\n\"\nend\n".into()),
                ("main.mpl".into(), "fn main() do\n  a()\nend\n".into()),
            ],
            rule: Rule {
                helper_form: HelperForm::Custom,
                custom_helper: "x".into(),
                skip: vec!["main.mpl:main#1".into()],
                ..Rule::default()
            },
            selected: Some("main.mpl".into()),
            view: "split".into(),
            simulation: Simulation { scenario: "owner-down".into(), seed: 7, step: 3, remote_calls_work: true },
            engine: Some(crate::version().into()),
        }
    }

    #[test]
    fn round_trip_restores_everything() {
        let json = to_json(&sample());
        assert_eq!(from_json(&json), Ok(sample()));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["format"], "mesh-playground-bundle");
        assert_eq!(value["version"], 1);
        assert_eq!(value["engine"], crate::version());
        assert_eq!(value["rule"]["skip"][0], "main.mpl:main#1");
        assert_eq!(value["files"][1]["path"], "main.mpl");
        assert_eq!(value["files"][1]["text"], "fn main() do\n  a()\nend\n");
        assert_eq!(value["rule"]["helper_form"], "custom");
        assert_eq!(value["selected"], "main.mpl");
        assert_eq!(value["view"], "split");
        assert_eq!(value["simulation"]["seed"], 7);
    }

    #[test]
    fn wrong_files_are_named() {
        assert!(matches!(from_json("PK\u{3}\u{4}"), Err(BundleError::NotJson(_))));
        assert!(matches!(from_json("{\"files\": ["), Err(BundleError::NotJson(_))));
        assert_eq!(from_json("{\"name\": \"package\"}"), Err(BundleError::NotBundle));
        assert_eq!(from_json("[1, 2]"), Err(BundleError::NotBundle));
        assert_eq!(
            from_json("{\"format\": \"mesh-playground-bundle\", \"version\": 2}"),
            Err(BundleError::UnknownVersion(2))
        );
        let damaged = to_json(&sample()).replace("\"seed\": 7", "\"seed\": \"seven\"");
        assert!(matches!(from_json(&damaged), Err(BundleError::Malformed(_))));
        assert_eq!(
            BundleError::UnknownVersion(2).to_string(),
            "this bundle was made by a different version of the playground (version 2); this page reads version 1"
        );
        assert_eq!(BundleError::NotBundle.to_string(), "this JSON file is not a playground bundle");
    }

    #[test]
    fn bundles_naming_paths_outside_the_project_are_refused() {
        let json = to_json(&sample()).replace("\"path\": \"main.mpl\"", "\"path\": \"C:\\\\evil.mpl\"");
        assert_eq!(
            from_json(&json).unwrap_err().to_string(),
            "this bundle was not opened: file path \"C:\\\\evil.mpl\" names a drive (like C:); paths are relative to the project root"
        );
        let json = to_json(&sample()).replace("\"helper_file\": \"api/helpers.mpl\"", "\"helper_file\": \"../helpers.mpl\"");
        assert_eq!(
            from_json(&json),
            Err(BundleError::Invalid("helper_file \"../helpers.mpl\" leaves the project (..)".into()))
        );
    }
}
