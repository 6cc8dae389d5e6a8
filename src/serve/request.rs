//! From a request's URL path to the output file it names — and nothing
//! else. Paths are looked up as keys of the built site in memory, never
//! joined onto a folder, and anything that tries to climb out (`..`, its
//! percent-encoded forms, backslashes, NUL) is refused before that.

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An output file: `archive/hx-0001/index.html`, `css/lantai.css`.
    File(String),
    /// The same path with a `/` added (`/x/archive` → `/x/archive/`).
    Redirect(String),
    /// A path outside the site's base path.
    Outside,
    /// A malformed or climbing path.
    Refused,
}

/// Maps the raw (percent-encoded) path of a request to an output file of a
/// site served under `base_path`. `exists` says whether the site has a file.
pub fn target(base_path: &str, raw_path: &str, exists: impl Fn(&str) -> bool) -> Target {
    let Ok(decoded) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
        return Target::Refused;
    };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Target::Refused;
    }
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Target::Refused;
    }
    let Some(rest) = decoded.strip_prefix(base_path) else {
        // `/exhibitions` for a base path `/exhibitions/`.
        if format!("{decoded}/") == base_path {
            return Target::Redirect(base_path.to_string());
        }
        return Target::Outside;
    };
    if rest.starts_with('/') || rest.contains("//") {
        return Target::Refused;
    }
    let file = if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_string()
    };
    if !exists(&file) && exists(&format!("{rest}/index.html")) {
        return Target::Redirect(format!("{raw_path}/"));
    }
    Target::File(file)
}

/// The `Content-Type` of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "tif" | "tiff" => "image/tiff",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        ["index.html", "archive/hx-1/index.html", "css/lantai.css"].contains(&path)
    }

    #[test]
    fn maps_paths_under_the_base_path() {
        let t = |p: &str| target("/ex/", p, site);
        assert_eq!(t("/ex/"), Target::File("index.html".into()));
        assert_eq!(
            t("/ex/archive/hx-1/"),
            Target::File("archive/hx-1/index.html".into())
        );
        assert_eq!(
            t("/ex/archive/hx-1"),
            Target::Redirect("/ex/archive/hx-1/".into())
        );
        assert_eq!(
            t("/ex/css/lantai.css"),
            Target::File("css/lantai.css".into())
        );
        assert_eq!(t("/ex"), Target::Redirect("/ex/".into()));
        assert_eq!(t("/other/"), Target::Outside);
        assert_eq!(t("/ex/missing/"), Target::File("missing/index.html".into()));
        assert_eq!(
            t("/ex/people/%E9%99%88%E7%8B%AC%E7%A7%80/"),
            Target::File("people/陈独秀/index.html".into())
        );
    }

    #[test]
    fn refuses_climbing_and_malformed_paths() {
        let t = |p: &str| target("/ex/", p, site);
        for bad in [
            "/ex/../etc/passwd",
            "/ex/%2e%2e/etc/passwd",
            "/ex/%2E%2E/%2e%2e/etc/passwd",
            "/ex/archive/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/ex/..%5c..%5cetc",
            "/ex/./index.html",
            "/ex//etc/passwd",
            "/ex/a%00b",
            "/ex/%ff",
        ] {
            assert_eq!(t(bad), Target::Refused, "{bad}");
        }
    }

    #[test]
    fn content_types_name_utf8_for_text() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("css/lantai.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
