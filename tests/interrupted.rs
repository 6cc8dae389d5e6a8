//! A build killed midway leaves the previous output exactly as it was, and
//! the next build cleans up what the killed one left beside it.

mod common;

use std::process::Stdio;
use std::time::Instant;

use common::*;

/// A site big enough that writing it takes a while: `n` items with text.
fn large_site(n: usize) -> tempfile::TempDir {
    let site = write_site(&fixture_site());
    let body = "一九二一年七月，中国共产党第一次全国代表大会在上海召开。".repeat(40);
    for i in 0..n {
        let text = format!(
            "---\nref: L-{i:05}\ntitle: 档案{i}\ndate: 1921-07\ntype: document\ntags: [建党]\n---\n{body}\n\n## 录文\n\n{body}\n"
        );
        write_files(
            site.path(),
            &[(format!("content/archive/l-{i:05}.md"), text)],
        );
    }
    site
}

#[test]
fn killed_builds_never_leave_a_half_written_site() {
    let site = large_site(800);
    let tmp = temp_dir();
    let out = tmp.path().join("public");
    let first = run_build(site.path(), &out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let old_site = snapshot(&out);

    // New content: every item page changes. The complete new site, for
    // comparison, is built elsewhere.
    let changed = std::fs::read_to_string(site.path().join("content/archive/l-00000.md"))
        .unwrap()
        .replace("档案0", "档案〇");
    write_files(site.path(), &[("content/archive/l-00000.md", changed)]);
    write_files(
        site.path(),
        &[(
            "site.yaml",
            "title: 改名后的展厅\nbase_url: https://example.org/sub/\n",
        )],
    );
    let elsewhere = tmp.path().join("elsewhere");
    let started = Instant::now();
    let reference = run_build(site.path(), &elsewhere, &[]);
    let full = started.elapsed();
    assert!(reference.status.success(), "{}", stderr(&reference));
    let new_site = snapshot(&elsewhere);
    std::fs::remove_dir_all(&elsewhere).unwrap();
    assert_ne!(old_site, new_site);

    // Kill builds after different delays: early (loading), midway, late.
    for fraction in [0.1, 0.3, 0.5, 0.7, 0.85, 0.95] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lantai"))
            .arg("build")
            .arg("--root")
            .arg(site.path())
            .arg("--output")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot(&out);
        assert!(
            now == old_site || now == new_site,
            "a build killed at {:.0}% of its time left a site that is neither the old nor the new one",
            fraction * 100.0
        );
    }
    // The next build succeeds and removes the staging folders left behind.
    let last = run_build(site.path(), &out, &[]);
    assert!(last.status.success(), "{}", stderr(&last));
    assert_eq!(snapshot(&out), new_site);
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    // The replaced site is kept, hidden, for the next build to update.
    assert_eq!(
        beside,
        vec![".public.lantai-spare".to_string(), "public".to_string()],
        "leftovers: {beside:?}"
    );
}
