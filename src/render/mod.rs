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
pub mod theme;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::site::{Site, urls};
pub use pages::{Job, job_path, jobs};
use theme::{StaticSource, Theme};

/// Renders every output file of `site`. Template errors are reported and
/// the page is left out.
pub fn render(site: &Site, theme: &Theme, diagnostics: &mut Diagnostics) -> Output {
    let renderer = pages::Renderer::new(site, theme);
    let jobs = pages::jobs(site);
    let results: Vec<Result<(String, String), Diagnostic>> =
        jobs.par_iter().map(|job| renderer.render(job)).collect();
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
    output.insert_bytes("feed.xml", feeds::atom(site));
    output.insert_bytes("sitemap.xml", feeds::sitemap(site, &jobs));
    if !output.files.contains_key("robots.txt") {
        output.insert_bytes("robots.txt", feeds::robots(site));
    }
    output.insert_bytes("data/items.json", data::items_json(site));
    output.insert_bytes("data/items.csv", data::items_csv(site));
    crate::search::add_to_output(site, &mut output);
    output
}

/// A page that would overwrite a static or media file of the same path.
fn duplicate_path(path: &str, site: &Site) -> Diagnostic {
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
