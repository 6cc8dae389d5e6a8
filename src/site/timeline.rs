//! The timeline: dated items, and each exhibit at its `opened` date, by year.

use std::collections::BTreeMap;

use super::Site;
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
            Year { year, entries }
        })
        .collect()
}
