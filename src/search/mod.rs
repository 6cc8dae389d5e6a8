//! Full-text search: the index the search page queries in the browser.
//!
//! The rest of lantai sees one narrow interface, [`SearchIndexer`]: the
//! resolved [`Site`] in, output files out, each handed to a writer as soon
//! as it is made. [`BigramIndexer`] is lantai's own engine, made for
//! Chinese:
//! - `documents.rs` — what is searchable, from the `Site` (so drafts and
//!   restricted items, removed in resolve, can never be indexed), its
//!   texts borrowed, not copied;
//! - `fold.rs` — traditional → simplified, full-width → half-width, case;
//! - `tokenize.rs` — CJK character pairs and single characters, Latin
//!   words, numbers and codes;
//! - `index.rs` — postings with precomputed BM25 impacts, field-weighted,
//!   kept per batch of documents as scored ([`index::Scored`]);
//! - `query.rs` — the ranking rules, which `static/js/search.js` follows;
//! - `shards.rs` — the files: a manifest, term shards fetched on demand,
//!   document chunks for the results list, and the filter choices, each
//!   shard's postings gathered from the batches as it is made.
//!
//! `docs/search.md` describes the behaviour for curators and visitors.

pub mod documents;
pub mod fold;
pub mod index;
pub mod query;
pub mod shards;
pub mod tokenize;

use std::collections::BTreeSet;
use std::convert::Infallible;

use serde::Serialize;

use crate::content::ItemType;
use crate::output::Output;
use crate::site::Site;
use documents::SearchDocument;
use index::{Index, Scored, filter_term};
pub use shards::WriteFile;
use shards::{FacetValue, Facets, Layout};

/// Where the manifest of the index is published, relative to the base path.
pub const MANIFEST_PATH: &str = "search/index.json";
/// The search page's script (a theme static file).
pub const SCRIPT_PATH: &str = "js/search.js";
/// The search page's stylesheet (a theme static file).
pub const STYLE_PATH: &str = "css/search.css";

/// Builds a search index for a site. Another engine can replace lantai's
/// by implementing this and publishing its own files.
pub trait SearchIndexer: Sync {
    /// Makes the files of the index and hands each to `write` (path
    /// relative to the output root, bytes) as soon as it is made, from any
    /// thread and in no set order, so that the index's bytes are never all
    /// in memory. Stops at the first error `write` returns.
    fn write_index<E: Send>(&self, site: &Site, write: &WriteFile<'_, E>) -> Result<(), E>;

    /// The files of the index, as (path relative to the output root,
    /// bytes), by path.
    fn index(&self, site: &Site) -> Vec<(String, Vec<u8>)> {
        shards::collect_files(|write: &WriteFile<'_, Infallible>| self.write_index(site, write))
    }
}

/// Lantai's engine: CJK character pairs, BM25 impacts, sharded files.
#[derive(Debug, Clone, Copy, Default)]
pub struct BigramIndexer {
    pub layout: Layout,
}

impl BigramIndexer {
    /// The in-memory index of `site`, before it is cut into files. Its
    /// documents own their texts, so that it outlives the site.
    pub fn build(&self, site: &Site) -> Index<'static> {
        let documents = documents::collect(site)
            .into_iter()
            .map(SearchDocument::into_owned)
            .collect();
        Index::build(documents)
    }
}

impl SearchIndexer for BigramIndexer {
    fn write_index<E: Send>(&self, site: &Site, write: &WriteFile<'_, E>) -> Result<(), E> {
        // The documents borrow the site's texts: none are copied. The
        // postings stay as scored, and the files are cut from them.
        let index = Scored::build(documents::collect(site));
        let facets = facets(site, &index);
        let fold = fold::pairs_for(&|c| {
            let mut buffer = [0u8; 4];
            index
                .texts()
                .find(c.encode_utf8(&mut buffer) as &str)
                .is_some()
        })
        .into_iter()
        .flat_map(|(traditional, simplified)| [traditional, simplified])
        .collect();
        shards::write_files(&index, &facets, fold, self.layout, write)
    }
}

/// Adds the search index of `site` to `output`: the one call the render
/// stage makes.
pub fn add_to_output(site: &Site, output: &mut Output) {
    for (path, bytes) in BigramIndexer::default().index(site) {
        output.insert_bytes(path, bytes);
    }
}

/// What the search page's template sees as `search`.
#[derive(Debug, Clone, Serialize)]
pub struct PageValues {
    /// Root-relative URL of the index manifest.
    pub index_url: String,
    pub script_url: String,
    pub style_url: String,
    /// The type filter's choices: `{value, label}`.
    pub types: Vec<TypeChoice>,
    /// Links to the browse pages, for visitors without JavaScript.
    pub browse: Vec<BrowseLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeChoice {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BrowseLink {
    pub title: &'static str,
    pub url: String,
}

/// The kinds of page the type filter offers beyond item types.
const OTHER_KINDS: [(&str, &str); 4] = [
    ("exhibit", "展览"),
    ("person", "人物"),
    ("place", "地点"),
    ("page", "页面"),
];

/// The search page's values for `site`.
pub fn page_values(site: &Site) -> PageValues {
    let config = &site.config;
    // Only the kinds of page the site has.
    let present = |kind: &str| match kind {
        "exhibit" => !site.exhibits.is_empty(),
        "person" => !site.people.is_empty(),
        "place" => !site.places.is_empty(),
        "page" => !site.pages.is_empty(),
        code => site.items.iter().any(|i| i.item_type.code() == code),
    };
    let types = ItemType::ALL
        .iter()
        .map(|t| (t.code(), t.label()))
        .chain(OTHER_KINDS)
        .filter(|(value, _)| present(value))
        .map(|(value, label)| TypeChoice { value, label })
        .collect();
    let browse = [
        ("档案", "archive/"),
        ("人物", "people/"),
        ("地点", "places/"),
        ("主题", "tags/"),
        ("时间线", "timeline/"),
    ]
    .into_iter()
    .map(|(title, path)| BrowseLink {
        title,
        url: config.url(path),
    })
    .collect();
    PageValues {
        index_url: config.url(MANIFEST_PATH),
        script_url: config.url(SCRIPT_PATH),
        style_url: config.url(STYLE_PATH),
        types,
        browse,
    }
}

/// The filter choices, each with the number of documents it selects.
fn facets(site: &Site, index: &Scored<'_>) -> Facets {
    let count = |filter: &str, value: &str| {
        index
            .texts()
            .find(&filter_term(filter, value))
            .map_or(0, |t| index.count(t))
    };
    // In the order given (types in catalogue order, the rest by slug).
    let choices = |filter: &str, pairs: Vec<(String, String)>| -> Vec<FacetValue> {
        let mut seen = BTreeSet::new();
        pairs
            .into_iter()
            .filter(|(value, _)| seen.insert(value.clone()))
            .filter_map(|(value, label)| {
                let count = count(filter, &value);
                (count > 0).then_some(FacetValue {
                    value,
                    label,
                    count,
                })
            })
            .collect()
    };
    let types = ItemType::ALL
        .iter()
        .map(|t| (t.code(), t.label()))
        .chain(OTHER_KINDS)
        .map(|(code, label)| (code.to_string(), label.to_string()))
        .collect();
    Facets {
        types: choices("type", types),
        tags: choices(
            "tag",
            site.tags
                .iter()
                .map(|t| (t.slug.clone(), t.name.clone()))
                .collect(),
        ),
        people: choices(
            "person",
            site.people
                .iter()
                .map(|p| (p.slug.clone(), p.common.title.clone()))
                .collect(),
        ),
        places: choices(
            "place",
            site.places
                .iter()
                .map(|p| (p.slug.clone(), p.common.title.clone()))
                .collect(),
        ),
    }
}
