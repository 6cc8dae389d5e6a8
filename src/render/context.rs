//! The values templates see, as documented in `docs/templates.md`.
//!
//! These structs are the presentation model: every date is displayed,
//! every URL carries the base path, every list is sorted. Templates only
//! print them.

use serde::Serialize;

use crate::content::{HistoricalDate, Item, Located};
use crate::site::browse::{self, FacetKind};
use crate::site::{Site, urls};

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MenuEntry {
    pub title: String,
    pub url: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub language: String,
    pub institution: String,
    pub rights: String,
    pub base_url: String,
    pub base_path: String,
    pub extra: serde_json::Value,
    pub menu: Vec<MenuEntry>,
    pub feed_url: String,
    pub search_url: String,
    pub archive_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Breadcrumb {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageContext {
    pub title: String,
    pub is_home: bool,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub lang: String,
    pub kind: &'static str,
    pub breadcrumbs: Vec<Breadcrumb>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageContext {
    pub url: String,
    pub alt: String,
    pub caption: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Thumbnail {
    pub url: String,
    pub alt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemCard {
    pub id: String,
    pub url: String,
    pub title: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub date: String,
    pub date_sort: String,
    #[serde(rename = "type")]
    pub item_type: &'static str,
    pub type_label: &'static str,
    pub thumbnail: Option<Thumbnail>,
    /// The item's facet values, for the archive page's filter script;
    /// set only where that script runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<CardFacets>,
}

/// Facet slugs of one item, space-separated per facet kind, as the
/// archive's filter script reads them from `data-*` attributes.
#[derive(Debug, Clone, Serialize)]
pub struct CardFacets {
    #[serde(rename = "type")]
    pub item_type: String,
    pub decade: String,
    pub tag: String,
    pub person: String,
    pub place: String,
    /// The title, for sorting by title in the visitor's browser.
    pub title_sort: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageNumber>,
}

/// Displays an optional located date in Chinese.
pub fn display(date: &Option<Located<HistoricalDate>>) -> Option<String> {
    date.as_ref().map(|d| d.value.display_zh())
}

impl ItemCard {
    pub fn new(site: &Site, item: &Item) -> ItemCard {
        let config = &site.config;
        ItemCard {
            id: item.id.clone(),
            url: config.url(&urls::item(&item.id)),
            title: item.common.title.clone(),
            reference: item.reference.clone(),
            date: display(&item.date).unwrap_or_default(),
            date_sort: item
                .date
                .as_ref()
                .map(|d| d.value.earliest().iso())
                .unwrap_or_default(),
            item_type: item.item_type.code(),
            type_label: item.item_type.label(),
            thumbnail: item.images.first().map(|image| Thumbnail {
                url: urls::media(config, &format!("archive/{}/{}", item.id, image.src)),
                alt: image.alt.clone(),
            }),
            facets: None,
        }
    }
}

impl CardFacets {
    pub fn new(site: &Site, item: &Item) -> CardFacets {
        let mut facets = CardFacets {
            item_type: String::new(),
            decade: String::new(),
            tag: String::new(),
            person: String::new(),
            place: String::new(),
            title_sort: item.common.title.clone(),
        };
        for (kind, slug) in browse::item_values(site, item) {
            let field = match kind {
                FacetKind::Type => &mut facets.item_type,
                FacetKind::Decade => &mut facets.decade,
                FacetKind::Tag => &mut facets.tag,
                FacetKind::Person => &mut facets.person,
                FacetKind::Place => &mut facets.place,
            };
            if !field.is_empty() {
                field.push(' ');
            }
            field.push_str(&slug);
        }
        facets
    }
}

impl Pagination {
    /// Pagination for page `current` (1-based) of the list at `list`.
    pub fn new(site: &Site, list: &str, current: usize, total: usize) -> Pagination {
        let url = |n: usize| site.config.url(&urls::paginated(list, n));
        Pagination {
            current,
            total,
            prev_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages: (1..=total)
                .map(|number| PageNumber {
                    number,
                    url: url(number),
                    current: number == current,
                })
                .collect(),
        }
    }
}
