//! The public catalogue as data: `data/items.json` and `data/items.csv`.

use serde::Serialize;

use crate::content::Item;
use crate::site::{Site, urls};

/// One catalogue record, with the columns SPEC.md lists.
#[derive(Debug, Serialize)]
struct Record<'a> {
    id: &'a str,
    #[serde(rename = "ref")]
    reference: &'a str,
    title: &'a str,
    /// As written (`1920-08/1921-07`).
    date: Option<&'a str>,
    date_start: Option<String>,
    date_end: Option<String>,
    #[serde(rename = "type")]
    item_type: &'static str,
    creator: Vec<String>,
    fonds: Option<&'a str>,
    repository: &'a str,
    extent: Option<&'a str>,
    language: Option<&'a str>,
    source: Option<&'a str>,
    rights: &'a str,
    tags: Vec<&'a str>,
    people: Vec<&'a str>,
    places: Vec<&'a str>,
    url: String,
}

fn record<'a>(site: &'a Site, item: &'a Item) -> Record<'a> {
    let config = &site.config;
    let creator = item
        .creator
        .iter()
        .map(|c| {
            site.person(&c.value)
                .map(|p| p.common.title.clone())
                .unwrap_or_else(|| c.value.clone())
        })
        .collect();
    Record {
        id: &item.id,
        reference: &item.reference,
        title: &item.common.title,
        date: item.date.as_ref().map(|d| d.value.as_written()),
        date_start: item.date.as_ref().map(|d| d.value.earliest().iso()),
        date_end: item.date.as_ref().map(|d| d.value.latest().iso()),
        item_type: item.item_type.code(),
        creator,
        fonds: item.fonds.as_deref(),
        repository: item.repository.as_deref().unwrap_or(&config.institution),
        extent: item.extent.as_deref(),
        language: item.language.as_deref(),
        source: item.source.as_deref(),
        rights: item.rights.as_deref().unwrap_or(&config.rights),
        tags: item.tags.iter().map(|t| t.value.as_str()).collect(),
        people: item.people.iter().map(|p| p.value.as_str()).collect(),
        places: item.places.iter().map(|p| p.value.as_str()).collect(),
        url: config.permalink(&config.url(&urls::item(&item.id))),
    }
}

pub fn items_json(site: &Site) -> Vec<u8> {
    let records: Vec<Record> = site.items.iter().map(|i| record(site, i)).collect();
    let mut bytes = serde_json::to_vec_pretty(&records).unwrap_or_else(|_| b"[]".to_vec());
    bytes.push(b'\n');
    bytes
}

/// CSV in UTF-8 with a byte order mark, so that Excel opens Chinese text
/// correctly; lists are joined by `;`.
pub fn items_csv(site: &Site) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = writer.write_record([
        "id",
        "ref",
        "title",
        "date",
        "date_start",
        "date_end",
        "type",
        "creator",
        "fonds",
        "repository",
        "extent",
        "language",
        "source",
        "rights",
        "tags",
        "people",
        "places",
        "url",
    ]);
    for item in &site.items {
        let r = record(site, item);
        let _ = writer.write_record([
            r.id,
            r.reference,
            r.title,
            r.date.unwrap_or(""),
            r.date_start.as_deref().unwrap_or(""),
            r.date_end.as_deref().unwrap_or(""),
            r.item_type,
            &r.creator.join(";"),
            r.fonds.unwrap_or(""),
            r.repository,
            r.extent.unwrap_or(""),
            r.language.unwrap_or(""),
            r.source.unwrap_or(""),
            r.rights,
            &r.tags.join(";"),
            &r.people.join(";"),
            &r.places.join(";"),
            &r.url,
        ]);
    }
    writer.into_inner().unwrap_or_default()
}
