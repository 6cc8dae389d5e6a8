//! The plain text of a document, for meta descriptions and search.
//!
//! Blocks are separated by newlines and table cells by spaces. A soft line
//! break becomes a space, except between two Chinese (CJK) characters: a
//! curator who wraps a Chinese sentence does not mean a space there. Runs
//! of spaces are collapsed and empty lines dropped.

/// What separates the text already written from the next text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Separator {
    None,
    /// A soft line break: a space, unless CJK meets CJK.
    SoftBreak,
    Space,
    Newline,
}

/// Collects plain text piece by piece.
#[derive(Debug)]
pub(super) struct PlainText {
    text: String,
    pending: Separator,
}

impl Default for PlainText {
    fn default() -> Self {
        PlainText {
            text: String::new(),
            pending: Separator::None,
        }
    }
}

impl PlainText {
    pub(super) fn push(&mut self, piece: &str) {
        let Some(first) = piece.chars().next() else {
            return;
        };
        if let Some(last) = self.text.chars().next_back() {
            match self.pending {
                Separator::None => {}
                Separator::SoftBreak if is_cjk(last) && is_cjk(first) => {}
                Separator::SoftBreak | Separator::Space => self.text.push(' '),
                Separator::Newline => self.text.push('\n'),
            }
        }
        self.pending = Separator::None;
        self.text.push_str(piece);
    }

    pub(super) fn soft_break(&mut self) {
        self.separate(Separator::SoftBreak);
    }

    pub(super) fn space(&mut self) {
        self.separate(Separator::Space);
    }

    /// The end of a block, or a hard line break.
    pub(super) fn newline(&mut self) {
        self.separate(Separator::Newline);
    }

    fn separate(&mut self, separator: Separator) {
        self.pending = self.pending.max(separator);
    }

    /// Appends the plain text of another part (an excerpt) as a block.
    pub(super) fn push_block(&mut self, block: &str) {
        self.newline();
        self.push(block.trim());
        self.newline();
    }

    /// The text, each line with its runs of spaces collapsed and trimmed,
    /// without empty lines.
    pub(super) fn finish(self) -> String {
        let lines: Vec<String> = self
            .text
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|line| !line.is_empty())
            .collect();
        lines.join("\n")
    }
}

/// Whether `c` is written without spaces between words: Chinese, Japanese
/// and Korean characters and their punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_breaks_join_chinese_without_spaces() {
        let mut text = PlainText::default();
        text.push("中国共产党");
        text.soft_break();
        text.push("第一次全国代表大会");
        text.soft_break();
        text.push("(1921)");
        text.newline();
        text.push("Next");
        text.soft_break();
        text.push("line");
        text.newline();
        assert_eq!(
            text.finish(),
            "中国共产党第一次全国代表大会 (1921)\nNext line"
        );
    }

    #[test]
    fn separators_do_not_pile_up() {
        let mut text = PlainText::default();
        text.newline();
        text.push("a");
        text.space();
        text.newline();
        text.soft_break();
        text.push("b");
        text.push_block("  quoted  ");
        text.push(" spaced \t out ");
        text.newline();
        text.newline();
        text.push("end");
        assert_eq!(text.finish(), "a\nb\nquoted\nspaced out\nend");
    }
}
