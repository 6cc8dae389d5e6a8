//! Building the [`Site`] from loaded documents and checking references.

use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Appearance, Cover, ExhibitEntry, Site, tags, urls};
use crate::config::Config;
use crate::content::{
    Access, Body, Content, Document, Exhibit, Home, Item, Located, MediaFile, Page, Person, Place,
    Section, date,
};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes, did_you_mean};
use crate::markdown::{ShortcodeKind, content_file_url};
use crate::slug::tag_slug;

/// Choices that change what is published.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Publish drafts too (`--drafts`). Restricted items are never published.
    pub include_drafts: bool,
    /// Output paths of the theme's and the site's static files, so that
    /// links to them count as resolved.
    pub static_paths: Vec<String>,
}

/// Item ids that exist but may not be published, to explain references.
#[derive(Debug, Default)]
pub(super) struct Withheld {
    pub restricted: HashSet<String>,
    pub drafts: HashSet<String>,
    /// Files (relative to `content/`) with an error that kept them from
    /// becoming a document (see [`Content::unreadable`]).
    pub unreadable: HashSet<String>,
    /// The pages (see [`page_key`]) those files would have made, and the
    /// sections of an exhibit whose `_index.md` is one of them: their own
    /// files are fine, but they are not made until the exhibit's is.
    pub unreadable_pages: HashSet<String>,
    /// The pages (see [`page_key`]) of drafts other than items, not
    /// published without `--drafts`: exhibits and their sections, people,
    /// places, free pages and the home page.
    pub draft_pages: HashSet<String>,
}

/// A page's address relative to the base path, as the page sets of
/// [`Withheld`] hold it: no slash at either end (`exhibits/ex/one`).
fn page_key(url: &str) -> String {
    url.trim_matches('/').to_string()
}

impl Withheld {
    /// Whether a reference to `id` is to an item that exists but is not
    /// published, or could not be read.
    pub fn has(&self, id: &str) -> bool {
        self.restricted.contains(id) || self.drafts.contains(id) || self.unreadable("archive", id)
    }

    /// Whether `folder/name.md` (an item, a person or a place) has an error
    /// of its own: references to it are then not reported again.
    pub fn unreadable(&self, folder: &str, name: &str) -> bool {
        !self.unreadable.is_empty() && self.unreadable.contains(&format!("{folder}/{name}.md"))
    }

    /// Records the files an error kept from becoming a document, and the
    /// pages they keep from being made: each file's own, and the sections
    /// (`(exhibit, section slug)` pairs) of an exhibit whose `_index.md` is
    /// one of them. Any other address below such an exhibit is still a
    /// broken link. A free page is known by its file name, as its `slug:`
    /// was not read.
    fn withhold_unreadable<'s>(
        &mut self,
        files: impl IntoIterator<Item = String>,
        sections: impl IntoIterator<Item = (&'s str, &'s str)>,
    ) {
        self.unreadable = files.into_iter().collect();
        if self.unreadable.is_empty() {
            return;
        }
        let own = self
            .unreadable
            .iter()
            .filter_map(|file| content_file_url(file));
        let sections: Vec<String> = sections
            .into_iter()
            .filter(|&(exhibit, _)| self.exhibit_unreadable(exhibit))
            .map(|(exhibit, section)| urls::section(exhibit, section))
            .collect();
        self.unreadable_pages = own.chain(sections).map(|url| page_key(&url)).collect();
    }

    /// Whether the page at `url` (relative to the base path) would be made
    /// from a file with an error of its own, or is a section of an exhibit
    /// whose `_index.md` has one: links to it are then not reported again.
    pub fn unreadable_page(&self, url: &str) -> bool {
        !self.unreadable_pages.is_empty() && self.unreadable_pages.contains(url.trim_matches('/'))
    }

    /// Whether the page at `url` (relative to the base path) is a draft's.
    pub fn draft_page(&self, url: &str) -> bool {
        !self.draft_pages.is_empty() && self.draft_pages.contains(url.trim_matches('/'))
    }

    /// Whether the exhibit `slug`'s `_index.md` has an error of its own.
    fn exhibit_unreadable(&self, slug: &str) -> bool {
        self.unreadable(&format!("exhibits/{slug}"), "_index")
    }
}

/// Documents sorted into their kinds, with drafts and restricted items removed.
#[derive(Default)]
struct Sorted {
    home: Option<Home>,
    exhibits: Vec<Exhibit>,
    sections: Vec<Section>,
    items: Vec<Item>,
    people: Vec<Person>,
    places: Vec<Place>,
    pages: Vec<Page>,
}

/// Builds the site model. Every problem found is pushed to `diagnostics`;
/// the model returned is still complete enough to check further.
pub fn resolve(
    content: Content,
    config: Config,
    options: &ResolveOptions,
    diagnostics: &mut Diagnostics,
) -> Site {
    let (sorted, mut withheld, draft_exhibits) = sort_documents(content.documents, options);
    let Sorted {
        home,
        exhibits,
        sections,
        mut items,
        mut people,
        mut places,
        mut pages,
    } = sorted;
    withheld.withhold_unreadable(
        content.unreadable,
        sections
            .iter()
            .map(|s| (s.exhibit.as_str(), s.slug.as_str())),
    );

    sort_items(&mut items);
    people.sort_by_cached_key(|p| (tag_slug(&p.common.title), p.slug.clone()));
    places.sort_by_cached_key(|p| (tag_slug(&p.common.title), p.slug.clone()));
    pages.sort_by(|a, b| {
        a.common
            .weight
            .unwrap_or(0)
            .cmp(&b.common.weight.unwrap_or(0))
            .then_with(|| a.common.title.cmp(&b.common.title))
    });
    check_page_slugs(&pages, diagnostics);

    let item_index: FxHashMap<String, usize> = index_by(&items, |i| i.id.clone());
    let person_index: FxHashMap<String, usize> = index_by(&people, |p| p.slug.clone());
    let place_index: FxHashMap<String, usize> = index_by(&places, |p| p.slug.clone());

    let media = publishable_media(content.media, &item_index, &withheld, &draft_exhibits);
    let media_paths: HashSet<&str> = media.iter().map(|(path, _)| path.as_str()).collect();

    let references = References {
        items: &item_index,
        withheld: &withheld,
    };
    let exhibits = assemble_exhibits(
        exhibits,
        sections,
        &items,
        &references,
        &media_paths,
        &config,
        diagnostics,
    );
    // The checks only report, and the indexes below only compute: on a
    // large site they take about as long as each other, so they run side by
    // side. Each side collects its own diagnostics, added in the order a
    // sequential run would have pushed them.
    let mut checked = Diagnostics::new();
    let mut collected = Diagnostics::new();
    let ((), derived) = rayon::join(
        || {
            check_items(
                &items,
                &person_index,
                &place_index,
                &withheld,
                &media_paths,
                &mut checked,
            );
            // Shortcodes in every body that is not a section (sections are
            // read by `appearances` so that they count as "shown in").
            let mut other_bodies: Vec<(&Path, &Body)> = Vec::new();
            if let Some(home) = &home {
                other_bodies.push((&home.common.file, &home.body));
            }
            other_bodies.extend(pages.iter().map(|p| (p.common.file.as_path(), &p.body)));
            other_bodies.extend(items.iter().map(|i| (i.common.file.as_path(), &i.body)));
            other_bodies.extend(people.iter().map(|p| (p.common.file.as_path(), &p.body)));
            other_bodies.extend(places.iter().map(|p| (p.common.file.as_path(), &p.body)));
            other_bodies.extend(
                exhibits
                    .iter()
                    .map(|e| (e.exhibit.common.file.as_path(), &e.exhibit.body)),
            );
            for (file, body) in other_bodies {
                check_shortcodes(file, body, &references, &media_paths, &config, &mut checked);
            }
            check_section_bodies(&exhibits, &references, &media_paths, &config, &mut checked);
        },
        || {
            let appearances = appearances(&exhibits, &items, &item_index);
            let tags = tags::collect(&items, &exhibits, &config, &mut collected);
            let (person_items, place_items) = authority_items(&items, &person_index, &place_index);
            let person_sections = authority_sections(
                &exhibits,
                &appearances,
                &person_items,
                "people/",
                &people,
                &config,
                |p| &p.slug,
            );
            let place_sections = authority_sections(
                &exhibits,
                &appearances,
                &place_items,
                "places/",
                &places,
                &config,
                |p| &p.slug,
            );
            (
                appearances,
                tags,
                person_items,
                place_items,
                person_sections,
                place_sections,
            )
        },
    );
    diagnostics.extend(checked);
    diagnostics.extend(collected);
    let (appearances, tags, person_items, place_items, person_sections, place_sections) = derived;
    let tag_index = index_by(&tags, |t| t.name.clone());

    let mut site = Site {
        config,
        home,
        exhibits,
        items,
        people,
        places,
        pages,
        tags,
        media,
        appearances,
        person_items,
        person_sections,
        place_items,
        place_sections,
        images: Default::default(),
        item_index,
        person_index,
        place_index,
        tag_index,
        facets: Vec::new(),
    };
    site.facets = super::browse::facets(&site);
    super::links::check(&site, &withheld, &options.static_paths, diagnostics);
    site
}

/// Items by earliest date (undated last), then reference code, then id.
/// Items are large: the keys are computed once, and the items are put in
/// order in place (no second vector of items to allocate and fill).
fn sort_items(items: &mut [Item]) {
    let key = |i: &Item| {
        let date = i.date.as_ref().map(|d| d.value.sort_key());
        (date.is_none(), date, i.reference.clone(), i.id.clone())
    };
    // `serve` passes the items in the order of its last build: usually
    // sorted already, and then not moved at all.
    fn borrowed(i: &Item) -> (bool, Option<(date::Day, date::Day)>, &str, &str) {
        let date = i.date.as_ref().map(|d| d.value.sort_key());
        (date.is_none(), date, i.reference.as_str(), i.id.as_str())
    }
    if items.is_sorted_by(|a, b| borrowed(a) <= borrowed(b)) {
        return;
    }
    items.sort_by_cached_key(key);
}

fn index_by<T>(list: &[T], key: impl Fn(&T) -> String) -> FxHashMap<String, usize> {
    list.iter().enumerate().map(|(i, x)| (key(x), i)).collect()
}

fn sort_documents(
    documents: Vec<Document>,
    options: &ResolveOptions,
) -> (Sorted, Withheld, HashSet<String>) {
    let mut sorted = Sorted::default();
    // Room for every document up front: documents are large, and growing
    // the lists would move them again.
    let count = |kind: fn(&Document) -> bool| documents.iter().filter(|d| kind(d)).count();
    sorted
        .items
        .reserve(count(|d| matches!(d, Document::Item(_))));
    sorted
        .sections
        .reserve(count(|d| matches!(d, Document::Section(_))));
    let mut withheld = Withheld::default();
    let mut draft_exhibits = HashSet::new();
    let hidden = |draft: bool| draft && !options.include_drafts;
    let mut draft_pages: HashSet<String> = HashSet::new();
    let mut draft_page = |url: String| {
        draft_pages.insert(page_key(&url));
    };
    for document in documents {
        match document {
            Document::Home(home) if hidden(home.common.draft) => {
                draft_page(String::new());
            }
            Document::Home(home) => sorted.home = Some(home),
            Document::Exhibit(exhibit) => {
                if hidden(exhibit.common.draft) {
                    draft_page(urls::exhibit(&exhibit.slug));
                    draft_exhibits.insert(exhibit.slug.clone());
                } else {
                    sorted.exhibits.push(exhibit);
                }
            }
            Document::Section(section) if hidden(section.common.draft) => {
                draft_page(urls::section(&section.exhibit, &section.slug));
            }
            Document::Section(section) => sorted.sections.push(section),
            Document::Item(item) => {
                if item.access == Access::Restricted {
                    withheld.restricted.insert(item.id.clone());
                } else if hidden(item.common.draft) {
                    withheld.drafts.insert(item.id.clone());
                } else {
                    sorted.items.push(item);
                }
            }
            Document::Person(person) if hidden(person.common.draft) => {
                draft_page(urls::person(&person.slug));
            }
            Document::Person(person) => sorted.people.push(person),
            Document::Place(place) if hidden(place.common.draft) => {
                draft_page(urls::place(&place.slug));
            }
            Document::Place(place) => sorted.places.push(place),
            Document::Page(page) if hidden(page.common.draft) => {
                draft_page(urls::page(&page.slug));
            }
            Document::Page(page) => sorted.pages.push(page),
        }
    }
    // Sections of a draft exhibit are drafts too.
    sorted.sections.retain(|s| {
        let draft = draft_exhibits.contains(&s.exhibit);
        if draft {
            draft_page(urls::section(&s.exhibit, &s.slug));
        }
        !draft
    });
    withheld.draft_pages = draft_pages;
    (sorted, withheld, draft_exhibits)
}

fn check_page_slugs(pages: &[Page], diagnostics: &mut Diagnostics) {
    for page in pages {
        if urls::RESERVED.contains(&page.slug.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    codes::RESERVED_SLUG,
                    format!(
                        "the page slug `{}` is reserved for lantai's own pages",
                        page.slug
                    ),
                )
                .at(Location::new(&page.common.file, 1, 1))
                .help(format!(
                    "rename content/pages/{}.md, e.g. to content/pages/{}-info.md",
                    page.slug, page.slug
                )),
            );
        }
    }
}

/// Which media files may be published, keyed by their output path. Scans of
/// restricted or draft items, and media of draft exhibits, are not.
fn publishable_media(
    media: Vec<MediaFile>,
    items: &FxHashMap<String, usize>,
    withheld: &Withheld,
    draft_exhibits: &HashSet<String>,
) -> Vec<(String, MediaFile)> {
    media
        .into_iter()
        .filter(|file| {
            let mut parts = file.relative.split('/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("archive"), Some(id), Some(_)) => items.contains_key(id),
                (Some("archive"), Some(name), None) => {
                    // A loose file in archive/: withhold it if it is named
                    // after a withheld item (hx-0009.pdf beside hx-0009.md).
                    let stem = name.split('.').next().unwrap_or(name);
                    !withheld.restricted.contains(stem) && !withheld.drafts.contains(stem)
                }
                (Some("exhibits"), Some(slug), Some(_)) => !draft_exhibits.contains(slug),
                _ => true,
            }
        })
        .map(|file| (file.relative.clone(), file))
        .collect()
}

/// What a reference to an item may point at.
pub(super) struct References<'a> {
    pub items: &'a FxHashMap<String, usize>,
    pub withheld: &'a Withheld,
}

impl References<'_> {
    /// Checks an item reference, reporting unknown, restricted and draft
    /// items. Returns the item's index when it may be shown.
    pub fn item(&self, id: &str, at: &Location, diagnostics: &mut Diagnostics) -> Option<usize> {
        if let Some(&index) = self.items.get(id) {
            return Some(index);
        }
        if self.withheld.unreadable("archive", id) {
            // The item's own file has the error to fix; this reference
            // is checked again once it is fixed.
            return None;
        }
        let diagnostic = if self.withheld.restricted.contains(id) {
            Diagnostic::error(
                codes::RESTRICTED_ITEM,
                format!("`{id}` is a restricted item and may not be shown in public content"),
            )
            .help("remove this reference, or change the item's `access` once it may be published")
        } else if self.withheld.drafts.contains(id) {
            Diagnostic::error(
                codes::DRAFT_ITEM,
                format!("`{id}` is a draft item and is not published"),
            )
            .help("remove `draft: true` from the item, or this reference, or build with --drafts to preview")
        } else {
            let ids: Vec<&str> = self.items.keys().map(String::as_str).collect();
            let help = match did_you_mean(id, &ids) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("create content/archive/{id}.md, or check the id"),
            };
            Diagnostic::error(
                codes::UNKNOWN_ITEM,
                format!("no archive item has the id `{id}`"),
            )
            .help(help)
        };
        diagnostics.push(diagnostic.at(at.clone().with_length(id.chars().count().max(1))));
        None
    }
}

fn assemble_exhibits(
    exhibits: Vec<Exhibit>,
    sections: Vec<Section>,
    items: &[Item],
    references: &References,
    media: &HashSet<&str>,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Vec<ExhibitEntry> {
    let mut by_exhibit: HashMap<String, Vec<Section>> = HashMap::new();
    for section in sections {
        by_exhibit
            .entry(section.exhibit.clone())
            .or_default()
            .push(section);
    }
    let mut entries: Vec<ExhibitEntry> = exhibits
        .into_iter()
        .map(|exhibit| {
            let mut sections = by_exhibit.remove(&exhibit.slug).unwrap_or_default();
            sections.sort_by(|a, b| {
                a.common
                    .weight
                    .unwrap_or(0)
                    .cmp(&b.common.weight.unwrap_or(0))
                    .then_with(|| a.stem.cmp(&b.stem))
            });
            check_section_slugs(&sections, diagnostics);
            let cover = exhibit.cover.as_ref().and_then(|cover| {
                resolve_cover(
                    &exhibit.slug,
                    cover,
                    items,
                    references,
                    media,
                    config,
                    diagnostics,
                )
            });
            ExhibitEntry {
                exhibit,
                sections,
                cover,
            }
        })
        .collect();
    let mut orphans: Vec<(String, Vec<Section>)> = by_exhibit.into_iter().collect();
    orphans.sort_by(|a, b| a.0.cmp(&b.0));
    for (slug, sections) in orphans {
        // The exhibit's own file has an error: that is the one to fix.
        if references.withheld.exhibit_unreadable(&slug) {
            continue;
        }
        for section in sections {
            diagnostics.push(
                Diagnostic::error(
                    codes::MISSING_FIELD,
                    format!("this section belongs to the exhibit `{slug}`, which has no _index.md"),
                )
                .at(Location::new(&section.common.file, 1, 1))
                .help(format!(
                    "create content/exhibits/{slug}/_index.md with the exhibit's title (`lantai new exhibit {slug}`)"
                )),
            );
        }
    }
    entries.sort_by(|a, b| {
        let weight = |e: &ExhibitEntry| e.exhibit.common.weight.unwrap_or(0);
        let opened = |e: &ExhibitEntry| e.exhibit.opened.as_ref().map(|d| d.value.sort_key());
        weight(a)
            .cmp(&weight(b))
            .then_with(|| opened(b).cmp(&opened(a)))
            .then_with(|| a.exhibit.common.title.cmp(&b.exhibit.common.title))
    });
    entries
}

fn check_section_slugs(sections: &[Section], diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Section> = HashMap::new();
    for section in sections {
        if let Some(first) = seen.insert(&section.slug, section) {
            diagnostics.push(
                Diagnostic::error(
                    codes::DUPLICATE,
                    format!(
                        "two sections would be published at the same address `{}/`: {} and {}",
                        section.slug,
                        first.common.file.display(),
                        section.common.file.display()
                    ),
                )
                .at(Location::new(&section.common.file, 1, 1))
                .help("rename one of the files: the part after the ordering number becomes the address"),
            );
        }
    }
}

fn resolve_cover(
    exhibit: &str,
    cover: &Located<String>,
    items: &[Item],
    references: &References,
    media: &HashSet<&str>,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Cover> {
    let value = cover.value.trim();
    if let Some(&index) = references.items.get(value) {
        let item = &items[index];
        let image = item.images.first()?;
        return Some(Cover {
            url: urls::media(config, &format!("archive/{}/{}", item.id, image.src)),
            alt: image.alt.clone(),
            item: Some(item.id.clone()),
        });
    }
    if references.withheld.has(value) {
        references.item(value, &cover.location, diagnostics);
        return None;
    }
    let path = urls::normalize(&format!("exhibits/{exhibit}/{value}"));
    if media.contains(path.as_str()) {
        return Some(Cover {
            url: urls::media(config, &path),
            alt: String::new(),
            item: None,
        });
    }
    diagnostics.push(
        Diagnostic::error(
            codes::MISSING_MEDIA,
            format!("the cover `{value}` is neither an archive item nor an image in content/exhibits/{exhibit}/"),
        )
        .at(cover.location.clone().with_length(value.chars().count()))
        .help("give the id of an item with images (`cover: hx-0001`) or the file name of an image next to _index.md"),
    );
    None
}

fn check_items(
    items: &[Item],
    people: &FxHashMap<String, usize>,
    places: &FxHashMap<String, usize>,
    withheld: &Withheld,
    media: &HashSet<&str>,
    diagnostics: &mut Diagnostics,
) {
    for item in items {
        let authorities = [
            (&item.people, people, "people", "person"),
            (&item.places, places, "places", "place"),
        ];
        for (slugs, known, folder, what) in authorities {
            check_authorities(slugs, known, withheld, folder, what, diagnostics);
        }
        for image in &item.images {
            let path = urls::normalize(&format!("archive/{}/{}", item.id, image.src));
            if !media.contains(path.as_str()) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::MISSING_MEDIA,
                        format!("the image `{}` does not exist", image.src),
                    )
                    .at(image.location.clone())
                    .help(format!(
                        "put the file at content/{path}, or correct `src` (it is relative to content/archive/{}/)",
                        item.id
                    )),
                );
            }
        }
    }
}

fn check_authorities(
    slugs: &[Located<String>],
    known: &FxHashMap<String, usize>,
    withheld: &Withheld,
    folder: &str,
    what: &str,
    diagnostics: &mut Diagnostics,
) {
    for slug in slugs {
        if known.contains_key(slug.value.as_str()) || withheld.unreadable(folder, &slug.value) {
            continue;
        }
        let names: Vec<&str> = known.keys().map(String::as_str).collect();
        let help = match did_you_mean(&slug.value, &names) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "create content/{folder}/{}.md, or use the file name (without .md) of an existing {what} record",
                slug.value
            ),
        };
        diagnostics.push(
            Diagnostic::error(
                codes::UNKNOWN_AUTHORITY,
                format!("no {what} record has the slug `{}`", slug.value),
            )
            .at(slug
                .location
                .clone()
                .with_length(slug.value.chars().count()))
            .help(help),
        );
    }
}

fn shortcode_location(file: &Path, line: usize, column: usize) -> Location {
    Location::new(file, line, column)
}

fn check_shortcodes(
    file: &Path,
    body: &Body,
    references: &References,
    media: &HashSet<&str>,
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    for shortcode in &body.shortcodes {
        let at = shortcode_location(file, shortcode.line, shortcode.column);
        match &shortcode.kind {
            ShortcodeKind::Item { id } => {
                references.item(id, &at, diagnostics);
            }
            ShortcodeKind::Excerpt { item, .. } => {
                references.item(item, &at, diagnostics);
            }
            ShortcodeKind::Figure { src, url, .. } => {
                let path = url.strip_prefix(&config.base_path).unwrap_or(url);
                if !media.contains(path) {
                    diagnostics.push(
                        Diagnostic::error(codes::MISSING_MEDIA, format!("the figure `{src}` does not exist"))
                            .at(at)
                            .help(format!("put the image at content/{path}, or correct `src` (it is relative to the Markdown file's folder)")),
                    );
                }
            }
        }
    }
}

fn appearances(
    exhibits: &[ExhibitEntry],
    items: &[Item],
    index: &FxHashMap<String, usize>,
) -> Vec<Vec<Appearance>> {
    let mut appearances = vec![Vec::new(); items.len()];
    for (e, entry) in exhibits.iter().enumerate() {
        for (s, section) in entry.sections.iter().enumerate() {
            let mut seen = HashSet::new();
            for (index, quoted) in shown_items(&section.body, index) {
                if seen.insert((index, quoted)) {
                    appearances[index].push(Appearance {
                        exhibit: e,
                        section: s,
                        quoted,
                    });
                }
            }
        }
    }
    appearances
}

/// Items a body shows or quotes, in order, without reporting (sections are
/// checked by `check_section_bodies`).
fn shown_items(body: &Body, index: &FxHashMap<String, usize>) -> Vec<(usize, bool)> {
    body.shortcodes
        .iter()
        .filter_map(|sc| match &sc.kind {
            ShortcodeKind::Item { id } => index.get(id).map(|&i| (i, false)),
            ShortcodeKind::Excerpt { item, .. } => index.get(item).map(|&i| (i, true)),
            ShortcodeKind::Figure { .. } => None,
        })
        .collect()
}

/// Checks the shortcodes of every section (reporting unknown, restricted
/// and draft items, and missing figures).
fn check_section_bodies(
    exhibits: &[ExhibitEntry],
    references: &References,
    media: &HashSet<&str>,
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    for entry in exhibits {
        for section in &entry.sections {
            check_shortcodes(
                &section.common.file,
                &section.body,
                references,
                media,
                config,
                diagnostics,
            );
        }
    }
}

fn authority_items(
    items: &[Item],
    people: &FxHashMap<String, usize>,
    places: &FxHashMap<String, usize>,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut person_items = vec![Vec::new(); people.len()];
    let mut place_items = vec![Vec::new(); places.len()];
    for (index, item) in items.iter().enumerate() {
        for slug in item.people.iter().chain(&item.creator) {
            if let Some(&p) = people.get(slug.value.as_str())
                && person_items[p].last() != Some(&index)
            {
                person_items[p].push(index);
            }
        }
        for slug in &item.places {
            if let Some(&p) = places.get(slug.value.as_str())
                && place_items[p].last() != Some(&index)
            {
                place_items[p].push(index);
            }
        }
    }
    (person_items, place_items)
}

/// Exhibits and sections that involve an authority record: by showing one of
/// its items or by linking to its page.
fn authority_sections<T>(
    exhibits: &[ExhibitEntry],
    appearances: &[Vec<Appearance>],
    authority_items: &[Vec<usize>],
    folder: &str,
    records: &[T],
    config: &Config,
    slug_of: impl Fn(&T) -> &String,
) -> Vec<Vec<(usize, Option<usize>)>> {
    // Who links where, gathered once: asking every body about every record
    // grows with records × bodies.
    let mut linked_from: HashMap<&str, Vec<(usize, Option<usize>)>> = HashMap::new();
    for (e, entry) in exhibits.iter().enumerate() {
        for link in &entry.exhibit.body.links {
            linked_from.entry(&link.url).or_default().push((e, None));
        }
        for (s, section) in entry.sections.iter().enumerate() {
            for link in &section.body.links {
                linked_from.entry(&link.url).or_default().push((e, Some(s)));
            }
        }
    }
    records
        .iter()
        .enumerate()
        .map(|(r, record)| {
            let url = config.url(&format!("{folder}{}/", slug_of(record)));
            let mut found: Vec<(usize, Option<usize>)> = Vec::new();
            for &item in &authority_items[r] {
                for appearance in &appearances[item] {
                    found.push((appearance.exhibit, Some(appearance.section)));
                }
            }
            if let Some(places) = linked_from.get(url.as_str()) {
                found.extend(places);
            }
            found.sort();
            found.dedup();
            found
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn withheld(files: &[&str]) -> Withheld {
        let mut withheld = Withheld::default();
        // ex's section `one`, whose own file is fine, as resolve finds it.
        withheld.withhold_unreadable(files.iter().map(|f| f.to_string()), [("ex", "one")]);
        withheld
    }

    #[test]
    fn a_page_is_unreadable_when_its_file_or_its_exhibits_file_is() {
        let w = withheld(&[
            "exhibits/ex/_index.md",
            "exhibits/other/02-two.md",
            "pages/about.md",
            "people/li-da.md",
        ]);
        for url in [
            "exhibits/ex/",
            "exhibits/ex",
            "exhibits/ex/one/",
            "exhibits/other/two/",
            "about/",
            "people/li-da/",
        ] {
            assert!(w.unreadable_page(url), "{url}");
        }
        for url in [
            "exhibits/",
            "exhibits/ex2/",
            // Not a section of ex: a broken link whatever ex's file says.
            "exhibits/ex/typo/",
            "exhibits/other/",
            "exhibits/other/one/",
            "about-us/",
            "people/",
            "",
        ] {
            assert!(!w.unreadable_page(url), "{url}");
        }
        // The home page's own file.
        assert!(withheld(&["_index.md"]).unreadable_page(""));
        assert!(!withheld(&[]).unreadable_page("about/"));
    }
}
