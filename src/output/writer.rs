//! Writing a built site to disk so that readers never see half a site.
//!
//! The site is written to a hidden staging folder beside the output folder
//! and swapped in with two renames only when every file was written. A
//! failed or interrupted build leaves the previous output as it was; stale
//! staging folders are cleaned up by the next build.

use std::collections::HashSet;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Output, OutputFile};

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write the site into {output}: it {reason}")]
    Refused { output: PathBuf, reason: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl WriteError {
    fn io(path: &Path, source: io::Error) -> Self {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Absolute form of `path` without requiring it to exist: the nearest
/// existing ancestor is canonicalized and the rest appended.
pub fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut result = canonical;
            for part in rest.iter().rev() {
                result.push(part);
            }
            return Ok(normalize(&result));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(normalize(&path)),
        }
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut result = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                result.pop();
            }
            Component::CurDir => {}
            other => result.push(other),
        }
    }
    result
}

/// Refuses an output folder that is or contains the site root, or that is,
/// contains or lies inside `content/`, `templates/` or `static/`.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), WriteError> {
    let refuse = |reason: String| {
        Err(WriteError::Refused {
            output: output.to_path_buf(),
            reason,
        })
    };
    let root = absolute(root).map_err(|e| WriteError::io(root, e))?;
    let out = absolute(output).map_err(|e| WriteError::io(output, e))?;
    if root.starts_with(&out) {
        return refuse("is or contains the site's own folder".to_string());
    }
    for folder in ["content", "templates", "static"] {
        let protected = root.join(folder);
        if out.starts_with(&protected) || protected.starts_with(&out) {
            return refuse(format!("overlaps the site's {folder}/ folder"));
        }
    }
    Ok(())
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
    /// Files taken unchanged from the previous output (hard links): no new
    /// file, and the modification time a sync tool compares is kept.
    pub reused: usize,
}

/// Writes `output` into `output_dir`, replacing its previous contents whole.
pub fn write(output: &Output, output_dir: &Path) -> Result<WriteStats, WriteError> {
    let staging = Staging::open(output_dir)?;
    staging.write_output(output)?;
    staging.commit()
}

/// A site being written. Files go into a hidden staging folder beside the
/// output folder, from any number of threads; [`Staging::commit`] swaps it
/// in whole. Dropped without a commit (the build failed), the staging
/// folder becomes the spare for the next build, and the published output
/// is as it was.
///
/// Rebuilds write only what changed. The output folder a commit replaces
/// is kept beside it as the *spare*, and the next build takes the spare
/// (or a staging folder an interrupted build left) as its staging folder
/// and brings it up to date instead of writing a new tree: folders are
/// reused, a file whose bytes equal the published one is a hard link to
/// it, and only changed files are written, each to a new file renamed into
/// place — never into an existing one, which may be shared with the
/// published site. Files no longer produced are removed at the commit. So
/// a rebuild of 10,000 unchanged pages creates and deletes no file or
/// folder, which on some file systems (ext4 without a journal, with
/// `discard`) costs more than rendering them.
pub struct Staging {
    staging: PathBuf,
    output_dir: PathBuf,
    /// Where the replaced output is kept for the next build.
    spare: PathBuf,
    /// The published output folder, if any: files are compared with it.
    previous: Option<PathBuf>,
    /// Every file written, to remove the rest at the commit (unless fresh).
    written: Mutex<HashSet<PathBuf>>,
    /// The staging folder was made empty: at the commit it holds only
    /// what this build wrote, and there is nothing to look for.
    fresh: bool,
    files: AtomicUsize,
    bytes: AtomicU64,
    reused: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Opens a staging folder for `output_dir`: the spare or a folder an
    /// interrupted build left, when there is one, or a new empty folder.
    pub fn open(output_dir: &Path) -> Result<Staging, WriteError> {
        let output_dir = absolute(output_dir).map_err(|e| WriteError::io(output_dir, e))?;
        let parent = output_dir
            .parent()
            .ok_or_else(|| WriteError::Refused {
                output: output_dir.clone(),
                reason: "is the root of the file system".to_string(),
            })?
            .to_path_buf();
        let name = output_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        std::fs::create_dir_all(&parent).map_err(|e| WriteError::io(&parent, e))?;
        let staging = parent.join(format!(".{name}.lantai-staging-{}", std::process::id()));
        let spare = parent.join(format!(".{name}.lantai-spare"));
        let mut reusable = leftovers(&parent, &name);
        // The spare first: it is the most recent complete site.
        reusable.sort_by_key(|path| *path != spare);
        let mut taken = false;
        for leftover in reusable {
            let is_folder = std::fs::symlink_metadata(&leftover).is_ok_and(|m| m.is_dir());
            if !taken && is_folder && std::fs::rename(&leftover, &staging).is_ok() {
                taken = true;
            } else if leftover != staging {
                let _ = remove_tree(&leftover);
            }
        }
        // Fresh only when made here: a folder of that name that could not
        // be taken (unreadable, or of a reused process id) is searched at
        // the commit like any reused one.
        let mut fresh = false;
        if !taken {
            match std::fs::create_dir(&staging) {
                Ok(()) => fresh = true,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(WriteError::io(&staging, e)),
            }
        }
        let previous = std::fs::symlink_metadata(&output_dir)
            .is_ok_and(|m| m.is_dir())
            .then(|| output_dir.clone());
        Ok(Staging {
            staging,
            output_dir,
            spare,
            previous,
            written: Mutex::new(HashSet::new()),
            fresh,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            reused: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Writes rendered bytes at `relative` (a `/`-separated path inside the
    /// output folder; a path that would leave it is ignored).
    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let Some(target) = self.target(relative)? else {
            return Ok(());
        };
        let published = self
            .published(relative)
            .filter(|published| same_bytes(published, bytes));
        // In a folder made empty, a new file is the usual case: made
        // exclusively, it cannot be one the published site shares, so
        // nothing needs looking at first.
        let made_new = self.fresh
            && published.is_none()
            && match write_new(&target, bytes) {
                Ok(()) => true,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => false,
                Err(e) => return Err(WriteError::io(&target, e)),
            };
        if !made_new {
            place(
                &target,
                published.as_deref(),
                |at| same_bytes(at, bytes),
                |at| std::fs::write(at, bytes),
            )
            .map_err(|e| WriteError::io(&target, e))?;
        }
        self.count(&target, bytes.len() as u64, published.is_some());
        Ok(())
    }

    /// Publishes a copy of `source` at `relative`. Files of lantai's image
    /// cache are never changed once written (an entry is replaced whole),
    /// so they are shared by a hard link where the file system allows: a
    /// rebuild of a site with thousands of tiles then writes almost nothing.
    /// Anything else — the curator's own files — is copied (or kept when
    /// identical), so editing a content file never changes the published
    /// site behind the build's back.
    pub fn copy(&self, relative: &str, source: &Path) -> Result<(), WriteError> {
        let Some(target) = self.target(relative)? else {
            return Ok(());
        };
        let from_cache = source
            .components()
            .any(|c| c.as_os_str() == crate::images::cache::CACHE_DIR);
        let published = self
            .published(relative)
            .filter(|published| same_files(published, source));
        let same = if from_cache {
            Some(source)
        } else {
            published.as_deref()
        };
        place(
            &target,
            same,
            |at| same_files(at, source),
            |at| std::fs::copy(source, at).map(|_| ()),
        )
        .map_err(|e| WriteError::io(&target, e))?;
        let len = std::fs::metadata(&target)
            .map_err(|e| WriteError::io(&target, e))?
            .len();
        self.count(&target, len, published.is_some());
        Ok(())
    }

    /// Writes every file of `output`, in parallel.
    pub fn write_output(&self, output: &Output) -> Result<(), WriteError> {
        let files: Vec<(&String, &OutputFile)> = output.files.iter().collect();
        files
            .par_iter()
            .try_for_each(|(relative, file)| match file {
                OutputFile::Bytes(bytes) => self.write_bytes(relative, bytes),
                OutputFile::Copy(source) => self.copy(relative, source),
            })
    }

    /// Removes what this build did not write, swaps the staging folder in
    /// for the output folder, and keeps the replaced output as the spare.
    pub fn commit(mut self) -> Result<WriteStats, WriteError> {
        let written = self
            .written
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        if !self.fresh {
            remove_unwritten(&self.staging, &written)
                .map_err(|e| WriteError::io(&self.staging, e))?;
        }
        if self.output_dir.exists() {
            if self.spare.exists() {
                remove_tree(&self.spare).map_err(|e| WriteError::io(&self.spare, e))?;
            }
            std::fs::rename(&self.output_dir, &self.spare)
                .map_err(|e| WriteError::io(&self.output_dir, e))?;
            if let Err(error) = std::fs::rename(&self.staging, &self.output_dir) {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&self.spare, &self.output_dir);
                return Err(WriteError::io(&self.output_dir, error));
            }
        } else {
            std::fs::rename(&self.staging, &self.output_dir)
                .map_err(|e| WriteError::io(&self.output_dir, e))?;
        }
        self.committed = true;
        Ok(WriteStats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
        })
    }

    /// Counts a file written at `target`; `unchanged` when the published
    /// site has the same bytes at the same path.
    fn count(&self, target: &Path, len: u64, unchanged: bool) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
        if unchanged {
            self.reused.fetch_add(1, Ordering::Relaxed);
        }
        if !self.fresh
            && let Ok(mut written) = self.written.lock()
        {
            written.insert(target.to_path_buf());
        }
    }

    /// The staging path of `relative`, with its folder made ready.
    fn target(&self, relative: &str) -> Result<Option<PathBuf>, WriteError> {
        let Some(target) = safe_join(&self.staging, relative) else {
            return Ok(None);
        };
        if let Some(folder) = target.parent() {
            create_folder(&self.staging, folder).map_err(|e| WriteError::io(folder, e))?;
        }
        Ok(Some(target))
    }

    /// The path of `relative` in the published output folder.
    fn published(&self, relative: &str) -> Option<PathBuf> {
        safe_join(self.previous.as_deref()?, relative)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if self.spare.exists() || std::fs::rename(&self.staging, &self.spare).is_err() {
            let _ = remove_tree(&self.staging);
        }
    }
}

/// Makes the staging file `target` hold the right bytes: a hard link to
/// `same` (a file known to hold them) when given; else the file as it is
/// when `is_right` says its bytes are right; else what `write` writes. A
/// file that exists is replaced by one made under a temporary name and
/// renamed over it, never written into: it may be a link shared with the
/// published site.
fn place(
    target: &Path,
    same: Option<&Path>,
    is_right: impl Fn(&Path) -> bool,
    write: impl Fn(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let mut existing = std::fs::symlink_metadata(target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        remove_tree(target)?;
        existing = None;
    }
    if let Some(same) = same {
        if let (Some(existing), Ok(wanted)) = (&existing, std::fs::metadata(same))
            && existing.dev() == wanted.dev()
            && existing.ino() == wanted.ino()
        {
            return Ok(());
        }
        let temporary = temporary_name(target);
        let _ = std::fs::remove_file(&temporary);
        if std::fs::hard_link(same, &temporary).is_ok() {
            std::fs::rename(&temporary, target)?;
            return Ok(());
        }
    }
    if existing.is_none() {
        write(target)?;
        return Ok(());
    }
    if is_right(target) {
        return Ok(());
    }
    let temporary = temporary_name(target);
    write(&temporary)?;
    std::fs::rename(&temporary, target)?;
    Ok(())
}

/// The temporary name a file is made under before it is renamed to `target`.
fn temporary_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.lantai-new"))
}

/// Creates `folder` (inside `staging`) and any missing parents, replacing a
/// file that stands where a folder must be. Pages each have a folder of
/// their own, so the usual case is one `mkdir` whose parent exists, or none
/// when the staging folder was reused.
fn create_folder(staging: &Path, folder: &Path) -> io::Result<()> {
    match std::fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            if std::fs::symlink_metadata(folder)?.is_dir() {
                return Ok(());
            }
            std::fs::remove_file(folder)?;
            std::fs::create_dir(folder)
        }
        Err(e)
            if e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::NotADirectory =>
        {
            match folder.parent() {
                Some(parent) if parent.starts_with(staging) && parent != staging => {
                    create_folder(staging, parent)?;
                    create_folder(staging, folder)
                }
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Removes every file under `folder` that is not in `written`, and the
/// folders left empty. Returns whether `folder` is now empty.
fn remove_unwritten(folder: &Path, written: &HashSet<PathBuf>) -> io::Result<bool> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(folder)?.collect::<Result<_, _>>()?;
    let removed: Vec<bool> = entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                let empty = remove_unwritten(&path, written)?;
                if empty {
                    std::fs::remove_dir(&path)?;
                }
                Ok(empty)
            } else if written.contains(&path) {
                Ok(false)
            } else {
                std::fs::remove_file(&path).map(|()| true)
            }
        })
        .collect::<io::Result<_>>()?;
    Ok(removed.iter().all(|&r| r))
}

/// Writes `bytes` to a new file at `path`; fails if anything is there.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

/// Whether the regular file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(path).is_ok_and(|on_disk| on_disk == bytes)
}

/// Whether the regular file at `previous` has the same bytes as `source`.
fn same_files(previous: &Path, source: &Path) -> bool {
    let (Ok(a), Ok(b)) = (
        std::fs::symlink_metadata(previous),
        std::fs::metadata(source),
    ) else {
        return false;
    };
    if !(a.is_file() && b.is_file() && a.len() == b.len()) {
        return false;
    }
    if a.dev() == b.dev() && a.ino() == b.ino() {
        return true;
    }
    same_contents(previous, source).unwrap_or(false)
}

fn same_contents(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut x, mut y) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(b.read(&mut y[..1])? == 0);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Removes a folder and everything in it, sub-folders in parallel.
fn remove_tree(path: &Path) -> io::Result<()> {
    if !std::fs::symlink_metadata(path)?.is_dir() {
        return std::fs::remove_file(path);
    }
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        let entry_path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_tree(&entry_path)
        } else {
            std::fs::remove_file(&entry_path)
        }
    })?;
    std::fs::remove_dir(path)
}

/// What earlier builds left beside the output folder: the spare, and the
/// staging (and, from older versions, old) folders of interrupted builds.
fn leftovers(parent: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefixes = [
        format!(".{name}.lantai-staging-"),
        format!(".{name}.lantai-old-"),
    ];
    let spare = format!(".{name}.lantai-spare");
    entries
        .flatten()
        .filter(|entry| {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            file_name == spare || prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
        })
        .map(|entry| entry.path())
        .collect()
}

/// Joins a relative output path, refusing anything that could leave the
/// folder (`..`, absolute paths).
fn safe_join(base: &Path, relative: &str) -> Option<PathBuf> {
    let path = Path::new(relative);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| base.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_folders_that_overlap_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, &root.join("static")).is_err());
        assert!(check_output_dir(root, dir.path().parent().unwrap()).is_err());
    }

    fn names_beside(out: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(dir).unwrap().to_string_lossy();
                (
                    relative.into_owned(),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    fn inode(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().ino()
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = Output::new();
        first.insert_bytes("old.html", "old");
        first.insert_bytes("a/index.html", "a");
        first.insert_bytes("gone/deep/index.html", "g");
        write(&first, &out).unwrap();
        let mut second = Output::new();
        second.insert_bytes("a/index.html", "new");
        let stats = write(&second, &out).unwrap();
        assert_eq!(stats.files, 1);
        assert_eq!(tree(&out), [("a/index.html".into(), "new".into())]);
        assert!(!out.join("gone").exists(), "emptied folders are removed");
        assert_eq!(names_beside(&out), [".public.lantai-spare", "public"]);
    }

    #[test]
    fn a_fresh_staging_folder_never_writes_into_a_published_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = Output::new();
        first.insert_bytes("a/index.html", "same");
        write(&first, &out).unwrap();
        // A first build leaves no spare: the next staging folder is made empty.
        assert_eq!(names_beside(&out), ["public"]);
        let published = out.join("a/index.html");
        let published_inode = inode(&published);
        let staging = Staging::open(&out).unwrap();
        // Linked to the published file, then written over with other bytes.
        staging.write_bytes("a/index.html", b"same").unwrap();
        staging.write_bytes("a/index.html", b"changed").unwrap();
        assert_eq!(std::fs::read(&published).unwrap(), b"same");
        assert_eq!(inode(&published), published_inode);
        staging.commit().unwrap();
        assert_eq!(tree(&out), [("a/index.html".into(), "changed".into())]);
    }

    #[test]
    fn a_fresh_staging_folder_takes_a_path_written_twice_and_a_folder_where_a_file_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::open(&out).unwrap();
        staging.write_bytes("a/index.html", b"first").unwrap();
        staging.write_bytes("a/index.html", b"second").unwrap();
        staging.write_bytes("b", b"a file").unwrap();
        staging.write_bytes("b/index.html", b"in a folder").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            tree(&out),
            [
                ("a/index.html".into(), "second".into()),
                ("b/index.html".into(), "in a folder".into())
            ]
        );
    }

    /// Builds over builds: each result is exactly what was asked for,
    /// whatever the spare held, and the published files are never written
    /// into (a file of an earlier site keeps its bytes).
    #[test]
    fn every_rebuild_publishes_exactly_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let sites: [&[(&str, &str)]; 5] = [
            &[
                ("index.html", "1"),
                ("a/index.html", "a"),
                ("b/index.html", "b"),
            ],
            &[("index.html", "2"), ("a/index.html", "a")],
            &[
                ("index.html", "2"),
                ("a/index.html", "A"),
                ("b", "a file now"),
            ],
            &[("index.html", "2"), ("b/index.html", "a folder again")],
            &[("index.html", "2"), ("b/index.html", "a folder again")],
        ];
        let mut earlier: Vec<(PathBuf, String)> = Vec::new();
        for files in sites {
            let mut output = Output::new();
            for (path, text) in files {
                output.insert_bytes(*path, *text);
            }
            // Hold on to the published files as they are now.
            let kept = dir.path().join(format!("kept-{}", earlier.len()));
            if out.exists() {
                std::fs::create_dir(&kept).unwrap();
                for (relative, text) in tree(&out) {
                    let name = kept.join(relative.replace('/', "_"));
                    std::fs::hard_link(out.join(&relative), &name).unwrap();
                    earlier.push((name, text));
                }
            }
            write(&output, &out).unwrap();
            let mut wanted: Vec<(String, String)> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            wanted.sort();
            assert_eq!(tree(&out), wanted);
            for (name, text) in &earlier {
                assert_eq!(&std::fs::read_to_string(name).unwrap(), text);
            }
        }
    }

    #[test]
    fn unchanged_files_are_taken_from_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |text: &str, changed: &str| {
            let mut output = Output::new();
            output.insert_bytes("same/index.html", text);
            output.insert_bytes("changed/index.html", changed);
            output
        };
        write(&page("same", "before"), &out).unwrap();
        let same = inode(&out.join("same/index.html"));

        for (n, text) in ["after!", "again!", "more!!"].into_iter().enumerate() {
            // The published file is still in use while the new one is
            // made, so the new one cannot get its inode number (an older
            // one, freed since, can be reused).
            let published = inode(&out.join("changed/index.html"));
            let stats = write(&page("same", text), &out).unwrap();
            assert_eq!((stats.files, stats.reused), (2, 1), "build {n}");
            assert_eq!(
                inode(&out.join("same/index.html")),
                same,
                "the unchanged page is the same file"
            );
            assert_ne!(inode(&out.join("changed/index.html")), published);
            assert_eq!(
                std::fs::read_to_string(out.join("changed/index.html")).unwrap(),
                text
            );
        }
        // Nothing changed: every file is kept, none written.
        let stats = write(&page("same", "more!!"), &out).unwrap();
        assert_eq!((stats.files, stats.reused), (2, 2));
    }

    #[test]
    fn a_staging_folder_dropped_before_commit_leaves_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = Output::new();
        first.insert_bytes("index.html", "old");
        write(&first, &out).unwrap();
        write(&first, &out).unwrap();
        {
            let staging = Staging::open(&out).unwrap();
            staging.write_bytes("index.html", b"new").unwrap();
            staging
                .write_bytes("deep/er/page/index.html", b"new")
                .unwrap();
        }
        assert_eq!(tree(&out), [("index.html".into(), "old".into())]);
        assert_eq!(
            names_beside(&out),
            [".public.lantai-spare", "public"],
            "kept for the next build"
        );
        // The next build starts from that folder and removes what it
        // does not publish.
        write(&first, &out).unwrap();
        assert_eq!(tree(&out), [("index.html".into(), "old".into())]);
    }

    #[test]
    fn copies_compare_contents_not_just_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("scan.png");
        std::fs::write(&source, "AAAA").unwrap();
        let out = dir.path().join("public");
        let mut output = Output::new();
        output.insert_copy("scan.png", source.clone());
        write(&output, &out).unwrap();
        std::fs::write(&source, "BBBB").unwrap();
        let stats = write(&output, &out).unwrap();
        assert_eq!(stats.reused, 0);
        assert_eq!(tree(&out), [("scan.png".into(), "BBBB".into())]);
        let stats = write(&output, &out).unwrap();
        assert_eq!(stats.reused, 1);
        assert_eq!(std::fs::read_to_string(&source).unwrap(), "BBBB");
    }

    #[test]
    fn never_writes_outside_the_folder() {
        assert!(safe_join(Path::new("/x"), "../etc/passwd").is_none());
        assert!(safe_join(Path::new("/x"), "/etc/passwd").is_none());
        assert!(safe_join(Path::new("/x"), "a/b.html").is_some());
    }
}
