//! A set of nodes as one 64-bit word: membership, insertion and intersection in O(1), iteration in
//! node order. Sessions, cut links and peer lists are such sets, so a partition costs O(nodes)
//! rather than O(pairs), and a peer list is copied in O(1). Scenarios have at most `CAPACITY` nodes.

use super::model::NodeId;

/// How many nodes a set can hold (`scenario::MAX_NODES`).
pub const CAPACITY: usize = 64;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeSet(u64);

impl NodeSet {
    pub fn of(nodes: &[NodeId]) -> NodeSet {
        let mut set = NodeSet::default();
        for &n in nodes {
            set.insert(n);
        }
        set
    }

    fn bit(node: NodeId) -> u64 {
        assert!(node < CAPACITY, "node {node} is past the simulator's {CAPACITY} nodes");
        1 << node
    }

    pub fn contains(self, node: NodeId) -> bool {
        node < CAPACITY && self.0 & (1 << node) != 0
    }

    /// Adds `node`; whether it was new.
    pub fn insert(&mut self, node: NodeId) -> bool {
        let had = self.contains(node);
        self.0 |= NodeSet::bit(node);
        !had
    }

    /// Removes `node`; whether it was there.
    pub fn remove(&mut self, node: NodeId) -> bool {
        let had = self.contains(node);
        self.0 &= !NodeSet::bit(node);
        had
    }

    pub fn union(self, other: NodeSet) -> NodeSet {
        NodeSet(self.0 | other.0)
    }

    pub fn intersection(self, other: NodeSet) -> NodeSet {
        NodeSet(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The nodes in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            if rest == 0 {
                return None;
            }
            let node = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            Some(node)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_the_first_and_last_node_and_iterate_in_order() {
        let mut s = NodeSet::of(&[63, 0, 5]);
        assert!(!s.insert(5) && s.insert(7));
        assert!(s.remove(0) && !s.remove(0));
        assert_eq!(s.iter().collect::<Vec<_>>(), [5, 7, 63]);
        assert_eq!((s.len(), s.contains(64)), (3, false));
        assert_eq!(s.intersection(NodeSet::of(&[7, 8])).iter().collect::<Vec<_>>(), [7]);
        assert_eq!(s.union(NodeSet::of(&[1])).len(), 4);
        assert!(NodeSet::default().is_empty());
    }
}
