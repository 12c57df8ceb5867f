//! Stable sorts for the engine and the page. Natively they are std's. In wasm, every element type and
//! comparison instantiates std's sort anew (about 4 KB each; 17 of them were 66 KB, 17 KB gzipped), so
//! there every sort orders indices with one instantiation and then moves the items into place.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts `items` by `cmp`, keeping equal items in their order.
pub fn sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    sort_by_indices(items, &cmp);
    #[cfg(not(target_arch = "wasm32"))]
    items.sort_by(cmp);
}

/// Sorts `items` by `key`, keeping equal items in their order.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items`, keeping equal items in their order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// `pairs` as a map, inserted one by one (a later pair's value wins, as with `collect`): collecting
/// into a `BTreeMap` sorts the pairs first, one more instantiation of std's sort per key and value type.
pub fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// The wasm sort: public so the native tests hold it to std's.
pub fn sort_by_indices<T>(items: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_order(&mut order, &|a, b| cmp(&items[a], &items[b]));
    // Slot `i` takes the item at `order[i]`: one cycle at a time, a done slot marked `usize::MAX`.
    for start in 0..order.len() {
        let mut slot = start;
        while order[slot] != usize::MAX {
            let from = std::mem::replace(&mut order[slot], usize::MAX);
            if from == start {
                break;
            }
            items.swap(slot, from);
            slot = from;
        }
    }
}

/// The one instantiation of std's sort behind every `sort_by_indices`.
#[inline(never)]
fn sort_order(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_sort_is_std_stable_sort() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..5_000 {
            let len = rng.usize(0..40);
            // (key, tag): few distinct keys, so stability shows in the tags' order.
            let items: Vec<(u8, usize)> = (0..len).map(|i| (rng.u8(0..6), i)).collect();
            let (mut ours, mut std) = (items.clone(), items);
            sort_by_indices(&mut ours, &|a, b| a.0.cmp(&b.0));
            std.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(ours, std);
        }
    }

    #[test]
    fn maps_are_what_collect_makes() {
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(map(pairs).into_iter().collect::<Vec<_>>(), [("a", 5), ("b", 3), ("c", 4)]);
    }

    #[test]
    fn strings_sort_by_key_and_in_full() {
        let mut paths = vec!["b/x.mpl", "a.mpl", "b/a.mpl", "a.mpl"];
        sort_by_key(&mut paths, |p| p.len());
        assert_eq!(paths, ["a.mpl", "a.mpl", "b/x.mpl", "b/a.mpl"]);
        sort(&mut paths);
        assert_eq!(paths, ["a.mpl", "a.mpl", "b/a.mpl", "b/x.mpl"]);
        let mut texts: Vec<String> = ["c", "a", "b"].map(String::from).into();
        sort_by_indices(&mut texts, &|a, b| b.cmp(a));
        assert_eq!(texts, ["c", "b", "a"]);
    }
}
