//! Watching the site's files: `site.yaml`, `content/`, `templates/` and
//! `static/`, and turning bursts of file events into one batch of paths.
//!
//! notify-debouncer-full merges the events of each path (an editor's
//! write-to-temporary-and-rename, a create then a modify) over a very short
//! window; then [`Batches::wait`] waits until the file system has been quiet
//! for a few milliseconds more, so that a `git checkout` of a hundred files
//! gives one rebuild. The workspace reads the files as they are afterwards,
//! so the kind of each event does not matter, only its paths.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;
use crate::content::CONTENT_DIR;
use crate::render::theme::{STATIC_DIR, TEMPLATES_DIR};

/// How long one path's events are merged.
const DEBOUNCE: Duration = Duration::from_millis(3);
/// How often the debouncer looks for merged events.
const TICK: Duration = Duration::from_millis(1);
/// A batch ends when no event came for this long…
const QUIET: Duration = Duration::from_millis(3);
/// …or when it has been collecting for this long, so that a process that
/// never stops writing still gets rebuilds.
const LONGEST: Duration = Duration::from_millis(1000);

/// Folders watched recursively, relative to the site root.
const FOLDERS: [&str; 3] = [CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR];

/// A problem setting up the watcher.
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path} for changes: {source}")]
pub struct WatchError {
    path: PathBuf,
    #[source]
    source: notify_debouncer_full::notify::Error,
}

/// Changed paths, in batches.
pub struct Batches {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: Vec<PathBuf>,
    events: Receiver<DebounceEventResult>,
}

/// One burst of changes.
pub struct Batch {
    /// Absolute paths named by the events (files or folders, existing or
    /// gone).
    pub paths: Vec<PathBuf>,
    /// When the first event of the burst reached lantai.
    pub first_event: Instant,
    /// Problems the watcher reported (e.g. the system's limit of watches).
    pub errors: Vec<String>,
}

impl Batches {
    /// Starts watching the site at `root` (canonical).
    pub fn watch(root: &Path) -> Result<Batches, WatchError> {
        let (sender, events) = channel();
        let debouncer =
            new_debouncer(DEBOUNCE, Some(TICK), sender).map_err(|source| WatchError {
                path: root.to_path_buf(),
                source,
            })?;
        let mut batches = Batches {
            root: root.to_path_buf(),
            debouncer,
            watched: Vec::new(),
            events,
        };
        // The root itself, not recursively: it holds site.yaml, and the
        // output folder (and, for lantai's own repository, target/) must
        // not be watched.
        batches
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|source| WatchError {
                path: root.to_path_buf(),
                source,
            })?;
        batches.watch_new_folders()?;
        Ok(batches)
    }

    /// Watches `content/`, `templates/` and `static/` once they exist (a
    /// site may create `templates/` while being served).
    fn watch_new_folders(&mut self) -> Result<(), WatchError> {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if path.is_dir() && !self.watched.contains(&path) {
                self.debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|source| WatchError {
                        path: path.clone(),
                        source,
                    })?;
                self.watched.push(path);
            }
        }
        self.watched.retain(|p| p.is_dir());
        Ok(())
    }

    /// Waits for the next burst of changes. `None` when the watcher stopped.
    pub fn wait(&mut self) -> Option<Batch> {
        let first = self.events.recv().ok()?;
        let first_event = Instant::now();
        let mut batch = Batch {
            paths: Vec::new(),
            first_event,
            errors: Vec::new(),
        };
        self.add(&mut batch, first);
        while first_event.elapsed() < LONGEST {
            match self.events.recv_timeout(QUIET) {
                Ok(result) => self.add(&mut batch, result),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        if let Err(error) = self.watch_new_folders() {
            batch.errors.push(error.to_string());
        }
        batch.paths.sort();
        batch.paths.dedup();
        Some(batch)
    }

    fn add(&self, batch: &mut Batch, result: DebounceEventResult) {
        match result {
            Ok(events) => {
                for event in events {
                    if event.need_rescan() {
                        // Events were lost: look at everything again.
                        batch.paths.push(self.root.join(CONFIG_FILE));
                    }
                    if changes_files(&event.event.kind) {
                        batch.paths.extend(event.event.paths.iter().cloned());
                    }
                }
            }
            Err(errors) => batch
                .errors
                .extend(errors.into_iter().map(|e| e.to_string())),
        }
    }
}

/// Reading a file is an event too (lantai reads the files it watches):
/// only writes, creations, removals and renames are changes.
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{CreateKind, ModifyKind};

    #[test]
    fn reads_are_not_changes() {
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
    }
}
