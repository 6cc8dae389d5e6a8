//! The Atom feed, the sitemap and robots.txt.
//!
//! No date here comes from the clock: `<updated>` and `<lastmod>` use the
//! `published` dates of items and exhibits, so two builds of the same
//! content are byte-identical.

use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::page_file;
use super::pages::{Job, job_path};
use crate::content::{HistoricalDate, Located};
use crate::site::{Site, urls};

/// Entries in the feed, newest first.
const FEED_ENTRIES: usize = 50;

/// An XML document under construction. Writing into a `Vec` cannot fail,
/// so errors are dropped here once instead of at every call.
struct Xml(Writer<Cursor<Vec<u8>>>);

impl Xml {
    fn new() -> Self {
        let mut writer = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
        let _ = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
        Xml(writer)
    }

    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        let _ = self.0.write_event(Event::Start(start));
    }

    fn close(&mut self, name: &str) {
        let _ = self.0.write_event(Event::End(BytesEnd::new(name)));
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        let _ = self.0.write_event(Event::Empty(start));
    }

    fn text(&mut self, name: &str, text: &str) {
        self.open(name, &[]);
        let _ = self.0.write_event(Event::Text(BytesText::new(text)));
        self.close(name);
    }

    fn finish(self) -> Vec<u8> {
        let mut bytes = self.0.into_inner().into_inner();
        bytes.push(b'\n');
        bytes
    }
}

/// RFC 3339 timestamp of the first day a published date can mean.
fn timestamp(date: &HistoricalDate) -> String {
    format!("{}T00:00:00Z", date.earliest().iso())
}

struct FeedEntry {
    title: String,
    url: String,
    summary: String,
    updated: String,
    category: &'static str,
}

/// The Atom feed: exhibits, and items that have a `published` date.
pub fn atom(site: &Site) -> Vec<u8> {
    let config = &site.config;
    let mut entries: Vec<FeedEntry> = Vec::new();
    let stamp = |d: &Option<Located<HistoricalDate>>| d.as_ref().map(|d| timestamp(&d.value));
    for entry in &site.exhibits {
        let exhibit = &entry.exhibit;
        let Some(updated) = stamp(&exhibit.published).or_else(|| stamp(&exhibit.opened)) else {
            continue;
        };
        entries.push(FeedEntry {
            title: exhibit.common.title.clone(),
            url: config.permalink(&config.url(&urls::exhibit(&exhibit.slug))),
            summary: exhibit.summary.clone().unwrap_or_default(),
            updated,
            category: "展览",
        });
    }
    for item in &site.items {
        let Some(updated) = stamp(&item.published) else {
            continue;
        };
        entries.push(FeedEntry {
            title: item.common.title.clone(),
            url: config.permalink(&config.url(&urls::item(&item.id))),
            summary: item.body.text.chars().take(200).collect(),
            updated,
            category: item.item_type.label(),
        });
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());

    let feed_url = config.permalink(&config.url("feed.xml"));
    let mut xml = Xml::new();
    xml.open(
        "feed",
        &[
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", &config.language),
        ],
    );
    xml.text("title", &config.title);
    if !config.description.is_empty() {
        xml.text("subtitle", &config.description);
    }
    xml.text("id", &config.base_url);
    xml.empty("link", &[("href", &config.base_url)]);
    xml.empty("link", &[("rel", "self"), ("href", &feed_url)]);
    xml.text("updated", &updated);
    xml.open("author", &[]);
    let author = if config.institution.is_empty() {
        &config.title
    } else {
        &config.institution
    };
    xml.text("name", author);
    xml.close("author");
    if !config.rights.is_empty() {
        xml.text("rights", &config.rights);
    }
    for entry in &entries {
        xml.open("entry", &[]);
        xml.text("title", &entry.title);
        xml.text("id", &entry.url);
        xml.empty("link", &[("href", &entry.url)]);
        xml.text("updated", &entry.updated);
        xml.empty("category", &[("term", entry.category)]);
        if !entry.summary.is_empty() {
            xml.text("summary", &entry.summary);
        }
        xml.close("entry");
    }
    xml.close("feed");
    xml.finish()
}

/// The sitemap of every HTML page but the 404 page.
/// The most URLs one sitemap file may list (the sitemaps protocol).
pub const SITEMAP_URLS: usize = 50_000;

/// The sitemap: `sitemap.xml` listing every page, or, for a site of more
/// than `per_file` pages, `sitemap.xml` as a sitemap index of
/// `sitemap-1.xml`, `sitemap-2.xml` … of `per_file` URLs each, as the
/// sitemaps protocol requires past 50,000 URLs.
pub fn sitemaps(site: &Site, jobs: &[Job], per_file: usize) -> Vec<(String, Vec<u8>)> {
    let config = &site.config;
    let pages: Vec<&Job> = jobs.iter().filter(|job| **job != Job::NotFound).collect();
    let urlset = |part: &[&Job]| {
        let mut xml = Xml::new();
        xml.open(
            "urlset",
            &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
        );
        for job in part {
            let path = job_path(site, **job);
            let lastmod = match job {
                Job::Item(i) => site.items[*i].published.as_ref(),
                Job::Exhibit(e) | Job::Section(e, _) => {
                    site.exhibits[*e].exhibit.published.as_ref()
                }
                _ => None,
            }
            .map(|d| d.value.earliest().iso());
            xml.open("url", &[]);
            xml.text("loc", &config.permalink(&config.url(&path)));
            if let Some(lastmod) = lastmod {
                xml.text("lastmod", &lastmod);
            }
            xml.close("url");
            debug_assert!(page_file(&path).ends_with(".html"));
        }
        xml.close("urlset");
        xml.finish()
    };
    let per_file = per_file.max(1);
    if pages.len() <= per_file {
        return vec![("sitemap.xml".to_string(), urlset(&pages))];
    }
    let mut files = Vec::new();
    let mut index = Xml::new();
    index.open(
        "sitemapindex",
        &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
    );
    for (n, part) in pages.chunks(per_file).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.open("sitemap", &[]);
        index.text("loc", &config.permalink(&config.url(&name)));
        index.close("sitemap");
        files.push((name, urlset(part)));
    }
    index.close("sitemapindex");
    files.insert(0, ("sitemap.xml".to_string(), index.finish()));
    files
}

/// Whether `path` is one of the numbered files of a split sitemap.
pub fn is_sitemap_part(path: &str) -> bool {
    path.strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

pub fn robots(site: &Site) -> String {
    let config = &site.config;
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.permalink(&config.url("sitemap.xml"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::jobs;

    fn site_with_items(n: usize) -> Site {
        let items: Vec<(String, String)> = (0..n)
            .map(|i| {
                (
                    format!("content/archive/a-{i}.md"),
                    format!(
                        "---\nref: A-{i}\ntitle: 档案{i}\ndate: 1921\ntype: document\n---\n正文\n"
                    ),
                )
            })
            .collect();
        crate::render::test_site("title: t\nbase_url: https://e.org/sub/\n", &items).1
    }

    fn locs(xml: &[u8]) -> Vec<String> {
        let text = String::from_utf8(xml.to_vec()).unwrap();
        text.split("<loc>")
            .skip(1)
            .filter_map(|part| part.split("</loc>").next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let site = site_with_items(3);
        let files = sitemaps(&site, &jobs(&site), SITEMAP_URLS);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(String::from_utf8_lossy(&files[0].1).contains("<urlset"));
    }

    #[test]
    fn past_the_limit_the_sitemap_is_an_index_of_parts() {
        let site = site_with_items(7);
        let jobs = jobs(&site);
        let whole = locs(&sitemaps(&site, &jobs, SITEMAP_URLS)[0].1);
        let files = sitemaps(&site, &jobs, 4);
        let (index_name, index) = &files[0];
        assert_eq!(index_name, "sitemap.xml");
        assert!(String::from_utf8_lossy(index).contains("<sitemapindex"));
        let parts: Vec<String> = files[1..].iter().map(|(name, _)| name.clone()).collect();
        assert_eq!(parts.len(), whole.len().div_ceil(4));
        let listed: Vec<String> = parts
            .iter()
            .map(|name| format!("https://e.org/sub/{name}"))
            .collect();
        assert_eq!(locs(index), listed);
        let mut together = Vec::new();
        for (name, xml) in &files[1..] {
            assert!(is_sitemap_part(name), "{name}");
            let urls = locs(xml);
            assert!(urls.len() <= 4);
            together.extend(urls);
        }
        assert_eq!(together, whole, "every page once, in order");
    }

    #[test]
    fn only_numbered_sitemaps_are_parts() {
        assert!(is_sitemap_part("sitemap-1.xml"));
        assert!(is_sitemap_part("sitemap-12.xml"));
        assert!(!is_sitemap_part("sitemap.xml"));
        assert!(!is_sitemap_part("sitemap-.xml"));
        assert!(!is_sitemap_part("sitemap-a.xml"));
        assert!(!is_sitemap_part("archive/sitemap-1.xml"));
    }
}
