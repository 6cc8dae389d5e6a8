//! "Related items": the items that share the most with an item — people,
//! places and tags — best first, then in catalogue order.
//!
//! What is shared is weighed by how rare it is: a list holding a fraction
//! `f` of the catalogue weighs `log2(2 / f)`, so a tag on half the
//! catalogue counts 2, a person named on 1 item in 500 about 10. Two items
//! that share a little-known person say more about each other than two
//! that share a tag half the archive has.
//!
//! Counting every member of every shared list is quadratic at archive
//! scale, as a common tag holds a fifth of the catalogue. Two things keep
//! the search small, and the result is exactly what scoring every item and
//! sorting would give:
//!
//! - The item's lists are read heaviest (smallest) first. An item not met
//!   yet can score at most the weight of the lists still unread; once the
//!   top's weakest score beats that, the big, light lists are never read
//!   (prefix filtering, as in similarity joins).
//! - Reading a list, its members that are in none of the item's later
//!   lists score the same, the list's weight, so only the first few by
//!   index can enter the top. The others are found in the list's overlaps
//!   with each later list, made once per build: every two lists an item is
//!   in hold it once together, so while items name a handful of people,
//!   places and tags each, the overlaps grow with the catalogue, not with
//!   its square.

use rayon::prelude::*;

use crate::site::Site;

/// The related items of a site's items: its people's, places' and tags'
/// lists with their overlaps, made once per version of the site.
pub struct SiteRelated {
    related: Related,
    /// List numbers: people from 0, places from `places_from`, tags from
    /// `tags_from` (by position in the site's lists).
    places_from: usize,
    tags_from: usize,
}

impl SiteRelated {
    pub fn new(site: &Site) -> SiteRelated {
        let lists: Vec<&[usize]> = site
            .person_items
            .iter()
            .chain(&site.place_items)
            .map(Vec::as_slice)
            .chain(site.tags.iter().map(|tag| tag.items.as_slice()))
            .collect();
        SiteRelated {
            related: Related::new(&lists, site.items.len()),
            places_from: site.people.len(),
            tags_from: site.people.len() + site.places.len(),
        }
    }

    /// Item `i`'s first `n` related items (indexes into `site.items`),
    /// best first.
    pub fn rank(&self, site: &Site, i: usize, n: usize, scratch: &mut Scratch) -> Box<[u32]> {
        let Some(item) = site.items.get(i) else {
            return Box::default();
        };
        let people = item
            .people
            .iter()
            .filter_map(|p| site.person_position(&p.value));
        let places = item
            .places
            .iter()
            .filter_map(|p| site.place_position(&p.value))
            .map(|p| self.places_from + p);
        let tags = item
            .tags
            .iter()
            .filter_map(|tag| site.tag_position(&tag.value))
            .map(|t| self.tags_from + t);
        let named: Vec<u32> = people.chain(places).chain(tags).map(|l| l as u32).collect();
        self.related
            .ranked(i, &named, n, scratch)
            .into_iter()
            .map(|other| other as u32)
            .collect()
    }

    /// Every item's, ranked in one parallel pass. Ranked one item page at a
    /// time, between renders, the lists and overlaps were read back from
    /// memory each time, at twice the cost. Not to be called from a page
    /// rendered on the rayon pool: a thread waiting for its share could
    /// take another page that waits for this.
    pub fn rank_all(&self, site: &Site, n: usize) -> Vec<Box<[u32]>> {
        (0..site.items.len())
            .into_par_iter()
            .map_init(Scratch::default, |scratch, i| {
                self.rank(site, i, n, scratch)
            })
            .collect()
    }
}

/// Weights are fixed-point base-2 logarithms with this many fractional
/// bits: integers, so the order never depends on floating-point rounding.
const FRACTION_BITS: u32 = 8;

/// Every list (a person's, a place's or a tag's items), and what each
/// shares with the lists read after it.
struct Related {
    /// What sharing each list is worth.
    weights: Vec<u32>,
    /// List `l` is `members[member_starts[l]..member_starts[l + 1]]`,
    /// ascending.
    member_starts: Vec<usize>,
    members: Vec<u32>,
    /// Where each list comes in the order lists are read: smallest first,
    /// then by number.
    read_at: Vec<usize>,
    /// The overlaps of list `l` with the lists read after it are numbered
    /// `overlap_starts[l]..overlap_starts[l + 1]`, by the later list's
    /// number; overlap `o` is with list `overlap_lists[o]` and holds
    /// `shared[shared_starts[o]..shared_starts[o + 1]]`, ascending.
    overlap_starts: Vec<usize>,
    overlap_lists: Vec<u32>,
    shared_starts: Vec<usize>,
    shared: Vec<u32>,
    catalogue: usize,
}

/// Scratch space for `Related::ranked`, kept between calls on one
/// thread: what each item gains from the later lists it is in, while a
/// list is read (zero between reads), and which items have gained.
#[derive(Default)]
pub struct Scratch {
    gained: Vec<u32>,
    touched: Vec<u32>,
}

impl Related {
    /// `lists` are numbered in the order given; each must be ascending and
    /// without repeats, and hold only items below `catalogue`.
    fn new(lists: &[&[usize]], catalogue: usize) -> Related {
        let mut member_starts = Vec::with_capacity(lists.len() + 1);
        member_starts.push(0);
        let mut members = Vec::with_capacity(lists.iter().map(|list| list.len()).sum());
        let mut lists_of_starts = vec![0usize; catalogue + 1];
        for list in lists {
            debug_assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "list not a sorted set"
            );
            members.extend(list.iter().map(|&item| item as u32));
            member_starts.push(members.len());
            for &item in *list {
                lists_of_starts[item + 1] += 1;
            }
        }
        for i in 0..catalogue {
            lists_of_starts[i + 1] += lists_of_starts[i];
        }
        let mut next = lists_of_starts.clone();
        let mut lists_of = vec![0u32; lists_of_starts[catalogue]];
        for (number, list) in lists.iter().enumerate() {
            for &item in *list {
                lists_of[next[item]] = number as u32;
                next[item] += 1;
            }
        }
        let mut reading_order: Vec<usize> = (0..lists.len()).collect();
        reading_order.sort_unstable_by_key(|&l| (lists[l].len(), l));
        let mut read_at = vec![0usize; lists.len()];
        for (at, &l) in reading_order.iter().enumerate() {
            read_at[l] = at;
        }
        let mut overlap_starts = Vec::with_capacity(lists.len() + 1);
        overlap_starts.push(0);
        let mut overlap_lists = Vec::new();
        let mut shared_starts = vec![0];
        let mut shared = Vec::new();
        // (later list, item) for the members of one list.
        let mut pending: Vec<(u32, u32)> = Vec::new();
        for (l, list) in lists.iter().enumerate() {
            pending.clear();
            for &item in *list {
                pending.extend(
                    lists_of[lists_of_starts[item]..lists_of_starts[item + 1]]
                        .iter()
                        .filter(|&&later| read_at[later as usize] > read_at[l])
                        .map(|&later| (later, item as u32)),
                );
            }
            pending.sort_unstable();
            for overlap in pending.chunk_by(|a, b| a.0 == b.0) {
                overlap_lists.push(overlap[0].0);
                shared.extend(overlap.iter().map(|&(_, item)| item));
                shared_starts.push(shared.len());
            }
            overlap_starts.push(overlap_lists.len());
        }
        let whole = log2_fixed(catalogue);
        let weights = lists
            .iter()
            .map(|list| whole.saturating_sub(log2_fixed(list.len())) + (1 << FRACTION_BITS))
            .collect();
        Related {
            weights,
            member_starts,
            members,
            read_at,
            overlap_starts,
            overlap_lists,
            shared_starts,
            shared,
            catalogue,
        }
    }

    fn members(&self, list: u32) -> &[u32] {
        let list = list as usize;
        &self.members[self.member_starts[list]..self.member_starts[list + 1]]
    }

    /// The items in both `list` and `later`, a list read after it.
    fn shared(&self, list: u32, later: u32) -> &[u32] {
        let list = list as usize;
        let from = self.overlap_starts[list];
        let lists = &self.overlap_lists[from..self.overlap_starts[list + 1]];
        match lists.binary_search(&later) {
            Ok(at) => {
                &self.shared[self.shared_starts[from + at]..self.shared_starts[from + at + 1]]
            }
            Err(_) => &[],
        }
    }

    /// The first `n` items, excluding `item` itself, by score, highest
    /// first, then by index. An item's score is the weight of the lists
    /// `named` (list numbers, as the item names them: a list named twice
    /// counts twice) that hold it.
    fn ranked(&self, item: usize, named: &[u32], n: usize, scratch: &mut Scratch) -> Vec<usize> {
        if n == 0 {
            return Vec::new();
        }
        let mut named: Vec<u32> = named.to_vec();
        named.sort_unstable();
        // Distinct lists with what they are worth here, in reading order.
        let mut order: Vec<(usize, u32, u32)> = Vec::with_capacity(named.len());
        for &list in &named {
            let weight = self.weights[list as usize];
            match order.last_mut() {
                Some((_, last, worth)) if *last == list => *worth += weight,
                _ => order.push((self.read_at[list as usize], list, weight)),
            }
        }
        order.sort_unstable();
        let mut top = Top::new(n, item);
        let Scratch { gained, touched } = scratch;
        if gained.len() < self.catalogue {
            gained.resize(self.catalogue, 0);
        }
        // The most an item not met yet can score: the weight of the lists
        // not read yet.
        let mut unread: u32 = order.iter().map(|&(_, _, worth)| worth).sum();
        for (at, &(_, list, list_worth)) in order.iter().enumerate() {
            // Members in later lists, each scored by the worth of `list`
            // and of those lists. A member of a list read before was
            // scored in full there, and scores less now: it cannot
            // displace anything, and at most meets itself in the top,
            // which `offer` ignores.
            for &(_, later, later_worth) in &order[at + 1..] {
                for &other in self.shared(list, later) {
                    let gain = &mut gained[other as usize];
                    if *gain == 0 {
                        touched.push(other);
                    }
                    *gain += later_worth;
                }
            }
            for &other in touched.iter() {
                let gain = std::mem::take(&mut gained[other as usize]);
                top.offer(list_worth + gain, other as usize);
            }
            touched.clear();
            // The other members score the list's worth alone, so in index
            // order the first the top turns away ends the list: all after
            // it score the same with a higher index. Members scored above
            // are offered again, lower, which changes nothing.
            for &other in self.members(list) {
                if top.offer(list_worth, other as usize) == Offer::TooWeak {
                    break;
                }
            }
            unread -= list_worth;
            if top.weakest().is_some_and(|weakest| weakest > unread) {
                break;
            }
        }
        top.into_items()
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

/// What [`Top::offer`] did with an item.
#[derive(Debug, PartialEq, Eq)]
enum Offer {
    Kept,
    /// Already kept, or the item left out.
    Ignored,
    /// Not better than the weakest of a full top.
    TooWeak,
}

/// The best `n` (score, index) pairs offered so far, best first, leaving
/// out one item (the one whose related items these are).
struct Top {
    n: usize,
    excluded: usize,
    kept: Vec<(u32, usize)>,
}

impl Top {
    fn new(n: usize, excluded: usize) -> Top {
        Top {
            n,
            excluded,
            kept: Vec::with_capacity(n + 1),
        }
    }

    /// Keeps `item` if it is among the best `n` so far. An item offered
    /// again, with a lower score, is ignored.
    #[inline]
    fn offer(&mut self, score: u32, item: usize) -> Offer {
        let better = |a: (u32, usize), b: (u32, usize)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
        if self.kept.len() == self.n
            && self
                .kept
                .last()
                .is_none_or(|&last| !better((score, item), last))
        {
            return Offer::TooWeak;
        }
        if item == self.excluded || self.kept.iter().any(|&(_, kept)| kept == item) {
            return Offer::Ignored;
        }
        let at = self
            .kept
            .partition_point(|&kept| better(kept, (score, item)));
        self.kept.insert(at, (score, item));
        self.kept.truncate(self.n);
        Offer::Kept
    }

    /// The weakest score kept, once the top is full.
    fn weakest(&self) -> Option<u32> {
        if self.kept.len() == self.n {
            self.kept.last().map(|&(score, _)| score)
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
        scratch.gained.iter().all(|&g| g == 0) && scratch.touched.is_empty()
    }

    fn check(item: usize, lists: &[Vec<usize>], named: &[u32], n: usize, size: usize) {
        let related = Related::new(&lists.iter().map(Vec::as_slice).collect::<Vec<_>>(), size);
        let mut scratch = Scratch::default();
        // Twice with the same scratch: a second call must not see the first's gains.
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
