//! Markdown bodies with shortcodes, links and code, under a sub-path.
#![no_main]

use lantai::markdown::{MarkdownOptions, expand_shortcodes, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let options = MarkdownOptions {
        base_path: "/exhibitions/",
        media_url: "/exhibitions/archive/hx-1/",
        first_line: 5,
        split_transcription: true,
    };
    let rendered = render(text, &options);
    let _ = expand_shortcodes(&rendered.html, |i| format!("[{i}]"));
    for issue in &rendered.issues {
        assert!(issue.line >= 5, "issue lines are file lines");
    }
});
