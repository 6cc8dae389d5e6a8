//! URL slugs: the path segments of tag and section pages.
//!
//! A tag's slug is its toneless pinyin (`建党` → `jian-dang`), so that URLs
//! stay readable when shared, printed or read aloud. `site.yaml`'s `slugs:`
//! overrides it for any tag this module gets wrong.

use pinyin::ToPinyin;

/// Readings of phrases whose characters the `pinyin` crate, which reads one
/// character at a time, would read wrongly: polyphonic characters in place
/// and person names and in words common in history exhibitions.
///
/// A few entries (`大会`, `首都`, `会议`, …) are already read right one
/// character at a time. They are here because phrases are matched greedily
/// from the left, longest first, so an entry claims its characters before a
/// later entry can: `首都市` is `shou-du-shi` only because `首都` is matched
/// before `都市` can be; `大会计划` keeps `大会` rather than `会计`.
///
/// `党参` (dang-shen, a medicinal root) is deliberately missing: it would
/// capture the `党参` of `共产党参加`, a far likelier phrase on a history site.
///
/// Readings use `v` for `ü` (`lv`, `nv`), as pinyin input methods and most
/// Chinese URLs do.
const PHRASE_READINGS: &[(&str, &str)] = &[
    // Places.
    ("重庆", "chong-qing"),
    ("长沙", "chang-sha"),
    ("长春", "chang-chun"),
    ("长安", "chang-an"),
    ("长汀", "chang-ting"),
    ("长辛店", "chang-xin-dian"),
    ("长白山", "chang-bai-shan"),
    ("长江", "chang-jiang"),
    ("长城", "chang-cheng"),
    ("朝鲜", "chao-xian"),
    ("朝阳", "chao-yang"),
    ("单县", "shan-xian"),
    ("厦门", "xia-men"),
    ("蚌埠", "beng-bu"),
    ("六安", "lu-an"),
    ("乐山", "le-shan"),
    ("乐亭", "lao-ting"),
    ("番禺", "pan-yu"),
    ("铅山", "yan-shan"),
    ("都江堰", "du-jiang-yan"),
    ("首都", "shou-du"),
    ("都市", "du-shi"),
    // People.
    ("曾国藩", "zeng-guo-fan"),
    // Words.
    ("长征", "chang-zheng"),
    ("长期", "chang-qi"),
    ("重要", "zhong-yao"),
    ("重新", "chong-xin"),
    ("重阳", "chong-yang"),
    ("重复", "chong-fu"),
    ("银行", "yin-hang"),
    ("行业", "hang-ye"),
    ("行动", "xing-dong"),
    ("南朝", "nan-chao"),
    ("音乐", "yin-yue"),
    ("传记", "zhuan-ji"),
    ("宣传", "xuan-chuan"),
    ("传播", "chuan-bo"),
    ("觉悟", "jue-wu"),
    ("调查", "diao-cha"),
    ("解放", "jie-fang"),
    ("会议", "hui-yi"),
    ("会计", "kuai-ji"),
    ("大会", "da-hui"),
    ("还原", "huan-yuan"),
    ("率领", "shuai-ling"),
    ("效率", "xiao-lv"),
    ("参加", "can-jia"),
];

/// Slug for a tag: toneless pinyin, lowercase, syllables joined by `-`;
/// ASCII letters/digits kept (lowercased), other characters become `-`,
/// runs of `-` collapsed, trimmed.
///
/// `建党` → `jian-dang`, `新青年` → `xin-qing-nian`, `一大` → `yi-da`,
/// `Marx 主义` → `marx-zhu-yi`, `五四运动` → `wu-si-yun-dong`.
///
/// Full-width letters and digits (`ＡＢ１２`) count as their ASCII forms;
/// `ü` is written `v` (`女` → `nv`). Characters without a reading (rare CJK,
/// emoji, punctuation such as `，。《》`) separate words. A tag made only of
/// such characters has the empty slug; the caller must report it and suggest
/// a `slugs:` entry.
pub fn tag_slug(tag: &str) -> String {
    let mut slug = SlugBuilder::default();
    let mut rest = tag;
    while let Some(c) = rest.chars().next() {
        if let Some((phrase, reading)) = phrase_reading(rest) {
            slug.push_syllable(reading);
            rest = &rest[phrase.len()..];
            continue;
        }
        let folded = fold_full_width(c);
        if folded.is_ascii_alphanumeric() {
            slug.push_ascii(folded.to_ascii_lowercase());
        } else if let Some(reading) = c.to_pinyin() {
            slug.push_syllable(&reading.plain().replace('ü', "v"));
        } else {
            slug.push_break();
        }
        rest = &rest[c.len_utf8()..];
    }
    slug.finish()
}

/// True when `s` is already a valid slug: lowercase ascii letters, digits
/// and single `-`, not starting/ending with `-`.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A section's URL slug from its file stem: strips a leading ordering number
/// and its separator: `01-prelude` → `prelude`, `2_x` → `x`,
/// `10-first-congress` → `first-congress`, `prelude` → `prelude`; a stem
/// that is only a number (`03`) stays `03`.
///
/// The separator is one `-` or `_`. Digits followed by anything else are
/// part of the name (`3d-scans` stays), and so is a number with nothing
/// after its separator (`01-` stays). Nothing else is changed: the caller
/// checks the result with [`is_valid_slug`], so a stray second separator
/// (`01--prelude` → `-prelude`) is reported rather than silently dropped.
pub fn section_slug(stem: &str) -> String {
    let name = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let numbered = name.len() < stem.len();
    match name.strip_prefix(['-', '_']) {
        Some(unnumbered) if numbered && !unnumbered.is_empty() => unnumbered.to_owned(),
        _ => stem.to_owned(),
    }
}

/// The longest phrase of [`PHRASE_READINGS`] that `text` starts with.
fn phrase_reading(text: &str) -> Option<(&'static str, &'static str)> {
    PHRASE_READINGS
        .iter()
        .filter(|(phrase, _)| text.starts_with(phrase))
        .max_by_key(|(phrase, _)| phrase.len())
        .copied()
}

/// Full-width letters and digits, typed with a Chinese input method, to ASCII.
fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Collects the words of a slug and puts exactly one `-` between them.
#[derive(Default)]
struct SlugBuilder {
    slug: String,
    /// A separator is owed before the next character, if any follows.
    pending_break: bool,
}

impl SlugBuilder {
    /// A letter or digit that continues the current ASCII word.
    fn push_ascii(&mut self, c: char) {
        self.settle_break();
        self.slug.push(c);
    }

    /// One or more pinyin syllables, already joined by `-`: a word of its own.
    fn push_syllable(&mut self, reading: &str) {
        let clean = reading
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-');
        self.push_break();
        for c in clean {
            if c == '-' {
                self.push_break();
            } else {
                self.push_ascii(c.to_ascii_lowercase());
            }
        }
        self.push_break();
    }

    fn push_break(&mut self) {
        self.pending_break = true;
    }

    fn settle_break(&mut self) {
        if self.pending_break && !self.slug.is_empty() {
            self.slug.push('-');
        }
        self.pending_break = false;
    }

    fn finish(self) -> String {
        self.slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples_from_the_spec() {
        assert_eq!(tag_slug("建党"), "jian-dang");
        assert_eq!(tag_slug("新青年"), "xin-qing-nian");
        assert_eq!(tag_slug("一大"), "yi-da");
        assert_eq!(tag_slug("Marx 主义"), "marx-zhu-yi");
        assert_eq!(tag_slug("五四运动"), "wu-si-yun-dong");
    }

    #[test]
    fn ascii_is_kept_and_lowercased() {
        assert_eq!(tag_slug("CPC"), "cpc");
        assert_eq!(tag_slug("May 4th"), "may-4th");
        assert_eq!(tag_slug("1921"), "1921");
        assert_eq!(tag_slug("Marx主义"), "marx-zhu-yi");
        assert_eq!(tag_slug("五四Movement"), "wu-si-movement");
        assert_eq!(tag_slug("中共1大"), "zhong-gong-1-da");
    }

    #[test]
    fn other_characters_separate_words() {
        assert_eq!(tag_slug("  建党  "), "jian-dang");
        assert_eq!(tag_slug("a--b"), "a-b");
        assert_eq!(tag_slug("-a_b-"), "a-b");
        assert_eq!(tag_slug("Marx's"), "marx-s");
        assert_eq!(tag_slug("《新青年》"), "xin-qing-nian");
        assert_eq!(tag_slug("建党，建国。"), "jian-dang-jian-guo");
        assert_eq!(tag_slug("建党🎉百年"), "jian-dang-bai-nian");
        assert_eq!(tag_slug("Zoë"), "zo");
    }

    #[test]
    fn characters_without_reading_give_an_empty_slug() {
        assert_eq!(tag_slug(""), "");
        assert_eq!(tag_slug("🎉"), "");
        assert_eq!(tag_slug("，。《》"), "");
        assert_eq!(tag_slug("---"), "");
    }

    #[test]
    fn full_width_letters_and_digits_fold_to_ascii() {
        assert_eq!(tag_slug("ＡＢ１２"), "ab12");
        assert_eq!(tag_slug("ＣＰＣ　一大"), "cpc-yi-da");
    }

    #[test]
    fn u_umlaut_is_written_v() {
        assert_eq!(tag_slug("女"), "nv");
        assert_eq!(tag_slug("绿"), "lv");
        assert_eq!(tag_slug("妇女"), "fu-nv");
        assert_eq!(tag_slug("侵略"), "qin-lve");
        assert_eq!(tag_slug("效率"), "xiao-lv");
    }

    #[test]
    fn ling_zero_has_a_reading() {
        assert_eq!(tag_slug("〇"), "ling");
    }

    #[test]
    fn phrase_corrections() {
        for (tag, slug) in [
            ("重庆", "chong-qing"),
            ("长沙", "chang-sha"),
            ("长征", "chang-zheng"),
            ("长江", "chang-jiang"),
            ("长城", "chang-cheng"),
            ("重要", "zhong-yao"),
            ("银行", "yin-hang"),
            ("行动", "xing-dong"),
            ("朝鲜", "chao-xian"),
            ("单县", "shan-xian"),
            ("厦门", "xia-men"),
            ("蚌埠", "beng-bu"),
            ("六安", "lu-an"),
            ("乐山", "le-shan"),
            ("音乐", "yin-yue"),
            ("曾国藩", "zeng-guo-fan"),
            ("传记", "zhuan-ji"),
            ("觉悟", "jue-wu"),
            ("调查", "diao-cha"),
            ("解放", "jie-fang"),
            ("朝阳", "chao-yang"),
            ("南朝", "nan-chao"),
            ("会议", "hui-yi"),
            ("会计", "kuai-ji"),
            ("大会", "da-hui"),
            ("都市", "du-shi"),
            ("首都", "shou-du"),
            ("宣传", "xuan-chuan"),
            ("传播", "chuan-bo"),
            ("还原", "huan-yuan"),
            ("率领", "shuai-ling"),
            ("效率", "xiao-lv"),
            ("人行", "ren-xing"),
            ("参加", "can-jia"),
            ("重新", "chong-xin"),
            ("重阳", "chong-yang"),
            ("重复", "chong-fu"),
            ("长辛店", "chang-xin-dian"),
            ("乐亭", "lao-ting"),
            ("行业", "hang-ye"),
        ] {
            assert_eq!(tag_slug(tag), slug, "{tag}");
        }
    }

    #[test]
    fn phrases_inside_longer_tags() {
        assert_eq!(tag_slug("重庆谈判"), "chong-qing-tan-pan");
        assert_eq!(tag_slug("红军长征"), "hong-jun-chang-zheng");
        assert_eq!(tag_slug("中国人民银行"), "zhong-guo-ren-min-yin-hang");
        assert_eq!(tag_slug("长沙Meeting"), "chang-sha-meeting");
        assert_eq!(tag_slug("遵义会议"), "zun-yi-hui-yi");
    }

    #[test]
    fn earlier_phrases_claim_their_characters_first() {
        assert_eq!(tag_slug("首都市民"), "shou-du-shi-min");
        assert_eq!(tag_slug("大会计划"), "da-hui-ji-hua");
        assert_eq!(
            tag_slug("中国共产党参加"),
            "zhong-guo-gong-chan-dang-can-jia"
        );
    }

    #[test]
    fn phrase_table_is_well_formed() {
        for (phrase, reading) in PHRASE_READINGS {
            assert!(is_valid_slug(reading), "{phrase}: {reading}");
            assert_eq!(
                phrase.chars().count(),
                reading.split('-').count(),
                "{phrase}: one syllable per character"
            );
            assert!(
                phrase.chars().all(|c| c.to_pinyin().is_some()),
                "{phrase}: every character has a reading"
            );
        }
        let mut phrases: Vec<&str> = PHRASE_READINGS.iter().map(|(p, _)| *p).collect();
        phrases.sort_unstable();
        phrases.dedup();
        assert_eq!(phrases.len(), PHRASE_READINGS.len(), "no phrase twice");
    }

    #[test]
    fn valid_slugs() {
        for slug in ["a", "jian-dang", "1921", "may-4th", "x1-y2"] {
            assert!(is_valid_slug(slug), "{slug}");
        }
        for slug in [
            "", "-", "-a", "a-", "a--b", "A", "a b", "a_b", "建党", "ａ", "a.b",
        ] {
            assert!(!is_valid_slug(slug), "{slug}");
        }
    }

    #[test]
    fn section_slugs() {
        assert_eq!(section_slug("01-prelude"), "prelude");
        assert_eq!(section_slug("2_x"), "x");
        assert_eq!(section_slug("10-first-congress"), "first-congress");
        assert_eq!(section_slug("prelude"), "prelude");
        assert_eq!(section_slug("03"), "03");
        assert_eq!(section_slug("1921"), "1921");
        assert_eq!(section_slug("01.prelude"), "01.prelude");
        assert_eq!(section_slug("01 prelude"), "01 prelude");
        assert_eq!(section_slug("01--prelude"), "-prelude");
        assert_eq!(section_slug("01_-prelude"), "-prelude");
        assert_eq!(section_slug("3d-scans"), "3d-scans");
        assert_eq!(section_slug("01-"), "01-");
        assert_eq!(section_slug("-prelude"), "-prelude");
        assert_eq!(section_slug("01-序章"), "序章");
        assert_eq!(section_slug(""), "");
    }

    proptest! {
        #[test]
        fn tag_slug_is_valid_or_empty(tag in any::<String>()) {
            let slug = tag_slug(&tag);
            prop_assert!(slug.is_empty() || is_valid_slug(&slug), "{tag:?} -> {slug:?}");
        }

        #[test]
        fn chinese_tag_slug_is_valid_or_empty(
            tag in "[\u{4e00}-\u{9fff}\u{3400}-\u{4dbf}a-zA-Z0-9 ，。《》ＡＢ１２😀ü_-]{0,24}"
        ) {
            let slug = tag_slug(&tag);
            prop_assert!(slug.is_empty() || is_valid_slug(&slug), "{tag:?} -> {slug:?}");
        }

        #[test]
        fn valid_slugs_are_their_own_tag_slug(slug in "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,4}") {
            prop_assert!(is_valid_slug(&slug));
            prop_assert_eq!(tag_slug(&slug), slug);
        }

        #[test]
        fn section_slug_never_panics_and_only_strips_a_prefix(stem in any::<String>()) {
            let slug = section_slug(&stem);
            prop_assert!(stem.ends_with(&slug));
            prop_assert!(!slug.is_empty() || stem.is_empty());
        }
    }
}
