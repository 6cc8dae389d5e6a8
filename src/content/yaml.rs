//! YAML front matter as a tree of values that remember where they were written.
//!
//! Front matter is parsed into this generic tree first (not straight into
//! typed structs) so that one file can report every unknown field and every
//! bad value at its own line, instead of stopping at the first serde error.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// 1-based line and column of a YAML node, relative to the YAML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

/// A YAML value with the position where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    List(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub span: Span,
    pub name: String,
}

impl Value {
    /// What kind of value this is, in words a curator understands.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "an empty value",
            Value::Bool(_) => "true/false",
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::String(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a map of fields",
        }
    }

    /// The scalar as text, the way the curator most likely meant it
    /// (`1921` written without quotes is still the text `1921`).
    pub fn as_scalar_text(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Integer(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::List(_) | Value::Map(_) => None,
        }
    }
}

/// A YAML syntax error with its position in the YAML text.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub span: Span,
    pub message: String,
}

/// Parses YAML text into a node tree. An empty document is an empty map.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    if text.trim().is_empty() {
        return Ok(Node {
            span: Span { line: 1, column: 1 },
            value: Value::Map(Vec::new()),
        });
    }
    match serde_saphyr::from_str::<Spanned<Value>>(text) {
        Ok(spanned) => Ok(Node {
            span: span_of(&spanned),
            value: spanned.value,
        }),
        Err(error) => {
            let span = error
                .location()
                .map(|l| Span {
                    line: l.line().max(1) as usize,
                    column: l.column().max(1) as usize,
                })
                .unwrap_or(Span { line: 1, column: 1 });
            Err(YamlError {
                span,
                message: first_line_of(&error.without_snippet().to_string()),
            })
        }
    }
}

/// The first line of a parser message, without the parser's own position
/// (relative to the YAML, not the file: the diagnostic names the file's).
fn first_line_of(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid YAML");
    match line.rfind(" at line ") {
        Some(cut) => line[..cut].to_string(),
        None => line.to_string(),
    }
}

fn span_of<T>(spanned: &Spanned<T>) -> Span {
    Span {
        line: spanned.referenced.line() as usize,
        column: spanned.referenced.column() as usize,
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Integer(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Integer)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Integer)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v)
            .map(Value::Integer)
            .unwrap_or(Value::Float(v as f64)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(Node {
                span: span_of(&item),
                value: item.value,
            });
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            let name = key.value.as_scalar_text().unwrap_or_default();
            entries.push((
                Key {
                    span: span_of(&key),
                    name,
                },
                Node {
                    span: span_of(&value),
                    value: value.value,
                },
            ));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(node: &Node) -> &[(Key, Node)] {
        match &node.value {
            Value::Map(entries) => entries,
            other => panic!("expected a map, got {other:?}"),
        }
    }

    #[test]
    fn keys_and_values_keep_their_lines() {
        let node = parse("title: 共产党宣言\ndate: 1920-08\nweight: 3\n").unwrap();
        let entries = entries(&node);
        assert_eq!(entries[0].0.name, "title");
        assert_eq!(entries[1].0.span, Span { line: 2, column: 1 });
        assert_eq!(entries[1].1.span, Span { line: 2, column: 7 });
        assert_eq!(entries[1].1.value, Value::String("1920-08".into()));
        assert_eq!(entries[2].1.value, Value::Integer(3));
    }

    #[test]
    fn unquoted_dates_arrive_as_text_or_numbers() {
        let node = parse("a: 1921-07-23\nb: 1921\nc: 1921~\nd: 1920-08/1921-07\n").unwrap();
        let values: Vec<Option<String>> = entries(&node)
            .iter()
            .map(|(_, n)| n.value.as_scalar_text())
            .collect();
        assert_eq!(
            values,
            vec![
                Some("1921-07-23".into()),
                Some("1921".into()),
                Some("1921~".into()),
                Some("1920-08/1921-07".into())
            ]
        );
    }

    #[test]
    fn nested_lists_keep_positions() {
        let node = parse("images:\n  - src: a.png\n    alt: 封面\n").unwrap();
        let (_, images) = &entries(&node)[0];
        let Value::List(list) = &images.value else {
            panic!("list expected")
        };
        let (key, value) = &entries(&list[0])[1];
        assert_eq!(key.name, "alt");
        assert_eq!(key.span.line, 3);
        assert_eq!(value.value, Value::String("封面".into()));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let error = parse("title: a\ntags: [建党\nx: 1\n").unwrap_err();
        assert!(error.span.line >= 2, "{error:?}");
        assert!(!error.message.is_empty());
    }

    #[test]
    fn empty_yaml_is_an_empty_map() {
        assert_eq!(parse("\n").unwrap().value, Value::Map(Vec::new()));
    }
}
