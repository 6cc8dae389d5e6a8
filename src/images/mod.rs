//! Archive images: responsive derivatives, deep-zoom tiles and IIIF.
//!
//! Runs between resolve and render. Every raster image the site shows (item
//! images, `figure` shortcodes, exhibit covers) becomes a static IIIF Image
//! API level-0 service: derivatives at a few widths as JPEG and WebP, and
//! for item images a tile pyramid with its `info.json`. Work is cached by
//! content hash in `.lantai-cache/` and done in parallel; an image is never
//! scaled up. SVG is vector and passes through untouched — only its
//! intrinsic size is read, so pages can reserve its space.
//!
//! Each image is one job; a damaged file is reported with the file's name
//! and the others go on.

pub mod cache;
mod derivatives;
mod encode;
pub mod iiif;
mod pixels;
pub mod plan;
pub mod settings;
mod svg;
mod tiles;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::MediaFile;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes};
use crate::markdown::ShortcodeKind;
use crate::output::Output;
use crate::site::Site;
use cache::ImageCache;
use plan::{Plan, Size};
pub use settings::ImageSettings;

/// Why one image could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{0}")]
    Decode(#[from] image::ImageError),
    #[error(transparent)]
    Encode(#[from] encode::EncodeError),
    #[error("cannot write the image cache at {path}: {source}")]
    Cache {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("no pyramid level was made for scale factor {scale}")]
    MissingLevel { scale: u32 },
}

impl ImageError {
    fn cache(path: &Path, source: io::Error) -> Self {
        ImageError::Cache {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Whether processing may write: `build` and `serve` produce and cache;
/// `check` writes nothing, so it only decodes what is not cached yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageWork {
    Produce,
    Inspect,
}

/// What the image stage did, for the build summary and for tests that
/// prove a rebuild did no image work.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImageStats {
    /// Decoded and encoded in this run.
    pub processed: usize,
    /// Taken from the cache.
    pub cached: usize,
    /// Decoded only to be checked (`check`).
    pub inspected: usize,
}

/// A raster image as published: its size, its IIIF service folder and the
/// plan of its files.
#[derive(Debug, Clone)]
pub struct RasterImage {
    /// Output path of the original (`archive/hx-0001/scan.png`).
    pub path: String,
    /// Output path of the image service folder (`archive/hx-0001/iiif/scan.png`).
    pub service: String,
    pub plan: Plan,
    /// The cache entry holding the files. After `check` inspected an image
    /// that is not cached, it is where a build will put them; `check`
    /// writes nothing, so its output only lists them.
    folder: PathBuf,
}

impl RasterImage {
    pub fn size(&self) -> Size {
        self.plan.size
    }

    /// Output path of a derivative of `size` as `extension` (`jpg`, `webp`).
    pub fn derivative(&self, size: Size, extension: &str) -> String {
        format!("{}/{}", self.service, self.plan.size_path(size, extension))
    }

    /// Output path of `info.json`.
    pub fn info(&self) -> String {
        format!("{}/info.json", self.service)
    }

    /// Whether the deep-zoom tiles were made.
    pub fn is_tiled(&self) -> bool {
        self.plan.pyramid.is_some()
    }
}

/// An image the site shows.
#[derive(Debug, Clone)]
pub enum Picture {
    Raster(RasterImage),
    /// SVG, published as written; the size when its root element gives one.
    Vector(Option<Size>),
}

/// Every processed image by the output path of its original.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pictures: BTreeMap<String, Picture>,
    pub stats: ImageStats,
}

impl Catalog {
    pub fn get(&self, path: &str) -> Option<&Picture> {
        self.pictures.get(path)
    }

    pub fn raster(&self, path: &str) -> Option<&RasterImage> {
        match self.pictures.get(path)? {
            Picture::Raster(raster) => Some(raster),
            Picture::Vector(_) => None,
        }
    }

    /// Adds every derivative, tile, `info.json` and item manifest to
    /// `output`. Files come from the cache as copies.
    pub fn publish(&self, site: &Site, output: &mut Output) {
        let config = &site.config;
        for picture in self.pictures.values() {
            let Picture::Raster(raster) = picture else {
                continue;
            };
            for file in raster.plan.files() {
                let source = raster.folder.join(&file);
                output.insert_copy(format!("{}/{file}", raster.service), source);
            }
            let id = config.permalink(&config.url(&raster.service));
            let info = tiles::info_json(&raster.plan, &id);
            output.insert_bytes(raster.info(), pretty(&info));
        }
        for item in &site.items {
            if let Some(manifest) = iiif::manifest(site, item, self) {
                output.insert_bytes(iiif::manifest_path(&item.id), pretty(&manifest));
            }
        }
    }
}

fn pretty(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

/// The kinds of file the pipeline decodes.
const RASTER_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "tif", "tiff"];

fn extension(path: &str) -> String {
    Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Whether the pipeline makes derivatives of the file at `path`.
pub fn is_raster(path: &str) -> bool {
    RASTER_EXTENSIONS.contains(&extension(path).as_str())
}

/// One image to process.
struct Job<'a> {
    path: String,
    media: &'a MediaFile,
    /// Gets deep-zoom tiles (an item image).
    tiled: bool,
    /// Where the image is named, for diagnostics.
    location: Location,
}

/// Processes every image the site shows. Problems are reported per image;
/// the catalog holds every image that could be processed.
pub fn process(
    site: &Site,
    root: &Path,
    work: ImageWork,
    diagnostics: &mut Diagnostics,
) -> Catalog {
    let jobs = jobs(site);
    let cache = ImageCache::new(root);
    let settings = &site.config.images;
    let outcomes: Vec<(String, Outcome)> = jobs
        .par_iter()
        .map(|job| (job.path.clone(), run(job, &cache, settings, work)))
        .collect();
    let mut catalog = Catalog::default();
    for (path, outcome) in outcomes {
        match outcome {
            Ok((picture, done)) => {
                match done {
                    Done::Processed => catalog.stats.processed += 1,
                    Done::Cached => catalog.stats.cached += 1,
                    Done::Inspected => catalog.stats.inspected += 1,
                    Done::Nothing => {}
                }
                catalog.pictures.insert(path, picture);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    catalog
}

/// A job's result: the picture and what it took, or why it failed.
type Outcome = Result<(Picture, Done), Diagnostic>;

/// What a job had to do.
enum Done {
    Processed,
    Cached,
    Inspected,
    Nothing,
}

fn run(job: &Job, cache: &ImageCache, settings: &ImageSettings, work: ImageWork) -> Outcome {
    let file = &job.media.path;
    if extension(&job.path) == "svg" {
        let size = std::fs::read_to_string(file)
            .ok()
            .and_then(|text| svg::intrinsic_size(&text));
        return Ok((Picture::Vector(size), Done::Nothing));
    }
    let bytes = std::fs::read(file).map_err(|source| {
        unreadable(
            job,
            &ImageError::Read {
                path: file.clone(),
                source,
            },
        )
    })?;
    let fingerprint = format!(
        "{:?} q{} webp{} tiles{} {}",
        settings.widths,
        settings.quality,
        settings.webp,
        job.tiled && settings.tiles,
        settings.tile_size
    );
    let key = ImageCache::key(&bytes, &fingerprint);
    let plan_for = |size: Size| Plan::new(size, settings, job.tiled);
    let raster = |plan: Plan, folder: PathBuf| {
        Picture::Raster(RasterImage {
            service: service_path(&job.path),
            path: job.path.clone(),
            plan,
            folder,
        })
    };
    if let Some(entry) = cache.lookup(&key, |size| plan_for(size).files()) {
        return Ok((raster(plan_for(entry.size), entry.folder), Done::Cached));
    }
    match work {
        ImageWork::Inspect => {
            let pixels = pixels::decode(&bytes).map_err(|e| unreadable(job, &e.into()))?;
            let size = Size {
                width: pixels.width(),
                height: pixels.height(),
            };
            let folder = cache.entry_folder(&key);
            Ok((raster(plan_for(size), folder), Done::Inspected))
        }
        ImageWork::Produce => {
            let entry = cache
                .store(&key, |folder| produce(&bytes, settings, job.tiled, folder))
                .map_err(|error| match error {
                    ImageError::Cache { .. } => Diagnostic::error(
                        codes::IMAGE_CACHE,
                        error.to_string(),
                    )
                    .help(format!(
                        "check that the site folder is writable and the disk is not full; the cache is {}/ in the site folder and can be deleted",
                        cache::CACHE_DIR
                    )),
                    other => unreadable(job, &other),
                })?;
            Ok((raster(plan_for(entry.size), entry.folder), Done::Processed))
        }
    }
}

/// Decodes `bytes` and writes every file of the image's plan into `folder`.
fn produce(
    bytes: &[u8],
    settings: &ImageSettings,
    tiled: bool,
    folder: &Path,
) -> Result<Size, ImageError> {
    let full = pixels::decode(bytes)?;
    let size = Size {
        width: full.width(),
        height: full.height(),
    };
    let plan = Plan::new(size, settings, tiled);
    let levels = pixels::Levels::new(full, settings.tile_size);
    derivatives::write(&levels, &plan, settings, folder)?;
    tiles::write(&levels, &plan, settings, folder)?;
    Ok(size)
}

fn unreadable(job: &Job, error: &ImageError) -> Diagnostic {
    Diagnostic::error(
        codes::IMAGE_UNREADABLE,
        format!("cannot read the image content/{}: {error}", job.path),
    )
    .at(job.location.clone())
    .help("the file may be damaged or not really a JPEG, PNG, TIFF or WebP image; export it again from the scanning software, or remove it")
}

/// Writes `bytes` to `relative` under `folder`, making folders as needed.
fn write_file(folder: &Path, relative: &str, bytes: &[u8]) -> Result<(), ImageError> {
    let path = folder.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ImageError::cache(parent, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| ImageError::cache(&path, e))?;
    // Read-only: published sites may share these files by hard links (see
    // the writer), so a tool editing the output in place must not reach
    // into the cache.
    let mut permissions = std::fs::metadata(&path)
        .map_err(|e| ImageError::cache(&path, e))?
        .permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).map_err(|e| ImageError::cache(&path, e))
}

/// The image service folder of the original at `path`: an `iiif/` folder
/// beside it, named after the file (`archive/x/scan.png` →
/// `archive/x/iiif/scan.png`).
pub fn service_path(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((folder, name)) => format!("{folder}/iiif/{name}"),
        None => format!("iiif/{path}"),
    }
}

/// Every image the site shows, once each: item images (tiled), and the
/// images of `figure` shortcodes and exhibit covers.
fn jobs(site: &Site) -> Vec<Job<'_>> {
    let media: BTreeMap<&str, &MediaFile> = site
        .media
        .iter()
        .map(|(path, file)| (path.as_str(), file))
        .collect();
    let mut jobs: BTreeMap<String, Job> = BTreeMap::new();
    let mut add = |path: String, tiled: bool, location: Location| {
        if let Some(existing) = jobs.get_mut(&path) {
            existing.tiled |= tiled;
            return;
        }
        let Some(&file) = media.get(path.as_str()) else {
            return;
        };
        if !is_raster(&path) && extension(&path) != "svg" {
            return;
        }
        jobs.insert(
            path.clone(),
            Job {
                path,
                media: file,
                tiled,
                location,
            },
        );
    };
    for item in &site.items {
        for image in &item.images {
            add(
                format!("archive/{}/{}", item.id, image.src),
                true,
                image.location.clone(),
            );
        }
    }
    let base = site.config.base_path.as_str();
    for (body, file) in bodies(site) {
        for shortcode in &body.shortcodes {
            if let ShortcodeKind::Figure { url, .. } = &shortcode.kind
                && let Some(path) = url.strip_prefix(base)
            {
                let at = Location::new(file, shortcode.line, shortcode.column);
                add(path.to_string(), false, at);
            }
        }
    }
    for entry in &site.exhibits {
        if let Some(path) = entry.cover.as_ref().and_then(|c| c.url.strip_prefix(base)) {
            add(
                path.to_string(),
                false,
                Location::file(&entry.exhibit.common.file),
            );
        }
    }
    jobs.into_values().collect()
}

/// Every Markdown body of the site with its file.
fn bodies(site: &Site) -> Vec<(&crate::content::Body, &Path)> {
    let mut bodies = Vec::new();
    if let Some(home) = &site.home {
        bodies.push((&home.body, home.common.file.as_path()));
    }
    for entry in &site.exhibits {
        let exhibit = &entry.exhibit;
        bodies.push((&exhibit.body, exhibit.common.file.as_path()));
        for section in &entry.sections {
            bodies.push((&section.body, section.common.file.as_path()));
        }
    }
    bodies.extend(
        site.items
            .iter()
            .map(|d| (&d.body, d.common.file.as_path())),
    );
    bodies.extend(
        site.people
            .iter()
            .map(|d| (&d.body, d.common.file.as_path())),
    );
    bodies.extend(
        site.places
            .iter()
            .map(|d| (&d.body, d.common.file.as_path())),
    );
    bodies.extend(
        site.pages
            .iter()
            .map(|d| (&d.body, d.common.file.as_path())),
    );
    bodies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_folders_sit_beside_the_original() {
        assert_eq!(
            service_path("archive/hx-0001/scan.png"),
            "archive/hx-0001/iiif/scan.png"
        );
        assert_eq!(service_path("map.png"), "iiif/map.png");
    }

    #[test]
    fn raster_formats_by_extension() {
        assert!(is_raster("a/B.JPG") && is_raster("x.tiff") && is_raster("y.webp"));
        assert!(!is_raster("map.svg") && !is_raster("letter.pdf"));
    }
}
