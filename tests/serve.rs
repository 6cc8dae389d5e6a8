//! `lantai serve` driven for real: the binary serves a copy of the demo
//! exhibition on a loopback port, and the tests edit, create, delete and
//! rename its files, break and fix them, and check what is served after
//! each change.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const LANTAI: &str = env!("CARGO_BIN_EXE_lantai");
/// How long a change may take to show (generous: CI machines are busy).
const PATIENCE: Duration = Duration::from_secs(30);

/// A copy of the demo site (its content, and site.yaml with its
/// `/exhibitions/` base path) in a temporary folder, with its image cache
/// already made, so that each server starts without making derivatives.
fn demo_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(demo_template(), dir.path());
    dir
}

/// The demo, built once for all tests of this file (which fills its image
/// cache).
fn demo_template() -> &'static Path {
    static TEMPLATE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
            std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
            copy_tree(&repo.join("content"), &dir.path().join("content"));
            let out = tempfile::tempdir().unwrap();
            let built = Command::new(LANTAI)
                .args(["build", "--root", dir.path().to_str().unwrap(), "--output"])
                .arg(out.path())
                .output()
                .unwrap();
            assert!(built.status.success(), "{built:?}");
            dir
        })
        .path()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A free port on loopback, found by binding port 0.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `lantai serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    address: String,
    /// The URL path of the site (`/exhibitions/`).
    base: String,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let port = free_port().to_string();
        let mut args = vec!["serve", "--root", root.to_str().unwrap(), "--port", &port];
        args.extend_from_slice(extra);
        Server::start_with(&args)
    }

    fn start_with(args: &[&str]) -> Server {
        let mut child = Command::new(LANTAI)
            .args(args)
            // `--open` must not start a real browser here.
            .env("BROWSER", "true")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect_lines(child.stdout.take().unwrap());
        let stderr = collect_lines(child.stderr.take().unwrap());
        let started = Instant::now();
        let url = loop {
            let found = stdout
                .lock()
                .unwrap()
                .iter()
                .find_map(|l| l.strip_prefix("serving the site at ").map(str::to_string));
            if let Some(url) = found {
                break url;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "the server did not start: {:?} {:?}",
                stdout.lock().unwrap(),
                stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let rest = url.strip_prefix("http://").unwrap();
        let slash = rest.find('/').unwrap();
        Server {
            child,
            address: rest[..slash].to_string(),
            base: rest[slash..].to_string(),
            stdout,
            stderr,
        }
    }

    /// GET a path relative to the base path.
    fn get(&self, path: &str) -> Response {
        self.get_raw(&format!("{}{path}", self.base))
    }

    /// GET an exact request path.
    fn get_raw(&self, path: &str) -> Response {
        get(&self.address, path)
    }

    /// Polls `path` until `check` holds; panics with the last response.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
        let started = Instant::now();
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{path} never showed {what}: status {} body {}…\nstdout {:?}\nstderr {:?}",
                response.status,
                response.text().chars().take(300).collect::<String>(),
                self.stdout.lock().unwrap(),
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Lines the server printed that report a rebuild.
    fn rebuild_lines(&self) -> Vec<String> {
        let out = self.stdout.lock().unwrap().clone();
        let err = self.stderr.lock().unwrap().clone();
        out.into_iter()
            .chain(err)
            .filter(|l| l.starts_with("changed ") && l.contains(" ms"))
            .collect()
    }

    fn events(&self, page: &str) -> Events {
        Events::connect(&self.address, &format!("{}{page}", self.base))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect_lines(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The page as `build` would write it: without the reload script.
    fn without_live_script(&self) -> Vec<u8> {
        let text = self.text();
        let Some(start) = text.find("<script data-lantai-live>") else {
            return self.body.clone();
        };
        let end = text[start..].find("</script>\n").unwrap() + start + "</script>\n".len();
        format!("{}{}", &text[..start], &text[end..]).into_bytes()
    }
}

/// A minimal HTTP/1.1 GET (the request path is sent as given, so tests can
/// send paths a client library would clean up).
fn get(address: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// The live-reload event stream, as an open page sees it.
struct Events {
    received: Receiver<(String, String)>,
}

impl Events {
    fn connect(address: &str, page: &str) -> Events {
        let mut stream = TcpStream::connect(address).unwrap();
        write!(
            stream,
            "GET /__lantai/events?page={page} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (sender, received) = channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(data) = line.strip_prefix("data: ")
                    && sender.send((name.clone(), data.to_string())).is_err()
                {
                    break;
                }
            }
        });
        let events = Events { received };
        events.expect("hello");
        events
    }

    /// Waits for an event of this name, skipping others; returns its data.
    fn expect(&self, name: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.received.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(_) => continue,
                Err(_) => panic!("no `{name}` event came"),
            }
        }
    }

    /// Events that arrived within `wait`.
    fn drain(&self, wait: Duration) -> Vec<(String, String)> {
        std::thread::sleep(wait);
        self.received.try_iter().collect()
    }
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Writes like an editor's atomic save: a temporary file, renamed over.
fn atomic_save(path: &Path, text: &str) {
    let temporary = path.with_extension("md.lantai-test-tmp");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

fn item_text(title: &str) -> String {
    format!(
        "---\nref: TEST-1\ntitle: {title}\ndate: 1921-07\ntype: document\n---\n测试条目的说明。\n"
    )
}

/// Every file `build` writes for the site, by path relative to the output.
fn built_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(LANTAI)
        .args(["build", "--root", root.to_str().unwrap(), "--output"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let mut files = Vec::new();
    for entry in walk(out.path()) {
        let relative = entry
            .strip_prefix(out.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        files.push((relative, std::fs::read(&entry).unwrap()));
    }
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn serves_exactly_what_build_writes_under_the_base_path() {
    let site = demo_site();
    let server = Server::start(site.path(), &[]);
    assert_eq!(server.base, "/exhibitions/");
    let files = built_files(site.path());
    assert!(files.len() > 50, "the demo builds many files");
    for (path, built) in &files {
        let request = path.strip_suffix("index.html").unwrap_or(path);
        let response = server.get(request);
        assert_eq!(response.status, 200, "{path}");
        if path.ends_with(".html") && path != "404.html" {
            assert_eq!(
                response.header("content-type"),
                Some("text/html; charset=utf-8"),
                "{path}"
            );
            assert!(
                response.text().contains("<script data-lantai-live>"),
                "{path}"
            );
            assert!(
                response.without_live_script() == *built,
                "{path} differs from build's"
            );
        } else if path != "404.html" {
            assert!(response.body == *built, "{path} differs from build's");
        }
    }
    assert!(
        files
            .iter()
            .all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains("lantai-live")),
        "build output never has the reload script"
    );

    let missing = server.get("no/such/page/");
    assert_eq!(missing.status, 404);
    let built_404 = &files.iter().find(|(p, _)| p == "404.html").unwrap().1;
    assert!(missing.without_live_script() == *built_404);

    let root = server.get_raw("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/exhibitions/"));
    let no_slash = server.get("archive");
    assert_eq!(no_slash.status, 302);
    assert_eq!(no_slash.header("location"), Some("/exhibitions/archive/"));
    assert_eq!(server.get_raw("/elsewhere/").status, 404);
}

#[cfg(unix)]
#[test]
fn never_serves_a_file_outside_the_site() {
    let site = demo_site();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP SECRET").unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(&secret, site.path().join("static/leak.txt")).unwrap();
    std::os::unix::fs::symlink(
        &secret,
        site.path().join("content/exhibits/birthplace/leak.txt"),
    )
    .unwrap();
    let server = Server::start(site.path(), &[]);
    for path in [
        "/exhibitions/leak.txt",
        "/exhibitions/exhibits/birthplace/leak.txt",
        "/exhibitions/../site.yaml",
        "/exhibitions/%2e%2e/site.yaml",
        "/exhibitions/%2E%2E/%2e%2e/etc/passwd",
        "/exhibitions/archive/%2e%2e%2f%2e%2e%2fsite.yaml",
        "/exhibitions/..%5csite.yaml",
        "/exhibitions//etc/passwd",
        "/exhibitions/content/archive/hx-0001.md",
        "/site.yaml",
        "/../../etc/passwd",
    ] {
        let response = server.get_raw(path);
        assert!(
            [400, 403, 404].contains(&response.status),
            "{path}: {}",
            response.status
        );
        let text = response.text();
        assert!(!text.contains("TOP SECRET"), "{path}");
        assert!(!text.contains("base_url:"), "{path}");
        assert!(!text.contains("root:x:0:0"), "{path}");
    }
}

#[test]
fn edits_creations_renames_and_deletions_are_served() {
    let site = demo_site();
    let server = Server::start(site.path(), &[]);
    let section = site
        .path()
        .join("content/exhibits/birthplace/02-manifesto.md");
    let page = "exhibits/birthplace/manifesto/";
    assert!(!server.get(page).text().contains("校订"));

    replace_in(&section, "\ntitle: ", "\ntitle: 校订·");
    server.wait_for(page, "the edited title", |r| {
        r.status == 200 && r.text().contains("校订·")
    });
    // The exhibit's landing page lists its sections: it shows the edit too.
    server.wait_for("exhibits/birthplace/", "the edited title", |r| {
        r.text().contains("校订·")
    });

    let archive = site.path().join("content/archive");
    std::fs::write(archive.join("zz-0001.md"), item_text("新建条目甲")).unwrap();
    server.wait_for("archive/zz-0001/", "the new item", |r| {
        r.status == 200 && r.text().contains("新建条目甲")
    });

    atomic_save(&archive.join("zz-0001.md"), &item_text("原子保存乙"));
    server.wait_for("archive/zz-0001/", "the atomic save", |r| {
        r.text().contains("原子保存乙")
    });

    std::fs::rename(archive.join("zz-0001.md"), archive.join("zz-0002.md")).unwrap();
    server.wait_for("archive/zz-0002/", "the renamed item", |r| {
        r.status == 200 && r.text().contains("原子保存乙")
    });
    assert_eq!(server.get("archive/zz-0001/").status, 404);

    std::fs::remove_file(archive.join("zz-0002.md")).unwrap();
    server.wait_for("archive/zz-0002/", "a 404", |r| r.status == 404);

    // A new folder with an item's media appears whole.
    let media = archive.join("hx-0001/extra.svg");
    std::fs::write(&media, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let svg = server.wait_for("archive/hx-0001/extra.svg", "the new image", |r| {
        r.status == 200
    });
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));

    // A template of the site's own replaces the theme's.
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "<!DOCTYPE html><html><body><p>自定义的404页</p></body></html>",
    )
    .unwrap();
    server.wait_for("missing/", "the site's 404 template", |r| {
        r.status == 404 && r.text().contains("自定义的404页")
    });

    // site.yaml: every page follows.
    replace_in(
        &site.path().join("site.yaml"),
        "title: 红色档案网上展厅",
        "title: 改名后的展厅",
    );
    server.wait_for("", "the new site title", |r| {
        r.text().contains("改名后的展厅")
    });
}

#[test]
fn errors_keep_the_last_good_build_and_reach_open_pages() {
    let site = demo_site();
    let server = Server::start(site.path(), &[]);
    let item = site.path().join("content/archive/hx-0001.md");
    let page = "archive/hx-0001/";
    let good = server.get(page);
    assert_eq!(good.status, 200);
    let events = server.events(page);

    let original = std::fs::read_to_string(&item).unwrap();
    let broken = original.replacen("\ntitle: ", "\ntitle: [未闭合\n", 1);
    std::fs::write(&item, &broken).unwrap();
    let report: serde_json::Value = serde_json::from_str(&events.expect("errors")).unwrap();
    let first = &report["diagnostics"][0];
    assert_eq!(first["code"], "E0202");
    let place = first["place"].as_str().unwrap();
    assert!(place.starts_with("content/archive/hx-0001.md:"), "{place}");
    assert!(first["text"].as_str().unwrap().contains("^"));
    assert!(first["help"].as_str().is_some());

    // Still the last good page, not an error, and the server is alive.
    let during = server.get(page);
    assert_eq!(during.status, 200);
    assert!(during.without_live_script() == good.without_live_script());
    // A page opened now gets the errors at once.
    let late = server.events("exhibits/");
    late.expect("errors");

    // Not UTF-8, and not front matter at all: still no crash.
    std::fs::write(&item, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    events.expect("errors");
    assert_eq!(server.get(page).status, 200);

    std::fs::write(&item, original.replacen("\ntitle: ", "\ntitle: 修好了·", 1)).unwrap();
    events.expect("fixed");
    server.wait_for(page, "the fixed page", |r| r.text().contains("修好了·"));

    let stderr = server.stderr.lock().unwrap().join("\n");
    assert!(
        stderr.contains("--> content/archive/hx-0001.md:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("still serving the last good build"),
        "{stderr}"
    );
}

#[test]
fn open_pages_reload_only_when_they_changed_and_css_is_swapped() {
    let site = demo_site();
    std::fs::create_dir_all(site.path().join("static/css")).unwrap();
    let server = Server::start(site.path(), &[]);
    let page = "exhibits/birthplace/manifesto/";
    server.get(page);
    let events = server.events(page);

    // Another exhibit's section: this page's bytes do not change.
    replace_in(
        &site
            .path()
            .join("content/exhibits/after-founding/02-schools.md"),
        "\ntitle: ",
        "\ntitle: 别处·",
    );
    server.wait_for("exhibits/after-founding/schools/", "the edit", |r| {
        r.text().contains("别处·")
    });
    let unrelated = events.drain(Duration::from_millis(300));
    assert!(
        unrelated.iter().all(|(name, _)| name != "reload"),
        "{unrelated:?}"
    );

    replace_in(
        &site
            .path()
            .join("content/exhibits/birthplace/02-manifesto.md"),
        "\ntitle: ",
        "\ntitle: 本页·",
    );
    let reload: serde_json::Value = serde_json::from_str(&events.expect("reload")).unwrap();
    assert_eq!(reload["pages"][0], format!("{}{page}", server.base));

    std::fs::write(site.path().join("static/css/extra.css"), "body{color:red}").unwrap();
    events.expect("css");
    let css = server.wait_for("css/extra.css", "the stylesheet", |r| r.status == 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.text(), "body{color:red}");
}

#[test]
fn a_burst_of_changes_is_one_rebuild() {
    let site = demo_site();
    let server = Server::start(site.path(), &[]);
    // Like a `git checkout`: a hundred files land at once.
    let staging = tempfile::tempdir_in(site.path()).unwrap();
    for n in 0..100 {
        std::fs::write(
            staging.path().join(format!("zz-{n:04}.md")),
            item_text(&format!("批量条目{n}")),
        )
        .unwrap();
    }
    let archive = site.path().join("content/archive");
    for n in 0..100 {
        let name = format!("zz-{n:04}.md");
        std::fs::rename(staging.path().join(&name), archive.join(&name)).unwrap();
    }
    server.wait_for("archive/zz-0099/", "the last new item", |r| r.status == 200);
    // Wait until the rebuild lines account for all 100 files (the server
    // prints them as it goes; a loaded machine may print late).
    let parsed = |lines: &[String]| -> usize {
        lines
            .iter()
            .filter_map(|l| l.split("parsed ").nth(1))
            .filter_map(|rest| rest.split_whitespace().next())
            .filter_map(|n| n.parse::<usize>().ok())
            .sum()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut rebuilds = server.rebuild_lines();
    while parsed(&rebuilds) < 100 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        rebuilds = server.rebuild_lines();
    }
    // A few passes at most when the burst outlasts the quiet window on a
    // busy machine; never one per file.
    assert!(
        !rebuilds.is_empty() && rebuilds.len() <= 3,
        "{} rebuilds: {rebuilds:?}",
        rebuilds.len()
    );
    assert!(
        parsed(&rebuilds) >= 100,
        "not every file was parsed: {rebuilds:?}"
    );
}

#[test]
fn takes_the_next_port_when_busy_and_warns_off_loopback() {
    let site = demo_site();
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let server = Server::start_with(&[
        "serve",
        "--root",
        site.path().to_str().unwrap(),
        "--port",
        &port.to_string(),
    ]);
    assert_ne!(server.address, format!("127.0.0.1:{port}"));
    let stdout = server.stdout.lock().unwrap().join("\n");
    assert!(
        stdout.contains(&format!("port {port} is taken")),
        "{stdout}"
    );
    assert_eq!(server.get("").status, 200);
    drop(server);

    let open = Server::start(site.path(), &["--bind", "0.0.0.0", "--open"]);
    assert_eq!(open.get("").status, 200);
    let stderr = open.stderr.lock().unwrap().join("\n");
    assert!(stderr.contains("warning: listening on 0.0.0.0"), "{stderr}");
}

#[test]
fn a_site_that_never_built_is_served_once_fixed() {
    let site = demo_site();
    let item = site.path().join("content/archive/hx-0001.md");
    let original = std::fs::read_to_string(&item).unwrap();
    std::fs::write(&item, original.replacen("\ntype: ", "\ntyp: ", 1)).unwrap();
    let server = Server::start(site.path(), &[]);
    let broken = server.get("");
    assert_eq!(broken.status, 503);
    assert!(broken.text().contains("<script data-lantai-live>"));
    let events = server.events("");
    events.expect("errors");
    std::fs::write(&item, original).unwrap();
    events.expect("fixed");
    server.wait_for("", "the home page", |r| r.status == 200);
}

#[test]
fn drafts_are_served_only_with_drafts() {
    let site = demo_site();
    std::fs::write(
        site.path().join("content/archive/zz-draft.md"),
        item_text("草稿条目").replacen("---\n", "---\ndraft: true\n", 1),
    )
    .unwrap();
    let public = Server::start(site.path(), &[]);
    assert_eq!(public.get("archive/zz-draft/").status, 404);
    drop(public);
    let drafts = Server::start(site.path(), &["--drafts"]);
    let page = drafts.get("archive/zz-draft/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("草稿条目"));
}

#[test]
fn a_static_file_in_a_pages_place_is_an_error_as_in_build() {
    let site = demo_site();
    std::fs::create_dir_all(site.path().join("static/archive")).unwrap();
    let server = Server::start(site.path(), &[]);
    let events = server.events("archive/");
    let clash = site.path().join("static/archive/index.html");
    std::fs::write(&clash, "<p>not the catalogue</p>").unwrap();
    let report: serde_json::Value = serde_json::from_str(&events.expect("errors")).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "E0508");
    // The catalogue page of the last good build is still served.
    assert!(!server.get("archive/").text().contains("not the catalogue"));
    std::fs::remove_file(&clash).unwrap();
    events.expect("fixed");
}
