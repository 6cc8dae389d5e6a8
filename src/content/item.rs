//! Archive items (档案条目): `content/archive/<id>.md`.

use std::path::Path;

use super::date::HistoricalDate;
use super::fields::FieldReader;
use super::{Body, Common, Located, read_common};
use crate::diagnostics::{Diagnostic, Location, codes, did_you_mean};

pub const ITEM_FIELDS: &[&str] = &[
    "title",
    "draft",
    "weight",
    "extra",
    "ref",
    "date",
    "type",
    "creator",
    "fonds",
    "repository",
    "extent",
    "language",
    "source",
    "access",
    "rights",
    "people",
    "places",
    "tags",
    "images",
    "published",
];

const IMAGE_FIELDS: &[&str] = &["src", "alt", "caption"];

/// The kind of record an item is (类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemType {
    Document,
    Photograph,
    Newspaper,
    Manuscript,
    Letter,
    Object,
    Audio,
    Video,
    Map,
}

impl ItemType {
    pub const ALL: [ItemType; 9] = [
        ItemType::Document,
        ItemType::Photograph,
        ItemType::Newspaper,
        ItemType::Manuscript,
        ItemType::Letter,
        ItemType::Object,
        ItemType::Audio,
        ItemType::Video,
        ItemType::Map,
    ];

    /// The code written in front matter (`letter`).
    pub fn code(self) -> &'static str {
        match self {
            ItemType::Document => "document",
            ItemType::Photograph => "photograph",
            ItemType::Newspaper => "newspaper",
            ItemType::Manuscript => "manuscript",
            ItemType::Letter => "letter",
            ItemType::Object => "object",
            ItemType::Audio => "audio",
            ItemType::Video => "video",
            ItemType::Map => "map",
        }
    }

    /// The Chinese label (`信函`).
    pub fn label(self) -> &'static str {
        match self {
            ItemType::Document => "文书",
            ItemType::Photograph => "照片",
            ItemType::Newspaper => "报刊",
            ItemType::Manuscript => "手稿",
            ItemType::Letter => "信函",
            ItemType::Object => "实物",
            ItemType::Audio => "音频",
            ItemType::Video => "视频",
            ItemType::Map => "地图",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(text: &str) -> Option<ItemType> {
        let text = text.trim();
        ItemType::ALL
            .into_iter()
            .find(|t| t.code() == text.to_ascii_lowercase() || t.label() == text)
    }
}

/// Whether an item may be published (开放状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    #[default]
    Public,
    Restricted,
}

/// One image of an item: a scan or a photograph.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Relative to the item's media folder `content/archive/<id>/`.
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub location: Location,
}

/// An archive item.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub common: Common,
    /// 档号.
    pub reference: String,
    pub date: Option<Located<HistoricalDate>>,
    pub item_type: ItemType,
    /// Texts or person slugs (责任者).
    pub creator: Vec<Located<String>>,
    pub fonds: Option<String>,
    pub repository: Option<String>,
    pub extent: Option<String>,
    pub language: Option<String>,
    pub source: Option<String>,
    pub access: Access,
    pub rights: Option<String>,
    pub people: Vec<Located<String>>,
    pub places: Vec<Located<String>>,
    pub tags: Vec<Located<String>>,
    pub images: Vec<Image>,
    pub published: Option<Located<HistoricalDate>>,
    /// Description, and the transcription after `## 录文`.
    pub body: Body,
}

/// True when `id` is lowercase letters, digits and `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

pub fn read_item(fields: &mut FieldReader, file: &Path, id: &str, body: Body) -> Item {
    if !is_valid_id(id) {
        let suggestion: String = id
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        fields.diagnostics().push(
            Diagnostic::error(
                codes::BAD_FILE_NAME,
                format!("`{id}` cannot be an item id: the file name is the id, used in its URL"),
            )
            .at(Location::new(file, 1, 1))
            .help(format!(
                "rename the file using lowercase letters, digits and `-`, e.g. `{}.md`",
                suggestion.trim_matches('-')
            )),
        );
    }
    let common = read_common(fields, file, "《共产党宣言》中文首译本");
    let reference = fields
        .required_text("ref", "D2-0-1920-001")
        .map(|r| r.value)
        .unwrap_or_default();
    let date = fields.date("date");
    if date.is_none() && fields.node("date").is_none() {
        fields.missing("date", "1920-08");
    }
    let item_type = read_type(fields);
    let access = read_access(fields);
    Item {
        id: id.to_string(),
        common,
        reference,
        date,
        item_type,
        creator: fields.text_list("creator"),
        fonds: fields.text("fonds").map(|v| v.value),
        repository: fields.text("repository").map(|v| v.value),
        extent: fields.text("extent").map(|v| v.value),
        language: fields.text("language").map(|v| v.value),
        source: fields.text("source").map(|v| v.value),
        access,
        rights: fields.text("rights").map(|v| v.value),
        people: fields.text_list("people"),
        places: fields.text_list("places"),
        tags: fields.text_list("tags"),
        images: read_images(fields),
        published: fields.date("published"),
        body,
    }
}

fn read_type(fields: &mut FieldReader) -> ItemType {
    let codes_list: Vec<&str> = ItemType::ALL.iter().map(|t| t.code()).collect();
    match fields.text("type") {
        Some(text) => ItemType::parse(&text.value).unwrap_or_else(|| {
            let help = match did_you_mean(&text.value, &codes_list) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("use one of: {}", describe_types()),
            };
            fields.diagnostics().push(
                Diagnostic::error(
                    codes::BAD_VALUE,
                    format!("`{}` is not a type of archive item", text.value),
                )
                .at(text.location.with_length(text.value.chars().count()))
                .label("unknown type")
                .help(help),
            );
            ItemType::Document
        }),
        None => {
            if fields.node("type").is_none() {
                fields.missing("type", "document");
            }
            ItemType::Document
        }
    }
}

fn describe_types() -> String {
    ItemType::ALL
        .iter()
        .map(|t| format!("{} ({})", t.code(), t.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_access(fields: &mut FieldReader) -> Access {
    let Some(text) = fields.text("access") else {
        return Access::Public;
    };
    match text.value.trim() {
        "public" | "开放" => Access::Public,
        "restricted" | "控制" | "不开放" => Access::Restricted,
        other => {
            let diagnostic = Diagnostic::error(
                codes::BAD_VALUE,
                format!("`{other}` is not an access status"),
            )
            .at(text.location.with_length(other.chars().count()))
            .help("write `access: public` or `access: restricted`");
            fields.diagnostics().push(diagnostic);
            // When in doubt, do not publish.
            Access::Restricted
        }
    }
}

fn read_images(fields: &mut FieldReader) -> Vec<Image> {
    let nodes = fields.list_of_maps("images", "[{src: scan.png, alt: 信函首页}]");
    let mut images = Vec::new();
    for node in nodes {
        let location = fields.location(node.span);
        let mut image_fields = fields.nested(node, "an image", IMAGE_FIELDS);
        let src = image_fields.required_text("src", "scan-1.png");
        let alt = image_fields.required_text("alt", "信函首页，毛笔竖写");
        let caption = image_fields.text("caption").map(|c| c.value);
        image_fields.finish();
        if let (Some(src), Some(alt)) = (src, alt) {
            images.push(Image {
                src: src.value,
                alt: alt.value,
                caption,
                location,
            });
        }
    }
    images
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_ascii() {
        assert!(is_valid_id("hx-0001"));
        assert!(!is_valid_id("HX-0001"));
        assert!(!is_valid_id("档案1"));
        assert!(!is_valid_id("-a"));
    }

    #[test]
    fn types_parse_from_code_or_label() {
        assert_eq!(ItemType::parse("letter"), Some(ItemType::Letter));
        assert_eq!(ItemType::parse("信函"), Some(ItemType::Letter));
        assert_eq!(ItemType::parse("leter"), None);
    }
}
