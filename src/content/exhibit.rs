//! Exhibits (`content/exhibits/<slug>/_index.md`) and their sections.

use std::path::Path;

use super::date::HistoricalDate;
use super::fields::FieldReader;
use super::{Body, Common, Located, read_common};
use crate::slug::section_slug;

pub const EXHIBIT_FIELDS: &[&str] = &[
    "title",
    "draft",
    "weight",
    "extra",
    "subtitle",
    "summary",
    "curators",
    "opened",
    "closes",
    "cover",
    "tags",
    "published",
];
pub const SECTION_FIELDS: &[&str] = &["title", "draft", "weight", "extra", "summary"];

/// An exhibit (展览).
#[derive(Debug, Clone)]
pub struct Exhibit {
    pub slug: String,
    pub common: Common,
    pub subtitle: Option<String>,
    pub summary: Option<String>,
    pub curators: Vec<String>,
    pub opened: Option<Located<HistoricalDate>>,
    pub closes: Option<Located<HistoricalDate>>,
    /// An item id when such an item exists, otherwise an image path
    /// relative to the exhibit's folder.
    pub cover: Option<Located<String>>,
    pub tags: Vec<Located<String>>,
    pub published: Option<Located<HistoricalDate>>,
    pub body: Body,
}

/// A section, or panel (展板), of an exhibit.
#[derive(Debug, Clone)]
pub struct Section {
    pub exhibit: String,
    /// The file stem, which orders sections of equal weight (`01-prelude`).
    pub stem: String,
    /// The URL slug: the stem without its ordering number (`prelude`).
    pub slug: String,
    pub common: Common,
    pub summary: Option<String>,
    pub body: Body,
}

pub fn read_exhibit(fields: &mut FieldReader, file: &Path, slug: &str, body: Body) -> Exhibit {
    Exhibit {
        slug: slug.to_string(),
        common: read_common(fields, file, "开天辟地"),
        subtitle: fields.text("subtitle").map(|v| v.value),
        summary: fields.text("summary").map(|v| v.value),
        curators: fields
            .text_list("curators")
            .into_iter()
            .map(|v| v.value)
            .collect(),
        opened: fields.date("opened"),
        closes: fields.date("closes"),
        cover: fields.text("cover"),
        tags: fields.text_list("tags"),
        published: fields.date("published"),
        body,
    }
}

pub fn read_section(
    fields: &mut FieldReader,
    file: &Path,
    exhibit: &str,
    stem: &str,
    body: Body,
) -> Section {
    Section {
        exhibit: exhibit.to_string(),
        stem: stem.to_string(),
        slug: section_slug(stem),
        common: read_common(fields, file, "中共一大"),
        summary: fields.text("summary").map(|v| v.value),
        body,
    }
}
