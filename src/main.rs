//! The `lantai` command: arguments, dispatch and exit codes. The work is
//! done by the library.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use lantai::build::{self, BuildOptions};
use lantai::diagnostics::{Diagnostics, codes, render_text};
use lantai::progress;
use lantai::scaffold;
use lantai::serve::{self, ServeOptions};
use lantai::{errln, outln};

/// 兰台 lantai — a static site generator for online history exhibitions.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's folder (with site.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Output folder (default: output_dir of site.yaml).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url of site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site and report every problem; writes nothing.
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Serve the site locally, rebuild on every change, reload the browser.
    Serve {
        #[arg(long)]
        root: Option<PathBuf>,
        /// First port to try; the next free one is used when it is taken.
        #[arg(long, default_value_t = serve::DEFAULT_PORT)]
        port: u16,
        /// Address to listen on; anything but loopback shares the site with the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site with starter content.
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new exhibit, section or item with the required fields.
    New {
        #[command(subcommand)]
        what: NewCommand,
        #[arg(long, global = true)]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// content/exhibits/SLUG/_index.md
    Exhibit { slug: String },
    /// content/exhibits/EXHIBIT/NN-SLUG.md
    Section { exhibit: String, slug: String },
    /// content/archive/ID.md
    Item { id: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Exit status of SPEC.md.
const EXIT_CONTENT_ERRORS: u8 = 1;
const EXIT_USAGE: u8 = 2;

// A build makes and frees millions of small strings and vectors across
// threads; mimalloc's per-thread free lists make a 10k build about a tenth
// faster than the system allocator. Built without transparent huge pages
// (Cargo.toml), which would be faster still but hold a quarter more
// memory (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => run_build(BuildOptions {
            root: build::root_or_current(root.as_deref()),
            output,
            base_url,
            include_drafts: drafts,
        }),
        Command::Check {
            root,
            drafts,
            strict,
            format,
        } => run_check(
            BuildOptions {
                root: build::root_or_current(root.as_deref()),
                output: None,
                base_url: None,
                include_drafts: drafts,
            },
            strict,
            format,
        ),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
        } => {
            let options = ServeOptions {
                root: build::root_or_current(root.as_deref()),
                bind,
                port,
                open,
                include_drafts: drafts,
            };
            match serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => usage_error(&error.to_string()),
            }
        }
        Command::Init { dir } => match scaffold::init(&dir) {
            Ok(files) => {
                outln!(
                    "created a new site in {} ({} files)",
                    dir.display(),
                    files.len()
                );
                outln!("build it with: lantai build --root {}", dir.display());
                ExitCode::SUCCESS
            }
            Err(error) => usage_error(&error.to_string()),
        },
        Command::New { what, root } => {
            let root = build::root_or_current(root.as_deref());
            let result = match what {
                NewCommand::Exhibit { slug } => scaffold::new_exhibit(&root, &slug),
                NewCommand::Section { exhibit, slug } => {
                    scaffold::new_section(&root, &exhibit, &slug)
                }
                NewCommand::Item { id } => scaffold::new_item(&root, &id),
            };
            match result {
                Ok(path) => {
                    outln!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(error) => usage_error(&error.to_string()),
            }
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    errln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// At most this many diagnostics of one code are printed per file; the
/// rest are counted, so a file with thousands of the same mistake stays
/// readable.
const MAX_SAME_PER_FILE: usize = 50;

/// Prints every diagnostic, sorted by file and line, with the source line.
fn print_diagnostics(root: &Path, diagnostics: &Diagnostics) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut printed: HashMap<(Option<PathBuf>, &str), usize> = HashMap::new();
    for diagnostic in diagnostics.sorted() {
        let file = diagnostic.location.as_ref().map(|l| l.file.clone());
        let count = printed.entry((file.clone(), diagnostic.code)).or_default();
        *count += 1;
        if *count > MAX_SAME_PER_FILE {
            continue;
        }
        let source = file.as_ref().and_then(|f| {
            sources
                .entry(f.clone())
                .or_insert_with(|| std::fs::read_to_string(root.join(f)).ok())
                .as_deref()
        });
        errln!("{}", render_text(diagnostic, source, color));
    }
    let mut hidden: Vec<_> = printed
        .into_iter()
        .filter(|(_, n)| *n > MAX_SAME_PER_FILE)
        .collect();
    hidden.sort();
    for ((file, code), n) in hidden {
        let place = file
            .map(|f| format!(" in {}", f.display()))
            .unwrap_or_default();
        errln!(
            "note: {} more {code}{place} not shown",
            n - MAX_SAME_PER_FILE
        );
    }
}

/// Usage and I/O problems (no site, unwritable output) exit 2; content
/// errors exit 1.
fn failure_code(diagnostics: &Diagnostics) -> u8 {
    let usage = diagnostics.iter().any(|d| {
        d.is_error()
            && (d.code == codes::OUTPUT
                || d.code == codes::CONFIG_MISSING
                || d.code == codes::IMAGE_CACHE)
    });
    if usage {
        EXIT_USAGE
    } else {
        EXIT_CONTENT_ERRORS
    }
}

fn run_build(options: BuildOptions) -> ExitCode {
    let progress = progress::Bar::on_terminal();
    let report = build::build_with_progress(&options, &progress);
    progress.finish();
    let diagnostics = &report.result.diagnostics;
    print_diagnostics(&options.root, diagnostics);
    let shown_dir = report.output_dir.display();
    let Some(stats) = report.written else {
        let kept = if report.output_dir.exists() {
            format!("the previous site in {shown_dir} was left as it was")
        } else {
            "nothing was written".to_string()
        };
        errln!("error: {}; {kept}", diagnostics.summary());
        return ExitCode::from(failure_code(diagnostics));
    };
    if !diagnostics.is_empty() {
        errln!("warning: {}", diagnostics.summary());
    }
    let timings = report.result.timings;
    outln!(
        "built {} pages ({} files, {:.1} MB, {} unchanged) into {shown_dir} in {:.2} s (load {:.2} s, resolve {:.2} s, images {:.2} s, render {:.2} s, search index {:.2} s beside it, write {:.2} s)",
        report.pages,
        stats.files,
        stats.bytes as f64 / 1_000_000.0,
        stats.reused,
        timings.total.as_secs_f64(),
        timings.load.as_secs_f64(),
        timings.resolve.as_secs_f64(),
        timings.images.as_secs_f64(),
        timings.render.as_secs_f64(),
        timings.search.as_secs_f64(),
        timings.write.as_secs_f64(),
    );
    let images = report.result.images;
    if images.processed + images.cached > 0 {
        outln!(
            "images: {} processed, {} from the cache",
            images.processed,
            images.cached
        );
    }
    let config = &report.result.config;
    if config.base_path == "/" {
        outln!(
            "to look at it: python3 -m http.server 8000 --directory {shown_dir}  and open http://localhost:8000/"
        );
    } else {
        outln!(
            "the pages link under {} (base_url {}); to look at them locally, build with --base-url http://localhost:8000/ and run: python3 -m http.server 8000 --directory {shown_dir}",
            config.base_path,
            config.base_url
        );
    }
    // The process ends here: freeing the site's millions of allocations
    // one by one would only delay the exit (about 50 ms at 10k items).
    std::mem::forget(report);
    ExitCode::SUCCESS
}

fn run_check(options: BuildOptions, strict: bool, format: Format) -> ExitCode {
    let mut result = build::check_pipeline(&options);
    if !result.diagnostics.has_errors()
        && let Some(site) = &result.site
    {
        let found = lantai::check::check(site, &result.output, &options.root);
        result.diagnostics.extend(found);
    }
    let diagnostics = &result.diagnostics;
    match format {
        Format::Text => {
            print_diagnostics(&options.root, diagnostics);
            errln!("{}", diagnostics.summary());
        }
        Format::Json => {
            let list: Vec<_> = diagnostics.sorted();
            match serde_json::to_string_pretty(&list) {
                Ok(json) => outln!("{json}"),
                Err(error) => return usage_error(&error.to_string()),
            }
        }
    }
    let failed = diagnostics.has_errors() || (strict && !diagnostics.is_empty());
    if failed {
        ExitCode::from(failure_code(diagnostics))
    } else {
        ExitCode::SUCCESS
    }
}
