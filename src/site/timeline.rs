//! The timeline: dated items, and each exhibit at its `opened` date, by year.

use std::collections::BTreeMap;

use super::Site;
use super::urls::PAGE_SIZE;
use crate::content::HistoricalDate;

/// What a timeline entry points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Index into `Site::items`.
    Item(usize),
    /// Index into `Site::exhibits`.
    Exhibit(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub kind: EntryKind,
    pub date: &'a HistoricalDate,
}

/// One year of the timeline, entries in date order.
#[derive(Debug, Clone, PartialEq)]
pub struct Year<'a> {
    pub year: i32,
    pub entries: Vec<Entry<'a>>,
    /// True for the first year shown of its decade: the decade's jump
    /// link points here.
    pub starts_decade: bool,
}

/// Groups every dated item and opened exhibit by the year of its earliest day.
pub fn years(site: &Site) -> Vec<Year<'_>> {
    let mut by_year: BTreeMap<i32, Vec<Entry>> = BTreeMap::new();
    for (index, item) in site.items.iter().enumerate() {
        if let Some(date) = &item.date {
            by_year.entry(date.value.year()).or_default().push(Entry {
                kind: EntryKind::Item(index),
                date: &date.value,
            });
        }
    }
    for (index, entry) in site.exhibits.iter().enumerate() {
        if let Some(opened) = &entry.exhibit.opened {
            by_year.entry(opened.value.year()).or_default().push(Entry {
                kind: EntryKind::Exhibit(index),
                date: &opened.value,
            });
        }
    }
    by_year
        .into_iter()
        .map(|(year, mut entries)| {
            // Stable sort keeps items (already in catalogue order) before
            // exhibits on the same day.
            entries.sort_by_key(|e| e.date.sort_key());
            Year {
                year,
                entries,
                starts_decade: false,
            }
        })
        .collect()
}

/// The timeline split into pages of about `urls::PAGE_SIZE` entries. A year
/// longer than a page is split across pages; its heading repeats.
pub fn paginate(site: &Site) -> Vec<Vec<Year<'_>>> {
    let mut pages: Vec<Vec<Year>> = vec![Vec::new()];
    let mut on_page = 0;
    let mut last_decade = None;
    for year in years(site) {
        let mut rest = year.entries;
        while !rest.is_empty() {
            if on_page == PAGE_SIZE {
                pages.push(Vec::new());
                on_page = 0;
            }
            let take = rest.len().min(PAGE_SIZE - on_page);
            let tail = rest.split_off(take);
            on_page += rest.len();
            let decade = year.year.div_euclid(10);
            let starts_decade = last_decade != Some(decade);
            last_decade = Some(decade);
            if let Some(page) = pages.last_mut() {
                page.push(Year {
                    year: year.year,
                    entries: rest,
                    starts_decade,
                });
            }
            rest = tail;
        }
    }
    pages
}

/// Number of timeline pages (at least one).
pub fn page_count(site: &Site) -> usize {
    paginate(site).len()
}

/// Each decade (1920) with the 1-based page where it starts.
pub fn decades(pages: &[Vec<Year>]) -> Vec<(i32, usize)> {
    pages
        .iter()
        .enumerate()
        .flat_map(|(p, years)| {
            years
                .iter()
                .filter(|y| y.starts_decade)
                .map(move |y| (y.year.div_euclid(10) * 10, p + 1))
        })
        .collect()
}
