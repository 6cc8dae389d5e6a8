//! The intrinsic size of an SVG drawing, read from its root element, so
//! that `<img>` can carry `width` and `height` like raster images do.

use super::plan::Size;

/// `width`/`height` of the root `<svg>` element in pixels (a bare number
/// or `px`), else the size of its `viewBox`. None when neither is usable.
pub fn intrinsic_size(text: &str) -> Option<Size> {
    let start = text.find("<svg")?;
    let rest = &text[start..];
    let tag = &rest[..rest.find('>')?];
    let length = |name: &str| attribute(tag, name).and_then(pixels);
    if let (Some(width), Some(height)) = (length("width"), length("height")) {
        return Some(Size { width, height });
    }
    let view_box = attribute(tag, "viewBox")?;
    let numbers: Vec<f64> = view_box
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match numbers[..] {
        [_, _, width, height] => Some(Size {
            width: round(width)?,
            height: round(height)?,
        }),
        _ => None,
    }
}

/// The value of attribute `name` in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut search = tag;
    loop {
        let at = search.find(name)?;
        let before = search[..at].chars().next_back();
        let after = &search[at + name.len()..];
        let after_trimmed = after.trim_start();
        if before.is_some_and(char::is_whitespace) && after_trimmed.starts_with('=') {
            let value = after_trimmed[1..].trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let inner = &value[1..];
                return inner.find(quote).map(|end| &inner[..end]);
            }
            return None;
        }
        search = after;
    }
}

fn pixels(value: &str) -> Option<u32> {
    let number = value.trim().strip_suffix("px").unwrap_or(value.trim());
    round(number.parse().ok()?)
}

fn round(value: f64) -> Option<u32> {
    (value.is_finite() && value >= 1.0 && value <= f64::from(u32::MAX))
        .then(|| value.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_width_and_height_or_the_view_box() {
        let size = |w, h| {
            Some(Size {
                width: w,
                height: h,
            })
        };
        assert_eq!(
            intrinsic_size(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800" viewBox="0 0 6 8">"#
            ),
            size(600, 800)
        );
        assert_eq!(
            intrinsic_size(
                r#"<?xml version="1.0"?><svg viewBox="0 0 1200.4 900" stroke-width="2">"#
            ),
            size(1200, 900)
        );
        assert_eq!(
            intrinsic_size(r#"<svg width="100%" height="50%" viewBox="0,0,40,30">"#),
            size(40, 30)
        );
        assert_eq!(intrinsic_size(r#"<svg width="10em">"#), None);
        assert_eq!(intrinsic_size("not svg"), None);
    }
}
