//! Bad input: every mistake is reported with its file, line, column, code
//! and a help line, exit status 1, and the previous output left as it was.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

/// The last line of stderr: `error: N errors in M files; …`. Returns (N, M).
fn summary(stderr: &str) -> (usize, usize) {
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let rest = last
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("no summary line at the end:\n{stderr}"));
    let words: Vec<&str> = rest.split([' ', ',', ';']).collect();
    let errors = words[0]
        .parse()
        .unwrap_or_else(|_| panic!("summary: {last}"));
    assert!(words[1].starts_with("error"), "summary: {last}");
    let files_at = words
        .iter()
        .position(|w| *w == "in")
        .unwrap_or_else(|| panic!("summary names no file count: {last}"));
    let files = words[files_at + 1]
        .parse()
        .unwrap_or_else(|_| panic!("summary: {last}"));
    assert!(words[files_at + 2].starts_with("file"), "summary: {last}");
    (errors, files)
}

/// Builds the good fixture site into `out`, then applies `changes` (and
/// removes `remove`), builds again and expects a content error. Checks that
/// the previous output was left exactly as it was. Returns stderr.
fn break_site(changes: &[(&str, &[u8])], remove: &[&str]) -> String {
    let site = write_site(&fixture_site());
    let tmp = temp_dir();
    let out = tmp.path().join("public");
    let first = run_build(site.path(), &out, &[]);
    assert!(
        first.status.success(),
        "the fixture builds:\n{}",
        stderr(&first)
    );
    let before = snapshot(&out);
    assert!(before.contains_key("archive/hx-0001/index.html"));

    write_files(site.path(), changes);
    for file in remove {
        std::fs::remove_file(site.path().join(file)).unwrap();
    }
    let second = run_build(site.path(), &out, &[]);
    let err = stderr(&second);
    assert_no_panic(&second);
    assert_eq!(
        second.status.code(),
        Some(1),
        "exit status of a content error:\n{err}"
    );
    assert_eq!(
        snapshot(&out),
        before,
        "the previous output was changed:\n{err}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public")
        .collect();
    assert!(
        leftovers.is_empty(),
        "a failed build left {leftovers:?} beside the output"
    );
    let (errors, files) = summary(&err);
    assert_eq!(
        errors,
        error_count(&err),
        "the summary counts the errors:\n{err}"
    );
    assert!(files >= 1);
    assert!(
        err.trim_end().ends_with("was left as it was"),
        "the summary says the previous site was kept:\n{err}"
    );
    err
}

fn break_file(file: &str, text: &str) -> String {
    break_site(&[(file, text.as_bytes())], &[])
}

const ITEM_HEAD: &str = "---\nref: T-1920-002\ntitle: 测试照片\n";

#[test]
fn malformed_yaml_front_matter() {
    let err = break_file(
        "content/archive/hx-0002.md",
        "---\nref: T-1920-002\ntitle: 中共: 一大\ndate: 1920\ntype: photograph\n---\n描述。\n",
    );
    let diag = expect_diag(&err, "E0202", "content/archive/hx-0002.md", Some(3));
    assert!(diag.text.contains("3 | title: 中共: 一大"), "{}", diag.text);
    assert_eq!(diag.column, Some(10), "{}", diag.text);
}

/// Breaks the front matter of `file` (a YAML error on line 3), makes the
/// `linking` changes (pages that name or link it), and returns what the
/// build printed, after checking that the broken file's error is the only
/// one.
fn only_its_own_error(file: &str, text: &str, linking: &[(&str, &str)]) -> String {
    let mut changes = vec![(file, text.as_bytes())];
    changes.extend(linking.iter().map(|&(path, text)| (path, text.as_bytes())));
    let err = break_site(&changes, &[]);
    expect_diag(&err, "E0202", file, Some(3));
    assert_eq!(error_count(&err), 1, "one error, the file's own:\n{err}");
    err
}

#[test]
fn an_item_that_cannot_be_read_is_reported_once_not_again_where_it_is_shown() {
    // hx-0001 is shown in a section ({{ item(id="hx-0001") }}); its own file
    // holds the error to fix, and the section's reference is not a second one.
    let err = only_its_own_error(
        "content/archive/hx-0001.md",
        "---\nref: T-1921-001\ntitle: \"测试信函\ndate: 1921-07-23\ntype: letter\n---\n描述。\n",
        &[],
    );
    assert!(!err.contains("E0501"), "no cascade to the section:\n{err}");
}

#[test]
fn a_person_that_cannot_be_read_is_reported_once_not_again_where_it_is_named() {
    // li-da is named in hx-0001's `people:` and `creator:`, and linked from
    // a section (@/people/li-da.md).
    only_its_own_error(
        "content/people/li-da.md",
        "---\ntitle: [李达\nborn: 1890-10-02\n---\n生平。\n",
        &[],
    );
}

#[test]
fn an_exhibit_that_cannot_be_read_is_reported_once_not_for_its_sections_or_links() {
    // The about page links to the exhibit and to both its sections, by
    // content file and by address. The exhibit's _index.md has an error:
    // its sections are not "without an _index.md", and the links are not
    // broken links; the one error is the file's own.
    only_its_own_error(
        "content/exhibits/ex/_index.md",
        "---\ntitle: 测试展览\nsummary: \"一个展览\nopened: 2021-07-01\n---\n前言。\n",
        &[(
            "content/pages/about.md",
            "---\ntitle: 关于\n---\n见[展览](@/exhibits/ex/_index.md)、[第一单元](@/exhibits/ex/01-one.md)和[第二单元](/exhibits/ex/two/)。\n",
        )],
    );
}

#[test]
fn a_wrong_address_below_an_exhibit_that_cannot_be_read_is_still_a_broken_link() {
    // The exhibit's own error hides nothing but the pages it keeps from
    // being made: its page and its sections. `typo` is no section of it.
    let err = break_site(
        &[
            (
                "content/exhibits/ex/_index.md",
                "---\ntitle: 测试展览\nsummary: \"一个展览\nopened: 2021-07-01\n---\n前言。\n".as_bytes(),
            ),
            (
                "content/pages/about.md",
                "---\ntitle: 关于\n---\n见[展览](/exhibits/ex/)、[第一单元](/exhibits/ex/one/)和[别处](/exhibits/ex/typo/)。\n"
                    .as_bytes(),
            ),
        ],
        &[],
    );
    expect_diag(&err, "E0202", "content/exhibits/ex/_index.md", Some(3));
    let broken = expect_diag(&err, "E0505", "content/pages/about.md", Some(4));
    assert!(
        broken.text.contains("/exhibits/ex/typo/"),
        "{}",
        broken.text
    );
    assert_eq!(
        error_count(&err),
        2,
        "the file's own error and the typo:\n{err}"
    );
}

#[test]
fn a_free_page_that_cannot_be_read_is_reported_once_not_where_it_is_linked() {
    only_its_own_error(
        "content/pages/about.md",
        "---\ntitle: 关于\nmenu: [true\n---\n关于本站。\n",
        &[(
            "content/people/li-da.md",
            "---\ntitle: 李达\n---\n见[关于](@/pages/about.md)与[本站](/about/)。\n",
        )],
    );
}

#[test]
fn yaml_error_message_agrees_with_its_location() {
    let err = break_file(
        "content/archive/hx-0002.md",
        "---\nref: T-1920-002\ntitle: 中共: 一大\ndate: 1920\ntype: photograph\n---\n描述。\n",
    );
    let diag = expect_diag(&err, "E0202", "content/archive/hx-0002.md", Some(3));
    // The message must not name another position than the location does
    // (a line counted from the start of the YAML instead of the file).
    if let Some((_, after)) = diag.message.split_once("at line ") {
        let line: String = after.chars().take_while(char::is_ascii_digit).collect();
        assert_eq!(
            line, "3",
            "the message and the location disagree:\n{}",
            diag.text
        );
    }
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let err = break_file(
        "content/archive/hx-0002.md",
        &format!("{ITEM_HEAD}dte: 1920~\ndate: 1920~\ntype: photograph\n---\n"),
    );
    let diag = expect_diag(&err, "E0203", "content/archive/hx-0002.md", Some(4));
    assert_eq!(diag.column, Some(1));
    assert!(diag.message.contains("`dte`"), "{}", diag.text);
    assert_eq!(diag.help.as_deref(), Some("did you mean `date`?"));
    assert!(
        diag.text.contains("4 | dte: 1920~"),
        "quotes the line:\n{}",
        diag.text
    );
    assert!(
        diag.text.contains("| ^^^"),
        "caret under the field:\n{}",
        diag.text
    );
    assert_eq!(error_count(&err), 1, "{err}");
}

#[test]
fn impossible_date() {
    let err = break_file(
        "content/archive/hx-0002.md",
        &format!("{ITEM_HEAD}date: 1921-02-30\ntype: photograph\n---\n"),
    );
    let diag = expect_diag(&err, "E0310", "content/archive/hx-0002.md", Some(4));
    assert!(diag.message.contains("1921-02-30"), "{}", diag.text);
    assert!(
        diag.column.unwrap() >= 7,
        "points into the value: {}",
        diag.text
    );
}

#[test]
fn impossible_month() {
    let err = break_file(
        "content/archive/hx-0002.md",
        &format!("{ITEM_HEAD}date: 1921-13\ntype: photograph\n---\n"),
    );
    let diags = parse_diagnostics(&err);
    assert!(
        diags.iter().any(|d| d.code == "E0310" || d.code == "E0301"),
        "a month 13 is an error:\n{err}"
    );
    expect_diag(&err, &diags[0].code, "content/archive/hx-0002.md", Some(4));
}

#[test]
fn unknown_item_in_a_shortcode() {
    let err = break_file(
        "content/exhibits/ex/01-one.md",
        "---\ntitle: 第一单元\n---\n叙述。\n\n{{ item(id=\"hx-9999\") }}\n",
    );
    let diag = expect_diag(&err, "E0501", "content/exhibits/ex/01-one.md", Some(6));
    assert!(diag.message.contains("hx-9999"), "{}", diag.text);
}

#[test]
fn restricted_item_referenced_from_a_section() {
    let err = break_site(
        &[
            (
                "content/archive/hx-0003.md",
                b"---\nref: T-3\ntitle: \xE4\xB8\x8D\xE5\xBC\x80\xE6\x94\xBE\ndate: 1986\ntype: document\naccess: restricted\n---\n",
            ),
            (
                "content/exhibits/ex/01-one.md",
                "---\ntitle: 第一单元\n---\n{{ item(id=\"hx-0003\") }}\n".as_bytes(),
            ),
        ],
        &[],
    );
    let diag = expect_diag(&err, "E0502", "content/exhibits/ex/01-one.md", Some(4));
    assert!(diag.message.contains("hx-0003"), "{}", diag.text);
}

#[test]
fn draft_item_referenced_from_a_section() {
    let err = break_site(
        &[
            (
                "content/archive/hx-0003.md",
                "---\nref: T-3\ntitle: 草稿\ndate: 1921\ntype: document\ndraft: true\n---\n".as_bytes(),
            ),
            (
                "content/exhibits/ex/02-two.md",
                "---\ntitle: 第二单元\n---\n叙述。\n\n{% excerpt(item=\"hx-0003\") %}\n引文。\n{% end %}\n"
                    .as_bytes(),
            ),
        ],
        &[],
    );
    let diag = expect_diag(&err, "E0503", "content/exhibits/ex/02-two.md", Some(6));
    assert!(diag.help.unwrap().contains("--drafts"));
}

#[test]
fn draft_item_referenced_builds_with_drafts() {
    // The same site is fine in a --drafts build.
    let site = write_site(&fixture_with(&[
        (
            "content/archive/hx-0003.md",
            "---\nref: T-3\ntitle: 草稿\ndate: 1921\ntype: document\ndraft: true\n---\n",
        ),
        (
            "content/exhibits/ex/02-two.md",
            "---\ntitle: 第二单元\n---\n{{ item(id=\"hx-0003\") }}\n",
        ),
    ]));
    let built = build(site.path(), &["--drafts"]);
    assert!(page_file(&built.out, "archive/hx-0003/").is_file());
}

#[test]
fn unknown_person_slug() {
    let err = break_file(
        "content/archive/hx-0002.md",
        &format!("{ITEM_HEAD}date: 1920\ntype: photograph\npeople: [li-da, nobody]\n---\n"),
    );
    let diag = expect_diag(&err, "E0504", "content/archive/hx-0002.md", Some(6));
    assert_eq!(diag.column, Some(17), "points at `nobody`: {}", diag.text);
    assert!(diag.message.contains("nobody"));
}

#[test]
fn broken_internal_links() {
    let err = break_file(
        "content/exhibits/ex/02-two.md",
        "---\ntitle: 第二单元\n---\n见[不存在的页面](/nowhere/)。\n\n见[不存在的人物](@/people/nobody.md)。\n\n见[不存在的锚点](@/people/li-da.md#nowhere)。\n",
    );
    expect_diag(&err, "E0505", "content/exhibits/ex/02-two.md", Some(4));
    let diags = parse_diagnostics(&err);
    assert!(
        diags.iter().any(|d| d.code == "E0505" && d.line == Some(6)),
        "the @/ link to a missing file:\n{err}"
    );
    assert!(
        diags.iter().any(|d| d.code == "E0506" && d.line == Some(8)),
        "the link to a missing anchor:\n{err}"
    );
}

/// The help of the E0505 (broken link) whose message names `link`.
fn broken_link_help(err: &str, link: &str) -> String {
    parse_diagnostics(err)
        .into_iter()
        .find(|d| d.code == "E0505" && d.message.contains(link))
        .and_then(|d| d.help)
        .unwrap_or_else(|| panic!("no E0505 with help for {link}:\n{err}"))
}

#[test]
fn a_broken_link_suggests_the_page_beside_it_spelled_most_alike() {
    let err = break_file(
        "content/exhibits/ex/02-two.md",
        "---\ntitle: 第二单元\n---\n见[第一单元](/exhibits/ex/onee/)与[李达](@/people/li-daa.md)。\n\n见[别处](/exhibits/ex/zzz/)与[订阅](/feed.xm)。\n",
    );
    let help_for = |link: &str| broken_link_help(&err, link);
    assert_eq!(
        help_for("/exhibits/ex/onee/"),
        "did you mean `/exhibits/ex/one/`?"
    );
    // A file is compared with the files beside it.
    assert_eq!(help_for("/feed.xm"), "did you mean `/feed.xml`?");
    // Nothing beside it is spelled alike: the general advice.
    assert!(
        help_for("/exhibits/ex/zzz/").starts_with("check the address"),
        "{err}"
    );
    // A content-file link keeps its own advice, about paths in content/.
    assert!(
        help_for("@/people/li-daa.md").contains("relative to content/"),
        "{err}"
    );
}

#[test]
fn a_broken_link_to_a_file_suggests_the_file_beside_it_in_the_links_own_form() {
    // hx-0001's folder holds scan.svg.
    let err = break_file(
        "content/archive/hx-0001.md",
        "---\nref: T-1921-001\ntitle: 测试信函\ndate: 1921-07-23\ntype: letter\nimages:\n  - src: scan.svg\n    alt: 一页信纸的示意图\n---\n见[原件](scan.svgg)与[别的](notes.txt)。\n",
    );
    let help_for = |link: &str| broken_link_help(&err, link);
    assert_eq!(help_for("scan.svgg"), "did you mean `scan.svg`?");
    assert!(
        help_for("notes.txt").starts_with("put the file next to"),
        "{err}"
    );
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft_and_suggests_nothing_else() {
    // A draft page and a draft section, each linked correctly: the page is
    // missing only because it is a draft, so no other page is suggested.
    let files = [
        (
            "content/pages/plans.md",
            "---\ntitle: 计划\ndraft: true\n---\n未完。\n",
        ),
        (
            "content/exhibits/ex/03-three.md",
            "---\ntitle: 第三单元\ndraft: true\n---\n未完。\n",
        ),
        (
            "content/exhibits/ex/02-two.md",
            "---\ntitle: 第二单元\n---\n见[计划](/plans/)与[第三单元](@/exhibits/ex/03-three.md)。\n",
        ),
    ];
    let changes: Vec<(&str, &[u8])> = files.iter().map(|&(f, t)| (f, t.as_bytes())).collect();
    let err = break_site(&changes, &[]);
    let drafts: Vec<_> = parse_diagnostics(&err)
        .into_iter()
        .filter(|d| d.code == "E0505")
        .collect();
    assert_eq!(drafts.len(), 2, "{err}");
    for diag in drafts {
        assert!(diag.message.contains("points to a draft"), "{}", diag.text);
        assert!(
            diag.help.as_deref().is_some_and(|h| h.contains("--drafts")),
            "{}",
            diag.text
        );
    }
    // With --drafts both pages are made, and the links are fine.
    let site = write_site(&fixture_with(&files));
    let built = build(site.path(), &["--drafts"]);
    assert!(page_file(&built.out, "plans/").is_file());
}

#[test]
fn missing_item_image() {
    let err = break_file(
        "content/archive/hx-0002.md",
        &format!(
            "{ITEM_HEAD}date: 1920\ntype: photograph\nimages:\n  - src: missing.svg\n    alt: 不存在的图像\n---\n"
        ),
    );
    let diag = expect_diag(&err, "E0507", "content/archive/hx-0002.md", Some(7));
    assert!(diag.message.contains("missing.svg"), "{}", diag.text);
}

#[test]
fn missing_figure_is_one_error() {
    let err = break_file(
        "content/exhibits/ex/02-two.md",
        "---\ntitle: 第二单元\n---\n{{ figure(src=\"missing.svg\", alt=\"图\") }}\n",
    );
    expect_diag(&err, "E0507", "content/exhibits/ex/02-two.md", Some(4));
    assert_eq!(error_count(&err), 1, "one mistake, one error:\n{err}");
}

#[test]
fn reserved_page_slug() {
    let err = break_file(
        "content/pages/archive.md",
        "---\ntitle: 档案说明\n---\n说明。\n",
    );
    let diag = find_diag(&err, "E0509", "content/pages/archive.md");
    assert!(diag.message.contains("archive"));
    assert!(diag.help.unwrap().contains("content/pages/"));
}

#[test]
fn duplicate_section_slugs() {
    let err = break_file("content/exhibits/ex/03-one.md", "---\ntitle: 重复\n---\n");
    let diag = find_diag(&err, "E0508", "content/exhibits/ex/03-one.md");
    assert!(
        diag.message.contains("01-one.md"),
        "names the other file: {}",
        diag.text
    );
}

#[test]
fn bad_item_file_name() {
    let err = break_file(
        "content/archive/HX 0003.md",
        "---\nref: X\ntitle: 文件名不对\ndate: 1920\ntype: document\n---\n",
    );
    let diag = find_diag(&err, "E0207", "content/archive/HX 0003.md");
    assert!(diag.help.unwrap().contains("hx-0003"), "{}", diag.text);
}

/// SPEC: "Every error names the file, line and column". A problem with a
/// file as a whole (its name, its place) can point at 1:1.
#[test]
fn file_level_errors_name_a_line_and_column() {
    let err = break_site(
        &[
            (
                "content/pages/archive.md",
                "---\ntitle: 档案说明\n---\n".as_bytes(),
            ),
            (
                "content/exhibits/ex/03-one.md",
                "---\ntitle: 重复\n---\n".as_bytes(),
            ),
            (
                "content/archive/HX 0003.md",
                "---\nref: X\ntitle: x\ndate: 1920\ntype: document\n---\n".as_bytes(),
            ),
        ],
        &[],
    );
    let without: Vec<String> = parse_diagnostics(&err)
        .into_iter()
        .filter(|d| d.line.is_none())
        .map(|d| d.text)
        .collect();
    assert!(
        without.is_empty(),
        "errors without line:column:\n{}",
        without.join("\n")
    );
}

#[test]
fn tags_with_the_same_slug() {
    let err = break_file(
        "content/archive/hx-0002.md",
        &format!("{ITEM_HEAD}date: 1920\ntype: photograph\ntags: [重庆, 崇庆]\n---\n"),
    );
    let diag = expect_diag(&err, "E0510", "content/archive/hx-0002.md", Some(6));
    assert!(diag.help.unwrap().contains("slugs:"), "{}", diag.text);
}

#[test]
fn tags_with_the_same_slug_are_fixed_by_slugs() {
    let site = write_site(&fixture_with(&[
        (
            "site.yaml",
            "title: 测试展厅\nbase_url: https://example.org/sub/\ninstitution: 测试档案馆\nslugs:\n  崇庆: chongqing-county\n",
        ),
        (
            "content/archive/hx-0002.md",
            "---\nref: T-2\ntitle: 测试照片\ndate: 1920\ntype: photograph\ntags: [重庆, 崇庆]\n---\n",
        ),
    ]));
    let built = build(site.path(), &[]);
    assert!(page_file(&built.out, "tags/chongqing-county/").is_file());
    assert!(page_file(&built.out, "tags/chong-qing/").is_file());
}

#[test]
fn file_without_front_matter() {
    let err = break_file("content/people/li-da.md", "李达，字永锡。\n");
    expect_diag(&err, "E0201", "content/people/li-da.md", Some(1));
}

#[test]
fn missing_required_ref() {
    let err = break_file(
        "content/archive/hx-0002.md",
        "---\ntitle: 测试照片\ndate: 1920\ntype: photograph\n---\n",
    );
    let diag = expect_diag(&err, "E0205", "content/archive/hx-0002.md", None);
    assert!(diag.message.contains("`ref`"), "{}", diag.text);
    assert!(diag.help.unwrap().contains("ref:"));
}

#[test]
fn bad_item_type() {
    let err = break_file(
        "content/archive/hx-0002.md",
        &format!("{ITEM_HEAD}date: 1920\ntype: lettre\n---\n"),
    );
    let diag = expect_diag(&err, "E0206", "content/archive/hx-0002.md", Some(5));
    assert_eq!(diag.column, Some(7));
    assert!(diag.help.unwrap().contains("letter"));
}

#[test]
fn unknown_key_in_site_yaml() {
    let err = break_file(
        "site.yaml",
        "title: 测试展厅\nbase_url: https://example.org/sub/\ninstitutoin: 测试档案馆\n",
    );
    let diag = expect_diag(&err, "E0203", "site.yaml", Some(3));
    assert_eq!(diag.help.as_deref(), Some("did you mean `institution`?"));
}

/// Every mistake above, each in its own file, in one run.
#[test]
fn one_run_reports_every_error() {
    let mistakes: Vec<(&str, &str, &str)> = vec![
        (
            "E0202",
            "content/archive/e01.md",
            "---\nref: X\ntitle: [没有闭合\n---\n",
        ),
        (
            "E0203",
            "content/archive/e02.md",
            "---\nref: X\ntitle: x\ndte: 1920\ndate: 1920\ntype: document\n---\n",
        ),
        (
            "E0310",
            "content/archive/e03.md",
            "---\nref: X\ntitle: x\ndate: 1921-02-30\ntype: document\n---\n",
        ),
        (
            "E0501",
            "content/exhibits/ex/03-e04.md",
            "---\ntitle: x\n---\n{{ item(id=\"hx-9999\") }}\n",
        ),
        (
            "E0502",
            "content/exhibits/ex/04-e05.md",
            "---\ntitle: x\n---\n{{ item(id=\"e05-restricted\") }}\n",
        ),
        (
            "E0503",
            "content/exhibits/ex/05-e06.md",
            "---\ntitle: x\n---\n{{ item(id=\"e06-draft\") }}\n",
        ),
        (
            "E0504",
            "content/archive/e07.md",
            "---\nref: X\ntitle: x\ndate: 1920\ntype: document\npeople: [nobody]\n---\n",
        ),
        (
            "E0505",
            "content/exhibits/ex/06-e08.md",
            "---\ntitle: x\n---\n[坏链接](/nowhere/)\n",
        ),
        (
            "E0507",
            "content/archive/e09.md",
            "---\nref: X\ntitle: x\ndate: 1920\ntype: document\nimages:\n  - src: no.svg\n    alt: x\n---\n",
        ),
        ("E0509", "content/pages/archive.md", "---\ntitle: x\n---\n"),
        (
            "E0510",
            "content/archive/e11.md",
            "---\nref: X\ntitle: x\ndate: 1920\ntype: document\ntags: [重庆, 崇庆]\n---\n",
        ),
        ("E0201", "content/people/e12.md", "没有前置元数据\n"),
        (
            "E0205",
            "content/archive/e13.md",
            "---\ntitle: x\ndate: 1920\ntype: document\n---\n",
        ),
        (
            "E0206",
            "content/archive/e14.md",
            "---\nref: X\ntitle: x\ndate: 1920\ntype: lettre\n---\n",
        ),
        (
            "E0203",
            "site.yaml",
            "title: 测试展厅\nbase_url: https://example.org/sub/\ninstitutoin: 测试档案馆\n",
        ),
    ];
    let mut files: Vec<(&str, &str)> = mistakes.iter().map(|(_, f, t)| (*f, *t)).collect();
    files.push((
        "content/archive/e05-restricted.md",
        "---\nref: X\ntitle: x\ndate: 1920\ntype: document\naccess: restricted\n---\n",
    ));
    files.push((
        "content/archive/e06-draft.md",
        "---\nref: X\ntitle: x\ndate: 1920\ntype: document\ndraft: true\n---\n",
    ));
    let site = write_site(&fixture_with(&files));
    let tmp = temp_dir();
    let output = run_build(site.path(), &tmp.path().join("public"), &[]);
    let err = stderr(&output);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let diags = parse_diagnostics(&err);
    let mut missing = Vec::new();
    for (code, file, _) in &mistakes {
        if !diags
            .iter()
            .any(|d| d.code == *code && d.file.as_deref() == Some(*file))
        {
            missing.push(format!("{code} in {file}"));
        }
    }
    assert!(missing.is_empty(), "not reported: {missing:?}\n{err}");
    let errors = error_count(&err);
    assert!(
        errors >= mistakes.len(),
        "{errors} errors for {} mistakes",
        mistakes.len()
    );
    let (summary_errors, summary_files) = summary(&err);
    assert_eq!(summary_errors, errors, "{err}");
    assert_eq!(
        summary_files,
        mistakes.len(),
        "every file with a mistake counted once:\n{err}"
    );
    assert!(err.trim_end().ends_with("nothing was written"), "{err}");
    assert!(!tmp.path().join("public").exists());
    // Sorted by file: the diagnostics come in path order.
    let order: Vec<String> = diags.iter().filter_map(|d| d.file.clone()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "diagnostics are sorted by file");

    // `check` reports the same mistakes in one run, and writes nothing.
    let mut command = lantai();
    command.arg("check").arg("--root").arg(site.path());
    let checked = run(command);
    let check_err = stderr(&checked);
    assert_no_panic(&checked);
    assert_eq!(checked.status.code(), Some(1), "{check_err}");
    let check_diags = parse_diagnostics(&check_err);
    for (code, file, _) in &mistakes {
        assert!(
            check_diags
                .iter()
                .any(|d| d.code == *code && d.file.as_deref() == Some(*file)),
            "check did not report {code} in {file}:\n{check_err}"
        );
    }
    assert!(!site.path().join("public").exists(), "check wrote output");
}

// ---------------------------------------------------------------- usage errors

fn assert_usage_error(output: &Output) -> String {
    let err = stderr(output);
    assert_no_panic(output);
    assert_eq!(output.status.code(), Some(2), "usage error exits 2:\n{err}");
    err
}

#[test]
fn no_site_yaml_is_a_usage_error() {
    let empty = temp_dir();
    let out = temp_dir();
    let output = run_build(empty.path(), &out.path().join("public"), &[]);
    let err = assert_usage_error(&output);
    assert!(err.contains("site.yaml"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!out.path().join("public").exists());
}

#[test]
fn output_inside_content_is_refused() {
    let site = write_site(&fixture_site());
    let before = snapshot(site.path());
    let output = run_build(site.path(), &site.path().join("content/public"), &[]);
    let err = assert_usage_error(&output);
    assert!(err.contains("content"), "{err}");
    assert_eq!(snapshot(site.path()), before, "the site was written into");
}

#[test]
fn output_inside_static_is_refused() {
    let site = write_site(&fixture_with(&[("static/robots.txt", "User-agent: *\n")]));
    let before = snapshot(site.path());
    let output = run_build(site.path(), &site.path().join("static/out"), &[]);
    assert_usage_error(&output);
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn output_equal_to_the_site_root_is_refused() {
    let site = write_site(&fixture_site());
    let before = snapshot(site.path());
    let output = run_build(site.path(), site.path(), &[]);
    let err = assert_usage_error(&output);
    assert!(err.contains("refus"), "{err}");
    assert_eq!(snapshot(site.path()), before, "the site was written into");
}

#[test]
fn output_containing_the_site_root_is_refused() {
    let outer = temp_dir();
    let root = outer.path().join("site");
    write_files(&root, &fixture_site());
    let before = snapshot(outer.path());
    let output = run_build(&root, outer.path(), &[]);
    assert_usage_error(&output);
    assert_eq!(snapshot(outer.path()), before);
}

#[test]
fn output_dir_of_site_yaml_is_relative_to_the_root() {
    let site = write_site(&fixture_with(&[(
        "site.yaml",
        "title: 测试展厅\nbase_url: https://example.org/sub/\ninstitution: 测试档案馆\noutput_dir: build/site\n",
    )]));
    let mut command = lantai();
    command.arg("build").arg("--root").arg(site.path());
    let output = run(command);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(site.path().join("build/site/index.html").is_file());
}

// ---------------------------------------------------------------- odd files

/// Builds the fixture with `changes` and returns the output, never
/// asserting success.
fn build_with(changes: &[(&str, &[u8])]) -> (Output, TempDirs) {
    let site = write_site(&fixture_site());
    write_files(site.path(), changes);
    let tmp = temp_dir();
    let output = run_build(site.path(), &tmp.path().join("public"), &[]);
    (output, TempDirs(site, tmp))
}

/// The site and the output folder, kept until the test ends.
struct TempDirs(#[allow(dead_code)] tempfile::TempDir, tempfile::TempDir);

#[test]
fn non_utf8_file() {
    // 测试 in GBK.
    let (output, _dirs) = build_with(&[(
        "content/pages/gbk.md",
        b"---\ntitle: \xb2\xe2\xca\xd4\n---\n",
    )]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let diag = expect_diag(&err, "E0002", "content/pages/gbk.md", Some(2));
    assert!(diag.help.unwrap().contains("UTF-8"));
}

#[test]
fn empty_markdown_file() {
    let (output, _dirs) = build_with(&[("content/pages/empty.md", b"")]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    expect_diag(&stderr(&output), "E0201", "content/pages/empty.md", Some(1));
}

#[test]
fn file_with_only_an_opening_fence() {
    let (output, _dirs) = build_with(&[("content/pages/fence.md", b"---\n")]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    expect_diag(&stderr(&output), "E0201", "content/pages/fence.md", Some(1));
}

#[test]
fn file_with_empty_front_matter() {
    let (output, _dirs) = build_with(&[("content/pages/bare.md", b"---\n---\n")]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let diag = parse_diagnostics(&err)
        .into_iter()
        .find(|d| d.file.as_deref() == Some("content/pages/bare.md"))
        .unwrap_or_else(|| panic!("no error for a page without a title:\n{err}"));
    assert!(diag.message.contains("title"), "{}", diag.text);
}

#[test]
fn paths_with_spaces_and_chinese_characters_work() {
    let outer = temp_dir();
    let root = outer.path().join("我的 展厅");
    let mut files = fixture_with(&[(
        "content/archive/hx-0002.md",
        "---\nref: T-2\ntitle: 测试照片\ndate: 1920\ntype: photograph\nimages:\n  - src: 扫描 件.svg\n    alt: 中文文件名的图像\n---\n",
    )]);
    files.push((
        "content/archive/hx-0002/扫描 件.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    ));
    write_files(&root, &files);
    let out = outer.path().join("输出 目录").join("public");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let output = run_build(&root, &out, &[]);
    assert_no_panic(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join("archive/hx-0002/扫描 件.svg").is_file());
    assert_links_resolve(&out, FIXTURE_BASE_URL);
    let html = page(&out, "archive/hx-0002/");
    let srcs = attrs(&html, "main .item-images img", "src");
    assert_eq!(srcs.len(), 1);
}

#[test]
fn media_urls_with_spaces_are_percent_encoded() {
    let site = write_site(&fixture_with(&[
        (
            "content/archive/hx-0002.md",
            "---\nref: T-2\ntitle: 测试照片\ndate: 1920\ntype: photograph\nimages:\n  - src: 扫描 件.svg\n    alt: 中文文件名的图像\n---\n",
        ),
        (
            "content/archive/hx-0002/扫描 件.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]));
    let built = build(site.path(), &[]);
    let html = page(&built.out, "archive/hx-0002/");
    // A space is not allowed in a URL (HTML's "valid URL"); browsers
    // repair it, validators and other tools do not.
    for url in links(&html).into_iter().filter(|u| u.contains("hx-0002/")) {
        assert!(!url.contains(' '), "an unescaped space in a URL: {url}");
    }
}

#[test]
fn a_five_megabyte_body_builds_or_is_refused_clearly() {
    let paragraph = "1921年7月23日，中国共产党第一次全国代表大会在上海开幕。**代表**们讨论了[党纲](/archive/)。\n\n";
    let mut text = String::from("---\ntitle: 很长的页面\n---\n");
    let mut count = 0;
    while text.len() < 5_000_000 {
        text.push_str(paragraph);
        count += 1;
    }
    let (output, dirs) = build_with(&[("content/pages/long.md", text.as_bytes())]);
    assert_no_panic(&output);
    match output.status.code() {
        Some(0) => {
            let html = page(&dirs.1.path().join("public"), "long/");
            let paragraphs = html.select(&sel("main p")).count();
            assert_eq!(paragraphs, count, "every paragraph is on the page");
        }
        Some(1) => {
            let err = stderr(&output);
            expect_diag(
                &err,
                &parse_diagnostics(&err)[0].code,
                "content/pages/long.md",
                None,
            );
        }
        other => panic!("exit status {other:?}:\n{}", stderr(&output)),
    }
}

#[test]
fn deeply_nested_markdown_does_not_crash() {
    let mut text = String::from("---\ntitle: 嵌套\n---\n");
    text.push_str(&"> ".repeat(5_000));
    text.push_str("引文\n\n");
    text.push_str(&"[".repeat(10_000));
    text.push('\n');
    let (output, _dirs) = build_with(&[("content/pages/nested.md", text.as_bytes())]);
    assert_no_panic(&output);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_root_folder_is_a_usage_error() {
    let tmp = temp_dir();
    let output = run_build(
        &tmp.path().join("no such site"),
        &tmp.path().join("out"),
        &[],
    );
    assert_usage_error(&output);
    assert!(!Path::new(&tmp.path().join("out")).exists());
}
