//! The commands other than `build`: `init`, `new`, `check`; and how
//! `build` and `check` end when nobody reads what they print.

mod common;

use std::path::Path;

use common::*;

fn lantai_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut command = lantai();
    command.current_dir(dir).args(args);
    run(command)
}

#[test]
fn init_creates_a_site_that_builds() {
    let tmp = temp_dir();
    let root = tmp.path().join("新网站");
    let output = lantai_in(tmp.path(), &["init", "新网站"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for file in ["site.yaml", "content/_index.md"] {
        assert!(root.join(file).is_file(), "init did not write {file}");
    }
    let ignored = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(ignored.contains("/.lantai-cache/") && ignored.contains("/public/"));
    let markdown = files_under(&root.join("content"))
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
        .count();
    assert!(
        markdown >= 3,
        "starter content has {markdown} Markdown files"
    );

    // It builds without templates of its own: the theme is built in.
    assert!(!root.join("templates").exists() || files_under(&root.join("templates")).is_empty());
    let built = build(&root, &[]);
    assert!(page_file(&built.out, "").is_file());
    assert!(built.out.join("css/lantai.css").is_file());
    assert!(
        !built.stderr.contains("warning"),
        "the starter site has warnings:\n{}",
        built.stderr
    );
    let base_url = std::fs::read_to_string(root.join("site.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("base_url:").map(|v| v.trim().to_string()))
        .expect("site.yaml has a base_url");
    assert_links_resolve(&built.out, &base_url);
    // And `check` agrees.
    let checked = lantai_in(&root, &["check"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
}

#[test]
fn init_in_the_current_folder() {
    let tmp = temp_dir();
    let output = lantai_in(tmp.path(), &["init"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(tmp.path().join("site.yaml").is_file());
}

#[test]
fn init_refuses_an_existing_site() {
    let tmp = temp_dir();
    let first = lantai_in(tmp.path(), &["init", "site"]);
    assert!(first.status.success());
    let root = tmp.path().join("site");
    std::fs::write(
        root.join("site.yaml"),
        "title: 我的\nbase_url: https://example.org/\n",
    )
    .unwrap();
    let before = snapshot(&root);
    let again = lantai_in(tmp.path(), &["init", "site"]);
    assert_no_panic(&again);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("site.yaml"), "{}", stderr(&again));
    assert_eq!(snapshot(&root), before, "init changed an existing site");
}

#[test]
fn new_exhibit_section_and_item_build() {
    let tmp = temp_dir();
    assert!(lantai_in(tmp.path(), &["init", "site"]).status.success());
    let root = tmp.path().join("site");

    let exhibit = lantai_in(&root, &["new", "exhibit", "x"]);
    assert!(exhibit.status.success(), "{}", stderr(&exhibit));
    assert!(root.join("content/exhibits/x/_index.md").is_file());

    let section = lantai_in(&root, &["new", "section", "x", "intro"]);
    assert!(section.status.success(), "{}", stderr(&section));
    assert!(root.join("content/exhibits/x/01-intro.md").is_file());
    let second = lantai_in(&root, &["new", "section", "x", "more"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(root.join("content/exhibits/x/02-more.md").is_file());

    let item = lantai_in(&root, &["new", "item", "hx-1"]);
    assert!(item.status.success(), "{}", stderr(&item));
    let item_file = root.join("content/archive/hx-1.md");
    assert!(item_file.is_file());
    let text = std::fs::read_to_string(&item_file).unwrap();
    for field in ["ref:", "title:", "date:", "type:"] {
        assert!(text.contains(field), "new item lacks {field}:\n{text}");
    }

    // --root works from elsewhere too.
    let elsewhere = lantai_in(
        tmp.path(),
        &["new", "item", "hx-2", "--root", root.to_str().unwrap()],
    );
    assert!(elsewhere.status.success(), "{}", stderr(&elsewhere));
    assert!(root.join("content/archive/hx-2.md").is_file());

    let built = build(&root, &[]);
    for path in [
        "exhibits/x/",
        "exhibits/x/intro/",
        "exhibits/x/more/",
        "archive/hx-1/",
        "archive/hx-2/",
    ] {
        assert!(page_file(&built.out, path).is_file(), "{path} not built");
    }
    let exhibit_page = page(&built.out, "exhibits/x/");
    let sections = attrs(&exhibit_page, "main a[href]", "href");
    assert!(
        sections.contains(&"/exhibits/x/intro/".to_string()),
        "{sections:?}"
    );
    assert!(
        sections.contains(&"/exhibits/x/more/".to_string()),
        "{sections:?}"
    );
}

#[test]
fn new_never_overwrites() {
    let tmp = temp_dir();
    assert!(lantai_in(tmp.path(), &["init", "site"]).status.success());
    let root = tmp.path().join("site");
    assert!(lantai_in(&root, &["new", "item", "hx-1"]).status.success());
    let file = root.join("content/archive/hx-1.md");
    std::fs::write(&file, "curator's own text").unwrap();
    let again = lantai_in(&root, &["new", "item", "hx-1"]);
    assert_no_panic(&again);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("hx-1.md"), "{}", stderr(&again));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "curator's own text"
    );

    assert!(lantai_in(&root, &["new", "exhibit", "x"]).status.success());
    let exhibit = root.join("content/exhibits/x/_index.md");
    let before = std::fs::read(&exhibit).unwrap();
    let again = lantai_in(&root, &["new", "exhibit", "x"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read(&exhibit).unwrap(), before);
}

#[test]
fn new_rejects_bad_names_and_missing_exhibits() {
    let tmp = temp_dir();
    assert!(lantai_in(tmp.path(), &["init", "site"]).status.success());
    let root = tmp.path().join("site");
    let before = snapshot(&root);
    for args in [
        &["new", "item", "HX 1"][..],
        &["new", "item", "../escape"][..],
        &["new", "exhibit", "第一展"][..],
        &["new", "exhibit", "../x"][..],
        &["new", "section", "no-such-exhibit", "intro"][..],
        &["new", "section", "first-exhibit", "Bad Slug"][..],
    ] {
        let output = lantai_in(&root, args);
        assert_no_panic(&output);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).starts_with("error"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(snapshot(&root), before, "a refused `new` wrote a file");
    assert!(!tmp.path().join("escape.md").exists());
}

#[test]
fn check_on_the_demo_passes_and_writes_nothing() {
    let site = copy_demo();
    let before = snapshot(site.path());
    let output = lantai_in(site.path(), &["check"]);
    assert_no_panic(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(error_count(&stderr(&output)), 0);
    // The demo is the reference site: not even a warning.
    let strict = lantai_in(site.path(), &["check", "--strict"]);
    assert!(strict.status.success(), "{}", stderr(&strict));
    assert_eq!(snapshot(site.path()), before, "check wrote files");
    // Nothing beside the site either (no staging folder).
    let siblings = std::fs::read_dir(site.path().parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".lantai"))
        .count();
    assert_eq!(siblings, 0);
}

#[test]
fn check_reports_errors_and_writes_nothing() {
    let site = write_site(&fixture_with(&[(
        "content/exhibits/ex/01-one.md",
        "---\ntitle: 第一单元\n---\n{{ item(id=\"hx-9999\") }}\n",
    )]));
    let before = snapshot(site.path());
    let output = lantai_in(site.path(), &["check"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    expect_diag(&err, "E0501", "content/exhibits/ex/01-one.md", Some(4));
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn check_json_lists_code_file_and_line() {
    let site = write_site(&fixture_with(&[
        (
            "content/exhibits/ex/01-one.md",
            "---\ntitle: 第一单元\n---\n{{ item(id=\"hx-9999\") }}\n",
        ),
        (
            "content/archive/hx-0002.md",
            "---\nref: T-2\ntitle: 测试照片\ndte: 1920\ndate: 1920\ntype: photograph\n---\n",
        ),
    ]));
    let output = lantai_in(site.path(), &["check", "--format", "json"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is JSON and nothing else");
    let list = json.as_array().expect("a JSON array of diagnostics");
    assert_eq!(list.len(), 2, "{json:#}");
    let find = |code: &str| {
        list.iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {json:#}"))
    };
    let unknown_item = find("E0501");
    assert_eq!(unknown_item["severity"], "error");
    assert_eq!(
        unknown_item["location"]["file"],
        "content/exhibits/ex/01-one.md"
    );
    assert_eq!(unknown_item["location"]["line"], 4);
    assert!(unknown_item["location"]["column"].as_u64().unwrap() >= 1);
    assert!(
        unknown_item["message"]
            .as_str()
            .unwrap()
            .contains("hx-9999")
    );
    assert!(!unknown_item["help"].as_str().unwrap().is_empty());
    let unknown_field = find("E0203");
    assert_eq!(
        unknown_field["location"]["file"],
        "content/archive/hx-0002.md"
    );
    assert_eq!(unknown_field["location"]["line"], 4);
    assert_eq!(unknown_field["help"], "did you mean `date`?");
}

#[test]
fn check_json_of_a_good_site_is_an_empty_list() {
    let site = write_site(&fixture_site());
    let output = lantai_in(site.path(), &["check", "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json, serde_json::json!([]));
}

#[test]
fn check_strict_fails_on_warnings() {
    // A Markdown file where lantai reads none is a warning.
    let site = write_site(&fixture_with(&[(
        "content/notes.md",
        "---\ntitle: 笔记\n---\n",
    )]));
    let relaxed = lantai_in(site.path(), &["check"]);
    assert!(relaxed.status.success(), "{}", stderr(&relaxed));
    assert!(
        stderr(&relaxed).contains("warning["),
        "{}",
        stderr(&relaxed)
    );
    let strict = lantai_in(site.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

#[test]
fn check_drafts_validates_draft_content() {
    // A draft section referring to a missing item is only checked with
    // --drafts (SPEC: draft content is removed before references are
    // checked).
    let site = write_site(&fixture_with(&[(
        "content/exhibits/ex/03-draft.md",
        "---\ntitle: 草稿单元\ndraft: true\n---\n{{ item(id=\"hx-9999\") }}\n",
    )]));
    let public = lantai_in(site.path(), &["check"]);
    assert!(public.status.success(), "{}", stderr(&public));
    let drafts = lantai_in(site.path(), &["check", "--drafts"]);
    assert_eq!(drafts.status.code(), Some(1));
    expect_diag(
        &stderr(&drafts),
        "E0501",
        "content/exhibits/ex/03-draft.md",
        Some(5),
    );
}

#[test]
fn build_without_root_uses_the_current_folder_and_output_dir() {
    let site = write_site(&fixture_site());
    let output = lantai_in(site.path(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = stdout(&output);
    assert!(summary.starts_with("built "), "{summary}");
    assert!(site.path().join("public/index.html").is_file());
    assert!(
        site.path()
            .join("public/archive/hx-0001/index.html")
            .is_file()
    );
    assert_links_resolve(&site.path().join("public"), FIXTURE_BASE_URL);
    // Nothing else was written beside the output (no staging folder left).
    let mut top: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, vec!["content", "public", "site.yaml"]);
    // A rebuild replaces the output whole: a file no longer produced
    // disappears.
    std::fs::remove_file(site.path().join("content/archive/hx-0002.md")).unwrap();
    let again = lantai_in(site.path(), &["build"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!site.path().join("public/archive/hx-0002").exists());
    assert!(
        site.path()
            .join("public/archive/hx-0001/index.html")
            .is_file()
    );
}

#[test]
fn bad_base_url_is_an_error() {
    let site = write_site(&fixture_site());
    let tmp = temp_dir();
    let output = run_build(
        site.path(),
        &tmp.path().join("out"),
        &["--base-url", "/relative/"],
    );
    assert_no_panic(&output);
    assert_ne!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("base-url"), "{}", stderr(&output));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn help_and_version() {
    let help = lantai_in(Path::new("."), &["--help"]);
    assert!(help.status.success());
    let text = stdout(&help);
    for command in ["build", "check", "init", "new"] {
        assert!(text.contains(command), "--help lacks {command}:\n{text}");
    }
    let version = lantai_in(Path::new("."), &["--version"]);
    assert!(version.status.success());
    assert!(stdout(&version).contains(env!("CARGO_PKG_VERSION")));
    let unknown = lantai_in(Path::new("."), &["frobnicate"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// A section whose raw HTML has an image without alt text (line 6) and a
/// link to a page the site does not have (line 8): only the rendered-site
/// checks of `check` can see them.
fn raw_html_problems() -> tempfile::TempDir {
    write_site(&fixture_with(&[(
        "content/exhibits/ex/01-one.md",
        "---\ntitle: 第一单元\n---\n叙述。\n\n<img src=\"/sub/archive/hx-0001/scan.svg\">\n\n<a href=\"/sub/nowhere/\">坏链接</a>\n\n{{ item(id=\"hx-0001\") }}\n",
    )]))
}

#[test]
fn check_finds_problems_in_the_rendered_pages() {
    let site = raw_html_problems();
    let before = snapshot(site.path());
    let output = lantai_in(site.path(), &["check"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let alt = find_diag(&err, "E0511", "content/exhibits/ex/01-one.md");
    assert!(alt.message.contains("scan.svg"), "{}", alt.text);
    let link = find_diag(&err, "E0505", "content/exhibits/ex/01-one.md");
    assert!(link.message.contains("/sub/nowhere/"), "{}", link.text);
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn check_finds_broken_links_made_by_templates() {
    let site = write_site(&fixture_with(&[(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p><a href=\"{{ site.base_path }}gone/\">首页</a></p>{% endblock content %}",
    )]));
    let output = lantai_in(site.path(), &["check"]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let diag = parse_diagnostics(&err)
        .into_iter()
        .find(|d| d.code == "E0505")
        .unwrap_or_else(|| panic!("no E0505:\n{err}"));
    assert!(diag.message.contains("/sub/gone/"), "{}", diag.text);
    assert!(diag.help.is_some());
}

/// SPEC: "Every error names the file, line and column" — raw HTML in a
/// Markdown body has a line too.
#[test]
fn check_points_at_the_line_of_a_raw_html_problem() {
    let site = raw_html_problems();
    let output = lantai_in(site.path(), &["check"]);
    let err = stderr(&output);
    expect_diag(&err, "E0511", "content/exhibits/ex/01-one.md", Some(6));
    expect_diag(&err, "E0505", "content/exhibits/ex/01-one.md", Some(8));
}

/// Runs `lantai ARGS` with standard output and error going into a pipe
/// whose reading end is already closed, as in `lantai build 2>&1 | head`
/// once `head` has read its lines.
fn status_with_closed_output(args: &[&std::ffi::OsStr]) -> std::process::ExitStatus {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    std::process::Command::new(assert_cmd::cargo::cargo_bin("lantai"))
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(writer.try_clone().expect("a second writer"))
        .stderr(writer)
        .status()
        .expect("lantai runs")
}

#[test]
fn a_reader_that_went_away_loses_the_text_not_the_build() {
    // A build prints its summary: unread, it is dropped, and the site is
    // still written and swapped in, with the build's own exit code.
    let site = write_site(&fixture_site());
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    let status = status_with_closed_output(&[
        "build".as_ref(),
        "--root".as_ref(),
        site.path().as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(page_file(&out, "archive/hx-0001/").is_file());

    // A site with an error: its diagnostics go unread, and the exit code
    // is still the one for errors, not a panic's.
    let broken = write_site(&fixture_with(&[(
        "content/archive/hx-0002.md",
        "---\ntitle: 无日期\nref: D1\ndate: 1919-13-01\ntype: photograph\n---\n",
    )]));
    let broken_out = tmp.path().join("broken");
    let build: [&std::ffi::OsStr; 5] = [
        "build".as_ref(),
        "--root".as_ref(),
        broken.path().as_os_str(),
        "--output".as_ref(),
        broken_out.as_os_str(),
    ];
    let check: [&std::ffi::OsStr; 3] = [
        "check".as_ref(),
        "--root".as_ref(),
        broken.path().as_os_str(),
    ];
    for args in [&build[..], &check[..]] {
        let status = status_with_closed_output(args);
        assert_eq!(status.code(), Some(1), "{args:?}: {status:?}");
    }
    assert!(!broken_out.exists());
}
