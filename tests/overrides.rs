//! A site's own templates/ and static/ files override the built-in theme's
//! files of the same name, and only those.

mod common;

use common::*;

const ITEM_TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="{{ page.lang }}">
<head><title>{{ item.title }}</title><meta name="description" content="{{ page.description }}"></head>
<body>
<main><p id="override-marker">自定义条目模板：{{ item.title }}（{{ item.ref }}）</p></main>
</body>
</html>
"#;

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let site = write_site(&fixture_with(&[("templates/item.html", ITEM_TEMPLATE)]));
    let built = build(site.path(), &[]);

    let item = page(&built.out, "archive/hx-0001/");
    let marker = text(one(&item, "#override-marker"));
    assert_eq!(marker, "自定义条目模板：测试信函（T-1921-001）");
    assert_eq!(text(one(&item, "title")), "测试信函");
    // Nothing of the built-in item template is left.
    assert_eq!(
        item.select(&sel("table.metadata, header, footer")).count(),
        0
    );
    let raw = std::fs::read_to_string(page_file(&built.out, "archive/hx-0001/")).unwrap();
    assert!(
        raw.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
        "{raw}"
    );

    // Every other page still uses the built-in theme.
    for path in [
        "",
        "archive/",
        "exhibits/ex/",
        "exhibits/ex/one/",
        "people/li-da/",
        "about/",
    ] {
        let html = page(&built.out, path);
        assert_eq!(html.select(&sel("#override-marker")).count(), 0, "{path}");
        for landmark in ["header", "nav", "main", "footer"] {
            assert!(
                html.select(&sel(landmark)).next().is_some(),
                "{path}: no <{landmark}>"
            );
        }
        let stylesheets = attrs(&html, "link[rel=stylesheet]", "href");
        assert!(
            stylesheets.contains(&"/sub/css/lantai.css".to_string()),
            "{path}: {stylesheets:?}"
        );
    }
}

#[test]
fn a_site_partial_overrides_the_built_in_partial() {
    let site = write_site(&fixture_with(&[(
        "templates/shortcodes/item.html",
        "<figure class=\"my-item\"><a href=\"{{ item.url }}\">自定义：{{ item.title }}</a></figure>\n",
    )]));
    let built = build(site.path(), &[]);
    let section = page(&built.out, "exhibits/ex/one/");
    let figure = one(&section, "main figure.my-item");
    assert_eq!(text(figure), "自定义：测试信函");
    assert_eq!(
        attrs(&section, "figure.my-item a", "href"),
        vec!["/sub/archive/hx-0001/".to_string()]
    );
    assert_eq!(section.select(&sel("figure.item-figure")).count(), 0);
}

/// The tag of each item card's title on the page at `path`: `h2`, `h3`….
fn card_heading_tags(out: &std::path::Path, path: &str) -> Vec<String> {
    heading_tags(out, path, ".card-title")
}

/// The tag of each element matching `css` on the page at `path`.
fn heading_tags(out: &std::path::Path, path: &str, css: &str) -> Vec<String> {
    page(out, path)
        .select(&sel(css))
        .map(|h| h.value().name().to_string())
        .collect()
}

#[test]
fn item_cards_take_the_heading_level_the_including_template_sets() {
    // tag.html lists its items without setting `card_heading` (the partial's
    // default, h3), then with its own level; the built-in pages set 2 or 3.
    let tag_template = "{% extends \"base.html\" %}{% block content %}\
        {% for card in tag.items %}{% include \"partials/item_card.html\" %}{% endfor %}\
        {% set card_heading = 4 %}{% for card in tag.items %}{% include \"partials/item_card.html\" %}{% endfor %}\
        {% endblock content %}";
    let site = write_site(&fixture_with(&[("templates/tag.html", tag_template)]));
    let built = build(site.path(), &[]);
    let out = &built.out;
    assert_eq!(card_heading_tags(out, "tags/jian-dang/"), ["h3", "h4"]);
    // Under the page's h1: the facet and archive lists.
    assert_eq!(card_heading_tags(out, "browse/type/letter/"), ["h2"]);
    assert_eq!(card_heading_tags(out, "archive/"), ["h2", "h2"]);
    // Under an h2 of the section: the items it shows.
    assert_eq!(card_heading_tags(out, "exhibits/ex/one/"), ["h3"]);
    let letters = page(out, "browse/type/letter/");
    assert_eq!(text(one(&letters, "h2.card-title a")), "测试信函");
    // Exhibit cards: under the exhibits page's h1, under the home page's h2.
    assert_eq!(
        heading_tags(out, "exhibits/", ".exhibit-card-title"),
        ["h2"]
    );
    assert_eq!(heading_tags(out, "", ".exhibit-card-title"), ["h3"]);
}

#[test]
fn a_site_base_template_changes_every_page() {
    let base = r#"<!DOCTYPE html>
<html lang="{{ page.lang }}">
<head><title>{{ page.title }}</title><link rel="canonical" href="{{ page.permalink }}"></head>
<body><header id="my-header">{{ site.title }}</header><nav></nav><main>{% block content %}{% endblock content %}</main><footer></footer></body>
</html>
"#;
    let site = write_site(&fixture_with(&[("templates/base.html", base)]));
    let built = build(site.path(), &[]);
    for file in html_files(&built.out) {
        let html = read_html(&built.out.join(&file));
        assert_eq!(
            texts(&html, "#my-header"),
            vec!["测试展厅".to_string()],
            "{}",
            file.display()
        );
    }
    // The built-in item template still fills the block.
    let item = page(&built.out, "archive/hx-0001/");
    assert!(item.select(&sel("main table.metadata")).next().is_some());
}

#[test]
fn a_site_stylesheet_replaces_the_theme_one() {
    let css = "/* 本馆自己的样式 */\nbody { color: #123456; }\n";
    let logo: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2, 255];
    let site = write_site(&fixture_site());
    write_files(
        site.path(),
        &[
            ("static/css/lantai.css", css.as_bytes()),
            ("static/images/标志.png", logo),
        ],
    );
    let built = build(site.path(), &[]);
    assert_eq!(
        std::fs::read_to_string(built.out.join("css/lantai.css")).unwrap(),
        css
    );
    assert_eq!(
        std::fs::read(built.out.join("images/标志.png")).unwrap(),
        logo
    );
    // The theme's other files are still published.
    let builtin = build(write_site(&fixture_site()).path(), &[]);
    assert_eq!(
        std::fs::read(built.out.join("css/highlight.css")).unwrap(),
        std::fs::read(builtin.out.join("css/highlight.css")).unwrap()
    );
    assert_eq!(
        std::fs::read(built.out.join("favicon.svg")).unwrap(),
        std::fs::read(demo_root().join("static/favicon.svg")).unwrap()
    );
    assert_ne!(
        std::fs::read(builtin.out.join("css/lantai.css")).unwrap(),
        css.as_bytes()
    );
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let site = write_site(&fixture_site());
    let tmp = temp_dir();
    let out = tmp.path().join("public");
    assert!(run_build(site.path(), &out, &[]).status.success());
    let before = snapshot(&out);

    let broken = "<!DOCTYPE html>\n<html>\n<body>\n{% if item.title %}\n<p>{{ item.title }}</p>\n</body>\n</html>\n";
    write_files(site.path(), &[("templates/item.html", broken)]);
    let output = run_build(site.path(), &out, &[]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let diag = parse_diagnostics(&err)
        .into_iter()
        .find(|d| d.code == "E0601")
        .unwrap_or_else(|| panic!("no E0601:\n{err}"));
    assert_eq!(
        diag.file.as_deref(),
        Some("templates/item.html"),
        "{}",
        diag.text
    );
    let line = diag
        .line
        .unwrap_or_else(|| panic!("no line:\n{}", diag.text));
    assert!(
        (4..=8).contains(&line),
        "line {line} of a 7-line template:\n{}",
        diag.text
    );
    assert!(diag.help.is_some(), "{}", diag.text);
    assert_eq!(snapshot(&out), before, "the previous output was changed");
    // Pages are written to a staging folder as they are rendered; a build
    // that failed on one removes it.
    let parent = out.parent().expect("the output folder has a parent");
    let left: Vec<String> = std::fs::read_dir(parent)
        .expect("the output's parent is readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("lantai-staging"))
        .collect();
    assert!(left.is_empty(), "staging folders left behind: {left:?}");
}

#[test]
fn a_syntax_error_on_a_known_line() {
    let site = write_site(&fixture_with(&[(
        "templates/item.html",
        "<!DOCTYPE html>\n<html>\n<body>\n<p>{{ item.title | }}</p>\n</body>\n</html>\n",
    )]));
    let tmp = temp_dir();
    let output = run_build(site.path(), &tmp.path().join("public"), &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    expect_diag(&err, "E0601", "templates/item.html", Some(4));
}

#[test]
fn a_template_render_error_names_the_template() {
    let site = write_site(&fixture_with(&[(
        "templates/item.html",
        "<!DOCTYPE html>\n<html>\n<body>\n<p>{{ item.no_such_field.deeper }}</p>\n</body>\n</html>\n",
    )]));
    let tmp = temp_dir();
    let output = run_build(site.path(), &tmp.path().join("public"), &[]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    let diag = parse_diagnostics(&err)
        .into_iter()
        .find(|d| d.code == "E0601")
        .unwrap_or_else(|| panic!("no E0601:\n{err}"));
    assert_eq!(
        diag.file.as_deref(),
        Some("templates/item.html"),
        "{}",
        diag.text
    );
    assert!(
        diag.message.contains("/sub/archive/hx-000"),
        "names the page: {}",
        diag.text
    );
    assert_eq!(diag.line, Some(4), "{}", diag.text);
    assert!(!tmp.path().join("public").exists());
}

#[test]
fn the_search_index_replaces_a_static_file_at_its_path_on_every_build() {
    let site = write_site(&fixture_site());
    let shadowed = "{\"shadowed\": true}\n";
    write_files(
        site.path(),
        &[
            ("static/search/index.json", shadowed),
            ("static/search/notes.txt", "检索说明\n"),
        ],
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // Three builds: into an empty folder, then over the previous output
    // through the reused staging folder.
    let mut published: Vec<String> = Vec::new();
    for _ in 0..3 {
        let output = run_build(site.path(), &out, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        let manifest = std::fs::read_to_string(out.join("search/index.json")).unwrap();
        assert_ne!(manifest, shadowed);
        let parsed: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert!(
            parsed.get("version").is_some(),
            "not the manifest: {manifest}"
        );
        published.push(manifest);
        // A static file under search/ that the index does not make is
        // published as any other.
        assert_eq!(
            std::fs::read_to_string(out.join("search/notes.txt")).unwrap(),
            "检索说明\n"
        );
    }
    // The same index each time, and the site's own file untouched.
    assert!(published.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(
        std::fs::read_to_string(site.path().join("static/search/index.json")).unwrap(),
        shadowed
    );
}
