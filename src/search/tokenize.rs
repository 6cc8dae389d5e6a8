//! Tokenizing: text → the terms the index holds and a query looks up.
//!
//! Chinese has no spaces between words, and a dictionary segmenter cuts
//! names such as 朱德 apart. Instead, as Lucene's CJK analyzer does, every
//! run of CJK characters is indexed as its overlapping character pairs
//! (陈望道 → 陈望, 望道) plus its single characters (陈, 望, 道). A query
//! of two or more characters looks up its pairs, one character looks up
//! the single character: so any substring of the text can be found, and
//! pairs that straddle two words (党宣 in 共产党宣言) only match where the
//! words stand next to each other.
//!
//! Other text is split into Latin words (lower-cased), numbers (`1921`)
//! and codes (`d2-1-1920-001`: letters and digits joined by `-`, `/`,
//! `.`, `_` or `:`, with at least one digit), each one term. Everything is
//! folded first (see `fold.rs`).

use super::fold::fold_char;

/// Longest Latin word or code kept, in characters: longer runs are
/// identifiers or noise nobody types.
const MAX_WORD_CHARS: usize = 40;

/// One term of the index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// A single CJK character.
    Char(char),
    /// Two adjacent CJK characters.
    Pair(char, char),
    /// A Latin word, number or code, or a term lantai makes itself
    /// (exact titles, filters).
    Word(Box<str>),
}

impl Term {
    /// The term as the index files spell it.
    pub fn text(&self) -> String {
        match self {
            Term::Char(c) => c.to_string(),
            Term::Pair(a, b) => [*a, *b].iter().collect(),
            Term::Word(word) => word.to_string(),
        }
    }

    /// Whether the term counts towards the length of a field: pairs repeat
    /// the characters already counted.
    pub fn counts_for_length(&self) -> bool {
        !matches!(self, Term::Pair(..))
    }
}

/// What kind of non-CJK token a run of letters and digits is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    Word,
    Number,
    Code,
}

/// Whether `c` is written in a CJK script: Han characters (with the
/// extension blocks and compatibility ideographs), 〇, kana and Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | '_' | ':')
}

fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        // CJK punctuation (、。《》「」…) stands between most runs of
        // Chinese text: answered here, not by the Unicode tables.
        '\u{3000}'..='\u{303F}' => matches!(
            c,
            '\u{3005}' | '\u{3006}' | '\u{3021}'..='\u{3029}' | '\u{3031}'..='\u{3035}' | '\u{3038}'..='\u{303C}'
        ),
        _ => c.is_alphanumeric() && !is_cjk(c),
    }
}

/// A piece of folded text, as the tokenizer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A run of CJK characters.
    Cjk(Vec<char>),
    /// A Latin word, number or code.
    Word(String, WordKind),
}

/// Splits `text` (folded on the way) into CJK runs and words.
pub fn pieces(text: &str, mut each: impl FnMut(Piece)) {
    let mut run: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in text.chars().map(fold_char) {
        if is_cjk(c) {
            flush_word(&mut word, &mut each);
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            each(Piece::Cjk(std::mem::take(&mut run)));
        }
        // A joiner belongs to a word only between letters or digits.
        let joins = is_joiner(c) && word.chars().last().is_some_and(is_word_char);
        if is_word_char(c) || joins {
            word.push(c);
        } else {
            flush_word(&mut word, &mut each);
        }
    }
    flush_word(&mut word, &mut each);
    if !run.is_empty() {
        each(Piece::Cjk(run));
    }
}

fn flush_word(word: &mut String, each: &mut impl FnMut(Piece)) {
    let text = std::mem::take(word);
    let text = text.trim_end_matches(is_joiner);
    if text.is_empty() {
        return;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        emit_word(text, WordKind::Number, each);
    } else if text.chars().any(|c| c.is_ascii_digit()) {
        emit_word(text, WordKind::Code, each);
    } else {
        // Letters joined by `-` or `.` (co-operation, u.s.a) are words of their own.
        for part in text.split(is_joiner).filter(|p| !p.is_empty()) {
            emit_word(part, WordKind::Word, each);
        }
    }
}

fn emit_word(text: &str, kind: WordKind, each: &mut impl FnMut(Piece)) {
    if text.chars().count() <= MAX_WORD_CHARS {
        each(Piece::Word(text.to_string(), kind));
    }
}

/// One term of the index as [`scan_terms`] finds it: a word borrows the
/// scanner's buffer, so indexing allocates nothing per term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermRef<'a> {
    Char(char),
    Pair(char, char),
    Word(&'a str),
}

impl TermRef<'_> {
    /// See [`Term::counts_for_length`].
    pub fn counts_for_length(&self) -> bool {
        !matches!(self, TermRef::Pair(..))
    }
}

/// Every term of `text` for the index, in order: for a CJK run each
/// character followed by the pair it closes. The same terms as
/// [`pieces`] gives, found in one pass without building the pieces;
/// `word` is a buffer kept between calls to spare allocations.
pub fn scan_terms(text: &str, word: &mut String, mut each: impl FnMut(TermRef<'_>)) {
    word.clear();
    let mut previous_cjk: Option<char> = None;
    // Whether the last character of `word` is a letter or digit (not a joiner).
    let mut after_word_char = false;
    for c in text.chars().map(fold_char) {
        if is_cjk(c) {
            scan_flush(word, &mut each);
            each(TermRef::Char(c));
            if let Some(previous) = previous_cjk {
                each(TermRef::Pair(previous, c));
            }
            previous_cjk = Some(c);
            after_word_char = false;
            continue;
        }
        previous_cjk = None;
        let word_char = is_word_char(c);
        // A joiner belongs to a word only between letters or digits.
        if word_char || (is_joiner(c) && after_word_char) {
            word.push(c);
            after_word_char = word_char;
        } else {
            scan_flush(word, &mut each);
            after_word_char = false;
        }
    }
    scan_flush(word, &mut each);
}

/// [`flush_word`] for [`scan_terms`].
fn scan_flush(word: &mut String, each: &mut impl FnMut(TermRef<'_>)) {
    if word.is_empty() {
        return;
    }
    let text = word.trim_end_matches(is_joiner);
    if !text.is_empty() {
        if text.bytes().any(|b| b.is_ascii_digit()) {
            // A number or a code: one term.
            scan_emit(text, each);
        } else {
            // Letters joined by `-` or `.` (co-operation, u.s.a) are words of their own.
            for part in text.split(is_joiner).filter(|p| !p.is_empty()) {
                scan_emit(part, each);
            }
        }
    }
    word.clear();
}

fn scan_emit(text: &str, each: &mut impl FnMut(TermRef<'_>)) {
    // Counting characters only when the bytes could exceed the limit.
    if text.len() <= MAX_WORD_CHARS || text.chars().count() <= MAX_WORD_CHARS {
        each(TermRef::Word(text));
    }
}

/// Every term of `text` for the index, in order, as owned [`Term`]s.
pub fn index_terms(text: &str, mut each: impl FnMut(Term)) {
    let mut word = String::new();
    scan_terms(text, &mut word, |term| {
        each(match term {
            TermRef::Char(c) => Term::Char(c),
            TermRef::Pair(a, b) => Term::Pair(a, b),
            TermRef::Word(w) => Term::Word(w.into()),
        })
    });
}

/// One term a query looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    pub term: Term,
    /// Whether terms that start with this one match too (numbers, codes,
    /// and Latin words of three letters or more).
    pub prefix: bool,
    /// Whether a result must hold it. The pair that joins two Chinese
    /// words typed apart (党宣 for `共产党 宣言`) is not required: it only
    /// rewards the results where the words stand next to each other.
    pub required: bool,
}

/// The terms a visitor's query looks up, without repeats: the pairs of
/// each CJK run (its one character if it has one) and each word, all
/// required; and the pairs joining consecutive CJK runs, optional.
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    let mut terms: Vec<QueryTerm> = Vec::new();
    let mut joins: Vec<Term> = Vec::new();
    let mut push = |term: Term, prefix: bool| {
        if !terms.iter().any(|t| t.term == term) {
            terms.push(QueryTerm {
                term,
                prefix,
                required: true,
            });
        }
    };
    let mut last_of_run: Option<char> = None;
    pieces(query, |piece| match piece {
        Piece::Cjk(run) => {
            if let (Some(last), Some(&first)) = (last_of_run, run.first()) {
                joins.push(Term::Pair(last, first));
            }
            last_of_run = run.last().copied();
            if run.len() == 1 {
                push(Term::Char(run[0]), false);
            }
            for pair in run.windows(2) {
                push(Term::Pair(pair[0], pair[1]), false);
            }
        }
        Piece::Word(word, kind) => {
            last_of_run = None;
            let prefix = kind != WordKind::Word || word.chars().count() >= 3;
            push(Term::Word(word.into_boxed_str()), prefix);
        }
    });
    for term in joins {
        if !terms.iter().any(|t| t.term == term) {
            terms.push(QueryTerm {
                term,
                prefix: false,
                required: false,
            });
        }
    }
    terms
}

/// A text reduced to its letters, digits and CJK characters, folded: the
/// key under which an exact title or name is indexed, so that 《共产党宣言》
/// and 共产党宣言 are the same title.
pub fn exact_key(text: &str) -> String {
    text.chars()
        .map(fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_characters_are_the_letters_and_digits_outside_cjk() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), c.is_alphanumeric() && !is_cjk(c), "{c:?}");
        }
    }

    fn all_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        index_terms(text, |t| out.push(t.text()));
        out
    }

    /// The index terms as the pieces give them: what [`scan_terms`] must match.
    fn terms_of_pieces(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        pieces(text, |piece| match piece {
            Piece::Cjk(run) => {
                for (i, &c) in run.iter().enumerate() {
                    out.push(c.to_string());
                    if i > 0 {
                        out.push([run[i - 1], c].iter().collect());
                    }
                }
            }
            Piece::Word(word, _) => out.push(word),
        });
        out
    }

    fn query(text: &str) -> Vec<(String, bool)> {
        query_terms(text)
            .into_iter()
            .filter(|q| q.required)
            .map(|q| (q.term.text(), q.prefix))
            .collect()
    }

    #[test]
    fn cjk_runs_give_characters_and_pairs() {
        assert_eq!(
            all_terms("陈望道"),
            ["陈", "望", "陈望", "道", "望道"].map(String::from)
        );
    }

    #[test]
    fn punctuation_and_latin_break_cjk_runs() {
        assert_eq!(
            all_terms("《新青年》LA JEUNESSE，青年"),
            [
                "新", "青", "新青", "年", "青年", "la", "jeunesse", "青", "年", "青年"
            ]
            .map(String::from)
        );
    }

    #[test]
    fn numbers_and_codes_are_single_terms() {
        assert_eq!(
            all_terms("档号D2-1-1920-001，1920年8月"),
            ["档", "号", "档号", "d2-1-1920-001", "1920", "年", "8", "月"].map(String::from)
        );
        assert_eq!(all_terms("page 3.5."), ["page", "3.5"].map(String::from));
    }

    #[test]
    fn letters_joined_by_hyphens_are_separate_words() {
        assert_eq!(
            all_terms("Henk Sneevliet, co-operation"),
            ["henk", "sneevliet", "co", "operation"].map(String::from)
        );
    }

    #[test]
    fn traditional_and_full_width_text_is_folded() {
        assert_eq!(all_terms("陳獨秀"), all_terms("陈独秀"));
        assert_eq!(all_terms("Ｄ２－１"), ["d2-1"].map(String::from));
    }

    #[test]
    fn query_uses_pairs_or_the_single_character() {
        assert_eq!(
            query("共产党宣言"),
            [
                ("共产", false),
                ("产党", false),
                ("党宣", false),
                ("宣言", false)
            ]
            .map(|(t, p)| (t.to_string(), p))
        );
        assert_eq!(query("陈"), [("陈".to_string(), false)]);
        assert_eq!(
            query("陳獨秀 1920"),
            [("陈独", false), ("独秀", false), ("1920", true)].map(|(t, p)| (t.to_string(), p))
        );
    }

    #[test]
    fn query_prefix_rules() {
        assert_eq!(query("D2-0-1920"), [("d2-0-1920".to_string(), true)]);
        assert_eq!(query("of"), [("of".to_string(), false)]);
        assert_eq!(query("Marx"), [("marx".to_string(), true)]);
    }

    #[test]
    fn pairs_joining_words_typed_apart_are_optional() {
        let optional: Vec<String> = query_terms("共产党 宣言 Marx 青年")
            .into_iter()
            .filter(|q| !q.required)
            .map(|q| q.term.text())
            .collect();
        // 党宣 joins the first two words; a Latin word between runs joins nothing.
        assert_eq!(optional, ["党宣"]);
        assert!(query_terms("共产党宣言").iter().all(|q| q.required));
    }

    #[test]
    fn query_terms_are_not_repeated() {
        assert_eq!(query("青年 青年"), [("青年".to_string(), false)]);
    }

    #[test]
    fn exact_key_drops_punctuation_and_folds() {
        assert_eq!(exact_key("《共產黨宣言》"), "共产党宣言");
        assert_eq!(exact_key(" Henk  Sneevliet "), "henksneevliet");
    }

    #[test]
    fn overlong_runs_are_dropped() {
        let noise = "a".repeat(MAX_WORD_CHARS + 1);
        assert!(all_terms(&noise).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_text_tokenizes_without_panicking(text in "\\PC{0,80}") {
            let mut terms = Vec::new();
            index_terms(&text, |t| terms.push(t));
            for term in &terms {
                proptest::prop_assert!(!term.text().is_empty());
            }
            let _ = query_terms(&text);
            let _ = exact_key(&text);
        }

        #[test]
        fn scanning_finds_the_terms_of_the_pieces(text in "[a-zA-Z0-9 ./:_\\-陈独秀陳獨Ｄ２é]{0,60}|\\PC{0,80}") {
            proptest::prop_assert_eq!(all_terms(&text), terms_of_pieces(&text));
        }

        #[test]
        fn folding_keeps_length_and_is_idempotent(text in "\\PC{0,80}") {
            let folded = crate::search::fold::fold(&text);
            proptest::prop_assert_eq!(folded.chars().count(), text.chars().count());
            proptest::prop_assert_eq!(crate::search::fold::fold(&folded), folded.clone());
        }
    }
}
