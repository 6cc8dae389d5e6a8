//! Citations of archive items in GB/T 7714-2025 style.
//!
//! Archival documents are type `[A]`; the exhibit's online copy is `[A/OL]`
//! with its address. Nothing here reads the clock: the online citation
//! carries the item's `published` date when given, never the build date.

/// What a citation needs to know about an item.
pub struct CitationSource<'a> {
    /// Names of the creators (person slugs already replaced by names).
    pub creators: &'a [String],
    pub title: &'a str,
    /// The date as written (`1920-08`), without display formatting.
    pub date: Option<&'a str>,
    pub repository: &'a str,
    pub reference: &'a str,
}

/// `责任者.题名[A].日期.馆藏单位,档号.`
pub fn original(source: &CitationSource) -> String {
    let mut text = lead(source);
    text.push_str("[A].");
    if let Some(date) = source.date {
        text.push_str(date);
        text.push('.');
    }
    text.push_str(&holding(source));
    text
}

/// `责任者.题名[A/OL].日期.馆藏单位,档号.(发布日期).网址.`
pub fn online(source: &CitationSource, url: &str, published: Option<&str>) -> String {
    let mut text = lead(source);
    text.push_str("[A/OL].");
    if let Some(date) = source.date {
        text.push_str(date);
        text.push('.');
    }
    text.push_str(&holding(source));
    if let Some(published) = published {
        text.push_str(&format!("({published})."));
    }
    text.push_str(url);
    text.push('.');
    text
}

fn lead(source: &CitationSource) -> String {
    let creators: Vec<&str> = source
        .creators
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let title = source.title.trim().trim_end_matches('.');
    if creators.is_empty() {
        title.to_string()
    } else {
        format!("{}.{title}", creators.join(","))
    }
}

fn holding(source: &CitationSource) -> String {
    match (source.repository.trim(), source.reference.trim()) {
        ("", "") => String::new(),
        ("", reference) => format!("{reference}."),
        (repository, "") => format!("{repository}."),
        (repository, reference) => format!("{repository},{reference}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(creators: &[String]) -> CitationSource<'_> {
        CitationSource {
            creators,
            title: "共产党宣言",
            date: Some("1920-08"),
            repository: "兰台示例档案馆",
            reference: "D2-0-1920-001",
        }
    }

    #[test]
    fn original_follows_the_archival_pattern() {
        let creators = vec!["陈望道".to_string()];
        assert_eq!(
            original(&source(&creators)),
            "陈望道.共产党宣言[A].1920-08.兰台示例档案馆,D2-0-1920-001."
        );
    }

    #[test]
    fn online_copy_names_the_address_and_publication_date() {
        let creators = vec!["陈望道".to_string(), "社会主义研究社".to_string()];
        assert_eq!(
            online(
                &source(&creators),
                "https://e.org/archive/hx-1/",
                Some("2026-07-01")
            ),
            "陈望道,社会主义研究社.共产党宣言[A/OL].1920-08.兰台示例档案馆,D2-0-1920-001.(2026-07-01).https://e.org/archive/hx-1/."
        );
    }

    #[test]
    fn without_creator_the_title_leads() {
        assert!(original(&source(&[])).starts_with("共产党宣言[A]."));
    }
}
