//! Facets of the catalogue: the item lists behind the `/browse/` pages.
//!
//! A visitor without JavaScript filters the archive by following links to
//! pre-rendered lists: facet pages for types and decades
//! (`/browse/type/letter/`, `/browse/decade/1920/`), and for a topic,
//! person or place its own page, which lists the same items (with its
//! exhibits and description) — a second list under `/browse/` would only
//! repeat it. The archive page's script filters with the same values, so
//! both ways of browsing agree on what a facet holds.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

use super::{Site, urls};
use crate::content::{Item, ItemType};

/// The dimensions the catalogue can be filtered by, in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetKind {
    Type,
    Decade,
    Tag,
    Person,
    Place,
}

impl FacetKind {
    pub const ALL: [FacetKind; 5] = [
        FacetKind::Type,
        FacetKind::Decade,
        FacetKind::Tag,
        FacetKind::Person,
        FacetKind::Place,
    ];

    /// The URL segment under `/browse/` and the name scripts use.
    pub fn code(self) -> &'static str {
        match self {
            FacetKind::Type => "type",
            FacetKind::Decade => "decade",
            FacetKind::Tag => "tag",
            FacetKind::Person => "person",
            FacetKind::Place => "place",
        }
    }

    /// The kind whose [`code`](Self::code) this is.
    pub fn from_code(code: &str) -> Option<FacetKind> {
        FacetKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Whether the values of this kind have facet pages under `/browse/`:
    /// topics, people and places are listed on their own pages instead.
    pub fn has_browse_pages(self) -> bool {
        matches!(self, FacetKind::Type | FacetKind::Decade)
    }

    /// The site path of the first page that lists the items with the
    /// value `slug` of this kind.
    pub fn list_path(self, slug: &str) -> String {
        match self {
            FacetKind::Type | FacetKind::Decade => urls::facet(self.code(), slug),
            FacetKind::Tag => urls::tag(slug),
            FacetKind::Person => urls::person(slug),
            FacetKind::Place => urls::place(slug),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FacetKind::Type => "类别",
            FacetKind::Decade => "年代",
            FacetKind::Tag => "主题",
            FacetKind::Person => "人物",
            FacetKind::Place => "地点",
        }
    }
}

/// One value of a facet and the items that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    pub kind: FacetKind,
    /// URL segment: type code, decade (`1920`), tag, person or place slug.
    pub slug: String,
    /// What visitors read: `信函`, `1920年代`, the tag or the name.
    pub label: String,
    /// Indexes into `Site::items`, in catalogue order (by date).
    pub items: Vec<usize>,
}

impl Facet {
    /// The site path of the first page that lists this value's items.
    pub fn list_path(&self) -> String {
        self.kind.list_path(&self.slug)
    }
}

/// The decade an item belongs to, from the earliest day its date can mean.
pub fn decade(item: &Item) -> Option<i32> {
    item.date
        .as_ref()
        .map(|d| d.value.year().div_euclid(10) * 10)
}

/// The facet values of one item, as `(kind, slug)` pairs. Slugs are
/// borrowed from the site where they can be: this runs for every item of
/// the catalogue.
pub fn item_values<'s>(site: &'s Site, item: &Item) -> Vec<(FacetKind, Cow<'s, str>)> {
    let mut values = vec![(FacetKind::Type, Cow::Borrowed(item.item_type.code()))];
    if let Some(decade) = decade(item) {
        values.push((FacetKind::Decade, Cow::Owned(decade.to_string())));
    }
    for tag in &item.tags {
        if let Some(found) = site.tag(&tag.value) {
            let value = (FacetKind::Tag, Cow::Borrowed(found.slug.as_str()));
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    let mut people: Vec<&'s str> = item
        .people
        .iter()
        .chain(&item.creator)
        .filter_map(|p| site.person(&p.value).map(|p| p.slug.as_str()))
        .collect();
    people.sort_unstable();
    people.dedup();
    values.extend(
        people
            .into_iter()
            .map(|s| (FacetKind::Person, Cow::Borrowed(s))),
    );
    for place in &item.places {
        if let Some(p) = site.place(&place.value) {
            let value = (FacetKind::Place, Cow::Borrowed(p.slug.as_str()));
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }
    values
}

/// Every facet value that at least one item has, grouped by kind in
/// [`FacetKind::ALL`] order: types in their fixed order, decades
/// ascending, tags, people and places by slug.
pub fn facets(site: &Site) -> Vec<Facet> {
    // Each item's values are worked out in parallel (most of the time, on
    // a large catalogue, and nothing else runs beside it), then gathered in
    // item order.
    let values: Vec<Vec<(FacetKind, Cow<str>)>> = site
        .items
        .par_iter()
        .map(|item| item_values(site, item))
        .collect();
    let mut found: FxHashMap<(FacetKind, Cow<str>), Vec<usize>> = FxHashMap::default();
    for (i, keys) in values.into_iter().enumerate() {
        for key in keys {
            found.entry(key).or_default().push(i);
        }
    }
    let type_rank = |code: &str| {
        ItemType::ALL
            .iter()
            .position(|t| t.code() == code)
            .unwrap_or(usize::MAX)
    };
    let mut list: Vec<Facet> = found
        .into_iter()
        .map(|((kind, slug), items)| Facet {
            kind,
            label: label(site, kind, &slug),
            slug: slug.into_owned(),
            items,
        })
        .collect();
    list.sort_by(|a, b| {
        a.kind.cmp(&b.kind).then_with(|| match a.kind {
            FacetKind::Type => type_rank(&a.slug).cmp(&type_rank(&b.slug)),
            FacetKind::Decade => decade_key(&a.slug).cmp(&decade_key(&b.slug)),
            _ => a.slug.cmp(&b.slug),
        })
    });
    list
}

fn decade_key(slug: &str) -> i64 {
    slug.parse().unwrap_or(i64::MAX)
}

fn label(site: &Site, kind: FacetKind, slug: &str) -> String {
    match kind {
        FacetKind::Type => ItemType::parse(slug)
            .map(|t| t.label().to_string())
            .unwrap_or_else(|| slug.to_string()),
        FacetKind::Decade => format!("{slug}年代"),
        FacetKind::Tag => site
            .tags
            .iter()
            .find(|t| t.slug == slug)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| slug.to_string()),
        FacetKind::Person => site
            .person(slug)
            .map(|p| p.common.title.clone())
            .unwrap_or_else(|| slug.to_string()),
        FacetKind::Place => site
            .place(slug)
            .map(|p| p.common.title.clone())
            .unwrap_or_else(|| slug.to_string()),
    }
}
