//! Link targets: which are internal, and the URL each gets under `base_url`.
//!
//! A Markdown link or image may name
//! - a content file, `@/people/chen-duxiu.md#early-years` (relative to `content/`);
//! - a site path, `/people/chen-duxiu/`;
//! - a media file beside the Markdown file, `map.svg` or `./scans/p1.jpg`;
//! - anything else (`https://…`, `mailto:…`, `#anchor`), which is left alone.
//!
//! The first three are rewritten to root-relative URLs under the path of
//! `base_url` and recorded, so a later stage can check that they exist.

use super::LinkKind;

/// An internal target, rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resolved {
    /// What goes into `href`/`src`: `url`, then the query and fragment as written.
    pub(super) href: String,
    /// The root-relative path, percent-decoded, without query or fragment.
    pub(super) url: String,
    pub(super) fragment: Option<String>,
    pub(super) kind: LinkKind,
}

/// What became of a link target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// External, a fragment of this page, or empty: written as it is.
    Untouched,
    Internal(Resolved),
    /// Internal but unusable, with a message and a help line.
    Broken {
        message: String,
        help: String,
    },
}

/// Where links are resolved from.
#[derive(Debug, Clone, Copy)]
pub(super) struct LinkBase<'a> {
    /// Starts and ends with '/'.
    pub(super) base_path: &'a str,
    /// Starts and ends with '/'.
    pub(super) media_url: &'a str,
}

/// Resolves a link or image target as written in the Markdown.
pub(super) fn resolve(written: &str, base: LinkBase<'_>) -> Target {
    let target = written.trim();
    if target.is_empty() || target.starts_with('#') || target.starts_with("//") {
        return Target::Untouched;
    }
    if let Some(content_path) = target.strip_prefix("@/") {
        return content_file(content_path, base);
    }
    if has_scheme(target) {
        return Target::Untouched;
    }
    if target.starts_with('/') {
        return site_path(target, base);
    }
    media(target, base)
}

fn content_file(written: &str, base: LinkBase<'_>) -> Target {
    let (path, query, fragment) = split_target(written);
    match content_file_url(path) {
        Some(url) => internal(
            format!("{}{url}", base.base_path),
            query,
            fragment,
            LinkKind::ContentFile,
        ),
        None => Target::Broken {
            message: format!("`@/{path}` does not name a content file"),
            help: "name a Markdown file under content/, such as `@/people/chen-duxiu.md`, \
                   `@/archive/hx-0001.md` or `@/exhibits/birthplace/01-prelude.md`"
                .to_string(),
        },
    }
}

fn site_path(written: &str, base: LinkBase<'_>) -> Target {
    let (path, query, fragment) = split_target(written);
    let base_without_slash = base.base_path.trim_end_matches('/');
    // A path already under the base path is taken as meant for it; the
    // site's own path without its trailing slash is its home page.
    let url = if path.starts_with(base.base_path) || path == base_without_slash {
        path.to_string()
    } else {
        format!("{base_without_slash}{path}")
    };
    internal(url, query, fragment, LinkKind::SitePath)
}

fn media(written: &str, base: LinkBase<'_>) -> Target {
    let (path, query, fragment) = split_target(written);
    if path.ends_with(".md") {
        return Target::Broken {
            message: format!("`{path}` links to a Markdown file by a relative path"),
            help: "link content files from the content folder with `@/`, \
                   such as `@/people/chen-duxiu.md`"
                .to_string(),
        };
    }
    match join(base.media_url, path) {
        Some(url) => internal(url, query, fragment, LinkKind::Media),
        None => Target::Broken {
            message: format!("`{path}` points above the site's root"),
            help: "remove a `../`: media paths are relative to this file's folder".to_string(),
        },
    }
}

fn internal(url: String, query: Option<&str>, fragment: Option<&str>, kind: LinkKind) -> Target {
    let mut href = url.clone();
    if let Some(query) = query {
        href.push('?');
        href.push_str(query);
    }
    if let Some(fragment) = fragment {
        href.push('#');
        href.push_str(fragment);
    }
    Target::Internal(Resolved {
        href,
        url: percent_decode(&url),
        fragment: fragment.map(percent_decode),
        kind,
    })
}

/// Splits `path?query#fragment`.
fn split_target(target: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, fragment) = match target.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (target, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    (path, query, fragment)
}

/// Whether `target` starts with a URL scheme such as `https:` or `mailto:`.
fn has_scheme(target: &str) -> bool {
    let Some((scheme, _)) = target.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Joins a relative path onto a folder URL, resolving `.` and `..`.
/// `None` when `..` climbs above the root.
fn join(folder: &str, relative: &str) -> Option<String> {
    let mut segments: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let mut parts = relative.split('/').peekable();
    let mut ends_in_folder = false;
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        match part {
            "" | "." => ends_in_folder = last,
            ".." => {
                segments.pop()?;
                ends_in_folder = last;
            }
            segment => {
                segments.push(segment);
                ends_in_folder = false;
            }
        }
    }
    let mut url = String::from("/");
    url.push_str(&segments.join("/"));
    if ends_in_folder && !segments.is_empty() {
        url.push('/');
    }
    Some(url)
}

/// Decodes `%XX` escapes, so the recorded URL names the file as it is on
/// disk; left as written when the result would not be UTF-8.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = bytes
            .get(at + 1..at + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[at], escaped) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                at += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| text.to_string())
}

/// The URL path, relative to the base path, of a content file given
/// relative to `content/`. See [`super::content_file_url`].
pub(super) fn content_file_url(path: &str) -> Option<String> {
    let path = path.strip_prefix("./").unwrap_or(path);
    let stem_path = path.strip_suffix(".md")?;
    let segments: Vec<&str> = stem_path.split('/').collect();
    if segments.iter().any(|segment| !is_plain_segment(segment)) {
        return None;
    }
    match segments.as_slice() {
        ["_index"] => Some(String::new()),
        ["exhibits", exhibit, "_index"] => Some(format!("exhibits/{exhibit}/")),
        ["exhibits", exhibit, section] => {
            Some(format!("exhibits/{exhibit}/{}/", section_slug(section)))
        }
        [folder @ ("archive" | "people" | "places"), stem] if *stem != "_index" => {
            Some(format!("{folder}/{stem}/"))
        }
        ["pages", stem] if *stem != "_index" => Some(format!("{stem}/")),
        _ => None,
    }
}

/// A path segment that names a file or folder: not empty, `.` or `..`.
fn is_plain_segment(segment: &str) -> bool {
    !matches!(segment, "" | "." | "..") && !segment.contains('\\')
}

/// A section's URL slug: its file stem without a leading ordering number
/// (`01-prelude` → `prelude`).
pub(super) fn section_slug(stem: &str) -> &str {
    let without_digits = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    if without_digits.len() == stem.len() {
        return stem;
    }
    match without_digits
        .strip_prefix('-')
        .or_else(|| without_digits.strip_prefix('_'))
    {
        Some(slug) if !slug.is_empty() => slug,
        _ => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: LinkBase<'static> = LinkBase {
        base_path: "/",
        media_url: "/archive/hx-0001/",
    };
    const SUB: LinkBase<'static> = LinkBase {
        base_path: "/exhibitions/",
        media_url: "/exhibitions/exhibits/birthplace/",
    };

    fn resolved(written: &str, base: LinkBase<'_>) -> Resolved {
        match resolve(written, base) {
            Target::Internal(resolved) => resolved,
            other => panic!("{written}: {other:?}"),
        }
    }

    #[test]
    fn content_file_urls() {
        let cases = [
            ("_index.md", Some("")),
            ("exhibits/x/_index.md", Some("exhibits/x/")),
            ("exhibits/x/01-prelude.md", Some("exhibits/x/prelude/")),
            ("exhibits/x/epilogue.md", Some("exhibits/x/epilogue/")),
            ("exhibits/x/2021.md", Some("exhibits/x/2021/")),
            ("archive/hx-1.md", Some("archive/hx-1/")),
            ("people/a.md", Some("people/a/")),
            ("places/b.md", Some("places/b/")),
            ("pages/about.md", Some("about/")),
            ("./people/a.md", Some("people/a/")),
            ("exhibits/x.md", None),
            ("archive/a/b.md", None),
            ("people/a", None),
            ("people/.md", None),
            ("people/../a.md", None),
            ("other/a.md", None),
            ("", None),
        ];
        for (path, url) in cases {
            assert_eq!(content_file_url(path).as_deref(), url, "{path}");
        }
    }

    #[test]
    fn content_links_get_the_base_path() {
        let link = resolved("@/people/chen-duxiu.md#early-years", SUB);
        assert_eq!(link.href, "/exhibitions/people/chen-duxiu/#early-years");
        assert_eq!(link.url, "/exhibitions/people/chen-duxiu/");
        assert_eq!(link.fragment.as_deref(), Some("early-years"));
        assert_eq!(link.kind, LinkKind::ContentFile);
        assert_eq!(resolved("@/_index.md", ROOT).url, "/");
        assert!(matches!(
            resolve("@/people/x.txt", ROOT),
            Target::Broken { .. }
        ));
    }

    #[test]
    fn site_paths_get_the_base_path_once() {
        assert_eq!(resolved("/people/a/", ROOT).url, "/people/a/");
        assert_eq!(resolved("/people/a/", SUB).url, "/exhibitions/people/a/");
        assert_eq!(
            resolved("/exhibitions/people/a/", SUB).url,
            "/exhibitions/people/a/"
        );
        assert_eq!(resolved("/exhibitions", SUB).url, "/exhibitions");
        assert_eq!(resolved("/", SUB).url, "/exhibitions/");
        let link = resolved("/search/?q=陈#top", SUB);
        assert_eq!(link.href, "/exhibitions/search/?q=陈#top");
        assert_eq!(link.url, "/exhibitions/search/");
        assert_eq!(link.kind, LinkKind::SitePath);
    }

    #[test]
    fn relative_paths_are_media_beside_the_file() {
        let link = resolved("./scans/p1.jpg", ROOT);
        assert_eq!(link.url, "/archive/hx-0001/scans/p1.jpg");
        assert_eq!(link.kind, LinkKind::Media);
        assert_eq!(
            resolved("map.svg", SUB).url,
            "/exhibitions/exhibits/birthplace/map.svg"
        );
        assert_eq!(
            resolved("../hx-0002/a.png", ROOT).url,
            "/archive/hx-0002/a.png"
        );
        assert_eq!(
            resolved("%E5%9B%BE.png", ROOT).url,
            "/archive/hx-0001/图.png"
        );
        assert_eq!(
            resolved("%E5%9B%BE.png", ROOT).href,
            "/archive/hx-0001/%E5%9B%BE.png"
        );
        assert!(matches!(
            resolve("../../../a.png", ROOT),
            Target::Broken { .. }
        ));
        assert!(matches!(resolve("other.md", ROOT), Target::Broken { .. }));
    }

    #[test]
    fn external_and_fragment_links_are_untouched() {
        for target in [
            "https://example.org/",
            "HTTP://x",
            "mailto:a@b.c",
            "tel:+86",
            "//cdn.example.org/a.js",
            "#top",
            "",
        ] {
            assert_eq!(resolve(target, SUB), Target::Untouched, "{target}");
        }
    }

    #[test]
    fn section_slugs_drop_the_ordering_number() {
        assert_eq!(section_slug("01-prelude"), "prelude");
        assert_eq!(section_slug("3_end"), "end");
        assert_eq!(section_slug("1921"), "1921");
        assert_eq!(section_slug("01-"), "01-");
        assert_eq!(section_slug("prelude"), "prelude");
    }
}
