//! The cluster's state: nodes, their processes, their local registries and their global-registry copies.
//! Pure state changes only; time, messages and delays live in `engine`.

use super::nodeset::NodeSet;
use serde::Serialize;
use std::collections::BTreeMap;

/// Index of a node in the scenario's declaration order.
pub type NodeId = usize;

/// A process identifier. Serials never repeat on a node, even across restarts, so a stale PID never
/// names a new process. Raw PID 0 (the node's main process, also "not found") is `None` where a PID may be 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pid {
    pub node: NodeId,
    pub serial: u32,
}

#[derive(Clone, Debug)]
pub struct Node {
    /// The scenario's short name (`a`).
    pub id: String,
    /// What `Node.self()` returns once started (`a@sim`).
    pub full_name: String,
    pub up: bool,
    /// `Node.start` was called: the node is distributed.
    pub started: bool,
    /// Bumped by every restart; messages addressed to an older incarnation are dropped.
    pub incarnation: u32,
    /// Live processes by serial, with their scenario labels.
    pub processes: BTreeMap<u32, String>,
    pub next_serial: u32,
    pub local: BTreeMap<String, Pid>,
    /// This node's copy of the global registry; the owner of an entry is its PID's node.
    pub global: BTreeMap<String, Pid>,
    /// Nodes this one has a session with.
    pub peers: NodeSet,
}

impl Node {
    pub fn new(id: &str, full_name: &str) -> Node {
        Node {
            id: id.to_owned(),
            full_name: full_name.to_owned(),
            up: true,
            started: false,
            incarnation: 0,
            processes: BTreeMap::new(),
            next_serial: 1,
            local: BTreeMap::new(),
            global: BTreeMap::new(),
            peers: NodeSet::default(),
        }
    }

    /// `Node.self()`: the full name, or `""` when never started.
    pub fn self_name(&self) -> &str {
        if self.started {
            &self.full_name
        } else {
            ""
        }
    }

    /// The live process with this label.
    pub fn process(&self, label: &str) -> Option<u32> {
        self.processes.iter().find(|(_, l)| l.as_str() == label).map(|(s, _)| *s)
    }

    /// Forgets everything a running node holds (crash); the node keeps its name and serial counter.
    fn wipe(&mut self) {
        self.started = false;
        self.processes.clear();
        self.local.clear();
        self.global.clear();
        self.peers = NodeSet::default();
    }
}

/// The whole cluster: nodes plus the network's cut links.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub nodes: Vec<Node>,
    /// Per node, the nodes it cannot reach (a partition); symmetric.
    pub cut: Vec<NodeSet>,
}

impl Cluster {
    pub fn new(nodes: Vec<Node>) -> Cluster {
        let cut = vec![NodeSet::default(); nodes.len()];
        Cluster { nodes, cut }
    }

    pub fn reachable(&self, a: NodeId, b: NodeId) -> bool {
        !self.cut[a].contains(b)
    }

    pub fn connected(&self, a: NodeId, b: NodeId) -> bool {
        self.nodes[a].peers.contains(b)
    }

    /// `<a.1>`: the node's short name and the serial.
    pub fn show_pid(&self, pid: Option<Pid>) -> String {
        match pid {
            None => "0".to_owned(),
            Some(p) => format!("<{}.{}>", self.nodes[p.node].id, p.serial),
        }
    }

    pub fn alive(&self, pid: Pid) -> bool {
        let node = &self.nodes[pid.node];
        node.up && node.processes.contains_key(&pid.serial)
    }

    pub fn spawn(&mut self, node: NodeId, label: &str) -> Pid {
        let n = &mut self.nodes[node];
        let serial = n.next_serial;
        n.next_serial += 1;
        n.processes.insert(serial, label.to_owned());
        Pid { node, serial }
    }

    /// `Process.register`: 0 on success, 1 if the name is taken (first wins, no overwrite).
    pub fn register_local(&mut self, node: NodeId, name: &str, pid: Pid) -> i64 {
        let table = &mut self.nodes[node].local;
        if table.contains_key(name) {
            return 1;
        }
        table.insert(name.to_owned(), pid);
        0
    }

    /// Inserts into one node's global copy (a local `Global.register` or a received registration):
    /// 0 if applied, 1 if that copy already has the name.
    pub fn insert_global(&mut self, node: NodeId, name: &str, pid: Pid) -> i64 {
        let copy = &mut self.nodes[node].global;
        if copy.contains_key(name) {
            return 1;
        }
        copy.insert(name.to_owned(), pid);
        0
    }

    /// A process exits: its local names go; the global names it owns leave its node's copy.
    /// Returns those global names (the caller broadcasts their unregistration).
    pub fn exit(&mut self, pid: Pid) -> Vec<String> {
        let node = &mut self.nodes[pid.node];
        node.processes.remove(&pid.serial);
        node.local.retain(|_, p| *p != pid);
        let owned: Vec<String> =
            node.global.iter().filter(|(_, p)| **p == pid).map(|(n, _)| n.clone()).collect();
        for name in &owned {
            node.global.remove(name);
        }
        owned
    }

    /// Forms a session between two nodes (both sides at once).
    pub fn link(&mut self, a: NodeId, b: NodeId) {
        self.nodes[a].peers.insert(b);
        self.nodes[b].peers.insert(a);
    }

    pub fn unlink(&mut self, a: NodeId, b: NodeId) -> bool {
        let had = self.nodes[a].peers.remove(b);
        self.nodes[b].peers.remove(a);
        had
    }

    /// A node crashes: its state is gone and every session it had is closed. Returns its former peers.
    pub fn down(&mut self, node: NodeId) -> Vec<NodeId> {
        let peers: Vec<NodeId> = self.nodes[node].peers.iter().collect();
        for &p in &peers {
            self.nodes[p].peers.remove(node);
        }
        let n = &mut self.nodes[node];
        n.wipe();
        n.up = false;
        peers
    }

    /// A downed node boots again: fresh, standalone, no processes.
    pub fn up(&mut self, node: NodeId) {
        let n = &mut self.nodes[node];
        n.wipe();
        n.up = true;
        n.incarnation += 1;
    }

    /// A survivor learns `lost` went away: it drops every name in its copy owned by that node.
    pub fn drop_names_of(&mut self, survivor: NodeId, lost: NodeId) -> Vec<String> {
        let copy = &mut self.nodes[survivor].global;
        let dropped: Vec<String> =
            copy.iter().filter(|(_, p)| p.node == lost).map(|(n, _)| n.clone()).collect();
        for name in &dropped {
            copy.remove(name);
        }
        dropped
    }

    /// Cuts every link between a node of `left` and a node of `right` (disjoint sets).
    pub fn cut_between(&mut self, left: NodeSet, right: NodeSet) {
        for a in left.iter() {
            self.cut[a] = self.cut[a].union(right);
        }
        for b in right.iter() {
            self.cut[b] = self.cut[b].union(left);
        }
    }

    pub fn heal(&mut self) {
        self.cut.fill(NodeSet::default());
    }

    /// What a page shows on a node card at this moment.
    pub fn view(&self) -> Vec<NodeView> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeView {
                node: n.id.clone(),
                up: n.up,
                self_name: n.self_name().to_owned(),
                peers: n.peers.iter().map(|p| self.nodes[p].id.clone()).collect(),
                processes: crate::order::map(
                    n.processes.iter().map(|(s, l)| (self.show_pid(Some(Pid { node: i, serial: *s })), l.clone())),
                ),
                local: self.show_table(&n.local),
                global: self.show_table(&n.global),
            })
            .collect()
    }

    /// A registry table as `name → <pid>` text, for traces.
    pub fn show_table(&self, table: &BTreeMap<String, Pid>) -> BTreeMap<String, String> {
        crate::order::map(table.iter().map(|(k, p)| (k.clone(), self.show_pid(Some(*p)))))
    }
}

/// One node's state, as text, for node cards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeView {
    pub node: String,
    pub up: bool,
    pub self_name: String,
    pub peers: Vec<String>,
    /// PID → process label.
    pub processes: BTreeMap<String, String>,
    pub local: BTreeMap<String, String>,
    pub global: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two() -> Cluster {
        Cluster::new(vec![Node::new("a", "a@sim"), Node::new("b", "b@sim")])
    }

    #[test]
    fn local_register_first_wins_and_exit_removes() {
        let mut c = two();
        let p1 = c.spawn(0, "one");
        let p2 = c.spawn(0, "two");
        assert_eq!(c.register_local(0, "r", p1), 0);
        assert_eq!(c.register_local(0, "r", p2), 1);
        assert_eq!(c.nodes[0].local["r"], p1);
        assert!(c.nodes[1].local.is_empty(), "never visible on other nodes");
        c.exit(p1);
        assert!(c.nodes[0].local.is_empty());
        assert_eq!(c.register_local(0, "r", p2), 0);
    }

    #[test]
    fn global_copy_first_writer_wins_per_copy() {
        let mut c = two();
        let pa = c.spawn(0, "reg");
        let pb = c.spawn(1, "reg");
        assert_eq!(c.insert_global(0, "g", pa), 0);
        assert_eq!(c.insert_global(1, "g", pb), 0);
        assert_eq!(c.insert_global(1, "g", pa), 1, "b's copy already has g");
        assert_eq!(c.show_pid(Some(c.nodes[1].global["g"])), "<b.1>");
    }

    #[test]
    fn exit_returns_owned_global_names() {
        let mut c = two();
        let pa = c.spawn(0, "reg");
        c.insert_global(0, "g", pa);
        c.insert_global(0, "g@a", pa);
        assert_eq!(c.exit(pa), vec!["g".to_owned(), "g@a".to_owned()]);
        assert!(c.nodes[0].global.is_empty());
    }

    #[test]
    fn self_name_is_empty_until_started() {
        let mut c = two();
        assert_eq!(c.nodes[0].self_name(), "");
        c.nodes[0].started = true;
        assert_eq!(c.nodes[0].self_name(), "a@sim");
    }

    #[test]
    fn down_closes_sessions_and_up_is_fresh() {
        let mut c = two();
        c.nodes[0].started = true;
        c.link(0, 1);
        let p = c.spawn(0, "reg");
        c.insert_global(1, "g", p);
        assert_eq!(c.down(0), vec![1]);
        assert!(c.nodes[1].peers.is_empty());
        assert!(!c.alive(p));
        assert_eq!(c.drop_names_of(1, 0), vec!["g".to_owned()]);
        c.up(0);
        assert_eq!(c.nodes[0].incarnation, 1);
        assert_eq!(c.spawn(0, "reg").serial, 2, "serials never repeat");
    }
}
