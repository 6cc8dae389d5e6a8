//! The pipeline: load → resolve → render → write, as one call.
//!
//! `build` and `check` are thin commands over [`run_pipeline`]; `build`
//! then hands the output to the writer.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, codes};
use crate::images::{self, ImageStats, ImageWork};
use crate::output::{Output, writer};
use crate::render::{self, theme::Theme};
use crate::search::{BigramIndexer, SearchIndexer};
use crate::site::{self, ResolveOptions, Site};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` of site.yaml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    pub include_drafts: bool,
}

/// How long each stage took.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
    /// Image derivatives, tiles and cache look-ups.
    pub images: Duration,
    /// Pages, feeds and data exports (for `build`, pages are written to
    /// the staging folder as they are rendered, so this includes that).
    pub render: Duration,
    /// The search index.
    pub search: Duration,
    /// Writing the files that are not pages, and swapping the new site in.
    pub write: Duration,
    /// The whole run, from the start of loading.
    pub total: Duration,
}

/// What a long build reports as it goes; the command line shows it on a
/// terminal. Every method has an empty default.
pub trait Progress: Sync {
    /// A stage begins: "load", "resolve", "images", "render", "write",
    /// "pages" (the search index is made beside them), "search index" (once
    /// the pages are done, if the index is not), "swap".
    fn stage(&self, _name: &'static str) {}
    /// `done` of `total` pages are rendered and written.
    fn pages(&self, _done: usize, _total: usize) {}
}

/// Reports nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// The result of running the pipeline in memory.
pub struct PipelineResult {
    pub site: Option<Site>,
    pub output: Output,
    pub diagnostics: Diagnostics,
    pub timings: Timings,
    pub config: Config,
    /// How many images were processed, taken from the cache, or inspected.
    pub images: ImageStats,
}

/// Loads, resolves and renders the site at `options.root`, making and
/// caching image derivatives. Rendering is skipped when earlier stages found
/// errors, since their output would be thrown away.
pub fn run_pipeline(options: &BuildOptions) -> PipelineResult {
    run_pipeline_with(options, ImageWork::Produce)
}

/// The pipeline for `check`: like [`run_pipeline`], but images missing from
/// the cache are only decoded to be checked, and nothing is written.
pub fn check_pipeline(options: &BuildOptions) -> PipelineResult {
    run_pipeline_with(options, ImageWork::Inspect)
}

fn run_pipeline_with(options: &BuildOptions, image_work: ImageWork) -> PipelineResult {
    let started_all = Instant::now();
    let mut prepared = prepare(options, image_work, &Quiet);
    let mut output = Output::new();
    if !prepared.diagnostics.has_errors() {
        let started = Instant::now();
        output = render::render(&prepared.site, &prepared.theme, &mut prepared.diagnostics);
        prepared.timings.render = started.elapsed();
    }
    prepared.finish(output, started_all)
}

/// The site loaded, resolved and with its images made: everything before
/// rendering.
struct Prepared {
    config: Config,
    site: Site,
    theme: Theme,
    diagnostics: Diagnostics,
    timings: Timings,
}

impl Prepared {
    /// The pipeline's result, with `output` and the whole run's time.
    fn finish(mut self, output: Output, started_all: Instant) -> PipelineResult {
        self.timings.total = started_all.elapsed();
        let images = self.site.images.stats;
        PipelineResult {
            site: Some(self.site),
            output,
            diagnostics: self.diagnostics,
            timings: self.timings,
            config: self.config,
            images,
        }
    }
}

fn prepare(options: &BuildOptions, image_work: ImageWork, progress: &dyn Progress) -> Prepared {
    let mut diagnostics = Diagnostics::new();
    let mut timings = Timings::default();
    progress.stage("load");
    let started = Instant::now();
    let mut config = Config::load(&options.root, &mut diagnostics);
    if let Some(url) = &options.base_url
        && let Err(problem) = config.set_base_url(url)
    {
        diagnostics.push(
            Diagnostic::error(codes::CONFIG_VALUE, format!("--base-url {problem}"))
                .help("give an absolute address, e.g. --base-url https://example.org/exhibitions/"),
        );
    }
    let loaded = content::load(&options.root, &config, &mut diagnostics);
    let theme = Theme::load(&options.root, &mut diagnostics);
    timings.load = started.elapsed();

    progress.stage("resolve");
    let started = Instant::now();
    let resolve_options = resolve_options(&theme, options.include_drafts);
    let mut site = site::resolve(loaded, config.clone(), &resolve_options, &mut diagnostics);
    timings.resolve = started.elapsed();

    // Images are processed even when the content has errors, so one run
    // reports a damaged scan together with everything else.
    progress.stage("images");
    let started = Instant::now();
    site.images = images::process(&site, &options.root, image_work, &mut diagnostics);
    timings.images = started.elapsed();
    Prepared {
        config,
        site,
        theme,
        diagnostics,
        timings,
    }
}

/// The site at `root`, loaded and resolved as a build would (drafts left
/// out, images not made), or its diagnostics if it has errors. For the
/// timing programs in `examples/`.
pub fn load_site(root: &Path) -> Result<Site, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let config = Config::load(root, &mut diagnostics);
    let loaded = content::load(root, &config, &mut diagnostics);
    let theme = Theme::load(root, &mut diagnostics);
    let options = resolve_options(&theme, false);
    let site = site::resolve(loaded, config, &options, &mut diagnostics);
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(site)
    }
}

/// What resolve needs besides the documents: whether drafts are published,
/// and the theme's static files, so that links to them count as resolved.
/// `serve` resolves with the same options.
pub fn resolve_options(theme: &Theme, include_drafts: bool) -> ResolveOptions {
    let mut static_paths: Vec<String> = theme.static_files.keys().cloned().collect();
    static_paths.push(render::HIGHLIGHT_CSS.to_string());
    ResolveOptions {
        include_drafts,
        static_paths,
    }
}

/// The outcome of `build`.
pub struct BuildReport {
    /// The pipeline's result. Its `output` is empty: every file was
    /// written to disk as soon as it was made.
    pub result: PipelineResult,
    pub output_dir: PathBuf,
    pub written: Option<writer::WriteStats>,
    /// HTML pages published.
    pub pages: usize,
}

/// Where the site will be written: `--output`, or `output_dir` of
/// site.yaml relative to the site root.
pub fn output_dir(options: &BuildOptions, config: &Config) -> PathBuf {
    match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&config.output_dir),
    }
}

/// Runs the pipeline and, when there are no errors, writes the site.
pub fn build(options: &BuildOptions) -> BuildReport {
    build_with_progress(options, &Quiet)
}

/// [`build`], reporting its stages and pages to `progress`.
///
/// Pages are written to the staging folder as they are rendered, so they
/// never all sit in memory (at 10,000 items they are over 300 MB) and
/// writing overlaps rendering. Files that are not pages are rendered
/// first, so that a page at the path of a static or media file is found
/// before any page is written. The staging folder is swapped in only when
/// no error was found; otherwise it is removed and the previous site stays.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> BuildReport {
    let started_all = Instant::now();
    let mut prepared = prepare(options, ImageWork::Produce, progress);
    let output_dir = output_dir(options, &prepared.config);
    let mut written = None;
    let mut pages = 0;
    if let Err(error) = writer::check_output_dir(&options.root, &output_dir) {
        prepared.diagnostics.push(
            Diagnostic::error(codes::OUTPUT, error.to_string())
                .help("choose an output folder outside content/, templates/ and static/, e.g. --output public"),
        );
    } else if !prepared.diagnostics.has_errors() {
        match write_site(
            &prepared.site,
            &prepared.theme,
            &output_dir,
            &mut prepared.diagnostics,
            &mut prepared.timings,
            progress,
        ) {
            Ok((stats, page_count)) => {
                written = stats;
                pages = page_count;
            }
            Err(error) => prepared.diagnostics.push(
                Diagnostic::error(codes::OUTPUT, error.to_string())
                    .help("check that the output folder's parent exists and is writable, and that the disk is not full"),
            ),
        }
    }
    BuildReport {
        // Every file was written as soon as it was made.
        result: prepared.finish(Output::new(), started_all),
        output_dir,
        written,
        pages,
    }
}

/// Renders and writes the whole site through a staging folder: the files
/// that are not pages, then the pages and, beside them, the search index.
/// Returns what was written (`None` when rendering found errors and nothing
/// was swapped in) and the number of HTML pages.
fn write_site(
    site: &Site,
    theme: &Theme,
    output_dir: &Path,
    diagnostics: &mut Diagnostics,
    timings: &mut Timings,
    progress: &dyn Progress,
) -> Result<(Option<writer::WriteStats>, usize), writer::WriteError> {
    progress.stage("render");
    let started = Instant::now();
    let output = render::render_without_search(site, theme, render::Pages::None, diagnostics);
    timings.render = started.elapsed();

    progress.stage("write");
    let started = Instant::now();
    let staging = writer::Staging::open(output_dir)?;
    // First, so that the search index, written after, replaces a static
    // file at one of its paths (as `serve` does), and no two writers ever
    // work on one path at once.
    staging.write_output(&output)?;
    // Written: only the paths are needed from here on (a page may not take
    // one of them), so the bytes (the data exports, megabytes) are freed
    // before the pages are rendered.
    let other_paths: BTreeSet<String> = output.files.into_keys().collect();
    timings.write = started.elapsed();

    // The search index beside the pages: it has sequential steps
    // (numbering terms, cutting shards) that would leave a core idle. Its
    // paths are all under `search/`, where no page but the search page is.
    progress.stage("pages");
    let (search, pages) = rayon::join(
        || timed(|| write_search_index(site, &staging)),
        || {
            let pages =
                timed(|| render::write_pages(site, theme, &other_paths, &staging, progress));
            // Shown while the index is still being made, if it is.
            progress.stage("search index");
            pages
        },
    );
    let ((search, search_time), (pages, pages_time)) = (search, pages);
    timings.search = search_time;
    timings.render += pages_time;
    search?;
    let (pages, page_diagnostics) = pages?;
    for diagnostic in page_diagnostics {
        diagnostics.push(diagnostic);
    }
    let other_pages = other_paths.iter().filter(|p| p.ends_with(".html")).count();
    if diagnostics.has_errors() {
        // The staging folder is kept as the spare; the previous site stays.
        return Ok((None, pages + other_pages));
    }
    progress.stage("swap");
    let started = Instant::now();
    let stats = staging.commit()?;
    timings.write += started.elapsed();
    Ok((Some(stats), pages + other_pages))
}

/// Builds the search index and writes its files.
fn write_search_index(site: &Site, staging: &writer::Staging) -> Result<(), writer::WriteError> {
    BigramIndexer::default().write_index(site, &|path, bytes| staging.write_bytes(path, bytes))
}

/// The result of `work` and how long it took.
fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let result = work();
    (result, started.elapsed())
}

/// The site root as given, or the current folder.
pub fn root_or_current(root: Option<&Path>) -> PathBuf {
    root.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
