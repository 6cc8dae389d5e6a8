//! Times the search index of a site on its own, without rendering pages:
//! load and resolve, then collect the documents, build the index and cut
//! it into files. For BENCHMARKS.md.
//!
//!     cargo run --release --example search_index -- SITE_DIR [OUT_DIR]
//!
//! With OUT_DIR, writes the index files there (under search/).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use lantai::build::load_site;
use lantai::search::{BigramIndexer, SearchIndexer, documents, index::Index};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: search_index SITE_DIR [OUT_DIR]");
        return ExitCode::from(2);
    };
    let out = args.next().map(PathBuf::from);
    let started = Instant::now();
    let Ok(site) = load_site(&root) else {
        eprintln!("the site has errors; run `lantai check` on it");
        return ExitCode::from(1);
    };
    let loading = started.elapsed();

    let started = Instant::now();
    let collected = documents::collect(&site);
    let collecting = started.elapsed();
    let started = Instant::now();
    let index = Index::build(collected);
    let indexing = started.elapsed();
    let postings: usize = index.terms.values().map(|p| p.len()).sum();
    println!(
        "{} documents, {} terms, {} postings",
        index.documents.len(),
        index.terms.len(),
        postings
    );
    drop(index);

    let started = Instant::now();
    let files = BigramIndexer::default().index(&site);
    let whole = started.elapsed();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let shards = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/terms/"))
        .count();
    let chunks = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/docs/"))
        .count();
    println!("load and resolve: {:.2} s", loading.as_secs_f64());
    println!(
        "collect documents: {:.2} s, build index: {:.2} s; whole indexer (collect, build, files): {:.2} s",
        collecting.as_secs_f64(),
        indexing.as_secs_f64(),
        whole.as_secs_f64()
    );
    println!(
        "{} files ({shards} shards, {chunks} document chunks), {:.1} MB",
        files.len(),
        bytes as f64 / 1e6
    );
    if let Some(out) = out {
        for (path, bytes) in &files {
            let target = out.join(path);
            if let Some(parent) = target.parent()
                && let Err(error) = std::fs::create_dir_all(parent)
            {
                eprintln!("cannot create {}: {error}", parent.display());
                return ExitCode::from(2);
            }
            if let Err(error) = std::fs::write(&target, bytes) {
                eprintln!("cannot write {}: {error}", target.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
