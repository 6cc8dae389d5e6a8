//! Authority records: people (`content/people/`) and places (`content/places/`).

use std::path::Path;

use super::date::HistoricalDate;
use super::fields::FieldReader;
use super::{Body, Common, Located, read_common};

pub const PERSON_FIELDS: &[&str] = &[
    "title", "draft", "weight", "extra", "born", "died", "aliases", "summary",
];
pub const PLACE_FIELDS: &[&str] = &[
    "title", "draft", "weight", "extra", "address", "lat", "lon", "summary",
];

/// A person (人物).
#[derive(Debug, Clone)]
pub struct Person {
    pub slug: String,
    pub common: Common,
    pub born: Option<Located<HistoricalDate>>,
    pub died: Option<Located<HistoricalDate>>,
    /// 字, 号, 笔名 and other names.
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub body: Body,
}

/// A place (地点).
#[derive(Debug, Clone)]
pub struct Place {
    pub slug: String,
    pub common: Common,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub summary: Option<String>,
    pub body: Body,
}

pub fn read_person(fields: &mut FieldReader, file: &Path, slug: &str, body: Body) -> Person {
    Person {
        slug: slug.to_string(),
        common: read_common(fields, file, "陈独秀"),
        born: fields.date("born"),
        died: fields.date("died"),
        aliases: fields
            .text_list("aliases")
            .into_iter()
            .map(|v| v.value)
            .collect(),
        summary: fields.text("summary").map(|v| v.value),
        body,
    }
}

pub fn read_place(fields: &mut FieldReader, file: &Path, slug: &str, body: Body) -> Place {
    let common = read_common(fields, file, "中共一大会址");
    let address = fields.text("address").map(|v| v.value);
    let lat = coordinate(fields, "lat", 90.0);
    let lon = coordinate(fields, "lon", 180.0);
    Place {
        slug: slug.to_string(),
        common,
        address,
        lat,
        lon,
        summary: fields.text("summary").map(|v| v.value),
        body,
    }
}

fn coordinate(fields: &mut FieldReader, name: &str, limit: f64) -> Option<f64> {
    let node = fields.node(name)?;
    let location = fields.location(node.span);
    fields.node(name);
    let value = match node.value {
        super::yaml::Value::Integer(i) => i as f64,
        super::yaml::Value::Float(f) => f,
        _ => f64::NAN,
    };
    if value.is_finite() && value.abs() <= limit {
        return Some(value);
    }
    fields.diagnostics().push(
        crate::diagnostics::Diagnostic::error(
            crate::diagnostics::codes::BAD_VALUE,
            format!("`{name}` must be a number from -{limit} to {limit}"),
        )
        .at(location)
        .help(format!("write decimal degrees, e.g. `{name}: 31.22`")),
    );
    None
}
