//! The HTTP side: serving the current snapshot under the base path, and the
//! event stream of live reload.

use crate::errln;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, Method, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::Stream;
use tokio::sync::broadcast;

use super::reload::{self, EVENTS_PATH, ErrorReport, LiveEvent, OpenPages};
use super::request::{self, Target};
use super::snapshot::{self, Found, RenderedPage, Snapshot};

/// What the HTTP handlers and the rebuild thread share.
pub struct Shared {
    /// The site's folder, canonical.
    pub root: PathBuf,
    /// Differs between runs, so pages notice a restart.
    pub server_id: String,
    /// The last good build; `None` until the site first builds.
    pub current: RwLock<Option<Arc<Snapshot>>>,
    /// The problems of the latest pass, while it failed.
    pub errors: RwLock<Option<ErrorReport>>,
    pub open: OpenPages,
    pub events: broadcast::Sender<LiveEvent>,
}

impl Shared {
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn set_snapshot(&self, snapshot: Arc<Snapshot>) -> Option<Arc<Snapshot>> {
        self.current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .replace(snapshot)
    }

    pub fn error_report(&self) -> Option<ErrorReport> {
        self.errors
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Records the problems of the latest pass (`None`: it succeeded) and
    /// returns those of the pass before.
    pub fn set_errors(&self, report: Option<ErrorReport>) -> Option<ErrorReport> {
        std::mem::replace(
            &mut *self
                .errors
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            report,
        )
    }

    /// Sends a message to every open page (none may be listening).
    pub fn send(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }
}

/// The application: the event stream, and everything else from the site.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(shared)
}

#[derive(serde::Deserialize)]
struct EventsQuery {
    page: Option<String>,
}

/// Keeps an open page counted while its event stream lives.
struct OpenPage {
    shared: Arc<Shared>,
    path: String,
}

impl Drop for OpenPage {
    fn drop(&mut self) {
        self.shared.open.close(&self.path);
    }
}

async fn events(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let path = query.page.unwrap_or_default();
    shared.open.open(&path);
    let page = OpenPage {
        shared: Arc::clone(&shared),
        path,
    };
    // Subscribe before reading the error state, so no message falls between.
    let receiver = shared.events.subscribe();
    let mut first = vec![LiveEvent::Hello {
        server: shared.server_id.clone(),
    }];
    first.extend(shared.error_report().map(LiveEvent::Errors));
    let state = (first.into_iter(), receiver, page);
    let stream =
        futures_util::stream::unfold(state, |(mut first, mut receiver, page)| async move {
            let event = match first.next() {
                Some(event) => event,
                None => match receiver.recv().await {
                    Ok(event) => event,
                    // Too far behind to know what changed: reload.
                    Err(broadcast::error::RecvError::Lagged(_)) => LiveEvent::Reload {
                        pages: Vec::new(),
                        all: true,
                    },
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            };
            let (name, data) = event.encode();
            let sse = Event::default()
                .event(name)
                .data(data)
                .retry(Duration::from_millis(500));
            Some((Ok(sse), (first, receiver, page)))
        });
    // Frequent pings let the server notice closed tabs.
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(5)))
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
    }
    let path = uri.path().to_string();
    // Rendering a page takes a millisecond or two of CPU: keep it off the
    // threads that drive connections.
    match tokio::task::spawn_blocking(move || respond(&shared, &path)).await {
        Ok(response) => response,
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    }
}

fn respond(shared: &Shared, raw_path: &str) -> Response<Body> {
    let Some(snapshot) = shared.snapshot() else {
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            reload::broken_site_page(&shared.server_id),
        );
    };
    let base_path = snapshot.base_path().to_string();
    match request::target(&base_path, raw_path, |p| snapshot.contains(p)) {
        Target::File(file) => serve_file(shared, &snapshot, &file),
        Target::Redirect(location) => redirect(&location),
        Target::Outside if raw_path == "/" => redirect(&base_path),
        Target::Outside => not_found(shared, &snapshot),
        Target::Refused => plain(StatusCode::BAD_REQUEST, "bad path"),
    }
}

fn serve_file(shared: &Shared, snapshot: &Snapshot, file: &str) -> Response<Body> {
    match snapshot.get(file) {
        Found::Page(page) => page_response(shared, StatusCode::OK, page),
        Found::Bytes(bytes) => with_type(StatusCode::OK, file, bytes.as_ref().clone()),
        Found::Copy(source) => match snapshot::read_copy(&shared.root, &source) {
            Ok(bytes) => with_type(StatusCode::OK, file, bytes),
            Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                errln!("warning: refused to serve /{file}: {error}");
                plain(StatusCode::FORBIDDEN, "forbidden")
            }
            Err(_) => not_found(shared, snapshot),
        },
        Found::Missing => not_found(shared, snapshot),
    }
}

fn not_found(shared: &Shared, snapshot: &Snapshot) -> Response<Body> {
    page_response(shared, StatusCode::NOT_FOUND, snapshot.not_found())
}

/// A page with the live-reload script, or — when its template failed — a
/// page that shows the error.
fn page_response(shared: &Shared, status: StatusCode, page: RenderedPage) -> Response<Body> {
    match page {
        Ok(bytes) => html(status, reload::inject(&bytes, &shared.server_id)),
        Err(diagnostic) => {
            let report = ErrorReport::single(&shared.root, &diagnostic);
            errln!("{}", report.diagnostics[0].text);
            shared.send(LiveEvent::Errors(report));
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                reload::broken_site_page(&shared.server_id),
            )
        }
    }
}

fn html(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    with_type(status, "index.html", body)
}

fn with_type(status: StatusCode, file: &str, body: Vec<u8>) -> Response<Body> {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(request::content_type(file)),
    );
    // Always ask again: the site changes under the browser's feet.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    with_type(status, "x.txt", text.as_bytes().to_vec())
}

fn redirect(location: &str) -> Response<Body> {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
