//! Running pulldown-cmark: the options, and what an excerpt borrows from
//! the body it stands in.
//!
//! An excerpt's Markdown is parsed on its own, yet a curator may quote a
//! passage with a reference link (`[《新青年》][xqn]`) or a footnote (`[^1]`)
//! whose definition is at the bottom of the section. So an excerpt sees the
//! body's link reference definitions (through pulldown-cmark's broken-link
//! callback) and the body's footnotes: it is parsed with classic footnote
//! syntax, where every `[^label]` is a reference, and a reference to a label
//! that neither the excerpt nor the body defines is written back as text, as
//! the body's GFM footnotes do.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, Options, Parser, Tag};

use super::headings::slug;

/// One parsed event and where it is in the parsed text.
pub(super) type Located<'t> = (Event<'t>, Range<usize>);

/// The Markdown extensions lantai uses. Smart punctuation stays off: it
/// would turn the quotes of Chinese text into the wrong marks.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The code spans and code blocks of `source`, sorted: where shortcodes are text.
pub(super) fn code_ranges(source: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Parser::new_ext(source, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect();
    ranges.sort_by_key(|range| range.start);
    ranges
}

/// What the body defines that its excerpts may use.
#[derive(Debug, Default)]
pub(super) struct BodyDefinitions {
    /// Link reference definitions by normalised label: (destination, title).
    links: HashMap<String, (String, String)>,
    /// Footnote labels, as [`footnote_key`]s.
    pub(super) footnotes: HashSet<String>,
}

/// Parses the body (with markers).
pub(super) fn body(text: &str) -> (Vec<Located<'_>>, BodyDefinitions) {
    let mut parser = Parser::new_ext(text, options()).into_offset_iter();
    let events: Vec<Located<'_>> = parser.by_ref().collect();
    let links = parser
        .reference_definitions()
        .iter()
        .map(|(label, definition)| {
            let title = definition.title.as_deref().unwrap_or_default();
            (
                normalise_label(label),
                (definition.dest.to_string(), title.to_string()),
            )
        })
        .collect();
    let footnotes = footnote_labels(&events);
    (events, BodyDefinitions { links, footnotes })
}

/// Parses an excerpt's Markdown, resolving what it leaves undefined from the body.
pub(super) fn excerpt<'t>(text: &'t str, body: &BodyDefinitions) -> Vec<Located<'t>> {
    let options = options() | Options::ENABLE_OLD_FOOTNOTES;
    let callback = |link: BrokenLink<'t>| {
        let (destination, title) = body.links.get(&normalise_label(&link.reference))?;
        Some((
            CowStr::from(destination.clone()),
            CowStr::from(title.clone()),
        ))
    };
    Parser::new_with_broken_link_callback(text, options, Some(callback))
        .into_offset_iter()
        .collect()
}

/// The footnote labels defined in `events`, as [`footnote_key`]s.
pub(super) fn footnote_labels(events: &[Located<'_>]) -> HashSet<String> {
    events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Start(Tag::FootnoteDefinition(label)) => Some(footnote_key(label)),
            _ => None,
        })
        .collect()
}

/// A footnote label as an id part; labels match regardless of case.
pub(super) fn footnote_key(label: &str) -> String {
    slug(label)
}

/// Reference labels match regardless of case and of runs of whitespace.
fn normalise_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_ranges_cover_spans_and_blocks() {
        let source = "a `b` c\n\n```\nd\n```\n\n    e\n";
        let ranges = code_ranges(source);
        let texts: Vec<&str> = ranges.iter().map(|range| &source[range.clone()]).collect();
        assert_eq!(texts, ["`b`", "```\nd\n```", "e\n"]);
    }

    #[test]
    fn excerpts_use_the_body_reference_definitions() {
        let (_, definitions) = body("text\n\n[XQN]: /people/chen/ \"title\"\n\n[^1]: note\n");
        assert!(definitions.footnotes.contains("1"));
        let events = excerpt("see [it][xqn] and [^1]", &definitions);
        let link = events.iter().find_map(|(event, _)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        });
        assert_eq!(link.as_deref(), Some("/people/chen/"));
        assert!(events.iter().any(
            |(event, _)| matches!(event, Event::FootnoteReference(label) if label.as_ref() == "1")
        ));
    }
}
