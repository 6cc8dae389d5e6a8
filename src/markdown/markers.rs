//! How shortcodes travel through pulldown-cmark: as raw-HTML markers.
//!
//! Each shortcode in the body is replaced by a marker before the body is
//! parsed, and pulldown-cmark passes raw HTML through untouched. In the HTML
//! every marker is `<!--lantai:sc:N-->`; the site stage replaces it with the
//! shortcode's HTML once items are known ([`super::expand_shortcodes`]).
//!
//! Where the marker stands decides how Markdown sees it:
//! - a shortcode alone on its line (the usual case) becomes the comment on
//!   its own line: an HTML block, which interrupts a paragraph and is not
//!   wrapped in `<p>`;
//! - an excerpt holds block content, so it is always put on a line of its own;
//! - an `item` or `figure` within a line stays inline. At the start of a line
//!   followed by more text, a comment would start an HTML block and swallow
//!   the rest of the line as raw HTML, so there the marker is the inline tag
//!   `<lantai-sc-N>`, which cannot start one; it becomes the comment when the
//!   events are rendered.

use std::iter::Peekable;
use std::ops::Range;

use super::shortcodes::{Found, FoundKind};
use super::source_map::{MarkerSpan, OffsetMap, Rewriter};

const COMMENT_PREFIX: &str = "<!--lantai:sc:";
const COMMENT_SUFFIX: &str = "-->";

/// The marker for shortcode `index` as it appears in the HTML.
pub(super) fn comment(index: usize) -> String {
    format!("{COMMENT_PREFIX}{index}{COMMENT_SUFFIX}")
}

/// An inline marker that cannot start an HTML block.
fn inline_tag(index: usize) -> String {
    format!("<lantai-sc-{index}>")
}

/// The body with its shortcodes replaced by markers.
pub(super) struct Assembled {
    pub(super) text: String,
    pub(super) map: OffsetMap,
    pub(super) markers: Vec<MarkerSpan>,
    /// For each shortcode index, the position in `found` it came from.
    pub(super) placed: Vec<usize>,
}

/// Replaces every shortcode in `source` by its marker; invalid shortcodes
/// (already reported) are left out.
pub(super) fn assemble(source: &str, found: &[Found]) -> Assembled {
    let mut rewriter = Rewriter::default();
    let mut placed = Vec::new();
    let mut copied_to = 0;
    let mut lines = LineFinder::new(source);
    for (position, shortcode) in found.iter().enumerate() {
        let span = shortcode.span.clone();
        rewriter.copy(source, copied_to..span.start);
        copied_to = span.end;
        if shortcode.kind == FoundKind::Invalid {
            continue;
        }
        let index = placed.len();
        placed.push(position);
        let is_excerpt = matches!(shortcode.kind, FoundKind::Excerpt { .. });
        let line = lines.surroundings(&span);
        place_marker(&mut rewriter, line, span, is_excerpt, index);
    }
    rewriter.copy(source, copied_to..source.len());
    let (text, map, markers) = rewriter.finish();
    Assembled {
        text,
        map,
        markers,
        placed,
    }
}

fn place_marker(
    rewriter: &mut Rewriter,
    line: Surroundings,
    span: Range<usize>,
    is_excerpt: bool,
    index: usize,
) {
    if line.starts_clear && line.ends_clear {
        rewriter.insert_marker(&comment(index), span.start, index);
    } else if is_excerpt {
        if !line.starts_clear {
            rewriter.insert("\n", span.start);
        }
        rewriter.insert_marker(&comment(index), span.start, index);
        if !line.ends_clear {
            rewriter.insert("\n", span.start);
        }
    } else if line.starts_clear {
        rewriter.insert_marker(&inline_tag(index), span.start, index);
    } else {
        rewriter.insert_marker(&comment(index), span.start, index);
    }
}

/// What shares a shortcode's line.
struct Surroundings {
    /// Only whitespace or blockquote `>`s before it on its first line.
    starts_clear: bool,
    /// Only whitespace after it on its last line.
    ends_clear: bool,
}

/// Finds the lines around spans given in order, scanning each part of the
/// text a bounded number of times even when it is one long line.
struct LineFinder<'s> {
    source: &'s str,
    /// Start of the line of the last span asked about, and how far the
    /// search for it got.
    line_start: usize,
    searched_to: usize,
    /// The first newline at or after the end of the last span.
    next_newline: usize,
}

impl<'s> LineFinder<'s> {
    fn new(source: &'s str) -> Self {
        LineFinder {
            source,
            line_start: 0,
            searched_to: 0,
            next_newline: 0,
        }
    }

    fn surroundings(&mut self, span: &Range<usize>) -> Surroundings {
        let source = self.source;
        if let Some(newline) = source[self.searched_to..span.start].rfind('\n') {
            self.line_start = self.searched_to + newline + 1;
        }
        self.searched_to = span.start;
        if self.next_newline < span.end {
            self.next_newline = source[span.end..]
                .find('\n')
                .map_or(source.len(), |at| span.end + at);
        }
        // Read backwards: on a line with several shortcodes, the one
        // before stops the check at once.
        let starts_clear = source[self.line_start..span.start]
            .chars()
            .rev()
            .all(|c| c.is_whitespace() || c == '>');
        Surroundings {
            starts_clear,
            ends_clear: source[span.end..self.next_newline].trim().is_empty(),
        }
    }
}

/// How many whitespace characters indent the line that `offset` is on, when
/// only whitespace precedes `offset` there (0 otherwise).
pub(super) fn indentation_before(source: &str, offset: usize) -> usize {
    let before = &source[..offset];
    let indentation = before
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace() && *c != '\n')
        .count();
    match before.chars().rev().nth(indentation) {
        None | Some('\n') => indentation,
        Some(_) => 0,
    }
}

/// An excerpt's Markdown: `body` of `source` without the nested shortcodes
/// (reported already), each line after the first dedented by up to `indent`
/// whitespace characters, so an excerpt in a list item reads as Markdown
/// at the top level.
pub(super) fn excerpt_source(
    source: &str,
    body: Range<usize>,
    nested: &[Range<usize>],
    indent: usize,
) -> (String, OffsetMap) {
    let mut rewriter = Rewriter::default();
    let mut holes = nested.iter().peekable();
    let mut line_start = body.start;
    let mut first = true;
    while line_start < body.end {
        let line_end = source[line_start..body.end]
            .find('\n')
            .map_or(body.end, |at| line_start + at + 1);
        let keep_from = if first {
            line_start
        } else {
            skip_indentation(source, line_start..line_end, indent)
        };
        copy_without(&mut rewriter, source, keep_from..line_end, &mut holes);
        line_start = line_end;
        first = false;
    }
    let (text, map, _) = rewriter.finish();
    (text, map)
}

fn skip_indentation(source: &str, line: Range<usize>, indent: usize) -> usize {
    let text = &source[line.clone()];
    let skipped: usize = text
        .chars()
        .take(indent)
        .take_while(|c| c.is_whitespace() && *c != '\n')
        .map(char::len_utf8)
        .sum();
    line.start + skipped
}

/// Copies `range` of `source` except the parts inside `holes`, which are
/// sorted and consumed as the ranges (given in order) pass them.
fn copy_without<'h>(
    rewriter: &mut Rewriter,
    source: &str,
    range: Range<usize>,
    holes: &mut Peekable<impl Iterator<Item = &'h Range<usize>>>,
) {
    let mut from = range.start;
    while let Some(hole) = holes.peek() {
        if hole.start >= range.end {
            break;
        }
        rewriter.copy(source, from..hole.start.max(from));
        from = from.max(hole.end);
        if hole.end > range.end {
            // The hole goes on into the next line.
            return;
        }
        holes.next();
    }
    rewriter.copy(source, from..range.end.max(from));
}

/// Raw HTML from pulldown-cmark with its markers made canonical.
pub(super) struct TranslatedHtml {
    pub(super) html: String,
    /// The shortcodes whose markers it holds, in order.
    pub(super) shortcodes: Vec<usize>,
}

/// Makes every marker inside a raw-HTML event the canonical comment, and
/// defuses marker look-alikes the curator typed, so that only real
/// shortcodes are expanded later.
///
/// `event` is the event's text, found at `range` of the parsed `source`.
pub(super) fn translate_raw_html(
    event: &str,
    range: &Range<usize>,
    source: &str,
    markers: &[MarkerSpan],
) -> TranslatedHtml {
    let first = markers.partition_point(|marker| marker.range.start < range.start);
    let mut translated = TranslatedHtml {
        html: String::with_capacity(event.len()),
        shortcodes: Vec::new(),
    };
    let mut copied_to = 0;
    for marker in markers[first..]
        .iter()
        .take_while(|marker| marker.range.end <= range.end)
    {
        let Some(marker_text) = source.get(marker.range.clone()) else {
            continue;
        };
        let Some(at) = find_marker(
            event,
            copied_to,
            marker.range.start - range.start,
            marker_text,
        ) else {
            continue;
        };
        push_defused(&mut translated.html, &event[copied_to..at]);
        translated.html.push_str(&comment(marker.index));
        translated.shortcodes.push(marker.index);
        copied_to = at + marker_text.len();
    }
    push_defused(&mut translated.html, &event[copied_to..]);
    translated
}

/// Where `marker_text` is in `event`: at `expected` when the event's text
/// is the source as written, otherwise its next occurrence.
fn find_marker(event: &str, from: usize, expected: usize, marker_text: &str) -> Option<usize> {
    if expected >= from && event.get(expected..expected + marker_text.len()) == Some(marker_text) {
        return Some(expected);
    }
    event
        .get(from..)?
        .find(marker_text)
        .map(|offset| from + offset)
}

fn push_defused(html: &mut String, text: &str) {
    html.push_str(&text.replace(COMMENT_PREFIX, "<!--lantai:sc&#58;"));
}

/// Replaces each marker in `html` with `replace(index)`.
pub(super) fn expand(html: &str, mut replace: impl FnMut(usize) -> String) -> String {
    let mut expanded = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(COMMENT_PREFIX) {
        expanded.push_str(&rest[..at]);
        let after = &rest[at + COMMENT_PREFIX.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index = after[..digits].parse::<usize>().ok();
        match index.filter(|_| after[digits..].starts_with(COMMENT_SUFFIX)) {
            Some(index) => {
                expanded.push_str(&replace(index));
                rest = &after[digits + COMMENT_SUFFIX.len()..];
            }
            None => {
                expanded.push_str(COMMENT_PREFIX);
                rest = after;
            }
        }
    }
    expanded.push_str(rest);
    expanded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(span: Range<usize>) -> Found {
        Found {
            span,
            kind: FoundKind::Item { id: "a".into() },
        }
    }

    #[test]
    fn markers_by_placement() {
        let source = "{{x}}\ntext {{x}}\n{{x}} text\n";
        let found = [item(0..5), item(11..16), item(17..22)];
        let assembled = assemble(source, &found);
        assert_eq!(
            assembled.text,
            "<!--lantai:sc:0-->\ntext <!--lantai:sc:1-->\n<lantai-sc-2> text\n"
        );
        assert_eq!(assembled.placed, vec![0, 1, 2]);
        assert_eq!(
            assembled.map.original(assembled.text.len() - 1),
            source.len() - 1
        );
    }

    #[test]
    fn excerpts_always_get_their_own_line() {
        let source = "text {%x%}q{%end%} more";
        let found = [Found {
            span: 5..18,
            kind: FoundKind::Excerpt {
                item: "a".into(),
                body: 10..11,
                nested: vec![],
            },
        }];
        assert_eq!(
            assemble(source, &found).text,
            "text \n<!--lantai:sc:0-->\n more"
        );
    }

    #[test]
    fn invalid_shortcodes_are_left_out_and_not_numbered() {
        let source = "a{{bad}}b{{x}}";
        let found = [
            Found {
                span: 1..8,
                kind: FoundKind::Invalid,
            },
            item(9..14),
        ];
        let assembled = assemble(source, &found);
        assert_eq!(assembled.text, "ab<!--lantai:sc:0-->");
        assert_eq!(assembled.placed, vec![1]);
    }

    #[test]
    fn excerpt_source_is_dedented_without_nested_shortcodes() {
        let source = "  {%e%}\n    line one {{n}}\n    line two\n  {%end%}";
        let body = 7..source.find("  {%end%}").unwrap_or(0);
        let nested = [source.find("{{n}}").map_or(0..0, |at| at..at + 5)];
        let (text, map) = excerpt_source(source, body, &nested, indentation_before(source, 2));
        assert_eq!(text, "\n  line one \n  line two\n");
        assert_eq!(map.original(3), source.find("line one").unwrap_or(0));
    }

    #[test]
    fn translation_makes_markers_canonical_and_defuses_fakes() {
        let source = "<lantai-sc-0> <!--lantai:sc:9-->";
        let markers = [MarkerSpan {
            range: 0..13,
            index: 0,
        }];
        let translated = translate_raw_html(&source[..13], &(0..13), source, &markers);
        assert_eq!(translated.html, "<!--lantai:sc:0-->");
        assert_eq!(translated.shortcodes, vec![0]);
        let fake = translate_raw_html(&source[14..], &(14..source.len()), source, &markers);
        assert_eq!(fake.html, "<!--lantai:sc&#58;9-->");
        assert!(fake.shortcodes.is_empty());
    }

    #[test]
    fn expand_replaces_markers_only() {
        let html = "<p><!--lantai:sc:0--></p><!--lantai:sc:x--><!--lantai:sc:12-->";
        let expanded = expand(html, |index| format!("[{index}]"));
        assert_eq!(expanded, "<p>[0]</p><!--lantai:sc:x-->[12]");
    }
}
