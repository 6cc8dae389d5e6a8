//! One built site in memory, as `serve` publishes it.
//!
//! A snapshot never changes: a rebuild makes a new one and swaps it in
//! whole, so a browser never sees half a site. Pages are rendered when they
//! are first asked for and kept; every other file (static files, media,
//! feed, sitemap, data exports) comes from the same `render` stage as in
//! `build`, computed once per snapshot.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Output, OutputFile};
use crate::render::{self, Job, Pages, Renderer, Shared, theme::Theme};
use crate::site::Site;

/// The output path of the not-found page.
pub const NOT_FOUND_PAGE: &str = "404.html";

/// A rendered page, or the template error that stopped it.
pub type RenderedPage = Result<Arc<Vec<u8>>, Arc<Diagnostic>>;

/// What a snapshot has at an output path.
pub enum Found {
    /// A page, rendered (without the reload script).
    Page(RenderedPage),
    Bytes(Arc<Vec<u8>>),
    /// A file published as it is, read from disk when asked for.
    Copy(PathBuf),
    Missing,
}

pub struct Snapshot {
    pub site: Arc<Site>,
    pub theme: Arc<Theme>,
    /// Output path (`archive/hx-0001/index.html`) → page.
    routes: HashMap<String, Job>,
    pages: Mutex<HashMap<String, RenderedPage>>,
    /// Static and media files: known at once.
    copied: Output,
    /// Pages that would take the place of a static or media file: an error
    /// in `build`, so the build is not good.
    pub collisions: Vec<Diagnostic>,
    /// The image stage's files (derivatives, tiles, `info.json`, item
    /// manifests), made when first asked for: a page's scans need them.
    images: OnceLock<Output>,
    /// Every file but the pages, including the feed, sitemap, data exports
    /// and search index, which take a while on a large site.
    files: OnceLock<Output>,
    /// What the renderers of this version share (related items' tables,
    /// item cards), made as pages ask for them and kept for the others.
    shared: Shared,
}

impl Snapshot {
    pub fn new(site: Arc<Site>, theme: Arc<Theme>) -> Snapshot {
        let routes: HashMap<String, Job> = render::jobs(&site)
            .into_par_iter()
            .map(|job| (render::page_file(&render::job_path(&site, job)), job))
            .collect();
        let copied = render::copied_files(&site, &theme);
        let collisions = copied
            .files
            .keys()
            .filter(|path| routes.contains_key(*path))
            .map(|path| render::duplicate_path(path, &site))
            .collect();
        let shared = Shared::new(&site);
        Snapshot {
            site,
            theme,
            routes,
            copied,
            collisions,
            pages: Mutex::new(HashMap::new()),
            images: OnceLock::new(),
            files: OnceLock::new(),
            shared,
        }
    }

    /// The path of `base_url` the site is served under (`/exhibitions/`).
    pub fn base_path(&self) -> &str {
        &self.site.config.base_path
    }

    pub fn page_count(&self) -> usize {
        self.routes.len()
    }

    /// Is there a page at this output path?
    pub fn has_page(&self, path: &str) -> bool {
        self.routes.contains_key(path)
    }

    /// Does the site have a file (page or other) at this output path?
    pub fn contains(&self, path: &str) -> bool {
        self.has_page(path) || self.others(path).files.contains_key(path)
    }

    /// Where the file at `path`, if not a page, is to be found: a copied
    /// file that no generated file replaces is known at once; the image
    /// stage's files wait only for that stage's list; anything else waits
    /// for all the files to be made.
    fn others(&self, path: &str) -> &Output {
        let replaced = path != "robots.txt" && render::is_generated(path);
        if self.copied.files.contains_key(path) && !replaced {
            return &self.copied;
        }
        let images = self.images.get_or_init(|| {
            let mut output = Output::new();
            self.site.images.publish(&self.site, &mut output);
            output
        });
        // No generated file of another kind has an image file's path.
        if images.files.contains_key(path) && !render::GENERATED_FILES.contains(&path) {
            return images;
        }
        self.files()
    }

    /// The file at an output path. Pages come first, as in `build`, where a
    /// page replaces a static file of the same path.
    pub fn get(&self, path: &str) -> Found {
        if let Some(&job) = self.routes.get(path) {
            return Found::Page(self.page(path, job));
        }
        match self.others(path).files.get(path) {
            Some(OutputFile::Bytes(bytes)) => Found::Bytes(Arc::new(bytes.clone())),
            Some(OutputFile::Copy(source)) => Found::Copy(source.clone()),
            None => Found::Missing,
        }
    }

    /// The not-found page.
    pub fn not_found(&self) -> RenderedPage {
        self.page(NOT_FOUND_PAGE, Job::NotFound)
    }

    /// What an open browser tab at this output path shows: its page, or the
    /// not-found page.
    pub fn shown_at(&self, path: &str) -> RenderedPage {
        match self.routes.get(path) {
            Some(&job) => self.page(path, job),
            None => self.not_found(),
        }
    }

    /// A page already rendered from this snapshot, if any.
    pub fn cached(&self, path: &str) -> Option<RenderedPage> {
        let key = if self.routes.contains_key(path) {
            path
        } else {
            NOT_FOUND_PAGE
        };
        self.lock_pages().get(key).cloned()
    }

    /// Every file except the pages, computed on first use (a rebuild starts
    /// it in the background right after the swap).
    pub fn files(&self) -> &Output {
        self.files.get_or_init(|| {
            render::render_parts(
                &self.site,
                &self.theme,
                Pages::None,
                &mut Diagnostics::new(),
            )
        })
    }

    fn page(&self, path: &str, job: Job) -> RenderedPage {
        if let Some(page) = self.lock_pages().get(path) {
            return page.clone();
        }
        let renderer = Renderer::lent(&self.site, &self.theme, &self.shared);
        let page = match renderer.render(&job) {
            Ok((_, html)) => Ok(Arc::new(html.into_bytes())),
            Err(diagnostic) => Err(Arc::new(diagnostic)),
        };
        self.lock_pages().insert(path.to_string(), page.clone());
        page
    }

    /// The page cache survives a panic in another request: it only ever
    /// holds finished entries.
    fn lock_pages(&self) -> std::sync::MutexGuard<'_, HashMap<String, RenderedPage>> {
        self.pages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Reads a file the site publishes as it is, refusing one that lies outside
/// the site's folder (a symbolic link pointing elsewhere): the server shows
/// only the site.
pub fn read_copy(root: &Path, source: &Path) -> std::io::Result<Vec<u8>> {
    let real = source.canonicalize()?;
    if !real.starts_with(root) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{} is a link to {}, outside the site's folder",
                source.display(),
                real.display()
            ),
        ));
    }
    std::fs::read(real)
}
