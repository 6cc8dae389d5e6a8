//! Writing a built site to disk so that readers never see half a site.
//!
//! The site is written to a hidden staging folder beside the output folder
//! and swapped in with two renames only when every file was written. A
//! failed or interrupted build leaves the previous output as it was; stale
//! staging folders are cleaned up by the next build.

use std::io;
use std::path::{Component, Path, PathBuf};
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
/// in whole. Dropped without a commit, the staging folder is removed and
/// the previous output is left as it was.
pub struct Staging {
    staging: PathBuf,
    output_dir: PathBuf,
    parent: PathBuf,
    name: String,
    /// The output folder of the previous build, if any: a file whose bytes
    /// are unchanged is hard-linked from it instead of written again, which
    /// spares the file system a new file (the costly part of writing
    /// thousands of small pages) and keeps its timestamp.
    previous: Option<PathBuf>,
    files: AtomicUsize,
    bytes: AtomicU64,
    reused: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder for `output_dir`, removing what
    /// interrupted builds left beside it.
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
        remove_stale(&parent, &name);
        let staging = parent.join(format!(".{name}.lantai-staging-{}", std::process::id()));
        if staging.exists() {
            remove_tree(&staging).map_err(|e| WriteError::io(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
        let previous = std::fs::symlink_metadata(&output_dir)
            .is_ok_and(|m| m.is_dir())
            .then(|| output_dir.clone());
        Ok(Staging {
            staging,
            output_dir,
            parent,
            name,
            previous,
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
        let reused = self
            .previous_file(relative)
            .filter(|previous| same_bytes(previous, bytes))
            .is_some_and(|previous| std::fs::hard_link(previous, &target).is_ok());
        if !reused {
            std::fs::write(&target, bytes).map_err(|e| WriteError::io(&target, e))?;
        }
        self.count(bytes.len() as u64, reused);
        Ok(())
    }

    /// Publishes a copy of `source` at `relative`. Files of lantai's image
    /// cache are never changed once written (an entry is replaced whole),
    /// so they are shared by a hard link where the file system allows: a
    /// rebuild of a site with thousands of tiles then writes almost nothing.
    /// Anything else — the curator's own files — is copied (or taken from
    /// the previous output when identical), so editing a content file never
    /// changes the published site behind the build's back.
    pub fn copy(&self, relative: &str, source: &Path) -> Result<(), WriteError> {
        let Some(target) = self.target(relative)? else {
            return Ok(());
        };
        let from_cache = source
            .components()
            .any(|c| c.as_os_str() == crate::images::cache::CACHE_DIR);
        if from_cache && std::fs::hard_link(source, &target).is_ok() {
            let len = std::fs::metadata(&target)
                .map_err(|e| WriteError::io(&target, e))?
                .len();
            self.count(len, false);
            return Ok(());
        }
        let reused = self
            .previous_file(relative)
            .filter(|previous| same_files(previous, source))
            .is_some_and(|previous| std::fs::hard_link(previous, &target).is_ok());
        let len = if reused {
            std::fs::metadata(&target)
                .map_err(|e| WriteError::io(&target, e))?
                .len()
        } else {
            std::fs::copy(source, &target).map_err(|e| WriteError::io(source, e))?
        };
        self.count(len, reused);
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

    /// Swaps the staging folder in for the output folder, then removes the
    /// previous output.
    pub fn commit(mut self) -> Result<WriteStats, WriteError> {
        swap_in(&self.staging, &self.output_dir, &self.parent, &self.name)?;
        self.committed = true;
        Ok(WriteStats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
        })
    }

    fn count(&self, len: u64, reused: bool) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
        if reused {
            self.reused.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The staging path of `relative`, with its folder created.
    fn target(&self, relative: &str) -> Result<Option<PathBuf>, WriteError> {
        let Some(target) = safe_join(&self.staging, relative) else {
            return Ok(None);
        };
        if let Some(folder) = target.parent() {
            create_folder(folder).map_err(|e| WriteError::io(folder, e))?;
        }
        Ok(Some(target))
    }

    /// The regular file at `relative` in the previous output, if any.
    fn previous_file(&self, relative: &str) -> Option<PathBuf> {
        let path = safe_join(self.previous.as_deref()?, relative)?;
        Some(path)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.staging);
        }
    }
}

/// Creates `folder` and any missing parents. Pages each have a folder of
/// their own, so the usual case is one `mkdir` whose parent exists.
fn create_folder(folder: &Path) -> io::Result<()> {
    match std::fs::create_dir(folder) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(folder),
        Err(e) => Err(e),
    }
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
    a.is_file()
        && b.is_file()
        && a.len() == b.len()
        && same_contents(previous, source).unwrap_or(false)
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

/// Removes a folder and everything in it, sub-folders in parallel: the
/// previous output of a large site has tens of thousands of folders.
fn remove_tree(path: &Path) -> io::Result<()> {
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

/// Removes staging and old folders left by interrupted builds.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.lantai-staging-"),
        format!(".{name}.lantai-old-"),
    ];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Joins a relative output path, refusing anything that could leave the
/// folder (`..`, absolute paths).
fn safe_join(base: &Path, relative: &str) -> Option<PathBuf> {
    let path = Path::new(relative);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| base.join(path))
}

fn swap_in(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(|e| WriteError::io(output, e));
    }
    let old = parent.join(format!(".{name}.lantai-old-{}", std::process::id()));
    std::fs::rename(output, &old).map_err(|e| WriteError::io(output, e))?;
    if let Err(error) = std::fs::rename(staging, output) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&old, output);
        return Err(WriteError::io(output, error));
    }
    let _ = remove_tree(&old);
    Ok(())
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

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = Output::new();
        first.insert_bytes("old.html", "old");
        first.insert_bytes("a/index.html", "a");
        write(&first, &out).unwrap();
        let mut second = Output::new();
        second.insert_bytes("a/index.html", "new");
        let stats = write(&second, &out).unwrap();
        assert_eq!(stats.files, 1);
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders remain");
    }

    #[test]
    fn unchanged_files_are_taken_from_the_previous_output() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = Output::new();
        first.insert_bytes("same/index.html", "same");
        first.insert_bytes("changed/index.html", "before");
        write(&first, &out).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, changed) = (inode("same/index.html"), inode("changed/index.html"));

        let mut second = Output::new();
        second.insert_bytes("same/index.html", "same");
        second.insert_bytes("changed/index.html", "after!");
        let stats = write(&second, &out).unwrap();
        assert_eq!((stats.files, stats.reused), (2, 1));
        assert_eq!(
            inode("same/index.html"),
            same,
            "the unchanged page is the same file"
        );
        assert_ne!(inode("changed/index.html"), changed);
        assert_eq!(
            std::fs::read_to_string(out.join("changed/index.html")).unwrap(),
            "after!"
        );
        // The previous output is gone, so the kept file has one name again.
        let links = std::fs::metadata(out.join("same/index.html"))
            .unwrap()
            .nlink();
        assert_eq!(links, 1);
    }

    #[test]
    fn a_staging_folder_dropped_before_commit_leaves_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut first = Output::new();
        first.insert_bytes("index.html", "old");
        write(&first, &out).unwrap();
        {
            let staging = Staging::open(&out).unwrap();
            staging.write_bytes("index.html", b"new").unwrap();
            staging
                .write_bytes("deep/er/page/index.html", b"new")
                .unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "the staging folder is removed");
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
        assert_eq!(
            std::fs::read_to_string(out.join("scan.png")).unwrap(),
            "BBBB"
        );
        let stats = write(&output, &out).unwrap();
        assert_eq!(stats.reused, 1);
    }

    #[test]
    fn never_writes_outside_the_folder() {
        assert!(safe_join(Path::new("/x"), "../etc/passwd").is_none());
        assert!(safe_join(Path::new("/x"), "/etc/passwd").is_none());
        assert!(safe_join(Path::new("/x"), "a/b.html").is_some());
    }
}
