//! Splitting a content file into its YAML front matter and Markdown body.

/// The two parts of a content file, with the lines where each starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based file line of the first body line.
    pub body_line: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unclosed,
}

/// Splits `text` at the `---` fences. A UTF-8 byte order mark and Windows
/// line endings are accepted, since Windows editors write them.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        let current = text[offset..end].trim_end();
        if current == "---" || current == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_their_lines() {
        let split = split("---\ntitle: 一大\n---\n正文\n").unwrap();
        assert_eq!(split.yaml, "title: 一大\n");
        assert_eq!(split.yaml_line, 2);
        assert_eq!(split.body, "正文\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let split = split("\u{feff}---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!(split.yaml, "title: a\r\n");
        assert_eq!(split.body, "body");
    }

    #[test]
    fn empty_body_is_fine() {
        let split = split("---\ntitle: a\n---").unwrap();
        assert_eq!(split.body, "");
    }

    #[test]
    fn reports_missing_and_unclosed_fences() {
        assert_eq!(split("title: a\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::Unclosed));
    }
}
