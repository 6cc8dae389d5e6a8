//! Markdown bodies to HTML fragments.
//!
//! [`render()`] turns one document's body into HTML for the description and,
//! for archive items, the transcription after `## 录文`. On the way it
//! - records shortcodes and leaves a marker `<!--lantai:sc:N-->` where each
//!   goes: the site stage knows the items they show and calls
//!   [`expand_shortcodes`] (see `markers.rs`);
//! - rewrites internal links and media paths to work under `base_url`'s
//!   path, and records them so they can be checked (see `links.rs`);
//! - gives every heading a unique `id` (see `headings.rs`);
//! - highlights fenced code with CSS classes (see `highlight.rs`);
//! - collects the plain text, for meta descriptions and search;
//! - reports problems with their file line and column instead of stopping.
//!
//! Markdown is CommonMark with tables, strikethrough, task lists, heading
//! attributes (`{#id .class}`) and GFM-style footnotes (`[^1]` with a
//! `[^1]: …` definition; a reference to an undefined footnote stays text).
//! Footnotes are numbered once across the description and the transcription,
//! with ids `fn-LABEL` and `fnref-LABEL`, and stay where they are defined.
//! Smart punctuation is off: it would turn the quotes of Chinese text into
//! the wrong marks. Raw HTML passes through unchanged: curators are trusted
//! authors (links inside raw HTML are neither rewritten nor checked).
//!
//! A body that has anything that could open a shortcode (`{{`, `{%`) is
//! parsed twice. The first pass only finds code spans and code blocks, where
//! shortcodes are text; the shortcodes outside them are then replaced by
//! markers, and the second pass renders the result. Other bodies are parsed
//! once. Positions
//! are always reported in the file as written (`source_map.rs`).
//!
//! This module depends on nothing else in the crate.

mod escape;
mod headings;
mod highlight;
mod links;
mod markers;
mod parse;
mod plain_text;
mod render;
mod shortcodes;
mod source_map;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use self::links::{LinkBase, Target};
use self::parse::BodyDefinitions;
use self::render::{FootnoteScope, Part, Renderer};
use self::shortcodes::{Found, FoundKind};
use self::source_map::{LineIndex, OffsetMap};

/// How to render one document's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions<'a> {
    /// Path of the site's base_url, starting and ending with '/': "/" or "/exhibitions/".
    pub base_path: &'a str,
    /// Root-relative URL folder where this document's co-located media are
    /// published, ending with '/': "/exhibitions/archive/hx-0001/" for
    /// content/archive/hx-0001.md (media in content/archive/hx-0001/),
    /// "/exhibitions/exhibits/birthplace/" for any file in content/exhibits/birthplace/.
    pub media_url: &'a str,
    /// 1-based line in the file where the body starts (after front matter),
    /// so reported lines are file lines.
    pub first_line: usize,
    /// Split off a `## 录文` / `## Transcription` part (archive items only).
    pub split_transcription: bool,
}

impl Default for MarkdownOptions<'static> {
    fn default() -> Self {
        MarkdownOptions {
            base_path: "/",
            media_url: "/",
            first_line: 1,
            split_transcription: false,
        }
    }
}

/// One document's body, rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedMarkdown {
    /// The description's HTML, with shortcode markers.
    pub html: String,
    /// The HTML after the `## 录文` heading (the heading itself excluded),
    /// with shortcode markers; `None` without such a heading or when not asked for.
    pub transcription_html: Option<String>,
    /// Marker `N` in the HTML stands for `shortcodes[N]`.
    pub shortcodes: Vec<Shortcode>,
    /// Every internal link and image target, in document order, for checking.
    pub links: Vec<InternalLink>,
    /// Every heading with its id, in document order (ids unique in the document).
    pub headings: Vec<Heading>,
    /// Plain text of the description: no markup, no markers.
    pub text: String,
    /// Plain text of the transcription; empty without one.
    pub transcription_text: String,
    /// Problems, in file order.
    pub issues: Vec<MarkdownIssue>,
}

/// A shortcode, found at `line`:`column` of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortcode {
    pub kind: ShortcodeKind,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shortcode", rename_all = "lowercase")]
pub enum ShortcodeKind {
    /// `{{ item(id="…") }}`: an archive item shown as a figure.
    Item { id: String },
    /// `{% excerpt(item="…") %}` … `{% end %}`: a quotation from an item.
    Excerpt {
        item: String,
        /// The quotation's Markdown as HTML (links rewritten, headings given ids).
        body_html: String,
        /// The quotation's plain text.
        body_text: String,
    },
    /// `{{ figure(src="…", alt="…", caption="…") }}`: an image that is not an item.
    Figure {
        /// As written, relative to the Markdown file's folder.
        src: String,
        /// `src` rewritten like a link: the root-relative URL to put in `<img src>`.
        url: String,
        alt: String,
        caption: Option<String>,
    },
}

/// An internal link or image target, to be checked once the site is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternalLink {
    /// As written in the Markdown.
    pub written: String,
    /// Rewritten root-relative URL path without query or fragment, percent-decoded,
    /// e.g. "/exhibitions/people/chen-duxiu/".
    pub url: String,
    /// The part after '#', without it.
    pub fragment: Option<String>,
    pub kind: LinkKind,
    pub line: usize,
    pub column: usize,
}

/// How an internal target was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `@/people/chen-duxiu.md`: a content file.
    ContentFile,
    /// `/people/chen-duxiu/`: a path of the site.
    SitePath,
    /// `map.svg`, `./scans/p1.jpg`: a file beside the Markdown file.
    Media,
}

/// A heading, for tables of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A problem in the body, at a file line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkdownIssue {
    /// 1-based file line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How many characters the problem spans (at least 1).
    pub length: usize,
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// A problem at `span` of the body as written, before positions are known.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    span: Range<usize>,
    message: String,
    help: String,
}

/// Renders one document's body. Never panics; problems are `issues`.
pub fn render(source: &str, options: &MarkdownOptions) -> RenderedMarkdown {
    let base_path = as_folder(options.base_path);
    let media_url = as_folder(options.media_url);
    let base = LinkBase {
        base_path: &base_path,
        media_url: &media_url,
    };
    let lines = LineIndex::new(source, options.first_line);

    // Code spans matter only to tell a shortcode from code that shows one,
    // and most bodies have nothing that could open one: they skip a parse.
    let code = if shortcodes::may_open(source) {
        parse::code_ranges(source)
    } else {
        Vec::new()
    };
    let (found, mut problems) = shortcodes::scan(source, &code);
    let assembled = markers::assemble(source, &found);
    let placed: Vec<&Found> = assembled
        .placed
        .iter()
        .filter_map(|&position| found.get(position))
        .collect();
    let mut links = Vec::new();
    let shortcodes: Vec<Shortcode> = placed
        .iter()
        .map(|found| shortcode(found, base, &lines, &mut links, &mut problems))
        .collect();

    let (body_events, definitions) = parse::body(&assembled.text);
    let no_footnotes = HashSet::new();
    let body = Part {
        source: &assembled.text,
        footnotes: FootnoteScope {
            prefix: String::new(),
            local: definitions.footnotes.clone(),
            body: &no_footnotes,
        },
        events: body_events,
        map: &assembled.map,
        markers: &assembled.markers,
    };
    let excerpt_sources = excerpt_sources(source, &placed);
    let excerpts = excerpt_parts(&excerpt_sources, &definitions);

    let mut renderer = Renderer::new(base, &lines, shortcodes, excerpts);
    renderer.reserve_custom_ids(&body);
    let (description, transcription) = renderer.render_part(&body, options.split_transcription);
    renderer.render_unreached_excerpts();

    links.append(&mut renderer.links);
    links.sort_by_key(|link| (link.line, link.column));
    problems.append(&mut renderer.problems);
    let (transcription_html, transcription_text) = match transcription {
        Some(output) => (Some(output.html), output.text),
        None => (None, String::new()),
    };
    RenderedMarkdown {
        html: description.html,
        transcription_html,
        shortcodes: renderer.shortcodes,
        links,
        headings: renderer.headings,
        text: description.text,
        transcription_text,
        issues: issues(&lines, problems),
    }
}

/// Replaces each shortcode marker in `html` with `replace(index)`, where
/// `index` is the shortcode's position in [`RenderedMarkdown::shortcodes`].
pub fn expand_shortcodes(html: &str, replace: impl FnMut(usize) -> String) -> String {
    markers::expand(html, replace)
}

/// The URL path (relative to base_path, no leading '/', ends with '/' or is
/// "") of a content file path relative to content/: "_index.md" -> "",
/// "exhibits/x/_index.md" -> "exhibits/x/", "exhibits/x/01-prelude.md" ->
/// "exhibits/x/prelude/", "archive/hx-1.md" -> "archive/hx-1/",
/// "people/a.md" -> "people/a/", "places/b.md" -> "places/b/",
/// "pages/about.md" -> "about/"; `None` for any other path.
pub fn content_file_url(path: &str) -> Option<String> {
    links::content_file_url(path)
}

/// CSS for the highlight classes: a light theme, and a dark one inside
/// `@media (prefers-color-scheme: dark)`. Written by the generator to
/// css/highlight.css.
pub fn highlight_css() -> String {
    highlight::css()
}

/// `path` with one '/' at each end.
fn as_folder(path: &str) -> String {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// The public form of a found shortcode; a figure's `src` is resolved and
/// recorded like an image's.
fn shortcode(
    found: &Found,
    base: LinkBase<'_>,
    lines: &LineIndex<'_>,
    links: &mut Vec<InternalLink>,
    problems: &mut Vec<Problem>,
) -> Shortcode {
    let (line, column) = lines.position(found.span.start);
    let kind = match &found.kind {
        FoundKind::Item { id } => ShortcodeKind::Item { id: id.clone() },
        FoundKind::Excerpt { item, .. } => ShortcodeKind::Excerpt {
            item: item.clone(),
            body_html: String::new(),
            body_text: String::new(),
        },
        FoundKind::Figure {
            src,
            src_span,
            alt,
            caption,
        } => ShortcodeKind::Figure {
            src: src.clone(),
            url: figure_url(src, src_span, base, lines, links, problems),
            alt: alt.clone(),
            caption: caption.clone(),
        },
        // Never placed: invalid shortcodes get no marker.
        FoundKind::Invalid => ShortcodeKind::Item { id: String::new() },
    };
    Shortcode { kind, line, column }
}

fn figure_url(
    src: &str,
    src_span: &Range<usize>,
    base: LinkBase<'_>,
    lines: &LineIndex<'_>,
    links: &mut Vec<InternalLink>,
    problems: &mut Vec<Problem>,
) -> String {
    match links::resolve(src, base) {
        Target::Untouched => src.to_string(),
        Target::Internal(resolved) => {
            let (line, column) = lines.position(src_span.start);
            links.push(InternalLink {
                written: src.to_string(),
                url: resolved.url,
                fragment: resolved.fragment,
                kind: resolved.kind,
                line,
                column,
            });
            resolved.href
        }
        Target::Broken { message, help } => {
            problems.push(Problem {
                span: src_span.clone(),
                message,
                help,
            });
            src.to_string()
        }
    }
}

/// Each excerpt's Markdown, parsed, by shortcode index.
fn excerpt_parts<'e>(
    sources: &'e [(usize, (String, OffsetMap))],
    definitions: &'e BodyDefinitions,
) -> HashMap<usize, Part<'e>> {
    sources
        .iter()
        .map(|(index, (text, map))| {
            let events = parse::excerpt(text, definitions);
            let part = Part {
                source: text,
                footnotes: FootnoteScope {
                    prefix: format!("x{index}-"),
                    local: parse::footnote_labels(&events),
                    body: &definitions.footnotes,
                },
                events,
                map,
                markers: &[],
            };
            (*index, part)
        })
        .collect()
}

/// The Markdown of each placed excerpt, by shortcode index.
fn excerpt_sources(source: &str, placed: &[&Found]) -> Vec<(usize, (String, OffsetMap))> {
    placed
        .iter()
        .enumerate()
        .filter_map(|(index, found)| match &found.kind {
            FoundKind::Excerpt { body, nested, .. } => {
                let indent = markers::indentation_before(source, found.span.start);
                let text = markers::excerpt_source(source, body.clone(), nested, indent);
                Some((index, text))
            }
            _ => None,
        })
        .collect()
}

/// Problems as issues at file positions, in file order.
fn issues(lines: &LineIndex<'_>, problems: Vec<Problem>) -> Vec<MarkdownIssue> {
    let mut issues: Vec<MarkdownIssue> = problems
        .into_iter()
        .map(|problem| {
            let (line, column) = lines.position(problem.span.start);
            MarkdownIssue {
                line,
                column,
                length: lines.char_len(&problem.span),
                message: problem.message,
                help: problem.help,
            }
        })
        .collect();
    issues.sort_by_key(|issue| (issue.line, issue.column));
    issues
}

#[cfg(test)]
mod tests;
