//! What is searchable: one [`SearchDocument`] per public page, taken from
//! the resolved [`Site`] — which holds no drafts and no restricted items,
//! so neither can reach the index. A document borrows its texts from the
//! `Site` (only the texts lantai puts together itself are its own), so
//! collecting them copies none of the site's text.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::HistoricalDate;
use crate::render::context::display;
use crate::site::{Site, urls};

/// A part of a document, weighted by how much a match there says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    /// 档号.
    Reference,
    /// Other names of the same thing: aliases (字, 号, 笔名), subtitles.
    Names,
    /// Catalogue data: creators, people, places, topics, dates, fonds, source.
    Meta,
    /// Descriptions, summaries and body text.
    Description,
    /// The transcription (录文) of a document.
    Transcription,
}

impl Field {
    /// Every field, in index order.
    pub const ALL: [Field; 6] = [
        Field::Title,
        Field::Reference,
        Field::Names,
        Field::Meta,
        Field::Description,
        Field::Transcription,
    ];
    pub const COUNT: usize = Field::ALL.len();

    pub fn index(self) -> usize {
        self as usize
    }

    /// How much a match in this field counts: the title and 档号 above
    /// names and catalogue data, above descriptions, above transcriptions.
    pub fn weight(self) -> f64 {
        match self {
            Field::Title | Field::Reference => 10.0,
            Field::Names => 6.0,
            Field::Meta => 3.0,
            Field::Description => 1.5,
            Field::Transcription => 1.0,
        }
    }
}

/// One searchable page, its texts borrowed from the [`Site`] (`'a`).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDocument<'a> {
    /// Root-relative URL, with the base path.
    pub url: String,
    pub title: Cow<'a, str>,
    /// `letter`, `exhibit`, `person`…: the value of the type filter.
    pub kind: &'static str,
    /// 信函, 展览, 人物…
    pub kind_label: &'static str,
    /// The displayed date, if the page has one.
    pub date: Option<String>,
    /// 档号, for items.
    pub reference: Option<Cow<'a, str>>,
    pub fields: Vec<(Field, Cow<'a, str>)>,
    /// Titles and names that, typed in full, put this page first.
    pub exact: Vec<Cow<'a, str>>,
    /// Filter values: (`tag`, slug), (`person`, slug), (`place`, slug), (`year`, "1921").
    pub filters: Vec<FilterValue<'a>>,
}

impl<'a> SearchDocument<'a> {
    fn new(
        url: String,
        title: impl Into<Cow<'a, str>>,
        kind: &'static str,
        kind_label: &'static str,
    ) -> Self {
        let title = title.into();
        SearchDocument {
            url,
            fields: vec![(Field::Title, title.clone())],
            exact: vec![title.clone()],
            title,
            kind,
            kind_label,
            date: None,
            reference: None,
            filters: Vec::new(),
        }
    }

    fn field(&mut self, field: Field, text: impl Into<Cow<'a, str>>) {
        let text = text.into();
        if !text.trim().is_empty() {
            self.fields.push((field, text));
        }
    }

    /// The texts a snippet is cut from: description, then transcription.
    pub fn snippet_texts(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(f, _)| matches!(f, Field::Description | Field::Transcription))
            .map(|(_, text)| &**text)
            .collect()
    }

    /// The document with texts of its own, no longer borrowing the site.
    pub fn into_owned(self) -> SearchDocument<'static> {
        let own = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        SearchDocument {
            url: self.url,
            title: own(self.title),
            kind: self.kind,
            kind_label: self.kind_label,
            date: self.date,
            reference: self.reference.map(own),
            fields: self.fields.into_iter().map(|(f, t)| (f, own(t))).collect(),
            exact: self.exact.into_iter().map(own).collect(),
            filters: self.filters.into_iter().map(|(f, v)| (f, own(v))).collect(),
        }
    }
}

/// Years a date can fall in are listed one by one for the year filter, up
/// to this many; a longer span is cut at its start.
const MAX_FILTER_YEARS: i32 = 200;

fn years(date: &HistoricalDate) -> impl Iterator<Item = i32> {
    let first = date.earliest().year;
    let last = date.latest().year.min(first + MAX_FILTER_YEARS - 1);
    first..=last
}

/// A name without the role curators note after it: 仲甫（字） → 仲甫.
fn bare_name(alias: &str) -> &str {
    alias.split(['（', '(']).next().unwrap_or(alias).trim()
}

/// Every searchable page of `site`, items first in catalogue order, then
/// exhibits with their sections, people, places and free pages.
pub fn collect(site: &Site) -> Vec<SearchDocument<'_>> {
    let relations = Relations::new(site);
    let mut documents: Vec<SearchDocument> = (0..site.items.len())
        .into_par_iter()
        .map(|i| item(site, &relations, i))
        .collect();
    for e in 0..site.exhibits.len() {
        documents.push(exhibit(site, &relations, e));
        for s in 0..site.exhibits[e].sections.len() {
            documents.push(section(site, &relations, e, s));
        }
    }
    for p in 0..site.people.len() {
        documents.push(person(site, p));
    }
    for p in 0..site.places.len() {
        documents.push(place(site, p));
    }
    for page in &site.pages {
        let mut doc = SearchDocument::new(
            site.config.url(&urls::page(&page.slug)),
            &page.common.title,
            "page",
            "页面",
        );
        doc.field(Field::Description, page.body.text.as_str());
        documents.push(doc);
    }
    documents
}

fn item<'a>(site: &'a Site, relations: &Relations<'a>, i: usize) -> SearchDocument<'a> {
    let item = &site.items[i];
    let mut doc = SearchDocument::new(
        site.config.url(&urls::item(&item.id)),
        item.common.title.as_str(),
        item.item_type.code(),
        item.item_type.label(),
    );
    doc.reference = Some(item.reference.as_str().into());
    doc.field(Field::Reference, item.reference.as_str());
    doc.exact.push(item.reference.as_str().into());
    let mut meta: Vec<Cow<'_, str>> = Vec::new();
    if let Some(date) = &item.date {
        let shown = date.value.display_zh();
        meta.push(shown.clone().into());
        doc.date = Some(shown);
        doc.filters
            .extend(years(&date.value).map(|y| ("year", y.to_string().into())));
    }
    for creator in &item.creator {
        match site.person(&creator.value) {
            Some(person) => meta.push(person.common.title.as_str().into()),
            None => meta.push(creator.value.as_str().into()),
        }
    }
    for person in &item.people {
        if let Some(p) = site.person(&person.value) {
            meta.push(p.common.title.as_str().into());
        }
    }
    for place in &item.places {
        if let Some(p) = site.place(&place.value) {
            meta.push(p.common.title.as_str().into());
        }
    }
    meta.extend(item.tags.iter().map(|t| t.value.as_str().into()));
    meta.extend(item.fonds.iter().map(|f| f.as_str().into()));
    meta.extend(item.source.iter().map(|s| s.as_str().into()));
    doc.field(Field::Meta, meta.join("\n"));
    doc.field(Field::Description, item.body.text.as_str());
    doc.field(Field::Transcription, item.body.transcription_text.as_str());
    doc.filters.extend(relations.items[i].iter().cloned());
    doc
}

fn exhibit<'a>(site: &'a Site, relations: &Relations<'a>, e: usize) -> SearchDocument<'a> {
    let exhibit = &site.exhibits[e].exhibit;
    let mut doc = SearchDocument::new(
        site.config.url(&urls::exhibit(&exhibit.slug)),
        exhibit.common.title.as_str(),
        "exhibit",
        "展览",
    );
    doc.date = display(&exhibit.opened);
    if let Some(subtitle) = &exhibit.subtitle {
        doc.field(Field::Names, subtitle.as_str());
    }
    let mut meta: Vec<&str> = exhibit.curators.iter().map(String::as_str).collect();
    meta.extend(exhibit.tags.iter().map(|t| t.value.as_str()));
    doc.field(Field::Meta, meta.join("\n"));
    doc.field(
        Field::Description,
        exhibit.summary.as_deref().unwrap_or_default(),
    );
    doc.field(Field::Description, exhibit.body.text.as_str());
    doc.filters.extend(relations.part((e, None)));
    doc
}

fn section<'a>(
    site: &'a Site,
    relations: &Relations<'a>,
    e: usize,
    s: usize,
) -> SearchDocument<'a> {
    let entry = &site.exhibits[e];
    let section = &entry.sections[s];
    let title = format!("{} · {}", entry.exhibit.common.title, section.common.title);
    let mut doc = SearchDocument::new(
        site.config
            .url(&urls::section(&entry.exhibit.slug, &section.slug)),
        title,
        "exhibit",
        "展板",
    );
    doc.fields = vec![(Field::Title, section.common.title.as_str().into())];
    doc.exact = vec![section.common.title.as_str().into()];
    doc.field(Field::Meta, entry.exhibit.common.title.as_str());
    doc.field(
        Field::Description,
        section.summary.as_deref().unwrap_or_default(),
    );
    doc.field(Field::Description, section.body.text.as_str());
    doc.filters.extend(relations.part((e, Some(s))));
    doc
}

fn person(site: &Site, p: usize) -> SearchDocument<'_> {
    let person = &site.people[p];
    let mut doc = SearchDocument::new(
        site.config.url(&urls::person(&person.slug)),
        person.common.title.as_str(),
        "person",
        "人物",
    );
    doc.field(Field::Names, person.aliases.join("\n"));
    doc.exact
        .extend(person.aliases.iter().map(|a| bare_name(a).into()));
    let lifespan: Vec<String> = [display(&person.born), display(&person.died)]
        .into_iter()
        .flatten()
        .collect();
    doc.field(Field::Meta, lifespan.join("\n"));
    doc.field(
        Field::Description,
        person.summary.as_deref().unwrap_or_default(),
    );
    doc.field(Field::Description, person.body.text.as_str());
    doc.filters.push(("person", person.slug.as_str().into()));
    doc
}

fn place(site: &Site, p: usize) -> SearchDocument<'_> {
    let place = &site.places[p];
    let mut doc = SearchDocument::new(
        site.config.url(&urls::place(&place.slug)),
        place.common.title.as_str(),
        "place",
        "地点",
    );
    doc.field(Field::Meta, place.address.as_deref().unwrap_or_default());
    doc.field(
        Field::Description,
        place.summary.as_deref().unwrap_or_default(),
    );
    doc.field(Field::Description, place.body.text.as_str());
    doc.filters.push(("place", place.slug.as_str().into()));
    doc
}

/// The tag, person and place filters of every item and exhibit part,
/// gathered once from the site's lists (looking each document up in every
/// list would be quadratic on a large catalogue).
#[derive(Default)]
struct Relations<'a> {
    items: Vec<Vec<FilterValue<'a>>>,
    parts: HashMap<ExhibitPart, Vec<FilterValue<'a>>>,
}

/// A filter and its value: (`tag`, `jian-dang`).
type FilterValue<'a> = (&'static str, Cow<'a, str>);

/// An exhibit, or one of its sections.
type ExhibitPart = (usize, Option<usize>);

impl<'a> Relations<'a> {
    fn new(site: &'a Site) -> Relations<'a> {
        let mut relations = Relations {
            items: vec![Vec::new(); site.items.len()],
            parts: HashMap::new(),
        };
        for tag in &site.tags {
            relations.add_items("tag", &tag.slug, &tag.items);
            for &e in &tag.exhibits {
                relations.add_part("tag", &tag.slug, (e, None));
            }
        }
        for (p, person) in site.people.iter().enumerate() {
            relations.add_items("person", &person.slug, &site.person_items[p]);
            for &part in &site.person_sections[p] {
                relations.add_part("person", &person.slug, part);
            }
        }
        for (p, place) in site.places.iter().enumerate() {
            relations.add_items("place", &place.slug, &site.place_items[p]);
            for &part in &site.place_sections[p] {
                relations.add_part("place", &place.slug, part);
            }
        }
        relations
    }

    fn add_items(&mut self, filter: &'static str, slug: &'a str, items: &[usize]) {
        for &i in items {
            if let Some(list) = self.items.get_mut(i)
                && !list.iter().any(|(f, s)| *f == filter && s == slug)
            {
                list.push((filter, slug.into()));
            }
        }
    }

    fn add_part(&mut self, filter: &'static str, slug: &'a str, part: ExhibitPart) {
        let list = self.parts.entry(part).or_default();
        if !list.iter().any(|(f, s)| *f == filter && s == slug) {
            list.push((filter, slug.into()));
        }
    }

    fn part(&self, part: ExhibitPart) -> Vec<FilterValue<'a>> {
        self.parts.get(&part).cloned().unwrap_or_default()
    }
}

/// A document with a title and a description, for the index's and the
/// query's tests.
#[cfg(test)]
pub(crate) fn test_document(
    title: &str,
    kind: &'static str,
    description: &str,
    year: i32,
) -> SearchDocument<'static> {
    SearchDocument {
        url: format!("/{title}/"),
        title: title.to_string().into(),
        kind,
        kind_label: "",
        date: None,
        reference: None,
        fields: vec![
            (Field::Title, title.to_string().into()),
            (Field::Description, description.to_string().into()),
        ],
        exact: vec![title.to_string().into()],
        filters: vec![("year", year.to_string().into())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_names_lose_their_role() {
        assert_eq!(bare_name("仲甫（字）"), "仲甫");
        assert_eq!(bare_name("Henk Sneevliet"), "Henk Sneevliet");
        assert_eq!(bare_name("子任 (笔名)"), "子任");
    }

    #[test]
    fn field_weights_follow_the_ranking_rule() {
        assert!(Field::Title.weight() > Field::Meta.weight());
        assert!(Field::Reference.weight() > Field::Description.weight());
        assert!(Field::Description.weight() > Field::Transcription.weight());
    }
}
