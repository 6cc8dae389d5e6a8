//! Writing a built site to disk so that readers never see half a site.
//!
//! The site is written to a hidden staging folder beside the output folder
//! and swapped in with two renames only when every file was written. A
//! failed or interrupted build leaves the previous output as it was; stale
//! staging folders are cleaned up by the next build.

use std::io;
use std::path::{Component, Path, PathBuf};

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
}

/// Writes `output` into `output_dir`, replacing its previous contents whole.
pub fn write(output: &Output, output_dir: &Path) -> Result<WriteStats, WriteError> {
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
        std::fs::remove_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
    }
    std::fs::create_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
    match write_all(output, &staging) {
        Ok(stats) => {
            swap_in(&staging, &output_dir, &parent, &name)?;
            Ok(stats)
        }
        Err(error) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(error)
        }
    }
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
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn write_all(output: &Output, staging: &Path) -> Result<WriteStats, WriteError> {
    let files: Vec<(&String, &OutputFile)> = output.files.iter().collect();
    let mut directories: Vec<PathBuf> = files
        .iter()
        .filter_map(|(path, _)| safe_join(staging, path))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    directories.sort();
    directories.dedup();
    for directory in &directories {
        std::fs::create_dir_all(directory).map_err(|e| WriteError::io(directory, e))?;
    }
    let sizes: Result<Vec<u64>, WriteError> = files
        .par_iter()
        .map(|(relative, file)| {
            let Some(target) = safe_join(staging, relative) else {
                return Ok(0);
            };
            match file {
                OutputFile::Bytes(bytes) => {
                    std::fs::write(&target, bytes).map_err(|e| WriteError::io(&target, e))?;
                    Ok(bytes.len() as u64)
                }
                OutputFile::Copy(source) => {
                    publish_copy(source, &target).map_err(|e| WriteError::io(source, e))
                }
            }
        })
        .collect();
    let sizes = sizes?;
    Ok(WriteStats {
        files: sizes.len(),
        bytes: sizes.iter().sum(),
    })
}

/// Puts a copy of `source` at `target`. Files of lantai's image cache are
/// never changed once written (an entry is replaced whole), so they are
/// shared by a hard link where the file system allows: a rebuild of a site
/// with thousands of tiles then writes almost nothing. Anything else — the
/// curator's own files — is copied, so editing a content file never changes
/// the published site behind the build's back.
fn publish_copy(source: &Path, target: &Path) -> io::Result<u64> {
    let from_cache = source
        .components()
        .any(|c| c.as_os_str() == crate::images::cache::CACHE_DIR);
    if from_cache && std::fs::hard_link(source, target).is_ok() {
        return std::fs::metadata(target).map(|m| m.len());
    }
    std::fs::copy(source, target)
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
        let _ = std::fs::remove_dir_all(staging);
        return Err(WriteError::io(output, error));
    }
    let _ = std::fs::remove_dir_all(&old);
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
    fn never_writes_outside_the_folder() {
        assert!(safe_join(Path::new("/x"), "../etc/passwd").is_none());
        assert!(safe_join(Path::new("/x"), "/etc/passwd").is_none());
        assert!(safe_join(Path::new("/x"), "a/b.html").is_some());
    }
}
