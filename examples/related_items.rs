//! Times the "related items" of a site on their own: load and resolve,
//! then every item's related items, as the item pages ask for them, on one
//! thread. For BENCHMARKS.md.
//!
//!     cargo run --release --example related_items -- SITE_DIR
//!
//! Prints the time and a checksum of the results, so that two versions can
//! be compared for the same answers.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use lantai::build::load_site;
use lantai::render::related::{Scratch, SiteRelated};

/// As many as an item page shows.
const SHOWN: usize = 6;

fn main() -> ExitCode {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: related_items SITE_DIR");
        return ExitCode::from(2);
    };
    let Ok(site) = load_site(&root) else {
        eprintln!("the site has errors; run `lantai check` on it");
        return ExitCode::from(1);
    };
    let started = Instant::now();
    let related = SiteRelated::new(&site);
    let mut scratch = Scratch::default();
    let ranked: Vec<Box<[u32]>> = (0..site.items.len())
        .map(|i| related.rank(&site, i, SHOWN, &mut scratch))
        .collect();
    let took = started.elapsed();
    let mut checksum = 0u64;
    for list in &ranked {
        for (rank, &other) in list.iter().enumerate() {
            checksum = checksum
                .wrapping_mul(31)
                .wrapping_add(u64::from(other) * (rank as u64 + 1));
        }
    }
    println!(
        "{} items: related items of every item in {:.3} s (one thread, overlaps included); checksum {checksum:016x}",
        site.items.len(),
        took.as_secs_f64()
    );
    ExitCode::SUCCESS
}
