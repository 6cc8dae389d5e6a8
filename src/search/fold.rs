//! Folding: the one spelling a character is indexed and searched under.
//!
//! A visitor may type 陳獨秀 for 陈独秀, `Ｄ２` for `D2`, or `Marx` for
//! `marx`; the index and the query are both folded the same way so that
//! these meet. Folding maps one character to one character, so a folded
//! text has as many characters as the original: the browser relies on that
//! to highlight matches in the text as written.
//!
//! Three foldings, in this order:
//! - full-width ASCII forms (U+FF01–FF5E) and the ideographic space to
//!   their half-width forms;
//! - letters to lower case (where lower case is one character);
//! - traditional Chinese characters to simplified, with the character table
//!   of OpenCC (`ts_characters.txt`; see its header for how it was made).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The traditional → simplified table, one pair of characters per line.
const TS_CHARACTERS: &str = include_str!("ts_characters.txt");

/// Looked up for every character indexed: a fast hash (FxHash) matters.
fn table() -> &'static FxHashMap<char, char> {
    static TABLE: OnceLock<FxHashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        TS_CHARACTERS
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut chars = line.chars();
                Some((chars.next()?, chars.next()?))
            })
            .collect()
    })
}

/// The folded form of every character of the BMP, by code point: the
/// range checks, the case tables and the hash lookup of [`fold_slowly`]
/// paid once instead of for every character indexed.
fn bmp() -> &'static [char] {
    static BMP: OnceLock<Vec<char>> = OnceLock::new();
    BMP.get_or_init(|| {
        (0..0x1_0000u32)
            .map(|code| char::from_u32(code).map_or('\u{FFFD}', fold_slowly))
            .collect()
    })
}

/// The folded form of one character.
pub fn fold_char(c: char) -> char {
    match bmp().get(c as usize) {
        Some(&folded) => folded,
        None => fold_slowly(c),
    }
}

/// [`fold_char`] worked out.
fn fold_slowly(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c.is_uppercase() {
        // Only where lower case is one character, to keep the length.
        let mut lower = c.to_lowercase();
        if let (Some(l), None) = (lower.next(), lower.next()) {
            return l;
        }
    }
    table().get(&c).copied().unwrap_or(c)
}

/// The folded form of a text, character by character.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// The traditional → simplified pairs whose simplified character is in
/// `used`: all the browser needs to fold a query for this site, since a
/// character that folds to something absent from the index finds nothing
/// either way.
pub fn pairs_for(used: &dyn Fn(char) -> bool) -> Vec<(char, char)> {
    let mut pairs: Vec<(char, char)> = table()
        .iter()
        .filter(|(_, simplified)| used(**simplified))
        .map(|(&traditional, &simplified)| (traditional, simplified))
        .collect();
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified() {
        assert_eq!(fold("陳獨秀"), "陈独秀");
        assert_eq!(fold("漁陽里"), "渔阳里");
        assert_eq!(fold("共產黨宣言"), "共产党宣言");
        assert_eq!(fold("於"), "于");
    }

    #[test]
    fn simplified_text_is_unchanged() {
        let text = "陈望道翻译的《共产党宣言》";
        assert_eq!(fold(text), text);
    }

    #[test]
    fn full_width_and_case_fold_to_half_width_lower_case() {
        assert_eq!(fold("Ｄ２－１－１９２０"), "d2-1-1920");
        assert_eq!(fold("LA JEUNESSE"), "la jeunesse");
        assert_eq!(fold("a\u{3000}b"), "a b");
    }

    #[test]
    fn folding_keeps_the_number_of_characters() {
        let text = "《新青年》Ｖｏｌ．１，陳獨秀主編";
        assert_eq!(fold(text).chars().count(), text.chars().count());
    }

    #[test]
    fn folding_twice_changes_nothing() {
        for (traditional, simplified) in table() {
            assert_eq!(
                fold_char(*simplified),
                *simplified,
                "{traditional} → {simplified} folds again"
            );
        }
    }

    #[test]
    fn the_bmp_table_folds_as_worked_out() {
        for code in 0..0x1_0000u32 {
            if let Some(c) = char::from_u32(code) {
                assert_eq!(fold_char(c), fold_slowly(c), "U+{code:04X}");
            }
        }
        for c in ['𠀀', '𝐀', '\u{10FFFF}'] {
            assert_eq!(fold_char(c), fold_slowly(c));
        }
    }

    #[test]
    fn pairs_are_limited_to_used_characters() {
        let pairs = pairs_for(&|c| "陈独秀".contains(c));
        assert!(pairs.contains(&('陳', '陈')));
        assert!(pairs.contains(&('獨', '独')));
        assert!(pairs.iter().all(|(_, s)| "陈独秀".contains(*s)));
    }
}
