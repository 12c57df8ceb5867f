//! Scenarios as text: node declarations, then timed events (format: docs/scenario-format.md).
//! The built-in scenarios are written in the same format and shipped as data.

use super::model::NodeId;
use super::nodeset::{self, NodeSet};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Limits on what a scenario may declare (docs/scenario-format.md); past them, `parse` fails on the
/// offending line. They keep a run's time and memory bounded (see also `engine::MAX_STEPS`).
pub const MAX_NODES: usize = nodeset::CAPACITY;
pub const MAX_EVENTS: usize = 10_000;
/// The latest event time, in virtual milliseconds (about 31 years): message delays add to event
/// times, so times near `u64::MAX` would wrap around.
pub const MAX_TIME: u64 = 1_000_000_000_000;

/// One node declaration: short name (used in events) and the full name `Node.self()` returns once started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeDecl {
    pub id: String,
    pub full_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Event {
    /// `Node.start`: the node becomes distributed.
    Start {
        node: NodeId,
    },
    /// The mesher application boots: spawns its PipelineRegistry, registers it locally and, when
    /// the node is started, globally under `<registry>@<node>` and then `<registry>` (failures ignored).
    App {
        node: NodeId,
    },
    Spawn {
        node: NodeId,
        process: String,
    },
    RegisterLocal {
        node: NodeId,
        name: String,
        process: String,
    },
    RegisterGlobal {
        node: NodeId,
        name: String,
        process: String,
    },
    UnregisterGlobal {
        node: NodeId,
        name: String,
    },
    /// A process exits.
    Kill {
        node: NodeId,
        process: String,
    },
    /// `Node.connect` from `node` to `peer`.
    Connect {
        node: NodeId,
        peer: NodeId,
    },
    Down {
        node: NodeId,
    },
    Up {
        node: NodeId,
    },
    /// Every link between a node of `left` and a node of `right` is cut.
    Partition {
        left: Vec<NodeId>,
        right: Vec<NodeId>,
    },
    /// Every cut link works again (sessions are not re-formed: connect again).
    Heal,
    /// A request reaches `handler` on `node`: lookup, then `PipelineRegistry.get_pool(reg)`.
    Request {
        node: NodeId,
        handler: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimedEvent {
    /// Virtual milliseconds.
    pub time: u64,
    /// The scenario line it came from (1-based).
    pub line: usize,
    pub event: Event,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub name: String,
    /// The comment lines before the first declaration, `#` stripped.
    pub description: String,
    pub nodes: Vec<NodeDecl>,
    pub events: Vec<TimedEvent>,
}

/// A scenario text error, with the 1-based line it is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// The built-in scenarios, by name, in the order `--scenario list` prints them.
pub const BUILT_IN: [(&str, &str); 5] = [
    ("standalone", include_str!("scenarios/standalone.scn")),
    ("late-join", include_str!("scenarios/late-join.scn")),
    ("concurrent-register", include_str!("scenarios/concurrent-register.scn")),
    ("owner-down", include_str!("scenarios/owner-down.scn")),
    ("registry-not-ready", include_str!("scenarios/registry-not-ready.scn")),
];

/// The names of the built-in scenarios.
pub fn built_in_names() -> Vec<&'static str> {
    BUILT_IN.iter().map(|(n, _)| *n).collect()
}

/// A built-in scenario by name.
pub fn built_in(name: &str) -> Option<Scenario> {
    let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
    Some(parse(text, name).unwrap_or_else(|_| unreachable!("built-in scenarios parse")))
}

/// Parses scenario text. `default_name` is used unless the text has a `scenario NAME` line.
pub fn parse(text: &str, default_name: &str) -> Result<Scenario, ParseError> {
    let mut scenario = Scenario {
        name: default_name.to_owned(),
        description: String::new(),
        nodes: Vec::new(),
        events: Vec::new(),
    };
    let mut description = Vec::new();
    let mut in_header = true;
    let mut last_time = 0;
    let mut ids: HashMap<String, NodeId> = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let err = |message: String| ParseError { line, message };
        let trimmed = raw.trim();
        if in_header {
            if let Some(comment) = trimmed.strip_prefix('#') {
                description.push(comment.strip_prefix(' ').unwrap_or(comment).trim_end().to_owned());
                continue;
            }
        }
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        in_header = false;
        let words: Vec<&str> = content.split_whitespace().collect();
        match words[0] {
            "scenario" => {
                if words.len() != 2 {
                    return Err(err("expected `scenario NAME`".into()));
                }
                scenario.name = words[1].to_owned();
            }
            "node" | "nodes" if !scenario.events.is_empty() => {
                return Err(err("nodes must be declared before the first event".into()));
            }
            "node" => {
                let (id, full) = match words[1..] {
                    [id] => (id, format!("{id}@sim")),
                    [id, "as", full] => (id, full.to_owned()),
                    _ => return Err(err("expected `node NAME` or `node NAME as FULL-NAME`".into())),
                };
                declare(&mut scenario, &mut ids, id, full).map_err(err)?;
            }
            "nodes" => {
                if words.len() < 2 {
                    return Err(err("expected `nodes NAME...`".into()));
                }
                for id in &words[1..] {
                    declare(&mut scenario, &mut ids, id, format!("{id}@sim")).map_err(err)?;
                }
            }
            "at" => {
                let time = match words.get(1).map(|w| w.parse::<u64>()) {
                    Some(Ok(t)) => t,
                    Some(Err(_)) => {
                        return Err(err(format!("`{}` is not a time (whole milliseconds)", words[1])))
                    }
                    None => return Err(err("expected `at TIME EVENT`".into())),
                };
                if time > MAX_TIME {
                    return Err(err(format!("time {time} is past the latest time the simulator takes, {MAX_TIME}")));
                }
                if time < last_time {
                    return Err(err(format!("time {time} is before the previous event's time {last_time}")));
                }
                if words.len() < 3 {
                    return Err(err(format!("expected an event after `at {time}`")));
                }
                if scenario.events.len() == MAX_EVENTS {
                    return Err(err(format!("more than {MAX_EVENTS} events: the simulator's limit")));
                }
                let event = parse_event(&scenario, &ids, &words[2..]).map_err(err)?;
                last_time = time;
                scenario.events.push(TimedEvent { time, line, event });
            }
            other => {
                return Err(err(format!(
                    "unknown line `{other}`: expected `scenario`, `node`, `nodes` or `at`"
                )))
            }
        }
    }
    if scenario.nodes.is_empty() {
        return Err(ParseError { line: text.lines().count().max(1), message: "no nodes declared".into() });
    }
    while description.last().is_some_and(|l| l.is_empty()) {
        description.pop();
    }
    scenario.description = description.join("\n");
    Ok(scenario)
}

fn declare(
    scenario: &mut Scenario,
    ids: &mut HashMap<String, NodeId>,
    id: &str,
    full_name: String,
) -> Result<(), String> {
    if !is_word(id) {
        return Err(format!("`{id}` is not a node name (letters, digits, `_`, `-`)"));
    }
    if ids.contains_key(id) {
        return Err(format!("node `{id}` is declared twice"));
    }
    if scenario.nodes.len() == MAX_NODES {
        return Err(format!("more than {MAX_NODES} nodes: the simulator's limit"));
    }
    ids.insert(id.to_owned(), scenario.nodes.len());
    scenario.nodes.push(NodeDecl { id: id.to_owned(), full_name });
    Ok(())
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn parse_event(scenario: &Scenario, ids: &HashMap<String, NodeId>, words: &[&str]) -> Result<Event, String> {
    let node = |w: &str| -> Result<NodeId, String> { ids.get(w).copied().ok_or_else(|| format!("unknown node `{w}`")) };
    let usage = |form: &str| format!("expected `{form}`");
    let event = match words {
        ["start", n] => Event::Start { node: node(n)? },
        ["start", ..] => return Err(usage("start NODE")),
        ["app", n] => Event::App { node: node(n)? },
        ["app", ..] => return Err(usage("app NODE")),
        ["spawn", n, p] => Event::Spawn { node: node(n)?, process: p.to_string() },
        ["spawn", ..] => return Err(usage("spawn NODE PROCESS")),
        ["register", "local", n, name, p] => {
            Event::RegisterLocal { node: node(n)?, name: name.to_string(), process: p.to_string() }
        }
        ["register", "global", n, name, p] => {
            Event::RegisterGlobal { node: node(n)?, name: name.to_string(), process: p.to_string() }
        }
        ["register", ..] => return Err(usage("register local|global NODE NAME PROCESS")),
        ["unregister", "global", n, name] => {
            Event::UnregisterGlobal { node: node(n)?, name: name.to_string() }
        }
        ["unregister", ..] => return Err(usage("unregister global NODE NAME")),
        ["kill", n, p] => Event::Kill { node: node(n)?, process: p.to_string() },
        ["kill", ..] => return Err(usage("kill NODE PROCESS")),
        ["connect", n, p] => {
            let (node, peer) = (node(n)?, node(p)?);
            if node == peer {
                return Err(format!("node `{n}` cannot connect to itself"));
            }
            Event::Connect { node, peer }
        }
        ["connect", ..] => return Err(usage("connect NODE PEER")),
        ["down", n] => Event::Down { node: node(n)? },
        ["down", ..] => return Err(usage("down NODE")),
        ["up", n] => Event::Up { node: node(n)? },
        ["up", ..] => return Err(usage("up NODE")),
        ["partition", rest @ ..] => {
            let form = "partition NODE... | NODE...";
            let bar = rest.iter().position(|w| *w == "|").ok_or_else(|| usage(form))?;
            let (left, right) = (&rest[..bar], &rest[bar + 1..]);
            if left.is_empty() || right.is_empty() {
                return Err(usage(form));
            }
            let left = left.iter().map(|w| node(w)).collect::<Result<Vec<_>, _>>()?;
            let right = right.iter().map(|w| node(w)).collect::<Result<Vec<_>, _>>()?;
            let right_set = NodeSet::of(&right);
            if let Some(both) = left.iter().find(|n| right_set.contains(**n)) {
                return Err(format!("node `{}` is on both sides of the partition", scenario.nodes[*both].id));
            }
            Event::Partition { left, right }
        }
        ["heal"] => Event::Heal,
        ["heal", ..] => return Err(usage("heal")),
        ["request", n, h] => Event::Request { node: node(n)?, handler: h.to_string() },
        ["request", ..] => return Err(usage("request NODE HANDLER")),
        [other, ..] => return Err(format!("unknown event `{other}`")),
        [] => unreachable!("callers pass at least one word"),
    };
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_parses_under_its_name() {
        for name in built_in_names() {
            let s = built_in(name).unwrap();
            assert_eq!(s.name, name);
            assert!(!s.description.is_empty(), "{name} explains itself");
            assert!(s.events.iter().any(|e| matches!(e.event, Event::Request { .. })), "{name}");
        }
    }

    #[test]
    fn declarations_and_events() {
        let s = parse(
            "# Two nodes.\n\nscenario demo\nnode a\nnode b as b@10.0.0.2\nat 0 start a # boot\nat 5 partition a | b\nat 9 request b handle_event\n",
            "x",
        )
        .unwrap();
        assert_eq!(s.name, "demo");
        assert_eq!(s.description, "Two nodes.");
        assert_eq!(s.nodes[1], NodeDecl { id: "b".into(), full_name: "b@10.0.0.2".into() });
        assert_eq!(s.nodes[0].full_name, "a@sim");
        assert_eq!(
            s.events,
            vec![
                TimedEvent { time: 0, line: 6, event: Event::Start { node: 0 } },
                TimedEvent { time: 5, line: 7, event: Event::Partition { left: vec![0], right: vec![1] } },
                TimedEvent {
                    time: 9,
                    line: 8,
                    event: Event::Request { node: 1, handler: "handle_event".into() }
                },
            ]
        );
    }
}
