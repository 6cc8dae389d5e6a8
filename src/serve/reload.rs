//! Live reload: the messages the server sends to open pages over
//! Server-Sent Events, the script that receives them, and which pages are
//! open.
//!
//! The script is added to pages as they are served, never to what `build`
//! writes. It reloads a page when the page changed (keeping its scroll
//! position), swaps stylesheets when only CSS changed, shows every
//! diagnostic in an overlay while the content has errors, and reconnects
//! by itself when the server restarts.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity, render_text};

/// Where the events are served: outside any site path a page can have
/// (slugs have no `_`).
pub const EVENTS_PATH: &str = "/__lantai/events";

/// A message to open pages.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// Sent first on every connection: which server this is, so a page
    /// reloads after a restart, and the problems of the moment.
    Hello { server: String },
    /// Reload the pages whose paths are listed, or every page.
    Reload { pages: Vec<String>, all: bool },
    /// Fetch the stylesheets again, without reloading.
    Stylesheets,
    /// The content has errors: show them; the last good build stays.
    Errors(ErrorReport),
    /// The errors are fixed: remove the overlay and reload.
    Fixed,
}

impl LiveEvent {
    /// The SSE event name and its JSON data.
    pub fn encode(&self) -> (&'static str, String) {
        let json = |value: serde_json::Value| value.to_string();
        match self {
            LiveEvent::Hello { server } => ("hello", json(serde_json::json!({ "server": server }))),
            LiveEvent::Reload { pages, all } => (
                "reload",
                json(serde_json::json!({ "pages": pages, "all": all })),
            ),
            LiveEvent::Stylesheets => ("css", "{}".to_string()),
            LiveEvent::Errors(report) => (
                "errors",
                serde_json::to_string(report).unwrap_or_else(|_| "{}".to_string()),
            ),
            LiveEvent::Fixed => ("fixed", "{}".to_string()),
        }
    }
}

/// The problems shown in the overlay: the same diagnostics, rendered by the
/// same function, as in the terminal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorReport {
    /// `2 errors in 1 file`.
    pub summary: String,
    pub diagnostics: Vec<ShownDiagnostic>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownDiagnostic {
    pub severity: Severity,
    pub code: &'static str,
    /// `content/archive/hx-0002.md:4:1`, when the problem has a place.
    pub place: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The rustc-style text: location, quoted line, caret, help.
    pub text: String,
}

impl ErrorReport {
    /// Renders `diagnostics` of the site at `root`, sorted by file and line.
    pub fn new(root: &Path, diagnostics: &Diagnostics) -> ErrorReport {
        let shown = diagnostics
            .sorted()
            .into_iter()
            .map(|d| show(root, d))
            .collect();
        ErrorReport {
            summary: diagnostics.summary(),
            diagnostics: shown,
        }
    }

    /// A report of one diagnostic (a page that failed to render).
    pub fn single(root: &Path, diagnostic: &Diagnostic) -> ErrorReport {
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(diagnostic.clone());
        ErrorReport::new(root, &diagnostics)
    }
}

fn show(root: &Path, diagnostic: &Diagnostic) -> ShownDiagnostic {
    let source = diagnostic
        .location
        .as_ref()
        .and_then(|l| std::fs::read_to_string(root.join(&l.file)).ok());
    let place = diagnostic.location.as_ref().map(|l| {
        let file = l.file.to_string_lossy().replace('\\', "/");
        if l.line == 0 {
            file
        } else {
            format!("{file}:{}:{}", l.line, l.column)
        }
    });
    ShownDiagnostic {
        severity: diagnostic.severity,
        code: diagnostic.code,
        place,
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
        text: render_text(diagnostic, source.as_deref(), false),
    }
}

/// The script added to served pages.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// Adds the live-reload script to a page, just before `</body>` (or at the
/// end when there is none). `server` is the serving process's id, which
/// its `hello` event repeats: a page hearing another id reloads.
pub fn inject(html: &[u8], server: &str) -> Vec<u8> {
    let script = format!(
        "<script data-lantai-live>\n{}</script>\n",
        LIVE_SCRIPT
            .replace("__EVENTS_PATH__", EVENTS_PATH)
            .replace("__SERVER_ID__", server)
    );
    let at = find_last_ascii_case_insensitive(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// A page shown while the site has never built: the overlay (filled in by
/// the script from the `errors` event) says why.
pub fn broken_site_page(server: &str) -> Vec<u8> {
    inject(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>站点有错误 · lantai</title></head>\n<body>\n<main><h1>站点内容有错误，尚未生成</h1><p>The site has errors and has not been built yet. They are listed here and in the terminal; this page reloads when they are fixed.</p></main>\n</body>\n</html>\n"
            .as_bytes(),
        server,
    )
}

/// The pages open in browsers, by the path each tab reported, so that a
/// rebuild re-renders at once just those and tells just them to reload.
#[derive(Debug, Default)]
pub struct OpenPages {
    counts: Mutex<HashMap<String, usize>>,
}

impl OpenPages {
    pub fn open(&self, path: &str) {
        *self.lock().entry(path.to_string()).or_default() += 1;
    }

    pub fn close(&self, path: &str) {
        let mut counts = self.lock();
        if let Some(count) = counts.get_mut(path) {
            *count -= 1;
            if *count == 0 {
                counts.remove(path);
            }
        }
    }

    /// The request paths of open pages.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.lock().keys().cloned().collect();
        paths.sort();
        paths
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Location, codes};

    #[test]
    fn script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, "4242-17")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script data-lantai-live>"));
        assert!(out.ends_with("</script>\n</BODY></html>"));
        assert!(out.contains(EVENTS_PATH));
        // The page knows the server that served it, before any event.
        assert!(out.contains("const server = '4242-17';"), "{out}");
        assert!(!out.contains("__SERVER_ID__"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", "4242-17")).unwrap();
        assert!(bare.starts_with("<p>no body</p><script"));
    }

    #[test]
    fn report_renders_like_the_terminal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), "---\ndte: 1920\n---\n").unwrap();
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(
            Diagnostic::error(codes::UNKNOWN_FIELD, "unknown field `dte`")
                .at(Location::new("content/a.md", 2, 1).with_length(3))
                .help("did you mean `date`?"),
        );
        let report = ErrorReport::new(dir.path(), &diagnostics);
        assert_eq!(report.summary, "1 error in 1 file");
        let shown = &report.diagnostics[0];
        assert_eq!(shown.place.as_deref(), Some("content/a.md:2:1"));
        assert!(shown.text.contains("2 | dte: 1920"), "{}", shown.text);
        assert!(shown.text.contains("^^^"));
        let (name, data) = LiveEvent::Errors(report).encode();
        assert_eq!(name, "errors");
        assert!(data.contains("did you mean `date`?"));
    }

    #[test]
    fn open_pages_are_counted_per_tab() {
        let open = OpenPages::default();
        open.open("/a/");
        open.open("/a/");
        open.open("/b/");
        open.close("/a/");
        assert_eq!(open.paths(), ["/a/", "/b/"]);
        open.close("/a/");
        assert_eq!(open.paths(), ["/b/"]);
    }
}
