//! The pipeline: load → resolve → render → write, as one call.
//!
//! `build` and `check` are thin commands over [`run_pipeline`]; `build`
//! then hands the output to the writer.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, codes};
use crate::images::{self, ImageStats, ImageWork};
use crate::output::{Output, writer};
use crate::render::{self, theme::Theme};
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
    pub render: Duration,
    pub write: Duration,
}

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
    let mut diagnostics = Diagnostics::new();
    let mut timings = Timings::default();
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

    let started = Instant::now();
    let mut static_paths: Vec<String> = theme.static_files.keys().cloned().collect();
    static_paths.push(render::HIGHLIGHT_CSS.to_string());
    let resolve_options = ResolveOptions {
        include_drafts: options.include_drafts,
        static_paths,
    };
    let mut site = site::resolve(loaded, config.clone(), &resolve_options, &mut diagnostics);
    timings.resolve = started.elapsed();

    // Images are processed even when the content has errors, so one run
    // reports a damaged scan together with everything else.
    let started = Instant::now();
    site.images = images::process(&site, &options.root, image_work, &mut diagnostics);
    timings.images = started.elapsed();

    let mut output = Output::new();
    if !diagnostics.has_errors() {
        let started = Instant::now();
        output = render::render(&site, &theme, &mut diagnostics);
        timings.render = started.elapsed();
    }
    let image_stats = site.images.stats;
    PipelineResult {
        site: Some(site),
        output,
        diagnostics,
        timings,
        config,
        images: image_stats,
    }
}

/// The outcome of `build`.
pub struct BuildReport {
    pub result: PipelineResult,
    pub output_dir: PathBuf,
    pub written: Option<writer::WriteStats>,
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
    let mut result = run_pipeline(options);
    let output_dir = output_dir(options, &result.config);
    let mut written = None;
    if let Err(error) = writer::check_output_dir(&options.root, &output_dir) {
        result.diagnostics.push(
            Diagnostic::error(codes::OUTPUT, error.to_string())
                .help("choose an output folder outside content/, templates/ and static/, e.g. --output public"),
        );
    } else if !result.diagnostics.has_errors() {
        let started = Instant::now();
        match writer::write(&result.output, &output_dir) {
            Ok(stats) => written = Some(stats),
            Err(error) => result.diagnostics.push(
                Diagnostic::error(codes::OUTPUT, error.to_string())
                    .help("check that the output folder's parent exists and is writable, and that the disk is not full"),
            ),
        }
        result.timings.write = started.elapsed();
    }
    BuildReport {
        result,
        output_dir,
        written,
    }
}

/// The site root as given, or the current folder.
pub fn root_or_current(root: Option<&Path>) -> PathBuf {
    root.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
