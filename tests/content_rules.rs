//! Rules of SPEC.md checked on small fixture sites: pagination, escaping,
//! ordering, link rewriting, independence from the build folder.

mod common;

use common::*;
use scraper::Html;

fn item_ids_in(html: &Html, base: &str) -> Vec<String> {
    let prefix = format!("{base}archive/");
    let mut ids: Vec<String> = Vec::new();
    for href in attrs(html, "main a[href]", "href") {
        if let Some(id) = href.strip_prefix(&prefix).and_then(|r| r.strip_suffix('/'))
            && !id.contains('/')
            && !id.is_empty()
            && !ids.iter().any(|i| i == id)
        {
            ids.push(id.to_string());
        }
    }
    ids
}

#[test]
fn long_lists_are_paginated_by_100() {
    let mut files: Vec<(String, String)> = fixture_site()
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    for n in 0..150 {
        files.push((
            format!("content/archive/p-{n:03}.md"),
            format!(
                "---\nref: P-{n:03}\ntitle: 分页条目{n}\ndate: {}\ntype: document\ntags: [分页]\n---\n",
                1800 + n
            ),
        ));
    }
    let site = write_site(&files);
    let built = build(site.path(), &[]);
    let first = item_ids_in(&page(&built.out, "archive/"), "/sub/");
    let second = item_ids_in(&page(&built.out, "archive/page/2/"), "/sub/");
    assert_eq!(first.len(), 100, "first page");
    assert_eq!(second.len(), 152 - 100, "second page");
    assert!(first.iter().all(|id| !second.contains(id)), "pages overlap");
    // Sorted by date across pages: the oldest first.
    assert_eq!(first[0], "p-000");
    assert_eq!(second.last().map(String::as_str), Some("p-149"));
    // 1920~ and 1921-07-23 fall between 1920 and 1922.
    let position = |id: &str| second.iter().position(|i| i == id).unwrap();
    assert!(position("p-120") < position("hx-0002"));
    assert!(position("hx-0002") < position("hx-0001"));
    assert!(position("hx-0001") < position("p-122"));
    assert!(!page_file(&built.out, "archive/page/3/").exists());
    // The pages link each other.
    let links_of_first = attrs(&page(&built.out, "archive/"), "a[href]", "href");
    assert!(links_of_first.contains(&"/sub/archive/page/2/".to_string()));
    let links_of_second = attrs(&page(&built.out, "archive/page/2/"), "a[href]", "href");
    assert!(links_of_second.contains(&"/sub/archive/".to_string()));
    assert_links_resolve(&built.out, FIXTURE_BASE_URL);
}

#[test]
fn front_matter_values_are_escaped_and_raw_html_in_bodies_passes() {
    let title = r#"<script>alert("x")</script> & 《宣言》"#;
    let site = write_site(&fixture_with(&[(
        "content/archive/hx-0002.md",
        "---\nref: 'T-2 <b>'\ntitle: '<script>alert(\"x\")</script> & 《宣言》'\ndate: 1920\ntype: photograph\nfonds: '<img src=x onerror=alert(1)>'\n---\n正文里的<span lang=\"en\">Manifesto</span>是原样保留的 HTML。\n",
    )]));
    let built = build(site.path(), &[]);
    let html = page(&built.out, "archive/hx-0002/");
    assert_eq!(
        html.select(&sel("script")).count(),
        0,
        "a front-matter value became markup"
    );
    assert_eq!(
        html.select(&sel("main img")).count(),
        0,
        "a front-matter value became markup"
    );
    assert_eq!(text(one(&html, "main h1")), title);
    assert!(text(one(&html, "main")).contains("<img src=x onerror=alert(1)>"));
    let span = one(&html, "main span[lang=en]");
    assert_eq!(text(span), "Manifesto");
    // Everywhere the title is shown it stays text. (The search page loads
    // the theme's script by `src`; an injected title would be inline.)
    for file in html_files(&built.out) {
        let page_html = read_html(&built.out.join(&file));
        assert_eq!(
            page_html.select(&sel("script:not([src])")).count(),
            0,
            "{}",
            file.display()
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(built.out.join("data/items.json")).unwrap())
            .unwrap();
    let entry = json
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "hx-0002")
        .unwrap();
    assert_eq!(entry["title"], title);
    let feed = std::fs::read_to_string(built.out.join("feed.xml")).unwrap();
    assert!(!feed.contains("<script>"), "the feed is not escaped");
    let mut reader = quick_xml::Reader::from_str(&feed);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("feed.xml is not well-formed: {e}"),
        }
    }
}

#[test]
fn sections_are_ordered_by_weight_then_file_name() {
    let site = write_site(&fixture_with(&[
        (
            "content/exhibits/ex/01-one.md",
            "---\ntitle: 甲\nweight: 3\n---\n甲。\n",
        ),
        (
            "content/exhibits/ex/02-two.md",
            "---\ntitle: 乙\nweight: 1\n---\n乙。\n",
        ),
        (
            "content/exhibits/ex/03-three.md",
            "---\ntitle: 丙\nweight: 2\n---\n丙。\n",
        ),
        (
            "content/exhibits/ex/04-four.md",
            "---\ntitle: 丁\nweight: 2\n---\n丁。\n",
        ),
    ]));
    let built = build(site.path(), &[]);
    let order = ["two", "three", "four", "one"];
    for (i, slug) in order.iter().enumerate() {
        let html = page(&built.out, &format!("exhibits/ex/{slug}/"));
        let prev = attrs(&html, "a[rel=prev]", "href");
        let next = attrs(&html, "a[rel=next]", "href");
        let expected_prev: Vec<String> = i
            .checked_sub(1)
            .map(|j| format!("/sub/exhibits/ex/{}/", order[j]))
            .into_iter()
            .collect();
        let expected_next: Vec<String> = order
            .get(i + 1)
            .map(|s| format!("/sub/exhibits/ex/{s}/"))
            .into_iter()
            .collect();
        assert_eq!(prev, expected_prev, "{slug}: previous");
        assert_eq!(next, expected_next, "{slug}: next");
    }
    let landing = attrs(&page(&built.out, "exhibits/ex/"), "main a[href]", "href");
    let listed: Vec<&String> = landing
        .iter()
        .filter(|h| h.starts_with("/sub/exhibits/ex/") && h.as_str() != "/sub/exhibits/ex/")
        .collect();
    let mut unique: Vec<&String> = Vec::new();
    for h in listed {
        if !unique.contains(&h) {
            unique.push(h);
        }
    }
    let expected: Vec<String> = order
        .iter()
        .map(|s| format!("/sub/exhibits/ex/{s}/"))
        .collect();
    assert_eq!(unique, expected.iter().collect::<Vec<_>>());
}

#[test]
fn content_links_are_rewritten_under_the_sub_path() {
    let site = write_site(&fixture_with(&[(
        "content/exhibits/ex/02-two.md",
        "---\ntitle: 第二单元\n---\n见[李达](@/people/li-da.md)、[一大会址](/places/yida/)、[信函](@/archive/hx-0001.md)和[展览](@/exhibits/ex/_index.md)。\n",
    )]));
    let built = build(site.path(), &[]);
    let html = page(&built.out, "exhibits/ex/two/");
    let paragraph = html
        .select(&sel("main p"))
        .find(|p| text(*p).starts_with("见李达"))
        .expect("the paragraph");
    let hrefs = attrs(&Html::parse_fragment(&paragraph.html()), "a[href]", "href");
    assert_eq!(
        hrefs,
        vec![
            "/sub/people/li-da/",
            "/sub/places/yida/",
            "/sub/archive/hx-0001/",
            "/sub/exhibits/ex/"
        ]
    );
    assert_links_resolve(&built.out, FIXTURE_BASE_URL);
}

#[test]
fn the_output_does_not_depend_on_where_the_site_is() {
    let a = write_site(&fixture_site());
    let b_outer = temp_dir();
    let b = b_outer.path().join("深 一层").join("site");
    write_files(&b, &fixture_site());
    let first = build(a.path(), &[]);
    let second = build(&b, &[]);
    let one = snapshot(&first.out);
    let two = snapshot(&second.out);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "{path} depends on the site's folder");
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(env!("CARGO_TARGET_TMPDIR")),
            "{path} contains a path of the build machine"
        );
    }
}

#[test]
fn creators_that_are_people_link_and_others_are_text() {
    let site = write_site(&fixture_site());
    let built = build(site.path(), &[]);
    let html = page(&built.out, "archive/hx-0001/");
    let row = html
        .select(&sel("table.metadata tr"))
        .find(|r| {
            r.select(&sel("th"))
                .next()
                .is_some_and(|th| text(th) == "责任者")
        })
        .expect("a 责任者 row");
    let links = attrs(&Html::parse_fragment(&row.html()), "a", "href");
    assert_eq!(links, vec!["/sub/people/li-da/".to_string()]);
    let cell = text(row.select(&sel("td")).next().unwrap());
    assert!(cell.contains("李达") && cell.contains("某人"), "{cell}");
    // The person page lists the item.
    let person = page(&built.out, "people/li-da/");
    assert!(item_ids_in(&person, "/sub/").contains(&"hx-0001".to_string()));
}

#[test]
fn exhibit_cover_may_be_an_item_id() {
    let site = write_site(&fixture_with(&[(
        "content/exhibits/ex/_index.md",
        "---\ntitle: 测试展览\ncover: hx-0001\n---\n前言。\n",
    )]));
    let built = build(site.path(), &[]);
    for path in ["", "exhibits/"] {
        let html = page(&built.out, path);
        let srcs = attrs(&html, "main img", "src");
        assert!(
            srcs.contains(&"/sub/archive/hx-0001/scan.svg".to_string()),
            "{path}: the cover is the item's image: {srcs:?}"
        );
    }
    assert_links_resolve(&built.out, FIXTURE_BASE_URL);
}

#[test]
fn home_lists_exhibits_by_weight_then_newest_opened() {
    let site = write_site(&fixture_with(&[
        (
            "content/exhibits/ex/_index.md",
            "---\ntitle: 旧展\nopened: 2020-01-01\n---\n",
        ),
        (
            "content/exhibits/newer/_index.md",
            "---\ntitle: 新展\nopened: 2024-01-01\n---\n",
        ),
        (
            "content/exhibits/first/_index.md",
            "---\ntitle: 置顶展\nweight: -1\nopened: 2010-01-01\n---\n",
        ),
    ]));
    let built = build(site.path(), &[]);
    let html = page(&built.out, "");
    let mut order: Vec<String> = Vec::new();
    for href in attrs(&html, "main a[href]", "href") {
        if let Some(slug) = href
            .strip_prefix("/sub/exhibits/")
            .and_then(|s| s.strip_suffix('/'))
            && !slug.is_empty()
            && !slug.contains('/')
            && !order.iter().any(|o| o == slug)
        {
            order.push(slug.to_string());
        }
    }
    assert_eq!(order, vec!["first", "newer", "ex"]);
}
