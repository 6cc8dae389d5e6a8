//! "Related items": the items that share the most people, places and tags
//! with an item, most shared first, then in catalogue order.
//!
//! Counting every item of every shared list is quadratic at archive scale:
//! a common tag holds a fifth of the catalogue, so on 50,000 items that is
//! billions of increments. People and places hold a few dozen items each
//! and are counted in full; tag lists (sorted by item index) are counted
//! block by block in index order, and the count stops as soon as no item
//! further on can enter the top: an item met later has a larger index and
//! at most as many shared tags as the item has tags. The result is exactly what
//! counting everything and sorting would give.

/// Items of the tag lists counted between two checks of whether the top
/// is settled: counting in blocks keeps the inner loop a plain increment.
const BLOCK: usize = 2048;

/// Scratch space for [`ranked`], kept between calls (one per thread): two
/// counters per catalogue item, all zero between calls.
#[derive(Default)]
pub struct Scratch {
    shared: Vec<u32>,
    in_tags: Vec<u32>,
    touched: Vec<usize>,
}

/// The first `n` items, excluding `item` itself, by score (the number of
/// `small_lists` and `tag_lists` that hold them), highest first, then by
/// index, among `catalogue` items. `tag_lists` must each be sorted
/// ascending.
pub fn ranked(
    item: usize,
    small_lists: &[&[usize]],
    tag_lists: &[&[usize]],
    n: usize,
    catalogue: usize,
    scratch: &mut Scratch,
) -> Vec<usize> {
    let Scratch {
        shared,
        in_tags,
        touched,
    } = scratch;
    if shared.len() < catalogue {
        shared.resize(catalogue, 0);
        in_tags.resize(catalogue, 0);
    }
    touched.clear();
    for list in small_lists {
        for &other in *list {
            if other != item {
                if shared[other] == 0 {
                    touched.push(other);
                }
                shared[other] += 1;
            }
        }
    }
    let mut top = Top::new(n);
    for &other in touched.iter() {
        let in_tags: usize = tag_lists.iter().map(|list| occurrences(list, other)).sum();
        top.offer(shared[other] + in_tags as u32, other);
    }
    // Items met only through tags, block by block in index order.
    let most_tags = tag_lists.len() as u32;
    let mut heads = vec![0usize; tag_lists.len()];
    let mut block: Vec<usize> = Vec::new();
    while let Some(from) = tag_lists
        .iter()
        .zip(&heads)
        .filter_map(|(list, &at)| list.get(at).copied())
        .min()
    {
        if top.settled(most_tags, from) {
            break;
        }
        let until = from.saturating_add(BLOCK);
        for (list, at) in tag_lists.iter().zip(heads.iter_mut()) {
            while let Some(&other) = list.get(*at)
                && other < until
            {
                *at += 1;
                // Items of the small lists were offered with their score.
                if other != item && shared[other] == 0 {
                    if in_tags[other] == 0 {
                        block.push(other);
                    }
                    in_tags[other] += 1;
                }
            }
        }
        for &other in &block {
            top.offer(in_tags[other], other);
            in_tags[other] = 0;
        }
        block.clear();
    }
    for &other in touched.iter() {
        shared[other] = 0;
    }
    touched.clear();
    top.into_items()
}

/// How many times `item` is in the sorted `list`.
fn occurrences(list: &[usize], item: usize) -> usize {
    let start = list.partition_point(|&x| x < item);
    list[start..].iter().take_while(|&&x| x == item).count()
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

    /// Whether no item at index `from` or later with at most `best_score`
    /// can enter the top any more.
    fn settled(&self, best_score: u32, from: usize) -> bool {
        self.kept.len() == self.n
            && self.kept.last().is_none_or(|&(score, index)| {
                score > best_score || (score == best_score && index < from)
            })
    }

    fn into_items(self) -> Vec<usize> {
        self.kept.into_iter().map(|(_, item)| item).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Count everything, sort everything.
    fn brute_force(item: usize, lists: &[&[usize]], n: usize) -> Vec<usize> {
        let mut scores = std::collections::BTreeMap::new();
        for list in lists {
            for &other in *list {
                if other != item {
                    *scores.entry(other).or_insert(0u32) += 1;
                }
            }
        }
        let mut all: Vec<(u32, usize)> = scores.into_iter().map(|(i, s)| (s, i)).collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(n).map(|(_, i)| i).collect()
    }

    fn check(item: usize, small: &[Vec<usize>], tags: &[Vec<usize>], n: usize, size: usize) {
        let small: Vec<&[usize]> = small.iter().map(Vec::as_slice).collect();
        let tags: Vec<&[usize]> = tags.iter().map(Vec::as_slice).collect();
        let mut scratch = Scratch::default();
        let got = ranked(item, &small, &tags, n, size, &mut scratch);
        let all: Vec<&[usize]> = small.iter().chain(tags.iter()).copied().collect();
        assert_eq!(got, brute_force(item, &all, n));
        assert!(
            scratch
                .shared
                .iter()
                .chain(&scratch.in_tags)
                .all(|&s| s == 0),
            "scratch left dirty"
        );
    }

    #[test]
    fn people_places_and_tags_add_up() {
        // Item 0 shares a person with 5, a place with 5 and 9, and tags
        // with everything.
        let small = vec![vec![0, 5], vec![0, 5, 9]];
        let tags = vec![(0..20).collect(), vec![0, 3, 9, 12]];
        check(0, &small, &tags, 6, 20);
        check(0, &[], &tags, 6, 20);
        check(0, &small, &[], 6, 20);
        check(3, &[], &tags, 0, 20);
    }

    proptest! {
        #[test]
        fn equals_counting_everything(
            size in 1usize..60,
            item_seed in 0usize..60,
            small in proptest::collection::vec(proptest::collection::vec(0usize..60, 0..8), 0..4),
            tags in proptest::collection::vec(proptest::collection::btree_set(0usize..60, 0..40), 0..5),
            duplicate in any::<bool>(),
            n in 0usize..8,
        ) {
            let item = item_seed % size;
            let small: Vec<Vec<usize>> = small
                .into_iter()
                .map(|l| l.into_iter().filter(|&x| x < size).collect())
                .collect();
            let mut tags: Vec<Vec<usize>> = tags
                .into_iter()
                .map(|s| s.into_iter().filter(|&x| x < size).collect())
                .collect();
            // An item may name the same tag twice.
            if duplicate && let Some(first) = tags.first().cloned() {
                tags.push(first);
            }
            check(item, &small, &tags, n, size);
        }
    }
}
