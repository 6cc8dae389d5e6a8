//! "Related items": the items that share the most with an item — people,
//! places and tags — best first, then in catalogue order.
//!
//! What is shared is weighed by how rare it is: a list holding a fraction
//! `f` of the catalogue weighs `log2(2 / f)`, so a tag on half the
//! catalogue counts 2, a person named on 1 item in 500 about 10. Two items
//! that share a little-known person say more about each other than two
//! that share a tag half the archive has.
//!
//! The weights also make the search cheap. Counting every member of every
//! shared list is quadratic at archive scale, as a common tag holds a fifth
//! of the catalogue. Instead the item's lists are read heaviest (smallest)
//! first, and each item met is scored exactly from its own memberships (a
//! handful of list numbers). An item not met yet can score at most the
//! weight of the lists still unread; once the top's weakest score beats
//! that, the big, light lists are never read. This is prefix filtering, as
//! in similarity joins, and the result is exactly what scoring every item
//! and sorting would give.

/// Weights are fixed-point base-2 logarithms with this many fractional
/// bits: integers, so the order never depends on floating-point rounding.
const FRACTION_BITS: u32 = 8;

/// Every list (a person's, a place's or a tag's items), each member
/// stored with the lists it is in.
pub struct Related {
    /// How many items each list holds, and what sharing it is worth.
    sizes: Vec<usize>,
    weights: Vec<u32>,
    /// List `l` is `records[record_starts[l]..record_starts[l + 1]]`: for
    /// each member, ascending, the item, how many lists it is in, and
    /// those lists. Reading a list and scoring its members is then one
    /// pass through memory, not a jump per member.
    record_starts: Vec<usize>,
    records: Vec<u32>,
    catalogue: usize,
}

/// Scratch space for [`Related::ranked`], kept between calls (one per
/// thread): which items the current call has met, and what each list is
/// worth to it (zero between calls).
#[derive(Default)]
pub struct Scratch {
    met: Vec<u32>,
    call: u32,
    worth: Vec<u32>,
}

impl Scratch {
    /// Starts a call over `catalogue` items: nothing is met.
    fn start(&mut self, catalogue: usize) -> u32 {
        if self.met.len() < catalogue {
            self.met.resize(catalogue, 0);
        }
        self.call = self.call.wrapping_add(1);
        if self.call == 0 {
            self.met.fill(0);
            self.call = 1;
        }
        self.call
    }
}

impl Related {
    /// `lists` are numbered in the order given; each must be ascending and
    /// without repeats, and hold only items below `catalogue`.
    pub fn new(lists: &[&[usize]], catalogue: usize) -> Related {
        let mut member_starts = vec![0usize; catalogue + 1];
        for list in lists {
            debug_assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "list not a sorted set"
            );
            for &item in *list {
                member_starts[item + 1] += 1;
            }
        }
        for i in 0..catalogue {
            member_starts[i + 1] += member_starts[i];
        }
        let mut next = member_starts.clone();
        let mut member_of = vec![0u32; member_starts[catalogue]];
        // Lists in ascending number, so each item's numbers come out sorted.
        for (number, list) in lists.iter().enumerate() {
            for &item in *list {
                member_of[next[item]] = number as u32;
                next[item] += 1;
            }
        }
        let lists_of = |item: usize| &member_of[member_starts[item]..member_starts[item + 1]];
        let mut record_starts = Vec::with_capacity(lists.len() + 1);
        record_starts.push(0);
        let size: usize = lists
            .iter()
            .flat_map(|list| list.iter())
            .map(|&item| 2 + lists_of(item).len())
            .sum();
        let mut records = Vec::with_capacity(size);
        for list in lists {
            for &item in *list {
                let of = lists_of(item);
                records.push(item as u32);
                records.push(of.len() as u32);
                records.extend_from_slice(of);
            }
            record_starts.push(records.len());
        }
        let whole = log2_fixed(catalogue);
        let weights = lists
            .iter()
            .map(|list| whole.saturating_sub(log2_fixed(list.len())) + (1 << FRACTION_BITS))
            .collect();
        Related {
            sizes: lists.iter().map(|list| list.len()).collect(),
            weights,
            record_starts,
            records,
            catalogue,
        }
    }

    /// The members of list `l` with the lists each is in.
    fn members(&self, l: u32) -> Members<'_> {
        let l = l as usize;
        Members {
            records: &self.records[self.record_starts[l]..self.record_starts[l + 1]],
        }
    }

    /// The first `n` items, excluding `item` itself, by score, highest
    /// first, then by index. An item's score is the weight of the lists
    /// `named` (list numbers, as the item names them: a list named twice
    /// counts twice) that hold it.
    pub fn ranked(
        &self,
        item: usize,
        named: &[u32],
        n: usize,
        scratch: &mut Scratch,
    ) -> Vec<usize> {
        let mut named: Vec<u32> = named.to_vec();
        named.sort_unstable();
        // Distinct lists with what they are worth here, smallest first.
        let mut order: Vec<(u32, u32)> = Vec::with_capacity(named.len());
        for &list in &named {
            let weight = self.weights[list as usize];
            match order.last_mut() {
                Some((last, worth)) if *last == list => *worth += weight,
                _ => order.push((list, weight)),
            }
        }
        let mut order: Vec<(usize, u32, u32)> = order
            .into_iter()
            .map(|(list, worth)| (self.sizes[list as usize], list, worth))
            .collect();
        order.sort_unstable();
        let mut top = Top::new(n);
        if n == 0 {
            return Vec::new();
        }
        let call = scratch.start(self.catalogue);
        let Scratch { met, worth, .. } = scratch;
        met[item] = call;
        if worth.len() < self.weights.len() {
            worth.resize(self.weights.len(), 0);
        }
        for &(_, list, list_worth) in &order {
            worth[list as usize] = list_worth;
        }
        // Offers the members of `list` below `until` not met yet, each
        // scored by the worth of the lists it is in (look-ups in a small
        // table).
        let mut read = |list: u32, until: usize, top: &mut Top| {
            for (other, lists) in self.members(list) {
                if other >= until {
                    break;
                }
                if met[other] != call {
                    met[other] = call;
                    let score = lists.iter().map(|&l| worth[l as usize]).sum();
                    top.offer(score, other);
                }
            }
        };
        // The most an item not met yet can score: the weight of the lists
        // not read yet.
        let mut unread: u32 = order.iter().map(|&(_, _, worth)| worth).sum();
        for (at, &(_, list, list_worth)) in order.iter().enumerate() {
            read(list, usize::MAX, &mut top);
            unread -= list_worth;
            let Some((weakest, weakest_index)) = top.weakest() else {
                continue;
            };
            if weakest > unread {
                break;
            }
            if weakest == unread {
                // Unread items can only tie, and win the tie only with a
                // smaller index; to score that much they are in every
                // unread list, so in the smallest, which comes next.
                if let Some(&(_, next, _)) = order.get(at + 1) {
                    read(next, weakest_index, &mut top);
                }
                break;
            }
        }
        for &(_, list, _) in &order {
            worth[list as usize] = 0;
        }
        top.into_items()
    }
}

/// The members of a list, each with the lists it is in.
struct Members<'r> {
    records: &'r [u32],
}

impl<'r> Iterator for Members<'r> {
    type Item = (usize, &'r [u32]);

    fn next(&mut self) -> Option<Self::Item> {
        let (&item, rest) = self.records.split_first()?;
        let (&count, rest) = rest.split_first()?;
        let (lists, rest) = rest.split_at_checked(count as usize)?;
        self.records = rest;
        Some((item as usize, lists))
    }
}

/// `log2(value)` in fixed point, rounded down; 0 for 0 and 1. Integer
/// steps only: squaring the mantissa doubles its logarithm, so each
/// squaring gives one more fractional bit.
fn log2_fixed(value: usize) -> u32 {
    let value = value.max(1) as u64;
    let whole = 63 - value.leading_zeros();
    // The mantissa, in [1, 2) with 31 fractional bits.
    let mut mantissa = if whole <= 31 {
        value << (31 - whole)
    } else {
        value >> (whole - 31)
    };
    let mut fraction = 0;
    for _ in 0..FRACTION_BITS {
        mantissa = (mantissa * mantissa) >> 31;
        fraction <<= 1;
        if mantissa >= 1 << 32 {
            mantissa >>= 1;
            fraction |= 1;
        }
    }
    (whole << FRACTION_BITS) | fraction
}

/// The best `n` (score, index) pairs offered so far, best first.
struct Top {
    n: usize,
    kept: Vec<(u32, usize)>,
}

impl Top {
    fn new(n: usize) -> Top {
        Top {
            n,
            kept: Vec::with_capacity(n + 1),
        }
    }

    fn offer(&mut self, score: u32, item: usize) {
        let better = |a: (u32, usize), b: (u32, usize)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
        if self.kept.len() == self.n
            && self
                .kept
                .last()
                .is_none_or(|&last| !better((score, item), last))
        {
            return;
        }
        let at = self
            .kept
            .partition_point(|&kept| better(kept, (score, item)));
        self.kept.insert(at, (score, item));
        self.kept.truncate(self.n);
    }

    /// The weakest (score, index) kept, once the top is full.
    fn weakest(&self) -> Option<(u32, usize)> {
        if self.kept.len() == self.n {
            self.kept.last().copied()
        } else {
            None
        }
    }

    fn into_items(self) -> Vec<usize> {
        self.kept.into_iter().map(|(_, item)| item).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Score everything, sort everything.
    fn brute_force(
        item: usize,
        lists: &[Vec<usize>],
        named: &[u32],
        n: usize,
        size: usize,
    ) -> Vec<usize> {
        let mut scores = std::collections::BTreeMap::new();
        for &list in named {
            let list = &lists[list as usize];
            let weight = log2_fixed(size) - log2_fixed(list.len()) + 256;
            for &other in list {
                if other != item {
                    *scores.entry(other).or_insert(0u32) += weight;
                }
            }
        }
        let mut all: Vec<(u32, usize)> = scores.into_iter().map(|(i, s)| (s, i)).collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(n).map(|(_, i)| i).collect()
    }

    /// Whether the scratch space is as a call must leave it.
    fn clean(scratch: &Scratch) -> bool {
        scratch.worth.iter().all(|&w| w == 0) && scratch.met.iter().all(|&m| m <= scratch.call)
    }

    fn check(item: usize, lists: &[Vec<usize>], named: &[u32], n: usize, size: usize) {
        let related = Related::new(&lists.iter().map(Vec::as_slice).collect::<Vec<_>>(), size);
        let mut scratch = Scratch::default();
        // Twice with the same scratch: a second call must not see the first's marks.
        for _ in 0..2 {
            let got = related.ranked(item, named, n, &mut scratch);
            assert_eq!(got, brute_force(item, lists, named, n, size));
            assert!(clean(&scratch), "scratch left dirty");
        }
    }

    #[test]
    fn logarithms_are_exact_at_powers_of_two_and_rise_between() {
        assert_eq!(log2_fixed(0), 0);
        assert_eq!(log2_fixed(1), 0);
        assert_eq!(log2_fixed(2), 256);
        assert_eq!(log2_fixed(1 << 20), 20 * 256);
        // log2(3) = 1.585 -> 1 + 149/256 (rounded down).
        assert_eq!(log2_fixed(3), 256 + 149);
        assert_eq!(log2_fixed(usize::MAX), 63 * 256 + 255);
        let mut last = 0;
        for v in 1..5000 {
            let l = log2_fixed(v);
            assert!(l >= last);
            last = l;
        }
    }

    #[test]
    fn rare_lists_outweigh_common_ones() {
        // Item 0 shares a two-item person with 7, and a tag on everything
        // and a tag on half the catalogue with 1.
        let lists: [Vec<usize>; 3] = [vec![0, 7], (0..16).collect(), (0..8).collect()];
        let related = Related::new(&lists.iter().map(Vec::as_slice).collect::<Vec<_>>(), 16);
        let mut scratch = Scratch::default();
        assert_eq!(related.ranked(0, &[0, 1, 2], 2, &mut scratch), vec![7, 1]);
    }

    #[test]
    fn people_places_and_tags_add_up() {
        // Item 0 shares a person with 5, a place with 5 and 9, and tags
        // with everything.
        let lists = vec![
            vec![0, 5],
            vec![0, 5, 9],
            (0..20).collect(),
            vec![0, 3, 9, 12],
        ];
        check(0, &lists, &[0, 1, 2, 3], 6, 20);
        check(0, &lists, &[2, 3], 6, 20);
        check(0, &lists, &[0, 1], 6, 20);
        check(3, &lists, &[2, 3], 0, 20);
        // A list named twice counts twice.
        check(0, &lists, &[3, 2, 3], 4, 20);
    }

    #[test]
    fn ties_with_unread_lists_go_to_the_smaller_index() {
        // Lists 0 and 2 weigh the same. After list 0, 7 and 9 score as much
        // as an unread item in lists 1 and 2 can: 2 and 4 are such items,
        // and win the tie by index.
        let lists = vec![vec![0, 7, 9], (0..30).collect(), vec![0, 2, 4]];
        check(0, &lists, &[0, 1, 2], 2, 30);
        let related = Related::new(&lists.iter().map(Vec::as_slice).collect::<Vec<_>>(), 30);
        let mut scratch = Scratch::default();
        assert_eq!(related.ranked(0, &[0, 1, 2], 2, &mut scratch), vec![2, 4]);
        check(0, &lists, &[0, 1, 2], 5, 30);
    }

    proptest! {
        #[test]
        fn equals_counting_everything(
            size in 1usize..60,
            item_seed in 0usize..60,
            lists in proptest::collection::vec(proptest::collection::btree_set(0usize..60, 0..40), 1..8),
            named_seeds in proptest::collection::vec(0usize..16, 0..10),
            n in 0usize..8,
        ) {
            let item = item_seed % size;
            let lists: Vec<Vec<usize>> = lists
                .into_iter()
                .map(|s| s.into_iter().filter(|&x| x < size).collect())
                .collect();
            // Any lists, some named twice.
            let named: Vec<u32> = named_seeds.iter().map(|&s| (s % lists.len()) as u32).collect();
            check(item, &lists, &named, n, size);
            // Two items in turn on one scratch: each call must leave nothing
            // behind that changes the other's result.
            let other_item = (item + 1) % size;
            let other_named: Vec<u32> = named.iter().rev().skip(1).copied().collect();
            let related = Related::new(&lists.iter().map(Vec::as_slice).collect::<Vec<_>>(), size);
            let mut scratch = Scratch::default();
            for _ in 0..2 {
                for (item, named) in [(item, &named), (other_item, &other_named)] {
                    let got = related.ranked(item, named, n, &mut scratch);
                    prop_assert_eq!(got, brute_force(item, &lists, named, n, size));
                    prop_assert!(clean(&scratch));
                }
            }
        }
    }
}
