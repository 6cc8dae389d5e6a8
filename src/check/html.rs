//! What a rendered page links to and what it offers to be linked to.

use std::collections::HashSet;

use html5gum::{Token, Tokenizer};

/// One reference from a page: an `href`, `src` or `srcset` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub tag: String,
    pub attribute: &'static str,
    pub url: String,
}

/// The parts of an HTML page the output checks need.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageFacts {
    /// Every `id` (and `<a name>`) on the page, for `#anchor` links.
    pub ids: HashSet<String>,
    pub references: Vec<Reference>,
    /// `src` of every `<img>` that has no `alt` attribute at all
    /// (`alt=""` marks a decorative image and is fine).
    pub images_without_alt: Vec<String>,
}

fn attribute(tag: &html5gum::StartTag<()>, name: &str) -> Option<String> {
    tag.attributes
        .get(name.as_bytes())
        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
}

/// Scans an HTML page with a WHATWG tokenizer (no DOM is built: the checks
/// need attributes only).
pub fn scan(html: &str) -> PageFacts {
    let mut facts = PageFacts::default();
    for token in Tokenizer::new(html).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).into_owned();
        if let Some(id) = attribute(&tag, "id") {
            facts.ids.insert(id);
        }
        if name == "a"
            && let Some(anchor) = attribute(&tag, "name")
        {
            facts.ids.insert(anchor);
        }
        for attr in ["href", "src"] {
            if let Some(url) = attribute(&tag, attr) {
                facts.references.push(Reference {
                    tag: name.clone(),
                    attribute: attr,
                    url,
                });
            }
        }
        if let Some(srcset) = attribute(&tag, "srcset") {
            for url in srcset_urls(&srcset) {
                facts.references.push(Reference {
                    tag: name.clone(),
                    attribute: "srcset",
                    url,
                });
            }
        }
        if name == "img" && attribute(&tag, "alt").is_none() {
            facts
                .images_without_alt
                .push(attribute(&tag, "src").unwrap_or_default());
        }
    }
    facts
}

/// The URLs of a `srcset`, split as browsers do: a URL runs to the next
/// whitespace and may itself contain commas (IIIF sizes such as
/// `full/320,240/0/default.jpg`); a candidate's descriptors run to the next
/// comma.
fn srcset_urls(srcset: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            return urls;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (url, after) = rest.split_at(end);
        let trimmed = url.trim_end_matches(',');
        if !trimmed.is_empty() {
            urls.push(trimmed.to_string());
        }
        rest = if trimmed.len() < url.len() {
            // A URL ending in a comma has no descriptors.
            after
        } else {
            after.find(',').map_or("", |i| &after[i + 1..])
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_urls_may_contain_commas() {
        assert_eq!(
            srcset_urls("/a/full/320,240/0/default.jpg 320w, /a/full/max/0/default.jpg 1200w"),
            vec!["/a/full/320,240/0/default.jpg", "/a/full/max/0/default.jpg"]
        );
        assert_eq!(
            srcset_urls("a.png, b.png 2x,c.png"),
            vec!["a.png", "b.png", "c.png"]
        );
        assert_eq!(srcset_urls(" , "), Vec::<String>::new());
    }

    #[test]
    fn collects_ids_links_and_images() {
        let facts = scan(
            r##"<h2 id="录文">录文</h2><a href="/x/a/#b">a</a><img src="/x/i.png" alt="封面">
            <img src="/x/j.png"><img src="/x/k.png" alt=""><picture><source srcset="/x/s1.webp 320w, /x/s2.webp 800w"></picture><a name="old"></a>"##,
        );
        assert!(facts.ids.contains("录文"));
        assert!(facts.ids.contains("old"));
        let urls: Vec<&str> = facts.references.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            vec![
                "/x/a/#b",
                "/x/i.png",
                "/x/j.png",
                "/x/k.png",
                "/x/s1.webp",
                "/x/s2.webp"
            ]
        );
        assert_eq!(facts.images_without_alt, vec!["/x/j.png".to_string()]);
    }

    #[test]
    fn survives_broken_html() {
        let facts = scan("<a href='/x/'><img src=<<< <div id=");
        assert!(!facts.references.is_empty());
    }
}
