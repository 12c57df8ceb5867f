//! Permalinks: a whole playground state in a URL fragment.
//!
//! New links are `v2.` (see `v2`: edits against the bundled example, a Mesh dictionary). `v1.` links,
//! base64url(raw DEFLATE(postcard(StateV1))), keep opening: their wire structs below are frozen.
//! Decoding never trusts the input: sizes are capped before and during decompression.

mod v2;

pub use v2::Baseline;

use crate::project::check_path;
use crate::rewrite::rule::{HelperForm, Rule};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Fragments longer than this are refused before decoding (a 50 MB payload compresses to far less).
pub const MAX_FRAGMENT_LEN: usize = 16 * 1024 * 1024;
/// The most a fragment may expand to.
pub const MAX_EXPANDED: usize = 50 * 1024 * 1024;

/// Everything a link restores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Files with project-relative paths, in the order the user sees them.
    pub files: Vec<(String, String)>,
    pub rule: Rule,
    pub selected: Option<String>,
    /// The page's view mode (`unified`, `split`, `project`, …); opaque here.
    pub view: String,
    pub simulation: Simulation,
    /// The engine version (`crate::version()`) that wrote the link or bundle; None when it is older
    /// than versions were recorded. Writing always records this build's version, whatever is here.
    pub engine: Option<String>,
}

impl Default for State {
    /// An empty state made by this engine.
    fn default() -> State {
        State {
            files: Vec::new(),
            rule: Rule::default(),
            selected: None,
            view: String::new(),
            simulation: Simulation::default(),
            engine: Some(crate::version().to_owned()),
        }
    }
}

impl State {
    /// What to tell the user when this state was written by another engine version (None: same one).
    pub fn engine_notice(&self) -> Option<String> {
        let here = crate::version();
        match self.engine.as_deref() {
            Some(v) if v == here => None,
            Some(v) => Some(format!(
                "This was made with mesh-rewrite {v}; this page runs {here}. The files, rule and choices were restored as \
                 saved, but the rewrite, checks and verdict are this version's and may differ from what its author saw."
            )),
            None => Some(format!(
                "This was made by an earlier playground that did not record its version; this page runs mesh-rewrite \
                 {here}. The files and rule were restored as saved, but results may differ from what its author saw."
            )),
        }
    }
}

/// The simulator panel's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Simulation {
    pub scenario: String,
    pub seed: u64,
    pub step: u32,
    pub remote_calls_work: bool,
}

impl Simulation {
    /// The wire form both link versions use: (scenario, seed, step, remote calls work).
    fn to_wire(&self) -> (String, u64, u32, bool) {
        (self.scenario.clone(), self.seed, self.step, self.remote_calls_work)
    }

    fn from_wire((scenario, seed, step, remote_calls_work): (String, u64, u32, bool)) -> Simulation {
        Simulation { scenario, seed, step, remote_calls_work }
    }
}

impl State {
    /// What a link or a bundle must satisfy before it is opened: every file path and every path of
    /// the rule inside the project, every name of the rule usable (`Rule::validate`). A state
    /// carries paths that later name files in a download or a patch, so a hand-made one is checked
    /// like a config.
    pub fn validate(&self) -> Result<(), String> {
        let mut problems: Vec<String> = self
            .files
            .iter()
            .filter_map(|(path, _)| check_path(path).err().map(|p| format!("file path {path:?} {p}")))
            .collect();
        if let Err(errors) = self.rule.validate() {
            problems.extend(errors.into_iter().map(|e| e.message));
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }
}

impl Default for Simulation {
    fn default() -> Simulation {
        Simulation { scenario: "late-join".into(), seed: 1, step: 0, remote_calls_work: false }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The fragment does not start with a known `vN.` prefix.
    UnknownVersion(String),
    TooLong(usize),
    NotBase64,
    /// The compressed data is damaged or truncated.
    Corrupt,
    TooLarge,
    /// Decompressed fine but does not hold a state (wrong shape, bad UTF-8).
    Malformed,
    /// Written against a version of the bundled example this page does not have.
    OtherExample,
    /// A state, but one that names paths outside the project or an unusable rule (`State::validate`).
    Invalid(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            LinkError::UnknownVersion(v) if v.is_empty() => {
                write!(f, "this link holds no playground state (expected it to start with `v2.` or `v1.`)")
            }
            LinkError::UnknownVersion(v) => write!(
                f,
                "this link was made by a different version of the playground (`{v}`); this page reads `v1` and `v2` links"
            ),
            LinkError::TooLong(n) => write!(f, "this link is too long to open ({n} characters)"),
            LinkError::NotBase64 => write!(f, "this link is damaged: it has characters a link cannot hold"),
            LinkError::Corrupt => write!(f, "this link is damaged or cut short: its data does not decompress"),
            LinkError::TooLarge => write!(f, "this link expands to more than 50 MB; it was not opened"),
            LinkError::Malformed => write!(f, "this link is damaged: its data is not a playground state"),
            LinkError::OtherExample => write!(
                f,
                "this link holds edits to a different version of the bundled example; this page cannot rebuild its files"
            ),
            LinkError::Invalid(why) => write!(f, "this link was not opened: {why}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// The link fragment (without `#`) for `state`: `v2.`, written against `baseline` (the bundled example
/// the page has) when that makes it shorter.
pub fn encode(state: &State, baseline: Option<Baseline>) -> String {
    v2::encode(state, baseline)
}

/// The `v1.` fragment: what links were before `v2` (kept to test that old links still open).
pub fn encode_v1(state: &State) -> String {
    let wire = StateV1::from(state);
    let bytes = postcard::to_allocvec(&wire).unwrap_or_else(|_| unreachable!("in-memory serialization cannot fail"));
    let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 10);
    format!("v1.{}", base64(&packed))
}

/// The state in a link fragment (with or without the leading `#`). A `v2.` link written against the
/// bundled example needs that example as `baseline`.
pub fn decode(fragment: &str, baseline: Option<Baseline>) -> Result<State, LinkError> {
    let state = decode_unchecked(fragment, baseline)?;
    state.validate().map_err(LinkError::Invalid)?;
    Ok(state)
}

fn decode_unchecked(fragment: &str, baseline: Option<Baseline>) -> Result<State, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT_LEN {
        return Err(LinkError::TooLong(fragment.len()));
    }
    if let Some(payload) = fragment.strip_prefix("v2.") {
        return v2::decode(payload, baseline);
    }
    let Some(payload) = fragment.strip_prefix("v1.") else {
        let version = fragment.split('.').next().filter(|v| v.len() <= 8 && fragment.contains('.'));
        return Err(LinkError::UnknownVersion(version.unwrap_or("").to_owned()));
    };
    let packed = unbase64(payload)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_EXPANDED).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Corrupt,
        }
    })?;
    let (wire, rest): (StateV1, _) = postcard::take_from_bytes(&bytes).map_err(|_| LinkError::Malformed)?;
    if !rest.is_empty() {
        return Err(LinkError::Malformed);
    }
    State::try_from(wire)
}

fn base64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unbase64(text: &str) -> Result<Vec<u8>, LinkError> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|_| LinkError::NotBase64)
}

/// The helper form's byte in both formats.
fn form_byte(form: HelperForm) -> u8 {
    match form {
        HelperForm::Plan => 0,
        HelperForm::NodeMode => 1,
        HelperForm::Custom => 2,
        HelperForm::NodeLocal => 3,
        HelperForm::NodeName => 4,
    }
}

fn byte_form(byte: u8) -> Result<HelperForm, LinkError> {
    Ok(match byte {
        0 => HelperForm::Plan,
        1 => HelperForm::NodeMode,
        2 => HelperForm::Custom,
        3 => HelperForm::NodeLocal,
        4 => HelperForm::NodeName,
        _ => return Err(LinkError::Malformed),
    })
}

// ---- v1 wire format: frozen ----

#[derive(Serialize, Deserialize)]
struct StateV1 {
    files: Vec<(String, String)>,
    rule: RuleV1,
    selected: Option<String>,
    view: String,
    simulation: (String, u64, u32, bool),
}

#[derive(Serialize, Deserialize)]
struct RuleV1 {
    registry_name: String,
    helper_name: String,
    helper_file: String,
    excluded_files: Vec<String>,
    stay_local: Vec<String>,
    expected_counts: Vec<(String, u32)>,
    /// 0 plan, 1 node-mode, 2 custom, 3 node-local, 4 node-name; any other byte is refused.
    helper_form: u8,
    custom_helper: String,
}

impl From<&State> for StateV1 {
    fn from(s: &State) -> StateV1 {
        let r = &s.rule;
        StateV1 {
            files: s.files.clone(),
            rule: RuleV1 {
                registry_name: r.registry_name.clone(),
                helper_name: r.helper_name.clone(),
                helper_file: r.helper_file.clone(),
                excluded_files: r.excluded_files.clone(),
                stay_local: r.stay_local.clone(),
                expected_counts: r.expected_counts.iter().map(|(p, n)| (p.clone(), *n as u32)).collect(),
                helper_form: form_byte(r.helper_form),
                custom_helper: r.custom_helper.clone(),
            },
            selected: s.selected.clone(),
            view: s.view.clone(),
            simulation: s.simulation.to_wire(),
        }
    }
}

impl TryFrom<StateV1> for State {
    type Error = LinkError;

    fn try_from(w: StateV1) -> Result<State, LinkError> {
        let r = w.rule;
        let helper_form = byte_form(r.helper_form)?;
        Ok(State {
            files: w.files,
            rule: Rule {
                registry_name: r.registry_name,
                helper_name: r.helper_name,
                helper_file: r.helper_file,
                excluded_files: r.excluded_files,
                stay_local: r.stay_local,
                expected_counts: crate::order::map(r.expected_counts.into_iter().map(|(p, n)| (p, n as usize))),
                helper_form,
                custom_helper: r.custom_helper,
                skip: Vec::new(),
                only: Vec::new(),
            },
            engine: None,
            selected: w.selected,
            view: w.view,
            simulation: Simulation::from_wire(w.simulation),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> State {
        State {
            files: vec![
                ("api/helpers.mpl".into(), "pub fn a() do\n  1\nend\n".into()),
                ("main.mpl".into(), "fn main() do\n  a()\nend\n".into()),
            ],
            rule: Rule { helper_form: HelperForm::NodeMode, skip: vec!["main.mpl:main#1".into()], ..Rule::default() },
            selected: Some("main.mpl".into()),
            view: "split".into(),
            simulation: Simulation { scenario: "owner-down".into(), seed: 7, step: 3, remote_calls_work: true },
            engine: Some(crate::version().into()),
        }
    }

    #[test]
    fn round_trip_restores_everything() {
        // v1 links carried neither the engine's version nor choices.
        let v1 = State { engine: None, rule: Rule { skip: Vec::new(), ..sample().rule }, ..sample() };
        for (link, state) in [(encode(&sample(), None), sample()), (encode_v1(&sample()), v1)] {
            assert!(link.starts_with("v2.") || link.starts_with("v1."), "{link}");
            assert!(link[3..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            assert_eq!(decode(&link, None).as_ref(), Ok(&state));
            assert_eq!(decode(&format!("#{link}"), None), Ok(state));
        }
    }

    #[test]
    fn another_engine_version_is_named() {
        assert_eq!(sample().engine_notice(), None);
        let other = State { engine: Some("0.0.9 (grammar 000000000000)".into()), ..sample() };
        assert_eq!(
            other.engine_notice().unwrap(),
            format!(
                "This was made with mesh-rewrite 0.0.9 (grammar 000000000000); this page runs {}. The files, rule and \
                 choices were restored as saved, but the rewrite, checks and verdict are this version's and may differ \
                 from what its author saw.",
                crate::version()
            )
        );
        let old = decode(&encode_v1(&sample()), None).unwrap();
        assert!(old.engine_notice().unwrap().starts_with("This was made by an earlier playground that did not record its version;"));
    }

    #[test]
    fn against_a_baseline_only_the_edits_travel() {
        let long: String = (0..60).map(|i| format!("fn f{i}() do\n  {i}\nend\n")).collect();
        let base = vec![("api/helpers.mpl".to_owned(), long.clone()), ("main.mpl".to_owned(), long)];
        let baseline = Some(Baseline { files: &base });
        let mut edited = State { files: base.clone(), ..sample() };
        edited.files[1].1 = edited.files[1].1.replace("  7\n", "  seven()\n");
        edited.files.push(("api/new.mpl".into(), "fn n() do\n  2\nend\n".into()));
        edited.files.remove(0);
        let link = encode(&edited, baseline);
        // The edits, the engine's version (28 characters) and one choice; the files would be ~3,000.
        assert!(link.len() < 170, "{}: {link}", link.len());
        assert_eq!(decode(&link, baseline), Ok(edited.clone()));
        // The same link cannot be read against other files: refused, not misread.
        let other = vec![("main.mpl".to_owned(), "fn main() do\nend\n".to_owned())];
        assert_eq!(decode(&link, Some(Baseline { files: &other })), Err(LinkError::OtherExample));
        assert_eq!(decode(&link, None), Err(LinkError::OtherExample));
        // Files out of the baseline's order are written in full, and still round-trip.
        let mut reordered = State { files: base.clone(), ..sample() };
        reordered.files.reverse();
        assert_eq!(decode(&encode(&reordered, baseline), baseline), Ok(reordered));
    }

    #[test]
    fn hostile_fragments_are_named() {
        assert_eq!(decode("hello", None), Err(LinkError::UnknownVersion(String::new())));
        assert_eq!(decode("v9.AAAA", None), Err(LinkError::UnknownVersion("v9".into())));
        assert_eq!(decode("v1.!!!", None), Err(LinkError::NotBase64));
        assert_eq!(decode("v2.!!!", None), Err(LinkError::NotBase64));
        assert_eq!(decode("v2.", None), Err(LinkError::Corrupt));
        for link in [encode_v1(&sample()), encode(&sample(), None)] {
            let cut = 3 + (link.len() - 3) / 2 / 4 * 4;
            assert_eq!(decode(&link[..cut], None), Err(LinkError::Corrupt), "{link}");
        }
        let not_state = base64(&miniz_oxide::deflate::compress_to_vec(&[0xff; 40], 6));
        assert_eq!(decode(&format!("v1.{not_state}"), None), Err(LinkError::Malformed));
        assert_eq!(decode(&format!("v2.{}", base64(&[0x10, 0xff, 0xff, 0xff])), None), Err(LinkError::Malformed));
        // An unknown dictionary is a different version, never a misread.
        assert_eq!(
            decode(&format!("v2.{}", base64(&[0x20, 0])), None),
            Err(LinkError::UnknownVersion("v2 with dictionary 2".into()))
        );
    }

    #[test]
    fn decompression_bombs_stop_at_the_cap() {
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; MAX_EXPANDED + 1], 10);
        let link = format!("v1.{}", base64(&bomb));
        assert!(link.len() < 200_000, "{}", link.len());
        assert_eq!(decode(&link, None), Err(LinkError::TooLarge));
        let mut v2 = vec![0x11];
        v2.extend(bomb);
        assert_eq!(decode(&format!("v2.{}", base64(&v2)), None), Err(LinkError::TooLarge));
    }

    #[test]
    fn every_helper_form_round_trips_and_an_unknown_form_is_refused() {
        for form in HelperForm::ALL {
            let state = State { rule: Rule { helper_form: form, ..Rule::default() }, ..sample() };
            assert_eq!(decode(&encode(&state, None), None), Ok(state.clone()), "{form:?}");
            let v1 = State { engine: None, rule: Rule { skip: Vec::new(), ..state.rule }, ..state };
            assert_eq!(decode(&encode_v1(&v1), None), Ok(v1), "{form:?}");
        }
        let mut wire = StateV1::from(&sample());
        wire.rule.helper_form = 5;
        let bytes = postcard::to_allocvec(&wire).unwrap();
        let link = format!("v1.{}", base64(&miniz_oxide::deflate::compress_to_vec(&bytes, 10)));
        assert_eq!(decode(&link, None), Err(LinkError::Malformed));
    }

    #[test]
    fn links_naming_paths_outside_the_project_are_refused() {
        let mut outside = sample();
        outside.files[0].0 = "../../.bashrc.mpl".into();
        let mut unusable = sample();
        unusable.rule.helper_file = "/etc/x.mpl".into();
        unusable.rule.helper_name = "end".into();
        // Both formats: a v1 link holds the state as it is, a v2 one as edits and rule differences.
        for encode in [encode_v1, |s: &State| encode(s, None)] {
            assert_eq!(
                decode(&encode(&outside), None),
                Err(LinkError::Invalid("file path \"../../.bashrc.mpl\" leaves the project (..)".into()))
            );
            assert_eq!(
                decode(&encode(&unusable), None).unwrap_err().to_string(),
                "this link was not opened: helper_name \"end\" is a Mesh keyword; \
                 helper_file \"/etc/x.mpl\" is absolute; paths are relative to the project root"
            );
        }
    }

    #[test]
    fn messages_say_what_happened() {
        assert_eq!(
            LinkError::TooLarge.to_string(),
            "this link expands to more than 50 MB; it was not opened"
        );
    }
}
