//! `lantai serve`: the authoring server.
//!
//! The site is built into memory and served under its `base_url` path;
//! the files are watched, and each burst of changes runs the pipeline
//! again, re-parsing only the changed files ([`workspace`]). A good result
//! is swapped in whole ([`snapshot`]); pages render when asked for, and the
//! pages open in a browser render at once and are told to reload
//! ([`reload`]). A result with errors leaves the last good build in service
//! and shows the errors in the open pages and the terminal.
//!
//! The server depends on the pipeline; the pipeline does not know there is
//! a server.

pub mod reload;
pub mod request;
pub mod server;
pub mod snapshot;
pub mod watch;
pub mod workspace;

use crate::{errln, outln};
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diagnostics::{Diagnostics, render_text};
use reload::{ErrorReport, LiveEvent, OpenPages};
use request::Target;
use server::Shared;
use snapshot::Snapshot;
use watch::{Batch, Batches};
use workspace::{Pass, Touched, Workspace};

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// The first port to try; the next free one is taken when it is busy.
    pub port: u16,
    pub open: bool,
    pub include_drafts: bool,
}

/// Default port, as in SPEC.md.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the asked one are tried.
const PORTS_TO_TRY: u16 = 100;

/// Why the server could not start or went down.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot use the site folder {}: {source}", path.display())]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no free port from {first} to {last} on {bind}")]
    NoFreePort { bind: IpAddr, first: u16, last: u16 },
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Watch(#[from] watch::WatchError),
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

/// Builds the site, serves it, and rebuilds on every change until the
/// process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .map_err(|source| ServeError::Root {
            path: options.root.clone(),
            source,
        })?;
    let started = Instant::now();
    let mut workspace = Workspace::load(&root, options.include_drafts);
    let pass = workspace.resolve(&[]);

    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        root: root.clone(),
        server_id: format!("{}-{}", std::process::id(), unique_suffix()),
        current: RwLock::new(None),
        errors: RwLock::new(None),
        open: OpenPages::default(),
        events,
    });
    let first = publish(&shared, pass, &Touched::default());
    print_first_build(&root, &first, started);

    let listener = bind(options.bind, options.port)?;
    let address = listener.local_addr().map_err(ServeError::Runtime)?;
    announce(options, address, &workspace.config().base_path);

    let batches = Batches::watch(&root)?;
    let rebuild_shared = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("lantai-rebuild".into())
        .spawn(move || rebuild_loop(workspace, batches, &rebuild_shared))
        .map_err(ServeError::Runtime)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(ServeError::Runtime)?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?;
        axum::serve(listener, server::router(shared))
            .await
            .map_err(ServeError::Runtime)
    })
}

/// Something that differs between two runs of the server.
fn unique_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Listens on `port`, or the next free port after it.
fn bind(address: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let last = port.saturating_add(PORTS_TO_TRY);
    for candidate in port..=last {
        let socket = SocketAddr::new(address, candidate);
        match TcpListener::bind(socket) {
            Ok(listener) => return Ok(listener),
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(source) => {
                return Err(ServeError::Listen {
                    address: socket,
                    source,
                });
            }
        }
    }
    Err(ServeError::NoFreePort {
        bind: address,
        first: port,
        last,
    })
}

fn announce(options: &ServeOptions, address: SocketAddr, base_path: &str) {
    if address.port() != options.port {
        outln!(
            "port {} is taken; using port {} instead",
            options.port,
            address.port()
        );
    }
    let shown_host = if address.ip().is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        address.ip()
    };
    let url = format!(
        "http://{}{base_path}",
        SocketAddr::new(shown_host, address.port())
    );
    outln!("serving the site at {url}");
    if !address.ip().is_loopback() {
        errln!(
            "warning: listening on {} — other machines on the network can read this site{}",
            address.ip(),
            if options.include_drafts {
                ", drafts included"
            } else {
                ""
            }
        );
    }
    outln!(
        "watching site.yaml, content/, templates/ and static/ for changes; press Ctrl+C to stop"
    );
    if options.open {
        open_browser(&url);
    }
}

/// Opens `url` in the desktop's browser, if there is a way to.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        // Reap it when it exits, so no defunct process lingers.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => outln!("(could not start {opener} to open a browser: open {url} yourself)"),
    }
}

fn print_first_build(root: &Path, outcome: &Outcome, started: Instant) {
    print_diagnostics(root, &outcome.diagnostics);
    match &outcome.pages {
        Some(pages) => outln!(
            "built {pages} pages in memory in {} ms; pages render when first visited",
            started.elapsed().as_millis()
        ),
        None => errln!(
            "error: {}; fix them and save: the site is served once it builds",
            outcome.diagnostics.summary()
        ),
    }
}

fn print_diagnostics(root: &Path, diagnostics: &Diagnostics) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for diagnostic in diagnostics.sorted() {
        let source = diagnostic
            .location
            .as_ref()
            .and_then(|l| std::fs::read_to_string(root.join(&l.file)).ok());
        errln!("{}", render_text(diagnostic, source.as_deref(), color));
    }
}

/// Waits for changes and runs the pipeline for each burst, forever.
fn rebuild_loop(mut workspace: Workspace, mut batches: Batches, shared: &Shared) {
    loop {
        // Idle work first, so it is not on the path from a save to a reload.
        workspace.prepare_spare();
        let Some(batch) = batches.wait() else {
            errln!("error: the file watcher stopped; restart lantai serve to see changes");
            return;
        };
        for error in &batch.errors {
            errln!("warning: file watcher: {error}");
        }
        let touched = workspace.classify(&batch.paths);
        if touched.is_empty() {
            continue;
        }
        // A bug in a stage must not end the rebuilds: report it, start over
        // from the files, and keep serving the last good build.
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let pass = workspace.update(&touched);
            publish(shared, pass, &touched)
        }));
        let outcome = match attempt {
            Ok(outcome) => outcome,
            Err(_) => {
                errln!(
                    "error: lantai failed while rebuilding (a bug: please report it with the file you changed); still serving the last good build"
                );
                workspace = Workspace::load(workspace.root(), workspace.include_drafts());
                continue;
            }
        };
        print_rebuild(workspace.root(), &batch, &touched, &outcome);
        // The feed, sitemap, data exports and search index are made when
        // first asked for: on a large site they take far longer than the
        // pages an editor looks at, and a save must not wait behind them.
        drop(outcome);
    }
}

/// What one pass did, for the terminal.
struct Outcome {
    diagnostics: Diagnostics,
    parsed: usize,
    /// Pages of the new build; `None` when it failed.
    pages: Option<usize>,
    /// Open pages rendered again at once.
    rendered: usize,
    /// Open pages told to reload.
    reloaded: usize,
    /// How the open pages were told.
    action: &'static str,
    elapsed_ms: u128,
    /// The replaced build, dropped after the terminal line is out.
    _previous: Option<Arc<Snapshot>>,
}

/// Puts a pass into service: swaps in its build and tells the open pages,
/// or — when it failed — keeps the last good build and shows the errors.
fn publish(shared: &Shared, pass: Pass, touched: &Touched) -> Outcome {
    let started = Instant::now();
    let mut outcome = Outcome {
        diagnostics: Diagnostics::new(),
        parsed: pass.parsed,
        pages: None,
        rendered: 0,
        reloaded: 0,
        action: "",
        elapsed_ms: 0,
        _previous: None,
    };
    let Some(site) = pass.site else {
        fail(shared, &pass.diagnostics);
        outcome.diagnostics = pass.diagnostics;
        outcome.elapsed_ms = (pass.elapsed + started.elapsed()).as_millis();
        return outcome;
    };
    let snapshot = Arc::new(Snapshot::new(site, pass.theme));
    if !snapshot.collisions.is_empty() {
        let mut diagnostics = pass.diagnostics;
        diagnostics.extend(snapshot.collisions.iter().cloned());
        fail(shared, &diagnostics);
        outcome.diagnostics = diagnostics;
        outcome.elapsed_ms = (pass.elapsed + started.elapsed()).as_millis();
        return outcome;
    }
    let previous = shared.snapshot();
    // Render the open pages now, and find those whose bytes changed.
    let mut changed = Vec::new();
    let open = shared.open.paths();
    for raw in &open {
        let Some(file) = output_file(&snapshot, raw) else {
            continue;
        };
        let fresh = match snapshot.shown_at(&file) {
            Ok(bytes) => bytes,
            Err(diagnostic) => {
                // A template that fails on an open page: treat the pass as
                // failed, so that page keeps its last good version.
                let mut diagnostics = pass.diagnostics.clone();
                diagnostics.push((*diagnostic).clone());
                fail(shared, &diagnostics);
                outcome.diagnostics = diagnostics;
                outcome.elapsed_ms = (pass.elapsed + started.elapsed()).as_millis();
                return outcome;
            }
        };
        outcome.rendered += 1;
        let before = previous.as_ref().and_then(|p| {
            let file = output_file(p, raw)?;
            p.cached(&file)?.ok()
        });
        if before.as_deref() != Some(&*fresh) {
            changed.push(raw.clone());
        }
    }
    outcome.pages = Some(snapshot.page_count());
    outcome._previous = shared.set_snapshot(snapshot);
    let had_errors = shared.set_errors(None).is_some();
    let (event, reloaded, action) = if had_errors {
        (Some(LiveEvent::Fixed), open.len(), "errors fixed")
    } else if touched.only_stylesheets() {
        (Some(LiveEvent::Stylesheets), 0, "stylesheets swapped")
    } else if touched.config || touched.touches_media() {
        (
            Some(LiveEvent::Reload {
                pages: Vec::new(),
                all: true,
            }),
            open.len(),
            "",
        )
    } else if changed.is_empty() {
        (None, 0, "")
    } else {
        let count = changed.len();
        (
            Some(LiveEvent::Reload {
                pages: changed,
                all: false,
            }),
            count,
            "",
        )
    };
    if let Some(event) = event {
        shared.send(event);
    }
    outcome.reloaded = reloaded;
    outcome.action = action;
    outcome.diagnostics = pass.diagnostics;
    outcome.elapsed_ms = (pass.elapsed + started.elapsed()).as_millis();
    outcome
}

/// Keeps the last good build and shows `diagnostics` in the open pages.
fn fail(shared: &Shared, diagnostics: &Diagnostics) {
    let report = ErrorReport::new(&shared.root, diagnostics);
    shared.set_errors(Some(report.clone()));
    shared.send(LiveEvent::Errors(report));
}

/// The output file an open page's request path names in `snapshot`.
fn output_file(snapshot: &Snapshot, raw: &str) -> Option<String> {
    match request::target(snapshot.base_path(), raw, |p| snapshot.has_page(p)) {
        Target::File(file) => Some(file),
        _ => None,
    }
}

/// One line per rebuild: what changed, what was rendered, how long it took.
fn print_rebuild(root: &Path, batch: &Batch, touched: &Touched, outcome: &Outcome) {
    let what = describe_change(root, &batch.paths, touched);
    let ms = batch
        .first_event
        .elapsed()
        .as_millis()
        .max(outcome.elapsed_ms);
    match outcome.pages {
        Some(pages) => {
            let mut line = format!(
                "{what} · parsed {} · re-rendered {} open {} ({} reloaded{}); the other {} pages render when visited · {ms} ms",
                plural(outcome.parsed, "file"),
                outcome.rendered,
                if outcome.rendered == 1 {
                    "page"
                } else {
                    "pages"
                },
                outcome.reloaded,
                if outcome.action.is_empty() {
                    String::new()
                } else {
                    format!(", {}", outcome.action)
                },
                pages.saturating_sub(outcome.rendered),
            );
            if outcome.diagnostics.warning_count() > 0 {
                line.push_str(&format!(
                    " · {}",
                    plural(outcome.diagnostics.warning_count(), "warning")
                ));
            }
            outln!("{line}");
        }
        None => {
            print_diagnostics(root, &outcome.diagnostics);
            errln!(
                "{what} · {}: still serving the last good build · {ms} ms",
                outcome.diagnostics.summary()
            );
        }
    }
}

fn describe_change(root: &Path, paths: &[PathBuf], touched: &Touched) -> String {
    let relevant: Vec<String> = paths
        .iter()
        .filter(|p| {
            let relative = p.strip_prefix(root).unwrap_or(p);
            touched.content.contains(p)
                || touched.statics.contains(p)
                || (touched.templates && relative.starts_with(crate::render::theme::TEMPLATES_DIR))
                || (touched.config && relative == Path::new(crate::config::CONFIG_FILE))
        })
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    match relevant.as_slice() {
        [] => "changed".to_string(),
        [one] => format!("changed {one}"),
        [first, rest @ ..] => format!("changed {first} and {} more", rest.len()),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
