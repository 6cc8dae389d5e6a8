//! Topics (主题词): gathered from items and exhibits, each with a pinyin slug.

use std::collections::HashMap;

use super::ExhibitEntry;
use crate::config::Config;
use crate::content::{Item, Located};
use crate::diagnostics::{Diagnostic, Diagnostics, codes};
use crate::slug::tag_slug;

/// A topic and what is filed under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Indexes into `Site::items`, in item order.
    pub items: Vec<usize>,
    /// Indexes into `Site::exhibits`.
    pub exhibits: Vec<usize>,
}

/// Collects the tags of `items` and `exhibits`, sorted by slug. Two tags
/// with the same slug are an error that suggests a `slugs:` entry.
pub fn collect<'a>(
    items: &'a [Item],
    exhibits: &'a [ExhibitEntry],
    config: &Config,
    diagnostics: &mut Diagnostics,
) -> Vec<Tag> {
    // Borrowed names index the tags, so a tag's name is copied once, not
    // once per item that carries it.
    let mut index: HashMap<&'a str, usize> = HashMap::new();
    let mut tags: Vec<Tag> = Vec::new();
    let mut first_seen: HashMap<&'a str, &'a Located<String>> = HashMap::new();
    let mut add = |tag: &'a Located<String>, item: Option<usize>, exhibit: Option<usize>| {
        let name = tag.value.trim();
        if name.is_empty() {
            return;
        }
        let position = *index.entry(name).or_insert_with(|| {
            first_seen.insert(name, tag);
            tags.push(Tag {
                slug: slug_for(name, config),
                name: name.to_string(),
                items: Vec::new(),
                exhibits: Vec::new(),
            });
            tags.len() - 1
        });
        let entry = &mut tags[position];
        if let Some(i) = item
            && entry.items.last() != Some(&i)
        {
            entry.items.push(i);
        }
        if let Some(e) = exhibit
            && entry.exhibits.last() != Some(&e)
        {
            entry.exhibits.push(e);
        }
    };
    for (index, item) in items.iter().enumerate() {
        for tag in &item.tags {
            add(tag, Some(index), None);
        }
    }
    for (index, entry) in exhibits.iter().enumerate() {
        for tag in &entry.exhibit.tags {
            add(tag, None, Some(index));
        }
    }
    tags.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.name.cmp(&b.name)));
    for pair in tags.windows(2) {
        if pair[0].slug == pair[1].slug {
            let (a, b) = (&pair[0].name, &pair[1].name);
            let mut diagnostic = Diagnostic::error(
                codes::TAG_SLUG_CLASH,
                format!(
                    "the tags `{a}` and `{b}` would both be published at /tags/{}/",
                    pair[0].slug
                ),
            )
            .help(format!(
                "give one of them its own slug in site.yaml, e.g. `slugs: {{ {b}: {}-2 }}`",
                pair[1].slug
            ));
            if let Some(place) = first_seen.get(b.as_str()) {
                diagnostic = diagnostic.at(place.location.clone());
            }
            diagnostics.push(diagnostic);
        }
    }
    tags
}

fn slug_for(name: &str, config: &Config) -> String {
    if let Some(slug) = config.slugs.get(name) {
        return slug.clone();
    }
    let slug = tag_slug(name);
    if slug.is_empty() {
        // A tag of only symbols still needs an address.
        let code: String = name.chars().map(|c| format!("{:x}", c as u32)).collect();
        format!("u{code}")
    } else {
        slug
    }
}
