//! Render: turning the resolved [`Site`] into output files.
//!
//! Every page is an independent job rendered in parallel with the compiled
//! theme; feeds, the sitemap and the data exports are built beside them.
//! This stage reads no files: media and static files are recorded as copies
//! for the writer.

pub mod context;
mod data;
mod editorial;
mod feeds;
mod pages;
pub mod related;
pub mod theme;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::build::Progress;
use crate::output::writer::{Staging, WriteError};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::site::{Site, urls};
pub use pages::{Job, Renderer, Shared, job_path, jobs};
use theme::{StaticSource, Theme};

/// Renders every output file of `site`. Template errors are reported and
/// the page is left out.
pub fn render(site: &Site, theme: &Theme, diagnostics: &mut Diagnostics) -> Output {
    render_parts(site, theme, Pages::All, diagnostics)
}

/// Which pages [`render_parts`] renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    All,
    /// None: `serve` renders each page when it is asked for (with
    /// [`Renderer`] and [`job_path`]), and takes every other file from here.
    None,
}

/// Renders the output files of `site`, with all pages or none. Every file
/// that is not a page is the same either way. A page at the path of a
/// static or media file is an error (`serve` checks it with
/// [`duplicate_path`] too), and no generated file has a page's path, so
/// looking a path up first among the pages and then in this output gives
/// what `build` publishes.
pub fn render_parts(
    site: &Site,
    theme: &Theme,
    which: Pages,
    diagnostics: &mut Diagnostics,
) -> Output {
    let mut output = render_without_search(site, theme, which, diagnostics);
    crate::search::add_to_output(site, &mut output);
    output
}

/// [`render_parts`] without the search index, which `build` times as a
/// stage of its own.
pub fn render_without_search(
    site: &Site,
    theme: &Theme,
    which: Pages,
    diagnostics: &mut Diagnostics,
) -> Output {
    let renderer = pages::Renderer::new(site, theme);
    let jobs = pages::jobs(site);
    let results: Vec<Result<(String, String), Diagnostic>> = match which {
        Pages::All => {
            renderer.rank_related();
            jobs.par_iter().map(|job| renderer.render(job)).collect()
        }
        Pages::None => Vec::new(),
    };
    let mut output = copied_files(site, theme);
    site.images.publish(site, &mut output);
    for result in results {
        match result {
            Ok((path, html)) => {
                if output.files.contains_key(&path) {
                    diagnostics.push(duplicate_path(&path, site));
                }
                output.insert_bytes(path, html);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    // Each is a pass over every item: made side by side.
    let ((feed, sitemaps), (json, csv)) = rayon::join(
        || {
            rayon::join(
                || feeds::atom(site),
                || feeds::sitemaps(site, &jobs, feeds::SITEMAP_URLS),
            )
        },
        || rayon::join(|| data::items_json(site), || data::items_csv(site)),
    );
    output.insert_bytes("feed.xml", feed);
    for (path, bytes) in sitemaps {
        output.insert_bytes(path, bytes);
    }
    if !output.files.contains_key("robots.txt") {
        output.insert_bytes("robots.txt", feeds::robots(site));
    }
    output.insert_bytes("data/items.json", json);
    output.insert_bytes("data/items.csv", csv);
    output
}

/// Renders every page and writes it to `staging` at once, in parallel, so
/// that the pages never all sit in memory. `others` are the paths of the
/// site's other files: a page at one of them is an error. Returns the number of
/// pages written and the diagnostics of pages that could not be rendered.
pub fn write_pages(
    site: &Site,
    theme: &Theme,
    others: &BTreeSet<String>,
    staging: &Staging,
    progress: &dyn Progress,
) -> Result<(usize, Vec<Diagnostic>), WriteError> {
    let renderer = pages::Renderer::new(site, theme);
    renderer.rank_related();
    let jobs = pages::jobs(site);
    let done = AtomicUsize::new(0);
    let problems: Vec<Option<Diagnostic>> = jobs
        .par_iter()
        // Small pieces: rayon otherwise gives a thread a run of thousands
        // of pages that no other thread can take, and a core that finishes
        // its own work (the search index) sits idle until that run ends.
        .with_max_len(8)
        .map(|job| {
            let rendered = renderer.render_with(job, |path, html| {
                if others.contains(&path) {
                    Ok(Some(duplicate_path(&path, site)))
                } else {
                    staging.write_bytes(&path, html).map(|()| None)
                }
            });
            let problem = match rendered {
                Ok(written) => written?,
                Err(diagnostic) => Some(diagnostic),
            };
            progress.pages(done.fetch_add(1, Ordering::Relaxed) + 1, jobs.len());
            Ok(problem)
        })
        .collect::<Result<_, WriteError>>()?;
    let written = problems.iter().filter(|p| p.is_none()).count();
    Ok((written, problems.into_iter().flatten().collect()))
}

/// The files published as they are: the theme's and the site's static
/// files, the highlighting stylesheet, and media. Cheap: nothing is
/// rendered, and files on disk are recorded, not read.
pub fn copied_files(site: &Site, theme: &Theme) -> Output {
    let mut output = Output::new();
    for (path, file) in &theme.static_files {
        match file {
            StaticSource::File(source) => output.insert_copy(path.clone(), source.clone()),
            StaticSource::Builtin(_) => {
                if let Some(bytes) = file.builtin_bytes() {
                    output.insert_bytes(path.clone(), bytes);
                }
            }
        }
    }
    if !output.files.contains_key(HIGHLIGHT_CSS) {
        output.insert_bytes(HIGHLIGHT_CSS, crate::markdown::highlight_css());
    }
    for (path, media) in &site.media {
        output.insert_copy(path.clone(), media.path.clone());
    }
    output
}

/// The paths of the files made from the whole site (feed, sitemap, data
/// exports), which replace a copied file of the same path — except
/// `robots.txt`, where a site's own file wins.
pub const GENERATED_FILES: &[&str] = &[
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "data/items.json",
    "data/items.csv",
];

/// Folders of files made from the whole site (the search index).
pub const GENERATED_FOLDERS: &[&str] = &["search/"];

/// Whether a file at `path` may be made from the whole site or by the image
/// stage (derivatives and tiles in an `iiif/` folder beside the original,
/// item manifests) rather than copied: those replace a copied file of the
/// same path. `serve` serves a copied file without waiting for them to be
/// made when its path is not one of them.
pub fn is_generated(path: &str) -> bool {
    GENERATED_FILES.contains(&path)
        || feeds::is_sitemap_part(path)
        || GENERATED_FOLDERS.iter().any(|f| path.starts_with(f))
        || path.starts_with("iiif/")
        || path.contains("/iiif/")
        || path.ends_with("/manifest.json")
}

/// A page that would overwrite a static or media file of the same path.
pub fn duplicate_path(path: &str, site: &Site) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostics::codes::DUPLICATE,
        format!(
            "two files would be published at {}{path}: a page and a static or media file",
            site.config.base_path
        ),
    )
    .help("rename the file in static/ or content/, or the page, so that each address is used once")
}

/// Where the syntax-highlighting stylesheet is published.
pub const HIGHLIGHT_CSS: &str = "css/highlight.css";

/// The output file of a page at `path` (`archive/x/` → `archive/x/index.html`).
pub fn page_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Number of list pages for `len` entries.
pub fn list_pages(len: usize) -> usize {
    urls::page_count(len)
}

/// A site of a `site.yaml` and nothing else, resolved, with the built-in
/// theme: where render tests start. The folder lives as long as the result.
#[cfg(test)]
pub(crate) fn empty_site() -> (tempfile::TempDir, Site, Theme) {
    test_site("title: t\nbase_url: https://e.org/\n", &[])
}

/// A site of `site_yaml` and `files` (path in the site, text), resolved
/// without errors, with the built-in theme.
#[cfg(test)]
pub(crate) fn test_site(
    site_yaml: &str,
    files: &[(String, String)],
) -> (tempfile::TempDir, Site, Theme) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("site.yaml"), site_yaml).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let result = crate::build::run_pipeline(&crate::build::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    });
    assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
    let site = result.site.unwrap();
    let theme = Theme::load(dir.path(), &mut Diagnostics::new());
    (dir, site, theme)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `serve` relies on `is_generated` naming every file that is neither a
    /// page nor a copy.
    #[test]
    fn generated_files_are_listed() {
        let (_dir, site, theme) = empty_site();
        let all = render_parts(&site, &theme, Pages::None, &mut Diagnostics::new());
        let copied = copied_files(&site, &theme);
        for path in all.files.keys() {
            assert!(
                copied.files.contains_key(path) || is_generated(path),
                "{path} is generated but not named by GENERATED_FILES or GENERATED_FOLDERS"
            );
        }
    }
}
