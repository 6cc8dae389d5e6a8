//! The values templates see, as documented in `docs/templates.md`.
//!
//! These structs are the presentation model: every date is displayed,
//! every URL carries the base path, every list is sorted. Templates only
//! print them.

use std::borrow::Cow;

use serde::Serialize;

use crate::content::{HistoricalDate, Item, Located};
use crate::images::Picture;
use crate::site::browse::FacetKind;
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

/// An image as templates show it. `url` is the file as the curator gave
/// it; `src`, `srcset`, `webp_srcset`, `sizes`, `width` and `height` make a
/// responsive `<img>` (for raster images they point at derivatives).
#[derive(Debug, Clone, Serialize)]
pub struct ImageContext {
    pub url: String,
    pub alt: String,
    pub caption: Option<String>,
    #[serde(flatten)]
    pub responsive: Responsive,
    /// The largest derivative (the file itself for SVG): the plain link for
    /// visitors without JavaScript.
    pub full_url: String,
    /// The deep-zoom tiles, when the image has them.
    pub zoom: Option<Zoom>,
}

/// Where the deep-zoom viewer finds an image's IIIF tiles.
#[derive(Debug, Clone, Serialize)]
pub struct Zoom {
    /// Root-relative URL of the image service's `info.json`.
    pub info_url: String,
    pub width: u32,
    pub height: u32,
}

/// How a browser fetches one image.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Responsive {
    /// For `<img src>`: a JPEG derivative, or the file itself.
    pub src: String,
    /// JPEG derivatives as `srcset` candidates (`… 320w, … 800w`).
    pub srcset: Option<String>,
    /// The same widths as lossy WebP, for `<source type="image/webp">`.
    pub webp_srcset: Option<String>,
    pub sizes: Option<String>,
    /// Intrinsic size of `src`, so the page does not shift while loading.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// `sizes` for the image slots of the default theme, matching its CSS.
pub mod slots {
    /// The first image of an item page (7/12 of the 76rem layout).
    pub const ITEM_MAIN: &str = "(min-width: 60rem) 42rem, 100vw";
    /// Further images of an item page, in a grid of small cells.
    pub const ITEM_MORE: &str = "(min-width: 60rem) 10rem, 33vw";
    /// Card images in lists and shortcodes.
    pub const CARD: &str = "(min-width: 34rem) 18rem, 6.5rem";
    /// A `figure` in a text column (38em measure).
    pub const FIGURE: &str = "(min-width: 44rem) 38rem, 100vw";
    /// An exhibit's cover, half the page on wide screens.
    pub const COVER: &str = "(min-width: 56rem) 38rem, 100vw";
}

impl Responsive {
    /// The responsive form of the published file at `path` (relative to the
    /// base path). `preferred` is the width wanted for the fallback `src`.
    pub fn new(site: &Site, path: &str, sizes: &str, preferred: u32) -> Responsive {
        let config = &site.config;
        match site.images.get(path) {
            Some(Picture::Raster(raster)) => {
                let derivatives = &raster.plan.derivatives;
                let candidates = |extension: &str| {
                    derivatives
                        .iter()
                        .map(|&size| {
                            // Encoded: a space would end the URL inside `srcset`.
                            format!(
                                "{} {}w",
                                urls::media(config, &raster.derivative(size, extension)),
                                size.width
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let fallback = derivatives
                    .iter()
                    .find(|size| size.width >= preferred)
                    .or(derivatives.last())
                    .copied()
                    .unwrap_or(raster.size());
                Responsive {
                    src: urls::media(config, &raster.derivative(fallback, "jpg")),
                    srcset: Some(candidates("jpg")),
                    webp_srcset: raster.plan.webp.then(|| candidates("webp")),
                    sizes: Some(sizes.to_string()),
                    width: Some(fallback.width),
                    height: Some(fallback.height),
                }
            }
            Some(Picture::Vector(size)) => Responsive {
                src: urls::media(config, path),
                width: size.map(|s| s.width),
                height: size.map(|s| s.height),
                ..Responsive::default()
            },
            None => Responsive {
                src: urls::media(config, path),
                ..Responsive::default()
            },
        }
    }
}

impl ImageContext {
    /// The image published at `path` (relative to the base path).
    pub fn new(
        site: &Site,
        path: &str,
        alt: &str,
        caption: Option<String>,
        sizes: &str,
    ) -> ImageContext {
        let config = &site.config;
        let raster = site.images.raster(path);
        ImageContext {
            url: urls::media(config, path),
            alt: alt.to_string(),
            caption,
            responsive: Responsive::new(site, path, sizes, 800),
            full_url: match raster {
                Some(raster) => {
                    urls::media(config, &raster.derivative(raster.plan.largest(), "jpg"))
                }
                None => urls::media(config, path),
            },
            zoom: raster.filter(|r| r.is_tiled()).map(|r| Zoom {
                info_url: urls::media(config, &r.info()),
                width: r.size().width,
                height: r.size().height,
            }),
        }
    }

    /// The image at a root-relative `url` (an exhibit cover).
    pub fn from_url(site: &Site, url: &str, alt: &str, sizes: &str) -> ImageContext {
        let path = url.strip_prefix(&site.config.base_path).unwrap_or(url);
        ImageContext::new(site, path, alt, None, sizes)
    }
}

/// The small image of an item card: its `url` is already a small
/// derivative for raster images.
#[derive(Debug, Clone, Serialize)]
pub struct Thumbnail {
    pub url: String,
    pub alt: String,
    pub srcset: Option<String>,
    pub webp_srcset: Option<String>,
    pub sizes: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl Thumbnail {
    fn new(site: &Site, path: &str, alt: &str) -> Thumbnail {
        let responsive = Responsive::new(site, path, slots::CARD, 320);
        Thumbnail {
            url: responsive.src,
            alt: alt.to_string(),
            srcset: responsive.srcset,
            webp_srcset: responsive.webp_srcset,
            sizes: responsive.sizes,
            width: responsive.width,
            height: responsive.height,
        }
    }
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
    /// Page numbers are left out just before this one (shown as …).
    pub gap_before: bool,
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
            thumbnail: item.images.first().map(|image| {
                Thumbnail::new(
                    site,
                    &format!("archive/{}/{}", item.id, image.src),
                    &image.alt,
                )
            }),
            facets: None,
        }
    }
}

impl CardFacets {
    /// `values` as from [`crate::site::browse::item_values`].
    pub fn new(item: &Item, values: Vec<(FacetKind, Cow<str>)>) -> CardFacets {
        let mut facets = CardFacets {
            item_type: String::new(),
            decade: String::new(),
            tag: String::new(),
            person: String::new(),
            place: String::new(),
            title_sort: item.common.title.clone(),
        };
        for (kind, slug) in values {
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

/// Pages linked on either side of the current one; the first and last
/// are always linked too.
const PAGE_WINDOW: usize = 2;

impl Pagination {
    /// Pagination for page `current` (1-based) of the list at `list`.
    pub fn new(site: &Site, list: &str, current: usize, total: usize) -> Pagination {
        let url = |n: usize| site.config.url(&urls::paginated(list, n));
        let mut last_shown = 0;
        let pages = shown_pages(current, total)
            .map(|number| {
                let gap_before = number > last_shown + 1;
                last_shown = number;
                PageNumber {
                    number,
                    url: url(number),
                    current: number == current,
                    gap_before,
                }
            })
            .collect();
        Pagination {
            current,
            total,
            prev_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages,
        }
    }
}

/// The page numbers a page of `total` links to: the first, the last and
/// those near `current`. A tag on 10,000 items has 100 pages, and 100
/// links on every one of them would bury the list.
fn shown_pages(current: usize, total: usize) -> impl Iterator<Item = usize> {
    let near = move |n: usize| n.abs_diff(current) <= PAGE_WINDOW;
    let linked = move |n: usize| n == 1 || n == total || near(n);
    // A gap of one page is shown as that page: "…" would stand for a
    // single link.
    (1..=total).filter(move |&n| linked(n) || (n > 1 && linked(n - 1) && linked(n + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(current: usize, total: usize) -> Vec<usize> {
        shown_pages(current, total).collect()
    }

    #[test]
    fn short_lists_link_every_page() {
        assert_eq!(shown(1, 1), [1]);
        assert_eq!(shown(2, 3), [1, 2, 3]);
        assert_eq!(shown(4, 7), [1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn long_lists_link_the_ends_and_the_pages_near_the_current_one() {
        assert_eq!(shown(1, 100), [1, 2, 3, 100]);
        assert_eq!(shown(50, 100), [1, 48, 49, 50, 51, 52, 100]);
        assert_eq!(shown(100, 100), [1, 98, 99, 100]);
        // Page 2 is linked rather than hidden behind "…".
        assert_eq!(shown(5, 100), [1, 2, 3, 4, 5, 6, 7, 100]);
        assert_eq!(shown(96, 100), [1, 94, 95, 96, 97, 98, 99, 100]);
    }
}
