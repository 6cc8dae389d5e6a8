//! The `/browse/` facet pages: one per type, decade, tag, person and place
//! that an item has, with the right items, paginated, and every link on
//! them leading to a page that exists.

mod common;

use std::path::Path;

use common::*;

/// The item cards' links on a page.
fn card_links(out: &Path, site_path: &str) -> Vec<String> {
    let html = read_html(&page_file(out, site_path));
    html.select(&sel("main .cards .card-title a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

/// Every link on a page under the base path `/sub/` resolves to a file.
fn assert_links_resolve(out: &Path, site_path: &str) {
    let html = read_html(&page_file(out, site_path));
    for a in html.select(&sel("a[href^='/sub/']")) {
        let href = a.value().attr("href").unwrap_or_default();
        let path = href.trim_start_matches("/sub/");
        let path = path.split('#').next().unwrap_or_default();
        assert!(
            page_file(out, path).is_file(),
            "{site_path} links to {href}, which was not built"
        );
    }
}

#[test]
fn every_facet_value_of_the_fixture_has_a_page() {
    let site = write_site(&fixture_site());
    let built = build(site.path(), &[]);
    let out = &built.out;
    // hx-0001: letter, 1921, 建党, li-da (creator and people), yida.
    // hx-0002: photograph, 1920~.
    assert_eq!(
        card_links(out, "browse/type/letter/"),
        ["/sub/archive/hx-0001/"]
    );
    assert_eq!(
        card_links(out, "browse/type/photograph/"),
        ["/sub/archive/hx-0002/"]
    );
    assert_eq!(
        card_links(out, "browse/decade/1920/"),
        ["/sub/archive/hx-0002/", "/sub/archive/hx-0001/"]
    );
    assert_eq!(
        card_links(out, "browse/person/li-da/"),
        ["/sub/archive/hx-0001/"]
    );
    assert_eq!(
        card_links(out, "browse/place/yida/"),
        ["/sub/archive/hx-0001/"]
    );
    assert_eq!(
        card_links(out, "browse/tag/jian-dang/"),
        ["/sub/archive/hx-0001/"]
    );
    // No page for a type nobody has.
    assert!(!page_file(out, "browse/type/map/").exists());

    let index = read_html(&page_file(out, "browse/"));
    let values: Vec<String> = index
        .select(&sel("main .facet-values a"))
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(
        values,
        [
            "照片（1）",
            "信函（1）",
            "1920年代（2）",
            "建党（1）",
            "李达（1）",
            "一大会址（1）"
        ]
    );
    for page in [
        "browse/",
        "browse/type/letter/",
        "browse/decade/1920/",
        "archive/",
    ] {
        assert_links_resolve(out, page);
    }
    // The archive links to the facet index and carries the filter values.
    let archive = read_html(&page_file(out, "archive/"));
    assert!(
        archive
            .select(&sel("main a[href='/sub/browse/']"))
            .next()
            .is_some()
    );
    let letter = archive
        .select(&sel("main .cards li.type-letter"))
        .next()
        .expect("the letter's card");
    assert_eq!(letter.value().attr("data-decade"), Some("1920"));
    assert_eq!(letter.value().attr("data-person"), Some("li-da"));
    assert_eq!(letter.value().attr("data-place"), Some("yida"));
    assert_eq!(letter.value().attr("data-tag"), Some("jian-dang"));
}

#[test]
fn long_facets_are_paginated() {
    let mut files: Vec<(String, String)> = fixture_site()
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    for n in 3..=105 {
        files.push((
            format!("content/archive/hx-{n:04}.md"),
            format!(
                "---\nref: T-1935-{n:03}\ntitle: 信函{n}\ndate: 1935-01-01\ntype: letter\n---\n"
            ),
        ));
    }
    let site = write_site(&files);
    let built = build(site.path(), &[]);
    let out = &built.out;
    // 104 letters: 100 on the first page, 4 on the second.
    assert_eq!(card_links(out, "browse/type/letter/").len(), 100);
    assert_eq!(card_links(out, "browse/type/letter/page/2/").len(), 4);
    assert!(!page_file(out, "browse/type/letter/page/3/").exists());
    let second = read_html(&page_file(out, "browse/type/letter/page/2/"));
    let prev: Vec<&str> = second
        .select(&sel(".pagination a[rel='prev']"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(prev, ["/sub/browse/type/letter/"]);
    assert_eq!(card_links(out, "browse/decade/1930/").len(), 100);
    assert_links_resolve(out, "browse/type/letter/page/2/");
    assert_links_resolve(out, "browse/type/letter/");
}
