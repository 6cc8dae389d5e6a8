//! A whole content file: front matter split, YAML, fields, dates, Markdown
//! and shortcodes, read as each kind of document.
#![no_main]

use lantai::config::Config;
use lantai::content::parse_text;
use lantai::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 7] = [
    "_index.md",
    "exhibits/e/_index.md",
    "exhibits/e/01-s.md",
    "archive/hx-1.md",
    "people/p.md",
    "places/q.md",
    "pages/about.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = PATHS[usize::from(selector) % PATHS.len()];
    let mut diagnostics = Diagnostics::new();
    let _ = parse_text(path, text, &Config::default(), &mut diagnostics);
    for diagnostic in diagnostics.iter() {
        let _ = lantai::diagnostics::render_text(diagnostic, Some(text), false);
    }
});
