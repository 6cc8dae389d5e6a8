//! The built site before it is written: output path → bytes or file to copy.
//!
//! `build` writes an `Output` to disk atomically ([`writer`]); `serve` keeps
//! it in memory.

pub mod writer;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The contents of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    /// Rendered bytes.
    Bytes(Vec<u8>),
    /// A file copied as it is (media, static files).
    Copy(PathBuf),
}

/// Every file of the built site, by `/`-separated path relative to the
/// output folder (`archive/hx-0001/index.html`).
#[derive(Debug, Default, Clone)]
pub struct Output {
    pub files: BTreeMap<String, OutputFile>,
}

impl Output {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert_bytes(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(path.into(), OutputFile::Bytes(bytes.into()));
    }

    pub fn insert_copy(&mut self, path: impl Into<String>, source: PathBuf) {
        self.files.insert(path.into(), OutputFile::Copy(source));
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The rendered bytes of a file, if it was rendered (not copied).
    pub fn bytes(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path)? {
            OutputFile::Bytes(bytes) => Some(bytes),
            OutputFile::Copy(_) => None,
        }
    }
}
