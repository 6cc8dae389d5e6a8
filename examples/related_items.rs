//! Times the "related items" search of a site on its own: load and
//! resolve, then the related items of every item, as the item pages ask
//! for them. For BENCHMARKS.md.
//!
//!     cargo run --release --example related_items -- SITE_DIR
//!
//! Prints the time to make the lists' overlaps, the time to rank every
//! item's related items, and a checksum of the results, so two versions
//! can be compared for the same answers.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use lantai::config::Config;
use lantai::content;
use lantai::diagnostics::Diagnostics;
use lantai::render::related::{Related, Scratch};
use lantai::site::{self, ResolveOptions};

/// As many as an item page shows.
const SHOWN: usize = 6;

fn main() -> ExitCode {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: related_items SITE_DIR");
        return ExitCode::from(2);
    };
    let mut diagnostics = Diagnostics::new();
    let config = Config::load(&root, &mut diagnostics);
    let loaded = content::load(&root, &config, &mut diagnostics);
    let site = site::resolve(
        loaded,
        config,
        &ResolveOptions {
            include_drafts: false,
            static_paths: Vec::new(),
        },
        &mut diagnostics,
    );
    if diagnostics.has_errors() {
        eprintln!("the site has errors; run `lantai check` on it");
        return ExitCode::from(1);
    }
    // List numbers as the item pages give them: people, places, tags.
    let tag_index: std::collections::HashMap<&str, usize> = site
        .tags
        .iter()
        .enumerate()
        .map(|(i, tag)| (tag.name.as_str(), i))
        .collect();
    let places_from = site.people.len();
    let tags_from = places_from + site.places.len();
    let named: Vec<Vec<u32>> = site
        .items
        .iter()
        .map(|item| {
            let people = item
                .people
                .iter()
                .filter_map(|p| site.person_position(&p.value));
            let places = item
                .places
                .iter()
                .filter_map(|p| site.place_position(&p.value))
                .map(|p| places_from + p);
            let tags = item
                .tags
                .iter()
                .filter_map(|tag| tag_index.get(tag.value.trim()))
                .map(|&t| tags_from + t);
            people.chain(places).chain(tags).map(|l| l as u32).collect()
        })
        .collect();

    let started = Instant::now();
    let lists: Vec<&[usize]> = site
        .person_items
        .iter()
        .chain(&site.place_items)
        .map(Vec::as_slice)
        .chain(site.tags.iter().map(|tag| tag.items.as_slice()))
        .collect();
    let related = Related::new(&lists, site.items.len());
    let making = started.elapsed();

    let started = Instant::now();
    let mut scratch = Scratch::default();
    let mut checksum = 0u64;
    for (i, named) in named.iter().enumerate() {
        for (rank, other) in related
            .ranked(i, named, SHOWN, &mut scratch)
            .into_iter()
            .enumerate()
        {
            checksum = checksum
                .wrapping_mul(31)
                .wrapping_add((other as u64) * (rank as u64 + 1));
        }
    }
    let ranking = started.elapsed();
    println!(
        "{} items, {} lists: overlaps made in {:.3} s, related items of every item in {:.3} s (one thread); checksum {checksum:016x}",
        site.items.len(),
        lists.len(),
        making.as_secs_f64(),
        ranking.as_secs_f64()
    );
    ExitCode::SUCCESS
}
