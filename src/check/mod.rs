//! `lantai check`: the validations of `build`, plus checks of the rendered
//! site in memory — every link and anchor resolves, every image has alt
//! text — and of the content as a whole (records nothing refers to, empty
//! sections). Nothing is written.

mod html;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes};
use crate::output::Output;
use crate::render::{Job, job_path, jobs, page_file};
use crate::site::Site;

pub use html::{PageFacts, scan};

/// Runs every check that needs the whole site or its rendered output.
/// `root` is the site's folder, read to point at the line of a problem.
pub fn check(site: &Site, output: &Output, root: &Path) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    check_output(site, output, root, &mut diagnostics);
    check_references(site, &mut diagnostics);
    check_exhibits(site, &mut diagnostics);
    diagnostics
}

/// The content file each page is made from, to point diagnostics at it.
fn page_sources(site: &Site) -> HashMap<String, PathBuf> {
    jobs(site)
        .into_iter()
        .filter_map(|job| {
            let file = match job {
                Job::Home => site.home.as_ref().map(|h| h.common.file.clone()),
                Job::Exhibit(e) => Some(site.exhibits[e].exhibit.common.file.clone()),
                Job::Section(e, s) => Some(site.exhibits[e].sections[s].common.file.clone()),
                Job::Item(i) => Some(site.items[i].common.file.clone()),
                Job::Person(i, _) => Some(site.people[i].common.file.clone()),
                Job::Place(i, _) => Some(site.places[i].common.file.clone()),
                Job::Page(i) => Some(site.pages[i].common.file.clone()),
                _ => None,
            }?;
            Some((page_file(&job_path(site, job)), file))
        })
        .collect()
}

/// Where a link on a page leads, as an output file and fragment.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Another host, `mailto:` and the like: not ours to check.
    External,
    /// A root-relative link that does not start with the base path: it
    /// would break when the site is published under its sub-path.
    OutsideBase,
    Internal {
        path: String,
        fragment: Option<String>,
    },
}

fn resolve_reference(url: &str, page: &str, config: &Config) -> Target {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if ["mailto:", "tel:", "javascript:", "data:", "//"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Target::External;
    }
    let (without_fragment, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f.to_string())),
        None => (url, None),
    };
    let without_query = without_fragment.split('?').next().unwrap_or("");
    let path = if lower.starts_with("http://") || lower.starts_with("https://") {
        match without_query.strip_prefix(config.base_url.as_str()) {
            Some(rest) => rest.to_string(),
            None if format!("{without_query}/") == config.base_url => String::new(),
            None => return Target::External,
        }
    } else if without_query.is_empty() {
        // `#anchor` alone: this page.
        return Target::Internal {
            path: page.to_string(),
            fragment,
        };
    } else if let Some(rooted) = without_query.strip_prefix('/') {
        match format!("/{rooted}").strip_prefix(config.base_path.as_str()) {
            Some(rest) => rest.to_string(),
            None => return Target::OutsideBase,
        }
    } else {
        let folder = page.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
        crate::site::urls::normalize(&format!("{folder}/{without_query}"))
    };
    Target::Internal {
        path: percent_decode(&path),
        fragment: fragment.map(|f| percent_decode(&f)),
    }
}

/// Decodes `%E5%BB%BA` escapes; invalid escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The output file a path names, if the site has it.
fn existing_file<'a>(path: &'a str, output: &Output) -> Option<std::borrow::Cow<'a, str>> {
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return output.files.contains_key(&index).then_some(index.into());
    }
    if output.files.contains_key(path) {
        return Some(path.into());
    }
    let index = format!("{path}/index.html");
    output.files.contains_key(&index).then_some(index.into())
}

/// One broken reference, and every page that has it.
struct Broken {
    code: &'static str,
    /// The text to look for in the source file to find the line.
    needle: String,
    message: String,
    help: String,
    pages: Vec<String>,
}

fn check_output(site: &Site, output: &Output, root: &Path, diagnostics: &mut Diagnostics) {
    let config = &site.config;
    let html_pages: Vec<(&String, &[u8])> = output
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter_map(|(path, _)| output.bytes(path).map(|b| (path, b)))
        .collect();
    let facts: HashMap<&String, PageFacts> = html_pages
        .par_iter()
        .map(|(path, bytes)| (*path, scan(&String::from_utf8_lossy(bytes))))
        .collect();
    let mut broken: BTreeMap<(String, String), Broken> = BTreeMap::new();
    let mut note = |key: (String, String), page: &str, make: &dyn Fn() -> Broken| {
        broken
            .entry(key)
            .or_insert_with(make)
            .pages
            .push(page.to_string());
    };
    let mut pages: Vec<&&String> = facts.keys().collect();
    pages.sort();
    for page in pages {
        let page_facts = &facts[*page];
        for src in &page_facts.images_without_alt {
            note(("alt".into(), src.clone()), page, &|| {
                Broken {
                    code: codes::IMAGE_WITHOUT_ALT,
                    needle: src.clone(),
                    message: format!("the image {src} has no alt text"),
                    help: "give every image a text alternative: `alt` in `images:` and `figure`, or alt=\"\" in a template for a purely decorative image".into(),
                    pages: Vec::new(),
                }
            });
        }
        for reference in &page_facts.references {
            let url = &reference.url;
            match resolve_reference(url, page, config) {
                Target::External => {}
                Target::OutsideBase => note(("base".into(), url.clone()), page, &|| Broken {
                    code: codes::BROKEN_LINK,
                    needle: url.clone(),
                    message: format!(
                        "the link {url} is outside the site's base path {}",
                        config.base_path
                    ),
                    help: format!(
                        "links must start with {} so that they work where the site is published; in Markdown write /archive/… or @/archive/….md and lantai adds it",
                        config.base_path
                    ),
                    pages: Vec::new(),
                }),
                Target::Internal { path, fragment } => {
                    let Some(file) = existing_file(&path, output) else {
                        note(("link".into(), path.clone()), page, &|| Broken {
                            code: codes::BROKEN_LINK,
                            needle: url.clone(),
                            message: format!(
                                "the link {url} leads to {}{path}, which the site does not have",
                                config.base_path
                            ),
                            help: "correct the link, or add the page or file it names".into(),
                            pages: Vec::new(),
                        });
                        continue;
                    };
                    let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                        continue;
                    };
                    let known = facts
                        .get(&file.to_string())
                        .map(|f| f.ids.contains(&fragment));
                    if known == Some(false) {
                        note(
                            ("anchor".into(), format!("{file}#{fragment}")),
                            page,
                            &|| {
                                Broken {
                                code: codes::BROKEN_ANCHOR,
                                needle: format!("#{fragment}"),
                                message: format!("the link {url} names the anchor #{fragment}, which {}{file} does not have", config.base_path),
                                help: "link to a heading's id (shown in the address bar when you follow a heading link), or remove the #… part".into(),
                                pages: Vec::new(),
                            }
                            },
                        );
                    }
                }
            }
        }
    }
    let sources = page_sources(site);
    for (_, problem) in broken {
        let first = &problem.pages[0];
        let others = problem.pages.len() - 1;
        let on = if others == 0 {
            format!("on {}{first}", config.base_path)
        } else {
            format!("on {}{first} and {others} other pages", config.base_path)
        };
        let mut diagnostic = Diagnostic::error(problem.code, format!("{} ({on})", problem.message))
            .help(problem.help);
        match sources.get(first) {
            Some(file) => diagnostic = diagnostic.at(locate(root, file, &problem.needle, config)),
            None => {
                diagnostic = diagnostic.help(
                    "this page is made by a template: check the templates/ file that renders it",
                )
            }
        }
        diagnostics.push(diagnostic);
    }
}

/// The line of `file` where `needle` (a URL as rendered) was written. The
/// curator may have written it without the base path, or only its last
/// part, so those are tried too; the first line is the fallback.
fn locate(root: &Path, file: &Path, needle: &str, config: &Config) -> Location {
    let Ok(text) = std::fs::read_to_string(root.join(file)) else {
        return Location::new(file, 1, 1);
    };
    let without_base = needle
        .strip_prefix(config.base_path.as_str())
        .map(|rest| format!("/{rest}"));
    let last_part = needle
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .map(str::to_string);
    let candidates = std::iter::once(needle.to_string())
        .chain(without_base)
        .chain(last_part)
        .filter(|c| c.len() > 1);
    for candidate in candidates {
        for (index, line) in text.lines().enumerate() {
            if let Some(byte) = line.find(&candidate) {
                let column = line[..byte].chars().count() + 1;
                return Location::new(file, index + 1, column)
                    .with_length(candidate.chars().count());
            }
        }
    }
    Location::new(file, 1, 1)
}

/// Warns about person and place records that nothing refers to: no item
/// names them and no text links to them. (Items outside exhibits are
/// normal and are not reported.)
fn check_references(site: &Site, diagnostics: &mut Diagnostics) {
    let config = &site.config;
    let linked: HashSet<&str> = all_bodies(site)
        .flat_map(|body| body.links.iter().map(|l| l.url.as_str()))
        .collect();
    for (index, person) in site.people.iter().enumerate() {
        let url = config.url(&crate::site::urls::person(&person.slug));
        if site.person_items[index].is_empty() && !linked.contains(url.as_str()) {
            diagnostics.push(unreferenced(
                &person.common.file,
                "person",
                &person.slug,
                "people",
            ));
        }
    }
    for (index, place) in site.places.iter().enumerate() {
        let url = config.url(&crate::site::urls::place(&place.slug));
        if site.place_items[index].is_empty() && !linked.contains(url.as_str()) {
            diagnostics.push(unreferenced(
                &place.common.file,
                "place",
                &place.slug,
                "places",
            ));
        }
    }
}

fn unreferenced(file: &std::path::Path, what: &str, slug: &str, field: &str) -> Diagnostic {
    Diagnostic::warning(
        codes::UNREFERENCED_RECORD,
        format!("no item or text refers to the {what} `{slug}`"),
    )
    .at(Location::new(file, 1, 1))
    .help(format!(
        "name it in the `{field}:` of the items it concerns, link to it from a section, or remove the record"
    ))
}

fn all_bodies(site: &Site) -> impl Iterator<Item = &crate::content::Body> {
    let home = site.home.iter().map(|h| &h.body);
    let exhibits = site
        .exhibits
        .iter()
        .flat_map(|e| std::iter::once(&e.exhibit.body).chain(e.sections.iter().map(|s| &s.body)));
    home.chain(exhibits)
        .chain(site.items.iter().map(|i| &i.body))
        .chain(site.people.iter().map(|p| &p.body))
        .chain(site.places.iter().map(|p| &p.body))
        .chain(site.pages.iter().map(|p| &p.body))
}

/// Warns about exhibits without sections and sections with nothing in them.
fn check_exhibits(site: &Site, diagnostics: &mut Diagnostics) {
    for entry in &site.exhibits {
        let exhibit = &entry.exhibit;
        if entry.sections.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    codes::EMPTY_SECTION,
                    format!("the exhibit `{}` has no sections", exhibit.slug),
                )
                .at(Location::new(&exhibit.common.file, 1, 1))
                .help(format!(
                    "add one with `lantai new section {} introduction`",
                    exhibit.slug
                )),
            );
        }
        for section in &entry.sections {
            if section.body.text.trim().is_empty() && section.body.shortcodes.is_empty() {
                diagnostics.push(
                    Diagnostic::warning(
                        codes::EMPTY_SECTION,
                        format!("the section `{}` has no text and shows no items", section.slug),
                    )
                    .at(Location::new(&section.common.file, 1, 1))
                    .help("write the section's narrative below the front matter, and show items with {{ item(id=\"…\") }}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let mut config = Config::default();
        config
            .set_base_url("https://example.org/exhibitions/")
            .unwrap();
        config
    }

    #[test]
    fn resolves_links_the_way_a_browser_would() {
        let config = config();
        let page = "archive/hx-1/index.html";
        let internal = |path: &str, fragment: Option<&str>| Target::Internal {
            path: path.into(),
            fragment: fragment.map(String::from),
        };
        assert_eq!(
            resolve_reference("/exhibitions/people/a/", page, &config),
            internal("people/a/", None)
        );
        assert_eq!(
            resolve_reference("/people/a/", page, &config),
            Target::OutsideBase
        );
        assert_eq!(
            resolve_reference("#录文", page, &config),
            internal(page, Some("录文"))
        );
        assert_eq!(
            resolve_reference("scan.png", page, &config),
            internal("archive/hx-1/scan.png", None)
        );
        assert_eq!(
            resolve_reference("../hx-2/", page, &config),
            internal("archive/hx-2/", None)
        );
        assert_eq!(
            resolve_reference(
                "https://example.org/exhibitions/tags/%E5%BB%BA/",
                page,
                &config
            ),
            internal("tags/建/", None)
        );
        assert_eq!(
            resolve_reference("https://other.org/x", page, &config),
            Target::External
        );
        assert_eq!(
            resolve_reference("mailto:a@b.c", page, &config),
            Target::External
        );
    }
}
