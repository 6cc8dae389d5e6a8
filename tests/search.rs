//! Search over the demo exhibition: the query set of
//! tests/search/queries.json answered by lantai's ranking, the index files
//! as written by `lantai build`, and what must never be in them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use lantai::build::{BuildOptions, run_pipeline};
use lantai::search::query::{Filters, search};
use lantai::search::shards::decode_shard;
use lantai::search::{BigramIndexer, index::Index};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo_index() -> Index<'static> {
    let result = run_pipeline(&BuildOptions {
        root: repo(),
        ..BuildOptions::default()
    });
    assert!(
        !result.diagnostics.has_errors(),
        "the demo builds without errors"
    );
    let site = result.site.expect("a resolved site");
    BigramIndexer::default().build(&site)
}

fn query_set() -> Vec<Value> {
    let text = std::fs::read_to_string(repo().join("tests/search/queries.json"))
        .expect("tests/search/queries.json");
    let set: Value = serde_json::from_str(&text).expect("valid JSON");
    set["queries"]
        .as_array()
        .expect("a list of queries")
        .clone()
}

/// Result paths relative to the demo's base path `/exhibitions/`.
fn result_paths(index: &Index, query: &str) -> Vec<String> {
    search(index, query, &Filters::default())
        .hits
        .iter()
        .map(|hit| {
            let url = &index.documents[hit.document as usize].url;
            url.strip_prefix("/exhibitions/").unwrap_or(url).to_string()
        })
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_demo_query_set_finds_what_it_must() {
    let index = demo_index();
    let mut failures = Vec::new();
    for entry in query_set() {
        let q = entry["q"].as_str().expect("q");
        let paths = result_paths(&index, q);
        if let Some(top) = entry["top"].as_str()
            && paths.first().map(String::as_str) != Some(top)
        {
            failures.push(format!("{q}: first is {:?}, want {top}", paths.first()));
        }
        for want in strings(&entry["includes"]) {
            if !paths.contains(&want) {
                failures.push(format!("{q}: {want} missing from {paths:?}"));
            }
        }
        for never in strings(&entry["excludes"]) {
            if paths.contains(&never) {
                failures.push(format!("{q}: {never} must not be found"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn filters_narrow_results_on_the_demo() {
    let index = demo_index();
    let letters = Filters {
        kind: Some("letter".into()),
        ..Filters::default()
    };
    let hits = search(&index, "毛泽东", &letters).hits;
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| index.documents[h.document as usize].kind == "letter")
    );
    let twenties = Filters {
        year_from: Some(1959),
        year_to: Some(1964),
        person: Some("dong-biwu".into()),
        ..Filters::default()
    };
    let paths: Vec<&str> = search(&index, "", &twenties)
        .hits
        .iter()
        .map(|h| index.documents[h.document as usize].url.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "/exhibitions/archive/hx-0021/",
            "/exhibitions/archive/hx-0023/"
        ]
    );
    let tagged = Filters {
        tag: Some("nan-hu-hong-chuan".into()),
        ..Filters::default()
    };
    assert!(!search(&index, "", &tagged).hits.is_empty());
}

fn build_demo(out: &Path) {
    Command::cargo_bin("lantai")
        .expect("the lantai binary")
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn written_index_files_hold_the_index_and_nothing_unpublished() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("public");
    build_demo(&out);
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(out.join("search/index.json")).expect("search/index.json"),
    )
    .expect("manifest is JSON");
    assert_eq!(manifest["format"], 1);
    let fences = strings(&manifest["shards"]);
    assert!(!fences.is_empty());

    // Every shard decodes, starts with its fence, and together they are the index.
    let mut written: BTreeMap<String, lantai::search::index::Postings> = BTreeMap::new();
    for (n, fence) in fences.iter().enumerate() {
        let bytes = std::fs::read(out.join(format!("search/terms/{n}.bin"))).expect("a shard");
        let shard = decode_shard(&bytes).expect("a valid shard");
        assert!(
            shard.keys().all(|t| t >= fence),
            "shard {n} starts at {fence}"
        );
        written.extend(shard);
    }
    let index = demo_index();
    assert_eq!(written, index.terms);

    // Document chunks hold every document, in order.
    let chunk_size = manifest["chunk_size"].as_u64().expect("chunk_size") as usize;
    let documents = manifest["documents"].as_u64().expect("documents") as usize;
    assert_eq!(documents, index.documents.len());
    for (n, doc) in index.documents.iter().enumerate() {
        let chunk: Value = serde_json::from_slice(
            &std::fs::read(out.join(format!("search/docs/{}.json", n / chunk_size)))
                .expect("a chunk"),
        )
        .expect("chunk is JSON");
        assert_eq!(chunk[n % chunk_size]["u"], doc.url.as_str());
    }

    // Restricted and draft content is in no search file: not as terms
    // (移交 and 登记 occur only in the restricted item, 劳动界 (动界) only in the
    // draft item and draft section), not as stored documents or choices.
    for term in [
        "移交",
        "登记",
        "动界",
        "=馆藏档案移交登记簿内部工作记录",
        "=劳动界周刊第一册待核",
    ] {
        assert!(!written.contains_key(term), "the index holds {term}");
    }
    for entry in walk(&out.join("search")) {
        if entry.extension().is_some_and(|e| e == "bin") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).expect("readable text");
        for secret in [
            "hx-0035",
            "移交登记簿",
            "hx-0036",
            "劳动界",
            "labour-movement",
            "工人运动的兴起",
        ] {
            assert!(!text.contains(secret), "{} leaks {secret}", entry.display());
        }
    }

    // The page itself: the form, the script, and a way on without JavaScript.
    let html = std::fs::read_to_string(out.join("search/index.html")).expect("the search page");
    let page = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).expect("a selector");
    assert!(
        page.select(&select(r#"script[src="/exhibitions/js/search.js"]"#))
            .next()
            .is_some()
    );
    assert!(
        page.select(&select(
            r#".search-app[data-index="/exhibitions/search/index.json"]"#
        ))
        .next()
        .is_some()
    );
    // An HTML parser with scripting on reads <noscript> as text: look in it.
    let noscript: String = page
        .select(&select("noscript"))
        .map(|n| n.inner_html())
        .collect();
    for browse in ["archive/", "people/", "places/", "tags/", "timeline/"] {
        assert!(
            noscript.contains(&format!(r#"href="/exhibitions/{browse}""#)),
            "no-JS links lack {browse}: {noscript}"
        );
    }
    assert!(out.join("js/search.js").is_file());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
