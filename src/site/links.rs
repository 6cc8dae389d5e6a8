//! Checking internal links and anchors against the pages the site will have.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::browse::FacetKind;
use super::resolve::Withheld;
use super::{Site, timeline, urls};
use crate::content::Body;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes, did_you_mean};
use crate::markdown::{InternalLink, LinkKind};

/// The anchors a link may name on a page.
#[derive(Debug)]
pub enum Anchors<'a> {
    /// Not known: anchors there are not checked.
    Unknown,
    /// The ids of a Markdown body's headings (read when a link needs them:
    /// most pages are never linked with an anchor).
    Headings(&'a Body),
    Set(HashSet<String>),
}

impl Anchors<'_> {
    /// `None` when the anchors are not known.
    fn contains(&self, anchor: &str) -> Option<bool> {
        match self {
            Anchors::Unknown => None,
            Anchors::Headings(body) => Some(body.headings.iter().any(|h| h.id == anchor)),
            Anchors::Set(set) => Some(set.contains(anchor)),
        }
    }

    fn sorted(&self) -> Vec<String> {
        let mut known: Vec<String> = match self {
            Anchors::Unknown => Vec::new(),
            Anchors::Headings(body) => body.headings.iter().map(|h| h.id.clone()).collect(),
            Anchors::Set(set) => set.iter().cloned().collect(),
        };
        known.sort();
        known.dedup();
        known
    }
}

/// Root-relative URL → the anchors known on that page.
pub type PageMap<'a> = HashMap<String, Anchors<'a>>;

/// Every URL the site publishes from content and lantai's own lists, with
/// the heading anchors of pages made from Markdown.
pub fn page_map<'a>(site: &'a Site, static_paths: &[String]) -> PageMap<'a> {
    let config = &site.config;
    let mut pages: PageMap = HashMap::new();
    let mut add = |path: String, body: Option<&'a Body>| {
        let anchors = body.map_or(Anchors::Unknown, Anchors::Headings);
        pages.insert(config.url(&path), anchors);
    };
    add(String::new(), site.home.as_ref().map(|h| &h.body));
    for fixed in [
        urls::exhibits(),
        "search/".into(),
        "feed.xml".into(),
        "sitemap.xml".into(),
        "robots.txt".into(),
        "404.html".into(),
        "data/items.json".into(),
        "data/items.csv".into(),
    ] {
        add(fixed, None);
    }
    for (list, len) in [
        ("archive/", site.items.len()),
        ("people/", site.people.len()),
        ("places/", site.places.len()),
        ("tags/", site.tags.len()),
    ] {
        for n in 1..=urls::page_count(len) {
            add(urls::paginated(list, n), None);
        }
    }
    for entry in &site.exhibits {
        add(
            urls::exhibit(&entry.exhibit.slug),
            Some(&entry.exhibit.body),
        );
        for section in &entry.sections {
            add(
                urls::section(&entry.exhibit.slug, &section.slug),
                Some(&section.body),
            );
        }
    }
    for item in &site.items {
        add(urls::item(&item.id), Some(&item.body));
    }
    // Their item lists run on to `page/2/` …; the text, and so its
    // headings, is on the first page only.
    for (person, items) in site.people.iter().zip(&site.person_items) {
        let list = urls::person(&person.slug);
        add(list.clone(), Some(&person.body));
        for n in 2..=urls::page_count(items.len()) {
            add(urls::paginated(&list, n), None);
        }
    }
    for (place, items) in site.places.iter().zip(&site.place_items) {
        let list = urls::place(&place.slug);
        add(list.clone(), Some(&place.body));
        for n in 2..=urls::page_count(items.len()) {
            add(urls::paginated(&list, n), None);
        }
    }
    for tag in &site.tags {
        let list = urls::tag(&tag.slug);
        for n in 1..=urls::page_count(tag.items.len()) {
            add(urls::paginated(&list, n), None);
        }
    }
    // The browse index and the facet pages (`site.facets` is worked out
    // before links are checked).
    add(urls::browse(), None);
    for facet in site.facets.iter().filter(|f| f.kind.has_browse_pages()) {
        let list = facet.list_path();
        for n in 1..=urls::page_count(facet.items.len()) {
            add(urls::paginated(&list, n), None);
        }
    }
    for page in &site.pages {
        add(urls::page(&page.slug), Some(&page.body));
    }
    for path in site.media.iter().map(|(path, _)| path).chain(static_paths) {
        add(path.clone(), None);
    }
    for (number, years) in timeline::paginate(site).iter().enumerate() {
        let anchors: HashSet<String> = years
            .iter()
            .flat_map(|y| {
                let decade = y
                    .starts_decade
                    .then(|| format!("d{}", y.year.div_euclid(10) * 10));
                std::iter::once(format!("y{}", y.year)).chain(decade)
            })
            .collect();
        pages.insert(
            config.url(&urls::paginated("timeline/", number + 1)),
            Anchors::Set(anchors),
        );
    }
    pages
}

/// Checks every link of every published body.
pub(super) fn check(
    site: &Site,
    withheld: &Withheld,
    static_paths: &[String],
    diagnostics: &mut Diagnostics,
) {
    let pages = page_map(site, static_paths);
    let published = Published::new(&pages);
    let mut bodies: Vec<(&Path, &Body, String)> = Vec::new();
    let config = &site.config;
    if let Some(home) = &site.home {
        bodies.push((&home.common.file, &home.body, config.url("")));
    }
    for entry in &site.exhibits {
        let exhibit = &entry.exhibit;
        bodies.push((
            &exhibit.common.file,
            &exhibit.body,
            config.url(&urls::exhibit(&exhibit.slug)),
        ));
        for section in &entry.sections {
            bodies.push((
                &section.common.file,
                &section.body,
                config.url(&urls::section(&exhibit.slug, &section.slug)),
            ));
        }
    }
    for item in &site.items {
        bodies.push((
            &item.common.file,
            &item.body,
            config.url(&urls::item(&item.id)),
        ));
    }
    for person in &site.people {
        bodies.push((
            &person.common.file,
            &person.body,
            config.url(&urls::person(&person.slug)),
        ));
    }
    for place in &site.places {
        bodies.push((
            &place.common.file,
            &place.body,
            config.url(&urls::place(&place.slug)),
        ));
    }
    for page in &site.pages {
        bodies.push((
            &page.common.file,
            &page.body,
            config.url(&urls::page(&page.slug)),
        ));
    }
    // Each body is checked on its own; the diagnostics keep body order.
    let found: Vec<Vec<Diagnostic>> = bodies
        .par_iter()
        .map(|(file, body, own_url)| {
            // Figures are checked (as E0507) with the shortcodes.
            let figures: Vec<&str> = body
                .shortcodes
                .iter()
                .filter_map(|s| match &s.kind {
                    crate::markdown::ShortcodeKind::Figure { url, .. } => Some(url.as_str()),
                    _ => None,
                })
                .collect();
            let mut local = Diagnostics::new();
            for link in body
                .links
                .iter()
                .filter(|l| !figures.contains(&l.url.as_str()))
            {
                check_link(file, link, own_url, &published, withheld, site, &mut local);
            }
            local.into_iter().collect()
        })
        .collect();
    diagnostics.extend(found.into_iter().flatten());
}

fn check_link(
    file: &Path,
    link: &InternalLink,
    own_url: &str,
    published: &Published,
    withheld: &Withheld,
    site: &Site,
    diagnostics: &mut Diagnostics,
) {
    let at = Location::new(file, link.line, link.column).with_length(link.written.chars().count());
    // A link to the page itself with only a fragment is recorded with the
    // page's own URL by the Markdown stage.
    let url = if link.url.is_empty() {
        own_url
    } else {
        link.url.as_str()
    };
    let normalized = normalize_page_url(url);
    match published.pages.get(&normalized) {
        Some(anchors) => {
            if let Some(fragment) = &link.fragment
                && !fragment.is_empty()
                && anchors.contains(fragment) == Some(false)
            {
                let known = anchors.sorted();
                let help = if known.is_empty() {
                    "that page has no headings to link to; remove the `#…` part".to_string()
                } else {
                    format!(
                        "the anchors on that page are: {}",
                        known
                            .iter()
                            .map(|a| format!("#{a}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                diagnostics.push(
                    Diagnostic::error(
                        codes::BROKEN_ANCHOR,
                        format!("the anchor `#{fragment}` does not exist on {normalized}"),
                    )
                    .at(at)
                    .help(help),
                );
            }
        }
        None => {
            let base = &site.config.base_path;
            let path = normalized
                .strip_prefix(base.as_str())
                .unwrap_or(&normalized);
            // A page whose file has an error of its own: that is the
            // error to fix.
            if withheld.unreadable_page(path) {
                return;
            }
            if let Some(id) = path
                .strip_prefix("archive/")
                .map(|p| p.trim_end_matches('/'))
                && withheld.has(id)
            {
                let references = super::resolve::References {
                    items: &Default::default(),
                    withheld,
                };
                references.item(id, &at, diagnostics);
                return;
            }
            if withheld.draft_page(path) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::BROKEN_LINK,
                        format!(
                            "the link `{}` points to a draft, which is not published",
                            link.written
                        ),
                    )
                    .at(at)
                    .help("remove `draft: true` from that page, or this link, or build with --drafts to preview"),
                );
                return;
            }
            let what = match link.kind {
                LinkKind::Media => "file",
                _ => "page",
            };
            let help = broken_link_help(link, &normalized, base, published);
            diagnostics.push(
                Diagnostic::error(
                    codes::BROKEN_LINK,
                    format!(
                        "the link `{}` points to a {what} that does not exist",
                        link.written
                    ),
                )
                .at(at)
                .help(help),
            );
        }
    }
}

/// What to do about a link to `missing`, which is not published: the
/// page or file beside it spelled most alike, in the link's own form, or
/// where to look.
fn broken_link_help(
    link: &InternalLink,
    missing: &str,
    base: &str,
    published: &Published,
) -> String {
    if link.kind == LinkKind::ContentFile {
        return "check the path: it is relative to content/, e.g. `@/people/chen-duxiu.md`"
            .to_string();
    }
    if let Some(own) = own_list_of(missing, base).filter(|own| published.pages.contains_key(own)) {
        return format!(
            "a topic's, person's or place's items are listed on its own page: did you mean `{}`?",
            as_written(link, &own, base)
        );
    }
    let Some(nearest) = published.nearest(missing) else {
        return match link.kind {
            LinkKind::Media => {
                "put the file next to the Markdown file, or correct the path".to_string()
            }
            _ => format!("check the address; pages live under {base}, e.g. {base}archive/<id>/"),
        };
    };
    let suggestion = match link.kind {
        // A relative link: only its file name changes.
        LinkKind::Media => {
            let name = nearest.rsplit('/').next().unwrap_or(nearest);
            let written = link.written.split(['?', '#']).next().unwrap_or("");
            match written.rsplit_once('/') {
                Some((folder, _)) => format!("{folder}/{name}"),
                None => name.to_string(),
            }
        }
        _ => as_written(link, nearest, base),
    };
    format!("did you mean `{suggestion}`?")
}

/// A site path, with the base path or without it as `link` was written.
fn as_written(link: &InternalLink, path: &str, base: &str) -> String {
    if link.written.starts_with(base) {
        return path.to_string();
    }
    let without_base = path.strip_prefix(base).unwrap_or(path);
    format!("/{}", without_base.trim_start_matches('/'))
}

/// The page that lists what `/browse/<kind>/<slug>/…` would for a kind
/// without facet pages: the topic's, person's or place's own.
fn own_list_of(missing: &str, base: &str) -> Option<String> {
    let rest = missing.strip_prefix(base)?.strip_prefix("browse/")?;
    let (code, rest) = rest.split_once('/')?;
    let kind = FacetKind::from_code(code).filter(|kind| !kind.has_browse_pages())?;
    let (slug, page) = rest.split_once('/')?;
    Some(format!("{base}{}{page}", kind.list_path(slug)))
}

/// The published pages and files, and the same by folder for a broken
/// link's "did you mean" (made on the first broken link only, and shared
/// by the threads that check the bodies).
struct Published<'p> {
    pages: &'p PageMap<'p>,
    /// (Folder (`/x/exhibits/ex/`), pages or files) → the last parts of its
    /// pages (`one`) or files (`scan.svg`), sorted, each with its address:
    /// the same suggestion on every run.
    by_folder: OnceLock<FolderIndex<'p>>,
}

type FolderIndex<'p> = HashMap<(&'p str, bool), Vec<(&'p str, &'p str)>>;

impl<'p> Published<'p> {
    fn new(pages: &'p PageMap<'p>) -> Self {
        Published {
            pages,
            by_folder: OnceLock::new(),
        }
    }

    /// The published page (or file, when `missing` is a file) in the same
    /// folder as `missing` whose last part is spelled most like its last
    /// part, if any is close (`/exhibits/ex/on/` → `/exhibits/ex/one/`,
    /// `scan.svgg` → `scan.svg`). Only the last parts are compared: whole
    /// addresses that share a long folder all look alike.
    fn nearest(&self, missing: &str) -> Option<&'p str> {
        let (folder, name) = folder_and_name(missing)?;
        let by_folder = self.by_folder.get_or_init(|| {
            let mut by_folder: FolderIndex = HashMap::new();
            for address in self.pages.keys() {
                if let Some((folder, name)) = folder_and_name(address) {
                    let is_page = address.ends_with('/');
                    by_folder
                        .entry((folder, is_page))
                        .or_default()
                        .push((name, address));
                }
            }
            for addresses in by_folder.values_mut() {
                addresses.sort_unstable();
            }
            by_folder
        });
        let pages = by_folder.get(&(folder, missing.ends_with('/')))?;
        let names: Vec<&str> = pages.iter().map(|&(name, _)| name).collect();
        let best = did_you_mean(name, &names)?;
        pages
            .iter()
            .find(|&&(other, _)| other == best)
            .map(|&(_, page)| page)
    }
}

/// `/x/exhibits/ex/one/` → (`/x/exhibits/ex/`, `one`);
/// `/x/archive/hx-1/scan.svg` → (`/x/archive/hx-1/`, `scan.svg`).
fn folder_and_name(page: &str) -> Option<(&str, &str)> {
    let trimmed = page.trim_end_matches('/');
    let (parent, name) = trimmed.rsplit_once('/')?;
    Some((trimmed.get(..=parent.len())?, name))
}

/// `/x/archive/hx-1` and `/x/archive/hx-1/index.html` both name the page
/// `/x/archive/hx-1/`.
fn normalize_page_url(url: &str) -> String {
    let url = url.strip_suffix("index.html").unwrap_or(url);
    let last = url.rsplit('/').next().unwrap_or("");
    if url.ends_with('/') || last.contains('.') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

#[cfg(test)]
mod tests {
    use super::{normalize_page_url, own_list_of};

    #[test]
    fn page_urls_are_normalized() {
        assert_eq!(normalize_page_url("/a/b"), "/a/b/");
        assert_eq!(normalize_page_url("/a/b/index.html"), "/a/b/");
        assert_eq!(normalize_page_url("/a/feed.xml"), "/a/feed.xml");
    }

    #[test]
    fn a_removed_browse_list_maps_to_the_own_page_and_its_pages() {
        assert_eq!(
            own_list_of("/sub/browse/person/li-da/", "/sub/").as_deref(),
            Some("/sub/people/li-da/")
        );
        assert_eq!(
            own_list_of("/browse/tag/jian-dang/page/2/", "/").as_deref(),
            Some("/tags/jian-dang/page/2/")
        );
        assert_eq!(
            own_list_of("/browse/place/yida/", "/").as_deref(),
            Some("/places/yida/")
        );
        // Types and decades have facet pages of their own.
        assert_eq!(own_list_of("/browse/type/diary/", "/"), None);
        assert_eq!(own_list_of("/browse/nothing/x/", "/"), None);
    }
}
