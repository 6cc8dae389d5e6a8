//! Tests of `render` as a whole: what the other stages and curators see.

use super::*;

const ROOT: MarkdownOptions<'static> = MarkdownOptions {
    base_path: "/",
    media_url: "/archive/hx-0001/",
    first_line: 1,
    split_transcription: false,
};

const SUB: MarkdownOptions<'static> = MarkdownOptions {
    base_path: "/exhibitions/",
    media_url: "/exhibitions/exhibits/birthplace/",
    first_line: 1,
    split_transcription: false,
};

const ITEM: MarkdownOptions<'static> = MarkdownOptions {
    base_path: "/exhibitions/",
    media_url: "/exhibitions/archive/hx-0001/",
    first_line: 1,
    split_transcription: true,
};

fn html(source: &str) -> String {
    render(source, &ROOT).html
}

fn messages(rendered: &RenderedMarkdown) -> Vec<&str> {
    rendered
        .issues
        .iter()
        .map(|issue| issue.message.as_str())
        .collect()
}

fn no_issues(rendered: &RenderedMarkdown) {
    assert!(rendered.issues.is_empty(), "{:#?}", rendered.issues);
}

// --- Markdown extensions -------------------------------------------------

#[test]
fn renders_commonmark_with_the_chosen_extensions() {
    let source = "\
| 档号 | 题名 |
|---|---|
| A-1 | 宣言 |

~~删除~~

- [x] 已核对
- [ ] 待核对
";
    let html = html(source);
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<td>宣言</td>"), "{html}");
    assert!(html.contains("<del>删除</del>"), "{html}");
    assert!(html.contains("type=\"checkbox\""), "{html}");
}

#[test]
fn smart_punctuation_is_off() {
    assert_eq!(
        html("\"引号\" -- '单' ..."),
        "<p>\"引号\" -- '单' ...</p>\n"
    );
}

#[test]
fn raw_html_passes_through() {
    let html = html("他说 <span lang=\"en\">Manifesto</span>。\n\n<div class=\"note\">注</div>\n");
    assert!(
        html.contains("<span lang=\"en\">Manifesto</span>"),
        "{html}"
    );
    assert!(html.contains("<div class=\"note\">注</div>"), "{html}");
}

#[test]
fn empty_body_renders_nothing() {
    let rendered = render("", &ITEM);
    assert_eq!(rendered.html, "");
    assert_eq!(rendered.transcription_html, None);
    assert_eq!(rendered.text, "");
    no_issues(&rendered);
}

// --- Footnotes -----------------------------------------------------------

#[test]
fn footnotes_are_gfm_style_and_numbered_across_the_document() {
    let source = "\
说明[^a]。

[^a]: 第一条。

## 录文

原文[^b]，又见[^a]。未定义[^none]。

[^b]: 第二条。
";
    let rendered = render(source, &ITEM);
    no_issues(&rendered);
    assert!(
        rendered.html.contains(
            "<sup class=\"footnote-reference\" id=\"fnref-a\"><a href=\"#fn-a\">1</a></sup>"
        ),
        "{}",
        rendered.html
    );
    assert!(
        rendered
            .html
            .contains("<div class=\"footnote-definition\" id=\"fn-a\">")
    );
    assert!(
        rendered
            .html
            .contains("<a href=\"#fnref-a\" class=\"footnote-backref\"")
    );
    let transcription = rendered.transcription_html.unwrap_or_default();
    assert!(
        transcription.contains("<a href=\"#fn-b\">2</a>"),
        "{transcription}"
    );
    assert!(
        transcription.contains("<a href=\"#fn-a\">1</a>"),
        "{transcription}"
    );
    assert!(transcription.contains("未定义[^none]"), "{transcription}");
    assert_eq!(rendered.text, "说明。\n第一条。");
}

// --- Heading ids ---------------------------------------------------------

#[test]
fn headings_get_ids_from_their_text() {
    let rendered = render(
        "# 中国共产党第一次全国代表大会\n\n## The 1st *Congress*\n\n### 《新青年》：创刊\n\n#### ？\n",
        &ROOT,
    );
    let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "中国共产党第一次全国代表大会",
            "the-1st-congress",
            "新青年-创刊",
            "section"
        ]
    );
    assert!(
        rendered
            .html
            .contains("<h2 id=\"the-1st-congress\">The 1st <em>Congress</em></h2>")
    );
    assert_eq!(rendered.headings[1].text, "The 1st Congress");
    assert_eq!(rendered.headings[1].level, 2);
}

#[test]
fn duplicate_headings_are_numbered() {
    let rendered = render("## 注释\n\n## 注释\n\n## 注释\n", &ROOT);
    let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["注释", "注释-1", "注释-2"]);
}

#[test]
fn custom_ids_are_kept_and_avoided() {
    let rendered = render(
        "## 背景\n\n## 其他 {#背景}\n\n## 结尾 {#end .wide}\n",
        &ROOT,
    );
    let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["背景-1", "背景", "end"]);
    assert!(
        rendered
            .html
            .contains("<h2 id=\"end\" class=\"wide\">结尾</h2>"),
        "{}",
        rendered.html
    );
    no_issues(&rendered);
}

#[test]
fn a_custom_id_used_twice_is_an_issue() {
    let rendered = render("## A {#x}\n\n## B {#x}\n", &ROOT);
    assert_eq!(
        messages(&rendered),
        ["the heading id `x` is used twice in this document"]
    );
    assert_eq!(rendered.issues[0].line, 3);
}

#[test]
fn ids_are_unique_across_description_transcription_and_excerpts() {
    let source = "\
## 说明

{% excerpt(item=\"hx-0002\") %}
## 说明
{% end %}

## 录文

## 说明
";
    let rendered = render(source, &ITEM);
    no_issues(&rendered);
    let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["说明", "说明-1", "说明-2"]);
}

// --- Code ----------------------------------------------------------------

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let html = html("```yaml\ntitle: 兰台\n```\n");
    assert!(
        html.starts_with("<pre class=\"code\" data-lang=\"yaml\"><code><span class=\"hl-"),
        "{html}"
    );
    assert!(html.ends_with("</code></pre>\n"), "{html}");
}

#[test]
fn code_without_a_known_language_is_plain() {
    assert_eq!(
        html("```\n<a> & b\n```\n"),
        "<pre class=\"code\"><code>&lt;a&gt; &amp; b\n</code></pre>\n"
    );
    assert_eq!(
        html("```nonesuch\nx\n```\n"),
        "<pre class=\"code\" data-lang=\"nonesuch\"><code>x\n</code></pre>\n"
    );
    assert_eq!(
        html("    indented\n"),
        "<pre class=\"code\"><code>indented\n</code></pre>\n"
    );
}

#[test]
fn highlight_css_covers_light_and_dark() {
    let css = highlight_css();
    assert!(css.contains("pre.code {"));
    assert!(css.contains(".hl-"));
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
}

// --- Shortcodes ----------------------------------------------------------

#[test]
fn block_shortcodes_are_markers_outside_paragraphs() {
    let source =
        "前文\n{{ item(id=\"hx-0001\") }}\n后文\n\n{{ figure(src=\"map.svg\", alt=\"地图\") }}\n";
    let rendered = render(source, &ROOT);
    no_issues(&rendered);
    assert_eq!(
        rendered.html,
        "<p>前文</p>\n<!--lantai:sc:0-->\n<p>后文</p>\n<!--lantai:sc:1-->\n"
    );
    assert_eq!(
        rendered.shortcodes,
        vec![
            Shortcode {
                kind: ShortcodeKind::Item {
                    id: "hx-0001".into()
                },
                line: 2,
                column: 1
            },
            Shortcode {
                kind: ShortcodeKind::Figure {
                    src: "map.svg".into(),
                    url: "/archive/hx-0001/map.svg".into(),
                    alt: "地图".into(),
                    caption: None
                },
                line: 5,
                column: 1
            },
        ]
    );
}

#[test]
fn inline_shortcodes_stay_in_their_paragraph() {
    let rendered = render(
        "见 {{ item(id=\"a\") }} 一件。\n{{ item(id=\"b\") }} 又一件 *强调*。\n",
        &ROOT,
    );
    no_issues(&rendered);
    assert_eq!(
        rendered.html,
        "<p>见 <!--lantai:sc:0--> 一件。\n<!--lantai:sc:1--> 又一件 <em>强调</em>。</p>\n"
    );
}

#[test]
fn shortcodes_in_containers_are_markers_too() {
    let rendered = render(
        "> {{ item(id=\"a\") }}\n\n- 一\n\n  {{ item(id=\"b\") }}\n",
        &ROOT,
    );
    no_issues(&rendered);
    assert!(
        rendered
            .html
            .contains("<blockquote>\n<!--lantai:sc:0-->\n</blockquote>"),
        "{}",
        rendered.html
    );
    assert!(
        rendered.html.contains("<!--lantai:sc:1-->"),
        "{}",
        rendered.html
    );
    assert!(!rendered.html.contains("<p><!--"), "{}", rendered.html);
}

#[test]
fn shortcodes_in_code_stay_literal() {
    let source = "\
`{{ item(id=\"span\") }}` 与 ``{% excerpt(item=\"x\") %}``

```markdown
{{ figure(src=\"a.png\", alt=\"fenced\") }}
{% end %}
```

~~~
{{ nonsense
~~~

    {{ item(id=\"indented\") }}
";
    let rendered = render(source, &ROOT);
    no_issues(&rendered);
    assert!(rendered.shortcodes.is_empty(), "{:?}", rendered.shortcodes);
    assert!(
        rendered
            .html
            .contains("<code>{{ item(id=\"span\") }}</code>"),
        "{}",
        rendered.html
    );
    assert!(rendered.html.contains("fenced"), "{}", rendered.html);
    assert!(rendered.html.contains("{{ nonsense"), "{}", rendered.html);
    assert!(
        rendered
            .html
            .contains("{{ item(id=&quot;indented&quot;) }}"),
        "{}",
        rendered.html
    );
    assert!(!rendered.html.contains("lantai:sc"));
}

#[test]
fn excerpt_renders_its_markdown_apart() {
    let source = "\
引言。

{% excerpt(item=\"hx-0003\") %}
本党定名为**中国共产党**。见[陈](@/people/chen-duxiu.md)。
{% end %}

结语。
";
    let rendered = render(source, &SUB);
    no_issues(&rendered);
    assert_eq!(
        rendered.html,
        "<p>引言。</p>\n<!--lantai:sc:0-->\n<p>结语。</p>\n"
    );
    let ShortcodeKind::Excerpt {
        item,
        body_html,
        body_text,
    } = &rendered.shortcodes[0].kind
    else {
        panic!("{:?}", rendered.shortcodes);
    };
    assert_eq!(item, "hx-0003");
    assert_eq!(
        body_html,
        "<p>本党定名为<strong>中国共产党</strong>。见<a href=\"/exhibitions/people/chen-duxiu/\">陈</a>。</p>\n"
    );
    assert_eq!(body_text, "本党定名为中国共产党。见陈。");
    assert_eq!(
        rendered.text,
        "引言。\n本党定名为中国共产党。见陈。\n结语。"
    );
    assert_eq!(rendered.links.len(), 1);
    assert_eq!((rendered.links[0].line, rendered.links[0].column), (4, 17));
}

#[test]
fn excerpt_in_a_list_item_is_dedented() {
    let source = "- 第一条\n\n  {% excerpt(item=\"a\") %}\n  > 引文\n  {% end %}\n";
    let rendered = render(source, &ROOT);
    no_issues(&rendered);
    let ShortcodeKind::Excerpt { body_html, .. } = &rendered.shortcodes[0].kind else {
        panic!("{:?}", rendered.shortcodes);
    };
    assert_eq!(body_html, "<blockquote>\n<p>引文</p>\n</blockquote>\n");
    assert!(
        rendered
            .html
            .contains("<li>\n<p>第一条</p>\n<!--lantai:sc:0-->\n</li>"),
        "{}",
        rendered.html
    );
}

#[test]
fn excerpt_may_use_the_body_link_definitions_and_footnotes() {
    let source = "\
{% excerpt(item=\"a\") %}
《[新青年][xqn]》[^1]
{% end %}

[xqn]: /people/chen-duxiu/
[^1]: 注。
";
    let rendered = render(source, &SUB);
    no_issues(&rendered);
    let ShortcodeKind::Excerpt { body_html, .. } = &rendered.shortcodes[0].kind else {
        panic!("{:?}", rendered.shortcodes);
    };
    assert!(
        body_html.contains("href=\"/exhibitions/people/chen-duxiu/\""),
        "{body_html}"
    );
    assert!(body_html.contains("<a href=\"#fn-1\">1</a>"), "{body_html}");
}

#[test]
fn inline_excerpt_still_gets_a_block() {
    let rendered = render("前 {% excerpt(item=\"a\") %}引{% end %} 后\n", &ROOT);
    no_issues(&rendered);
    assert_eq!(rendered.html, "<p>前</p>\n<!--lantai:sc:0-->\n<p>后</p>\n");
}

#[test]
fn shortcodes_nested_in_an_excerpt_are_issues() {
    let source = "\
{% excerpt(item=\"a\") %}
引文 {{ item(id=\"b\") }}
{% end %}
";
    let rendered = render(source, &ROOT);
    assert_eq!(
        messages(&rendered),
        ["shortcodes cannot be nested inside an excerpt"]
    );
    let issue = &rendered.issues[0];
    assert_eq!((issue.line, issue.column, issue.length), (2, 4, 18));
    assert_eq!(rendered.shortcodes.len(), 1);
    let ShortcodeKind::Excerpt { body_html, .. } = &rendered.shortcodes[0].kind else {
        panic!("{:?}", rendered.shortcodes);
    };
    assert_eq!(body_html, "<p>引文</p>\n");
}

#[test]
fn shortcode_issues_point_at_file_lines() {
    let source = "\
正文

{{ figure(src=\"a.png\") }}
{{ itme(id=\"x\") }}
{{ item(id=\"x\", size=\"big\") }}
{% end %}
{% excerpt(item=\"y\") %}
";
    let options = MarkdownOptions {
        first_line: 8,
        ..ROOT
    };
    let rendered = render(source, &options);
    let found: Vec<(usize, usize, &str, &str)> = rendered
        .issues
        .iter()
        .map(|i| (i.line, i.column, i.message.as_str(), i.help.as_str()))
        .collect();
    assert_eq!(found.len(), 5, "{found:#?}");
    assert_eq!(found[0].0, 10);
    assert_eq!(found[0].2, "`figure` needs a `alt` argument");
    assert!(found[0].3.contains("alt=\"…\""));
    assert_eq!(
        found[1],
        (11, 4, "unknown shortcode `itme`", "did you mean `item`?")
    );
    assert_eq!(
        (found[2].0, found[2].1, found[2].2),
        (12, 17, "`item` has no argument `size`")
    );
    assert_eq!(
        (found[3].0, found[3].2),
        (13, "`{% end %}` without an excerpt to end")
    );
    assert_eq!(
        (found[4].0, found[4].2),
        (14, "`{% excerpt %}` without `{% end %}`")
    );
    assert!(rendered.shortcodes.is_empty());
    assert!(
        !rendered.html.contains("itme"),
        "invalid shortcodes are left out"
    );
}

#[test]
fn unterminated_shortcode_is_an_issue_and_stays_text() {
    let rendered = render("第一段 {{ item(id=\"a\")\n\n第二段 {% excerpt", &ROOT);
    assert_eq!(
        messages(&rendered),
        [
            "`{{` is never closed with `}}`",
            "`{%` is never closed with `%}`"
        ]
    );
    assert_eq!((rendered.issues[0].line, rendered.issues[0].column), (1, 5));
    assert_eq!((rendered.issues[1].line, rendered.issues[1].column), (3, 5));
    assert!(rendered.html.contains("{{ item"), "{}", rendered.html);
}

#[test]
fn issue_lines_stay_right_after_multiline_shortcodes() {
    let source =
        "{{ figure(src=\"a.png\",\n  alt=\"多行\",\n  caption=\"说明\") }}\n\n[坏](@/nowhere.md)\n";
    let options = MarkdownOptions {
        first_line: 4,
        ..ROOT
    };
    let rendered = render(source, &options);
    assert_eq!(
        messages(&rendered),
        ["`@/nowhere.md` does not name a content file"]
    );
    assert_eq!((rendered.issues[0].line, rendered.issues[0].column), (8, 1));
    assert_eq!(
        rendered.issues[0].length,
        "[坏](@/nowhere.md)".chars().count()
    );
}

#[test]
fn marker_look_alikes_in_raw_html_are_defused() {
    let rendered = render("<!--lantai:sc:0-->\n\n{{ item(id=\"a\") }}\n", &ROOT);
    let expanded = expand_shortcodes(&rendered.html, |index| format!("[{index}]"));
    assert_eq!(expanded.matches("[0]").count(), 1, "{expanded}");
}

#[test]
fn expand_shortcodes_replaces_every_marker() {
    let rendered = render(
        "{{ item(id=\"a\") }}\n\n见 {{ item(id=\"b\") }}。\n\n## 录文\n\n{{ item(id=\"c\") }} 旁注\n",
        &ITEM,
    );
    no_issues(&rendered);
    let replace = |index: usize| match &rendered.shortcodes[index].kind {
        ShortcodeKind::Item { id } => format!("<figure>{id}</figure>"),
        _ => String::new(),
    };
    assert_eq!(
        expand_shortcodes(&rendered.html, replace),
        "<figure>a</figure>\n<p>见 <figure>b</figure>。</p>\n"
    );
    let transcription = rendered.transcription_html.clone().unwrap_or_default();
    assert_eq!(
        expand_shortcodes(&transcription, replace),
        "<p><figure>c</figure> 旁注</p>\n"
    );
}

// --- Links ---------------------------------------------------------------

#[test]
fn links_are_rewritten_under_the_root_base_path() {
    let source = "[a](@/people/chen-duxiu.md) [b](/places/yuyang-li/#map) [c](scan.jpg) [d](#top) [e](https://example.org/)\n";
    let rendered = render(source, &ROOT);
    no_issues(&rendered);
    assert_eq!(
        rendered.html,
        "<p><a href=\"/people/chen-duxiu/\">a</a> <a href=\"/places/yuyang-li/#map\">b</a> \
         <a href=\"/archive/hx-0001/scan.jpg\">c</a> <a href=\"#top\">d</a> \
         <a href=\"https://example.org/\">e</a></p>\n"
    );
    let recorded: Vec<(&str, &str, LinkKind)> = rendered
        .links
        .iter()
        .map(|link| (link.written.as_str(), link.url.as_str(), link.kind))
        .collect();
    assert_eq!(
        recorded,
        [
            (
                "@/people/chen-duxiu.md",
                "/people/chen-duxiu/",
                LinkKind::ContentFile
            ),
            (
                "/places/yuyang-li/#map",
                "/places/yuyang-li/",
                LinkKind::SitePath
            ),
            ("scan.jpg", "/archive/hx-0001/scan.jpg", LinkKind::Media),
        ]
    );
    assert_eq!(rendered.links[1].fragment.as_deref(), Some("map"));
    assert_eq!(rendered.links[2].column, 57);
}

#[test]
fn links_are_rewritten_under_a_sub_path() {
    let source = "\
[a](@/exhibits/birthplace/01-prelude.md#开端)
[b](/people/chen-duxiu/)
[c](/exhibitions/archive/)
![d](./img/a.png)
[e](../../archive/hx-0001/scan.jpg)
";
    let rendered = render(source, &SUB);
    no_issues(&rendered);
    let hrefs: Vec<&str> = rendered
        .links
        .iter()
        .map(|link| link.url.as_str())
        .collect();
    assert_eq!(
        hrefs,
        [
            "/exhibitions/exhibits/birthplace/prelude/",
            "/exhibitions/people/chen-duxiu/",
            "/exhibitions/archive/",
            "/exhibitions/exhibits/birthplace/img/a.png",
            "/exhibitions/archive/hx-0001/scan.jpg",
        ]
    );
    assert!(
        rendered
            .html
            .contains("href=\"/exhibitions/exhibits/birthplace/prelude/#%E5%BC%80%E7%AB%AF\""),
        "{}",
        rendered.html
    );
    assert_eq!(rendered.links[0].fragment.as_deref(), Some("开端"));
    assert!(
        rendered
            .html
            .contains("<img src=\"/exhibitions/exhibits/birthplace/img/a.png\" alt=\"d\" />")
    );
    let lines: Vec<usize> = rendered.links.iter().map(|link| link.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5]);
}

#[test]
fn figure_sources_are_rewritten_and_recorded() {
    let rendered = render(
        "{{ figure(src=\"maps/1921.svg\", alt=\"地图\", caption=\"1921年\") }}\n",
        &SUB,
    );
    no_issues(&rendered);
    let ShortcodeKind::Figure {
        src, url, caption, ..
    } = &rendered.shortcodes[0].kind
    else {
        panic!("{:?}", rendered.shortcodes);
    };
    assert_eq!(src, "maps/1921.svg");
    assert_eq!(url, "/exhibitions/exhibits/birthplace/maps/1921.svg");
    assert_eq!(caption.as_deref(), Some("1921年"));
    assert_eq!(rendered.links[0].kind, LinkKind::Media);
    assert_eq!((rendered.links[0].line, rendered.links[0].column), (1, 16));
    assert_eq!(rendered.text, "1921年");
}

#[test]
fn broken_internal_links_are_issues() {
    let rendered = render(
        "[a](@/people/) [b](../x.md) [c](../../../../x.png)\n",
        &ROOT,
    );
    assert_eq!(rendered.issues.len(), 3, "{:#?}", rendered.issues);
    assert!(rendered.issues.iter().all(|issue| !issue.help.is_empty()));
    assert!(rendered.links.is_empty());
}

#[test]
fn email_and_scheme_links_are_not_recorded() {
    let rendered = render(
        "<mail@example.org> <https://example.org> [t](tel:123)\n",
        &SUB,
    );
    assert!(rendered.links.is_empty(), "{:?}", rendered.links);
    no_issues(&rendered);
}

#[test]
fn content_file_url_follows_the_site_layout() {
    assert_eq!(content_file_url("_index.md").as_deref(), Some(""));
    assert_eq!(
        content_file_url("exhibits/x/01-prelude.md").as_deref(),
        Some("exhibits/x/prelude/")
    );
    assert_eq!(
        content_file_url("pages/about.md").as_deref(),
        Some("about/")
    );
    assert_eq!(content_file_url("static/a.md"), None);
}

// --- Transcription -------------------------------------------------------

#[test]
fn transcription_is_split_at_its_heading() {
    let source = "\
描述。

## 录文

第一页原文。

### 第二页

原文。
";
    let rendered = render(source, &ITEM);
    no_issues(&rendered);
    assert_eq!(rendered.html, "<p>描述。</p>\n");
    assert_eq!(
        rendered.transcription_html.as_deref(),
        Some("<p>第一页原文。</p>\n<h3 id=\"第二页\">第二页</h3>\n<p>原文。</p>\n")
    );
    assert_eq!(rendered.text, "描述。");
    assert_eq!(rendered.transcription_text, "第一页原文。\n第二页\n原文。");
    let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["第二页"]);
}

#[test]
fn english_transcription_heading_matches_regardless_of_case() {
    let rendered = render("Text\n\n##  TRANSCRIPTION  \n\nOriginal\n", &ITEM);
    assert_eq!(
        rendered.transcription_html.as_deref(),
        Some("<p>Original</p>\n")
    );
}

#[test]
fn only_a_top_level_h2_starts_the_transcription() {
    for source in ["### 录文\n\n文\n", "> ## 录文\n\n文\n", "## 录文稿\n\n文\n"] {
        let rendered = render(source, &ITEM);
        assert_eq!(rendered.transcription_html, None, "{source}");
    }
    let not_asked = render("## 录文\n\n文\n", &ROOT);
    assert_eq!(not_asked.transcription_html, None);
    assert!(not_asked.html.contains("<h2 id=\"录文\">录文</h2>"));
}

#[test]
fn an_empty_transcription_is_still_a_transcription() {
    let rendered = render("描述\n\n## 录文\n", &ITEM);
    assert_eq!(rendered.transcription_html.as_deref(), Some(""));
}

// --- Plain text ----------------------------------------------------------

#[test]
fn plain_text_has_no_markup() {
    let source = "\
# 标题

一段**加粗**的文字，
换行继续 with `code`.

![图片说明](a.png)

| 甲 | 乙 |
|---|---|
| 1 | 2 |

<div>raw</div>

{{ item(id=\"hx-0001\") }}
";
    let rendered = render(source, &ROOT);
    assert_eq!(
        rendered.text,
        "标题\n一段加粗的文字，换行继续 with code.\n甲 乙\n1 2"
    );
}

// --- Options -------------------------------------------------------------

#[test]
fn base_and_media_paths_are_normalised() {
    let options = MarkdownOptions {
        base_path: "exhibitions",
        media_url: "/exhibitions/exhibits/birthplace",
        ..ROOT
    };
    let rendered = render("[a](/people/) [b](a.png)\n", &options);
    let urls: Vec<&str> = rendered
        .links
        .iter()
        .map(|link| link.url.as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "/exhibitions/people/",
            "/exhibitions/exhibits/birthplace/a.png"
        ]
    );
}

// --- Robustness ----------------------------------------------------------

#[test]
fn odd_inputs_do_not_panic() {
    let inputs = [
        "{{",
        "{%",
        "{{}}",
        "{%%}",
        "{{ item(id=\"",
        "{{ item(id=\"a\"",
        "{% excerpt(item=\"a\") %}",
        "{% excerpt(item=\"a\") %}{% excerpt(item=\"b\") %}{% end %}{% end %}",
        "{% end %}{% end %}",
        "`{{` {{ `}}`",
        "\u{0}\u{1}{{\u{fffd}}}",
        "[^1]\n\n[^1]: {{ item(id=\"a\") }}",
        "# {{ item(id=\"a\") }}\n",
        "![{{ item(id=\"a\") }}](x.png)",
        "[x]({{ item(id=\"a\") }})",
        "<div>\n{{ item(id=\"a\") }} text\n</div>",
        "> - {% excerpt(item=\"a\") %}\n> 引\n> {% end %}",
        "```\n{{ item(id=\"a\") }}",
        "\\{{ item(id=\"a\") }}",
        "{{ figure(src=\"\", alt=\"\") }}",
        "## 录文\n## 录文\n{{ item(id=\"a\") }}",
        "\r\n{{ item(id=\"a\") }}\r\n",
        "{{ item(id='中文') }}{{ item(id=\"a\") }}{{ item(id=\"b\") }}",
    ];
    for input in inputs {
        for options in [ROOT, ITEM] {
            let rendered = render(input, &options);
            let _ = expand_shortcodes(&rendered.html, |index| index.to_string());
        }
    }
}

#[test]
fn excerpt_marker_in_alt_text_still_renders_the_excerpt() {
    let rendered = render(
        "![{% excerpt(item=\"a\") %}[l](/x/){% end %}](a.png)\n",
        &ROOT,
    );
    let urls: Vec<&str> = rendered
        .links
        .iter()
        .map(|link| link.url.as_str())
        .collect();
    assert!(urls.contains(&"/x/"), "{urls:?}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn markdownish() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "{{",
            "}}",
            "{%",
            "%}",
            "`",
            "```",
            "\n",
            "\n\n",
            "    ",
            "> ",
            "- ",
            "# ",
            "## 录文\n",
            "item(id=\"a\")",
            "figure(src=\"a.png\", alt=\"图\")",
            "excerpt(item=\"a\")",
            "end",
            "(",
            ")",
            "\"",
            "'",
            "=",
            ",",
            "[",
            "](",
            "@/people/a.md",
            "../",
            "#",
            "*",
            "[^1]",
            "[^1]: ",
            "<!--lantai:sc:0-->",
            "<div>",
            "中文",
            "录文",
            "\\",
            "|",
            "---",
            "\r",
        ]);
        prop::collection::vec(
            prop_oneof![pieces.prop_map(str::to_string), any::<String>()],
            0..40,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn render_never_panics(source in markdownish(), first_line in 0usize..5) {
            let options = MarkdownOptions { first_line, ..ITEM };
            let rendered = render(&source, &options);
            let lines = source.lines().count().max(1) + first_line.max(1);
            for issue in &rendered.issues {
                prop_assert!(issue.line >= first_line.max(1) && issue.line <= lines);
                prop_assert!(issue.column >= 1 && issue.length >= 1);
            }
            let expanded = expand_shortcodes(&rendered.html, |index| {
                assert!(index < rendered.shortcodes.len());
                String::new()
            });
            prop_assert!(!expanded.contains("<!--lantai:sc:"));
        }

        #[test]
        fn render_never_panics_on_any_string(source in any::<String>()) {
            let _ = render(&source, &ROOT);
        }
    }
}
