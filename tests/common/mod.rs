//! Helpers shared by the integration tests: running the `lantai` binary,
//! writing small fixture sites, parsing the output and checking its links.
//!
//! Each test file uses a subset of these helpers.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// The demo site is the repository itself.
pub const DEMO_BASE_URL: &str = "https://example.org/exhibitions/";
pub const DEMO_BASE_PATH: &str = "/exhibitions/";

/// The base URL of the fixture sites written by [`fixture_site`].
pub const FIXTURE_BASE_URL: &str = "https://example.org/sub/";

pub fn demo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `lantai` binary of this package.
pub fn lantai() -> Command {
    let mut command = Command::cargo_bin("lantai").expect("the lantai binary is built");
    command.env("NO_COLOR", "1");
    command
}

/// Runs a command and returns its output (never fails on exit status).
pub fn run(mut command: Command) -> Output {
    command.output().expect("lantai runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary folder under cargo's target/tmp (so leftovers are cleaned by
/// `cargo clean`, not scattered in /tmp).
pub fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("lantai-test-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("a temporary folder")
}

/// A built site in a temporary folder.
pub struct Built {
    _tmp: TempDir,
    /// The output folder.
    pub out: PathBuf,
    pub stdout: String,
    pub stderr: String,
}

/// `lantai build --root ROOT --output <tmp>/out ARGS…`; panics unless the
/// build succeeds.
pub fn build(root: &Path, args: &[&str]) -> Built {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    let output = run_build(root, &out, args);
    assert!(
        output.status.success(),
        "lantai build {} failed with {:?}:\n{}",
        root.display(),
        output.status.code(),
        stderr(&output)
    );
    Built {
        out,
        stdout: stdout(&output),
        stderr: stderr(&output),
        _tmp: tmp,
    }
}

/// `lantai build --root ROOT --output OUT ARGS…`, whatever the outcome.
pub fn run_build(root: &Path, out: &Path, args: &[&str]) -> Output {
    let mut command = lantai();
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(args);
    run(command)
}

/// Writes `files` (path relative to `root`, text) under `root`, creating
/// folders as needed.
pub fn write_files<P: AsRef<str>, T: AsRef<[u8]>>(root: &Path, files: &[(P, T)]) {
    for (path, text) in files {
        let path = root.join(path.as_ref());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text.as_ref()).unwrap();
    }
}

/// A new temporary site made of `files`.
pub fn write_site<P: AsRef<str>, T: AsRef<[u8]>>(files: &[(P, T)]) -> TempDir {
    let tmp = temp_dir();
    write_files(tmp.path(), files);
    tmp
}

/// A small valid site: one exhibit with two sections, two items (one shown
/// in a section), a person, a place and a free page, under the sub-path
/// `/sub/`.
pub fn fixture_site() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "site.yaml",
            "title: 测试展厅\ndescription: 测试用的小网站\nbase_url: https://example.org/sub/\nlanguage: zh-CN\ninstitution: 测试档案馆\nrights: 仅供测试\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: 测试展厅\n---\n欢迎参观。\n",
        ),
        (
            "content/exhibits/ex/_index.md",
            "---\ntitle: 测试展览\nsummary: 一个展览\nopened: 2021-07-01\ntags: [建党]\n---\n前言。\n",
        ),
        (
            "content/exhibits/ex/01-one.md",
            "---\ntitle: 第一单元\n---\n第一单元的叙述。\n\n{{ item(id=\"hx-0001\") }}\n",
        ),
        (
            "content/exhibits/ex/02-two.md",
            "---\ntitle: 第二单元\n---\n见[李达](@/people/li-da.md)。\n",
        ),
        (
            "content/archive/hx-0001.md",
            "---\nref: T-1921-001\ntitle: 测试信函\ndate: 1921-07-23\ntype: letter\ncreator: [li-da, 某人]\npeople: [li-da]\nplaces: [yida]\ntags: [建党]\nimages:\n  - src: scan.svg\n    alt: 一页信纸的示意图\n---\n描述。\n\n## 录文\n\n录文一行。\n",
        ),
        (
            "content/archive/hx-0001/scan.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n",
        ),
        (
            "content/archive/hx-0002.md",
            "---\nref: T-1920-002\ntitle: 测试照片\ndate: 1920~\ntype: photograph\n---\n描述。\n",
        ),
        (
            "content/people/li-da.md",
            "---\ntitle: 李达\nborn: 1890-10-02\ndied: 1966-08-24\n---\n生平。\n",
        ),
        (
            "content/places/yida.md",
            "---\ntitle: 一大会址\naddress: 上海市兴业路76号\n---\n介绍。\n",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: 关于\nmenu: true\n---\n关于本站。\n",
        ),
    ]
}

/// The fixture site with some files replaced or added.
pub fn fixture_with<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut files: BTreeMap<&str, &str> = fixture_site().into_iter().collect();
    for (path, text) in changes {
        files.insert(path, text);
    }
    files.into_iter().collect()
}

/// Copies the demo site (site.yaml, content/, templates/, static/) into a
/// temporary folder.
pub fn copy_demo() -> TempDir {
    let tmp = temp_dir();
    let root = demo_root();
    std::fs::copy(root.join("site.yaml"), tmp.path().join("site.yaml")).unwrap();
    for folder in ["content", "templates", "static"] {
        copy_tree(&root.join(folder), &tmp.path().join(folder));
    }
    tmp
}

pub fn copy_tree(from: &Path, to: &Path) {
    for file in files_under(from) {
        let target = to.join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&file), target).unwrap();
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// Relative path (with `/`) → bytes of every file under `dir`.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(dir.join(&file)).unwrap();
            (file.to_string_lossy().replace('\\', "/"), bytes)
        })
        .collect()
}

/// The relative paths of every `.html` file under `out`.
pub fn html_files(out: &Path) -> Vec<PathBuf> {
    files_under(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

// ---------------------------------------------------------------- HTML

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

pub fn read_html(path: &Path) -> Html {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Html::parse_document(&text)
}

/// The output file of a site path: `archive/hx-0001/` →
/// `archive/hx-0001/index.html`; `feed.xml` → `feed.xml`.
pub fn page_file(out: &Path, site_path: &str) -> PathBuf {
    let site_path = site_path.trim_start_matches('/');
    if site_path.is_empty() || site_path.ends_with('/') {
        out.join(site_path).join("index.html")
    } else {
        out.join(site_path)
    }
}

/// Parses the page published at a site path (`archive/hx-0001/`).
pub fn page(out: &Path, site_path: &str) -> Html {
    read_html(&page_file(out, site_path))
}

/// Text of an element, whitespace collapsed.
pub fn text(element: ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of every element matching `css`.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&sel(css)).map(text).collect()
}

/// The only element matching `css`; panics when there is none or several.
pub fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    let found: Vec<ElementRef> = html.select(&sel(css)).collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one `{css}`, found {}",
        found.len()
    );
    found[0]
}

/// Values of `attr` on every element matching `css`.
pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    html.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every `href`, `src` and `srcset` URL of a page, in document order.
pub fn links(html: &Html) -> Vec<String> {
    let mut found = Vec::new();
    for element in html.select(&sel("[href], [src], [srcset]")) {
        let value = element.value();
        for attr in ["href", "src"] {
            if let Some(url) = value.attr(attr) {
                found.push(url.to_string());
            }
        }
        if let Some(srcset) = value.attr("srcset") {
            found.extend(srcset_urls(srcset));
        }
    }
    found
}

/// The URLs of a `srcset`, split as browsers do: a URL runs to the next
/// whitespace and may contain commas (IIIF sizes: `full/320,240/0/…`);
/// a candidate's descriptors run to the next comma.
pub fn srcset_urls(srcset: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            return urls;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (url, after) = rest.split_at(end);
        let trimmed = url.trim_end_matches(',');
        if !trimmed.is_empty() {
            urls.push(trimmed.to_string());
        }
        rest = if trimmed.len() < url.len() {
            after
        } else {
            after.find(',').map_or("", |i| &after[i + 1..])
        };
    }
}

/// Every `id` (and `<a name>`) of a page.
pub fn ids(html: &Html) -> HashSet<String> {
    let mut ids: HashSet<String> = attrs(html, "[id]", "id").into_iter().collect();
    ids.extend(attrs(html, "a[name]", "name"));
    ids
}

/// Decodes `%XX` escapes (UTF-8).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 3 <= bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            decoded.push(byte);
            i += 3;
            continue;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

// ---------------------------------------------------------------- links

/// Checks links of a built site: every root-relative `href`/`src` must lie
/// under the base path and name a file of the output; `#fragment`s must
/// name an element id on the target page. Absolute URLs under `base_url`
/// (canonical links) are checked the same way; other absolute URLs are
/// external and skipped.
pub struct LinkChecker {
    out: PathBuf,
    base_url: String,
    base_path: String,
    origin: String,
    ids: HashMap<PathBuf, HashSet<String>>,
}

/// One link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    pub page: String,
    pub link: String,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: `{}` {}", self.page, self.link, self.reason)
    }
}

impl LinkChecker {
    pub fn new(out: &Path, base_url: &str) -> Self {
        assert!(base_url.ends_with('/'), "base_url ends with /");
        let after_scheme = base_url.find("://").map(|i| i + 3).unwrap_or(0);
        let path_start = base_url[after_scheme..]
            .find('/')
            .map(|i| i + after_scheme)
            .unwrap_or(base_url.len());
        LinkChecker {
            out: out.to_path_buf(),
            base_url: base_url.to_string(),
            base_path: base_url[path_start..].to_string(),
            origin: base_url[..path_start].to_string(),
            ids: HashMap::new(),
        }
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The root-relative URL of an output file (`archive/x/index.html` →
    /// `/base/archive/x/`).
    pub fn url_of(&self, relative: &Path) -> String {
        let relative = relative.to_string_lossy().replace('\\', "/");
        let path = relative
            .strip_suffix("index.html")
            .unwrap_or(relative.as_str());
        format!("{}{}", self.base_path, path)
    }

    fn ids_of(&mut self, file: &Path) -> &HashSet<String> {
        self.ids
            .entry(file.to_path_buf())
            .or_insert_with(|| ids(&read_html(file)))
    }

    /// Resolves a root-relative URL path (no fragment) to an output file.
    pub fn file_of(&self, path: &str) -> Result<PathBuf, String> {
        let Some(rest) = path.strip_prefix(&self.base_path) else {
            return Err(format!("is outside the base path {}", self.base_path));
        };
        let rest = percent_decode(rest);
        if rest.split('/').any(|part| part == ".." || part == ".") {
            return Err("has `.` or `..` segments".to_string());
        }
        let file = if rest.is_empty() || rest.ends_with('/') {
            self.out.join(&rest).join("index.html")
        } else {
            self.out.join(&rest)
        };
        if file.is_file() {
            Ok(file)
        } else if self.out.join(&rest).is_dir() {
            Err("names a folder without a trailing `/`".to_string())
        } else {
            Err(format!(
                "has no output file ({} does not exist)",
                file.strip_prefix(&self.out).unwrap_or(&file).display()
            ))
        }
    }

    /// Checks one link found on the page at output file `page` (relative).
    pub fn check(&mut self, page: &Path, link: &str) -> Result<(), String> {
        if link.is_empty() {
            return Err("is empty".to_string());
        }
        let link = link.trim();
        let page_url = self.url_of(page);
        // Make it root-relative.
        let root_relative = if let Some(rest) = link.strip_prefix(&self.base_url) {
            format!("{}{}", self.base_path, rest)
        } else if link.starts_with('#') {
            format!("{page_url}{link}")
        } else if link.starts_with("//") {
            return Ok(()); // protocol-relative: external
        } else if link.starts_with('/') {
            link.to_string()
        } else if let Some(scheme_end) = link.find(':')
            && !link[..scheme_end].contains('/')
        {
            if link.starts_with(&self.origin) {
                return Err(format!("is on this host but outside {}", self.base_url));
            }
            return Ok(()); // mailto:, https://elsewhere, data: …
        } else {
            // A relative link: resolve it against the page's folder.
            let folder = page_url.rsplit_once('/').map(|(a, _)| a).unwrap_or("");
            let mut parts: Vec<&str> = folder.split('/').collect();
            for part in link.split('/') {
                match part {
                    "." => {}
                    ".." => {
                        parts.pop();
                    }
                    other => parts.push(other),
                }
            }
            parts.join("/")
        };
        let (without_fragment, fragment) = match root_relative.split_once('#') {
            Some((path, fragment)) => (path.to_string(), Some(fragment.to_string())),
            None => (root_relative.clone(), None),
        };
        let path = without_fragment
            .split_once('?')
            .map(|(p, _)| p.to_string())
            .unwrap_or(without_fragment);
        let file = self.file_of(&path)?;
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            let fragment = percent_decode(&fragment);
            if file.extension().is_some_and(|e| e == "html")
                && !self.ids_of(&file).contains(&fragment)
            {
                return Err(format!(
                    "names an anchor #{fragment} that is not on the page"
                ));
            }
        }
        Ok(())
    }

    /// Checks every link of every HTML page; returns the broken ones and the
    /// number of links checked.
    pub fn check_site(&mut self) -> (Vec<BrokenLink>, usize) {
        let mut broken = BTreeSet::new();
        let mut checked = 0;
        for page_path in html_files(&self.out) {
            let html = read_html(&self.out.join(&page_path));
            self.ids
                .entry(self.out.join(&page_path))
                .or_insert_with(|| ids(&html));
            for link in links(&html) {
                checked += 1;
                if let Err(reason) = self.check(&page_path, &link) {
                    broken.insert(BrokenLink {
                        page: page_path.to_string_lossy().into_owned(),
                        link,
                        reason,
                    });
                }
            }
        }
        (broken.into_iter().collect(), checked)
    }
}

/// Panics with a list of every broken link of the site at `out`.
pub fn assert_links_resolve(out: &Path, base_url: &str) -> usize {
    let mut checker = LinkChecker::new(out, base_url);
    let (broken, checked) = checker.check_site();
    assert!(
        broken.is_empty(),
        "{} of {checked} links do not resolve under {base_url}:\n{}",
        broken.len(),
        broken
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    checked
}

// ---------------------------------------------------------------- diagnostics

/// One diagnostic as printed on stderr.
#[derive(Debug, Clone)]
pub struct Diag {
    /// `error` or `warning`.
    pub severity: String,
    pub code: String,
    pub message: String,
    /// From the ` --> file:line:column` line.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<String>,
    /// The whole printed block.
    pub text: String,
}

/// Parses rustc-style diagnostics (`error[E0203]: …`, ` --> f:l:c`,
/// `= help: …`) from stderr.
pub fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut diags: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let header = ["error[", "warning["]
            .iter()
            .find(|prefix| line.starts_with(*prefix));
        if let Some(prefix) = header {
            let rest = &line[prefix.len()..];
            let (code, message) = rest.split_once("]: ").unwrap_or((rest, ""));
            diags.push(Diag {
                severity: prefix.trim_end_matches('[').to_string(),
                code: code.to_string(),
                message: message.to_string(),
                file: None,
                line: None,
                column: None,
                help: None,
                text: format!("{line}\n"),
            });
            continue;
        }
        if line.starts_with("error:") || line.starts_with("warning:") {
            // The summary line ends the last block.
            continue;
        }
        let Some(diag) = diags.last_mut() else {
            continue;
        };
        diag.text.push_str(line);
        diag.text.push('\n');
        let trimmed = line.trim_start();
        if let Some(location) = trimmed.strip_prefix("--> ") {
            let location = location.trim();
            let mut parts = location.rsplitn(3, ':');
            let last = parts.next();
            let middle = parts.next();
            let first = parts.next();
            match (
                first,
                middle.and_then(|m| m.parse().ok()),
                last.and_then(|l| l.parse().ok()),
            ) {
                (Some(file), Some(line), Some(column)) => {
                    diag.file = Some(file.to_string());
                    diag.line = Some(line);
                    diag.column = Some(column);
                }
                _ => diag.file = Some(location.to_string()),
            }
        } else if let Some(help) = trimmed.strip_prefix("= help: ") {
            diag.help = Some(help.to_string());
        }
    }
    diags
}

/// The number of `error[…]` lines.
pub fn error_count(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.starts_with("error[")).count()
}

/// The diagnostic with `code` on `file`; panics with the whole stderr when
/// there is none. Checks that it names a line and column (and the given
/// line) and has a help line.
pub fn expect_diag(stderr: &str, code: &str, file: &str, line: Option<usize>) -> Diag {
    let diags = parse_diagnostics(stderr);
    let found = diags
        .iter()
        .find(|d| d.code == code && d.file.as_deref() == Some(file))
        .unwrap_or_else(|| panic!("no {code} on {file} in:\n{stderr}"))
        .clone();
    assert!(
        found.line.is_some_and(|l| l > 0) && found.column.is_some_and(|c| c > 0),
        "{code} does not name {file}:LINE:COLUMN:\n{}",
        found.text
    );
    if let Some(line) = line {
        assert_eq!(
            found.line,
            Some(line),
            "wrong line for {code}:\n{}",
            found.text
        );
    }
    assert!(
        found.help.as_deref().is_some_and(|h| !h.trim().is_empty()),
        "{code} has no `= help:` line:\n{}",
        found.text
    );
    found
}

/// The diagnostic with `code` on `file`, with a help line; unlike
/// [`expect_diag`] it may name the file without a line (for problems with
/// the file as a whole).
pub fn find_diag(stderr: &str, code: &str, file: &str) -> Diag {
    let found = parse_diagnostics(stderr)
        .into_iter()
        .find(|d| {
            d.code == code
                && d.file
                    .as_deref()
                    .is_some_and(|f| f == file || f.starts_with(&format!("{file}:")))
        })
        .unwrap_or_else(|| panic!("no {code} on {file} in:\n{stderr}"));
    assert!(
        found.help.as_deref().is_some_and(|h| !h.trim().is_empty()),
        "{code} has no `= help:` line:\n{}",
        found.text
    );
    found
}

/// Asserts that nothing panicked.
pub fn assert_no_panic(output: &Output) {
    let err = stderr(output);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "lantai panicked:\n{err}"
    );
    // A panic exits with 101.
    assert_ne!(output.status.code(), Some(101), "lantai panicked:\n{err}");
}

// ---------------------------------------------------------------- data

/// Parses CSV text (RFC 4180) into records.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

// ---------------------------------------------------------------- content

/// A content file read independently of lantai: its front matter as JSON
/// and its Markdown body.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root (`content/archive/hx-0001.md`).
    pub file: String,
    /// The file stem (`hx-0001`, `01-prelude`).
    pub stem: String,
    pub front: serde_json::Value,
    pub body: String,
}

impl Source {
    /// A front-matter value as text (`1921` and `1921-07-23` alike).
    pub fn text(&self, key: &str) -> Option<String> {
        match self.front.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    pub fn title(&self) -> String {
        self.text("title").expect("every content file has a title")
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        match self.front.get(key) {
            Some(serde_json::Value::Array(values)) => values
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    pub fn is_draft(&self) -> bool {
        self.front.get("draft") == Some(&serde_json::Value::Bool(true))
    }

    pub fn is_restricted(&self) -> bool {
        self.text("access").as_deref() == Some("restricted")
    }

    /// Neither draft nor restricted.
    pub fn is_public(&self) -> bool {
        !self.is_draft() && !self.is_restricted()
    }

    /// A section's URL slug: the stem without a leading ordering number.
    pub fn section_slug(&self) -> String {
        let stem = self.stem.as_str();
        let digits = stem.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && stem[digits..].starts_with('-') {
            stem[digits + 1..].to_string()
        } else {
            stem.to_string()
        }
    }
}

/// Reads one content file.
pub fn read_source(root: &Path, file: &str) -> Source {
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{file} has no front matter"));
    let end = rest
        .find("\n---\n")
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len()))
        .unwrap_or_else(|| panic!("{file}: front matter not closed"));
    let yaml = &rest[..end];
    let body = rest[end..]
        .trim_start_matches('\n')
        .strip_prefix("---")
        .unwrap_or("")
        .to_string();
    let front: serde_json::Value =
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{file}: {e}"));
    let stem = Path::new(file)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    Source {
        file: file.to_string(),
        stem,
        front,
        body,
    }
}

/// Every `.md` file directly in `content/<folder>/`, sorted by name.
pub fn read_sources(root: &Path, folder: &str) -> Vec<Source> {
    let dir = root.join("content").join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .iter()
        .map(|name| read_source(root, &format!("content/{folder}/{name}")))
        .collect()
}

/// The demo's content, read without lantai.
pub struct DemoContent {
    pub items: Vec<Source>,
    /// Exhibit slug → (the exhibit, its sections sorted by weight then file name).
    pub exhibits: Vec<(String, Source, Vec<Source>)>,
    pub people: Vec<Source>,
    pub places: Vec<Source>,
    pub pages: Vec<Source>,
}

impl DemoContent {
    pub fn read(root: &Path) -> Self {
        let mut exhibits = Vec::new();
        let mut slugs: Vec<String> = std::fs::read_dir(root.join("content/exhibits"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        slugs.sort();
        for slug in slugs {
            let folder = format!("exhibits/{slug}");
            let exhibit = read_source(root, &format!("content/{folder}/_index.md"));
            let mut sections: Vec<Source> = read_sources(root, &folder)
                .into_iter()
                .filter(|s| s.stem != "_index")
                .collect();
            sections.sort_by_key(|s| {
                (
                    s.front.get("weight").and_then(|w| w.as_i64()).unwrap_or(0),
                    s.stem.clone(),
                )
            });
            exhibits.push((slug, exhibit, sections));
        }
        DemoContent {
            items: read_sources(root, "archive"),
            exhibits,
            people: read_sources(root, "people"),
            places: read_sources(root, "places"),
            pages: read_sources(root, "pages"),
        }
    }

    pub fn public_items(&self) -> Vec<&Source> {
        self.items.iter().filter(|i| i.is_public()).collect()
    }

    /// Every public tag of public items and exhibits, sorted.
    pub fn public_tags(&self) -> BTreeSet<String> {
        let mut tags = BTreeSet::new();
        for item in self.public_items() {
            tags.extend(item.list("tags"));
        }
        for (_, exhibit, _) in &self.exhibits {
            if exhibit.is_public() {
                tags.extend(exhibit.list("tags"));
            }
        }
        tags
    }
}

/// The ids used by `{{ item(id="…") }}` in a Markdown body, outside code.
pub fn shown_item_ids(body: &str) -> Vec<String> {
    shortcode_args(body, "{{ item(id=\"")
}

/// The ids used by `{% excerpt(item="…") %}` in a Markdown body.
pub fn quoted_item_ids(body: &str) -> Vec<String> {
    shortcode_args(body, "{% excerpt(item=\"")
}

fn shortcode_args(body: &str, opening: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut in_fence = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find(opening) {
            let after = &rest[start + opening.len()..];
            let before = &rest[..start];
            let in_code_span = before.matches('`').count() % 2 == 1;
            if let Some(end) = after.find('"')
                && !in_code_span
            {
                ids.push(after[..end].to_string());
            }
            rest = after;
        }
    }
    ids
}
