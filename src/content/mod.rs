//! Load: reading the files of a site into typed documents.
//!
//! Every Markdown file under `content/` becomes one [`Document`], parsed on
//! its own (files are independent, so they load in parallel). Cross-file
//! questions — does this item exist, is that person known — wait for
//! `site::resolve`.

pub mod authority;
pub mod date;
pub mod exhibit;
pub mod fields;
pub mod front_matter;
pub mod item;
pub mod page;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes};
use crate::markdown::{self, MarkdownOptions, RenderedMarkdown};
use fields::FieldReader;

pub use authority::{Person, Place};
pub use date::HistoricalDate;
pub use exhibit::{Exhibit, Section};
pub use item::{Access, Image, Item, ItemType};
pub use page::{Home, Page};

/// The folder of content files, relative to the site root.
pub const CONTENT_DIR: &str = "content";

/// A value from a file, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub location: Location,
}

impl<T> Located<T> {
    pub fn new(value: T, location: Location) -> Self {
        Located { value, location }
    }
}

/// Fields every kind of document has.
#[derive(Debug, Clone)]
pub struct Common {
    pub title: String,
    pub draft: bool,
    pub weight: Option<i64>,
    pub extra: serde_json::Value,
    /// The file, relative to the site root (`content/archive/hx-0001.md`).
    pub file: PathBuf,
}

/// A parsed Markdown body.
pub type Body = RenderedMarkdown;

/// One content file, parsed.
#[derive(Debug, Clone)]
pub enum Document {
    Home(Home),
    Exhibit(Exhibit),
    Section(Section),
    Item(Item),
    Person(Person),
    Place(Place),
    Page(Page),
}

/// A file under `content/` that is not Markdown: a scan, a drawing, a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// Path relative to `content/`, with `/` separators.
    pub relative: String,
    /// Path on disk.
    pub path: PathBuf,
}

/// Everything the load stage read.
#[derive(Debug, Default)]
pub struct Content {
    pub documents: Vec<Document>,
    pub media: Vec<MediaFile>,
    /// Markdown files (paths relative to `content/`) that an error kept
    /// from becoming a document. Their error is reported once; references
    /// to them are not reported again as references to nothing.
    pub unreadable: Vec<String>,
}

/// What kind of document a content path holds, decided by its place in
/// the layout of SPEC.md.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Home,
    Exhibit { slug: String },
    Section { exhibit: String, stem: String },
    Item { id: String },
    Person { slug: String },
    Place { slug: String },
    Page { slug: String },
}

/// Whether a Markdown file that loaded as `document`, reporting
/// `diagnostics`, is one an error kept from becoming a document (see
/// [`Content::unreadable`]); a file lantai does not read is not.
pub fn is_unreadable<'d>(
    document: Option<&Document>,
    mut diagnostics: impl Iterator<Item = &'d Diagnostic>,
) -> bool {
    document.is_none() && diagnostics.any(Diagnostic::is_error)
}

fn classify(relative: &str) -> Option<Kind> {
    let stem = |name: &str| name.strip_suffix(".md").map(str::to_string);
    let parts: Vec<&str> = relative.split('/').collect();
    match parts.as_slice() {
        ["_index.md"] => Some(Kind::Home),
        ["exhibits", slug, "_index.md"] => Some(Kind::Exhibit {
            slug: slug.to_string(),
        }),
        ["exhibits", exhibit, file] => Some(Kind::Section {
            exhibit: exhibit.to_string(),
            stem: stem(file)?,
        }),
        ["archive", file] => Some(Kind::Item { id: stem(file)? }),
        ["people", file] => Some(Kind::Person { slug: stem(file)? }),
        ["places", file] => Some(Kind::Place { slug: stem(file)? }),
        ["pages", file] => Some(Kind::Page { slug: stem(file)? }),
        _ => None,
    }
}

/// The files found under `content/`, before any is parsed.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// Markdown files: (path relative to `content/` with `/` separators,
    /// path on disk), in the order of a walk sorted by file name.
    pub markdown: Vec<(String, PathBuf)>,
    pub media: Vec<MediaFile>,
}

/// Reads every file under `root/content/`.
pub fn load(root: &Path, config: &Config, diagnostics: &mut Diagnostics) -> Content {
    let files = scan(root, &root.join(CONTENT_DIR), diagnostics);
    // Handed out a few files at a time: in larger pieces, one core parsed
    // the last piece alone while the other waited (about 25 ms at 10k).
    let results: Vec<(Option<Document>, Diagnostics)> = files
        .markdown
        .par_iter()
        .with_max_len(8)
        .map(|(relative, path)| {
            let mut local = Diagnostics::new();
            let document = load_file(relative, path, config, &mut local);
            (document, local)
        })
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    let mut unreadable = Vec::new();
    for ((relative, _), (document, local)) in files.markdown.iter().zip(results) {
        if is_unreadable(document.as_ref(), local.iter()) {
            unreadable.push(relative.clone());
        }
        diagnostics.extend(local);
        documents.extend(document);
    }
    Content {
        documents,
        media: files.media,
        unreadable,
    }
}

/// Lists the content files under `folder` (`root/content/` or a folder
/// inside it), skipping hidden files and editor back-ups. `serve` rescans
/// only the folder that changed.
pub fn scan(root: &Path, folder: &Path, diagnostics: &mut Diagnostics) -> ContentFiles {
    let content_dir = root.join(CONTENT_DIR);
    let mut files = ContentFiles::default();
    for entry in walkdir::WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| relative_to(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                diagnostics.push(
                    Diagnostic::error(codes::READ_FAILED, format!("cannot read {}: {error}", path.display()))
                        .at(Location::file(path))
                        .help("check the file's permissions, and remove symbolic links that point to themselves or are broken"),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() || is_hidden(entry.path(), &content_dir) {
            continue;
        }
        let relative = relative_to(&content_dir, entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if relative.ends_with(".md") {
            files.markdown.push((relative, entry.into_path()));
        } else {
            files.media.push(MediaFile {
                relative,
                path: entry.into_path(),
            });
        }
    }
    files
}

/// Dot-files and editor back-ups are not content.
pub fn is_hidden(path: &Path, base: &Path) -> bool {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || name.ends_with('~') || name.starts_with("#")
        })
}

fn relative_to(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}

/// Reads and parses one Markdown file; `relative` is its path relative to
/// `content/`. Files outside the layout of SPEC.md get a warning and no
/// document.
pub fn load_file(
    relative: &str,
    path: &Path,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Document> {
    let file = PathBuf::from(CONTENT_DIR).join(relative);
    let Some(kind) = classify(relative) else {
        diagnostics.push(
            Diagnostic::warning(
                codes::UNEXPECTED_FILE,
                format!("{} is not in a place lantai reads, so it is ignored", file.display()),
            )
            .at(Location::new(&file, 1, 1))
            .help("exhibits go in content/exhibits/<slug>/, items in content/archive/, people in content/people/, places in content/places/, free pages in content/pages/"),
        );
        return None;
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    codes::READ_FAILED,
                    format!("cannot read {}: {error}", file.display()),
                )
                .at(Location::file(&file))
                .help("check that the file exists and that you may read it"),
            );
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
            diagnostics.push(
                Diagnostic::error(
                    codes::NOT_UTF8,
                    format!("{} is not UTF-8 text", file.display()),
                )
                .at(Location::new(&file, line, 1))
                .help("save the file as UTF-8 in your editor (GBK/GB 18030 files must be converted); binary files belong next to the Markdown, not in it"),
            );
            return None;
        }
    };
    parse_document(&file, &kind, &text, config, diagnostics)
}

/// Parses the text of one content file, given its path relative to
/// `content/` (which decides its kind). `None` when the path is not a place
/// lantai reads or the file is unusable; problems go to `diagnostics`.
pub fn parse_text(
    relative: &str,
    text: &str,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Document> {
    let kind = classify(relative)?;
    let file = PathBuf::from(CONTENT_DIR).join(relative);
    parse_document(&file, &kind, text, config, diagnostics)
}

/// Parses one content file's text into a document of the given kind.
fn parse_document(
    file: &Path,
    kind: &Kind,
    text: &str,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Option<Document> {
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(error) => {
            let (message, help) = match error {
                front_matter::SplitError::Missing => (
                    "the file does not start with front matter",
                    "start the file with a line `---`, the fields (`title: …`), and another line `---`",
                ),
                front_matter::SplitError::Unclosed => (
                    "the front matter is not closed",
                    "add a line `---` after the last field",
                ),
            };
            diagnostics.push(
                Diagnostic::error(codes::FRONT_MATTER, message)
                    .at(Location::new(file, 1, 1))
                    .help(help),
            );
            return None;
        }
    };
    let node = match yaml::parse(split.yaml) {
        Ok(node) => node,
        Err(error) => {
            diagnostics.push(
                Diagnostic::error(
                    codes::YAML_SYNTAX,
                    format!("the front matter is not valid YAML: {}", error.message),
                )
                .at(Location::new(
                    file,
                    error.span.line + split.yaml_line - 1,
                    error.span.column,
                ))
                .help("check the indentation, and put values that contain `: `, `#` or start with `[`, `{`, `*` or `&` in quotes"),
            );
            return None;
        }
    };
    let line_offset = split.yaml_line - 1;
    let media_url = match kind {
        Kind::Home => config.url(""),
        Kind::Page { .. } => config.url("pages/"),
        Kind::Exhibit { slug } | Kind::Section { exhibit: slug, .. } => {
            config.url(&format!("exhibits/{slug}/"))
        }
        Kind::Item { id } => config.url(&format!("archive/{id}/")),
        Kind::Person { .. } => config.url("people/"),
        Kind::Place { .. } => config.url("places/"),
    };
    let body_source = BodySource {
        text: split.body,
        first_line: split.body_line,
        media_url,
        split_transcription: matches!(kind, Kind::Item { .. }),
    };
    let body = render_body(file, body_source, config, diagnostics);
    let (what, known) = match kind {
        Kind::Home => ("the home page", page::HOME_FIELDS),
        Kind::Page { .. } => ("a page", page::PAGE_FIELDS),
        Kind::Exhibit { .. } => ("an exhibit", exhibit::EXHIBIT_FIELDS),
        Kind::Section { .. } => ("an exhibit section", exhibit::SECTION_FIELDS),
        Kind::Item { .. } => ("an archive item", item::ITEM_FIELDS),
        Kind::Person { .. } => ("a person record", authority::PERSON_FIELDS),
        Kind::Place { .. } => ("a place record", authority::PLACE_FIELDS),
    };
    let mut fields = FieldReader::new(file, line_offset, &node, what, known, diagnostics);
    let document = match kind {
        Kind::Home => Document::Home(page::read_home(&mut fields, file, body)),
        Kind::Page { slug } => Document::Page(page::read_page(&mut fields, file, slug, body)),
        Kind::Exhibit { slug } => {
            Document::Exhibit(exhibit::read_exhibit(&mut fields, file, slug, body))
        }
        Kind::Section { exhibit, stem } => Document::Section(exhibit::read_section(
            &mut fields,
            file,
            exhibit,
            stem,
            body,
        )),
        Kind::Item { id } => Document::Item(item::read_item(&mut fields, file, id, body)),
        Kind::Person { slug } => {
            Document::Person(authority::read_person(&mut fields, file, slug, body))
        }
        Kind::Place { slug } => {
            Document::Place(authority::read_place(&mut fields, file, slug, body))
        }
    };
    fields.finish();
    Some(document)
}

/// Reads the fields every kind shares. `title` is required everywhere.
pub fn read_common(fields: &mut FieldReader, file: &Path, title_example: &str) -> Common {
    let title = fields
        .required_text("title", title_example)
        .map(|t| t.value)
        .unwrap_or_default();
    Common {
        title,
        draft: fields.bool("draft").unwrap_or(false),
        weight: fields.integer("weight"),
        extra: fields.extra(),
        file: file.to_path_buf(),
    }
}

/// The fields every kind accepts.
pub const COMMON_FIELDS: &[&str] = &["title", "draft", "weight", "extra"];

struct BodySource<'a> {
    text: &'a str,
    first_line: usize,
    media_url: String,
    split_transcription: bool,
}

fn render_body(
    file: &Path,
    source: BodySource,
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Body {
    let options = MarkdownOptions {
        base_path: &config.base_path,
        media_url: &source.media_url,
        first_line: source.first_line,
        split_transcription: source.split_transcription,
    };
    let rendered = markdown::render(source.text, &options);
    for issue in &rendered.issues {
        diagnostics.push(
            Diagnostic::error(codes::MARKDOWN, issue.message.clone())
                .at(Location::new(file, issue.line, issue.column).with_length(issue.length))
                .help(issue.help.clone()),
        );
    }
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_layout_of_the_spec() {
        assert_eq!(classify("_index.md"), Some(Kind::Home));
        assert_eq!(
            classify("exhibits/birthplace/_index.md"),
            Some(Kind::Exhibit {
                slug: "birthplace".into()
            })
        );
        assert_eq!(
            classify("exhibits/birthplace/01-prelude.md"),
            Some(Kind::Section {
                exhibit: "birthplace".into(),
                stem: "01-prelude".into()
            })
        );
        assert_eq!(
            classify("archive/hx-0001.md"),
            Some(Kind::Item {
                id: "hx-0001".into()
            })
        );
        assert_eq!(classify("archive/hx-0001/notes.md"), None);
        assert_eq!(classify("random.md"), None);
    }
}
