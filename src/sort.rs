//! One slice sort for the whole crate, to keep the Wasm module small.
//!
//! std's sorts are monomorphised per element type and per comparator closure: each `sort_by` call site
//! brought its own copy of driftsort or ipnsort (3-9 KB of Wasm each, ~58 KB raw in all). Here every sort goes
//! through one instantiation: a stable sort of indices under a `dyn` comparator, then the permutation is
//! applied in place by swaps. The result is exactly the one of std's stable `sort_by`; where a call site used
//! `sort_unstable` on values whose equal elements cannot be told apart (integers, tuples of them, `&str`),
//! the stable order is one of the orders the unstable sort may give, so the outcome is the same. The cost is an
//! index vector and an indirect call per comparison, nothing against the work around the sorts (the largest is
//! a page's matches, about 1,300 for a 100 KB page).

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, as `<[T]>::sort_by` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(&mut order, &mut |a, b| v.swap(a, b));
}

/// Sorts `v` stably by the key `f` gives each element, as `<[T]>::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` in ascending order (stably, so also as `sort_unstable` would for values whose equal elements are
/// indistinguishable).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The one instantiation of std's sort: indices ordered by `cmp` over the elements they stand for.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Moves the element at `order[k]` to position `k` for every `k`, following the permutation's cycles with
/// `swap`; leaves `order` as the identity.
#[inline(never)]
fn permute(order: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the test needs no crate.
    fn values(n: usize, seed: u64, range: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % range
            })
            .collect()
    }

    #[test]
    fn same_order_as_std_stable_sort() {
        for (n, range) in [(0, 1), (1, 5), (2, 2), (7, 3), (33, 10), (100, 4), (1000, 50), (5000, 1_000_000)] {
            // (key, original position): equal keys must keep their order.
            let items: Vec<(u64, usize)> = values(n, n as u64 + 1, range).into_iter().zip(0..).collect();
            let mut ours = items.clone();
            let mut std_ = items.clone();
            sort_by_key(&mut ours, |e| e.0);
            std_.sort_by_key(|e| e.0);
            assert_eq!(ours, std_, "n {n}");
            let mut desc = items.clone();
            sort_by(&mut desc, |a, b| b.0.cmp(&a.0));
            std_ = items;
            std_.sort_by_key(|b| std::cmp::Reverse(b.0));
            assert_eq!(desc, std_, "n {n} descending");
        }
    }

    #[test]
    fn ascending_like_sort_unstable() {
        let mut ours = values(777, 9, 40);
        let mut std_ = ours.clone();
        sort(&mut ours);
        std_.sort_unstable();
        assert_eq!(ours, std_);
        let mut words = vec!["pay", "visa", "ad", "pay", "Visa", ""];
        sort(&mut words);
        assert_eq!(words, ["", "Visa", "ad", "pay", "pay", "visa"]);
    }

    #[test]
    fn moves_owned_values_without_losing_any() {
        let mut v: Vec<String> = values(300, 3, 20).iter().enumerate().map(|(i, k)| format!("{k:02}-{i:03}")).collect();
        let mut std_ = v.clone();
        sort_by_key(&mut v, |s| s[..2].to_string());
        std_.sort_by_key(|s| s[..2].to_string());
        assert_eq!(v, std_);
    }
}
