//! The second pass: pulldown-cmark events of the marked-up body, adjusted
//! (heading ids, link targets, highlighted code, footnotes, markers) and
//! written as HTML, with the plain text collected on the way.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::headings::HeadingIds;
use super::highlight;
use super::links::{self, LinkBase, Target};
use super::markers;
use super::parse::{Located, footnote_key};
use super::plain_text::PlainText;
use super::source_map::{LineIndex, MarkerSpan, OffsetMap};
use super::{Heading, InternalLink, Problem, Shortcode, ShortcodeKind};

/// One parsed Markdown text: the body, or the inside of an excerpt.
pub(super) struct Part<'e> {
    /// The text that was parsed (the body with markers, or an excerpt).
    pub(super) source: &'e str,
    pub(super) events: Vec<Located<'e>>,
    /// From `source` back to the body as written.
    pub(super) map: &'e OffsetMap,
    pub(super) markers: &'e [MarkerSpan],
    pub(super) footnotes: FootnoteScope<'e>,
}

/// Which footnotes the references of a part name.
pub(super) struct FootnoteScope<'e> {
    /// Prefix of the ids of footnotes defined in this part, so an excerpt's
    /// `[^1]` does not collide with the body's.
    pub(super) prefix: String,
    /// Labels defined in this part.
    pub(super) local: HashSet<String>,
    /// Labels defined in the body, which an excerpt may reference.
    pub(super) body: &'e HashSet<String>,
}

impl FootnoteScope<'_> {
    /// The id part of the footnote `label` names, if it names one.
    fn id(&self, label: &str) -> Option<String> {
        let key = footnote_key(label);
        if self.local.contains(&key) {
            Some(format!("{}{key}", self.prefix))
        } else if self.body.contains(&key) {
            Some(key)
        } else {
            None
        }
    }
}

/// The HTML and plain text of a part, or of its transcription.
#[derive(Default)]
pub(super) struct Output {
    pub(super) html: String,
    pub(super) text: String,
}

/// Everything a document's render collects besides its HTML.
pub(super) struct Renderer<'e> {
    pub(super) base: LinkBase<'e>,
    pub(super) lines: &'e LineIndex<'e>,
    ids: HeadingIds,
    pub(super) headings: Vec<Heading>,
    pub(super) links: Vec<InternalLink>,
    pub(super) problems: Vec<Problem>,
    pub(super) shortcodes: Vec<Shortcode>,
    /// Excerpt bodies by shortcode index, taken when rendered.
    pub(super) excerpts: HashMap<usize, Part<'e>>,
    footnotes: Footnotes,
}

/// The output being written and where the events are in the document.
struct PartState<'e> {
    description: Sink<'e>,
    /// `Some` once the transcription heading was met.
    transcription: Option<Sink<'e>>,
    /// Whether a transcription heading is still looked for.
    looking_for_transcription: bool,
    /// Open elements; the transcription heading counts only at the top level.
    depth: usize,
    /// Inside an image, text is alt text: not part of the plain text.
    image_depth: usize,
    /// Ids of the footnote definitions being written.
    open_footnotes: Vec<String>,
}

/// Where the events and plain text of one HTML output are collected.
#[derive(Default)]
struct Sink<'e> {
    events: Vec<Event<'e>>,
    text: PlainText,
}

impl<'e> PartState<'e> {
    fn new(split_transcription: bool) -> Self {
        PartState {
            description: Sink::default(),
            transcription: None,
            looking_for_transcription: split_transcription,
            depth: 0,
            image_depth: 0,
            open_footnotes: Vec::new(),
        }
    }

    fn current(&mut self) -> &mut Sink<'e> {
        self.transcription.as_mut().unwrap_or(&mut self.description)
    }

    fn push(&mut self, event: Event<'e>) {
        self.current().events.push(event);
    }

    fn text(&mut self) -> &mut PlainText {
        &mut self.current().text
    }
}

impl<'e> Renderer<'e> {
    pub(super) fn new(
        base: LinkBase<'e>,
        lines: &'e LineIndex<'e>,
        shortcodes: Vec<Shortcode>,
        excerpts: HashMap<usize, Part<'e>>,
    ) -> Self {
        Renderer {
            base,
            lines,
            ids: HeadingIds::default(),
            headings: Vec::new(),
            links: Vec::new(),
            problems: Vec::new(),
            shortcodes,
            excerpts,
            footnotes: Footnotes::default(),
        }
    }

    /// Reserves every `{#custom}` heading id of the body and its excerpts,
    /// before any automatic id is handed out.
    pub(super) fn reserve_custom_ids(&mut self, body: &Part<'e>) {
        let excerpts = self.excerpts.values();
        let custom: Vec<String> = std::iter::once(body)
            .chain(excerpts)
            .flat_map(|part| &part.events)
            .filter_map(|(event, _)| match event {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect();
        self.ids.reserve(custom);
    }

    /// Renders `part`; with `split_transcription`, also returns what follows
    /// a top-level `## 录文` heading, when there is one.
    pub(super) fn render_part(
        &mut self,
        part: &Part<'e>,
        split_transcription: bool,
    ) -> (Output, Option<Output>) {
        let mut state = PartState::new(split_transcription);
        let mut at = 0;
        while let Some((event, _)) = part.events.get(at) {
            at = match event {
                Event::Start(Tag::Heading { .. }) => self.heading(part, at, &mut state),
                Event::Start(Tag::CodeBlock(_)) => self.code_block(part, at, &mut state),
                _ => {
                    self.event(part, at, &mut state);
                    at + 1
                }
            };
        }
        let description = finish(state.description);
        (description, state.transcription.map(finish))
    }

    /// Renders the excerpts whose markers were not met (a marker in an
    /// image's alt text, say), so their links are still checked.
    pub(super) fn render_unreached_excerpts(&mut self) {
        let mut unreached: Vec<usize> = self.excerpts.keys().copied().collect();
        unreached.sort_unstable();
        for index in unreached {
            self.excerpt_text(index);
        }
    }

    /// Handles the event at `at` of `part` (any but a heading or code block).
    fn event(&mut self, part: &Part<'e>, at: usize, state: &mut PartState<'e>) {
        let Some((event, range)) = part.events.get(at) else {
            return;
        };
        match event.clone() {
            Event::Start(tag) => self.start(tag, range, part, state),
            Event::End(tag) => self.end(tag, state),
            Event::Text(text) => {
                if state.image_depth == 0 {
                    state.text().push(&text);
                }
                state.push(Event::Text(text));
            }
            Event::Code(code) => {
                state.text().push(&code);
                state.push(Event::Code(code));
            }
            Event::Html(html) => {
                let html = self.raw_html(html, range, part, state, true);
                state.push(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                let html = self.raw_html(html, range, part, state, false);
                state.push(Event::InlineHtml(html));
            }
            Event::FootnoteReference(label) => match part.footnotes.id(&label) {
                Some(key) => {
                    let html = self.footnotes.reference(&key);
                    state.push(Event::InlineHtml(html.into()));
                }
                None => {
                    let text = format!("[^{label}]");
                    state.text().push(&text);
                    state.push(Event::Text(text.into()));
                }
            },
            Event::SoftBreak => {
                state.text().soft_break();
                state.push(Event::SoftBreak);
            }
            Event::HardBreak => {
                state.text().newline();
                state.push(Event::HardBreak);
            }
            other => {
                state.text().newline();
                state.push(other);
            }
        }
    }

    fn start(
        &mut self,
        tag: Tag<'e>,
        range: &Range<usize>,
        part: &Part<'e>,
        state: &mut PartState<'e>,
    ) {
        state.depth += 1;
        if is_block(&tag) {
            state.text().newline();
        }
        let tag = match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => Tag::Link {
                dest_url: self.link_target(dest_url, link_type, range, part),
                link_type,
                title,
                id,
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                state.image_depth += 1;
                Tag::Image {
                    dest_url: self.link_target(dest_url, link_type, range, part),
                    link_type,
                    title,
                    id,
                }
            }
            Tag::FootnoteDefinition(label) => {
                let key = format!("{}{}", part.footnotes.prefix, footnote_key(&label));
                let html = self.footnotes.definition_start(&key);
                state.open_footnotes.push(key);
                state.push(Event::Html(html.into()));
                return;
            }
            other => other,
        };
        state.push(Event::Start(tag));
    }

    fn end(&mut self, tag: TagEnd, state: &mut PartState<'e>) {
        state.depth = state.depth.saturating_sub(1);
        match tag {
            TagEnd::Image => state.image_depth = state.image_depth.saturating_sub(1),
            TagEnd::TableCell => state.text().space(),
            TagEnd::FootnoteDefinition => {
                let key = state.open_footnotes.pop().unwrap_or_default();
                let html = self.footnotes.definition_end(&key);
                state.text().newline();
                state.push(Event::Html(html.into()));
                return;
            }
            _ if is_block_end(&tag) => state.text().newline(),
            _ => {}
        }
        state.push(Event::End(tag));
    }

    /// A heading, from its start event at `at`; returns the index after its end.
    fn heading(&mut self, part: &Part<'e>, at: usize, state: &mut PartState<'e>) -> usize {
        let end = matching_end(&part.events, at, |tag| matches!(tag, TagEnd::Heading(_)));
        let Some((
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }),
            range,
        )) = part.events.get(at)
        else {
            return at + 1;
        };
        let inner = part.events.get(at + 1..end).unwrap_or_default();
        let text = heading_text(inner);
        if state.looking_for_transcription
            && state.depth == 0
            && *level == HeadingLevel::H2
            && is_transcription_heading(&text)
        {
            state.looking_for_transcription = false;
            state.transcription = Some(Sink::default());
            return end + 1;
        }
        let id = self.heading_id(&text, id.as_deref(), range, part);
        self.headings.push(Heading {
            level: heading_level(*level),
            id: id.clone(),
            text,
        });
        state.text().newline();
        state.push(Event::Start(Tag::Heading {
            level: *level,
            id: Some(id.into()),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        for inner_at in at + 1..end {
            self.event(part, inner_at, state);
        }
        state.push(Event::End(TagEnd::Heading(*level)));
        state.text().newline();
        end + 1
    }

    fn heading_id(
        &mut self,
        text: &str,
        custom: Option<&str>,
        range: &Range<usize>,
        part: &Part<'e>,
    ) -> String {
        let (id, fresh) = self.ids.assign(text, custom);
        if !fresh {
            let start = part.map.original(range.start);
            self.problems.push(Problem {
                span: start..part.map.original(range.end),
                message: format!("the heading id `{id}` is used twice in this document"),
                help: "give one of the headings another `{#id}`".to_string(),
            });
        }
        id
    }

    /// A code block, from its start event at `at`; returns the index after its end.
    fn code_block(&mut self, part: &Part<'e>, at: usize, state: &mut PartState<'e>) -> usize {
        let end = matching_end(&part.events, at, |tag| *tag == TagEnd::CodeBlock);
        let Some((Event::Start(Tag::CodeBlock(kind)), _)) = part.events.get(at) else {
            return at + 1;
        };
        let code: String = part
            .events
            .get(at + 1..end)
            .unwrap_or_default()
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Text(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        let language = match kind {
            CodeBlockKind::Fenced(info) => highlight::language(info),
            CodeBlockKind::Indented => None,
        };
        state.push(Event::Html(
            highlight::code_block_html(language, &code).into(),
        ));
        state.text().newline();
        state.text().push(code.trim_end());
        state.text().newline();
        end + 1
    }

    /// Raw HTML, with its shortcode markers made canonical and their text
    /// added to the plain text: as a block of its own where the HTML is a
    /// block, within the line where it is inline.
    fn raw_html(
        &mut self,
        html: CowStr<'e>,
        range: &Range<usize>,
        part: &Part<'e>,
        state: &mut PartState<'e>,
        block: bool,
    ) -> CowStr<'e> {
        let translated = markers::translate_raw_html(&html, range, part.source, part.markers);
        for index in translated.shortcodes {
            let text = self.shortcode_text(index);
            if text.is_empty() {
                continue;
            }
            if block {
                state.text().push_block(&text);
            } else {
                state.text().space();
                state.text().push(&text);
                state.text().space();
            }
        }
        if translated.html == html.as_ref() {
            html
        } else {
            translated.html.into()
        }
    }

    /// The plain text a shortcode adds to the document: an excerpt's text
    /// (rendering it now, so its headings come in document order) or a
    /// figure's caption. An item's text is the item's, not this document's.
    fn shortcode_text(&mut self, index: usize) -> String {
        match self.shortcodes.get(index).map(|shortcode| &shortcode.kind) {
            Some(ShortcodeKind::Excerpt { .. }) => self.excerpt_text(index),
            Some(ShortcodeKind::Figure { caption, .. }) => caption.clone().unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// Renders excerpt `index` if not done yet, and returns its text.
    fn excerpt_text(&mut self, index: usize) -> String {
        if let Some(part) = self.excerpts.remove(&index) {
            let (output, _) = self.render_part(&part, false);
            if let Some(ShortcodeKind::Excerpt {
                body_html,
                body_text,
                ..
            }) = self
                .shortcodes
                .get_mut(index)
                .map(|shortcode| &mut shortcode.kind)
            {
                *body_html = output.html;
                *body_text = output.text;
            }
        }
        match self.shortcodes.get(index).map(|shortcode| &shortcode.kind) {
            Some(ShortcodeKind::Excerpt { body_text, .. }) => body_text.clone(),
            _ => String::new(),
        }
    }

    /// The target to write for a link or image, recording internal ones.
    fn link_target(
        &mut self,
        written: CowStr<'e>,
        link_type: LinkType,
        range: &Range<usize>,
        part: &Part<'e>,
    ) -> CowStr<'e> {
        if matches!(link_type, LinkType::Email) {
            return written;
        }
        let start = part.map.original(range.start);
        match links::resolve(&written, self.base) {
            Target::Untouched => written,
            Target::Internal(resolved) => {
                let (line, column) = self.lines.position(start);
                self.links.push(InternalLink {
                    written: written.to_string(),
                    url: resolved.url,
                    fragment: resolved.fragment,
                    kind: resolved.kind,
                    line,
                    column,
                });
                resolved.href.into()
            }
            Target::Broken { message, help } => {
                self.problems.push(Problem {
                    span: start..part.map.original(range.end),
                    message,
                    help,
                });
                written
            }
        }
    }
}

thread_local! {
    /// Where [`finish`] writes a part's HTML.
    static HTML_BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn finish(target: Sink<'_>) -> Output {
    // Written into a buffer the thread keeps, then copied out at its exact
    // size: the site keeps every body's HTML for the whole build, and a
    // string grown by doubling holds a quarter more on average.
    let html = HTML_BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        pulldown_cmark::html::push_html(buffer, target.events.into_iter());
        buffer.as_str().to_owned()
    });
    Output {
        html,
        text: target.text.finish(),
    }
}

/// The index of the end event matching the start at `start`, or the last
/// event when it is missing.
fn matching_end(events: &[Located<'_>], start: usize, is_end: impl Fn(&TagEnd) -> bool) -> usize {
    events
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, (event, _))| matches!(event, Event::End(tag) if is_end(tag)))
        .map_or(events.len().saturating_sub(1).max(start), |(at, _)| at)
}

/// A heading's text: its text and code, without markup.
fn heading_text(events: &[Located<'_>]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(part) | Event::Code(part) => text.push_str(part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Whether a level-2 heading with `text` starts an item's transcription.
fn is_transcription_heading(text: &str) -> bool {
    let text = text.trim();
    text == "录文" || text.eq_ignore_ascii_case("transcription")
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Block elements, whose text is set apart by newlines.
fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::BlockQuote(_)
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

/// Footnotes, numbered in the order they are first referenced (or defined)
/// across the whole document, so the description and the transcription,
/// rendered apart, never repeat a number. Definitions stay where they are
/// written (GFM syntax; pulldown-cmark does not move them to the end).
#[derive(Debug, Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    references: HashMap<String, usize>,
}

impl Footnotes {
    fn number(&mut self, key: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(key.to_string()).or_insert(next)
    }

    fn reference(&mut self, key: &str) -> String {
        let number = self.number(key);
        let count = self.references.entry(key.to_string()).or_insert(0);
        *count += 1;
        // Only the first reference gets the id the definition links back to.
        let id = if *count == 1 {
            format!(" id=\"fnref-{key}\"")
        } else {
            String::new()
        };
        format!("<sup class=\"footnote-reference\"{id}><a href=\"#fn-{key}\">{number}</a></sup>")
    }

    fn definition_start(&mut self, key: &str) -> String {
        let number = self.number(key);
        format!(
            "<div class=\"footnote-definition\" id=\"fn-{key}\">\
             <sup class=\"footnote-definition-label\">{number}</sup>\n"
        )
    }

    /// Closes a definition, with a link back to its first reference.
    fn definition_end(&self, key: &str) -> String {
        if self.references.contains_key(key) {
            format!(
                "<a href=\"#fnref-{key}\" class=\"footnote-backref\" aria-label=\"返回正文\">↩</a>\n</div>\n"
            )
        } else {
            "</div>\n".to_string()
        }
    }
}
