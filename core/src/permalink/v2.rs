//! The `v2.` link format: a link carries only what the receiver does not already have.
//!
//! `v2.` + base64url(header ‖ payload). The header's first byte holds the dictionary id (high nibble),
//! whether the payload is deflated (bit 0) and whether it is written against a baseline (bit 1); with a
//! baseline, a 32-bit fingerprint of the baseline's files follows. The payload is postcard(`StateV2`),
//! raw DEFLATE with a preset dictionary of Mesh words and shapes when that is shorter.
//!
//! - Against a baseline (the bundled example), files are edits: unchanged files cost nothing, a changed
//!   file is a line diff (keep n / delete n / insert text), a deleted file its index.
//! - The rule is stored as its differences from the default rule.
//!
//! A link names its dictionary and its baseline's fingerprint, so a page whose dictionary or example
//! changed refuses the link instead of decoding it to different text. The wire structs are frozen: a
//! change is a new dictionary id or a new version.

use super::{LinkError, Simulation, State, MAX_EXPANDED};
use crate::rewrite::rule::Rule;
use miniz_oxide::deflate::core::{compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};
use similar::DiffTag;

/// Dictionary 1: Mesh keywords, standard-library calls and common shapes, most frequent last (DEFLATE
/// reaches recent bytes with shorter distances).
const DICTIONARY_1: &str = include_str!("dictionary.txt");
const DICTIONARY_ID: u8 = 1;
const DEFLATED: u8 = 0b01;
const AGAINST_BASELINE: u8 = 0b10;
/// An `ExtraV2` follows the state (links from before it have none).
const EXTRA: u8 = 0b100;

/// Files a link may be written against: the page's bundled example.
#[derive(Clone, Copy, Debug)]
pub struct Baseline<'a> {
    pub files: &'a [(String, String)],
}

impl Baseline<'_> {
    /// FNV-1a over every path and text: a link made against other files is refused, not misread.
    pub fn fingerprint(&self) -> u32 {
        let mut hash: u32 = 0x811c_9dc5;
        for (path, text) in self.files {
            for byte in path.bytes().chain([0]).chain(text.bytes()).chain([0]) {
                hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
            }
        }
        hash
    }
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct StateV2 {
    files: FilesV2,
    rule: RuleV2,
    selected: Option<String>,
    view: String,
    simulation: (String, u64, u32, bool),
}

/// What links carry since the engine version and the per-replacement choices were added.
#[derive(Serialize, Deserialize, PartialEq, Debug, Default)]
struct ExtraV2 {
    /// `engine_wire()`: which engine wrote the link, in 8 bytes.
    engine: [u8; 8],
    skip: Vec<String>,
    only: Vec<String>,
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
enum FilesV2 {
    /// Every file as it is.
    Full(Vec<(String, String)>),
    /// The baseline's files in its order, with these changes, then the added files.
    Edits(Vec<EditV2>),
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
enum EditV2 {
    Deleted(u32),
    Replaced(u32, String),
    /// A line diff of the baseline file at the index; lines after the last op are kept.
    Diff(u32, Vec<OpV2>),
    Added(String, String),
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
enum OpV2 {
    Keep(u32),
    Delete(u32),
    Insert(String),
}

/// A rule as its differences from `Rule::default()`.
#[derive(Serialize, Deserialize, PartialEq, Debug, Default)]
struct RuleV2 {
    registry_name: Option<String>,
    helper_name: Option<String>,
    helper_file: Option<String>,
    excluded_files: Option<Vec<String>>,
    stay_local: Option<Vec<String>>,
    expected_counts: Option<Vec<(String, u32)>>,
    /// 0 plan, 1 node-mode, 2 custom, 3 node-local, 4 node-name (as in v1).
    helper_form: u8,
    custom_helper: String,
}

fn changed<T: Clone + PartialEq>(value: &T, default: &T) -> Option<T> {
    (value != default).then(|| value.clone())
}

impl From<&Rule> for RuleV2 {
    fn from(r: &Rule) -> RuleV2 {
        let d = Rule::default();
        let counts = |r: &Rule| r.expected_counts.iter().map(|(p, n)| (p.clone(), *n as u32)).collect::<Vec<_>>();
        RuleV2 {
            registry_name: changed(&r.registry_name, &d.registry_name),
            helper_name: changed(&r.helper_name, &d.helper_name),
            helper_file: changed(&r.helper_file, &d.helper_file),
            excluded_files: changed(&r.excluded_files, &d.excluded_files),
            stay_local: changed(&r.stay_local, &d.stay_local),
            expected_counts: changed(&counts(r), &counts(&d)),
            helper_form: super::form_byte(r.helper_form),
            custom_helper: r.custom_helper.clone(),
        }
    }
}

impl TryFrom<RuleV2> for Rule {
    type Error = LinkError;

    fn try_from(w: RuleV2) -> Result<Rule, LinkError> {
        let d = Rule::default();
        Ok(Rule {
            registry_name: w.registry_name.unwrap_or(d.registry_name),
            helper_name: w.helper_name.unwrap_or(d.helper_name),
            helper_file: w.helper_file.unwrap_or(d.helper_file),
            excluded_files: w.excluded_files.unwrap_or(d.excluded_files),
            stay_local: w.stay_local.unwrap_or(d.stay_local),
            expected_counts: match w.expected_counts {
                Some(c) => crate::order::map(c.into_iter().map(|(p, n)| (p, n as usize))),
                None => d.expected_counts,
            },
            helper_form: super::byte_form(w.helper_form)?,
            custom_helper: w.custom_helper,
            skip: Vec::new(),
            only: Vec::new(),
        })
    }
}

/// The `v2.` fragment for `state`, written against `baseline` when that is shorter.
pub fn encode(state: &State, baseline: Option<Baseline>) -> String {
    let mut best = pack(state, FilesV2::Full(state.files.clone()), None);
    if let Some(base) = baseline {
        if let Some(edits) = edits(&state.files, base) {
            let against = pack(state, FilesV2::Edits(edits), Some(base));
            if against.len() < best.len() {
                best = against;
            }
        }
    }
    format!("v2.{}", super::base64(&best))
}

fn pack(state: &State, files: FilesV2, baseline: Option<Baseline>) -> Vec<u8> {
    let wire = StateV2 {
        files,
        rule: RuleV2::from(&state.rule),
        selected: state.selected.clone(),
        view: state.view.clone(),
        simulation: state.simulation.to_wire(),
    };
    let extra = ExtraV2 { engine: engine_wire(), skip: state.rule.skip.clone(), only: state.rule.only.clone() };
    const MEMORY: &str = "in-memory serialization cannot fail";
    let mut bytes = postcard::to_allocvec(&wire).unwrap_or_else(|_| unreachable!("{MEMORY}"));
    bytes.extend(postcard::to_allocvec(&extra).unwrap_or_else(|_| unreachable!("{MEMORY}")));
    let deflated = deflate_with_dictionary(DICTIONARY_1.as_bytes(), &bytes);
    let mut header = DICTIONARY_ID << 4 | EXTRA;
    let mut out = Vec::with_capacity(bytes.len().min(deflated.len()) + 5);
    out.push(0);
    if let Some(base) = baseline {
        header |= AGAINST_BASELINE;
        out.extend(base.fingerprint().to_le_bytes());
    }
    if deflated.len() < bytes.len() {
        header |= DEFLATED;
        out.extend(deflated);
    } else {
        out.extend(bytes);
    }
    out[0] = header;
    out
}

/// The baseline's files changed into `files`, or None when `files` is not the baseline's order
/// followed by added files (the full list is then written).
fn edits(files: &[(String, String)], base: Baseline) -> Option<Vec<EditV2>> {
    let mut out = Vec::new();
    let mut rest = files;
    for (i, (path, text)) in base.files.iter().enumerate() {
        let index = i as u32;
        match rest.first() {
            Some((p, t)) if p == path => {
                if t != text {
                    out.push(shorter_edit(index, text, t));
                }
                rest = &rest[1..];
            }
            _ if files.iter().any(|(p, _)| p == path) => return None,
            _ => out.push(EditV2::Deleted(index)),
        }
    }
    for (path, text) in rest {
        if base.files.iter().any(|(p, _)| p == path) {
            return None;
        }
        out.push(EditV2::Added(path.clone(), text.clone()));
    }
    Some(out)
}

/// A line diff, or the whole new text when that is no longer.
fn shorter_edit(index: u32, old: &str, new: &str) -> EditV2 {
    // Lines as `patch_lines` reads them back: ended by '\n' only.
    let old_lines = crate::diff::git_lines(old);
    let new_lines = crate::diff::git_lines(new);
    let mut ops: Vec<OpV2> = Vec::new();
    for op in crate::diff::diff_tokens(&old_lines, &new_lines) {
        let (tag, o, n) = op.as_tag_tuple();
        if matches!(tag, DiffTag::Equal) {
            ops.push(OpV2::Keep(o.len() as u32));
            continue;
        }
        if !o.is_empty() {
            ops.push(OpV2::Delete(o.len() as u32));
        }
        if !n.is_empty() {
            ops.push(OpV2::Insert(new_lines[n].concat()));
        }
    }
    if matches!(ops.last(), Some(OpV2::Keep(_))) {
        ops.pop();
    }
    let inserted: usize = ops.iter().map(|o| if let OpV2::Insert(s) = o { s.len() } else { 2 }).sum();
    if inserted >= new.len() {
        EditV2::Replaced(index, new.to_owned())
    } else {
        EditV2::Diff(index, ops)
    }
}

/// The state in a `v2.` payload (after the prefix). `baseline` must be the one the link was made against.
pub fn decode(payload: &str, baseline: Option<Baseline>) -> Result<State, LinkError> {
    let bytes = super::unbase64(payload)?;
    let (&header, mut rest) = bytes.split_first().ok_or(LinkError::Corrupt)?;
    if header >> 4 != DICTIONARY_ID || header & 0b1000 != 0 {
        return Err(LinkError::UnknownVersion(format!("v2 with dictionary {}", header >> 4)));
    }
    let base = if header & AGAINST_BASELINE != 0 {
        let (print, tail) = rest.split_at_checked(4).ok_or(LinkError::Corrupt)?;
        rest = tail;
        let print = u32::from_le_bytes(print.try_into().expect("4 bytes"));
        match baseline {
            Some(b) if b.fingerprint() == print => Some(b),
            _ => return Err(LinkError::OtherExample),
        }
    } else {
        None
    };
    let inflated;
    let body = if header & DEFLATED != 0 {
        inflated = inflate_with_dictionary(DICTIONARY_1.as_bytes(), rest, MAX_EXPANDED)?;
        &inflated[..]
    } else {
        rest
    };
    let (wire, mut tail): (StateV2, _) = postcard::take_from_bytes(body).map_err(|_| LinkError::Malformed)?;
    let mut extra = None;
    if header & EXTRA != 0 {
        let (e, rest): (ExtraV2, _) = postcard::take_from_bytes(tail).map_err(|_| LinkError::Malformed)?;
        (extra, tail) = (Some(e), rest);
    }
    if !tail.is_empty() {
        return Err(LinkError::Malformed);
    }
    let files = match (wire.files, base) {
        (FilesV2::Full(files), _) => files,
        (FilesV2::Edits(edits), Some(base)) => apply(edits, base)?,
        (FilesV2::Edits(_), None) => return Err(LinkError::Malformed),
    };
    let mut rule = Rule::try_from(wire.rule)?;
    let engine = extra.map(|e| {
        (rule.skip, rule.only) = (e.skip, e.only);
        engine_name(e.engine)
    });
    Ok(State {
        files,
        engine,
        rule,
        selected: wire.selected,
        view: wire.view,
        simulation: Simulation::from_wire(wire.simulation),
    })
}

/// This engine as a link records it: the crate's major, minor and patch version, then the first 40
/// bits of the grammar's hash (a link's length counts; `crate::version()` is 28 bytes).
fn engine_wire() -> [u8; 8] {
    let part = |name: &str| name.parse::<u8>().unwrap_or(u8::MAX);
    let grammar = u64::from_str_radix(tree_sitter_mesh::GRAMMAR_HASH, 16).unwrap_or_default();
    let mut wire = [0; 8];
    wire[..3].copy_from_slice(&[
        part(env!("CARGO_PKG_VERSION_MAJOR")),
        part(env!("CARGO_PKG_VERSION_MINOR")),
        part(env!("CARGO_PKG_VERSION_PATCH")),
    ]);
    wire[3..].copy_from_slice(&grammar.to_be_bytes()[2..7]);
    wire
}

/// The engine a link names, as `crate::version()` reads for this one.
fn engine_name(wire: [u8; 8]) -> String {
    if wire == engine_wire() {
        return crate::version().to_owned();
    }
    let hash: String = wire[3..].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}.{}.{} (grammar {hash}…)", wire[0], wire[1], wire[2])
}

fn apply(edits: Vec<EditV2>, base: Baseline) -> Result<Vec<(String, String)>, LinkError> {
    let mut files: Vec<Option<(String, String)>> = base.files.iter().cloned().map(Some).collect();
    let mut added = Vec::new();
    let mut total: usize = 0;
    let mut last: Option<u32> = None;
    for edit in edits {
        let index = match &edit {
            EditV2::Deleted(i) | EditV2::Replaced(i, _) | EditV2::Diff(i, _) => Some(*i),
            EditV2::Added(..) => None,
        };
        // Edits name baseline files once each, in order: anything else is not a link we made.
        if let Some(i) = index {
            if last.is_some_and(|l| i <= l) || i as usize >= files.len() || !added.is_empty() {
                return Err(LinkError::Malformed);
            }
            last = Some(i);
        }
        match edit {
            EditV2::Deleted(i) => files[i as usize] = None,
            EditV2::Replaced(i, text) => {
                total += text.len();
                files[i as usize].as_mut().expect("each index once").1 = text;
            }
            EditV2::Diff(i, ops) => {
                let file = files[i as usize].as_mut().expect("each index once");
                let text = patch_lines(&file.1, &ops)?;
                total += text.len();
                file.1 = text;
            }
            EditV2::Added(path, text) => {
                total += text.len();
                added.push((path, text));
            }
        }
        if total > MAX_EXPANDED {
            return Err(LinkError::TooLarge);
        }
    }
    Ok(files.into_iter().flatten().chain(added).collect())
}

fn patch_lines(old: &str, ops: &[OpV2]) -> Result<String, LinkError> {
    let mut lines = old.split_inclusive('\n');
    let mut out = String::new();
    for op in ops {
        match op {
            OpV2::Keep(n) => {
                for _ in 0..*n {
                    out.push_str(lines.next().ok_or(LinkError::Malformed)?);
                }
            }
            OpV2::Delete(n) => {
                for _ in 0..*n {
                    lines.next().ok_or(LinkError::Malformed)?;
                }
            }
            OpV2::Insert(text) => out.push_str(text),
        }
    }
    out.extend(lines);
    Ok(out)
}

/// Raw DEFLATE of `data` as if `dictionary` had come just before it: compress both with a sync flush
/// between them (which ends a block on a byte boundary) and keep only what follows the flush.
fn deflate_with_dictionary(dictionary: &[u8], data: &[u8]) -> Vec<u8> {
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(10, -15, 0));
    let mut out = vec![0; dictionary.len() + data.len() + 1024];
    // What the dictionary compresses to is dropped: the reader has the dictionary itself.
    let (status, _, _) = compress(&mut compressor, dictionary, &mut out, TDEFLFlush::Sync);
    assert_eq!(status, TDEFLStatus::Okay, "the dictionary compresses");
    let mut packed = Vec::new();
    let mut input = data;
    loop {
        let (status, used, written) = compress(&mut compressor, input, &mut out, TDEFLFlush::Finish);
        packed.extend_from_slice(&out[..written]);
        input = &input[used..];
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay => continue,
            other => panic!("deflate failed: {other:?}"),
        }
    }
    packed
}

/// Inflates `packed` with `dictionary` already in the window; at most `limit` bytes of output.
fn inflate_with_dictionary(dictionary: &[u8], packed: &[u8], limit: usize) -> Result<Vec<u8>, LinkError> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut inflater = DecompressorOxide::new();
    let mut out = dictionary.to_vec();
    out.resize(dictionary.len() + (packed.len() * 4).clamp(1024, limit), 0);
    let (mut at, mut input) = (dictionary.len(), packed);
    loop {
        let (status, used, written) = decompress(&mut inflater, input, &mut out, at, flags);
        input = &input[used..];
        at += written;
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput if at - dictionary.len() < limit => {
                let grown = (out.len() * 2).min(dictionary.len() + limit + 1);
                out.resize(grown.max(at + 1), 0);
            }
            TINFLStatus::HasMoreOutput => return Err(LinkError::TooLarge),
            _ => return Err(LinkError::Corrupt),
        }
    }
    if at - dictionary.len() > limit {
        return Err(LinkError::TooLarge);
    }
    out.truncate(at);
    Ok(out.split_off(dictionary.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_primes_deflate_and_inflate_agrees() {
        let text = b"pub fn handle_x(request :: Request) -> Response do\n  let reg_pid = get_registry()\nend\n";
        let with = deflate_with_dictionary(DICTIONARY_1.as_bytes(), text);
        let without = miniz_oxide::deflate::compress_to_vec(text, 10);
        assert!(with.len() < without.len() / 2, "{} vs {}", with.len(), without.len());
        assert_eq!(inflate_with_dictionary(DICTIONARY_1.as_bytes(), &with, 1 << 20).unwrap(), text);
        // Without the dictionary in the window, the back references point nowhere.
        assert_eq!(inflate_with_dictionary(b"", &with, 1 << 20), Err(LinkError::Corrupt));
    }

    #[test]
    fn a_link_names_the_engine_that_wrote_it() {
        assert_eq!(engine_name(engine_wire()), crate::version());
        assert_eq!(engine_name([0, 2, 1, 0xab, 0xcd, 0, 1, 2]), "0.2.1 (grammar abcd000102…)");
    }

    #[test]
    fn line_diffs_apply_back() {
        let old = "a\nb\nc\nd\n";
        for new in ["a\nB\nc\nd\n", "a\nc\n", "x\na\nb\nc\nd\ny", "", "a\nb\nc\nd\n"] {
            match shorter_edit(0, old, new) {
                EditV2::Diff(_, ops) => assert_eq!(patch_lines(old, &ops).unwrap(), new),
                EditV2::Replaced(_, text) => assert_eq!(text, new),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(patch_lines(old, &[OpV2::Keep(5)]), Err(LinkError::Malformed));
    }
}
