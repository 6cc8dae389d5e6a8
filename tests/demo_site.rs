//! The demo site (the repository itself), built with its sub-path
//! `base_url`, checked page by page on the parsed output.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use common::*;
use scraper::Html;

/// The demo, built once for this file.
fn demo() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| build(&demo_root(), &[]))
}

fn content() -> &'static DemoContent {
    static CONTENT: OnceLock<DemoContent> = OnceLock::new();
    CONTENT.get_or_init(|| DemoContent::read(&demo_root()))
}

fn out() -> &'static Path {
    &demo().out
}

/// `https://example.org/exhibitions/<path>`.
fn permalink(path: &str) -> String {
    format!("{DEMO_BASE_URL}{path}")
}

/// `/exhibitions/<path>`.
fn url(path: &str) -> String {
    format!("{DEMO_BASE_PATH}{path}")
}

/// A tag's slug computed independently: toneless pinyin, syllables joined
/// by `-`.
fn tag_slug(tag: &str) -> String {
    use pinyin::ToPinyin;
    let mut parts: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for ch in tag.chars() {
        if let Some(p) = ch.to_pinyin() {
            if !ascii.is_empty() {
                parts.push(std::mem::take(&mut ascii));
            }
            // ü is written v in URLs (女 → nv), as pinyin keyboards do.
            parts.push(p.plain().replace('ü', "v"));
        } else if ch.is_ascii_alphanumeric() {
            ascii.push(ch.to_ascii_lowercase());
        } else if !ascii.is_empty() {
            parts.push(std::mem::take(&mut ascii));
        }
    }
    if !ascii.is_empty() {
        parts.push(ascii);
    }
    parts.join("-")
}

/// A historical date as SPEC.md says it displays in Chinese.
fn chinese_date(raw: &str) -> String {
    if let Some((from, to)) = raw.split_once('/') {
        return format!("{}至{}", chinese_date(from), chinese_date(to));
    }
    if let Some(base) = raw.strip_suffix('~') {
        return format!("约{}", chinese_date(base));
    }
    if let Some(base) = raw.strip_suffix('?') {
        return format!("{}(?)", chinese_date(base));
    }
    let parts: Vec<u32> = raw.split('-').map(|p| p.parse().unwrap()).collect();
    let mut shown = format!("{}年", parts[0]);
    if let Some(month) = parts.get(1) {
        shown.push_str(&format!("{month}月"));
    }
    if let Some(day) = parts.get(2) {
        shown.push_str(&format!("{day}日"));
    }
    shown
}

fn item_page(id: &str) -> Html {
    page(out(), &format!("archive/{id}/"))
}

/// The cell of the metadata row labelled `label`.
fn metadata(html: &Html, label: &str) -> Option<String> {
    html.select(&sel("table.metadata tr")).find_map(|row| {
        let th = row.select(&sel("th")).next()?;
        if text(th) != label {
            return None;
        }
        row.select(&sel("td")).next().map(text)
    })
}

#[test]
fn every_expected_page_and_file_exists() {
    let content = content();
    let mut expected: Vec<String> = [
        "",
        "exhibits/",
        "archive/",
        "people/",
        "places/",
        "tags/",
        "timeline/",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "data/items.json",
        "data/items.csv",
        "css/lantai.css",
        "css/highlight.css",
        "favicon.svg",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (slug, _, sections) in &content.exhibits {
        expected.push(format!("exhibits/{slug}/"));
        for section in sections.iter().filter(|s| s.is_public()) {
            expected.push(format!("exhibits/{slug}/{}/", section.section_slug()));
        }
    }
    for item in content.public_items() {
        expected.push(format!("archive/{}/", item.stem));
    }
    for person in &content.people {
        expected.push(format!("people/{}/", person.stem));
    }
    for place in &content.places {
        expected.push(format!("places/{}/", place.stem));
    }
    for tag in content.public_tags() {
        expected.push(format!("tags/{}/", tag_slug(&tag)));
    }
    for free in &content.pages {
        expected.push(format!("{}/", free.stem));
    }
    // Named in the brief, so that a change of content does not silently
    // drop them from the list.
    for named in [
        "about/",
        "guide/",
        "exhibits/birthplace/first-congress/",
        "tags/jian-dang/",
    ] {
        assert!(expected.iter().any(|e| e == named), "{named} not expected");
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|path| !page_file(out(), path).is_file())
        .collect();
    assert!(missing.is_empty(), "missing output: {missing:?}");
    assert!(
        expected.len() > 80,
        "only {} pages expected",
        expected.len()
    );
}

#[test]
fn pages_show_the_title_of_their_record() {
    let content = content();
    let mut checked = 0;
    let mut check = |path: String, title: String| {
        let html = page(out(), &path);
        let h1 = texts(&html, "main h1");
        assert_eq!(h1, vec![title.clone()], "h1 of {path}");
        let head_title = text(one(&html, "title"));
        assert!(
            head_title.starts_with(&title),
            "<title> of {path}: {head_title}"
        );
        checked += 1;
    };
    for item in content.public_items() {
        check(format!("archive/{}/", item.stem), item.title());
    }
    for person in &content.people {
        check(format!("people/{}/", person.stem), person.title());
    }
    for place in &content.places {
        check(format!("places/{}/", place.stem), place.title());
    }
    for (slug, exhibit, sections) in &content.exhibits {
        check(format!("exhibits/{slug}/"), exhibit.title());
        for section in sections.iter().filter(|s| s.is_public()) {
            check(
                format!("exhibits/{slug}/{}/", section.section_slug()),
                section.title(),
            );
        }
    }
    for free in &content.pages {
        check(format!("{}/", free.stem), free.title());
    }
    assert!(checked > 50);
}

#[test]
fn tag_pages_use_toneless_pinyin_slugs() {
    assert_eq!(tag_slug("建党"), "jian-dang");
    let tags_index = page(out(), "tags/");
    let index_links: BTreeMap<String, String> = tags_index
        .select(&sel("main a[href]"))
        .map(|a| (a.value().attr("href").unwrap().to_string(), text(a)))
        .collect();
    for tag in content().public_tags() {
        let slug = tag_slug(&tag);
        let href = url(&format!("tags/{slug}/"));
        let label = index_links
            .get(&href)
            .unwrap_or_else(|| panic!("the tag index does not link {tag} at {href}"));
        assert!(
            label.contains(&tag),
            "link to {href} reads {label}, not {tag}"
        );
        let html = page(out(), &format!("tags/{slug}/"));
        assert!(text(one(&html, "main h1")).contains(&tag));
        // Every public item with the tag is listed on its page.
        let listed: BTreeSet<String> = attrs(&html, "main a[href]", "href").into_iter().collect();
        for item in content().public_items() {
            if item.list("tags").contains(&tag) {
                let item_url = url(&format!("archive/{}/", item.stem));
                assert!(
                    listed.contains(&item_url),
                    "tags/{slug}/ does not list {item_url}"
                );
            }
        }
    }
}

#[test]
fn every_internal_link_resolves_under_the_sub_path() {
    let checked = assert_links_resolve(out(), DEMO_BASE_URL);
    assert!(checked > 2000, "only {checked} links checked");
}

#[test]
fn every_internal_link_resolves_at_the_root_path() {
    let base = "http://127.0.0.1:9/";
    let built = build(&demo_root(), &["--base-url", base]);
    let checked = assert_links_resolve(&built.out, base);
    assert!(checked > 2000, "only {checked} links checked");
    // Nothing still points under the production sub-path.
    for file in html_files(&built.out) {
        let html = read_html(&built.out.join(&file));
        for link in links(&html) {
            assert!(
                !link.contains("/exhibitions/") && !link.contains("example.org"),
                "{}: {link} ignores --base-url",
                file.display()
            );
        }
    }
    let canonical = attrs(
        &page(&built.out, "archive/hx-0001/"),
        "link[rel=canonical]",
        "href",
    );
    assert_eq!(
        canonical,
        vec!["http://127.0.0.1:9/archive/hx-0001/".to_string()]
    );
}

#[test]
fn every_page_has_lang_title_description_canonical_and_landmarks() {
    let pages = html_files(out());
    assert!(pages.len() > 80);
    let checker = LinkChecker::new(out(), DEMO_BASE_URL);
    let mut canonicals = BTreeSet::new();
    for file in pages {
        let shown = file.display().to_string();
        let html = read_html(&out().join(&file));
        assert_eq!(
            attrs(&html, "html", "lang"),
            vec!["zh-CN".to_string()],
            "{shown}"
        );
        let title = text(one(&html, "head > title"));
        assert!(!title.is_empty(), "{shown}: empty <title>");
        let description = attrs(&html, "meta[name=description]", "content");
        assert_eq!(description.len(), 1, "{shown}: meta description");
        assert!(
            !description[0].trim().is_empty(),
            "{shown}: empty meta description"
        );
        let canonical = attrs(&html, "link[rel=canonical]", "href");
        assert_eq!(canonical.len(), 1, "{shown}: canonical");
        let expected = format!("https://example.org{}", checker.url_of(&file));
        assert_eq!(canonical[0], expected, "{shown}: canonical");
        assert!(
            canonicals.insert(canonical[0].clone()),
            "{shown}: duplicate canonical"
        );
        for landmark in ["header", "nav", "footer"] {
            assert!(
                html.select(&sel(landmark)).next().is_some(),
                "{shown}: no <{landmark}>"
            );
        }
        assert_eq!(html.select(&sel("main")).count(), 1, "{shown}: one <main>");
        // Every image has an alt attribute; images inside the content have
        // a non-empty one (decorative images outside <main> may be empty).
        for img in html.select(&sel("img")) {
            assert!(
                img.value().attr("alt").is_some(),
                "{shown}: <img> without alt"
            );
        }
        for alt in attrs(&html, "main img", "alt") {
            assert!(!alt.trim().is_empty(), "{shown}: empty alt in <main>");
        }
    }
}

#[test]
fn item_metadata_table_has_chinese_labels_in_catalogue_order() {
    let item = read_source(&demo_root(), "content/archive/hx-0001.md");
    let html = item_page("hx-0001");
    let labels = texts(&html, "table.metadata th");
    let position = |label: &str| {
        labels
            .iter()
            .position(|l| l == label)
            .unwrap_or_else(|| panic!("no row {label} in {labels:?}"))
    };
    let order: Vec<usize> = ["档号", "题名", "日期", "类别", "责任者", "馆藏单位"]
        .iter()
        .map(|l| position(l))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{labels:?}");
    assert_eq!(metadata(&html, "档号"), item.text("ref"));
    assert_eq!(metadata(&html, "题名"), Some(item.title()));
    assert_eq!(metadata(&html, "类别").as_deref(), Some("报刊"));
    // The repository defaults to the institution.
    assert_eq!(
        metadata(&html, "馆藏单位").as_deref(),
        Some("兰台示例档案馆")
    );
    // A creator that is a person slug links to the person.
    let creator_links = attrs(&html, "table.metadata td a", "href");
    assert!(
        creator_links.contains(&url("people/chen-duxiu/")),
        "{creator_links:?}"
    );
}

#[test]
fn dates_are_displayed_in_chinese() {
    let mut kinds = BTreeSet::new();
    for item in content().public_items() {
        let raw = item.text("date").unwrap();
        let expected = chinese_date(&raw);
        let shown = metadata(&item_page(&item.stem), "日期");
        assert_eq!(
            shown.as_deref(),
            Some(expected.as_str()),
            "{}: {raw}",
            item.stem
        );
        kinds.insert(if raw.contains('/') {
            "interval"
        } else if raw.ends_with('~') {
            "approximate"
        } else if raw.ends_with('?') {
            "uncertain"
        } else if raw.len() == 10 {
            "day"
        } else {
            "partial"
        });
    }
    // The demo shows every kind of date.
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert_eq!(chinese_date("1921-07-23"), "1921年7月23日");
    let first_congress_dates: Vec<String> = content()
        .public_items()
        .iter()
        .map(|i| chinese_date(&i.text("date").unwrap()))
        .collect();
    assert!(first_congress_dates.iter().any(|d| d.starts_with('约')));
    assert!(first_congress_dates.iter().any(|d| d.contains('至')));
}

#[test]
fn item_images_have_alt_text_from_the_record() {
    for item in content().public_items() {
        let Some(serde_json::Value::Array(images)) = item.front.get("images") else {
            continue;
        };
        let html = item_page(&item.stem);
        let shown: Vec<(String, String)> = html
            .select(&sel("main .item-images img"))
            .map(|img| {
                (
                    img.value().attr("src").unwrap_or("").to_string(),
                    img.value().attr("alt").unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(shown.len(), images.len(), "{}: images", item.stem);
        for ((src, alt), image) in shown.iter().zip(images) {
            let file = image["src"].as_str().unwrap();
            let original = url(&format!("archive/{}/{file}", item.stem));
            if file.ends_with(".svg") {
                // Vector drawings are shown as they are.
                assert_eq!(src, &original);
            } else {
                // Scans are shown by a derivative of their IIIF service.
                let service = url(&format!("archive/{}/iiif/{file}/full/", item.stem));
                assert!(
                    src.starts_with(&service),
                    "{src} is not a derivative of {file}"
                );
            }
            assert_eq!(alt, image["alt"].as_str().unwrap());
            assert!(!alt.is_empty());
        }
    }
}

#[test]
fn transcription_is_rendered_apart_from_the_description() {
    let with: Vec<&Source> = content()
        .public_items()
        .into_iter()
        .filter(|i| i.body.contains("\n## 录文") || i.body.starts_with("## 录文"))
        .collect();
    assert!(!with.is_empty());
    for item in &with {
        let html = item_page(&item.stem);
        let transcription = one(&html, "section.transcription");
        let transcription_text = text(transcription);
        assert!(!transcription_text.is_empty());
        // The last non-empty line of the Markdown body is in the
        // transcription, not in the description.
        let last_line = item
            .body
            .lines()
            .rev()
            .map(|l| l.trim_start_matches(['>', ' ', '-', '*']).trim())
            .find(|l| l.chars().count() > 4 && !l.contains(['*', '[', '`', '|']))
            .unwrap();
        let probe: String = last_line
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(6)
            .collect();
        assert!(
            transcription_text.contains(&probe),
            "{}: `{probe}` not in the transcription",
            item.stem
        );
        let description: String = texts(&html, ".item-description").join(" ");
        assert!(
            !description.contains(&probe),
            "{}: `{probe}` in the description",
            item.stem
        );
    }
    let hx_0001 = item_page("hx-0001");
    assert!(text(one(&hx_0001, ".transcription")).contains("自主的而非奴隶的"));
    // An item without `## 录文` has no transcription section.
    let without = content()
        .public_items()
        .into_iter()
        .find(|i| !i.body.contains("## 录文"))
        .unwrap();
    assert_eq!(
        item_page(&without.stem)
            .select(&sel(".transcription"))
            .count(),
        0
    );
}

#[test]
fn items_list_the_sections_that_show_or_quote_them() {
    let mut pairs = 0;
    for (slug, _, sections) in &content().exhibits {
        for section in sections.iter().filter(|s| s.is_public()) {
            let section_url = url(&format!("exhibits/{slug}/{}/", section.section_slug()));
            for (id, quoted) in shown_item_ids(&section.body)
                .into_iter()
                .map(|id| (id, false))
                .chain(
                    quoted_item_ids(&section.body)
                        .into_iter()
                        .map(|id| (id, true)),
                )
            {
                let html = item_page(&id);
                let entries: Vec<(String, bool)> = html
                    .select(&sel(".shown-in li"))
                    .map(|li| {
                        let href = li
                            .select(&sel("a[href]"))
                            .next()
                            .and_then(|a| a.value().attr("href"))
                            .unwrap_or("")
                            .to_string();
                        (href, text(li).contains("摘录"))
                    })
                    .collect();
                assert!(
                    entries.contains(&(section_url.clone(), quoted)),
                    "{id}: `shown in` lacks {section_url} (quoted: {quoted}): {entries:?}"
                );
                pairs += 1;
            }
        }
    }
    assert!(pairs > 30, "only {pairs} references");
    // A draft section is not listed.
    let shown_in = attrs(&item_page("hx-0012"), ".shown-in a", "href");
    assert!(shown_in.iter().all(|h| !h.contains("labour-movement")));
}

#[test]
fn citations_follow_gb_t_7714() {
    for item in content().public_items() {
        let html = item_page(&item.stem);
        let cited = texts(&html, ".citation dd");
        assert_eq!(cited.len(), 2, "{}: {cited:?}", item.stem);
        let (original, online) = (&cited[0], &cited[1]);
        let title = item.title();
        let reference = item.text("ref").unwrap();
        assert!(original.contains(&format!("{title}[A].")), "{original}");
        assert!(!original.contains("[A/OL]"), "{original}");
        assert!(original.ends_with(&format!(",{reference}.")), "{original}");
        assert!(online.contains(&format!("{title}[A/OL].")), "{online}");
        let link = permalink(&format!("archive/{}/", item.stem));
        assert!(online.contains(&link), "{online} lacks {link}");
        if let Some(published) = item.text("published") {
            assert!(online.contains(&format!("({published})")), "{online}");
        }
    }
    let html = item_page("hx-0001");
    let cited = texts(&html, ".citation dd");
    assert_eq!(
        cited[0],
        "陈独秀,上海群益书社.《青年杂志》第一卷第一号（复制件）[A].1915-09-15.兰台示例档案馆,D2-1-1915-001."
    );
}

#[test]
fn sections_link_previous_and_next() {
    for (slug, _, sections) in &content().exhibits {
        let public: Vec<&Source> = sections.iter().filter(|s| s.is_public()).collect();
        assert!(
            public.len() >= 3,
            "{slug} needs a middle section for this test"
        );
        for (i, section) in public.iter().enumerate() {
            let path = format!("exhibits/{slug}/{}/", section.section_slug());
            let html = page(out(), &path);
            let prev = attrs(&html, "a[rel=prev]", "href");
            let next = attrs(&html, "a[rel=next]", "href");
            let expect = |j: usize| url(&format!("exhibits/{slug}/{}/", public[j].section_slug()));
            if i == 0 {
                assert!(
                    prev.is_empty(),
                    "{path}: first section has a previous one: {prev:?}"
                );
            } else {
                assert_eq!(prev, vec![expect(i - 1)], "{path}: previous");
            }
            if i + 1 == public.len() {
                assert!(
                    next.is_empty(),
                    "{path}: last section has a next one: {next:?}"
                );
            } else {
                assert_eq!(next, vec![expect(i + 1)], "{path}: next");
            }
        }
    }
}

#[test]
fn shortcode_figures_link_to_their_items() {
    for (slug, _, sections) in &content().exhibits {
        for section in sections.iter().filter(|s| s.is_public()) {
            let path = format!("exhibits/{slug}/{}/", section.section_slug());
            let html = page(out(), &path);
            for id in shown_item_ids(&section.body) {
                let item_url = url(&format!("archive/{id}/"));
                let figure = html
                    .select(&sel("main figure"))
                    .find(|f| {
                        f.select(&sel("blockquote")).next().is_none()
                            && f.select(&sel("a[href]"))
                                .any(|a| a.value().attr("href") == Some(item_url.as_str()))
                    })
                    .unwrap_or_else(|| panic!("{path}: no figure links to {item_url}"));
                let item = read_source(&demo_root(), &format!("content/archive/{id}.md"));
                let caption = text(figure);
                assert!(
                    caption.contains(&item.title()),
                    "{path}: figure of {id}: {caption}"
                );
                assert!(
                    caption.contains(&item.text("ref").unwrap()),
                    "{path}: 档号 of {id}"
                );
                if item
                    .front
                    .get("images")
                    .is_some_and(|i| i.as_array().is_some_and(|a| !a.is_empty()))
                {
                    let img = figure
                        .select(&sel("img"))
                        .next()
                        .unwrap_or_else(|| panic!("{path}: figure of {id} has no image"));
                    assert!(!img.value().attr("alt").unwrap_or("").is_empty());
                }
            }
            for id in quoted_item_ids(&section.body) {
                let item_url = url(&format!("archive/{id}/"));
                let quoted = html
                    .select(&sel("main blockquote"))
                    .any(|q| q.value().attr("cite") == Some(item_url.as_str()))
                    || html.select(&sel("main figure")).any(|f| {
                        f.select(&sel("blockquote")).next().is_some()
                            && f.select(&sel("a[href]"))
                                .any(|a| a.value().attr("href") == Some(item_url.as_str()))
                    });
                assert!(quoted, "{path}: no quotation attributed to {id}");
            }
        }
    }
}

#[test]
fn shortcodes_in_code_stay_literal() {
    let html = page(out(), "guide/");
    let code: String = texts(&html, "main pre, main code").join("\n");
    assert!(code.contains(r#"{{ item(id="hx-9999") }}"#), "{code}");
    assert!(code.contains(r#"{% excerpt(item="hx-9999") %}"#), "{code}");
    assert!(code.contains(r#"{{ figure(src="map.svg""#), "{code}");
    assert!(
        attrs(&html, "a[href]", "href")
            .iter()
            .all(|h| !h.contains("hx-9999")),
        "a link to hx-9999 was made"
    );
    assert_eq!(html.select(&sel("main figure")).count(), 0);
    // The only `{{` on the page is inside code.
    for element in html.select(&sel("main p, main li, main td")) {
        let outside_code: String = element
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect();
        assert!(
            !outside_code.contains("{{"),
            "shortcode text outside code: {outside_code}"
        );
    }
    // And no page shows an unexpanded shortcode outside code.
    for file in html_files(out()) {
        let html = read_html(&out().join(&file));
        for element in html.select(&sel("main p, main figcaption, main li")) {
            let own: String = element
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            assert!(
                !own.contains("{{ item(") && !own.contains("{% excerpt"),
                "{}: unexpanded shortcode: {own}",
                file.display()
            );
        }
    }
}

/// Everything of the demo that must never be published: (what, text).
fn withheld(include_drafts: bool) -> Vec<(String, String)> {
    let mut hidden = Vec::new();
    for item in &content().items {
        if item.is_restricted() || (!include_drafts && item.is_draft()) {
            hidden.push((format!("{} id", item.stem), item.stem.clone()));
            hidden.push((format!("{} title", item.stem), item.title()));
            hidden.push((format!("{} ref", item.stem), item.text("ref").unwrap()));
        }
    }
    if !include_drafts {
        for (slug, _, sections) in &content().exhibits {
            for section in sections.iter().filter(|s| s.is_draft()) {
                hidden.push((format!("{slug}/{} title", section.stem), section.title()));
                hidden.push((
                    format!("{slug}/{} slug", section.stem),
                    format!("{slug}/{}", section.section_slug()),
                ));
            }
        }
    }
    hidden
}

fn assert_nothing_withheld_in(out: &Path, hidden: &[(String, String)]) {
    let files = snapshot(out);
    assert!(files.len() > 100);
    let mut leaks = Vec::new();
    for (path, bytes) in &files {
        for (what, needle) in hidden {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                leaks.push(format!("{path} contains {what} `{needle}`"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "withheld content was published:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn restricted_and_draft_content_is_in_no_output_file() {
    let restricted: Vec<&Source> = content()
        .items
        .iter()
        .filter(|i| i.is_restricted())
        .collect();
    let drafts: Vec<&Source> = content().items.iter().filter(|i| i.is_draft()).collect();
    assert!(
        !restricted.is_empty() && !drafts.is_empty(),
        "the demo has both"
    );
    let hidden = withheld(false);
    assert!(
        hidden
            .iter()
            .any(|(what, _)| what.contains("labour-movement") || what.contains("05-"))
    );
    assert_nothing_withheld_in(out(), &hidden);
    for item in restricted.iter().chain(&drafts) {
        assert!(!out().join("archive").join(&item.stem).exists());
    }
}

#[test]
fn a_tag_used_only_by_withheld_items_has_no_page() {
    let public = content().public_tags();
    let only_withheld: BTreeSet<String> = content()
        .items
        .iter()
        .filter(|i| !i.is_public())
        .flat_map(|i| i.list("tags"))
        .filter(|t| !public.contains(t))
        .collect();
    assert!(only_withheld.contains("馆务"), "{only_withheld:?}");
    let index = page(out(), "tags/");
    let index_text = text(one(&index, "main"));
    for tag in &only_withheld {
        let slug = tag_slug(tag);
        assert!(
            !out().join("tags").join(&slug).exists(),
            "tags/{slug}/ was published"
        );
        assert!(
            !index_text.contains(tag.as_str()),
            "the tag index lists {tag}"
        );
    }
    assert_eq!(tag_slug("馆务"), "guan-wu");
    // 馆务 occurs in no other content file, so it must occur in no output.
    assert_nothing_withheld_in(out(), &[("tag".to_string(), "馆务".to_string())]);
}

#[test]
fn drafts_flag_publishes_drafts_but_never_restricted_items() {
    let built = build(&demo_root(), &["--drafts"]);
    for item in content()
        .items
        .iter()
        .filter(|i| i.is_draft() && !i.is_restricted())
    {
        let html = page(&built.out, &format!("archive/{}/", item.stem));
        assert_eq!(text(one(&html, "main h1")), item.title());
    }
    for (slug, _, sections) in &content().exhibits {
        for section in sections.iter().filter(|s| s.is_draft()) {
            let html = page(
                &built.out,
                &format!("exhibits/{slug}/{}/", section.section_slug()),
            );
            assert_eq!(text(one(&html, "main h1")), section.title());
        }
    }
    assert_nothing_withheld_in(&built.out, &withheld(true));
    assert_links_resolve(&built.out, DEMO_BASE_URL);
}

// ---------------------------------------------------------------- feeds and data

/// A parsed XML element.
#[derive(Debug, Default, Clone)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn all<'a>(&'a self, name: &str) -> Vec<&'a Node> {
        let mut found = Vec::new();
        self.walk(name, &mut found);
        found
    }

    fn walk<'a>(&'a self, name: &str, found: &mut Vec<&'a Node>) {
        for child in &self.children {
            if child.name == name {
                found.push(child);
            }
            child.walk(name, found);
        }
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Parses a whole XML document strictly (matching end tags, valid escapes).
fn parse_xml(text: &str) -> Node {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack = vec![Node::default()];
    let start = |e: &quick_xml::events::BytesStart| {
        let mut node = Node {
            name: e.name().as_ref().to_string(),
            ..Node::default()
        };
        for attr in e.attributes() {
            let attr = attr.expect("a well-formed attribute");
            node.attrs.insert(
                attr.key.as_ref().to_string(),
                attr.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .expect("a valid escape")
                    .into_owned(),
            );
        }
        node
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(start(&e)),
            Event::Empty(e) => {
                let node = start(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().expect("balanced tags").children.push(node);
            }
            Event::Text(t) => {
                stack.last_mut().unwrap().text.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                if let Some(ch) = r.resolve_char_ref().expect("a valid character reference") {
                    stack.last_mut().unwrap().text.push(ch);
                    continue;
                }
                let ch = match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity &{other};"),
                };
                stack.last_mut().unwrap().text.push_str(ch);
            }
            Event::CData(t) => {
                stack.last_mut().unwrap().text.push_str(&t.xml10_content());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.remove(0)
}

fn read_text(path: &str) -> String {
    std::fs::read_to_string(out().join(path)).unwrap()
}

#[test]
fn feed_is_atom_with_absolute_links() {
    let feed = parse_xml(&read_text("feed.xml"));
    assert_eq!(feed.name, "feed");
    assert_eq!(
        feed.attrs.get("xmlns").map(String::as_str),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated"] {
        assert!(
            feed.child(required)
                .is_some_and(|n| !n.text.trim().is_empty()),
            "feed <{required}>"
        );
    }
    let checker = LinkChecker::new(out(), DEMO_BASE_URL);
    let entries = feed.all("entry");
    assert!(entries.len() >= 10, "{} entries", entries.len());
    let mut ids = BTreeSet::new();
    for entry in &entries {
        let id = entry
            .child("id")
            .expect("entry <id>")
            .text
            .trim()
            .to_string();
        assert!(ids.insert(id.clone()), "duplicate entry id {id}");
        assert!(
            entry
                .child("title")
                .is_some_and(|t| !t.text.trim().is_empty())
        );
        assert!(
            entry
                .child("updated")
                .is_some_and(|t| !t.text.trim().is_empty())
        );
        let link = entry
            .child("link")
            .and_then(|l| l.attrs.get("href"))
            .expect("entry <link href>");
        assert!(link.starts_with(DEMO_BASE_URL), "relative feed link {link}");
        let path = &link["https://example.org".len()..];
        checker
            .file_of(path)
            .unwrap_or_else(|e| panic!("feed link {link} {e}"));
    }
    let self_link: Vec<&Node> = feed
        .children
        .iter()
        .filter(|c| c.name == "link" && c.attrs.get("rel").map(String::as_str) == Some("self"))
        .collect();
    assert_eq!(self_link[0].attrs["href"], permalink("feed.xml"));
}

#[test]
fn sitemap_lists_every_page_absolute() {
    let sitemap = parse_xml(&read_text("sitemap.xml"));
    assert_eq!(sitemap.name, "urlset");
    let locs: Vec<String> = sitemap
        .all("loc")
        .iter()
        .map(|l| l.text.trim().to_string())
        .collect();
    let unique: BTreeSet<&String> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len(), "duplicate <loc>");
    let checker = LinkChecker::new(out(), DEMO_BASE_URL);
    for loc in &locs {
        assert!(loc.starts_with(DEMO_BASE_URL), "{loc}");
        checker
            .file_of(&loc["https://example.org".len()..])
            .unwrap_or_else(|e| panic!("sitemap {loc} {e}"));
    }
    for item in content().public_items() {
        let item_url = permalink(&format!("archive/{}/", item.stem));
        assert!(unique.contains(&item_url), "sitemap lacks {item_url}");
    }
    for (slug, _, sections) in &content().exhibits {
        assert!(unique.contains(&permalink(&format!("exhibits/{slug}/"))));
        for section in sections.iter().filter(|s| s.is_public()) {
            let section_url = permalink(&format!("exhibits/{slug}/{}/", section.section_slug()));
            assert!(unique.contains(&section_url), "sitemap lacks {section_url}");
        }
    }
    assert!(
        !unique.contains(&permalink("404.html")),
        "the 404 page is in the sitemap"
    );
    let robots = read_text("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l.trim() == format!("Sitemap: {}", permalink("sitemap.xml"))),
        "{robots}"
    );
}

const SPEC_FIELDS: [&str; 18] = [
    "id",
    "ref",
    "title",
    "date",
    "date_start",
    "date_end",
    "type",
    "creator",
    "fonds",
    "repository",
    "extent",
    "language",
    "source",
    "rights",
    "tags",
    "people",
    "places",
    "url",
];

fn items_json() -> Vec<serde_json::Value> {
    let value: serde_json::Value =
        serde_json::from_str(&read_text("data/items.json")).expect("valid JSON");
    value.as_array().expect("a JSON array").clone()
}

#[test]
fn items_json_is_the_public_catalogue() {
    let entries = items_json();
    let public = content().public_items();
    let ids: BTreeSet<String> = entries
        .iter()
        .map(|e| e["id"].as_str().expect("id is text").to_string())
        .collect();
    let expected: BTreeSet<String> = public.iter().map(|i| i.stem.clone()).collect();
    assert_eq!(ids, expected);
    assert_eq!(entries.len(), public.len());
    for entry in &entries {
        let object = entry.as_object().expect("entries are objects");
        for field in SPEC_FIELDS {
            assert!(object.contains_key(field), "{} lacks {field}", entry["id"]);
        }
        let id = entry["id"].as_str().unwrap();
        let item = public.iter().find(|i| i.stem == id).unwrap();
        assert_eq!(entry["title"].as_str(), Some(item.title().as_str()));
        assert_eq!(entry["ref"].as_str(), item.text("ref").as_deref());
        assert_eq!(
            entry["date"].as_str(),
            item.text("date").as_deref(),
            "{id}: date as written"
        );
        assert_eq!(entry["type"].as_str(), item.text("type").as_deref());
        assert_eq!(
            entry["url"].as_str(),
            Some(permalink(&format!("archive/{id}/")).as_str())
        );
        let start = entry["date_start"].as_str().expect("date_start");
        let end = entry["date_end"].as_str().expect("date_end");
        assert!(
            start.len() == 10 && end.len() == 10 && start <= end,
            "{id}: {start}..{end}"
        );
        for list in ["tags", "people", "places"] {
            let values: Vec<String> = entry[list]
                .as_array()
                .unwrap_or_else(|| panic!("{id}: {list} is a list"))
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            assert_eq!(values, item.list(list), "{id}: {list}");
        }
    }
    let hx_0012 = entries.iter().find(|e| e["id"] == "hx-0012").unwrap();
    assert_eq!(hx_0012["date_start"], "1920-11-01");
    assert_eq!(hx_0012["date_end"], "1921-07-31");
}

#[test]
fn items_csv_has_a_bom_and_one_row_per_item() {
    let bytes = std::fs::read(out().join("data/items.csv")).unwrap();
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "no UTF-8 byte order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let records = parse_csv(&text);
    let header: Vec<&str> = records[0].iter().map(String::as_str).collect();
    assert_eq!(header, SPEC_FIELDS.to_vec());
    let rows = &records[1..];
    let entries = items_json();
    assert_eq!(rows.len(), entries.len());
    for (row, entry) in rows.iter().zip(&entries) {
        assert_eq!(row.len(), SPEC_FIELDS.len());
        assert_eq!(
            row[0],
            entry["id"].as_str().unwrap(),
            "same order as items.json"
        );
        let tags: Vec<&str> = entry["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(row[14], tags.join(";"), "{}: tags joined by ;", row[0]);
        assert_eq!(row[17], entry["url"].as_str().unwrap());
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let again = build(&demo_root(), &[]);
    let first = snapshot(out());
    let second = snapshot(&again.out);
    let names = |s: &BTreeMap<String, Vec<u8>>| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&first), names(&second), "different files");
    let differing: Vec<&String> = first
        .iter()
        .filter(|(path, bytes)| second.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differing.is_empty(),
        "files differ between builds: {differing:?}"
    );
}

/// The link checker itself must catch what it is meant to catch, or the
/// link tests above prove nothing.
#[test]
fn the_link_checker_reports_broken_links_and_anchors() {
    let tmp = temp_dir();
    let out = tmp.path();
    write_files(
        out,
        &[
            (
                "index.html",
                r##"<html><body><main id="top">
                <a href="/sub/a/">ok</a>
                <a href="/sub/a/#here">ok anchor</a>
                <a href="#top">ok same page</a>
                <a href="https://example.org/sub/a/">ok absolute</a>
                <a href="https://elsewhere.org/x">external</a>
                <img src="/sub/%E5%9B%BE%20%E7%89%87.svg" alt="ok encoded">
                <a href="/sub/missing/">broken page</a>
                <a href="/sub/a/#nowhere">broken anchor</a>
                <a href="/other/a/">outside base</a>
                <a href="/sub/a">no slash</a>
                <a href="https://example.org/other/">same host, outside</a>
                </main></body></html>"##,
            ),
            (
                "a/index.html",
                r#"<html><body><p id="here">x</p></body></html>"#,
            ),
            ("图 片.svg", "<svg/>"),
        ],
    );
    let mut checker = LinkChecker::new(out, "https://example.org/sub/");
    let (broken, checked) = checker.check_site();
    assert_eq!(checked, 11);
    let links: Vec<&str> = broken.iter().map(|b| b.link.as_str()).collect();
    assert_eq!(
        links,
        vec![
            "/other/a/",
            "/sub/a",
            "/sub/a/#nowhere",
            "/sub/missing/",
            "https://example.org/other/"
        ]
    );
}

/// The earliest day a date can mean (`1920-11/1921-07` → `1920-11-01`).
fn earliest_day(raw: &str) -> String {
    let start = raw.split('/').next().unwrap().trim_end_matches(['~', '?']);
    let mut parts: Vec<&str> = start.split('-').collect();
    while parts.len() < 3 {
        parts.push("01");
    }
    parts.join("-")
}

/// The item ids linked from a page's <main>, first appearance order.
fn linked_items(html: &Html) -> Vec<String> {
    let prefix = url("archive/");
    let mut ids: Vec<String> = Vec::new();
    for href in attrs(html, "main a[href]", "href") {
        if let Some(id) = href.strip_prefix(&prefix).and_then(|r| r.strip_suffix('/'))
            && !id.is_empty()
            && !id.contains('/')
            && !ids.iter().any(|i| i == id)
        {
            ids.push(id.to_string());
        }
    }
    ids
}

#[test]
fn archive_lists_every_public_item_by_earliest_date_then_ref() {
    let mut expected: Vec<(String, String, String)> = content()
        .public_items()
        .iter()
        .map(|i| {
            (
                earliest_day(&i.text("date").unwrap()),
                i.text("ref").unwrap(),
                i.stem.clone(),
            )
        })
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, _, id)| id).collect();
    assert_eq!(linked_items(&page(out(), "archive/")), expected);
}

#[test]
fn timeline_places_every_item_in_its_year() {
    let html = page(out(), "timeline/");
    let mut years: Vec<(u32, Vec<String>)> = Vec::new();
    for section in html.select(&sel("main section")) {
        let Some(heading) = section.select(&sel("h2, h3")).next() else {
            continue;
        };
        let Some(year) = text(heading)
            .strip_suffix('年')
            .and_then(|y| y.parse().ok())
        else {
            continue;
        };
        let ids = section
            .select(&sel("a[href]"))
            .filter_map(|a| {
                a.value()
                    .attr("href")?
                    .strip_prefix(&url("archive/"))?
                    .strip_suffix('/')
                    .map(str::to_string)
            })
            .collect();
        years.push((year, ids));
    }
    assert!(years.len() > 5, "{years:?}");
    assert!(
        years.windows(2).all(|w| w[0].0 < w[1].0),
        "years in order: {years:?}"
    );
    for item in content().public_items() {
        let year: u32 = earliest_day(&item.text("date").unwrap())[..4]
            .parse()
            .unwrap();
        let found: Vec<u32> = years
            .iter()
            .filter(|(_, ids)| ids.contains(&item.stem))
            .map(|(y, _)| *y)
            .collect();
        assert_eq!(found, vec![year], "{} on the timeline", item.stem);
    }
    // Exhibits appear at their `opened` date.
    for (slug, exhibit, _) in &content().exhibits {
        if let Some(opened) = exhibit.text("opened") {
            let exhibit_url = url(&format!("exhibits/{slug}/"));
            let year = &opened[..4];
            let section = html
                .select(&sel("main section"))
                .find(|s| {
                    s.select(&sel("h2, h3"))
                        .next()
                        .is_some_and(|h| text(h) == format!("{year}年"))
                })
                .unwrap_or_else(|| panic!("no year {year} on the timeline"));
            assert!(
                attrs(&Html::parse_fragment(&section.html()), "a[href]", "href")
                    .contains(&exhibit_url),
                "{exhibit_url} not in {year}"
            );
        }
    }
}

#[test]
fn people_and_places_list_their_items() {
    let mut pairs = 0;
    for person in &content().people {
        let listed = linked_items(&page(out(), &format!("people/{}/", person.stem)));
        for item in content().public_items() {
            if item.list("people").contains(&person.stem)
                || item.list("creator").contains(&person.stem)
            {
                assert!(
                    listed.contains(&item.stem),
                    "people/{}/ lacks {}",
                    person.stem,
                    item.stem
                );
                pairs += 1;
            }
        }
        assert!(
            listed
                .iter()
                .all(|id| content().public_items().iter().any(|i| &i.stem == id))
        );
    }
    for place in &content().places {
        let listed = linked_items(&page(out(), &format!("places/{}/", place.stem)));
        for item in content().public_items() {
            if item.list("places").contains(&place.stem) {
                assert!(
                    listed.contains(&item.stem),
                    "places/{}/ lacks {}",
                    place.stem,
                    item.stem
                );
                pairs += 1;
            }
        }
    }
    assert!(pairs > 30, "{pairs}");
    // The index pages link every record.
    let people = attrs(&page(out(), "people/"), "main a[href]", "href");
    for person in &content().people {
        assert!(people.contains(&url(&format!("people/{}/", person.stem))));
    }
    let places = attrs(&page(out(), "places/"), "main a[href]", "href");
    for place in &content().places {
        assert!(places.contains(&url(&format!("places/{}/", place.stem))));
    }
}

#[test]
fn exhibits_list_their_sections_in_order() {
    let home = attrs(&page(out(), ""), "main a[href]", "href");
    let list = attrs(&page(out(), "exhibits/"), "main a[href]", "href");
    for (slug, _, sections) in &content().exhibits {
        let exhibit_url = url(&format!("exhibits/{slug}/"));
        assert!(home.contains(&exhibit_url), "home lacks {exhibit_url}");
        assert!(
            list.contains(&exhibit_url),
            "/exhibits/ lacks {exhibit_url}"
        );
        let mut linked: Vec<String> = Vec::new();
        for href in attrs(
            &page(out(), &format!("exhibits/{slug}/")),
            "main a[href]",
            "href",
        ) {
            if href.starts_with(&exhibit_url) && href != exhibit_url && !linked.contains(&href) {
                linked.push(href);
            }
        }
        let expected: Vec<String> = sections
            .iter()
            .filter(|s| s.is_public())
            .map(|s| url(&format!("exhibits/{slug}/{}/", s.section_slug())))
            .collect();
        assert_eq!(linked, expected, "sections of {slug}");
    }
}
