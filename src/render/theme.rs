//! The theme: the built-in templates and static files, embedded in the
//! binary, with a site's own `templates/` and `static/` files overriding
//! them by name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes};

#[derive(RustEmbed)]
#[folder = "templates/"]
struct BuiltinTemplates;

#[derive(RustEmbed)]
#[folder = "static/"]
struct BuiltinStatic;

/// Where a static file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    Builtin(String),
    File(PathBuf),
}

impl StaticSource {
    /// The bytes of a built-in file; `None` for files on disk (copied
    /// instead of read).
    pub fn builtin_bytes(&self) -> Option<Vec<u8>> {
        match self {
            StaticSource::Builtin(name) => BuiltinStatic::get(name).map(|f| f.data.into_owned()),
            StaticSource::File(_) => None,
        }
    }
}

/// Compiled templates and the static files to publish.
pub struct Theme {
    pub tera: tera::Tera,
    /// Output path (relative, `/`-separated) → source.
    pub static_files: BTreeMap<String, StaticSource>,
    /// Template name → the file it came from, for diagnostics.
    pub files: BTreeMap<String, PathBuf>,
}

/// Folder names, relative to the site root.
pub const TEMPLATES_DIR: &str = "templates";
pub const STATIC_DIR: &str = "static";

impl Theme {
    /// Loads the built-in theme and the site's overrides. Template syntax
    /// errors are reported with the template's file and line.
    pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Theme {
        let mut sources: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        for name in BuiltinTemplates::iter() {
            if let Some(file) = BuiltinTemplates::get(&name) {
                let text = String::from_utf8_lossy(&file.data).into_owned();
                let shown = PathBuf::from(format!("(built-in theme)/templates/{name}"));
                sources.insert(name.to_string(), (text, shown));
            }
        }
        for (name, path) in site_files(root, TEMPLATES_DIR, diagnostics) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(name.clone(), (text, Path::new(TEMPLATES_DIR).join(&name)));
                }
                Err(error) => diagnostics.push(
                    Diagnostic::error(
                        codes::TEMPLATE,
                        format!("cannot read the template {TEMPLATES_DIR}/{name}: {error}"),
                    )
                    .at(Location::file(Path::new(TEMPLATES_DIR).join(&name)))
                    .help("templates must be UTF-8 text files"),
                ),
            }
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let files: BTreeMap<String, PathBuf> = sources
            .iter()
            .map(|(name, (_, path))| (name.clone(), path.clone()))
            .collect();
        let raw: Vec<(String, String)> = sources
            .into_iter()
            .map(|(name, (text, _))| (name, text))
            .collect();
        if let Err(error) = tera.add_raw_templates(raw) {
            diagnostics.push(template_diagnostic(&error, &files, None));
        }
        let mut static_files = BTreeMap::new();
        for name in BuiltinStatic::iter() {
            static_files.insert(name.to_string(), StaticSource::Builtin(name.to_string()));
        }
        for (name, path) in site_files(root, STATIC_DIR, diagnostics) {
            static_files.insert(name, StaticSource::File(path));
        }
        Theme {
            tera,
            static_files,
            files,
        }
    }
}

/// Files under `root/<folder>/`, as (relative name, path).
fn site_files(root: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let base = root.join(folder);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let relative = entry
                    .path()
                    .strip_prefix(&base)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                if relative.split('/').any(|part| part.starts_with('.')) {
                    continue;
                }
                files.push((relative, entry.into_path()));
            }
            Ok(_) => {}
            Err(error) => diagnostics.push(
                Diagnostic::error(
                    codes::READ_FAILED,
                    format!("cannot read {folder}/: {error}"),
                )
                .at(Location::file(folder))
                .help("check permissions and remove broken or looping symbolic links"),
            ),
        }
    }
    files
}

/// A diagnostic for a Tera error, located in the template where possible.
/// `page` names the page being rendered, for render errors.
pub fn template_diagnostic(
    error: &tera::Error,
    files: &BTreeMap<String, PathBuf>,
    page: Option<&str>,
) -> Diagnostic {
    let rendering = page
        .map(|p| format!(" while rendering {p}"))
        .unwrap_or_default();
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let file = files
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| Path::new(TEMPLATES_DIR).join(report.filename()));
            let span = report.span();
            Diagnostic::error(
                codes::TEMPLATE,
                format!("template error{rendering}: {}", report.message()),
            )
            .at(Location::new(file, span.start_line.max(1), span.start_col + 1)
                .with_length(span.range.len().min(80)))
            .help("fix the template; docs/templates.md lists the variables each template receives")
        }
        other => Diagnostic::error(codes::TEMPLATE, format!("template error{rendering}: {other}"))
            .help("check the names in {% extends %} and {% include %}; a site's templates/ file replaces the built-in one of the same name"),
    }
}
