//! One test per diagnostic code not covered by `errors.rs`: each names the
//! file, the line and column, and a help line.

mod common;

use common::*;

/// Builds the fixture site changed by `changes` and returns (exit code, stderr).
fn build_with(changes: &[(&str, &str)]) -> (Option<i32>, String) {
    let site = write_site(&fixture_with(changes));
    let tmp = temp_dir();
    let output = run_build(site.path(), &tmp.path().join("public"), &[]);
    assert_no_panic(&output);
    (output.status.code(), stderr(&output))
}

/// Runs `lantai check` on the fixture site changed by `changes`.
fn check_with(changes: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String) {
    let site = write_site(&fixture_with(changes));
    let mut command = lantai();
    command
        .arg("check")
        .arg("--root")
        .arg(site.path())
        .args(args);
    let output = run(command);
    assert_no_panic(&output);
    (output.status.code(), stderr(&output))
}

#[test]
fn e0101_site_yaml_syntax() {
    let (code, err) = build_with(&[("site.yaml", "title: t\nbase_url: [https://e.org/\n")]);
    assert_eq!(code, Some(1));
    expect_diag(&err, "E0101", "site.yaml", None);
}

#[test]
fn e0103_base_url_must_be_absolute() {
    let (code, err) = build_with(&[("site.yaml", "title: t\nbase_url: /relative/\n")]);
    assert_eq!(code, Some(1));
    let diag = expect_diag(&err, "E0103", "site.yaml", Some(2));
    assert!(diag.help.unwrap().contains("https://"));
}

#[test]
fn e0100_no_site_yaml_is_a_usage_error() {
    let tmp = temp_dir();
    let output = run_build(tmp.path(), &tmp.path().join("public"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    let diag = find_diag(&err, "E0100", "site.yaml");
    assert!(diag.help.unwrap().contains("lantai init"));
}

#[test]
fn e0204_wrong_type_points_at_the_value() {
    let item = "---\nref: T-1\ntitle: 信\ndate: 1921\ntype: letter\ndraft: maybe\n---\n";
    let (code, err) = build_with(&[("content/archive/hx-0002.md", item)]);
    assert_eq!(code, Some(1));
    let diag = expect_diag(&err, "E0204", "content/archive/hx-0002.md", Some(6));
    assert_eq!(diag.column, Some(8));
    assert!(diag.help.unwrap().contains("draft: true"));
}

#[test]
fn e0301_unreadable_date_suggests_the_right_spelling() {
    let item = "---\nref: T-1\ntitle: 信\ndate: 1921年7月23日\ntype: letter\n---\n";
    let (code, err) = build_with(&[("content/archive/hx-0002.md", item)]);
    assert_eq!(code, Some(1));
    let diag = expect_diag(&err, "E0301", "content/archive/hx-0002.md", Some(4));
    assert!(diag.help.unwrap().contains("1921-07-23"));
}

#[test]
fn e0401_unclosed_shortcode_points_at_its_line() {
    let section = "---\ntitle: 第一单元\n---\n第一段。\n\n{{ item(id=\"hx-0001\")\n\n后文。\n";
    let (code, err) = build_with(&[("content/exhibits/ex/01-one.md", section)]);
    assert_eq!(code, Some(1));
    expect_diag(&err, "E0401", "content/exhibits/ex/01-one.md", Some(6));
}

#[test]
fn w0208_markdown_in_an_unknown_place_is_a_warning() {
    let (code, err) = build_with(&[("content/notes/todo.md", "---\ntitle: x\n---\n")]);
    assert_eq!(code, Some(0), "a warning does not fail the build:\n{err}");
    let diag = expect_diag(&err, "W0208", "content/notes/todo.md", Some(1));
    assert_eq!(diag.severity, "warning");
}

#[test]
fn e0001_broken_symlink_is_reported_not_fatal() {
    let site = write_site(&fixture_site());
    let link = site.path().join("content/archive/hx-0009.md");
    std::os::unix::fs::symlink(site.path().join("nowhere.md"), &link).unwrap();
    let tmp = temp_dir();
    let output = run_build(site.path(), &tmp.path().join("public"), &[]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    find_diag(&err, "E0001", "content/archive/hx-0009.md");
}

#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let site = write_site(&fixture_site());
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/archive/loop"),
    )
    .unwrap();
    let tmp = temp_dir();
    let output = run_build(site.path(), &tmp.path().join("public"), &[]);
    assert_no_panic(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("E0001"), "{}", stderr(&output));
}

#[test]
fn e0701_output_inside_templates_is_refused() {
    let site = write_site(&fixture_site());
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let output = run_build(site.path(), &site.path().join("templates/out"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("E0701"), "{err}");
    assert!(!site.path().join("templates/out").exists());
}

#[test]
fn w0520_check_warns_about_a_person_nothing_refers_to() {
    let person = "---\ntitle: 无名氏\n---\n";
    let (code, err) = check_with(&[("content/people/nobody.md", person)], &[]);
    assert_eq!(code, Some(0), "warnings alone pass:\n{err}");
    expect_diag(&err, "W0520", "content/people/nobody.md", Some(1));
    let (strict, _) = check_with(&[("content/people/nobody.md", person)], &["--strict"]);
    assert_eq!(strict, Some(1), "--strict fails on warnings");
}

#[test]
fn w0521_check_warns_about_an_empty_section() {
    let (code, err) = check_with(
        &[("content/exhibits/ex/03-empty.md", "---\ntitle: 空\n---\n")],
        &[],
    );
    assert_eq!(code, Some(0));
    expect_diag(&err, "W0521", "content/exhibits/ex/03-empty.md", Some(1));
}

#[test]
fn check_reports_a_theme_link_that_leads_nowhere() {
    let base = "{% extends \"base.html\" %}{% block content %}<a href=\"{{ site.base_path }}nowhere/\">x</a>{{ content.content_html | safe }}{% endblock content %}";
    let (code, err) = check_with(&[("templates/page.html", base)], &[]);
    assert_eq!(code, Some(1), "{err}");
    let diag = parse_diagnostics(&err)
        .into_iter()
        .find(|d| d.code == "E0505")
        .unwrap_or_else(|| panic!("no E0505:\n{err}"));
    assert!(diag.message.contains("/sub/nowhere/"), "{}", diag.text);
}
