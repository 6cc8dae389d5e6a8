//! Reading typed front-matter fields out of a YAML node tree.
//!
//! A `FieldReader` walks one mapping. Each accessor takes a field by name,
//! checks its type and reports a located diagnostic when it is wrong; at the
//! end, `finish` reports every field nobody asked for as unknown, with a
//! did-you-mean hint. So one file reports all of its problems at once.

use std::path::Path;

use super::Located;
use super::date::HistoricalDate;
use super::yaml::{Key, Node, Span, Value};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes, did_you_mean};

/// Reads the fields of one YAML mapping of one file.
pub struct FieldReader<'a> {
    file: &'a Path,
    /// Added to YAML lines to get file lines.
    line_offset: usize,
    entries: &'a [(Key, Node)],
    used: Vec<bool>,
    /// What the mapping is, for messages: "an archive item".
    what: &'a str,
    known: &'a [&'a str],
    mapping_span: Span,
    diagnostics: &'a mut Diagnostics,
}

impl<'a> FieldReader<'a> {
    /// A reader over `node`, which must be a mapping; anything else is
    /// reported and read as an empty mapping.
    pub fn new(
        file: &'a Path,
        line_offset: usize,
        node: &'a Node,
        what: &'a str,
        known: &'a [&'a str],
        diagnostics: &'a mut Diagnostics,
    ) -> Self {
        let entries: &[(Key, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            other => {
                diagnostics.push(
                    Diagnostic::error(
                        codes::WRONG_TYPE,
                        format!(
                            "the front matter of {what} must be fields, not {}",
                            other.kind_name()
                        ),
                    )
                    .at(location(file, line_offset, node.span))
                    .help("write one `name: value` field per line, e.g. `title: 共产党宣言`"),
                );
                &[]
            }
        };
        FieldReader {
            file,
            line_offset,
            entries,
            used: vec![false; entries.len()],
            what,
            known,
            mapping_span: node.span,
            diagnostics,
        }
    }

    /// The location of a span of this file's YAML.
    pub fn location(&self, span: Span) -> Location {
        location(self.file, self.line_offset, span)
    }

    /// The location of the mapping itself (for "missing field" errors).
    pub fn mapping_location(&self) -> Location {
        self.location(Span {
            line: self.mapping_span.line.max(1),
            column: 1,
        })
    }

    pub fn diagnostics(&mut self) -> &mut Diagnostics {
        self.diagnostics
    }

    /// Takes the raw node of field `name`, marking it as known.
    pub fn node(&mut self, name: &str) -> Option<&'a Node> {
        let index = self.entries.iter().position(|(k, _)| k.name == name)?;
        self.used[index] = true;
        let node = &self.entries[index].1;
        (node.value != Value::Null).then_some(node)
    }

    fn wrong_type(&mut self, name: &str, node: &Node, expected: &str, example: &str) {
        let diagnostic = Diagnostic::error(
            codes::WRONG_TYPE,
            format!(
                "field `{name}` of {} must be {expected}, not {}",
                self.what,
                node.value.kind_name()
            ),
        )
        .at(self.location(node.span))
        .label(format!("expected {expected}"))
        .help(format!("write it like `{name}: {example}`"));
        self.diagnostics.push(diagnostic);
    }

    /// A text field; numbers and booleans written without quotes are read as
    /// the text they spell.
    pub fn text(&mut self, name: &str) -> Option<Located<String>> {
        let node = self.node(name)?;
        match node.value.as_scalar_text() {
            Some(text) => Some(Located::new(text, self.location(node.span))),
            None => {
                self.wrong_type(name, node, "text", "…");
                None
            }
        }
    }

    /// A text field that must be present and not blank.
    pub fn required_text(&mut self, name: &str, example: &str) -> Option<Located<String>> {
        let value = self.text(name);
        match value {
            Some(v) if !v.value.trim().is_empty() => Some(v),
            Some(v) => {
                let diagnostic = Diagnostic::error(
                    codes::MISSING_FIELD,
                    format!("field `{name}` of {} is empty", self.what),
                )
                .at(v.location.clone())
                .help(format!("write it like `{name}: {example}`"));
                self.diagnostics.push(diagnostic);
                None
            }
            None => {
                if !self.entries.iter().any(|(k, _)| k.name == name) {
                    self.missing(name, example);
                }
                None
            }
        }
    }

    /// Reports that a required field is absent.
    pub fn missing(&mut self, name: &str, example: &str) {
        // A misspelt field (`dte`) is reported as unknown with "did you
        // mean `date`?"; a second error for the missing `date` adds nothing.
        let misspelt = self.entries.iter().any(|(key, _)| {
            !self.known.contains(&key.name.as_str())
                && did_you_mean(&key.name, self.known) == Some(name)
        });
        if misspelt {
            return;
        }
        let diagnostic = Diagnostic::error(
            codes::MISSING_FIELD,
            format!("{} needs the field `{name}`", self.what),
        )
        .at(self.mapping_location())
        .help(format!(
            "add a line `{name}: {example}` to the front matter"
        ));
        self.diagnostics.push(diagnostic);
    }

    pub fn bool(&mut self, name: &str) -> Option<bool> {
        let node = self.node(name)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(name, node, "true or false", "true");
                None
            }
        }
    }

    pub fn integer(&mut self, name: &str) -> Option<i64> {
        let node = self.node(name)?;
        match node.value {
            Value::Integer(i) => Some(i),
            _ => {
                self.wrong_type(name, node, "a whole number", "10");
                None
            }
        }
    }

    pub fn number(&mut self, name: &str) -> Option<f64> {
        let node = self.node(name)?;
        match node.value {
            Value::Integer(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => {
                self.wrong_type(name, node, "a number", "31.22");
                None
            }
        }
    }

    /// A historical date; see `date.rs` for the forms accepted.
    pub fn date(&mut self, name: &str) -> Option<Located<HistoricalDate>> {
        let node = self.node(name)?;
        let Some(text) = node.value.as_scalar_text() else {
            self.wrong_type(name, node, "a date", "1921-07-23");
            return None;
        };
        let at = self.location(node.span);
        match HistoricalDate::parse(&text) {
            Ok(date) => Some(Located::new(date, at)),
            Err(error) => {
                let code = if error.message.starts_with("impossible") {
                    codes::IMPOSSIBLE_DATE
                } else {
                    codes::BAD_DATE
                };
                let mut spot = at.clone();
                spot.column += error.offset;
                let diagnostic = Diagnostic::error(code, error.message)
                    .at(spot.with_length(text.chars().count().saturating_sub(error.offset)))
                    .help(error.help);
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// A list of texts; a single text is accepted as a list of one.
    pub fn text_list(&mut self, name: &str) -> Vec<Located<String>> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.value {
            Value::List(items) => {
                let mut texts = Vec::new();
                for item in items {
                    match item.value.as_scalar_text() {
                        Some(text) => texts.push(Located::new(text, self.location(item.span))),
                        None => self.wrong_type(name, item, "a list of texts", "[甲, 乙]"),
                    }
                }
                texts
            }
            value => match value.as_scalar_text() {
                Some(text) => vec![Located::new(text, self.location(node.span))],
                None => {
                    self.wrong_type(name, node, "a list of texts", "[甲, 乙]");
                    Vec::new()
                }
            },
        }
    }

    /// A list of mappings, each read by `read_entry` with its own reader.
    pub fn list_of_maps(&mut self, name: &str, example: &str) -> Vec<&'a Node> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.value {
            Value::List(items) => items.iter().collect(),
            _ => {
                self.wrong_type(name, node, "a list", example);
                Vec::new()
            }
        }
    }

    /// The free-form `extra:` map, as JSON for templates.
    pub fn extra(&mut self) -> serde_json::Value {
        match self.node("extra") {
            Some(node) => match &node.value {
                Value::Map(_) => to_json(&node.value),
                _ => {
                    self.wrong_type("extra", node, "a map of fields", "{ key: value }");
                    serde_json::Value::Null
                }
            },
            None => serde_json::Value::Object(Default::default()),
        }
    }

    /// A sub-reader over a nested mapping of the same file.
    pub fn nested<'b>(
        &'b mut self,
        node: &'a Node,
        what: &'b str,
        known: &'b [&'b str],
    ) -> FieldReader<'b>
    where
        'a: 'b,
    {
        FieldReader::new(
            self.file,
            self.line_offset,
            node,
            what,
            known,
            self.diagnostics,
        )
    }

    /// Reports every field that no accessor took and that is not known.
    pub fn finish(self) {
        for ((key, _), used) in self.entries.iter().zip(&self.used) {
            if *used || self.known.contains(&key.name.as_str()) {
                continue;
            }
            let mut diagnostic = Diagnostic::error(
                codes::UNKNOWN_FIELD,
                format!("unknown field `{}` in {}", key.name, self.what),
            )
            .at(location(self.file, self.line_offset, key.span)
                .with_length(key.name.chars().count()))
            .label(format!("not a field of {}", self.what));
            diagnostic = match did_you_mean(&key.name, self.known) {
                Some(near) => diagnostic.help(format!("did you mean `{near}`?")),
                None => diagnostic.help(format!(
                    "the fields of {} are: {}; put anything else under `extra:`",
                    self.what,
                    self.known.join(", ")
                )),
            };
            self.diagnostics.push(diagnostic);
        }
    }
}

fn location(file: &Path, line_offset: usize, span: Span) -> Location {
    Location::new(file, span.line + line_offset, span.column.max(1))
}

/// Converts a YAML value to JSON for templates (`extra:` maps).
pub fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Integer(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(|n| to_json(&n.value)).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, n)| (k.name.clone(), to_json(&n.value)))
                .collect(),
        ),
    }
}
