//! The `images:` section of `site.yaml`: what the image pipeline makes.

use crate::content::fields::FieldReader;
use crate::content::yaml;
use crate::diagnostics::{Diagnostic, Location, codes};

/// Keys of the `images:` mapping.
const KNOWN_KEYS: &[&str] = &["widths", "quality", "webp", "tiles", "tile_size"];

/// Widths a derivative may have; smaller is useless, larger is what tiles are for.
const WIDTH_RANGE: std::ops::RangeInclusive<i64> = 16..=8192;
/// Tile edges viewers handle well.
const TILE_RANGE: std::ops::RangeInclusive<i64> = 128..=2048;

/// How raster images are published. The defaults suit scans read on phones
/// and desktops alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSettings {
    /// Widths of the responsive derivatives, ascending. An image is never
    /// scaled up: widths at or above its own are left out.
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1–100.
    pub quality: u8,
    /// Also write each derivative as lossy WebP (smaller; JPEG stays the fallback).
    pub webp: bool,
    /// Cut item images into an IIIF tile pyramid for the deep-zoom viewer.
    pub tiles: bool,
    /// Edge of a square tile, in pixels.
    pub tile_size: u32,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: vec![320, 800, 1600],
            quality: 80,
            webp: true,
            tiles: true,
            tile_size: 512,
        }
    }
}

impl ImageSettings {
    /// Reads the `images:` mapping; bad values are reported and replaced
    /// by their defaults.
    pub fn read(fields: &mut FieldReader) -> ImageSettings {
        let mut settings = ImageSettings::default();
        let Some(node) = fields.node("images") else {
            return settings;
        };
        let mut images = fields.nested(node, "the `images` settings", KNOWN_KEYS);
        if let Some(widths) = read_widths(&mut images) {
            settings.widths = widths;
        }
        if let Some((quality, at)) = integer(&mut images, "quality") {
            match u8::try_from(quality) {
                Ok(q) if (1..=100).contains(&q) => settings.quality = q,
                _ => bad_value(
                    &mut images,
                    at,
                    "quality",
                    "must be from 1 to 100",
                    "quality: 80",
                ),
            }
        }
        if let Some(webp) = images.bool("webp") {
            settings.webp = webp;
        }
        if let Some(tiles) = images.bool("tiles") {
            settings.tiles = tiles;
        }
        if let Some((size, at)) = integer(&mut images, "tile_size") {
            match u32::try_from(size) {
                Ok(s) if TILE_RANGE.contains(&size) => settings.tile_size = s,
                _ => bad_value(
                    &mut images,
                    at,
                    "tile_size",
                    "must be from 128 to 2048 pixels",
                    "tile_size: 512",
                ),
            }
        }
        images.finish();
        settings
    }
}

fn read_widths(images: &mut FieldReader) -> Option<Vec<u32>> {
    let node = images.node("widths")?;
    let yaml::Value::List(entries) = &node.value else {
        let at = images.location(node.span);
        bad_value(
            images,
            at,
            "widths",
            "must be a list of pixel widths",
            "widths: [320, 800, 1600]",
        );
        return None;
    };
    let mut widths = Vec::new();
    for entry in entries {
        let width = entry
            .value
            .as_scalar_text()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .filter(|w| WIDTH_RANGE.contains(w))
            .and_then(|w| u32::try_from(w).ok());
        match width {
            Some(w) => widths.push(w),
            None => {
                let diagnostic = Diagnostic::error(
                    codes::CONFIG_VALUE,
                    "each of `images.widths` must be a whole number of pixels from 16 to 8192",
                )
                .at(images.location(entry.span))
                .help("write it like `widths: [320, 800, 1600]`");
                images.diagnostics().push(diagnostic);
            }
        }
    }
    widths.sort_unstable();
    widths.dedup();
    (!widths.is_empty()).then_some(widths)
}

/// A whole-number field with its location, for range errors.
fn integer(images: &mut FieldReader, key: &str) -> Option<(i64, Location)> {
    let node = images.node(key)?;
    let at = images.location(node.span);
    match node.value {
        yaml::Value::Integer(value) => Some((value, at)),
        _ => {
            let diagnostic = Diagnostic::error(
                codes::WRONG_TYPE,
                format!("`images.{key}` must be a whole number"),
            )
            .at(at)
            .help(format!("write it like `{key}: 80`"));
            images.diagnostics().push(diagnostic);
            None
        }
    }
}

fn bad_value(
    images: &mut FieldReader,
    location: Location,
    key: &str,
    problem: &str,
    example: &str,
) {
    let diagnostic = Diagnostic::error(codes::CONFIG_VALUE, format!("`images.{key}` {problem}"))
        .at(location)
        .help(format!("write it like `{example}`"));
    images.diagnostics().push(diagnostic);
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::{Diagnostics, codes};

    #[test]
    fn defaults_when_absent() {
        let mut diagnostics = Diagnostics::new();
        let config = Config::parse("title: t\n", &mut diagnostics);
        assert!(diagnostics.is_empty());
        assert_eq!(config.images.widths, vec![320, 800, 1600]);
        assert!(config.images.tiles && config.images.webp);
    }

    #[test]
    fn reads_every_key_and_sorts_widths() {
        let mut diagnostics = Diagnostics::new();
        let config = Config::parse(
            "title: t\nimages:\n  widths: [1200, 400, 400]\n  quality: 70\n  webp: false\n  tiles: false\n  tile_size: 256\n",
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let images = &config.images;
        assert_eq!(images.widths, vec![400, 1200]);
        assert_eq!(
            (images.quality, images.webp, images.tiles),
            (70, false, false)
        );
        assert_eq!(images.tile_size, 256);
    }

    #[test]
    fn reports_bad_values_and_unknown_keys() {
        let mut diagnostics = Diagnostics::new();
        let config = Config::parse(
            "title: t\nimages:\n  widths: [0, big]\n  quality: 300\n  tile: 3\n",
            &mut diagnostics,
        );
        let found: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            found.iter().filter(|c| **c == codes::CONFIG_VALUE).count(),
            3,
            "{diagnostics:?}"
        );
        let unknown = diagnostics
            .iter()
            .find(|d| d.code == codes::UNKNOWN_FIELD)
            .expect("unknown key reported");
        assert_eq!(unknown.help.as_deref(), Some("did you mean `tiles`?"));
        assert_eq!(
            config.images.quality, 80,
            "bad value falls back to the default"
        );
    }
}
