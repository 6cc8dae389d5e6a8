//! `site.yaml`: the site's configuration.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::fields::FieldReader;
use crate::content::yaml;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, codes};
use crate::images::ImageSettings;
use crate::slug;

/// Keys `site.yaml` accepts.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "institution",
    "rights",
    "output_dir",
    "slugs",
    "extra",
    "images",
];

/// The site configuration, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, ending with `/`.
    pub base_url: String,
    /// The path of `base_url`, starting and ending with `/`.
    pub base_path: String,
    pub language: String,
    pub institution: String,
    pub rights: String,
    pub output_dir: PathBuf,
    /// Tag → URL slug overrides.
    pub slugs: BTreeMap<String, String>,
    pub extra: serde_json::Value,
    /// The `images:` section: derivatives, quality, tiles.
    pub images: ImageSettings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "兰台".to_string(),
            description: String::new(),
            base_url: "http://localhost/".to_string(),
            base_path: "/".to_string(),
            language: "zh-CN".to_string(),
            institution: String::new(),
            rights: String::new(),
            output_dir: PathBuf::from("public"),
            slugs: BTreeMap::new(),
            extra: serde_json::Value::Object(Default::default()),
            images: ImageSettings::default(),
        }
    }
}

/// The file name of the configuration, relative to the site root.
pub const CONFIG_FILE: &str = "site.yaml";

impl Config {
    /// Reads `site.yaml` from `root`. Problems are reported to `diagnostics`;
    /// the returned config then has defaults where values were bad.
    pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Config {
        let path = root.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, diagnostics),
            Err(error) => {
                diagnostics.push(
                    Diagnostic::error(
                        codes::CONFIG_MISSING,
                        format!("cannot read {CONFIG_FILE}: {error}"),
                    )
                    .at(Location::file(CONFIG_FILE))
                    .help(format!(
                        "run lantai in the site's folder or pass --root; `lantai init DIR` makes a new site with a {CONFIG_FILE}"
                    )),
                );
                Config::default()
            }
        }
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(text: &str, diagnostics: &mut Diagnostics) -> Config {
        let file = Path::new(CONFIG_FILE);
        let node = match yaml::parse(text) {
            Ok(node) => node,
            Err(error) => {
                diagnostics.push(
                    Diagnostic::error(
                        codes::CONFIG_SYNTAX,
                        format!("{CONFIG_FILE} is not valid YAML: {}", error.message),
                    )
                    .at(Location::new(file, error.span.line, error.span.column))
                    .help("check the indentation and quote values that contain `: ` or start with `[`, `{` or `*`"),
                );
                return Config::default();
            }
        };
        let mut config = Config::default();
        let mut fields = FieldReader::new(file, 0, &node, "site.yaml", KNOWN_KEYS, diagnostics);
        if let Some(title) = fields.required_text("title", "红色档案网上展厅") {
            config.title = title.value;
        }
        if let Some(v) = fields.text("description") {
            config.description = v.value;
        }
        if let Some(v) = fields.text("language") {
            config.language = v.value;
        }
        if let Some(v) = fields.text("institution") {
            config.institution = v.value;
        }
        if let Some(v) = fields.text("rights") {
            config.rights = v.value;
        }
        if let Some(v) = fields.text("output_dir") {
            config.output_dir = PathBuf::from(v.value);
        }
        if let Some(base_url) = fields.text("base_url") {
            match normalize_base_url(&base_url.value) {
                Ok((url, path)) => {
                    config.base_url = url;
                    config.base_path = path;
                }
                Err(problem) => {
                    let diagnostic =
                        Diagnostic::error(codes::CONFIG_VALUE, format!("`base_url` {problem}"))
                            .at(base_url.location)
                            .help("write an absolute address, e.g. `base_url: https://example.org/exhibitions/`");
                    fields.diagnostics().push(diagnostic);
                }
            }
        }
        config.slugs = read_slugs(&mut fields);
        config.images = ImageSettings::read(&mut fields);
        config.extra = fields.extra();
        fields.finish();
        config
    }

    /// Replaces the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (url, path) = normalize_base_url(url)?;
        self.base_url = url;
        self.base_path = path;
        Ok(())
    }

    /// A root-relative URL of a site path (`archive/x/` → `/base/archive/x/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// An absolute URL of a root-relative one made by [`Config::url`].
    pub fn permalink(&self, root_relative: &str) -> String {
        let origin = self
            .base_url
            .strip_suffix(&self.base_path)
            .unwrap_or(&self.base_url);
        format!("{origin}{root_relative}")
    }
}

fn read_slugs(fields: &mut FieldReader) -> BTreeMap<String, String> {
    let mut slugs = BTreeMap::new();
    let Some(node) = fields.node("slugs") else {
        return slugs;
    };
    let yaml::Value::Map(entries) = &node.value else {
        let diagnostic = Diagnostic::error(codes::CONFIG_VALUE, "`slugs` must map tags to slugs")
            .at(fields.location(node.span))
            .help("write it like `slugs: { 重庆: chongqing }`");
        fields.diagnostics().push(diagnostic);
        return slugs;
    };
    for (key, value) in entries {
        let text = value.value.as_scalar_text().unwrap_or_default();
        if slug::is_valid_slug(&text) {
            slugs.insert(key.name.clone(), text);
        } else {
            let diagnostic = Diagnostic::error(
                codes::CONFIG_VALUE,
                format!("`{text}` is not a URL slug for the tag `{}`", key.name),
            )
            .at(fields.location(value.span))
            .help("use lowercase letters, digits and single `-`, e.g. `chongqing`");
            fields.diagnostics().push(diagnostic);
        }
    }
    slugs
}

/// Checks an absolute base URL and splits off its path.
fn normalize_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("must start with https:// or http://, not `{url}`"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("has no host name: `{url}`"));
    }
    if url.contains(['?', '#', ' ']) {
        return Err(format!("must not contain `?`, `#` or spaces: `{url}`"));
    }
    let path = match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    };
    let path = if path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    };
    let url = if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    };
    Ok((url, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let mut diagnostics = Diagnostics::new();
        let config = Config::parse(
            "title: 红色档案\ndescription: d\nbase_url: https://example.org/exhibitions\nlanguage: zh-CN\ninstitution: 馆\nrights: r\noutput_dir: out\nslugs:\n  重庆: chongqing\nextra:\n  motto: x\n",
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(config.base_url, "https://example.org/exhibitions/");
        assert_eq!(config.base_path, "/exhibitions/");
        assert_eq!(config.output_dir, PathBuf::from("out"));
        assert_eq!(config.slugs["重庆"], "chongqing");
        assert_eq!(config.url("archive/x/"), "/exhibitions/archive/x/");
        assert_eq!(
            config.permalink("/exhibitions/archive/x/"),
            "https://example.org/exhibitions/archive/x/"
        );
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let mut diagnostics = Diagnostics::new();
        Config::parse("title: t\nbase_ur: https://e.org/\n", &mut diagnostics);
        let d = diagnostics.iter().next().unwrap();
        assert_eq!(d.code, codes::UNKNOWN_FIELD);
        assert_eq!(d.help.as_deref(), Some("did you mean `base_url`?"));
        assert_eq!(d.location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn base_url_must_be_absolute() {
        let mut diagnostics = Diagnostics::new();
        Config::parse("title: t\nbase_url: /x/\n", &mut diagnostics);
        assert_eq!(diagnostics.iter().next().unwrap().code, codes::CONFIG_VALUE);
    }
}
