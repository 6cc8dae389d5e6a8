//! One render job per page: which template, and the values it sees.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::context::{
    Breadcrumb, CardFacets, ImageContext, ItemCard, Link, MenuEntry, PageContext, Pagination,
    SiteContext, display, slots,
};
use super::page_file;
use super::related::{Scratch, SiteRelated};
use super::theme::{Theme, template_diagnostic};
use crate::content::Body;
use crate::diagnostics::Diagnostic;
use crate::images::iiif;
use crate::markdown::{self, ShortcodeKind};
use crate::site::browse::{self, FacetKind};
use crate::site::{Site, citation, timeline, urls};

/// A page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    Exhibits,
    Exhibit(usize),
    Section(usize, usize),
    Archive(usize),
    /// The index of the catalogue's facets (`/browse/`).
    BrowseIndex,
    /// Page `.1` (1-based) of facet value `.0` (index into `Site::facets`).
    Browse(usize, usize),
    Item(usize),
    People(usize),
    /// Page `.1` (1-based) of the items of person `.0`.
    Person(usize, usize),
    Places(usize),
    /// Page `.1` (1-based) of the items of place `.0`.
    Place(usize, usize),
    Tags(usize),
    /// Page `.1` (1-based) of the items of tag `.0`.
    Tag(usize, usize),
    Timeline(usize),
    Page(usize),
    Search,
    NotFound,
}

/// Every page of the site.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::Exhibits, Job::Search, Job::NotFound];
    jobs.extend((1..=timeline::page_count(site)).map(Job::Timeline));
    for (e, entry) in site.exhibits.iter().enumerate() {
        jobs.push(Job::Exhibit(e));
        jobs.extend((0..entry.sections.len()).map(|s| Job::Section(e, s)));
    }
    jobs.extend((1..=urls::page_count(site.items.len())).map(Job::Archive));
    jobs.push(Job::BrowseIndex);
    for (f, facet) in site.facets.iter().enumerate() {
        if facet.kind.has_browse_pages() {
            jobs.extend((1..=urls::page_count(facet.items.len())).map(|n| Job::Browse(f, n)));
        }
    }
    jobs.extend((0..site.items.len()).map(Job::Item));
    jobs.extend((1..=urls::page_count(site.people.len())).map(Job::People));
    for (p, items) in site.person_items.iter().enumerate() {
        jobs.extend((1..=urls::page_count(items.len())).map(|n| Job::Person(p, n)));
    }
    jobs.extend((1..=urls::page_count(site.places.len())).map(Job::Places));
    for (p, items) in site.place_items.iter().enumerate() {
        jobs.extend((1..=urls::page_count(items.len())).map(|n| Job::Place(p, n)));
    }
    jobs.extend((1..=urls::page_count(site.tags.len())).map(Job::Tags));
    for (t, tag) in site.tags.iter().enumerate() {
        jobs.extend((1..=urls::page_count(tag.items.len())).map(|n| Job::Tag(t, n)));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// The URL path of a job's page, relative to the base path.
pub fn job_path(site: &Site, job: Job) -> String {
    match job {
        Job::Home => String::new(),
        Job::Exhibits => urls::exhibits(),
        Job::Exhibit(e) => urls::exhibit(&site.exhibits[e].exhibit.slug),
        Job::Section(e, s) => urls::section(
            &site.exhibits[e].exhibit.slug,
            &site.exhibits[e].sections[s].slug,
        ),
        Job::Archive(n) => urls::paginated("archive/", n),
        Job::BrowseIndex => urls::browse(),
        Job::Browse(f, n) => urls::paginated(&facet_list(site, f), n),
        Job::Item(i) => urls::item(&site.items[i].id),
        Job::People(n) => urls::paginated("people/", n),
        Job::Person(i, n) => urls::paginated(&urls::person(&site.people[i].slug), n),
        Job::Places(n) => urls::paginated("places/", n),
        Job::Place(i, n) => urls::paginated(&urls::place(&site.places[i].slug), n),
        Job::Tags(n) => urls::paginated("tags/", n),
        Job::Tag(i, n) => urls::paginated(&urls::tag(&site.tags[i].slug), n),
        Job::Timeline(n) => urls::paginated("timeline/", n),
        Job::Page(i) => urls::page(&site.pages[i].slug),
        Job::Search => "search/".to_string(),
        Job::NotFound => "404.html".to_string(),
    }
}

/// Values shared by every page, computed once. The lazy ones are made on
/// first use, so `serve`, which builds a renderer per rebuild and renders
/// only the pages asked for, pays for them only when a page needs them.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    /// The timeline cut into pages, shared by every timeline page.
    timeline: OnceLock<Vec<Vec<timeline::Year<'a>>>>,
    /// `site` as shortcode templates see it (no menu entry is current).
    shortcode_site: OnceLock<tera::Value>,
    /// `site` for each set of current menu entries seen so far: pages
    /// differ only there, so a handful of values serve every page.
    site_values: Mutex<Vec<(Vec<bool>, tera::Value)>>,
    /// The menu's paths (`None` for pages) and URLs, in menu order.
    menu: OnceLock<Vec<(Option<&'static str>, String)>>,
    /// Every facet value grouped by kind, none current: the browse index.
    all_facet_groups: OnceLock<tera::Value>,
    /// Where each (kind, slug) is in `Site::facets`.
    facet_positions: OnceLock<FxHashMap<(FacetKind, &'a str), usize>>,
    /// The values that depend on the site alone and take a pass over all
    /// of it: the renderer's own, or lent by a longer-lived owner.
    shared: SharedCell<'a>,
}

/// How many related items an item page lists.
const RELATED: usize = 6;

thread_local! {
    /// Where [`Renderer::render_with`] renders a page: grown once to the
    /// largest page, instead of a new buffer for each.
    static PAGE_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Scratch space of [`Renderer::related`] for an item ranked alone.
    static RELATED_SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The values one page's template sees besides `site` and `page`.
type Vars = Vec<(&'static str, tera::Value)>;

/// A page ready to render: template, page values, other values.
type Prepared = (&'static str, PageContext, Vars);

/// Values made on first use that every renderer of one version of a site
/// can share: `serve` renders each page with a new renderer, and keeps one
/// of these per version so that they are made once, not per page served.
pub struct Shared {
    /// People's, places' and tags' item lists and their overlaps.
    related: OnceLock<SiteRelated>,
    /// Every item's related items, by index, best first: made before the
    /// pages by a full build ([`Renderer::rank_related`]); `serve` ranks
    /// only the items whose pages are asked for.
    ranked: OnceLock<Vec<Box<[u32]>>>,
    /// Each item's card: the same cards recur on tag, person, place, facet
    /// and item pages.
    cards: Vec<OnceLock<tera::Value>>,
}

impl Shared {
    pub fn new(site: &Site) -> Shared {
        Shared {
            related: OnceLock::new(),
            ranked: OnceLock::new(),
            cards: (0..site.items.len()).map(|_| OnceLock::new()).collect(),
        }
    }
}

/// A renderer's [`Shared`] values: its own, or lent.
enum SharedCell<'a> {
    Own(Box<Shared>),
    Lent(&'a Shared),
}

impl std::ops::Deref for SharedCell<'_> {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        match self {
            SharedCell::Own(shared) => shared,
            SharedCell::Lent(shared) => shared,
        }
    }
}

/// A person's, place's or tag's list of items, for [`Renderer::item_list_page`].
struct ListPage<'s> {
    /// The page kind, and the name its value has in the template.
    kind: &'static str,
    template: &'static str,
    /// The index the list belongs to: title and path.
    section: (&'static str, &'static str),
    name: &'s str,
    /// The list's first page.
    list: String,
    items: &'s [usize],
    description: String,
}

fn value<T: Serialize + ?Sized>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

/// Meta descriptions are cut to about this many characters.
const DESCRIPTION_CHARS: usize = 120;

fn describe(preferred: Option<&str>, body_text: &str, fallback: &str) -> String {
    let text =
        preferred
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(if body_text.trim().is_empty() {
                fallback
            } else {
                body_text
            });
    // The words joined by single spaces, read only as far as the cut: a
    // body can be long, and its page needs its first lines.
    let collapsed = text
        .split_whitespace()
        .enumerate()
        .flat_map(|(i, word)| (i > 0).then_some(' ').into_iter().chain(word.chars()));
    let mut description = String::new();
    for (n, c) in collapsed.enumerate() {
        if n == DESCRIPTION_CHARS {
            description.push('…');
            break;
        }
        description.push(c);
    }
    description
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        Renderer::with_shared(site, theme, SharedCell::Own(Box::new(Shared::new(site))))
    }

    /// A renderer using `shared`, which the renderers of one version of the
    /// site can share.
    pub fn lent(site: &'a Site, theme: &'a Theme, shared: &'a Shared) -> Self {
        Renderer::with_shared(site, theme, SharedCell::Lent(shared))
    }

    fn with_shared(site: &'a Site, theme: &'a Theme, shared: SharedCell<'a>) -> Self {
        Renderer {
            site,
            theme,
            shared,
            timeline: OnceLock::new(),
            shortcode_site: OnceLock::new(),
            site_values: Mutex::new(Vec::new()),
            menu: OnceLock::new(),
            all_facet_groups: OnceLock::new(),
            facet_positions: OnceLock::new(),
        }
    }

    /// Renders one page to (output file, HTML).
    pub fn render(&self, job: &Job) -> Result<(String, String), Diagnostic> {
        self.render_with(job, |path, html| {
            // Tera writes only text, so the bytes are UTF-8.
            debug_assert!(std::str::from_utf8(html).is_ok());
            (path, String::from_utf8_lossy(html).into_owned())
        })
    }

    /// Renders one page and hands its output file and HTML to `take`,
    /// straight from the buffer the thread keeps for pages: `build` writes
    /// them out as they are, with no copy of each page.
    pub fn render_with<R>(
        &self,
        job: &Job,
        take: impl FnOnce(String, &[u8]) -> R,
    ) -> Result<R, Diagnostic> {
        let path = job_path(self.site, *job);
        let (template, page, vars) = self.prepare(*job, &path);
        let mut context = tera::Context::new();
        context.insert_value("site", self.site_value(&page.url));
        context.insert("page", &page);
        for (name, v) in vars {
            context.insert_value(name, v);
        }
        // Taken out of its cell, not borrowed, while `take` runs: writing
        // may wait on rayon work (removing a folder in the way), and the
        // thread can then render another page meanwhile, which finds the
        // cell empty and uses a new buffer.
        let mut buffer = PAGE_BUFFER.take();
        buffer.clear();
        let rendered = self
            .theme
            .tera
            .render_to(template, &context, &mut buffer)
            .map(|()| take(page_file(&path), &buffer))
            .map_err(|e| template_diagnostic(&e, &self.theme.files, Some(&page.url)));
        PAGE_BUFFER.set(buffer);
        rendered
    }

    /// `site` for the page at `current_url`, shared with every page that
    /// has the same current menu entries.
    fn site_value(&self, current_url: &str) -> tera::Value {
        let current: Vec<bool> = self
            .menu_links()
            .iter()
            .map(|(path, url)| menu_current(*path, url, current_url))
            .collect();
        let cached = |values: &[(Vec<bool>, tera::Value)]| {
            values
                .iter()
                .find(|(c, _)| *c == current)
                .map(|(_, v)| v.clone())
        };
        // A poisoned lock is harmless: entries are pushed whole.
        if let Some(v) = cached(
            &self
                .site_values
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        ) {
            return v;
        }
        let v = value(&self.site_context(current_url));
        let mut values = self
            .site_values
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if cached(&values).is_none() {
            values.push((current, v.clone()));
        }
        v
    }

    fn menu_links(&self) -> &[(Option<&'static str>, String)] {
        self.menu.get_or_init(|| {
            let config = &self.site.config;
            MENU.iter()
                .map(|&(_, path)| (Some(path), config.url(path)))
                .chain(
                    self.site
                        .pages
                        .iter()
                        .filter(|p| p.menu)
                        .map(|p| (None, config.url(&urls::page(&p.slug)))),
                )
                .collect()
        })
    }

    fn site_context(&self, current_url: &str) -> SiteContext {
        let config = &self.site.config;
        let mut menu: Vec<MenuEntry> = MENU
            .iter()
            .map(|&(title, path)| {
                let url = config.url(path);
                let current = menu_current(Some(path), &url, current_url);
                MenuEntry {
                    title: title.to_string(),
                    url,
                    current,
                }
            })
            .collect();
        menu.extend(self.site.pages.iter().filter(|p| p.menu).map(|p| {
            let url = config.url(&urls::page(&p.slug));
            MenuEntry {
                title: p.common.title.clone(),
                current: menu_current(None, &url, current_url),
                url,
            }
        }));
        SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            institution: config.institution.clone(),
            rights: config.rights.clone(),
            base_url: config.base_url.clone(),
            base_path: config.base_path.clone(),
            extra: config.extra.clone(),
            menu,
            feed_url: config.url("feed.xml"),
            search_url: config.url("search/"),
            archive_url: config.url("archive/"),
        }
    }

    fn page(
        &self,
        path: &str,
        kind: &'static str,
        title: &str,
        description: String,
    ) -> PageContext {
        let config = &self.site.config;
        let url = config.url(path);
        PageContext {
            title: title.to_string(),
            is_home: kind == "home",
            description,
            permalink: config.permalink(&url),
            url,
            lang: config.language.clone(),
            kind,
            breadcrumbs: Vec::new(),
        }
    }

    fn crumb(&self, title: &str, path: &str) -> Breadcrumb {
        Breadcrumb {
            title: title.to_string(),
            url: self.site.config.url(path),
        }
    }

    fn home_crumb(&self) -> Breadcrumb {
        self.crumb("首页", "")
    }

    fn prepare(&self, job: Job, path: &str) -> Prepared {
        let site = self.site;
        let config = &site.config;
        match job {
            Job::Home => {
                let (title, body_html, description) = match &site.home {
                    Some(home) => (
                        home.common.title.clone(),
                        self.body_html(&home.body.html, &home.body),
                        describe(
                            home.description.as_deref(),
                            &home.body.text,
                            &config.description,
                        ),
                    ),
                    None => (
                        config.title.clone(),
                        String::new(),
                        config.description.clone(),
                    ),
                };
                let page = self.page(path, "home", &title, description);
                let home = serde_json::json!({ "title": title, "content_html": body_html });
                (
                    "index.html",
                    page,
                    vec![
                        ("home", value(&home)),
                        ("exhibits", value(&self.exhibit_cards())),
                    ],
                )
            }
            Job::Exhibits => {
                let mut page = self.page(
                    path,
                    "exhibits",
                    "展览",
                    format!("{}的全部展览", config.title),
                );
                page.breadcrumbs = vec![self.home_crumb()];
                (
                    "exhibits.html",
                    page,
                    vec![("exhibits", value(&self.exhibit_cards()))],
                )
            }
            Job::Exhibit(e) => self.exhibit_page(e, None, path),
            Job::Section(e, s) => self.exhibit_page(e, Some(s), path),
            Job::Archive(n) => {
                let total = urls::page_count(site.items.len());
                let title = paged_title("档案", n);
                let mut page = self.page(
                    path,
                    "archive",
                    &title,
                    format!("{}收录的全部档案，按日期排列", config.title),
                );
                page.breadcrumbs = vec![self.home_crumb()];
                let items = page_slice(&site.items, n);
                let values: Vec<Vec<(FacetKind, Cow<str>)>> =
                    items.iter().map(|i| browse::item_values(site, i)).collect();
                let facet_groups = self.page_facet_groups(&values);
                let cards: Vec<ItemCard> = items
                    .iter()
                    .zip(values)
                    .map(|(i, values)| ItemCard {
                        facets: Some(CardFacets::new(i, values)),
                        ..ItemCard::new(site, i)
                    })
                    .collect();
                let pagination = Pagination::new(site, "archive/", n, total);
                (
                    "archive.html",
                    page,
                    vec![
                        ("items", value(&cards)),
                        ("pagination", value(&pagination)),
                        ("facet_groups", value(&facet_groups)),
                        ("browse_url", value(&config.url(&urls::browse()))),
                    ],
                )
            }
            Job::BrowseIndex => {
                let mut page = self.page(
                    path,
                    "browse",
                    "分类浏览",
                    format!("按类别、年代、主题、人物与地点浏览{}的档案", config.title),
                );
                page.breadcrumbs = vec![self.home_crumb(), self.crumb("档案", "archive/")];
                (
                    "browse.html",
                    page,
                    vec![("facet_groups", self.all_facet_groups())],
                )
            }
            Job::Browse(f, n) => self.facet_page(f, n, path),
            Job::Item(i) => self.item_page(i, path),
            Job::People(n) => self.people_page(n, path),
            Job::Person(i, n) => self.person_page(i, n, path),
            Job::Places(n) => self.places_page(n, path),
            Job::Place(i, n) => self.place_page(i, n, path),
            Job::Tags(n) => self.tags_page(n, path),
            Job::Tag(i, n) => self.tag_page(i, n, path),
            Job::Timeline(n) => self.timeline_page(n, path),
            Job::Page(i) => {
                let p = &site.pages[i];
                let mut page = self.page(
                    path,
                    "page",
                    &p.common.title,
                    describe(p.description.as_deref(), &p.body.text, &config.description),
                );
                page.breadcrumbs = vec![self.home_crumb()];
                let content = serde_json::json!({
                    "title": p.common.title,
                    "content_html": self.body_html(&p.body.html, &p.body),
                });
                ("page.html", page, vec![("content", value(&content))])
            }
            Job::Search => {
                let mut page = self.page(
                    path,
                    "search",
                    "检索",
                    format!("检索{}的档案、展览、人物与地点", config.title),
                );
                page.breadcrumbs = vec![self.home_crumb()];
                let search = crate::search::page_values(site);
                ("search.html", page, vec![("search", value(&search))])
            }
            Job::NotFound => {
                let page = self.page(path, "404", "页面未找到", "页面未找到".to_string());
                ("404.html", page, Vec::new())
            }
        }
    }

    /// Expands shortcode markers in `html` with the shortcode templates.
    fn body_html(&self, html: &str, body: &Body) -> String {
        // Markers are only made for the body's shortcodes (text that looks
        // like one is defused), so without shortcodes there is none to find.
        if body.shortcodes.is_empty() {
            return html.to_string();
        }
        markdown::expand_shortcodes(html, |index| {
            let Some(shortcode) = body.shortcodes.get(index) else {
                return String::new();
            };
            let mut context = tera::Context::new();
            let template = match &shortcode.kind {
                ShortcodeKind::Item { id } => {
                    let Some(item) = self.site.item_position(id) else {
                        return String::new();
                    };
                    context.insert_value("item", self.card(item));
                    context.insert("caption_html", &Option::<String>::None);
                    "shortcodes/item.html"
                }
                ShortcodeKind::Excerpt {
                    item, body_html, ..
                } => {
                    let Some(item) = self.site.item_position(item) else {
                        return String::new();
                    };
                    context.insert_value("item", self.card(item));
                    context.insert("body_html", body_html);
                    "shortcodes/excerpt.html"
                }
                ShortcodeKind::Figure {
                    url, alt, caption, ..
                } => {
                    let base = &self.site.config.base_path;
                    let image = url.strip_prefix(base.as_str()).map(|path| {
                        ImageContext::new(self.site, path, alt, caption.clone(), slots::FIGURE)
                    });
                    context.insert("src", &urls::encode_path(url));
                    context.insert("alt", alt);
                    context.insert("caption", caption);
                    context.insert("image", &image);
                    "shortcodes/figure.html"
                }
            };
            let site = self
                .shortcode_site
                .get_or_init(|| value(&self.site_context("")));
            context.insert_value("site", site.clone());
            self.theme
                .tera
                .render(template, &context)
                .unwrap_or_default()
        })
    }

    fn exhibit_cards(&self) -> Vec<serde_json::Value> {
        (0..self.site.exhibits.len())
            .map(|e| self.exhibit_card(e))
            .collect()
    }

    fn exhibit_card(&self, e: usize) -> serde_json::Value {
        let entry = &self.site.exhibits[e];
        let exhibit = &entry.exhibit;
        let cover = entry.cover.as_ref().map(|c| {
            let alt = if c.alt.is_empty() {
                &exhibit.common.title
            } else {
                &c.alt
            };
            ImageContext::from_url(self.site, &c.url, alt, slots::COVER)
        });
        serde_json::json!({
            "slug": exhibit.slug,
            "url": self.site.config.url(&urls::exhibit(&exhibit.slug)),
            "title": exhibit.common.title,
            "subtitle": exhibit.subtitle,
            "summary": exhibit.summary,
            "opened": display(&exhibit.opened),
            "closes": display(&exhibit.closes),
            "cover": cover,
            "section_count": entry.sections.len(),
        })
    }

    fn exhibit_page(&self, e: usize, current: Option<usize>, path: &str) -> Prepared {
        let site = self.site;
        let config = &site.config;
        let entry = &site.exhibits[e];
        let exhibit = &entry.exhibit;
        let section_url =
            |s: usize| config.url(&urls::section(&exhibit.slug, &entry.sections[s].slug));
        let sections: Vec<serde_json::Value> = entry
            .sections
            .iter()
            .enumerate()
            .map(|(s, section)| {
                serde_json::json!({
                    "number": s + 1,
                    "title": section.common.title,
                    "summary": section.summary,
                    "url": section_url(s),
                    "current": current == Some(s),
                })
            })
            .collect();
        let mut card = self.exhibit_card(e);
        if let Some(map) = card.as_object_mut() {
            map.insert(
                "content_html".into(),
                self.body_html(&exhibit.body.html, &exhibit.body).into(),
            );
            map.insert("curators".into(), serde_json::json!(exhibit.curators));
            let tags: Vec<Link> = exhibit
                .tags
                .iter()
                .map(|t| self.tag_link(&t.value))
                .collect();
            map.insert("tags".into(), serde_json::json!(tags));
            map.insert("sections".into(), serde_json::Value::Array(sections));
        }
        let Some(s) = current else {
            let mut page = self.page(
                path,
                "exhibit",
                &exhibit.common.title,
                describe(
                    exhibit.summary.as_deref(),
                    &exhibit.body.text,
                    &config.description,
                ),
            );
            page.breadcrumbs = vec![self.home_crumb(), self.crumb("展览", "exhibits/")];
            return ("exhibit.html", page, vec![("exhibit", value(&card))]);
        };
        let section = &entry.sections[s];
        let neighbour = |s: usize| serde_json::json!({ "title": entry.sections[s].common.title, "url": section_url(s) });
        let mut seen = Vec::new();
        for shortcode in &section.body.shortcodes {
            let id = match &shortcode.kind {
                ShortcodeKind::Item { id } => id,
                ShortcodeKind::Excerpt { item, .. } => item,
                ShortcodeKind::Figure { .. } => continue,
            };
            if let Some(item) = site.item_position(id)
                && !seen.contains(&item)
            {
                seen.push(item);
            }
        }
        let section_value = serde_json::json!({
            "number": s + 1,
            "title": section.common.title,
            "summary": section.summary,
            "url": section_url(s),
            "content_html": self.body_html(&section.body.html, &section.body),
            "prev": (s > 0).then(|| neighbour(s - 1)),
            "next": (s + 1 < entry.sections.len()).then(|| neighbour(s + 1)),
        });
        let section_value = with_values(&section_value, vec![("items", self.cards(&seen))]);
        let mut page = self.page(
            path,
            "section",
            &section.common.title,
            describe(
                section.summary.as_deref(),
                &section.body.text,
                &config.description,
            ),
        );
        page.breadcrumbs = vec![
            self.home_crumb(),
            self.crumb("展览", "exhibits/"),
            self.crumb(&exhibit.common.title, &urls::exhibit(&exhibit.slug)),
        ];
        (
            "section.html",
            page,
            vec![("exhibit", value(&card)), ("section", section_value)],
        )
    }

    /// Every facet value grouped by kind, none current (shared).
    fn all_facet_groups(&self) -> tera::Value {
        self.all_facet_groups
            .get_or_init(|| value(&self.facet_groups_of(&FacetKind::ALL, None)))
            .clone()
    }

    /// The facet values found on one archive page, from its cards' values,
    /// grouped by kind as in [`Self::facet_groups_of`], each counting the
    /// cards of the page that have it: the page's filters work on its own
    /// cards, and listing every value of the catalogue on each of its
    /// pages would grow the catalogue as its square.
    fn page_facet_groups(&self, cards: &[Vec<(FacetKind, Cow<str>)>]) -> Vec<serde_json::Value> {
        let site = self.site;
        let positions = self.facet_positions.get_or_init(|| {
            site.facets
                .iter()
                .enumerate()
                .map(|(f, facet)| ((facet.kind, facet.slug.as_str()), f))
                .collect()
        });
        // In site order: kinds in order, values in order within each.
        let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
        for (kind, slug) in cards.iter().flatten() {
            if let Some(&f) = positions.get(&(*kind, slug.as_ref())) {
                *counts.entry(f).or_default() += 1;
            }
        }
        self.group_facets(counts.into_iter().map(|(f, count)| (f, count, false)))
    }

    /// Facet values, as (position in `Site::facets`, count, whether it is
    /// the page shown) in site order, grouped by kind.
    fn group_facets(
        &self,
        values: impl IntoIterator<Item = (usize, usize, bool)>,
    ) -> Vec<serde_json::Value> {
        let site = self.site;
        let mut groups: Vec<(FacetKind, Vec<serde_json::Value>)> = Vec::new();
        for (f, count, current) in values {
            let facet = &site.facets[f];
            let value = serde_json::json!({
                "slug": facet.slug,
                "label": facet.label,
                "count": count,
                "url": site.config.url(&facet_list(site, f)),
                "current": current,
            });
            match groups.last_mut() {
                Some((kind, values)) if *kind == facet.kind => values.push(value),
                _ => groups.push((facet.kind, vec![value])),
            }
        }
        groups
            .into_iter()
            .map(|(kind, values)| {
                serde_json::json!({
                    "kind": kind.code(),
                    "label": kind.label(),
                    "values": values,
                })
            })
            .collect()
    }

    /// The facet values of `kinds` grouped by kind, each with its count
    /// and URL; `current` marks one value as the page being shown.
    fn facet_groups_of(
        &self,
        kinds: &[FacetKind],
        current: Option<usize>,
    ) -> Vec<serde_json::Value> {
        // Facets are grouped by kind in `FacetKind::ALL` order, as `kinds` is.
        self.group_facets(
            self.site
                .facets
                .iter()
                .enumerate()
                .filter(|(_, facet)| kinds.contains(&facet.kind))
                .map(|(f, facet)| (f, facet.items.len(), current == Some(f))),
        )
    }

    fn facet_page(&self, f: usize, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let facet = &site.facets[f];
        let list = facet_list(site, f);
        let total = urls::page_count(facet.items.len());
        let title = paged_title(&format!("{}：{}", facet.kind.label(), facet.label), n);
        let mut page = self.page(
            path,
            "facet",
            &title,
            format!(
                "{}中{}为“{}”的档案，共{}件",
                site.config.title,
                facet.kind.label(),
                facet.label,
                facet.items.len()
            ),
        );
        page.breadcrumbs = vec![
            self.home_crumb(),
            self.crumb("档案", "archive/"),
            self.crumb("分类浏览", &urls::browse()),
        ];
        let cards = self.cards(page_slice(&facet.items, n));
        let facet_value = serde_json::json!({
            "kind": facet.kind.code(),
            "kind_label": facet.kind.label(),
            "slug": facet.slug,
            "label": facet.label,
            "count": facet.items.len(),
            "url": site.config.url(&list),
        });
        let pagination = Pagination::new(site, &list, n, total);
        // Types and decades, the kinds with facet pages, are few: each
        // facet page lists its siblings.
        let siblings = self.facet_groups_of(&[facet.kind], Some(f));
        (
            "facet.html",
            page,
            vec![
                ("facet", value(&facet_value)),
                ("items", cards),
                ("pagination", value(&pagination)),
                ("facet_group", value(&siblings.first())),
                ("browse_url", value(&site.config.url(&urls::browse()))),
            ],
        )
    }

    fn tag_link(&self, name: &str) -> Link {
        let url = self
            .site
            .tag(name)
            .map(|tag| self.site.config.url(&urls::tag(&tag.slug)));
        Link {
            title: name.to_string(),
            url,
        }
    }

    fn person_link(&self, slug_or_name: &str) -> Link {
        match self.site.person(slug_or_name) {
            Some(person) => Link {
                title: person.common.title.clone(),
                url: Some(self.site.config.url(&urls::person(&person.slug))),
            },
            None => Link {
                title: slug_or_name.to_string(),
                url: None,
            },
        }
    }

    fn place_link(&self, slug: &str) -> Link {
        match self.site.place(slug) {
            Some(place) => Link {
                title: place.common.title.clone(),
                url: Some(self.site.config.url(&urls::place(&place.slug))),
            },
            None => Link {
                title: slug.to_string(),
                url: None,
            },
        }
    }

    fn item_page(&self, i: usize, path: &str) -> Prepared {
        let site = self.site;
        let config = &site.config;
        let item = &site.items[i];
        let creators: Vec<Link> = item
            .creator
            .iter()
            .map(|c| self.person_link(&c.value))
            .collect();
        let repository = item
            .repository
            .clone()
            .unwrap_or_else(|| config.institution.clone());
        let rights = item.rights.clone().unwrap_or_else(|| config.rights.clone());
        let mut metadata: Vec<MetadataRow> = Vec::new();
        let mut row = |label: &'static str, values: Vec<Link>| {
            if !values.is_empty() && values.iter().any(|v| !v.title.trim().is_empty()) {
                metadata.push(MetadataRow { label, values });
            }
        };
        let text = |value: &str| {
            vec![Link {
                title: value.to_string(),
                url: None,
            }]
        };
        let optional = |value: &Option<String>| value.as_deref().map(text).unwrap_or_default();
        row("档号", text(&item.reference));
        row("题名", text(&item.common.title));
        row(
            "日期",
            display(&item.date).map(|d| text(&d)).unwrap_or_default(),
        );
        row("类别", text(item.item_type.label()));
        row("责任者", creators.clone());
        row("全宗", optional(&item.fonds));
        row("馆藏单位", text(&repository));
        row("数量/尺寸", optional(&item.extent));
        row("语种", optional(&item.language));
        row("出处", optional(&item.source));
        row("开放状态", text("开放"));
        row("权利", text(&rights));
        row(
            "人物",
            item.people
                .iter()
                .map(|p| self.person_link(&p.value))
                .collect(),
        );
        row(
            "地点",
            item.places
                .iter()
                .map(|p| self.place_link(&p.value))
                .collect(),
        );
        row(
            "主题词",
            item.tags.iter().map(|t| self.tag_link(&t.value)).collect(),
        );

        let images: Vec<ImageContext> = item
            .images
            .iter()
            .enumerate()
            .map(|(n, image)| {
                let slot = if n == 0 {
                    slots::ITEM_MAIN
                } else {
                    slots::ITEM_MORE
                };
                ImageContext::new(
                    site,
                    &format!("archive/{}/{}", item.id, image.src),
                    &image.alt,
                    image.caption.clone(),
                    slot,
                )
            })
            .collect();
        let shown_in: Vec<ShownIn> = site.appearances[i]
            .iter()
            .map(|a| {
                let entry = &site.exhibits[a.exhibit];
                let section = &entry.sections[a.section];
                ShownIn {
                    exhibit_title: &entry.exhibit.common.title,
                    section_title: &section.common.title,
                    url: config.url(&urls::section(&entry.exhibit.slug, &section.slug)),
                    quoted: a.quoted,
                }
            })
            .collect();
        let creator_names: Vec<String> = creators.iter().map(|c| c.title.clone()).collect();
        let source = citation::CitationSource {
            creators: &creator_names,
            title: &item.common.title,
            date: item.date.as_ref().map(|d| d.value.as_written()),
            repository: &repository,
            reference: &item.reference,
        };
        let url = config.url(&urls::item(&item.id));
        let published = item
            .published
            .as_ref()
            .map(|d| d.value.as_written().to_string());
        let citation = Citation {
            original: citation::original(&source),
            online: citation::online(&source, &config.permalink(&url), published.as_deref()),
        };
        // IIIF drag-and-drop: a link carrying `?manifest=` with the
        // absolute manifest URL can be dropped onto any IIIF viewer.
        let (manifest_url, manifest_drag_url) = if iiif::has_manifest(item, &site.images) {
            let manifest = config.url(&iiif::manifest_path(&item.id));
            let drag = format!(
                "{manifest}?manifest={}",
                percent_encode_query(&config.permalink(&manifest))
            );
            (Some(manifest), Some(drag))
        } else {
            (None, None)
        };
        let transcription = item
            .body
            .transcription_html
            .as_ref()
            .map(|h| super::editorial::mark(&self.body_html(h, &item.body)));
        let fields = ItemFields {
            id: &item.id,
            url,
            title: &item.common.title,
            reference: &item.reference,
            date: display(&item.date).unwrap_or_default(),
            date_raw: item.date.as_ref().map(|d| d.value.as_written()),
            item_type: item.item_type.code(),
            type_label: item.item_type.label(),
            description_html: self.body_html(&item.body.html, &item.body),
            transcription_html: transcription.as_ref().map(|(html, _)| html.as_str()),
            transcription_marks: transcription.as_ref().map(|(_, marks)| marks),
            has_zoom: images.iter().any(|image| image.zoom.is_some()),
            images: &images,
            metadata,
            shown_in,
            citation,
            manifest_url,
            manifest_drag_url,
        };
        let item_value = with_values(&fields, vec![("related", self.related(i))]);
        let mut page = self.page(
            path,
            "item",
            &item.common.title,
            describe(
                None,
                &item.body.text,
                &format!("{} {}", item.reference, item.common.title),
            ),
        );
        page.breadcrumbs = vec![self.home_crumb(), self.crumb("档案", "archive/")];
        ("item.html", page, vec![("item", item_value)])
    }

    /// Ranks every item's related items in parallel, for the item pages
    /// to find made: call before rendering pages in parallel.
    pub fn rank_related(&self) {
        let related = self.site_related();
        self.shared
            .ranked
            .get_or_init(|| related.rank_all(self.site, RELATED));
    }

    fn site_related(&self) -> &SiteRelated {
        self.shared
            .related
            .get_or_init(|| SiteRelated::new(self.site))
    }

    /// Items sharing people, places or tags with item `i`, most shared
    /// first (then in site order): the cards of the first [`RELATED`].
    fn related(&self, i: usize) -> tera::Value {
        let as_indexes = |ranked: &[u32]| ranked.iter().map(|&o| o as usize).collect::<Vec<_>>();
        let ranked = match self.shared.ranked.get() {
            Some(all) => all.get(i).map(|r| as_indexes(r)).unwrap_or_default(),
            None => RELATED_SCRATCH.with_borrow_mut(|scratch| {
                as_indexes(&self.site_related().rank(self.site, i, RELATED, scratch))
            }),
        };
        self.cards(&ranked)
    }

    fn appearances_links(&self, found: &[(usize, Option<usize>)]) -> Vec<Link> {
        let config = &self.site.config;
        found
            .iter()
            .map(|&(e, s)| {
                let entry = &self.site.exhibits[e];
                match s {
                    Some(s) => {
                        let section = &entry.sections[s];
                        Link {
                            title: format!(
                                "{} · {}",
                                entry.exhibit.common.title, section.common.title
                            ),
                            url: Some(
                                config.url(&urls::section(&entry.exhibit.slug, &section.slug)),
                            ),
                        }
                    }
                    None => Link {
                        title: entry.exhibit.common.title.clone(),
                        url: Some(config.url(&urls::exhibit(&entry.exhibit.slug))),
                    },
                }
            })
            .collect()
    }

    /// The card of item `i` (shared, cheap to clone).
    fn card(&self, i: usize) -> tera::Value {
        self.shared.cards[i]
            .get_or_init(|| value(&ItemCard::new(self.site, &self.site.items[i])))
            .clone()
    }

    fn cards(&self, indexes: &[usize]) -> tera::Value {
        tera::Value::from(indexes.iter().map(|&i| self.card(i)).collect::<Vec<_>>())
    }

    fn people_page(&self, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let offset = (n - 1) * urls::PAGE_SIZE;
        let people: Vec<serde_json::Value> = page_slice(&site.people, n)
            .iter()
            .enumerate()
            .map(|(k, p)| {
                serde_json::json!({
                    "slug": p.slug,
                    "url": site.config.url(&urls::person(&p.slug)),
                    "title": p.common.title,
                    "lifespan": lifespan(p),
                    "aliases": p.aliases,
                    "summary": p.summary,
                    "item_count": site.person_items[offset + k].len(),
                })
            })
            .collect();
        let mut page = self.page(
            path,
            "people",
            "人物",
            format!("{}中的人物", site.config.title),
        );
        page.breadcrumbs = vec![self.home_crumb()];
        let pagination = Pagination::new(site, "people/", n, urls::page_count(site.people.len()));
        (
            "people.html",
            page,
            vec![
                ("people", value(&people)),
                ("pagination", value(&pagination)),
            ],
        )
    }

    /// The text and the exhibits of a person or place for page `n` of its
    /// items: shown on the first page only, so later pages skip making them.
    fn first_page_text(
        &self,
        n: usize,
        body: &Body,
        sections: &[(usize, Option<usize>)],
    ) -> (String, Vec<Link>) {
        if n > 1 {
            (String::new(), Vec::new())
        } else {
            (
                self.body_html(&body.html, body),
                self.appearances_links(sections),
            )
        }
    }

    fn person_page(&self, i: usize, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let person = &site.people[i];
        let list = urls::person(&person.slug);
        let items = &site.person_items[i];
        let (content_html, exhibits) =
            self.first_page_text(n, &person.body, &site.person_sections[i]);
        let person_value = serde_json::json!({
            "slug": person.slug,
            "url": site.config.url(&list),
            "title": person.common.title,
            "born": display(&person.born),
            "died": display(&person.died),
            "lifespan": lifespan(person),
            "aliases": person.aliases,
            "summary": person.summary,
            "content_html": content_html,
            "exhibits": exhibits,
            "item_count": items.len(),
        });
        self.item_list_page(
            ListPage {
                kind: "person",
                template: "person.html",
                section: ("人物", "people/"),
                name: &person.common.title,
                list,
                items,
                description: describe(
                    person.summary.as_deref(),
                    &person.body.text,
                    &person.common.title,
                ),
            },
            person_value,
            n,
            path,
        )
    }

    fn places_page(&self, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let offset = (n - 1) * urls::PAGE_SIZE;
        let places: Vec<serde_json::Value> = page_slice(&site.places, n)
            .iter()
            .enumerate()
            .map(|(k, p)| {
                serde_json::json!({
                    "slug": p.slug,
                    "url": site.config.url(&urls::place(&p.slug)),
                    "title": p.common.title,
                    "address": p.address,
                    "summary": p.summary,
                    "item_count": site.place_items[offset + k].len(),
                })
            })
            .collect();
        let mut page = self.page(
            path,
            "places",
            "地点",
            format!("{}中的地点", site.config.title),
        );
        page.breadcrumbs = vec![self.home_crumb()];
        let pagination = Pagination::new(site, "places/", n, urls::page_count(site.places.len()));
        (
            "places.html",
            page,
            vec![
                ("places", value(&places)),
                ("pagination", value(&pagination)),
            ],
        )
    }

    fn place_page(&self, i: usize, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let place = &site.places[i];
        let list = urls::place(&place.slug);
        let items = &site.place_items[i];
        let (content_html, exhibits) =
            self.first_page_text(n, &place.body, &site.place_sections[i]);
        let place_value = serde_json::json!({
            "slug": place.slug,
            "url": site.config.url(&list),
            "title": place.common.title,
            "address": place.address,
            "lat": place.lat,
            "lon": place.lon,
            "summary": place.summary,
            "content_html": content_html,
            "exhibits": exhibits,
            "item_count": items.len(),
        });
        self.item_list_page(
            ListPage {
                kind: "place",
                template: "place.html",
                section: ("地点", "places/"),
                name: &place.common.title,
                list,
                items,
                description: describe(
                    place.summary.as_deref(),
                    &place.body.text,
                    &place.common.title,
                ),
            },
            place_value,
            n,
            path,
        )
    }

    fn tags_page(&self, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let tags: Vec<serde_json::Value> = page_slice(&site.tags, n)
            .iter()
            .map(|t| {
                serde_json::json!({
                    "name": t.name,
                    "slug": t.slug,
                    "url": site.config.url(&urls::tag(&t.slug)),
                    "count": t.items.len() + t.exhibits.len(),
                })
            })
            .collect();
        let mut page = self.page(
            path,
            "tags",
            "主题",
            format!("{}的主题词", site.config.title),
        );
        page.breadcrumbs = vec![self.home_crumb()];
        let pagination = Pagination::new(site, "tags/", n, urls::page_count(site.tags.len()));
        (
            "tags.html",
            page,
            vec![("tags", value(&tags)), ("pagination", value(&pagination))],
        )
    }

    fn tag_page(&self, i: usize, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let tag = &site.tags[i];
        let list = urls::tag(&tag.slug);
        // The exhibits are listed on the first page only.
        let shown: &[usize] = if n > 1 { &[] } else { &tag.exhibits };
        let exhibits: Vec<Link> = shown
            .iter()
            .map(|&e| Link {
                title: site.exhibits[e].exhibit.common.title.clone(),
                url: Some(
                    site.config
                        .url(&urls::exhibit(&site.exhibits[e].exhibit.slug)),
                ),
            })
            .collect();
        let tag_value = serde_json::json!({
            "name": tag.name,
            "slug": tag.slug,
            "url": site.config.url(&list),
            "exhibits": exhibits,
            "item_count": tag.items.len(),
        });
        self.item_list_page(
            ListPage {
                kind: "tag",
                template: "tag.html",
                section: ("主题", "tags/"),
                name: &tag.name,
                list,
                items: &tag.items,
                description: format!("主题“{}”下的档案与展览", tag.name),
            },
            tag_value,
            n,
            path,
        )
    }

    /// Page `n` of a person's, place's or tag's items: `subject` (what the
    /// template sees as `kind`) with that page's item cards, breadcrumbs
    /// up to the list's first page, and the page links.
    fn item_list_page(
        &self,
        list_page: ListPage<'_>,
        subject: serde_json::Value,
        n: usize,
        path: &str,
    ) -> Prepared {
        let ListPage {
            kind,
            template,
            section: (section_title, section_path),
            name,
            list,
            items,
            description,
        } = list_page;
        let subject = with_values(&subject, vec![("items", self.cards(page_slice(items, n)))]);
        let mut page = self.page(path, kind, &paged_title(name, n), description);
        page.breadcrumbs = vec![self.home_crumb(), self.crumb(section_title, section_path)];
        if n > 1 {
            page.breadcrumbs.push(self.crumb(name, &list));
        }
        let pagination = Pagination::new(self.site, &list, n, urls::page_count(items.len()));
        (
            template,
            page,
            vec![(kind, subject), ("pagination", value(&pagination))],
        )
    }

    fn timeline_page(&self, n: usize, path: &str) -> Prepared {
        let site = self.site;
        let config = &site.config;
        let pages = self.timeline.get_or_init(|| timeline::paginate(site));
        let total = pages.len();
        let decades: Vec<serde_json::Value> = timeline::decades(pages)
            .into_iter()
            .map(|(decade, page)| {
                let url = config.url(&urls::paginated("timeline/", page));
                serde_json::json!({
                    "label": format!("{decade}年代"),
                    "anchor": format!("d{decade}"),
                    "url": format!("{url}#d{decade}"),
                })
            })
            .collect();
        let years = pages.get(n - 1).map(Vec::as_slice).unwrap_or_default();
        let years_value: Vec<serde_json::Value> = years
            .iter()
            .map(|year| {
                let entries: Vec<serde_json::Value> = year
                    .entries
                    .iter()
                    .map(|entry| {
                        let (title, url, kind, kind_label) = match entry.kind {
                            timeline::EntryKind::Item(i) => {
                                let item = &site.items[i];
                                (
                                    item.common.title.clone(),
                                    config.url(&urls::item(&item.id)),
                                    "item",
                                    item.item_type.label(),
                                )
                            }
                            timeline::EntryKind::Exhibit(e) => {
                                let exhibit = &site.exhibits[e].exhibit;
                                (
                                    exhibit.common.title.clone(),
                                    config.url(&urls::exhibit(&exhibit.slug)),
                                    "exhibit",
                                    "展览",
                                )
                            }
                        };
                        serde_json::json!({
                            "date": entry.date.display_zh(),
                            "title": title,
                            "url": url,
                            "kind": kind,
                            "kind_label": kind_label,
                            "approximate": entry.date.is_approximate(),
                            "uncertain": entry.date.is_uncertain(),
                        })
                    })
                    .collect();
                let decade = year.year.div_euclid(10) * 10;
                serde_json::json!({
                    "year": year.year,
                    "anchor": format!("y{}", year.year),
                    "decade_anchor": year.starts_decade.then(|| format!("d{decade}")),
                    "decade_label": year.starts_decade.then(|| format!("{decade}年代")),
                    "entries": entries,
                })
            })
            .collect();
        let title = paged_title("时间线", n);
        let mut page = self.page(
            path,
            "timeline",
            &title,
            format!("{}的档案与展览，按年份排列", config.title),
        );
        page.breadcrumbs = vec![self.home_crumb()];
        let pagination = Pagination::new(site, "timeline/", n, total);
        (
            "timeline.html",
            page,
            vec![
                ("years", value(&years_value)),
                ("decades", value(&decades)),
                ("pagination", value(&pagination)),
            ],
        )
    }
}

fn lifespan(person: &crate::content::Person) -> Option<String> {
    match (display(&person.born), display(&person.died)) {
        (None, None) => None,
        (Some(born), Some(died)) => Some(format!("{born}—{died}")),
        (Some(born), None) => Some(format!("{born}—")),
        (None, Some(died)) => Some(format!("?—{died}")),
    }
}

/// The list URL (first page) of facet value `f`.
fn facet_list(site: &Site, f: usize) -> String {
    site.facets[f].list_path()
}

/// Percent-encodes a URL for use as a query value (`:`, `/`, `?`, `&`, …).
fn percent_encode_query(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The title of page `n` (1-based) of a list titled `title`: `档案 · 第2页`.
fn paged_title(title: &str, n: usize) -> String {
    if n > 1 {
        format!("{title} · 第{n}页")
    } else {
        title.to_string()
    }
}

/// Entries of page `n` (1-based) of a paginated list.
fn page_slice<T>(list: &[T], n: usize) -> &[T] {
    let start = ((n.max(1) - 1) * urls::PAGE_SIZE).min(list.len());
    let end = (start + urls::PAGE_SIZE).min(list.len());
    &list[start..end]
}

/// The built-in menu entries: title and path.
const MENU: [(&str, &str); 7] = [
    ("首页", ""),
    ("展览", "exhibits/"),
    ("档案", "archive/"),
    ("人物", "people/"),
    ("地点", "places/"),
    ("主题", "tags/"),
    ("时间线", "timeline/"),
];

/// Whether the menu entry at `url` is current on the page at `current_url`:
/// sections (built-in entries but the home page) hold the pages below them.
fn menu_current(path: Option<&str>, url: &str, current_url: &str) -> bool {
    match path {
        Some(path) if !path.is_empty() => current_url.starts_with(url),
        _ => current_url == url,
    }
}

/// `fields` as a template value with `extra` values added, so values made
/// once (cached cards) join without being serialized again.
fn with_values<T: Serialize>(fields: &T, extra: Vec<(&'static str, tera::Value)>) -> tera::Value {
    let mut map = value(fields).into_map().unwrap_or_default();
    for (key, v) in extra {
        map.insert(key.into(), v);
    }
    tera::Value::from(map)
}

/// An item page's `item`, but for its related cards.
#[derive(Serialize)]
struct ItemFields<'x> {
    id: &'x str,
    url: String,
    title: &'x str,
    #[serde(rename = "ref")]
    reference: &'x str,
    date: String,
    date_raw: Option<&'x str>,
    #[serde(rename = "type")]
    item_type: &'static str,
    type_label: &'static str,
    description_html: String,
    transcription_html: Option<&'x str>,
    transcription_marks: Option<&'x super::editorial::Marks>,
    images: &'x [ImageContext],
    metadata: Vec<MetadataRow>,
    shown_in: Vec<ShownIn<'x>>,
    citation: Citation,
    has_zoom: bool,
    manifest_url: Option<String>,
    manifest_drag_url: Option<String>,
}

#[derive(Serialize)]
struct MetadataRow {
    label: &'static str,
    values: Vec<Link>,
}

#[derive(Serialize)]
struct ShownIn<'x> {
    exhibit_title: &'x str,
    section_title: &'x str,
    url: String,
    quoted: bool,
}

#[derive(Serialize)]
struct Citation {
    original: String,
    online: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `describe` as it was first written: collapse all of the text, then cut.
    fn describe_whole(text: &str) -> String {
        let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().count() > DESCRIPTION_CHARS {
            let cut: String = collapsed.chars().take(DESCRIPTION_CHARS).collect();
            format!("{cut}…")
        } else {
            collapsed
        }
    }

    /// A page rendered while another is being handed out (as when the
    /// writer waits on rayon and the thread takes another page) renders
    /// whole, and does not disturb the first.
    #[test]
    fn a_page_can_be_rendered_while_another_is_taken() {
        let (_dir, site, theme) = crate::render::empty_site();
        let renderer = Renderer::new(&site, &theme);
        let (home, search) = (Job::Home, Job::Search);
        let alone = renderer.render(&search).unwrap().1;
        let (outer, inner) = renderer
            .render_with(&home, |_, outer| {
                let inner = renderer.render(&search).unwrap().1;
                (String::from_utf8(outer.to_vec()).unwrap(), inner)
            })
            .unwrap();
        assert_eq!(inner, alone);
        assert_eq!(outer, renderer.render(&home).unwrap().1);
        assert!(outer.contains("<html"));
    }

    #[test]
    fn descriptions_cut_where_collapsing_the_whole_text_would() {
        let word = "字".repeat(DESCRIPTION_CHARS);
        let texts = [
            String::new(),
            "  a \n b\t c  ".to_string(),
            word.clone(),
            format!("{word}x"),
            // The cut falls on the space between two words.
            format!("{word} next"),
            format!("{} b", "a".repeat(DESCRIPTION_CHARS - 1)),
            format!("档案  {}\n\n第二段", "红".repeat(200)),
        ];
        for text in &texts {
            assert_eq!(describe(None, text, ""), describe_whole(text), "{text:?}");
        }
        assert_eq!(describe(Some("  "), " ", "站点"), "站点");
        assert_eq!(describe(Some("说明"), "正文", "站点"), "说明");
    }
}
