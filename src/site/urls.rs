//! The URL of every kind of page, relative to the site's base path.
//!
//! One place decides URLs so that pages, links, the sitemap and the feed
//! agree. Paths here have no leading `/`; `Config::url` adds the base path.

/// Entries per page of a long list.
pub const PAGE_SIZE: usize = 100;

/// First path segments lantai keeps for its own pages.
pub const RESERVED: &[&str] = &[
    "exhibits",
    "archive",
    "people",
    "places",
    "tags",
    "browse",
    "timeline",
    "search",
    "data",
    "static",
    "feed.xml",
    "sitemap.xml",
    "404.html",
    "css",
    "js",
    "robots.txt",
    "pages",
];

pub fn exhibits() -> String {
    "exhibits/".to_string()
}

pub fn exhibit(slug: &str) -> String {
    format!("exhibits/{slug}/")
}

pub fn section(exhibit: &str, section: &str) -> String {
    format!("exhibits/{exhibit}/{section}/")
}

pub fn item(id: &str) -> String {
    format!("archive/{id}/")
}

pub fn person(slug: &str) -> String {
    format!("people/{slug}/")
}

pub fn place(slug: &str) -> String {
    format!("places/{slug}/")
}

pub fn tag(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// The index of the catalogue's facets.
pub fn browse() -> String {
    "browse/".to_string()
}

/// One facet value's item list: `browse/type/letter/`, `browse/decade/1920/`.
pub fn facet(kind: &str, slug: &str) -> String {
    format!("browse/{kind}/{slug}/")
}

pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// Escapes the characters a file name may have that are not allowed in a
/// URL path (spaces, `#`, `?`, `%` …). Letters of any script are kept, as
/// browsers accept them in links.
pub fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_control()
            || matches!(
                c,
                ' ' | '"' | '#' | '%' | '<' | '>' | '?' | '`' | '{' | '}' | '|' | '\\' | '^'
            )
        {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        } else {
            encoded.push(c);
        }
    }
    encoded
}

/// The root-relative URL of a published media file (`archive/x/扫描 1.png`).
pub fn media(config: &crate::config::Config, path: &str) -> String {
    encode_path(&config.url(path))
}

/// Resolves `.` and `..` in a `/`-separated relative path (never above
/// its start), keeping a trailing `/`.
pub fn normalize(path: &str) -> String {
    let trailing = path.ends_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    joined
}

/// Page `number` (1-based) of a paginated list at `list` (`archive/`).
pub fn paginated(list: &str, number: usize) -> String {
    if number <= 1 {
        list.to_string()
    } else {
        format!("{list}page/{number}/")
    }
}

/// How many pages a list of `len` entries takes (at least one).
pub fn page_count(len: usize) -> usize {
    len.div_ceil(PAGE_SIZE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_paths_are_escaped() {
        assert_eq!(encode_path("/a/扫描 件#1.svg"), "/a/扫描%20件%231.svg");
        assert_eq!(encode_path("/a/b.png"), "/a/b.png");
    }

    #[test]
    fn pagination_urls() {
        assert_eq!(paginated("archive/", 1), "archive/");
        assert_eq!(paginated("archive/", 3), "archive/page/3/");
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(100), 1);
        assert_eq!(page_count(101), 2);
    }
}
