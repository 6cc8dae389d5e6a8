//! Finding and parsing shortcodes in a Markdown body.
//!
//! Three shortcodes exist (SPEC, "Shortcodes in Markdown bodies"):
//!
//! ```text
//! {{ item(id="hx-0001") }}
//! {{ figure(src="map.svg", alt="…", caption="…") }}
//! {% excerpt(item="hx-0001") %} … Markdown … {% end %}
//! ```
//!
//! Arguments are `name="value"` or `name='value'`, in any order, separated by
//! commas and/or whitespace. Values have no escapes: a value that contains a
//! `"` is written in single quotes. A shortcode may span lines but not a blank
//! line, so a forgotten `}}` is reported where it was forgotten instead of
//! swallowing the rest of the document.
//!
//! The scanner works on the body as written and skips the code ranges found
//! by the first Markdown pass, so shortcodes shown in code stay literal; so
//! does `\\{{`, Markdown's escaped brace.

use std::ops::Range;

use super::Problem;

/// A shortcode found in the body, at `span` of the body as written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    pub(super) span: Range<usize>,
    pub(super) kind: FoundKind,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum FoundKind {
    Item {
        id: String,
    },
    Figure {
        src: String,
        src_span: Range<usize>,
        alt: String,
        caption: Option<String>,
    },
    Excerpt {
        item: String,
        /// The Markdown between `%}` and `{% end %}`.
        body: Range<usize>,
        /// Shortcodes wrongly nested in the body: reported, and left out.
        nested: Vec<Range<usize>>,
    },
    /// A shortcode with a reported problem; it is left out of the output.
    Invalid,
}

/// What `{{` and `{%` tell apart: an inline value or a block with an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delimiter {
    /// `{{ … }}`
    Braces,
    /// `{% … %}`
    Percent,
}

impl Delimiter {
    fn open(self) -> &'static str {
        match self {
            Delimiter::Braces => "{{",
            Delimiter::Percent => "{%",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Delimiter::Braces => "}}",
            Delimiter::Percent => "%}",
        }
    }
}

/// `name="value"` inside a shortcode's parentheses.
#[derive(Debug, Clone, PartialEq)]
struct Argument {
    name: String,
    name_span: Range<usize>,
    value: String,
    value_span: Range<usize>,
}

/// One `{{ … }}` or `{% … %}` as written, before its meaning is checked.
#[derive(Debug, Clone, PartialEq)]
struct Tag {
    span: Range<usize>,
    delimiter: Delimiter,
    name: String,
    name_span: Range<usize>,
    /// `None` when the name has no parentheses after it.
    arguments: Option<Vec<Argument>>,
}

/// What a tag means once its name and delimiter are checked.
enum Meaning {
    Inline(FoundKind),
    /// `item` is `None` when the arguments had problems: the excerpt is
    /// still read to its end, so its `{% end %}` is not reported as stray.
    ExcerptStart {
        item: Option<String>,
    },
    ExcerptEnd,
    Invalid,
}

/// Whether `source` has anything [`scan`] could take for a shortcode's
/// opening (`{{` or `{%`, escaped or not, in code or not).
pub(super) fn may_open(source: &str) -> bool {
    source.contains("{{") || source.contains("{%")
}

/// Finds every shortcode outside `code` (sorted, non-overlapping ranges).
pub(super) fn scan(source: &str, code: &[Range<usize>]) -> (Vec<Found>, Vec<Problem>) {
    let mut scanner = Scanner {
        source,
        code,
        problems: Vec::new(),
        endless_from: usize::MAX,
    };
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = scanner.next_opening(at) {
        let tag = match scanner.read_tag(start, &mut at) {
            Reading::Tag(tag) => tag,
            Reading::Malformed(span) => {
                found.push(Found {
                    span,
                    kind: FoundKind::Invalid,
                });
                continue;
            }
            Reading::Unclosed => continue,
        };
        match scanner.meaning(&tag) {
            Meaning::Inline(kind) => found.push(Found {
                span: tag.span.clone(),
                kind,
            }),
            Meaning::ExcerptStart { item } => {
                let excerpt = scanner.excerpt(&tag, item);
                at = excerpt.span.end;
                found.push(excerpt);
            }
            Meaning::ExcerptEnd => {
                scanner.problem(
                    tag.span.clone(),
                    "`{% end %}` without an excerpt to end",
                    "remove it, or start the quotation with `{% excerpt(item=\"…\") %}`",
                );
                found.push(Found {
                    span: tag.span.clone(),
                    kind: FoundKind::Invalid,
                });
            }
            Meaning::Invalid => found.push(Found {
                span: tag.span.clone(),
                kind: FoundKind::Invalid,
            }),
        }
    }
    (found, scanner.problems)
}

/// What reading a tag gave; problems are reported already.
enum Reading {
    Tag(Tag),
    /// Closed, but not a well-formed shortcode: left out of the output.
    Malformed(Range<usize>),
    /// Never closed, so where it ends is unknown: left as text.
    Unclosed,
}

struct Scanner<'s, 'c> {
    source: &'s str,
    code: &'c [Range<usize>],
    problems: Vec<Problem>,
    /// No `{% end %}` follows this offset: an excerpt opening after it is
    /// reported at once instead of searching to the end again.
    endless_from: usize,
}

impl Scanner<'_, '_> {
    fn problem(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        self.problems.push(Problem {
            span,
            message: message.into(),
            help: help.into(),
        });
    }

    /// The next `{{` or `{%` at or after `at` that is not inside code.
    fn next_opening(&self, mut at: usize) -> Option<usize> {
        let bytes = self.source.as_bytes();
        loop {
            let start = at + self.source.get(at..)?.find('{')?;
            if let Some(code) = self.code_around(start) {
                at = code.end.max(start + 1);
                continue;
            }
            if matches!(bytes.get(start + 1), Some(b'{' | b'%')) && !is_escaped(bytes, start) {
                return Some(start);
            }
            at = start + 1;
        }
    }

    /// The code range containing `offset`, if any.
    fn code_around(&self, offset: usize) -> Option<&Range<usize>> {
        let after = self.code.partition_point(|code| code.start <= offset);
        let code = self.code.get(after.checked_sub(1)?)?;
        code.contains(&offset).then_some(code)
    }

    /// Reads the tag opening at `start`, and moves `resume` past it.
    fn read_tag(&mut self, start: usize, resume: &mut usize) -> Reading {
        let delimiter = if self.source[start..].starts_with("{{") {
            Delimiter::Braces
        } else {
            Delimiter::Percent
        };
        let inner_start = start + 2;
        let inner_end = match find_close(self.source, inner_start, delimiter) {
            Ok(end) => end,
            Err(stop) => {
                self.report_unclosed(start, delimiter);
                // Any later opening before `stop` cannot find its end either:
                // skip them so one slip gives one problem, not one per brace.
                *resume = stop.max(inner_start);
                return Reading::Unclosed;
            }
        };
        let span = start..inner_end + 2;
        *resume = span.end;
        match parse_tag(self.source, span.clone(), delimiter) {
            Ok(tag) => Reading::Tag(tag),
            Err(problem) => {
                self.problems.push(problem);
                Reading::Malformed(span)
            }
        }
    }

    fn report_unclosed(&mut self, start: usize, delimiter: Delimiter) {
        let (open, close) = (delimiter.open(), delimiter.close());
        self.problem(
            start..start + 2,
            format!("`{open}` is never closed with `{close}`"),
            format!(
                "end the shortcode with `{close}` before the next blank line; \
                 to show `{open}` as text, put it in backticks: `` `{open}` ``"
            ),
        );
    }

    fn meaning(&mut self, tag: &Tag) -> Meaning {
        match (tag.name.as_str(), tag.delimiter) {
            ("item", Delimiter::Braces) => self.item(tag),
            ("figure", Delimiter::Braces) => self.figure(tag),
            ("excerpt", Delimiter::Percent) => match self.arguments(tag, EXCERPT) {
                Some(values) => Meaning::ExcerptStart {
                    item: Some(values.take("item")),
                },
                None => Meaning::ExcerptStart { item: None },
            },
            ("end", Delimiter::Percent) => Meaning::ExcerptEnd,
            ("item" | "figure", Delimiter::Percent) => {
                let name = &tag.name;
                self.problem(
                    tag.span.clone(),
                    format!("`{name}` is written with `{{{{ … }}}}`, not `{{% … %}}`"),
                    format!("write `{{{{ {name}(…) }}}}`"),
                );
                Meaning::Invalid
            }
            ("excerpt" | "end", Delimiter::Braces) => {
                self.problem(
                    tag.span.clone(),
                    format!(
                        "`{}` is written with `{{% … %}}`, not `{{{{ … }}}}`",
                        tag.name
                    ),
                    "a quotation is `{% excerpt(item=\"…\") %}` … Markdown … `{% end %}`",
                );
                Meaning::Invalid
            }
            (name, _) => {
                let help = match did_you_mean(name, &["item", "excerpt", "figure"]) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => "the shortcodes are `{{ item(id=\"…\") }}`, \
                             `{{ figure(src=\"…\", alt=\"…\") }}` and \
                             `{% excerpt(item=\"…\") %}` … `{% end %}`"
                        .to_string(),
                };
                self.problem(
                    tag.name_span.clone(),
                    format!("unknown shortcode `{name}`"),
                    help,
                );
                Meaning::Invalid
            }
        }
    }

    fn item(&mut self, tag: &Tag) -> Meaning {
        match self.arguments(tag, ITEM) {
            Some(values) => Meaning::Inline(FoundKind::Item {
                id: values.take("id"),
            }),
            None => Meaning::Invalid,
        }
    }

    fn figure(&mut self, tag: &Tag) -> Meaning {
        let Some(values) = self.arguments(tag, FIGURE) else {
            return Meaning::Invalid;
        };
        let src_span = values.span("src");
        Meaning::Inline(FoundKind::Figure {
            src: values.take("src"),
            src_span,
            alt: values.take("alt"),
            caption: values.get("caption"),
        })
    }

    /// Checks a tag's arguments against what its shortcode takes; reports
    /// every problem, and returns the values only when there was none.
    fn arguments<'t>(&mut self, tag: &'t Tag, takes: &[Parameter]) -> Option<Values<'t>> {
        let name = &tag.name;
        let Some(arguments) = &tag.arguments else {
            self.problem(
                tag.name_span.clone(),
                format!("`{name}` needs its arguments in parentheses"),
                format!("write {}", usage(name, takes)),
            );
            return None;
        };
        let before = self.problems.len();
        for (index, argument) in arguments.iter().enumerate() {
            self.check_argument(tag, takes, argument, &arguments[..index]);
        }
        for parameter in takes.iter().filter(|parameter| parameter.required) {
            let given = arguments.iter().find(|arg| arg.name == parameter.name);
            match given {
                None => self.problem(
                    tag.name_span.clone(),
                    format!("`{name}` needs a `{}` argument", parameter.name),
                    parameter.help.to_string(),
                ),
                Some(argument) if argument.value.trim().is_empty() => self.problem(
                    argument.value_span.clone(),
                    format!("`{}` of `{name}` is empty", parameter.name),
                    parameter.help.to_string(),
                ),
                Some(_) => {}
            }
        }
        (self.problems.len() == before).then_some(Values(arguments))
    }

    fn check_argument(
        &mut self,
        tag: &Tag,
        takes: &[Parameter],
        argument: &Argument,
        earlier: &[Argument],
    ) {
        let name = &tag.name;
        if !takes
            .iter()
            .any(|parameter| parameter.name == argument.name)
        {
            let names: Vec<&str> = takes.iter().map(|parameter| parameter.name).collect();
            let help = match did_you_mean(&argument.name, &names) {
                Some(known) => format!("did you mean `{known}`?"),
                None => format!("write {}", usage(name, takes)),
            };
            self.problem(
                argument.name_span.clone(),
                format!("`{name}` has no argument `{}`", argument.name),
                help,
            );
        } else if earlier.iter().any(|other| other.name == argument.name) {
            self.problem(
                argument.name_span.clone(),
                format!("`{}` is given twice", argument.name),
                "keep only one of them",
            );
        }
    }

    /// Reads an excerpt's body up to its `{% end %}`.
    fn excerpt(&mut self, opening: &Tag, item: Option<String>) -> Found {
        let body_start = opening.span.end;
        let mut nested = Vec::new();
        let mut nested_problems = Vec::new();
        let mut at = body_start;
        let outer_problems = std::mem::take(&mut self.problems);
        while let Some(start) = self
            .next_opening(at)
            .filter(|_| body_start < self.endless_from)
        {
            let tag = match self.read_tag(start, &mut at) {
                Reading::Tag(tag) => tag,
                Reading::Malformed(span) => {
                    nested.push(span);
                    continue;
                }
                Reading::Unclosed => continue,
            };
            if tag.delimiter == Delimiter::Percent && tag.name == "end" {
                nested_problems.append(&mut self.problems);
                self.problems = outer_problems;
                self.problems.append(&mut nested_problems);
                let kind = match item {
                    Some(item) => FoundKind::Excerpt {
                        item,
                        body: body_start..tag.span.start,
                        nested,
                    },
                    None => FoundKind::Invalid,
                };
                return Found {
                    span: opening.span.start..tag.span.end,
                    kind,
                };
            }
            nested_problems.push(Problem {
                span: tag.span.clone(),
                message: "shortcodes cannot be nested inside an excerpt".to_string(),
                help: "end the excerpt with `{% end %}` before this shortcode".to_string(),
            });
            nested.push(tag.span);
        }
        // No end: what followed is scanned again as ordinary body, so its
        // shortcodes are not reported as nested.
        self.problems = outer_problems;
        self.endless_from = self.endless_from.min(body_start);
        self.problem(
            opening.span.clone(),
            "`{% excerpt %}` without `{% end %}`",
            "end the quotation with `{% end %}` on a line of its own",
        );
        Found {
            span: opening.span.clone(),
            kind: FoundKind::Invalid,
        }
    }
}

/// An argument a shortcode takes.
struct Parameter {
    name: &'static str,
    required: bool,
    /// Said when the argument is missing or empty.
    help: &'static str,
}

const ITEM: &[Parameter] = &[Parameter {
    name: "id",
    required: true,
    help: "name the archive item by its id: `{{ item(id=\"hx-0001\") }}`",
}];

const FIGURE: &[Parameter] = &[
    Parameter {
        name: "src",
        required: true,
        help: "give the image's path, relative to this file's folder: `src=\"map.svg\"`",
    },
    Parameter {
        name: "alt",
        required: true,
        help: "describe what the image shows for readers who cannot see it: `alt=\"…\"`",
    },
    Parameter {
        name: "caption",
        required: false,
        help: "",
    },
];

const EXCERPT: &[Parameter] = &[Parameter {
    name: "item",
    required: true,
    help: "name the quoted archive item by its id: `{% excerpt(item=\"hx-0001\") %}`",
}];

/// How a shortcode is written, for help lines.
fn usage(name: &str, takes: &[Parameter]) -> String {
    let arguments: Vec<String> = takes
        .iter()
        .map(|parameter| format!("{}=\"…\"", parameter.name))
        .collect();
    let arguments = arguments.join(", ");
    if name == "excerpt" {
        format!("`{{% {name}({arguments}) %}}`")
    } else {
        format!("`{{{{ {name}({arguments}) }}}}`")
    }
}

/// The checked arguments of a shortcode.
struct Values<'t>(&'t [Argument]);

impl Values<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|argument| argument.name == name)
            .map(|argument| argument.value.clone())
    }

    /// A required argument; checked to be present before `Values` exists.
    fn take(&self, name: &str) -> String {
        self.get(name).unwrap_or_default()
    }

    fn span(&self, name: &str) -> Range<usize> {
        self.0
            .iter()
            .find(|argument| argument.name == name)
            .map(|argument| argument.value_span.clone())
            .unwrap_or_default()
    }
}

/// Whether the byte at `at` follows an odd number of backslashes: `\\{{` is
/// Markdown's way of writing a literal brace, so it opens no shortcode.
fn is_escaped(bytes: &[u8], at: usize) -> bool {
    let backslashes = bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 1
}

/// Finds where the inside of a tag ends (the offset of its closing
/// delimiter), starting at `from`. Quoted values may contain the closing
/// delimiter. Returns `Err(stop)` when a blank line or the end of the text
/// comes first; `stop` is where the search gave up.
fn find_close(source: &str, from: usize, delimiter: Delimiter) -> Result<usize, usize> {
    let close = delimiter.close();
    let mut quote: Option<char> = None;
    // A quote opens a value only right after `=`, so an apostrophe in a
    // misspelt name does not hide the closing delimiter.
    let mut after_equals = false;
    let rest = source.get(from..).unwrap_or_default();
    for (offset, c) in rest.char_indices() {
        let at = from + offset;
        if c == '\n' && is_blank_line_after(rest, offset) {
            return Err(at);
        }
        if let Some(open) = quote {
            if c == open {
                quote = None;
            }
            continue;
        }
        if rest[offset..].starts_with(close) {
            return Ok(at);
        }
        if (c == '"' || c == '\'') && after_equals {
            quote = Some(c);
        }
        after_equals = c == '=' || (after_equals && c.is_whitespace());
    }
    Err(source.len())
}

/// Whether the line after the newline at `newline` of `text` is blank.
fn is_blank_line_after(text: &str, newline: usize) -> bool {
    let next_line = &text[newline + 1..];
    let line = next_line.split('\n').next().unwrap_or_default();
    line.trim().is_empty()
}

/// Parses the tag at `span` of `source`: its delimiters, and
/// `name(arg="value", …)` between them.
fn parse_tag(source: &str, span: Range<usize>, delimiter: Delimiter) -> Result<Tag, Problem> {
    let mut cursor = Cursor {
        source,
        at: span.start + delimiter.open().len(),
        end: span.end - delimiter.close().len(),
    };
    cursor.skip_whitespace();
    let name_span = cursor.identifier().ok_or_else(|| {
        cursor.unexpected(
            "a shortcode name",
            "shortcodes look like `{{ item(id=\"…\") }}`; \
             to show `{{` or `{%` as text, put it in backticks",
        )
    })?;
    let name = source[name_span.clone()].to_string();
    cursor.skip_whitespace();
    let arguments = if cursor.eat('(') {
        Some(cursor.arguments()?)
    } else {
        None
    };
    cursor.skip_whitespace();
    if cursor.peek().is_some() {
        let expected = if arguments.is_some() {
            "the end of the shortcode"
        } else {
            "`(`"
        };
        return Err(cursor.unexpected(expected, "write the shortcode as `name(arg=\"value\")`"));
    }
    Ok(Tag {
        span,
        delimiter,
        name,
        name_span,
        arguments,
    })
}

/// Reads a tag's inside, one character at a time, within `at..end`.
struct Cursor<'s> {
    source: &'s str,
    at: usize,
    end: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.source.get(self.at..self.end)?.chars().next()
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.at += expected.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.at += c.len_utf8();
        }
    }

    fn identifier(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            return None;
        }
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        {
            self.at += c.len_utf8();
        }
        Some(start..self.at)
    }

    /// Reads arguments after `(` up to and including `)`.
    fn arguments(&mut self) -> Result<Vec<Argument>, Problem> {
        let mut arguments = Vec::new();
        loop {
            while self.peek().is_some_and(|c| c.is_whitespace() || c == ',') {
                self.skip_whitespace();
                self.eat(',');
            }
            if self.eat(')') {
                return Ok(arguments);
            }
            arguments.push(self.argument()?);
        }
    }

    fn argument(&mut self) -> Result<Argument, Problem> {
        let name_span = self.identifier().ok_or_else(|| {
            self.unexpected(
                "an argument name or `)`",
                "arguments are written `name=\"value\"`, separated by commas",
            )
        })?;
        self.skip_whitespace();
        if !self.eat('=') {
            return Err(self.unexpected("`=`", "arguments are written `name=\"value\"`"));
        }
        self.skip_whitespace();
        let (value, value_span) = self.quoted()?;
        Ok(Argument {
            name: self.source[name_span.clone()].to_string(),
            name_span,
            value,
            value_span,
        })
    }

    /// Reads a value in straight single or double quotes.
    fn quoted(&mut self) -> Result<(String, Range<usize>), Problem> {
        let quote = match self.peek() {
            Some(c @ ('"' | '\'')) => c,
            _ => {
                return Err(self.unexpected(
                    "a quoted value",
                    "put the value in straight quotes: `name=\"value\"` \
                     (not Chinese quotes “”)",
                ));
            }
        };
        let open = self.at;
        self.at += 1;
        let inside = &self.source[self.at..self.end];
        let Some(length) = inside.find(quote) else {
            return Err(Problem {
                span: open..open + 1,
                message: format!("this `{quote}` is never closed"),
                help: format!("end the value with `{quote}`"),
            });
        };
        let value_span = self.at..self.at + length;
        self.at = value_span.end + 1;
        Ok((self.source[value_span.clone()].to_string(), value_span))
    }

    /// A problem at the current character: `expected` was expected.
    fn unexpected(&self, expected: &str, help: &str) -> Problem {
        let Some(found) = self.peek() else {
            return Problem {
                span: self.end..self.end + 2,
                message: format!("expected {expected}, found the end of the shortcode"),
                help: help.to_string(),
            };
        };
        let help = match fullwidth_hint(found) {
            Some(hint) => hint,
            None => help.to_string(),
        };
        Problem {
            span: self.at..self.at + found.len_utf8(),
            message: format!("expected {expected}, found `{found}`"),
            help,
        }
    }
}

/// Help for a full-width character typed where ASCII punctuation belongs,
/// an easy slip with a Chinese input method.
fn fullwidth_hint(found: char) -> Option<String> {
    let ascii = match found {
        '（' => "(",
        '）' => ")",
        '，' => ",",
        '＝' => "=",
        '“' | '”' | '＂' => "\"",
        '‘' | '’' => "'",
        _ => return None,
    };
    Some(format!(
        "`{found}` is a full-width character: write the ASCII `{ascii}` instead"
    ))
}

/// The known name closest to `name`, when close enough to be a typo.
pub(super) fn did_you_mean<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let name = name.to_lowercase();
    let limit = |candidate: &str| (candidate.chars().count() / 3).max(1);
    known
        .iter()
        // A name much longer or shorter is no typo; skipping it also keeps
        // the distance table small for a pasted wall of text.
        .filter(|candidate| {
            name.chars().count().abs_diff(candidate.chars().count()) <= limit(candidate)
        })
        .map(|candidate| (edit_distance(&name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= limit(candidate))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance in characters, counting a swap of two neighbours as one
/// edit (`itme` → `item`), the commonest typo.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // distances[i][j]: between the first i chars of a and the first j of b.
    let mut distances = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in distances.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in distances[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = distances[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution
                .min(distances[i - 1][j] + 1)
                .min(distances[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(distances[i - 2][j - 2] + 1);
            }
            distances[i][j] = best;
        }
    }
    distances[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(source: &str) -> (Vec<Found>, Vec<Problem>) {
        scan(source, &[])
    }

    #[test]
    fn reads_item_with_either_quotes_and_spacing() {
        for source in [
            r#"{{ item(id="hx-0001") }}"#,
            "{{item(id='hx-0001')}}",
            "{{  item ( id = \"hx-0001\" , )  }}",
        ] {
            let (found, problems) = scan_all(source);
            assert!(problems.is_empty(), "{source}: {problems:?}");
            assert_eq!(
                found,
                vec![Found {
                    span: 0..source.len(),
                    kind: FoundKind::Item {
                        id: "hx-0001".into()
                    }
                }]
            );
        }
    }

    #[test]
    fn reads_figure_arguments_in_any_order() {
        let source = r#"{{ figure(caption='他说"好"', alt="地图" src="map.svg") }}"#;
        let (found, problems) = scan_all(source);
        assert!(problems.is_empty(), "{problems:?}");
        let FoundKind::Figure {
            src,
            src_span,
            alt,
            caption,
        } = &found[0].kind
        else {
            panic!("not a figure: {found:?}");
        };
        assert_eq!(src, "map.svg");
        assert_eq!(&source[src_span.clone()], "map.svg");
        assert_eq!(alt, "地图");
        assert_eq!(caption.as_deref(), Some("他说\"好\""));
    }

    #[test]
    fn closing_delimiter_inside_a_value_does_not_close() {
        let source = r#"{{ figure(src="a.png", alt="a }} b") }}"#;
        let (found, problems) = scan_all(source);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found[0].span, 0..source.len());
    }

    #[test]
    fn shortcode_may_span_lines_but_not_a_blank_line() {
        let (found, problems) = scan_all("{{ figure(src=\"a.png\",\n  alt=\"x\") }}");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found.len(), 1);

        let (found, problems) = scan_all("{{ figure(src=\"a.png\",\n\nalt=\"x\") }}");
        assert!(found.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("never closed"));
    }

    #[test]
    fn skips_code_ranges() {
        let source = "`{{ item(id=\"a\") }}` {{ item(id=\"b\") }}";
        let code = 0..20;
        let (found, _) = scan(source, std::slice::from_ref(&code));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FoundKind::Item { id: "b".into() });
    }

    #[test]
    fn may_open_wherever_scan_finds_anything() {
        let sources = [
            r#"{{ item(id="a") }}"#,
            "{% excerpt(item=\"a\") %}\n引文\n{% end %}",
            r#"{{ figur(src="a") }}"#,
            "{{ unclosed",
            "{%",
            "a { b } {c} 中文",
            "plain text",
        ];
        for source in sources {
            let (found, problems) = scan(source, &[]);
            if !found.is_empty() || !problems.is_empty() {
                assert!(may_open(source), "{source}");
            }
        }
        assert!(!may_open("a { b } {c} 中文"));
    }

    #[test]
    fn suggests_known_names() {
        let (_, problems) = scan_all(r#"{{ figur(src="a") }}"#);
        assert_eq!(problems[0].message, "unknown shortcode `figur`");
        assert_eq!(problems[0].help, "did you mean `figure`?");
        assert_eq!(problems[0].span, 3..8);

        let (_, problems) = scan_all(r#"{{ figure(src="a", alt="b", captoin="c") }}"#);
        assert_eq!(problems[0].message, "`figure` has no argument `captoin`");
        assert_eq!(problems[0].help, "did you mean `caption`?");
    }

    #[test]
    fn missing_alt_is_a_problem_with_help() {
        let (found, problems) = scan_all(r#"{{ figure(src="a.png") }}"#);
        assert_eq!(found[0].kind, FoundKind::Invalid);
        assert_eq!(problems[0].message, "`figure` needs a `alt` argument");
        assert!(problems[0].help.contains("alt="));
    }

    #[test]
    fn full_width_punctuation_gets_a_hint() {
        let (_, problems) = scan_all("{{ item（id=\"a\"） }}");
        assert!(problems[0].help.contains("full-width"), "{problems:?}");
        let (_, problems) = scan_all("{{ item(id=“a”) }}");
        assert!(problems[0].help.contains("full-width"), "{problems:?}");
    }

    #[test]
    fn excerpt_runs_to_its_end() {
        let source = "{% excerpt(item=\"a\") %}\n引文\n{% end %}";
        let (found, problems) = scan_all(source);
        assert!(problems.is_empty(), "{problems:?}");
        let FoundKind::Excerpt { item, body, nested } = &found[0].kind else {
            panic!("not an excerpt: {found:?}");
        };
        assert_eq!(item, "a");
        assert_eq!(&source[body.clone()], "\n引文\n");
        assert!(nested.is_empty());
        assert_eq!(found[0].span, 0..source.len());
    }

    #[test]
    fn nested_shortcodes_and_stray_ends_are_problems() {
        let source = "{% excerpt(item=\"a\") %} {{ item(id=\"b\") }} {% end %} {% end %}";
        let (found, problems) = scan_all(source);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "shortcodes cannot be nested inside an excerpt",
                "`{% end %}` without an excerpt to end"
            ]
        );
        assert!(matches!(&found[0].kind, FoundKind::Excerpt { nested, .. } if nested.len() == 1));
    }

    #[test]
    fn excerpt_with_bad_arguments_still_owns_its_end() {
        let (found, problems) = scan_all("{% excerpt %}\n引文\n{% end %}");
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages, ["`excerpt` needs its arguments in parentheses"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FoundKind::Invalid);
    }

    #[test]
    fn unterminated_excerpt_does_not_swallow_the_rest() {
        let source = "{% excerpt(item=\"a\") %}\n\n{{ item(id=\"b\") }}";
        let (found, problems) = scan_all(source);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "`{% excerpt %}` without `{% end %}`");
        assert_eq!(found[0].kind, FoundKind::Invalid);
        assert_eq!(found[1].kind, FoundKind::Item { id: "b".into() });
    }

    #[test]
    fn wrong_delimiters_are_explained() {
        let (_, problems) = scan_all(r#"{% item(id="a") %}"#);
        assert!(problems[0].message.contains("`{{ … }}`"), "{problems:?}");
        let (_, problems) = scan_all(r#"{{ excerpt(item="a") }}"#);
        assert!(problems[0].message.contains("`{% … %}`"), "{problems:?}");
    }

    #[test]
    fn malformed_shortcodes_are_left_out_but_unclosed_ones_stay() {
        let (found, problems) = scan_all("{{ 中文 }} {{ item(id=\"a\"");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            found,
            vec![Found {
                span: 0..12,
                kind: FoundKind::Invalid
            }]
        );
    }

    #[test]
    fn unclosed_opening_reports_once_per_paragraph() {
        let (_, problems) = scan_all("{{ {{ {{ text\n\nmore {{ item }}");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].span, 0..2);
    }

    #[test]
    fn escaped_brace_opens_nothing() {
        let (found, problems) = scan_all(r#"\{{ item(id="a") }} \\{{ item(id="b") }}"#);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, FoundKind::Item { id: "b".into() });
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("figur", "figure"), 1);
        assert_eq!(edit_distance("itme", "item"), 1);
        assert_eq!(edit_distance("图", "item"), 4);
        assert_eq!(did_you_mean("ITEM", &["item"]), Some("item"));
        assert_eq!(did_you_mean("zzz", &["item", "figure"]), None);
    }
}
