//! The home page (`content/_index.md`) and free pages (`content/pages/<slug>.md`).

use std::path::Path;

use super::fields::FieldReader;
use super::{Body, Common, read_common};

pub const HOME_FIELDS: &[&str] = &["title", "draft", "weight", "extra", "description"];
pub const PAGE_FIELDS: &[&str] = &["title", "draft", "weight", "extra", "menu", "description"];

/// The home page's introduction.
#[derive(Debug, Clone)]
pub struct Home {
    pub common: Common,
    /// Meta description; defaults to the site's.
    pub description: Option<String>,
    pub body: Body,
}

/// A free page: about, visiting information.
#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub common: Common,
    /// Listed in the site navigation.
    pub menu: bool,
    pub description: Option<String>,
    pub body: Body,
}

pub fn read_home(fields: &mut FieldReader, file: &Path, body: Body) -> Home {
    Home {
        common: read_common(fields, file, "红色档案网上展厅"),
        description: fields.text("description").map(|d| d.value),
        body,
    }
}

pub fn read_page(fields: &mut FieldReader, file: &Path, slug: &str, body: Body) -> Page {
    Page {
        slug: slug.to_string(),
        common: read_common(fields, file, "关于本展"),
        menu: fields.bool("menu").unwrap_or(false),
        description: fields.text("description").map(|d| d.value),
        body,
    }
}
