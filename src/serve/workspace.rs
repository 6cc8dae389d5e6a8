//! The pipeline kept in memory between changes: `serve`'s incremental build.
//!
//! The workspace holds what the load stage produced for every file — the
//! parsed document and its diagnostics — so that a change re-parses only
//! the files that changed. Resolve then runs on all documents again (it is
//! the one place that decides what is published, and it is cheap), with the
//! same functions and options as `build`, so both publish the same site.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build;
use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, CONTENT_DIR, Content, Document, MediaFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::{self, ImageWork};
use crate::render::theme::{STATIC_DIR, TEMPLATES_DIR, Theme};
use crate::site::{self, Site};

/// What the load stage made of one Markdown file.
#[derive(Debug, Clone)]
struct LoadedFile {
    document: Option<Document>,
    diagnostics: Vec<Diagnostic>,
}

/// What a set of changed paths touched, decided by where they are.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Touched {
    pub config: bool,
    pub templates: bool,
    /// Paths under `static/` (absolute).
    pub statics: Vec<PathBuf>,
    /// Paths under `content/` (absolute), files or folders.
    pub content: Vec<PathBuf>,
}

impl Touched {
    pub fn is_empty(&self) -> bool {
        !self.config && !self.templates && self.statics.is_empty() && self.content.is_empty()
    }

    /// True when only stylesheets changed, so open pages can swap them
    /// without a reload.
    pub fn only_stylesheets(&self) -> bool {
        !self.config
            && !self.templates
            && self.content.is_empty()
            && !self.statics.is_empty()
            && self
                .statics
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }

    /// True when a file that pages show but do not contain changed (an
    /// image, a script): the pages' bytes stay the same, yet they must reload.
    pub fn touches_media(&self) -> bool {
        let is_media = |p: &PathBuf| p.extension().is_none_or(|e| e != "md" && e != "css");
        self.content.iter().any(is_media) || self.statics.iter().any(is_media)
    }
}

/// The result of one pass of the pipeline.
pub struct Pass {
    /// The new site, or `None` when there were errors (the last good site
    /// stays in service).
    pub site: Option<Arc<Site>>,
    pub theme: Arc<Theme>,
    /// Every problem of the whole site, not only of the changed files.
    pub diagnostics: Diagnostics,
    /// Markdown files parsed again in this pass.
    pub parsed: usize,
    pub elapsed: Duration,
}

/// The site's files, loaded, between changes.
pub struct Workspace {
    root: PathBuf,
    include_drafts: bool,
    config: Config,
    config_diagnostics: Vec<Diagnostic>,
    /// By path relative to `content/`. `Path` orders by components, which
    /// is the order of `content::load`'s walk sorted by file name, so
    /// resolve sees the documents in the same order as in `build`.
    files: BTreeMap<PathBuf, LoadedFile>,
    media: BTreeMap<PathBuf, MediaFile>,
    /// Problems walking the folders (unreadable folders, broken links).
    walk_diagnostics: Vec<Diagnostic>,
    theme: Arc<Theme>,
    theme_diagnostics: Vec<Diagnostic>,
    /// A copy of every document made between changes, so that the next
    /// pass does not pay for copying ten thousand documents before resolve
    /// (which consumes them). Entries for changed files are replaced.
    spare: Option<Spare>,
    /// Archive items (by key) in the order of the last site.
    item_order: HashMap<PathBuf, usize>,
    /// The last site resolved without errors, to learn `item_order` from
    /// between changes.
    last_site: Option<Arc<Site>>,
}

/// Copies of the documents with their keys: every document that is not an
/// archive item in walk order, then the items in the order of the last
/// site. Resolve sorts items by a key that no two items share, so the order
/// they come in does not change the site — but items that come already
/// sorted are not moved again, which on ten thousand items is most of the
/// sort's time. Every other kind keeps the walk order, since ties in its
/// sort keep the input order.
struct Spare {
    keys: Vec<PathBuf>,
    documents: Vec<Document>,
    /// Key → index in `keys` and `documents`.
    index: HashMap<PathBuf, usize>,
}

impl Workspace {
    /// Loads the whole site at `root` (which should be canonical, so that
    /// paths from the file watcher compare equal to it).
    pub fn load(root: &Path, include_drafts: bool) -> Workspace {
        let mut workspace = Workspace {
            root: root.to_path_buf(),
            include_drafts,
            config: Config::default(),
            config_diagnostics: Vec::new(),
            files: BTreeMap::new(),
            media: BTreeMap::new(),
            walk_diagnostics: Vec::new(),
            theme: Arc::new(Theme::load(root, &mut Diagnostics::new())),
            theme_diagnostics: Vec::new(),
            spare: None,
            item_order: HashMap::new(),
            last_site: None,
        };
        workspace.reload_config();
        workspace.reload_theme();
        workspace.reload_all_content();
        workspace
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn include_drafts(&self) -> bool {
        self.include_drafts
    }

    /// The configuration of the latest pass (defaults where it was bad).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sorts changed paths by what they belong to; paths lantai does not
    /// read (editor swap files, the output folder) are left out.
    pub fn classify(&self, paths: &[PathBuf]) -> Touched {
        let mut touched = Touched::default();
        let content_dir = self.root.join(CONTENT_DIR);
        for path in paths {
            let Ok(relative) = path.strip_prefix(&self.root) else {
                continue;
            };
            let mut parts = relative.components();
            let first = parts.next().map(|c| c.as_os_str().to_string_lossy());
            let hidden = relative
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            match first.as_deref() {
                Some(CONFIG_FILE) if parts.next().is_none() => touched.config = true,
                Some(CONTENT_DIR)
                    if !content::is_hidden(path, &content_dir)
                        && !touched.content.contains(path) =>
                {
                    touched.content.push(path.clone());
                }
                Some(TEMPLATES_DIR) if !hidden => touched.templates = true,
                Some(STATIC_DIR) if !hidden && !touched.statics.contains(path) => {
                    touched.statics.push(path.clone());
                }
                _ => {}
            }
        }
        touched
    }

    /// Applies a change and runs resolve. Only the files named by `touched`
    /// are read again (all of them when `site.yaml` changed, since every
    /// Markdown body depends on the base URL).
    pub fn update(&mut self, touched: &Touched) -> Pass {
        let started = Instant::now();
        let mut parsed = 0;
        let mut changed: Vec<PathBuf> = Vec::new();
        if touched.config {
            self.reload_config();
            parsed = self.reload_all_content();
            self.spare = None;
        } else {
            for path in &touched.content {
                let (count, relatives) = self.reload_content_path(path);
                parsed += count;
                changed.extend(relatives);
            }
        }
        if touched.config || touched.templates || !touched.statics.is_empty() {
            self.reload_theme();
        }
        let mut pass = self.resolve(&changed);
        pass.parsed = parsed;
        pass.elapsed = started.elapsed();
        pass
    }

    /// Resolves the current documents, as `build::run_pipeline` does.
    pub fn resolve(&mut self, changed: &[PathBuf]) -> Pass {
        let started = Instant::now();
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(self.config_diagnostics.iter().cloned());
        diagnostics.extend(self.walk_diagnostics.iter().cloned());
        let mut unreadable = Vec::new();
        for (path, file) in &self.files {
            diagnostics.extend(file.diagnostics.iter().cloned());
            if content::is_unreadable(file.document.as_ref(), file.diagnostics.iter()) {
                unreadable.push(path.to_string_lossy().replace('\\', "/"));
            }
        }
        diagnostics.extend(self.theme_diagnostics.iter().cloned());
        let content = Content {
            documents: self.take_documents(changed),
            media: self.media.values().cloned().collect(),
            unreadable,
        };
        let options = build::resolve_options(&self.theme, self.include_drafts);
        let mut site = site::resolve(content, self.config.clone(), &options, &mut diagnostics);
        // As in `build`: derivatives come from the image cache (made once,
        // kept by content hash), and a damaged scan is reported with the rest.
        site.images = images::process(&site, &self.root, ImageWork::Produce, &mut diagnostics);
        let site = (!diagnostics.has_errors()).then(|| Arc::new(site));
        if let Some(site) = &site {
            self.last_site = Some(Arc::clone(site));
        }
        Pass {
            site,
            theme: Arc::clone(&self.theme),
            diagnostics,
            parsed: 0,
            elapsed: started.elapsed(),
        }
    }

    /// Copies every document for the next pass. Called while waiting for
    /// changes, so the copy is off the path from a save to the reload.
    pub fn prepare_spare(&mut self) {
        if let Some(site) = self.last_site.take() {
            let content = Path::new(CONTENT_DIR);
            self.item_order = site
                .items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    Some((
                        item.common.file.strip_prefix(content).ok()?.to_path_buf(),
                        i,
                    ))
                })
                .collect();
        }
        if self.spare.is_none() {
            self.spare = Some(self.documents_copy());
        }
    }

    fn documents_copy(&self) -> Spare {
        let mut entries: Vec<((bool, usize, usize), &PathBuf, &Document)> = self
            .files
            .iter()
            .filter_map(|(path, file)| Some((path, file.document.as_ref()?)))
            .enumerate()
            .map(|(walk, (path, document))| {
                let order = match document {
                    Document::Item(_) => (
                        true,
                        self.item_order.get(path).copied().unwrap_or(usize::MAX),
                        walk,
                    ),
                    _ => (false, 0, walk),
                };
                (order, path, document)
            })
            .collect();
        entries.sort_by_key(|(order, _, _)| *order);
        let keys: Vec<PathBuf> = entries.iter().map(|(_, path, _)| (*path).clone()).collect();
        let documents = entries.into_iter().map(|(_, _, d)| d.clone()).collect();
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        Spare {
            keys,
            documents,
            index,
        }
    }

    /// The documents for resolve, from the spare copy when there is one.
    fn take_documents(&mut self, changed: &[PathBuf]) -> Vec<Document> {
        let Some(mut spare) = self.spare.take() else {
            return self.documents_copy().documents;
        };
        // An edit replaces its document where it stands; a file that came
        // or went changes the list's shape, so the list is put together again.
        let mut reshaped = false;
        for path in changed {
            let fresh = self.files.get(path).and_then(|f| f.document.clone());
            match (spare.index.get(path), fresh) {
                (Some(&at), Some(document)) => spare.documents[at] = document,
                (None, None) => {}
                _ => reshaped = true,
            }
        }
        if !reshaped {
            return spare.documents;
        }
        let mut by_path: BTreeMap<PathBuf, Document> =
            spare.keys.into_iter().zip(spare.documents).collect();
        for path in changed {
            match self.files.get(path).and_then(|f| f.document.clone()) {
                Some(document) => {
                    by_path.insert(path.clone(), document);
                }
                None => {
                    by_path.remove(path);
                }
            }
        }
        by_path.into_values().collect()
    }

    fn reload_config(&mut self) {
        let mut diagnostics = Diagnostics::new();
        self.config = Config::load(&self.root, &mut diagnostics);
        self.config_diagnostics = diagnostics.into_iter().collect();
    }

    fn reload_theme(&mut self) {
        let mut diagnostics = Diagnostics::new();
        self.theme = Arc::new(Theme::load(&self.root, &mut diagnostics));
        self.theme_diagnostics = diagnostics.into_iter().collect();
    }

    /// Reads every content file again. Returns how many were parsed.
    fn reload_all_content(&mut self) -> usize {
        self.files.clear();
        self.media.clear();
        self.walk_diagnostics.clear();
        let folder = self.root.join(CONTENT_DIR);
        self.load_folder(&folder)
    }

    /// Reads the files of `folder` (inside `content/`) into the workspace.
    fn load_folder(&mut self, folder: &Path) -> usize {
        let mut diagnostics = Diagnostics::new();
        let found = content::scan(&self.root, folder, &mut diagnostics);
        self.walk_diagnostics.extend(diagnostics);
        let config = &self.config;
        let loaded: Vec<(PathBuf, LoadedFile)> = found
            .markdown
            .par_iter()
            .map(|(relative, path)| {
                let mut local = Diagnostics::new();
                let document = content::load_file(relative, path, config, &mut local);
                let file = LoadedFile {
                    document,
                    diagnostics: local.into_iter().collect(),
                };
                (PathBuf::from(relative), file)
            })
            .collect();
        let count = loaded.len();
        self.files.extend(loaded);
        for media in found.media {
            self.media.insert(PathBuf::from(&media.relative), media);
        }
        count
    }

    /// Brings one changed path under `content/` up to date: a file is read
    /// again, a folder rescanned, a path that is gone removed with
    /// everything under it. Returns how many Markdown files were parsed and
    /// which document entries changed.
    fn reload_content_path(&mut self, path: &Path) -> (usize, Vec<PathBuf>) {
        let content_dir = self.root.join(CONTENT_DIR);
        let Ok(relative) = path.strip_prefix(&content_dir) else {
            return (0, Vec::new());
        };
        let relative = relative.to_path_buf();
        let before: Vec<PathBuf> = self.entries_under(&relative);
        for key in &before {
            self.files.remove(key);
            self.media.remove(key);
        }
        let shown = Path::new(CONTENT_DIR).join(&relative);
        self.walk_diagnostics.retain(|d| {
            d.location
                .as_ref()
                .is_none_or(|l| !l.file.starts_with(&shown))
        });
        let parsed = if path.is_dir() || path.is_file() {
            self.load_folder(path)
        } else {
            0
        };
        let mut changed = before;
        changed.extend(self.entries_under(&relative));
        changed.sort();
        changed.dedup();
        (parsed, changed)
    }

    /// Keys of files and media at or under `relative`.
    fn entries_under(&self, relative: &Path) -> Vec<PathBuf> {
        let under = |key: &&PathBuf| key.starts_with(relative);
        self.files
            .keys()
            .filter(under)
            .chain(self.media.keys().filter(under))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path) {
        std::fs::create_dir_all(dir.join("content/archive")).unwrap();
        std::fs::write(
            dir.join("site.yaml"),
            "title: t\nbase_url: https://e.org/x/\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("content/archive/a-1.md"),
            "---\nref: R1\ntitle: 甲\ndate: 1921\ntype: document\n---\n正文\n",
        )
        .unwrap();
    }

    #[test]
    fn classifies_paths_by_folder() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let root = dir.path().canonicalize().unwrap();
        let workspace = Workspace::load(&root, false);
        let touched = workspace.classify(&[
            root.join("site.yaml"),
            root.join("content/archive/a-1.md"),
            root.join("content/archive/.a-1.md.swp"),
            root.join("content/archive/a-1.md~"),
            root.join("templates/item.html"),
            root.join("static/css/x.css"),
            root.join("public/index.html"),
        ]);
        assert!(touched.config);
        assert!(touched.templates);
        assert_eq!(touched.content, vec![root.join("content/archive/a-1.md")]);
        assert_eq!(touched.statics, vec![root.join("static/css/x.css")]);
    }

    #[test]
    fn a_change_parses_only_the_changed_file_and_matches_a_full_load() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(
            root.join("content/archive/a-2.md"),
            "---\nref: R2\ntitle: 乙\ndate: 1922\ntype: document\n---\n",
        )
        .unwrap();
        let mut workspace = Workspace::load(&root, false);
        workspace.prepare_spare();
        let file = root.join("content/archive/a-2.md");
        std::fs::write(
            &file,
            "---\nref: R2\ntitle: 丙\ndate: 1922\ntype: document\n---\n",
        )
        .unwrap();
        let pass = workspace.update(&workspace.classify(std::slice::from_ref(&file)));
        assert_eq!(pass.parsed, 1);
        let site = pass.site.expect("no errors");
        let titles: Vec<&str> = site.items.iter().map(|i| i.common.title.as_str()).collect();
        assert_eq!(titles, ["甲", "丙"]);

        std::fs::remove_file(&file).unwrap();
        let pass = workspace.update(&workspace.classify(std::slice::from_ref(&file)));
        assert_eq!(pass.site.expect("no errors").items.len(), 1);
    }

    #[test]
    fn passes_from_the_spare_copy_resolve_like_a_fresh_load() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let root = dir.path().canonicalize().unwrap();
        let item = |n: &str, date: &str| {
            format!("---\nref: R{n}\ntitle: t{n}\ndate: {date}\ntype: document\n---\n")
        };
        let mut workspace = Workspace::load(&root, false);
        workspace.resolve(&[]);
        for (step, date) in [("a-0", "1950"), ("a-3", "1900"), ("a-2", "1930")] {
            workspace.prepare_spare();
            let file = root.join(format!("content/archive/{step}.md"));
            std::fs::write(&file, item(step, date)).unwrap();
            assert!(
                workspace
                    .update(&workspace.classify(std::slice::from_ref(&file)))
                    .site
                    .is_some()
            );
        }
        workspace.prepare_spare();
        let gone = root.join("content/archive/a-1.md");
        std::fs::remove_file(&gone).unwrap();
        workspace.update(&workspace.classify(std::slice::from_ref(&gone)));
        // An edit that moves an item to the front: it comes in the old
        // order, and resolve still sorts it.
        workspace.prepare_spare();
        let edited = root.join("content/archive/a-2.md");
        std::fs::write(&edited, item("a-2", "1800")).unwrap();
        let incremental = workspace
            .update(&workspace.classify(std::slice::from_ref(&edited)))
            .site
            .unwrap();
        let fresh = Workspace::load(&root, false).resolve(&[]).site.unwrap();
        let ids = |site: &Site| site.items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&incremental), ["a-2", "a-3", "a-0"]);
        assert_eq!(ids(&incremental), ids(&fresh));
    }

    #[test]
    fn errors_keep_no_site_and_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let root = dir.path().canonicalize().unwrap();
        let mut workspace = Workspace::load(&root, false);
        let file = root.join("content/archive/a-1.md");
        std::fs::write(&file, "---\nref: [unclosed\n---\n").unwrap();
        let pass = workspace.update(&workspace.classify(std::slice::from_ref(&file)));
        assert!(pass.site.is_none());
        let located = pass
            .diagnostics
            .iter()
            .filter_map(|d| d.location.as_ref())
            .any(|l| l.file == Path::new("content/archive/a-1.md"));
        assert!(located, "{:?}", pass.diagnostics);
    }

    #[test]
    fn an_item_that_cannot_be_read_is_not_reported_again_where_it_is_linked() {
        let dir = tempfile::tempdir().unwrap();
        site(dir.path());
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("content/pages")).unwrap();
        std::fs::write(
            root.join("content/pages/about.md"),
            "---\ntitle: 关于\n---\n见[甲](@/archive/a-1.md)与 {{ item(id=\"a-1\") }}。\n",
        )
        .unwrap();
        let mut workspace = Workspace::load(&root, false);
        let file = root.join("content/archive/a-1.md");
        std::fs::write(&file, "---\nref: [unclosed\n---\n").unwrap();
        let pass = workspace.update(&workspace.classify(std::slice::from_ref(&file)));
        let errors: Vec<&Diagnostic> = pass.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "only the item's own error: {errors:?}");
    }
}
