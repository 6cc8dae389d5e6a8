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
        let mut text = String::with_capacity(self.text.len());
        for line in self.text.lines() {
            let start = text.len();
            if start > 0 {
                text.push('\n');
            }
            if is_collapsed(line) {
                text.push_str(line);
            } else {
                for (i, word) in line.split_whitespace().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    text.push_str(word);
                }
            }
            // An empty line leaves nothing, not even its newline.
            if text.len() == start + usize::from(start > 0) {
                text.truncate(start);
            }
        }
        text
    }
}

/// Whether `line` is already as [`PlainText::finish`] leaves it: not
/// empty, no whitespace but single ASCII spaces between words. Most lines
/// are, and a byte scan says so without decoding the Chinese characters:
/// of lead bytes above ASCII only 0xC2, 0xE1, 0xE2 and 0xE3 begin any
/// Unicode whitespace (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
fn is_collapsed(line: &str) -> bool {
    let bytes = line.as_bytes();
    // A space is not allowed first, nor after another space, nor last.
    let mut after_space = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' if after_space => return false,
            b' ' => {
                after_space = true;
                i += 1;
                continue;
            }
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => return false,
            0xC2 | 0xE1 | 0xE2 | 0xE3
                if line
                    .get(i..)
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(char::is_whitespace) =>
            {
                return false;
            }
            _ => {}
        }
        after_space = false;
        i += 1;
    }
    !after_space
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

    /// The straightforward collapse that `finish` must match.
    fn collapsed_straight(text: &str) -> String {
        let lines: Vec<String> = text
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|line| !line.is_empty())
            .collect();
        lines.join("\n")
    }

    #[test]
    fn finish_collapses_every_kind_of_whitespace_as_split_whitespace_does() {
        // Whitespace of every lead byte, and non-whitespace that shares
        // those lead bytes (U+180E and U+FEFF are not whitespace in Rust).
        let pieces = [
            "中国",
            " ",
            "  ",
            "\t",
            "\r\n",
            "\r",
            "\n",
            "\u{0B}",
            "\u{3000}",
            "\u{00A0}",
            "\u{0085}",
            "\u{2003}",
            "\u{2028}",
            "\u{202F}",
            "\u{205F}",
            "\u{1680}",
            "\u{180E}",
            "\u{FEFF}",
            "。",
            "\u{2014}",
            "\u{3001}",
            "Zhu De",
            "\u{00E9}",
            "\u{2020}",
            "",
            "\u{20000}",
        ];
        // Every string of up to four pieces.
        let mut count = 0;
        let n = pieces.len();
        for mut code in 0..n.pow(4) {
            let mut text = String::new();
            for _ in 0..4 {
                text.push_str(pieces[code % n]);
                code /= n;
            }
            let finished = PlainText {
                text: text.clone(),
                pending: Separator::None,
            }
            .finish();
            assert_eq!(finished, collapsed_straight(&text), "for {text:?}");
            count += 1;
        }
        assert_eq!(count, n.pow(4));
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
