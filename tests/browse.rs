//! The `/browse/` facet pages: one per type and decade that an item has,
//! with the right items, paginated, and every link on them leading to a
//! page that exists; a topic, person or place listed by its own page, not
//! a second one under `/browse/`; and the item lists of person, place and
//! tag pages, paginated the same way.

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
    // A topic, person or place: its own page lists its items, and
    // nothing under /browse/ repeats the list.
    for (own, repeat) in [
        ("people/li-da/", "browse/person/li-da/"),
        ("places/yida/", "browse/place/yida/"),
        ("tags/jian-dang/", "browse/tag/jian-dang/"),
    ] {
        assert_eq!(card_links(out, own), ["/sub/archive/hx-0001/"], "{own}");
        assert!(!page_file(out, repeat).exists(), "{repeat}");
    }
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
    let targets: Vec<String> = attrs(&index, "main .facet-values a", "href");
    assert_eq!(
        targets,
        [
            "/sub/browse/type/photograph/",
            "/sub/browse/type/letter/",
            "/sub/browse/decade/1920/",
            "/sub/tags/jian-dang/",
            "/sub/people/li-da/",
            "/sub/places/yida/"
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

/// The fixture site plus the letters `hx-NNNN` for each `n` of `numbers`,
/// each with the front matter lines `extra(n)` gives (after ref, title and
/// type), built; `year(n)` is its date's year.
fn fixture_with_letters(
    numbers: std::ops::RangeInclusive<usize>,
    year: impl Fn(usize) -> u32,
    extra: impl Fn(usize) -> String,
) -> (tempfile::TempDir, Built) {
    let mut files: Vec<(String, String)> = fixture_site()
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    for n in numbers {
        let year = year(n);
        files.push((
            format!("content/archive/hx-{n:04}.md"),
            format!(
                "---\nref: T-{year}-{n:04}\ntitle: 信函{n}\ndate: {year}-01-01\ntype: letter\n{}---\n",
                extra(n)
            ),
        ));
    }
    let site = write_site(&files);
    let built = build(site.path(), &[]);
    (site, built)
}

#[test]
fn long_facets_are_paginated() {
    let (_site, built) = fixture_with_letters(3..=105, |_| 1935, |_| String::new());
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

/// The hrefs of the elements matching `css` on a page.
fn hrefs(out: &Path, site_path: &str, css: &str) -> Vec<String> {
    attrs(&read_html(&page_file(out, site_path)), css, "href")
}

#[test]
fn long_person_place_and_tag_pages_are_paginated() {
    // With hx-0001, 250 items share li-da, yida and 建党; ten of them
    // also have the short tag 五四.
    let (_site, built) = fixture_with_letters(
        3..=251,
        |_| 1935,
        |n| {
            let short = if n <= 12 { ", 五四" } else { "" };
            format!("people: [li-da]\nplaces: [yida]\ntags: [建党{short}]\n")
        },
    );
    let out = &built.out;
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();

    for list in ["people/li-da/", "places/yida/", "tags/jian-dang/"] {
        let page2 = format!("{list}page/2/");
        let page3 = format!("{list}page/3/");
        let first = card_links(out, list);
        let second = card_links(out, &page2);
        let third = card_links(out, &page3);
        assert_eq!(
            (first.len(), second.len(), third.len()),
            (100, 100, 50),
            "{list}"
        );
        assert!(!page_file(out, &format!("{list}page/4/")).exists());
        assert!(!page_file(out, &format!("{list}page/1/")).exists());
        // Every item once, over the three pages.
        let mut all: Vec<String> = [first, second, third].concat();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 250, "{list}");

        let url = |path: &str| format!("/sub/{path}");
        let numbers = [url(list), url(&page2), url(&page3)];
        for page in [list, page2.as_str(), page3.as_str()] {
            assert_eq!(
                hrefs(out, page, ".pagination li a:not([rel])"),
                numbers,
                "{page}"
            );
            assert_links_resolve(out, page);
        }
        assert_eq!(hrefs(out, list, ".pagination a[rel='prev']").len(), 0);
        assert_eq!(hrefs(out, list, ".pagination a[rel='next']"), [url(&page2)]);
        assert_eq!(hrefs(out, &page2, ".pagination a[rel='prev']"), [url(list)]);
        assert_eq!(
            hrefs(out, &page2, ".pagination a[rel='next']"),
            [url(&page3)]
        );
        assert_eq!(
            hrefs(out, &page3, ".pagination a[rel='prev']"),
            [url(&page2)]
        );
        assert_eq!(hrefs(out, &page3, ".pagination a[rel='next']").len(), 0);
        assert_eq!(
            hrefs(out, &page2, ".pagination a[aria-current='page']"),
            [url(&page2)]
        );

        // Later pages: their own title, canonical URL and breadcrumbs,
        // the total count, and none of the first page's text.
        let html = read_html(&page_file(out, &page2));
        let title = texts(&html, "title").concat();
        assert!(title.contains(" · 第2页 – 测试展厅"), "{page2}: {title}");
        assert_eq!(
            attrs(&html, "link[rel='canonical']", "href"),
            [format!("https://example.org{}", url(&page2))]
        );
        let crumbs = texts(&html, ".breadcrumbs li");
        assert_eq!(crumbs.len(), 4, "{page2}: {crumbs:?}");
        assert!(crumbs[3].ends_with(" · 第2页"), "{crumbs:?}");
        assert_eq!(hrefs(out, &page2, ".breadcrumbs li a")[2], url(list));
        assert!(
            texts(&html, "main .page-count")
                .concat()
                .contains("第 2 页，共 3 页"),
            "{page2}"
        );
        assert_eq!(texts(&html, "main .count"), ["250 件"], "{page2}");
        assert_eq!(html.select(&sel("main .prose")).count(), 0, "{page2}");
        assert_eq!(html.select(&sel("main .link-list")).count(), 0, "{page2}");
        // The first page keeps its title and exhibits.
        let html = read_html(&page_file(out, list));
        assert!(!texts(&html, "title").concat().contains("第"), "{list}");
        assert_eq!(html.select(&sel("main .link-list")).count(), 1, "{list}");
        assert_eq!(texts(&html, "main .count"), ["250 件"], "{list}");
        assert_eq!(html.select(&sel("main .page-count")).count(), 0, "{list}");

        for path in [list, page2.as_str(), page3.as_str()] {
            let loc = format!("<loc>https://example.org/sub/{path}</loc>");
            assert!(sitemap.contains(&loc), "the sitemap lacks {path}");
        }
        assert!(!sitemap.contains(&format!("{list}page/4/")));
    }
    // The person's and place's own text is on their first page.
    let person = read_html(&page_file(out, "people/li-da/"));
    assert_eq!(texts(&person, "main .prose"), ["生平。"]);
    assert!(!texts(&person, "main .authority-dates").is_empty());
    let place = read_html(&page_file(out, "places/yida/"));
    assert_eq!(texts(&place, "main .prose"), ["介绍。"]);
    assert_eq!(place.select(&sel("main .facts")).count(), 1);
    assert_eq!(
        read_html(&page_file(out, "places/yida/page/2/"))
            .select(&sel("main .facts"))
            .count(),
        0
    );

    // A tag of ten items fits on one page, without page links.
    let short = "tags/wu-si/";
    assert_eq!(card_links(out, short).len(), 10);
    assert!(!page_file(out, &format!("{short}page/2/")).exists());
    assert_eq!(hrefs(out, short, ".pagination a").len(), 0);
    assert!(!sitemap.contains(&format!("{short}page/")));
}

#[test]
fn long_lists_link_the_ends_and_the_pages_near_the_current_one() {
    // With hx-0001, 1,000 items share li-da: ten pages.
    let (_site, built) =
        fixture_with_letters(3..=1001, |_| 1935, |_| "people: [li-da]\n".to_string());
    let out = &built.out;
    let list = "people/li-da/";
    let url = |n: usize| match n {
        1 => format!("/sub/{list}"),
        n => format!("/sub/{list}page/{n}/"),
    };
    let page = |n: usize| match n {
        1 => list.to_string(),
        n => format!("{list}page/{n}/"),
    };
    for (current, linked) in [
        (1, vec![1, 2, 3, 10]),
        (6, vec![1, 4, 5, 6, 7, 8, 9, 10]),
        (10, vec![1, 8, 9, 10]),
    ] {
        let numbers: Vec<String> = linked.iter().map(|&n| url(n)).collect();
        assert_eq!(
            hrefs(out, &page(current), ".pagination li a:not([rel])"),
            numbers,
            "page {current}"
        );
        let html = read_html(&page_file(out, &page(current)));
        // One "…" for each run of pages left out.
        let gaps = linked.windows(2).filter(|w| w[1] > w[0] + 1).count();
        assert_eq!(
            html.select(&sel(".pagination .pagination-gap")).count(),
            gaps,
            "page {current}"
        );
        assert_links_resolve(out, &page(current));
    }
}

#[test]
fn archive_filters_offer_the_values_on_their_own_page() {
    // Two archive pages (the list is by date): the fixture's two items and
    // 98 items of 1931 with li-da on the first, 52 of 1941 with 五四 on
    // the second.
    let (_site, built) = fixture_with_letters(
        3..=152,
        |n| if n <= 100 { 1931 } else { 1941 },
        |n| {
            if n <= 100 {
                "people: [li-da]\n".to_string()
            } else {
                "tags: [五四]\n".to_string()
            }
        },
    );
    let out = &built.out;
    let mut seen_values = Vec::new();
    for page in ["archive/", "archive/page/2/"] {
        let html = read_html(&page_file(out, page));
        let cards: Vec<_> = html.select(&sel("main .cards li[data-type]")).collect();
        assert!(!cards.is_empty(), "{page}");
        for select in html.select(&sel("#archive-filters select[data-facet]")) {
            let facet = select.value().attr("data-facet").unwrap_or_default();
            // What the cards of this page have, with how many have it.
            let mut expected: std::collections::BTreeMap<String, usize> = Default::default();
            for card in &cards {
                let values = card
                    .value()
                    .attr(&format!("data-{facet}"))
                    .unwrap_or_default();
                for value in values.split_whitespace() {
                    *expected.entry(value.to_string()).or_default() += 1;
                }
            }
            let offered: std::collections::BTreeMap<String, usize> = select
                .select(&sel("option"))
                .filter_map(|option| {
                    let value = option.value().attr("value").filter(|v| !v.is_empty())?;
                    let text: String = option.text().collect();
                    let count = text
                        .rsplit('（')
                        .next()?
                        .trim_end_matches('）')
                        .parse()
                        .ok()?;
                    Some((value.to_string(), count))
                })
                .collect();
            assert_eq!(offered, expected, "{page} {facet}");
            seen_values.push((
                page,
                facet.to_string(),
                offered.into_keys().collect::<Vec<_>>(),
            ));
        }
    }
    let values_of = |page: &str, facet: &str| {
        seen_values
            .iter()
            .find(|(p, f, _)| *p == page && f == facet)
            .map(|(_, _, v)| v.clone())
            .unwrap_or_default()
    };
    assert!(values_of("archive/", "person").contains(&"li-da".to_string()));
    assert!(!values_of("archive/page/2/", "person").contains(&"li-da".to_string()));
    assert!(values_of("archive/page/2/", "tag").contains(&"wu-si".to_string()));
}

#[test]
fn links_to_browse_pages_are_checked_like_any_page() {
    let section = "content/exhibits/ex/02-two.md";
    let site = write_site(&fixture_site());
    write_files(
        site.path(),
        &[(
            section,
            "---\ntitle: 第二单元\n---\n见[分类浏览](/sub/browse/)、[信函](/sub/browse/type/letter/)与[一九二〇年代](/sub/browse/decade/1920/)。\n",
        )],
    );
    let built = build(site.path(), &[]);
    assert!(page_file(&built.out, "browse/type/letter/").is_file());

    // A facet value no item has is a broken link, named with its line.
    write_files(
        site.path(),
        &[(
            section,
            "---\ntitle: 第二单元\n---\n见[日记](/sub/browse/type/diary/)。\n",
        )],
    );
    let tmp = tempfile::tempdir().unwrap();
    let output = run_build(site.path(), &tmp.path().join("out"), &[]);
    assert!(!output.status.success());
    let stderr = stderr(&output);
    assert!(stderr.contains("E0505"), "{stderr}");
    assert!(stderr.contains("/sub/browse/type/diary/"), "{stderr}");
    assert!(stderr.contains("02-two.md:4"), "{stderr}");

    // A person's list under /browse/ is the person's own page: the error
    // says so, in the form the link was written.
    for (written, own) in [
        ("/sub/browse/person/li-da/", "/sub/people/li-da/"),
        ("/browse/tag/jian-dang/", "/tags/jian-dang/"),
    ] {
        write_files(
            site.path(),
            &[(
                section,
                &format!("---\ntitle: 第二单元\n---\n见[李达的档案]({written})。\n"),
            )],
        );
        let output = run_build(site.path(), &tmp.path().join("out"), &[]);
        assert!(!output.status.success());
        let message = common::stderr(&output);
        assert!(message.contains("E0505"), "{message}");
        assert!(
            message.contains(&format!("did you mean `{own}`?")),
            "{message}"
        );
    }
}
