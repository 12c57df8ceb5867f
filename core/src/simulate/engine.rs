//! Virtual time: scenario events and in-flight messages in one queue, delays from a seeded generator.
//! Same seed, same order of random draws, same log.

use super::model::{Cluster, Node, NodeId, NodeView, Pid};
use super::nodeset::NodeSet;
use super::scenario::{Event, Scenario};
use super::{CallTrace, LogEntry, Lookup, Outcome, RequestResult, SimError, Trace};
use std::collections::BTreeMap;

/// Message and failure-detection delays, in virtual milliseconds (inclusive).
pub const MIN_DELAY: u64 = 1;
pub const MAX_DELAY: u64 = 40;

/// A run stops with an error past this many steps: a step is a log entry, or a registry entry
/// copied into a snapshot or merged from one. Events can set off cascades (a connect forms a full
/// mesh), so the scenario's limits alone do not bound a run; this bounds its time and memory.
pub const MAX_STEPS: usize = 1_000_000;
/// ... or once its log holds this many bytes of text (long node names make long entries).
pub const MAX_LOG_BYTES: usize = 16 << 20;
/// Rows (processes, names, peers) all recorded node states may hold together: the page keeps a state
/// per log entry for its timeline, and a scenario that grows every table at every step would make
/// that quadratic (found by the fuzzer: 1,100 `app` events took 3 s).
pub const MAX_STATE_ROWS: usize = 500_000;

/// What a lookup returned and the calls it made on the way.
#[derive(Debug)]
pub struct Resolved {
    pub pid: Option<Pid>,
    pub calls: Vec<CallTrace>,
}

/// The lookup a handler does; called with the cluster as it is at the request's moment.
pub type LookupFn<'a> = dyn FnMut(&Cluster, NodeId) -> Result<Resolved, SimError> + 'a;

enum Msg {
    Register {
        name: String,
        pid: Pid,
    },
    Unregister {
        name: String,
    },
    /// A copy of the sender's global registry, taken when it was sent.
    Snapshot(Vec<(String, Pid)>),
    /// The sender's peers, so the receiver can connect to them too (full mesh).
    Peers(NodeSet),
}

enum Item {
    Scenario(usize),
    Deliver {
        from: NodeId,
        from_inc: u32,
        to: NodeId,
        to_inc: u32,
        msg: Msg,
    },
    /// `survivor` notices that `lost` went away (disconnect or heartbeat timeout).
    Detect {
        survivor: NodeId,
        survivor_inc: u32,
        lost: NodeId,
    },
}

pub struct Engine<'s> {
    scenario: &'s Scenario,
    registry_name: String,
    remote_calls_work: bool,
    pub cluster: Cluster,
    queue: BTreeMap<(u64, u64), Item>,
    seq: u64,
    now: u64,
    rng: fastrand::Rng,
    /// Work done so far, against `MAX_STEPS` and `MAX_LOG_BYTES`.
    steps: usize,
    log_bytes: usize,
    /// Rows in the recorded states so far, against `MAX_STATE_ROWS`.
    state_rows: usize,
    pub log: Vec<LogEntry>,
    pub results: Vec<RequestResult>,
    /// Node states after each log entry, when asked for (`record_states`).
    pub states: Option<Vec<Vec<NodeView>>>,
}

impl<'s> Engine<'s> {
    pub fn new(
        scenario: &'s Scenario,
        registry_name: &str,
        seed: u64,
        remote_calls_work: bool,
    ) -> Engine<'s> {
        let nodes = scenario.nodes.iter().map(|d| Node::new(&d.id, &d.full_name)).collect();
        let mut engine = Engine {
            scenario,
            registry_name: registry_name.to_owned(),
            remote_calls_work,
            cluster: Cluster::new(nodes),
            queue: BTreeMap::new(),
            seq: 0,
            now: 0,
            rng: fastrand::Rng::with_seed(seed),
            steps: 0,
            log_bytes: 0,
            log: Vec::new(),
            results: Vec::new(),
            states: None,
            state_rows: 0,
        };
        for (i, e) in scenario.events.iter().enumerate() {
            engine.schedule(e.time, Item::Scenario(i));
        }
        engine
    }

    pub fn record_states(&mut self) {
        self.states = Some(Vec::new());
    }

    fn schedule(&mut self, time: u64, item: Item) {
        self.queue.insert((time, self.seq), item);
        self.seq += 1;
    }

    fn delay(&mut self) -> u64 {
        self.rng.u64(MIN_DELAY..=MAX_DELAY)
    }

    fn note(&mut self, node: Option<NodeId>, event: String) {
        let node = node.map_or(String::new(), |n| self.cluster.nodes[n].id.clone());
        self.steps += 1;
        self.log_bytes += node.len() + event.len();
        self.log.push(LogEntry { time: self.now, node, event });
        if let Some(states) = &mut self.states {
            self.state_rows += self
                .cluster
                .nodes
                .iter()
                .map(|n| 1 + n.processes.len() + n.local.len() + n.global.len() + n.peers.iter().count())
                .sum::<usize>();
            states.push(self.cluster.view());
        }
    }

    fn id(&self, node: NodeId) -> &str {
        &self.cluster.nodes[node].id
    }

    fn pid(&self, pid: Option<Pid>) -> String {
        self.cluster.show_pid(pid)
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: Msg) {
        let at = self.now + self.delay();
        let (from_inc, to_inc) = (self.cluster.nodes[from].incarnation, self.cluster.nodes[to].incarnation);
        self.schedule(at, Item::Deliver { from, from_inc, to, to_inc, msg });
    }

    fn broadcast(&mut self, from: NodeId, msg: impl Fn() -> Msg) -> Vec<NodeId> {
        let peers: Vec<NodeId> = self.cluster.nodes[from].peers.iter().collect();
        for &p in &peers {
            self.send(from, p, msg());
        }
        peers
    }

    fn peer_names(&self, peers: &[NodeId]) -> String {
        if peers.is_empty() {
            return "no peers to broadcast to".to_owned();
        }
        let names: Vec<&str> = peers.iter().map(|p| self.id(*p)).collect();
        format!("broadcast to {}", names.join(", "))
    }

    /// Runs every event; `after` is the rewritten lookup.
    pub fn run(&mut self, after: &mut LookupFn) -> Result<(), SimError> {
        while let Some(((time, _), item)) = self.queue.pop_first() {
            if self.state_rows > MAX_STATE_ROWS {
                return Err(SimError::too_large(format!(
                    "scenario `{}` is too large to show step by step: by {time} ms its timeline passed \
                     {MAX_STATE_ROWS} table rows (the simulator's limit; see docs/scenario-format.md)",
                    self.scenario.name
                )));
            }
            if self.steps > MAX_STEPS || self.log_bytes > MAX_LOG_BYTES {
                return Err(SimError::too_large(format!(
                    "scenario `{}` is too large to simulate: by {time} ms the run passed {} (the simulator's \
                     limit; see docs/scenario-format.md)",
                    self.scenario.name,
                    if self.steps > MAX_STEPS {
                        format!("{MAX_STEPS} steps")
                    } else {
                        format!("{} MB of log", MAX_LOG_BYTES >> 20)
                    }
                )));
            }
            self.now = time;
            match item {
                Item::Scenario(i) => self.scenario_event(i, after)?,
                Item::Deliver { from, from_inc, to, to_inc, msg } => {
                    self.deliver(from, from_inc, to, to_inc, msg)
                }
                Item::Detect { survivor, survivor_inc, lost } => {
                    let s = &self.cluster.nodes[survivor];
                    if !s.up || s.incarnation != survivor_inc {
                        continue;
                    }
                    let dropped = self.cluster.drop_names_of(survivor, lost);
                    let what = if dropped.is_empty() {
                        "no names of it in this copy".to_owned()
                    } else {
                        format!("dropped its names: {}", dropped.join(", "))
                    };
                    self.note(Some(survivor), format!("noticed {} is gone; {what}", self.id(lost)));
                }
            }
        }
        Ok(())
    }

    fn live(&mut self, node: NodeId, what: &str) -> bool {
        if self.cluster.nodes[node].up {
            return true;
        }
        self.note(Some(node), format!("{what} ignored: {} is down", self.id(node)));
        false
    }

    fn process(&mut self, node: NodeId, label: &str, what: &str) -> Option<Pid> {
        match self.cluster.nodes[node].process(label) {
            Some(serial) => Some(Pid { node, serial }),
            None => {
                self.note(
                    Some(node),
                    format!("{what} ignored: no live process `{label}` on {}", self.id(node)),
                );
                None
            }
        }
    }

    fn scenario_event(&mut self, index: usize, after: &mut LookupFn) -> Result<(), SimError> {
        let event = &self.scenario.events[index].event;
        match event.clone() {
            Event::Start { node } => {
                if self.live(node, "Node.start") {
                    self.cluster.nodes[node].started = true;
                    let name = self.cluster.nodes[node].full_name.clone();
                    self.note(Some(node), format!("Node.start(\"{name}\"): now distributed"));
                }
            }
            Event::App { node } => {
                if self.live(node, "app start") {
                    self.app(node);
                }
            }
            Event::Spawn { node, process } => {
                if self.live(node, "spawn") {
                    let pid = self.cluster.spawn(node, &process);
                    self.note(Some(node), format!("spawned `{process}` as {}", self.pid(Some(pid))));
                }
            }
            Event::RegisterLocal { node, name, process } => {
                if self.live(node, "Process.register") {
                    if let Some(pid) = self.process(node, &process, "Process.register") {
                        self.register_local(node, &name, pid);
                    }
                }
            }
            Event::RegisterGlobal { node, name, process } => {
                if self.live(node, "Global.register") {
                    if let Some(pid) = self.process(node, &process, "Global.register") {
                        self.register_global(node, &name, pid);
                    }
                }
            }
            Event::UnregisterGlobal { node, name } => {
                if self.live(node, "Global.unregister") {
                    self.cluster.nodes[node].global.remove(&name);
                    let peers = self.broadcast(node, || Msg::Unregister { name: name.clone() });
                    let to = self.peer_names(&peers);
                    self.note(Some(node), format!("Global.unregister(\"{name}\"); {to}"));
                }
            }
            Event::Kill { node, process } => {
                if self.live(node, "kill") {
                    if let Some(pid) = self.process(node, &process, "kill") {
                        self.kill(pid, &process);
                    }
                }
            }
            Event::Connect { node, peer } => {
                if self.live(node, "Node.connect") {
                    self.connect(node, peer, false);
                }
            }
            Event::Down { node } => {
                if self.live(node, "down") {
                    self.down(node);
                }
            }
            Event::Up { node } => {
                if self.cluster.nodes[node].up {
                    self.note(Some(node), format!("up ignored: {} is already up", self.id(node)));
                } else {
                    self.cluster.up(node);
                    self.note(Some(node), "booted again: standalone, no processes, empty registries".into());
                }
            }
            Event::Partition { left, right } => self.partition(&left, &right),
            Event::Heal => {
                self.cluster.heal();
                self.note(None, "network healed: every link works again (sessions are not re-formed)".into());
            }
            Event::Request { node, handler } => {
                if self.live(node, "request") {
                    self.request(node, &handler, after)?;
                }
            }
        }
        Ok(())
    }

    /// What the mesher application does when it boots on a node (MESH-RUNTIME.md).
    fn app(&mut self, node: NodeId) {
        let pid = self.cluster.spawn(node, "PipelineRegistry");
        self.note(Some(node), format!("app boots: PipelineRegistry started as {}", self.pid(Some(pid))));
        let name = self.registry_name.clone();
        self.register_local(node, &name, pid);
        if self.cluster.nodes[node].started {
            let own = format!("{name}@{}", self.cluster.nodes[node].full_name);
            self.register_global(node, &own, pid);
            self.register_global(node, &name, pid);
        }
    }

    fn register_local(&mut self, node: NodeId, name: &str, pid: Pid) {
        let code = self.cluster.register_local(node, name, pid);
        let tail = if code == 0 { "" } else { " (name taken)" };
        self.note(
            Some(node),
            format!("Process.register(\"{name}\", {}) -> {code}{tail}", self.pid(Some(pid))),
        );
    }

    fn register_global(&mut self, node: NodeId, name: &str, pid: Pid) {
        let code = self.cluster.insert_global(node, name, pid);
        let shown = self.pid(Some(pid));
        if code != 0 {
            let holder = self.pid(self.cluster.nodes[node].global.get(name).copied());
            self.note(
                Some(node),
                format!(
                    "Global.register(\"{name}\", {shown}) -> 1: this copy already has {holder} (ignored)"
                ),
            );
            return;
        }
        let owned = name.to_owned();
        let peers = self.broadcast(node, || Msg::Register { name: owned.clone(), pid });
        let to = self.peer_names(&peers);
        self.note(Some(node), format!("Global.register(\"{name}\", {shown}) -> 0; {to}"));
    }

    fn kill(&mut self, pid: Pid, label: &str) {
        let node = pid.node;
        let owned = self.cluster.exit(pid);
        let mut text = format!("process `{label}` {} exited; its local names are gone", self.pid(Some(pid)));
        if !owned.is_empty() {
            for name in &owned {
                let name = name.clone();
                self.broadcast(node, || Msg::Unregister { name: name.clone() });
            }
            let peers: Vec<NodeId> = self.cluster.nodes[node].peers.iter().collect();
            text.push_str(&format!(
                "; unregistered its global names {}; {}",
                owned.join(", "),
                self.peer_names(&peers)
            ));
        }
        self.note(Some(node), text);
    }

    fn connect(&mut self, node: NodeId, peer: NodeId, auto: bool) {
        let how = if auto { "auto-connect" } else { "Node.connect" };
        let target = self.cluster.nodes[peer].full_name.clone();
        let fail = |why: String| format!("{how}(\"{target}\") failed: {why}");
        let text = if !self.cluster.nodes[node].started {
            fail(format!("{} is not started", self.id(node)))
        } else if !self.cluster.nodes[peer].up {
            fail(format!("{} is down", self.id(peer)))
        } else if !self.cluster.nodes[peer].started {
            fail(format!("{} is not started", self.id(peer)))
        } else if !self.cluster.reachable(node, peer) {
            fail("unreachable (partition)".into())
        } else if self.cluster.connected(node, peer) {
            format!("{how}(\"{target}\"): already connected")
        } else {
            self.cluster.link(node, peer);
            // Both sides send their full copy and their peer list; connect returns before they arrive.
            for (from, to) in [(node, peer), (peer, node)] {
                let copy: Vec<_> = self.cluster.nodes[from].global.iter().map(|(k, p)| (k.clone(), *p)).collect();
                self.steps += copy.len();
                self.send(from, to, Msg::Snapshot(copy));
                let mut peers = self.cluster.nodes[from].peers;
                peers.remove(to);
                self.send(from, to, Msg::Peers(peers));
            }
            format!("{how}(\"{target}\"): session up; snapshots and peer lists sent both ways")
        };
        self.note(Some(node), text);
    }

    fn down(&mut self, node: NodeId) {
        self.cluster.down(node);
        self.note(Some(node), "went down: processes, registries and sessions gone".into());
        for survivor in 0..self.cluster.nodes.len() {
            if survivor != node && self.cluster.nodes[survivor].up {
                let at = self.now + self.delay();
                let survivor_inc = self.cluster.nodes[survivor].incarnation;
                self.schedule(at, Item::Detect { survivor, survivor_inc, lost: node });
            }
        }
    }

    fn partition(&mut self, left: &[NodeId], right: &[NodeId]) {
        let right_set = NodeSet::of(right);
        self.cluster.cut_between(NodeSet::of(left), right_set);
        // Sessions across the cut, in the order the scenario names the nodes. Only a node with such
        // a session looks through `right`, and that session goes: O(nodes) per session cut.
        let mut cut_sessions = Vec::new();
        for &a in left {
            if self.cluster.nodes[a].peers.intersection(right_set).is_empty() {
                continue;
            }
            for &b in right {
                if self.cluster.unlink(a, b) {
                    cut_sessions.push((a, b));
                }
            }
        }
        let names = |ns: &[NodeId]| ns.iter().map(|n| self.id(*n).to_owned()).collect::<Vec<_>>().join(" ");
        let text =
            format!("partition: {} | {}; {} session(s) lost", names(left), names(right), cut_sessions.len());
        self.note(None, text);
        for (a, b) in cut_sessions {
            for (survivor, lost) in [(a, b), (b, a)] {
                let at = self.now + self.delay();
                let survivor_inc = self.cluster.nodes[survivor].incarnation;
                self.schedule(at, Item::Detect { survivor, survivor_inc, lost });
            }
        }
    }

    fn deliver(&mut self, from: NodeId, from_inc: u32, to: NodeId, to_inc: u32, msg: Msg) {
        let (f, t) = (&self.cluster.nodes[from], &self.cluster.nodes[to]);
        let current = f.up && t.up && f.incarnation == from_inc && t.incarnation == to_inc;
        if !current || !self.cluster.connected(from, to) {
            let what = match &msg {
                Msg::Register { name, .. } => format!("registration of {name}"),
                Msg::Unregister { name } => format!("unregistration of {name}"),
                Msg::Snapshot(_) => "snapshot".to_owned(),
                Msg::Peers(_) => "peer list".to_owned(),
            };
            if t.up && t.incarnation == to_inc {
                let from_id = self.id(from).to_owned();
                self.note(Some(to), format!("{what} from {from_id} lost: the session is gone"));
            }
            return;
        }
        let from_id = self.id(from).to_owned();
        match msg {
            Msg::Register { name, pid } => {
                let shown = self.pid(Some(pid));
                let text = if self.cluster.insert_global(to, &name, pid) == 0 {
                    format!("received registration {name} -> {shown} from {from_id}: applied")
                } else {
                    let holder = self.pid(self.cluster.nodes[to].global.get(&name).copied());
                    format!("received registration {name} -> {shown} from {from_id}: dropped, this copy has {holder}")
                };
                self.note(Some(to), text);
            }
            Msg::Unregister { name } => {
                let held = self.cluster.nodes[to].global.remove(&name);
                let text = match held {
                    Some(p) => format!(
                        "received unregistration of {name} from {from_id}: removed (held {})",
                        self.pid(Some(p))
                    ),
                    None => format!("received unregistration of {name} from {from_id}: not in this copy"),
                };
                self.note(Some(to), text);
            }
            Msg::Snapshot(entries) => {
                self.steps += entries.len();
                let (mut merged, mut skipped) = (Vec::new(), Vec::new());
                for (name, pid) in entries {
                    if self.cluster.insert_global(to, &name, pid) == 0 {
                        merged.push(format!("{name} -> {}", self.pid(Some(pid))));
                    } else {
                        skipped.push(name);
                    }
                }
                let list = |v: &[String]| if v.is_empty() { "none".to_owned() } else { v.join(", ") };
                let text = format!(
                    "received snapshot from {from_id}: merged {}; skipped (already here) {}",
                    list(&merged),
                    list(&skipped)
                );
                self.note(Some(to), text);
            }
            Msg::Peers(peers) => {
                let names: Vec<String> = peers.iter().map(|p| self.id(p).to_owned()).collect();
                let list = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
                self.note(Some(to), format!("received peer list from {from_id}: {list}"));
                for p in peers.iter() {
                    if p != to && !self.cluster.connected(to, p) {
                        self.connect(to, p, true);
                    }
                }
            }
        }
    }

    fn request(&mut self, node: NodeId, handler: &str, after: &mut LookupFn) -> Result<(), SimError> {
        let before = super::interp::local_whereis(&self.cluster, node, &self.registry_name);
        let before = self.judge(node, Resolved { pid: before.0, calls: vec![before.1] });
        let resolved = after(&self.cluster, node)?;
        let after = self.judge(node, resolved);
        self.note(
            Some(node),
            format!(
                "request {handler}: before {}, after {}",
                before.outcome.as_str(),
                after.outcome.as_str()
            ),
        );
        self.results.push(RequestResult {
            time: self.now,
            node: self.id(node).to_owned(),
            handler: handler.to_owned(),
            before,
            after,
        });
        Ok(())
    }

    /// The service call `PipelineRegistry.get_pool(reg)` on what the lookup returned, from a handler on `node`.
    fn judge(&self, node: NodeId, resolved: Resolved) -> Lookup {
        let here = self.id(node);
        let shown = self.pid(resolved.pid);
        let (outcome, why) = match resolved.pid {
            None => (
                Outcome::Hang,
                format!(
                    "the lookup returned 0, so PipelineRegistry.get_pool(reg) calls {here}'s main process, \
                     which never replies: the handler hangs"
                ),
            ),
            Some(pid) if pid.node == node => {
                if self.cluster.alive(pid) {
                    (Outcome::Ok, format!("{shown} runs on {here}: a local service call, answered"))
                } else {
                    (
                        Outcome::Hang,
                        format!("{shown} on {here} has exited: the service call never gets a reply"),
                    )
                }
            }
            Some(pid) => {
                let there = self.id(pid.node);
                if !self.remote_calls_work {
                    (
                        Outcome::Crash,
                        format!(
                            "{shown} is on {there}, not {here}: a service call to a remote PID gets no usable \
                             reply, so the runtime crashes the handler"
                        ),
                    )
                } else if self.cluster.alive(pid) && self.cluster.connected(node, pid.node) {
                    (
                        Outcome::OkRemote,
                        format!(
                            "{shown} is on {there}; with remote service calls working (an assumption, not \
                             today's runtime) the call is answered over the session"
                        ),
                    )
                } else {
                    (
                        Outcome::Hang,
                        format!("{shown} is on {there}, which {here} cannot reach or where it has exited: no reply"),
                    )
                }
            }
        };
        Lookup {
            outcome,
            resolved_node: resolved.pid.map(|p| self.id(p.node).to_owned()),
            pid: shown,
            trace: Trace { calls: resolved.calls, why },
        }
    }
}
