//! Diagnostics: every problem any stage finds, as a value.
//!
//! Stages never stop at the first problem; they push `Diagnostic`s into a
//! `Diagnostics` list and go on, so one run reports everything. One renderer
//! prints them like rustc does (source line, caret, help).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    /// Path relative to the site root, with `/` separators.
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// How many characters the caret underline spans (at least 1).
    pub length: usize,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
            length: 1,
        }
    }

    /// The whole file, when no line can be named (a missing file, say).
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location::new(file, 0, 0)
    }

    pub fn with_length(mut self, length: usize) -> Self {
        self.length = length.max(1);
        self
    }
}

/// One problem: a stable code, where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code such as `E0203`; never reused once published.
    pub code: &'static str,
    pub message: String,
    /// Boxed to keep `Result<_, Diagnostic>` small.
    pub location: Option<Box<Location>>,
    /// Short text put under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The problems found so far, in the order found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.list.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// Sorted by file, line and column; diagnostics without a file come first.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.list.iter().collect();
        sorted.sort_by(|a, b| a.location.cmp(&b.location));
        sorted
    }

    /// Number of distinct files with at least one diagnostic.
    pub fn file_count(&self) -> usize {
        let mut files: Vec<&Path> = self
            .list
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.file.as_path()))
            .collect();
        files.sort();
        files.dedup();
        files.len()
    }

    /// `3 errors, 2 warnings in 4 files`.
    pub fn summary(&self) -> String {
        let errors = self.error_count();
        let warnings = self.warning_count();
        let mut parts = Vec::new();
        if errors > 0 {
            parts.push(plural(errors, "error"));
        }
        if warnings > 0 {
            parts.push(plural(warnings, "warning"));
        }
        if parts.is_empty() {
            return "no problems".to_string();
        }
        let files = self.file_count();
        if files == 0 {
            parts.join(", ")
        } else {
            format!("{} in {}", parts.join(", "), plural(files, "file"))
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Renders a diagnostic like rustc: header, location arrow, quoted line with a
/// caret under the exact spot, and the help line. `source` is the text of the
/// file the location names, when it could be read.
pub fn render_text(diagnostic: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let (kind, kind_color) = match diagnostic.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        paint(kind_color, &format!("{kind}[{}]", diagnostic.code)),
        paint("1", &format!(": {}", diagnostic.message))
    );
    let Some(location) = &diagnostic.location else {
        if let Some(help) = &diagnostic.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        return out;
    };
    let file = location.file.to_string_lossy().replace('\\', "/");
    let quoted = source
        .filter(|_| location.line > 0)
        .and_then(|text| text.lines().nth(location.line - 1));
    let gutter_width = location.line.to_string().len();
    let pad = " ".repeat(gutter_width);
    if location.line == 0 {
        let _ = writeln!(out, "{pad}{} {file}", paint("1;34", "-->"));
    } else {
        let _ = writeln!(
            out,
            "{pad}{} {file}:{}:{}",
            paint("1;34", "-->"),
            location.line,
            location.column
        );
    }
    if let Some(line_text) = quoted {
        let bar = paint("1;34", "|");
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(
            out,
            "{} {bar} {}",
            paint("1;34", &location.line.to_string()),
            line_text
        );
        let before: String = line_text
            .chars()
            .take(location.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        // CJK characters take two terminal columns; widen the padding to match.
        let wide_before: usize = line_text
            .chars()
            .take(location.column.saturating_sub(1))
            .filter(|c| is_wide(*c))
            .count();
        let caret_width: usize = line_text
            .chars()
            .skip(location.column.saturating_sub(1))
            .take(location.length)
            .map(|c| if is_wide(c) { 2 } else { 1 })
            .sum::<usize>()
            .max(1);
        let carets = "^".repeat(caret_width);
        let label = diagnostic
            .label
            .as_deref()
            .map(|l| format!(" {l}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{pad} {bar} {before}{}{}",
            " ".repeat(wide_before),
            paint(kind_color, &format!("{carets}{label}"))
        );
        if diagnostic.help.is_some() {
            let _ = writeln!(out, "{pad} {bar}");
        }
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{pad} = {}: {help}", paint("1", "help"));
    }
    out
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Suggests the candidate nearest to `word`, when it is near enough to be a
/// likely typo; of equally near ones, the first (`hx-001` → `hx-0001`, not
/// `hx-0031`, when the candidates are in order).
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(f64, &'a str)> = None;
    for &candidate in candidates {
        let score = strsim::jaro_winkler(word, candidate);
        if score > 0.8 && best.is_none_or(|(top, _)| score > top) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_equally_near_candidates_the_first_is_suggested() {
        let candidates = ["hx-0001", "hx-0010", "hx-0031", "hx-0100"];
        assert_eq!(did_you_mean("hx-001", &candidates), Some("hx-0001"));
        assert_eq!(did_you_mean("hx-0100x", &candidates), Some("hx-0100"));
        assert_eq!(did_you_mean("zzz", &candidates), None);
    }

    #[test]
    fn renders_caret_under_the_field() {
        let d = Diagnostic::error("E0203", "unknown field `dte` in an archive item")
            .at(Location::new("content/archive/hx-0002.md", 4, 1).with_length(3))
            .label("not a field of an archive item")
            .help("did you mean `date`?");
        let source = "---\nref: x\ntitle: y\ndte: 1920~\n---\n";
        let text = render_text(&d, Some(source), false);
        assert!(text.contains("error[E0203]: unknown field `dte` in an archive item"));
        assert!(text.contains(" --> content/archive/hx-0002.md:4:1"));
        assert!(text.contains("4 | dte: 1920~"));
        assert!(text.contains("  | ^^^ not a field of an archive item"));
        assert!(text.contains("= help: did you mean `date`?"));
    }

    #[test]
    fn caret_is_widened_for_chinese_text() {
        let d = Diagnostic::error("E0000", "x").at(Location::new("a.md", 1, 5).with_length(2));
        let text = render_text(&d, Some("题名: 共产"), false);
        // Two wide characters and two narrow ones before the caret take six
        // columns; the two wide characters underlined take four.
        assert!(text.contains("  |       ^^^^\n"), "{text}");
    }

    #[test]
    fn summary_counts_errors_warnings_and_files() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("E1", "a").at(Location::new("x.md", 1, 1)));
        all.push(Diagnostic::error("E1", "b").at(Location::new("y.md", 1, 1)));
        all.push(Diagnostic::warning("W1", "c").at(Location::new("y.md", 2, 1)));
        assert_eq!(all.summary(), "2 errors, 1 warning in 2 files");
    }

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(did_you_mean("dte", &["date", "title", "ref"]), Some("date"));
        assert_eq!(did_you_mean("zzzz", &["date", "title"]), None);
    }
}

/// Stable diagnostic codes. Once published a code keeps its meaning; the
/// table with explanations is in `docs/diagnostics.md`.
pub mod codes {
    /// A file could not be read.
    pub const READ_FAILED: &str = "E0001";
    /// A content file is not UTF-8 text.
    pub const NOT_UTF8: &str = "E0002";
    /// `site.yaml` is missing: this is not a site's folder.
    pub const CONFIG_MISSING: &str = "E0100";
    /// `site.yaml` is not valid YAML.
    pub const CONFIG_SYNTAX: &str = "E0101";
    /// A bad value in `site.yaml`.
    pub const CONFIG_VALUE: &str = "E0103";
    /// A content file has no front matter, or it is not closed.
    pub const FRONT_MATTER: &str = "E0201";
    /// Front matter is not valid YAML.
    pub const YAML_SYNTAX: &str = "E0202";
    /// A front-matter field that the kind of document does not have.
    pub const UNKNOWN_FIELD: &str = "E0203";
    /// A field has the wrong type of value.
    pub const WRONG_TYPE: &str = "E0204";
    /// A required field is missing or empty.
    pub const MISSING_FIELD: &str = "E0205";
    /// A field has a value outside its allowed set.
    pub const BAD_VALUE: &str = "E0206";
    /// A file name that cannot become an id or slug.
    pub const BAD_FILE_NAME: &str = "E0207";
    /// A Markdown file where lantai does not expect one.
    pub const UNEXPECTED_FILE: &str = "W0208";
    /// A date lantai cannot read.
    pub const BAD_DATE: &str = "E0301";
    /// A date that cannot exist (`1921-02-30`).
    pub const IMPOSSIBLE_DATE: &str = "E0310";
    /// A shortcode or Markdown problem.
    pub const MARKDOWN: &str = "E0401";
    /// A reference to an item that does not exist.
    pub const UNKNOWN_ITEM: &str = "E0501";
    /// A reference to a restricted item from public content.
    pub const RESTRICTED_ITEM: &str = "E0502";
    /// A reference to a draft item from published content.
    pub const DRAFT_ITEM: &str = "E0503";
    /// A person or place slug that has no record.
    pub const UNKNOWN_AUTHORITY: &str = "E0504";
    /// A link to a page that does not exist.
    pub const BROKEN_LINK: &str = "E0505";
    /// A link to an anchor that does not exist on its page.
    pub const BROKEN_ANCHOR: &str = "E0506";
    /// A media file that does not exist.
    pub const MISSING_MEDIA: &str = "E0507";
    /// Two documents that would get the same URL or id.
    pub const DUPLICATE: &str = "E0508";
    /// A free page whose slug is reserved for lantai's own pages.
    pub const RESERVED_SLUG: &str = "E0509";
    /// Two tags that would get the same URL slug.
    pub const TAG_SLUG_CLASH: &str = "E0510";
    /// An image without alt text in the rendered site.
    pub const IMAGE_WITHOUT_ALT: &str = "E0511";
    /// A person or place record that nothing refers to.
    pub const UNREFERENCED_RECORD: &str = "W0520";
    /// An exhibit without sections, or a section with nothing in it.
    pub const EMPTY_SECTION: &str = "W0521";
    /// A template failed to load or render.
    pub const TEMPLATE: &str = "E0601";
    /// The output folder cannot be used or written.
    pub const OUTPUT: &str = "E0701";
    /// An image that cannot be decoded: damaged, or not the format its name says.
    pub const IMAGE_UNREADABLE: &str = "E0801";
    /// The image cache under the site folder cannot be written.
    pub const IMAGE_CACHE: &str = "E0802";
}
