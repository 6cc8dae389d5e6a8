//! The image cache: processed images kept between builds, keyed by a hash
//! of the source file's bytes and the settings that shaped the result.
//!
//! It lives in `.lantai-cache/images/` under the site root — never in the
//! output, which is replaced whole on every build. Each entry is a folder
//! named by its key holding the files of one image service and a
//! `meta.json` with the image's size. An entry is built in a temporary
//! folder and renamed into place, so a half-written entry is never found.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::ImageError;
use super::plan::Size;

/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".lantai-cache";

/// Bump when the pipeline's output changes for the same input and
/// settings, so old entries are no longer used.
const PIPELINE_VERSION: &str = "lantai-images-1";

const META_FILE: &str = "meta.json";

/// One cached image: where its files are and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub folder: PathBuf,
    pub size: Size,
}

/// The image cache of one site.
#[derive(Debug, Clone)]
pub struct ImageCache {
    folder: PathBuf,
}

/// Distinguishes temporary folders of entries built at the same time.
static TEMPORARY: AtomicUsize = AtomicUsize::new(0);

impl ImageCache {
    pub fn new(site_root: &Path) -> ImageCache {
        ImageCache {
            folder: site_root.join(CACHE_DIR).join("images"),
        }
    }

    /// The key of a source file's `bytes` processed with `settings` (any
    /// stable text that changes whenever the result would).
    pub fn key(bytes: &[u8], settings: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(PIPELINE_VERSION.as_bytes());
        hasher.update([0]);
        hasher.update(settings.as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Where the entry of `key` is (or would be) stored.
    pub fn entry_folder(&self, key: &str) -> PathBuf {
        self.folder.join(&key[..2]).join(key)
    }

    /// The entry of `key` when it is complete: its meta file reads and
    /// every file `files(size)` lists exists.
    pub fn lookup(&self, key: &str, files: impl Fn(Size) -> Vec<String>) -> Option<Entry> {
        let folder = self.entry_folder(key);
        let meta = fs::read(folder.join(META_FILE)).ok()?;
        let meta: serde_json::Value = serde_json::from_slice(&meta).ok()?;
        let dimension = |name: &str| {
            meta.get(name)
                .and_then(serde_json::Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
        };
        let size = Size {
            width: dimension("width")?,
            height: dimension("height")?,
        };
        files(size)
            .iter()
            .all(|file| folder.join(file).is_file())
            .then_some(Entry { folder, size })
    }

    /// Builds the entry of `key` with `make`, which writes the files into
    /// the folder it is given and returns the image's size.
    pub fn store(
        &self,
        key: &str,
        make: impl FnOnce(&Path) -> Result<Size, ImageError>,
    ) -> Result<Entry, ImageError> {
        let folder = self.entry_folder(key);
        let parent = folder.parent().unwrap_or(&self.folder);
        let temporary = parent.join(format!(
            ".{key}.tmp-{}-{}",
            std::process::id(),
            TEMPORARY.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&temporary).map_err(|e| ImageError::cache(&temporary, e))?;
        let result = make(&temporary).and_then(|size| {
            let meta = serde_json::json!({ "width": size.width, "height": size.height });
            let path = temporary.join(META_FILE);
            fs::write(&path, meta.to_string()).map_err(|e| ImageError::cache(&path, e))?;
            Ok(size)
        });
        let size = match result {
            Ok(size) => size,
            Err(error) => {
                let _ = fs::remove_dir_all(&temporary);
                return Err(error);
            }
        };
        // An incomplete entry left by an interrupted build is replaced.
        if folder.exists() {
            let _ = fs::remove_dir_all(&folder);
        }
        if let Err(error) = fs::rename(&temporary, &folder) {
            let _ = fs::remove_dir_all(&temporary);
            // Another build may have stored the same entry meanwhile.
            if !folder.join(META_FILE).is_file() {
                return Err(ImageError::cache(&folder, error));
            }
        }
        Ok(Entry { folder, size })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_change_with_bytes_and_settings() {
        let a = ImageCache::key(b"scan", "w=320");
        assert_eq!(a.len(), 64);
        assert_eq!(a, ImageCache::key(b"scan", "w=320"));
        assert_ne!(a, ImageCache::key(b"scan2", "w=320"));
        assert_ne!(a, ImageCache::key(b"scan", "w=800"));
    }

    #[test]
    fn stored_entries_are_found_only_when_complete() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageCache::new(dir.path());
        let key = ImageCache::key(b"x", "");
        let files = |_: Size| vec!["full/max/0/default.jpg".to_string()];
        assert!(cache.lookup(&key, files).is_none());
        let size = Size {
            width: 3,
            height: 2,
        };
        let entry = cache
            .store(&key, |folder| {
                super::super::write_file(folder, "full/max/0/default.jpg", b"jpg")?;
                Ok(size)
            })
            .unwrap();
        assert_eq!(cache.lookup(&key, files), Some(entry.clone()));
        fs::remove_file(entry.folder.join("full/max/0/default.jpg")).unwrap();
        assert!(
            cache.lookup(&key, files).is_none(),
            "a missing file is a miss"
        );
    }

    #[test]
    fn a_failed_make_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ImageCache::new(dir.path());
        let key = ImageCache::key(b"y", "");
        let result = cache.store(&key, |_| Err(ImageError::MissingLevel { scale: 2 }));
        assert!(result.is_err());
        let parent = cache.entry_folder(&key).parent().unwrap().to_path_buf();
        assert_eq!(fs::read_dir(parent).unwrap().count(), 0);
    }
}
