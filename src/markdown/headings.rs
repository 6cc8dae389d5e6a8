//! Heading anchors: an `id` for every heading, unique within a document.
//!
//! The id is made from the heading's text: letters (Chinese included) and
//! digits are kept, letters lowercased; every run of anything else becomes
//! one `-`; leading and trailing `-` are dropped. `第一章：建党` becomes
//! `第一章-建党`, `The 1st Congress` becomes `the-1st-congress`. A heading
//! with no letters or digits gets `section`. The second heading with the
//! same id gets `-1`, the third `-2`, and so on. A `{#custom}` id is kept as
//! written, and automatic ids avoid every custom id of the document.

use std::collections::{HashMap, HashSet};

/// The automatic id for a heading with `text`.
pub(super) fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// Hands out heading ids, each once per document.
#[derive(Debug, Default)]
pub(super) struct HeadingIds {
    /// Ids written as `{#custom}` anywhere in the document.
    reserved: HashSet<String>,
    used: HashSet<String>,
    /// The last number given to each automatic id, so a document with many
    /// equal headings does not count up from 1 for each.
    counters: HashMap<String, usize>,
}

impl HeadingIds {
    /// Reserves the custom ids before any automatic id is handed out, so an
    /// automatic id never takes one that a later heading asked for.
    pub(super) fn reserve(&mut self, custom: impl IntoIterator<Item = String>) {
        self.reserved.extend(custom);
    }

    /// The id for a heading with `text`, or its `custom` id. Returns `false`
    /// as the second value when a custom id was already used.
    pub(super) fn assign(&mut self, text: &str, custom: Option<&str>) -> (String, bool) {
        if let Some(custom) = custom {
            let fresh = self.used.insert(custom.to_string());
            return (custom.to_string(), fresh);
        }
        let base = slug(text);
        let counter = self.counters.entry(base.clone()).or_insert(0);
        let mut id = if *counter == 0 {
            base.clone()
        } else {
            format!("{base}-{counter}")
        };
        while self.reserved.contains(&id) || self.used.contains(&id) {
            *counter += 1;
            id = format!("{base}-{counter}");
        }
        self.used.insert(id.clone());
        (id, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_chinese_and_lowercase_ascii() {
        assert_eq!(slug("中共一大"), "中共一大");
        assert_eq!(slug("第一章：建党"), "第一章-建党");
        assert_eq!(slug("  The 1st  Congress! "), "the-1st-congress");
        assert_eq!(slug("《新青年》与陈独秀"), "新青年-与陈独秀");
        assert_eq!(slug("Ärzte & Écoles"), "ärzte-écoles");
        assert_eq!(slug("snake_case"), "snake-case");
        assert_eq!(slug("——"), "section");
        assert_eq!(slug(""), "section");
    }

    #[test]
    fn duplicates_are_numbered() {
        let mut ids = HeadingIds::default();
        assert_eq!(ids.assign("注释", None).0, "注释");
        assert_eq!(ids.assign("注释", None).0, "注释-1");
        assert_eq!(ids.assign("注释", None).0, "注释-2");
        assert_eq!(ids.assign("", None).0, "section");
        assert_eq!(ids.assign("?", None).0, "section-1");
    }

    #[test]
    fn automatic_ids_avoid_custom_ones() {
        let mut ids = HeadingIds::default();
        ids.reserve(["intro".to_string()]);
        assert_eq!(ids.assign("Intro", None).0, "intro-1");
        assert_eq!(
            ids.assign("ignored", Some("intro")),
            ("intro".to_string(), true)
        );
        assert_eq!(
            ids.assign("again", Some("intro")),
            ("intro".to_string(), false)
        );
    }
}
