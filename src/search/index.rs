//! The inverted index: for every term, the documents that hold it, each
//! with a precomputed score (its *impact*).
//!
//! Scores are BM25 computed per field and summed with the field weights of
//! [`Field::weight`], so a match in a title counts above the same match in
//! a description, however long the description. All of it is known at
//! build time (the number of documents, each term's document frequency and
//! each field's length), so each posting stores its score quantized to one
//! byte on a logarithmic scale: the browser adds impacts instead of
//! computing BM25, and a posting costs a document number and one byte.
//!
//! Besides text terms the index holds terms lantai makes itself, in
//! namespaces that no text term can spell: `=KEY` for a title or name typed
//! in full (see [`tokenize::exact_key`]) and `~FILTER:VALUE` for filters
//! (`~type:letter`, `~tag:jian-dang`, `~person:chen-duxiu`, `~year:1921`).

use std::cmp::Reverse;
use std::collections::binary_heap::PeekMut;
use std::collections::{BTreeMap, BinaryHeap};
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::documents::{Field, SearchDocument};
use super::tokenize::{self, TermRef};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalization.
const B: f64 = 0.75;
/// Documents per parallel batch while building postings.
const BATCH: usize = 1024;
// A batch's postings number its documents in 16 bits.
const _: () = assert!(BATCH <= 1 << 16);

/// The prefix of exact-title terms.
pub const EXACT_PREFIX: &str = "=";
/// The prefix of filter terms.
pub const FILTER_PREFIX: &str = "~";

/// The documents that hold one term, in document order, with their impacts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postings {
    pub documents: Vec<u32>,
    pub impacts: Vec<u8>,
}

impl Postings {
    fn push(&mut self, document: u32, impact: u8) {
        self.documents.push(document);
        self.impacts.push(impact);
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    pub fn as_ref(&self) -> PostingsRef<'_> {
        PostingsRef {
            documents: &self.documents,
            impacts: &self.impacts,
        }
    }
}

/// The postings of one term of an [`Index`], borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostingsRef<'a> {
    pub documents: &'a [u32],
    pub impacts: &'a [u8],
}

impl PostingsRef<'_> {
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    pub fn to_postings(&self) -> Postings {
        Postings {
            documents: self.documents.to_vec(),
            impacts: self.impacts.to_vec(),
        }
    }
}

/// Every term of an index with its postings, in the order of their UTF-8
/// bytes, stored flat — all texts in one string, all postings in one
/// array — so that an index of millions of postings is a few allocations
/// instead of a map of two vectors per term.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    texts: TermTexts,
    /// Where term `t`'s postings are: `postings_starts[t]..postings_starts[t + 1]`.
    postings_starts: Vec<usize>,
    documents: Vec<u32>,
    impacts: Vec<u8>,
}

/// The texts of an index's terms, in the order of their UTF-8 bytes, all
/// in one string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermTexts {
    text: String,
    /// Where term `t` is in `text`: `starts[t]..starts[t + 1]`.
    starts: Vec<usize>,
}

impl TermTexts {
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text of term number `t` (in term order).
    pub fn term(&self, t: usize) -> &str {
        &self.text[self.starts[t]..self.starts[t + 1]]
    }

    /// The number of the first term not before `term`.
    fn position(&self, term: &str) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if self.term(middle) < term {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The number of `term`, if it is one.
    pub fn find(&self, term: &str) -> Option<usize> {
        let t = self.position(term);
        (t < self.len() && self.term(t) == term).then_some(t)
    }

    /// The numbers of the terms that start with `prefix`, in order.
    pub fn with_prefix<'t>(&'t self, prefix: &'t str) -> impl Iterator<Item = usize> + 't {
        (self.position(prefix)..self.len()).take_while(move |&t| self.term(t).starts_with(prefix))
    }
}

impl Terms {
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn texts(&self) -> &TermTexts {
        &self.texts
    }

    /// The text of term number `t` (in term order).
    pub fn term(&self, t: usize) -> &str {
        self.texts.term(t)
    }

    /// The postings of term number `t`.
    pub fn postings(&self, t: usize) -> PostingsRef<'_> {
        let range = self.postings_starts[t]..self.postings_starts[t + 1];
        PostingsRef {
            documents: &self.documents[range.clone()],
            impacts: &self.impacts[range],
        }
    }

    pub fn get(&self, term: &str) -> Option<PostingsRef<'_>> {
        self.texts.find(term).map(|t| self.postings(t))
    }

    pub fn contains_key(&self, term: &str) -> bool {
        self.get(term).is_some()
    }

    /// Every term with its postings, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, PostingsRef<'_>)> + '_ {
        (0..self.len()).map(|t| (self.term(t), self.postings(t)))
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = PostingsRef<'_>> + '_ {
        (0..self.len()).map(|t| self.postings(t))
    }

    /// The terms from the first not before `term` on, in order.
    pub fn from<'a>(&'a self, term: &str) -> impl Iterator<Item = (&'a str, PostingsRef<'a>)> + 'a {
        (self.texts.position(term)..self.len()).map(|t| (self.term(t), self.postings(t)))
    }
}

/// So that the terms read back from the index files compare with the index.
impl PartialEq<Terms> for BTreeMap<String, Postings> {
    fn eq(&self, terms: &Terms) -> bool {
        self.len() == terms.len()
            && self
                .iter()
                .zip(terms.iter())
                .all(|((a, pa), (b, pb))| a == b && pa.as_ref() == pb)
    }
}

/// Turns scores into impact bytes and back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantizer {
    /// The highest score a posting can have; scores are scaled by
    /// `ln(1 + score) / ln(1 + max_score)`.
    pub max_score: f64,
}

impl Quantizer {
    /// An impact of at least 1, so that every posting counts.
    pub fn impact(&self, score: f64) -> u8 {
        impact(score, self.log_max())
    }

    /// The logarithm every impact divides by, to work out once.
    fn log_max(&self) -> f64 {
        (1.0 + self.max_score).ln()
    }

    pub fn score(&self, impact: u8) -> f64 {
        ((1.0 + self.max_score).ln() * f64::from(impact) / 255.0).exp() - 1.0
    }
}

/// The built index, its documents borrowing their texts (`'a`).
#[derive(Debug, Clone)]
pub struct Index<'a> {
    pub documents: Vec<SearchDocument<'a>>,
    /// Term text → postings.
    pub terms: Terms,
    pub quantizer: Quantizer,
}

/// The exact-title term for a title or a query.
pub fn exact_term(text: &str) -> Option<String> {
    let key = tokenize::exact_key(text);
    (!key.is_empty()).then(|| format!("{EXACT_PREFIX}{key}"))
}

/// The filter term for a filter value.
pub fn filter_term(filter: &str, value: &str) -> String {
    format!("{FILTER_PREFIX}{filter}:{value}")
}

/// Term counts of one document, per field.
type FieldCounts = [u32; Field::COUNT];

/// A term while indexing: its first 8 bytes of UTF-8, big-endian and
/// zero-padded (the `head`), and its whole text only when the head does
/// not say it all (longer than 8 bytes, or holding a NUL). Most terms —
/// every CJK character and pair — are then a number, cheap to hash, and
/// `(head, long)` sorts exactly as the texts do.
type Key<'a> = (u64, Option<&'a str>);

/// The head of a term, and whether it is the whole term.
fn head(bytes: &[u8]) -> (u64, bool) {
    // A fixed-size read, or a byte loop for short terms: no call to
    // `memmove` for a copy of a few bytes.
    let head = match bytes.first_chunk::<8>() {
        Some(first) => u64::from_be_bytes(*first),
        None => bytes
            .iter()
            .enumerate()
            .fold(0u64, |head, (i, &b)| head | u64::from(b) << (56 - 8 * i)),
    };
    (head, bytes.len() <= 8 && !bytes.contains(&0))
}

/// The head of one character (its UTF-8 bytes, left-aligned) and its
/// length in bits: computed, not encoded, since every CJK character
/// indexed makes a single and a pair term.
fn char_head(c: char) -> (u64, u32) {
    let c = u32::from(c);
    let (bytes, len) = if c < 0x80 {
        (c, 1)
    } else if c < 0x800 {
        (0xC080 | ((c >> 6) << 8) | (c & 0x3F), 2)
    } else if c < 0x10000 {
        let high = ((c >> 12) << 16) | (((c >> 6) & 0x3F) << 8);
        (0xE0_8080 | high | (c & 0x3F), 3)
    } else {
        let high = ((c >> 18) << 24) | (((c >> 12) & 0x3F) << 16);
        (
            0xF080_8080 | high | (((c >> 6) & 0x3F) << 8) | (c & 0x3F),
            4,
        )
    };
    (u64::from(bytes) << (64 - 8 * len), 8 * len)
}

/// The head of a pair of characters: both fit, at most 8 bytes.
fn pair_head(a: char, b: char) -> u64 {
    let (a, bits) = char_head(a);
    a | char_head(b).0 >> bits
}

/// The text of a term whose head is the whole term.
fn push_head(text: &mut Vec<u8>, head: u64) {
    let bytes = head.to_be_bytes();
    let n = bytes.iter().position(|&b| b == 0).unwrap_or(8);
    text.extend_from_slice(&bytes[..n]);
}

/// One occurrence of a term while a batch is tokenized: the term's key in
/// the high 32 bits, then the document (within the batch) and the field.
/// A batch's occurrences are sorted by key alone, keeping the order they
/// were met in (document by document), so that each term's postings come
/// out together and in document order: sequential passes over memory
/// instead of a look-up in a large table for every character.
type Occurrence = u64;

fn occurrence(key: u32, tag: u64) -> Occurrence {
    u64::from(key) << 32 | tag
}

/// The document and field of an occurrence, below its key.
fn occurrence_tag(document: usize, field: usize) -> u64 {
    (document as u64) << 16 | field as u64
}

/// The key of a single character or a pair of the BMP: the first code
/// point above the second (0 for a single character, which no CJK
/// character is), so that keys sort as the terms' texts do.
fn bmp_key(a: char, b: Option<char>) -> Option<u32> {
    let (a, b) = (u32::from(a), b.map_or(0, u32::from));
    (a < 0x1_0000 && b < 0x1_0000).then_some(a << 16 | b)
}

/// The text's head of a [`bmp_key`].
fn bmp_head(key: u32) -> u64 {
    let char_of = |code: u32| char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
    let a = char_of(key >> 16);
    match key & 0xFFFF {
        0 => char_head(a).0,
        b => pair_head(a, char_of(b)),
    }
}

/// Sorts occurrences by their keys, keeping the order of those with equal
/// keys: an LSD radix sort of the high 32 bits in three passes, skipping a
/// pass whose digit is the same for all.
fn sort_by_key(occurrences: &mut Vec<Occurrence>, scratch: &mut Vec<Occurrence>) {
    const DIGITS: [(u32, u64); 3] = [(32, 0x7FF), (43, 0x7FF), (54, 0x3FF)];
    // Counts in 32 bits keep the three tables in the L1 cache; a batch
    // never holds four billion occurrences, but should one, std sorts it.
    let Ok(len) = u32::try_from(occurrences.len()) else {
        occurrences.sort_by_key(|&o| o >> 32);
        return;
    };
    let mut counts = vec![[0u32; 0x800]; DIGITS.len()];
    for &o in occurrences.iter() {
        for (count, &(shift, mask)) in counts.iter_mut().zip(&DIGITS) {
            count[((o >> shift) & mask) as usize] += 1;
        }
    }
    scratch.clear();
    scratch.resize(occurrences.len(), 0);
    for (count, &(shift, mask)) in counts.iter_mut().zip(&DIGITS) {
        if count.contains(&len) {
            continue;
        }
        let mut sum = 0u32;
        for c in count.iter_mut() {
            (*c, sum) = (sum, sum + *c);
        }
        for &o in occurrences.iter() {
            let place = &mut count[((o >> shift) & mask) as usize];
            scratch[*place as usize] = o;
            *place += 1;
        }
        std::mem::swap(occurrences, scratch);
    }
}

/// The texts of the terms longer than their heads, by term number, in order.
type LongTexts = Vec<(u32, Box<str>)>;

/// One source of terms for the merge: a batch's terms of one kind, sorted,
/// with their postings.
#[derive(Default)]
struct Part {
    /// Per term, in term order: its head…
    heads: Vec<u64>,
    /// …and for the few long terms their text, by number, in order.
    longs: LongTexts,
    /// Per term: how many of the batch's documents hold it, which is
    /// its number of postings.
    frequencies: Vec<u32>,
    /// Per posting, term by term, in document order: the document within
    /// the batch…
    documents: Vec<u16>,
    /// …and its counts (see [`encode_counts`]): one byte when one field
    /// holds it up to 15 times, as most do; else a byte of the fields that
    /// hold it, then a varint count for each.
    counts: Vec<u8>,
}

impl Part {
    /// The postings of `occurrences`, sorted by key, term by term; each
    /// term's key is handed to `each_key` in order (the caller records the
    /// terms' heads).
    fn gather(occurrences: &[Occurrence], mut each_key: impl FnMut(u32)) -> Part {
        let mut part = Part::default();
        let mut at = 0;
        while at < occurrences.len() {
            let key = occurrences[at] >> 32;
            each_key(key as u32);
            let mut frequency = 0u32;
            while at < occurrences.len() && occurrences[at] >> 32 == key {
                // One posting: the occurrences of this document.
                let posting = occurrences[at] >> 16;
                let field = occurrences[at] & 0xFFFF;
                let start = at;
                let mut one_field = true;
                while let Some(&o) = occurrences.get(at)
                    && o >> 16 == posting
                {
                    one_field &= o & 0xFFFF == field;
                    at += 1;
                }
                part.documents.push(posting as u16);
                let count = (at - start) as u32;
                if one_field && count <= SHORT_COUNT_MAX {
                    // The usual case, without an array of counts.
                    part.counts
                        .push(SHORT_COUNTS | (field as u8) << 4 | count as u8);
                } else {
                    let mut counts = [0u32; Field::COUNT];
                    for o in &occurrences[start..at] {
                        if let Some(count) = counts.get_mut((o & 0xFFFF) as usize) {
                            *count += 1;
                        }
                    }
                    encode_counts(&mut part.counts, &counts);
                }
                frequency += 1;
            }
            part.frequencies.push(frequency);
        }
        part.documents.shrink_to_fit();
        part.counts.shrink_to_fit();
        part
    }
}

/// The terms of a batch of documents, in two sorted parts — single
/// characters and pairs of the BMP (nearly all the terms of Chinese text),
/// and the rest — each with its postings and their counts, and each
/// document's field lengths: everything the impacts need, so that the
/// text is tokenized once.
struct Batch {
    /// The number of the batch's first document in the index.
    first: u32,
    parts: [Part; 2],
    /// Per document: each field's length.
    lengths: Vec<FieldCounts>,
}

/// The terms of a batch that are not single characters or pairs of the
/// BMP (words, numbers, codes, characters beyond the BMP), numbered in the
/// order met.
#[derive(Default)]
struct OtherTerms {
    /// The terms whose head is the whole term, by head (byte-swapped)…
    short: FxHashMap<u64, u32>,
    /// …and the others by text.
    long: FxHashMap<Box<str>, u32>,
    /// Per term: its head…
    heads: Vec<u64>,
    /// …and for the long terms their text, by number, in order.
    longs: LongTexts,
}

impl OtherTerms {
    /// The number of a term whose head is the whole term.
    fn short_number(&mut self, head: u64) -> u32 {
        let next = self.heads.len() as u32;
        // Keyed little-endian: FxHash spreads low bits, and a head's low
        // bits are mostly zero padding.
        let number = *self.short.entry(head.swap_bytes()).or_insert(next);
        if number == next {
            self.heads.push(head);
        }
        number
    }

    /// The number of a term whose head is not the whole term.
    fn long_number(&mut self, head: u64, word: &str) -> u32 {
        if let Some(&number) = self.long.get(word) {
            return number;
        }
        let next = self.heads.len() as u32;
        self.long.insert(word.into(), next);
        self.heads.push(head);
        self.longs.push((next, word.into()));
        next
    }

    /// The number of a term met.
    fn number(&mut self, term: TermRef<'_>) -> u32 {
        match term {
            // CJK characters and pairs always fit a head.
            TermRef::Char(c) => self.short_number(char_head(c).0),
            TermRef::Pair(a, b) => self.short_number(pair_head(a, b)),
            TermRef::Word(word) => match head(word.as_bytes()) {
                (head, true) => self.short_number(head),
                (head, false) => self.long_number(head, word),
            },
        }
    }

    /// The rank of each term in term order, by number, and the heads and
    /// long texts (by rank) in that order.
    fn ranks(self) -> (Vec<u32>, Vec<u64>, LongTexts) {
        let OtherTerms { heads, longs, .. } = self;
        let mut sorted: Vec<(Key<'_>, u32)> = keys(&heads, &longs).zip(0..).collect();
        sorted.sort_unstable();
        let mut rank = vec![0u32; sorted.len()];
        let mut sorted_heads = Vec::with_capacity(sorted.len());
        let mut sorted_longs = Vec::new();
        for (new, ((head, long), old)) in sorted.into_iter().enumerate() {
            rank[old as usize] = new as u32;
            sorted_heads.push(head);
            if let Some(long) = long {
                sorted_longs.push((new as u32, long.into()));
            }
        }
        (rank, sorted_heads, sorted_longs)
    }
}

impl Batch {
    /// Tokenizes `documents`, the first numbered `first` in the index, once.
    fn tokenize(first: usize, documents: &[SearchDocument<'_>], buffers: &mut Buffers) -> Batch {
        let mut word = String::new();
        let Buffers {
            bmp,
            other,
            scratch,
        } = buffers;
        bmp.clear();
        other.clear();
        // Room for every occurrence of Chinese text at once (two for each
        // character of three bytes), so that the vector is not copied as
        // it grows.
        let bytes: usize = documents
            .iter()
            .flat_map(|document| &document.fields)
            .map(|(_, text)| text.len())
            .sum();
        bmp.reserve(bytes / 3 * 2);
        let mut others = OtherTerms::default();
        let mut lengths = Vec::with_capacity(documents.len());
        for (d, document) in documents.iter().enumerate() {
            let mut document_lengths = [0u32; Field::COUNT];
            for (field, text) in &document.fields {
                let f = field.index();
                let tag = occurrence_tag(d, f);
                tokenize::scan_terms(text, &mut word, |term| {
                    if term.counts_for_length() {
                        document_lengths[f] += 1;
                    }
                    let key = match term {
                        TermRef::Char(c) => bmp_key(c, None),
                        TermRef::Pair(a, b) => bmp_key(a, Some(b)),
                        TermRef::Word(_) => None,
                    };
                    match key {
                        Some(key) => bmp.push(occurrence(key, tag)),
                        None => other.push(occurrence(others.number(term), tag)),
                    }
                });
            }
            lengths.push(document_lengths);
        }
        sort_by_key(bmp, scratch);
        let mut heads = Vec::new();
        let mut bmp_part = Part::gather(bmp, |key| heads.push(bmp_head(key)));
        bmp_part.heads = heads;
        // The other terms by rank in term order, then sorted as the BMP's.
        // Every term numbered was met, so the part holds each rank in turn:
        // its heads and long texts are those `ranks` sorted.
        let (rank, heads, longs) = others.ranks();
        for o in other.iter_mut() {
            let number = (*o >> 32) as usize;
            *o = occurrence(rank.get(number).copied().unwrap_or(0), *o & 0xFFFF_FFFF);
        }
        sort_by_key(other, scratch);
        let mut other_part = Part::gather(other, |_| {});
        (other_part.heads, other_part.longs) = (heads, longs);
        Batch {
            first: first as u32,
            parts: [bmp_part, other_part],
            lengths,
        }
    }
}

/// The vectors batches are tokenized with, kept from one batch to the
/// next of the same rayon job (`map_init`: a few jobs in all): each holds
/// a batch's occurrences (megabytes), and fresh ones would be copied as
/// they grow and their memory faulted in anew.
#[derive(Default)]
struct Buffers {
    bmp: Vec<Occurrence>,
    other: Vec<Occurrence>,
    scratch: Vec<Occurrence>,
}

/// What the impacts need to know of the whole index.
struct Scoring<'s> {
    n: usize,
    /// Per term: its document frequency.
    frequencies: &'s [u32],
    quantizer: Quantizer,
}

/// The postings of one part of a batch, in its term order.
struct Segment {
    /// The number of the batch's first document in the index.
    first: u32,
    /// Where term `t`'s postings are: `starts[t]..starts[t + 1]`.
    starts: Vec<u32>,
    /// Each posting's document, numbered within the batch…
    documents: Vec<u16>,
    /// …and its impact.
    impacts: Vec<u8>,
}

impl Part {
    /// The part's postings with their impacts; `numbers` are its terms'
    /// numbers in the index, `norms` each document's field norms.
    fn score(
        self,
        first: u32,
        numbers: &[u32],
        norms: &[[f64; Field::COUNT]],
        scoring: &Scoring<'_>,
    ) -> Segment {
        let mut starts = Vec::with_capacity(self.frequencies.len() + 1);
        let mut sum = 0u32;
        starts.push(sum);
        let log_max = scoring.quantizer.log_max();
        let mut impacts = Vec::with_capacity(self.documents.len());
        let mut at = 0;
        let mut documents = self.documents.iter();
        for (&frequency, &number) in self.frequencies.iter().zip(numbers) {
            sum += frequency;
            starts.push(sum);
            let idf = idf(scoring.n, scoring.frequencies[number as usize]);
            for &document in documents.by_ref().take(frequency as usize) {
                // Every document of the batch has its norms; neutral ones
                // otherwise, so that impacts and counts stay in step.
                let norms = norms
                    .get(usize::from(document))
                    .unwrap_or(&[1.0; Field::COUNT]);
                let score = match self.counts.get(at).copied().and_then(short_counts) {
                    // The usual one-byte counts: one field's term alone,
                    // which is the whole of `bm25_of`'s sum.
                    Some((f, count)) => {
                        at += 1;
                        Field::ALL.get(f).map_or(0.0, |&field| {
                            field_score(field, idf, f64::from(count), norms[f])
                        })
                    }
                    None => bm25_of(idf, &decode_counts(&self.counts, &mut at), norms),
                };
                impacts.push(impact(score, log_max));
            }
        }
        Segment {
            first,
            starts,
            documents: self.documents,
            impacts,
        }
    }
}

/// The terms `0..postings_starts.len() - 1` cut into about `pieces`
/// ranges of about as many postings.
fn term_ranges(postings_starts: &[usize], pieces: usize) -> Vec<Range<usize>> {
    let count = postings_starts.len().saturating_sub(1);
    let total = postings_starts.last().copied().unwrap_or(0);
    let target = total.div_ceil(pieces.max(1)).max(1);
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < count {
        let goal = postings_starts[start] + target;
        let end = postings_starts
            .partition_point(|&at| at < goal)
            .clamp(start + 1, count);
        ranges.push(start..end);
        start = end;
    }
    ranges
}

fn encode_counts(out: &mut Vec<u8>, counts: &FieldCounts) {
    // Most postings are a term met a few times in one field: one byte,
    // its top bit set, then the field and the count.
    let mut fields = counts.iter().enumerate().filter(|&(_, &c)| c > 0);
    if let (Some((f, &count)), None) = (fields.next(), fields.next())
        && count <= SHORT_COUNT_MAX
    {
        out.push(SHORT_COUNTS | (f as u8) << 4 | count as u8);
        return;
    }
    let mask = counts
        .iter()
        .enumerate()
        .fold(0u8, |mask, (f, &c)| mask | (u8::from(c > 0) << f));
    out.push(mask);
    for &count in counts.iter().filter(|&&c| c > 0) {
        let mut value = count;
        while value >= 0x80 {
            out.push((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }
}

/// The top bit of a one-byte [`encode_counts`]: a field in bits 4–6 and
/// its count in bits 0–3. A mask of fields never has it.
const SHORT_COUNTS: u8 = 0x80;
const SHORT_COUNT_MAX: u32 = 0x0f;
const _: () = assert!(Field::COUNT <= 7);

/// The field and count of a one-byte [`encode_counts`], if `byte` is one.
fn short_counts(byte: u8) -> Option<(usize, u32)> {
    (byte & SHORT_COUNTS != 0).then(|| (usize::from(byte >> 4 & 0x07), u32::from(byte & 0x0f)))
}

/// The counts [`encode_counts`] wrote at `at`, moving `at` past them.
fn decode_counts(bytes: &[u8], at: &mut usize) -> FieldCounts {
    let mut counts = [0u32; Field::COUNT];
    let mask = bytes.get(*at).copied().unwrap_or(0);
    *at += 1;
    if let Some((f, count)) = short_counts(mask) {
        if let Some(slot) = counts.get_mut(f) {
            *slot = count;
        }
        return counts;
    }
    for (f, count) in counts.iter_mut().enumerate() {
        if mask & (1 << f) == 0 {
            continue;
        }
        let mut shift = 0;
        while let Some(&byte) = bytes.get(*at) {
            *at += 1;
            *count |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
    }
    counts
}

/// The terms of all sources (the parts of the batches, then the made
/// terms) in order, each source's terms mapped to their numbers in that
/// order.
struct Numbering {
    /// Per source, per term of the source: its number.
    numbers: Vec<Vec<u32>>,
    text: String,
    text_starts: Vec<usize>,
}

/// A sorted list of terms to merge: heads, and long texts by number.
type Source<'a> = (&'a [u64], &'a [(u32, Box<str>)]);

/// The keys of terms `0..heads.len()`, from their heads and the texts of
/// the long ones (by number, in order).
fn keys<'a>(heads: &'a [u64], longs: &'a [(u32, Box<str>)]) -> impl Iterator<Item = Key<'a>> + 'a {
    let mut longs = longs.iter().peekable();
    heads.iter().enumerate().map(move |(t, &head)| {
        let long = longs.next_if(|(number, _)| *number as usize == t);
        (head, long.map(|(_, text)| &**text))
    })
}

/// Merges the sorted term lists of the sources (heads and long texts, as
/// in [`Part`]) into one, numbering the terms in order.
fn number_terms(sources: &[Source<'_>]) -> Numbering {
    let mut lists: Vec<_> = sources
        .iter()
        .map(|&(heads, longs)| keys(heads, longs))
        .collect();
    let mut numbers: Vec<Vec<u32>> = sources.iter().map(|k| vec![0; k.0.len()]).collect();
    let mut heap: BinaryHeap<Reverse<(Key<'_>, usize)>> = BinaryHeap::new();
    let mut cursors = vec![0usize; sources.len()];
    for (s, list) in lists.iter_mut().enumerate() {
        if let Some(first) = list.next() {
            heap.push(Reverse((first, s)));
        }
    }
    let mut text: Vec<u8> = Vec::new();
    let mut text_starts = vec![0usize];
    let mut last: Option<Key<'_>> = None;
    // The smallest key is replaced in place by its source's next one (one
    // sift down), not popped and another pushed (two).
    while let Some(mut smallest) = heap.peek_mut() {
        let Reverse((key, s)) = *smallest;
        if last != Some(key) {
            match key.1 {
                Some(long) => text.extend_from_slice(long.as_bytes()),
                None => push_head(&mut text, key.0),
            }
            text_starts.push(text.len());
            last = Some(key);
        }
        numbers[s][cursors[s]] = (text_starts.len() - 2) as u32;
        cursors[s] += 1;
        match lists[s].next() {
            Some(next) => *smallest = Reverse((next, s)),
            None => {
                PeekMut::pop(smallest);
            }
        }
    }
    // Every piece of `text` is a whole str or a whole head of one.
    let text = String::from_utf8(text)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    Numbering {
        numbers,
        text,
        text_starts,
    }
}

impl<'a> Index<'a> {
    /// Indexes `documents`, numbered in the order given.
    pub fn build(documents: Vec<SearchDocument<'a>>) -> Index<'a> {
        Scored::build(documents).into_index()
    }

    /// Postings of a term, if any document holds it.
    pub fn postings(&self, term: &str) -> Option<PostingsRef<'_>> {
        self.terms.get(term)
    }

    /// Terms that start with `prefix` (itself included), in order.
    pub fn terms_with_prefix<'t>(
        &'t self,
        prefix: &'t str,
    ) -> impl Iterator<Item = (&'t str, PostingsRef<'t>)> + 't {
        self.terms
            .from(prefix)
            .take_while(move |(term, _)| term.starts_with(prefix))
    }
}

/// An index whose postings are still where scoring left them: each part's
/// of each batch, in its own term order, and the made terms'. The files
/// are cut from it a few terms at a time ([`Scored::fill`]), so that the
/// index's postings are never all copied into one array as [`Index`]
/// holds them.
pub struct Scored<'a> {
    pub documents: Vec<SearchDocument<'a>>,
    pub quantizer: Quantizer,
    texts: TermTexts,
    /// Where term `t`'s postings are in the index:
    /// `postings_starts[t]..postings_starts[t + 1]`.
    postings_starts: Vec<usize>,
    /// Per part of a batch (two a batch): its postings, and its terms'
    /// numbers in the index.
    segments: Vec<(Segment, Vec<u32>)>,
    /// The made terms, by text, and their numbers in the index.
    made: Vec<(String, Postings)>,
    made_numbers: Vec<u32>,
}

/// The postings of a range of terms, copied out of a [`Scored`] index.
pub struct Filled {
    /// Where the range's term `i` is: `starts[i]..starts[i + 1]`.
    starts: Vec<usize>,
    documents: Vec<u32>,
    impacts: Vec<u8>,
}

impl Filled {
    /// The number of terms.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The postings of the range's term `i`.
    pub fn postings(&self, i: usize) -> PostingsRef<'_> {
        let range = self.starts[i]..self.starts[i + 1];
        PostingsRef {
            documents: &self.documents[range.clone()],
            impacts: &self.impacts[range],
        }
    }
}

impl<'a> Scored<'a> {
    /// Indexes `documents`, numbered in the order given.
    pub fn build(documents: Vec<SearchDocument<'a>>) -> Scored<'a> {
        let n = documents.len();
        // One pass over the text: each batch's terms and counts.
        let mut batches: Vec<Batch> = documents
            .par_chunks(BATCH)
            .enumerate()
            .map_init(Buffers::default, |buffers, (b, chunk)| {
                Batch::tokenize(b * BATCH, chunk, buffers)
            })
            .collect();
        let made = made_terms(&documents);
        // Already in order (sorted by their text).
        let mut made_heads = Vec::with_capacity(made.len());
        let mut made_longs = Vec::new();
        for (t, (term, _)) in made.iter().enumerate() {
            let (head, whole) = head(term.as_bytes());
            made_heads.push(head);
            if !whole {
                made_longs.push((t as u32, term.as_str().into()));
            }
        }
        let sources: Vec<Source<'_>> = batches
            .iter()
            .flat_map(|batch| &batch.parts)
            .map(|part| (part.heads.as_slice(), part.longs.as_slice()))
            .chain(std::iter::once((
                made_heads.as_slice(),
                made_longs.as_slice(),
            )))
            .collect();
        let Numbering {
            mut numbers,
            text,
            text_starts,
        } = number_terms(&sources);
        drop(sources);
        drop((made_heads, made_longs));
        // The terms are numbered: their keys are no longer needed.
        for part in batches.iter_mut().flat_map(|batch| &mut batch.parts) {
            part.heads = Vec::new();
            part.longs = Vec::new();
        }
        let count = text_starts.len() - 1;

        // Document frequencies (of the text only), and where each term's
        // postings start.
        let mut frequencies = vec![0u32; count];
        let parts = batches.iter().flat_map(|batch| &batch.parts);
        for (part, numbers) in parts.zip(&numbers) {
            for (&number, &frequency) in numbers.iter().zip(&part.frequencies) {
                frequencies[number as usize] += frequency;
            }
        }
        // The made terms are the last source.
        let made_numbers = numbers.pop().unwrap_or_default();
        let mut sizes: Vec<usize> = frequencies.iter().map(|&f| f as usize).collect();
        for (&number, (_, postings)) in made_numbers.iter().zip(&made) {
            sizes[number as usize] += postings.len();
        }
        let mut postings_starts = Vec::with_capacity(count + 1);
        postings_starts.push(0usize);
        for size in &sizes {
            postings_starts.push(postings_starts[postings_starts.len() - 1] + size);
        }
        drop(sizes);

        // Field lengths, averaged over the documents that have the field:
        // most pages have no transcription, and counting them would make
        // every transcription look long.
        let mut length_sums = [0u64; 2 * Field::COUNT];
        for lengths in batches.iter().flat_map(|b| &b.lengths) {
            for (f, &len) in lengths.iter().enumerate() {
                length_sums[f] += u64::from(len);
                length_sums[Field::COUNT + f] += u64::from(len > 0);
            }
        }
        let average: Vec<f64> = (0..Field::COUNT)
            .map(|f| {
                let having = length_sums[Field::COUNT + f].max(1) as f64;
                (length_sums[f] as f64 / having).max(1.0)
            })
            .collect();
        let quantizer = Quantizer {
            max_score: max_score(n),
        };

        // Impacts, batch by batch in parallel, beside each part's postings
        // in term order; a part's counts are freed as soon as it is
        // scored.
        let scoring = Scoring {
            n,
            frequencies: &frequencies,
            quantizer,
        };
        // The numbers come two to a batch, in the order of its parts.
        let segments: Vec<(Segment, Vec<u32>)> = batches
            .into_par_iter()
            .zip(numbers.into_par_iter().chunks(2))
            .flat_map_iter(|(batch, numbers)| {
                let norms: Vec<_> = batch.lengths.iter().map(|l| norms(l, &average)).collect();
                let first = batch.first;
                batch
                    .parts
                    .into_iter()
                    .zip(numbers)
                    .map(|(part, numbers)| (part.score(first, &numbers, &norms, &scoring), numbers))
                    .collect::<Vec<_>>()
            })
            .collect();
        drop(frequencies);
        Scored {
            documents,
            quantizer,
            texts: TermTexts {
                text,
                starts: text_starts,
            },
            postings_starts,
            segments,
            made,
            made_numbers,
        }
    }

    pub fn texts(&self) -> &TermTexts {
        &self.texts
    }

    /// The number of postings of term number `t`.
    pub fn count(&self, t: usize) -> usize {
        self.postings_starts[t + 1] - self.postings_starts[t]
    }

    /// The terms cut into about `pieces` ranges of about as many postings.
    pub fn ranges(&self, pieces: usize) -> Vec<Range<usize>> {
        term_ranges(&self.postings_starts, pieces)
    }

    /// The postings of the terms `range`.
    pub fn fill(&self, range: Range<usize>) -> Filled {
        let base = self.postings_starts[range.start];
        let starts: Vec<usize> = self.postings_starts[range.start..=range.end]
            .iter()
            .map(|&at| at - base)
            .collect();
        let len = starts[range.len()];
        let mut documents = vec![0u32; len];
        let mut impacts = vec![0u8; len];
        self.fill_into(range, &mut documents, &mut impacts);
        Filled {
            starts,
            documents,
            impacts,
        }
    }

    /// Every term's postings: the batches' in document order, then the
    /// made terms' (made after text, should a term be both), for the terms
    /// `range`, into `documents` and `impacts` (as many as they have).
    fn fill_into(&self, range: Range<usize>, documents: &mut [u32], impacts: &mut [u8]) {
        let base = self.postings_starts[range.start];
        // Per term of the range: where its next posting goes.
        let mut next: Vec<usize> = self.postings_starts[range.clone()]
            .iter()
            .map(|&start| start - base)
            .collect();
        let mut put = |number: u32, from: &mut dyn Iterator<Item = u32>, from_impacts: &[u8]| {
            let at = &mut next[number as usize - range.start];
            let places = *at..*at + from_impacts.len();
            for (out, document) in documents[places.clone()].iter_mut().zip(from) {
                *out = document;
            }
            impacts[places].copy_from_slice(from_impacts);
            *at += from_impacts.len();
        };
        for (segment, numbers) in &self.segments {
            let first = segment.first;
            let from = numbers.partition_point(|&number| (number as usize) < range.start);
            for (t, &number) in numbers.iter().enumerate().skip(from) {
                if number as usize >= range.end {
                    break;
                }
                let local = segment.starts[t] as usize..segment.starts[t + 1] as usize;
                put(
                    number,
                    &mut segment.documents[local.clone()]
                        .iter()
                        .map(|&k| first + u32::from(k)),
                    &segment.impacts[local],
                );
            }
        }
        let from = self
            .made_numbers
            .partition_point(|&number| (number as usize) < range.start);
        for (&number, (_, postings)) in self.made_numbers.iter().zip(&self.made).skip(from) {
            if number as usize >= range.end {
                break;
            }
            put(
                number,
                &mut postings.documents.iter().copied(),
                &postings.impacts,
            );
        }
    }

    /// The index with every term's postings in one array: the terms are
    /// cut into ranges of about as many postings, filled in parallel, each
    /// into its own part of the arrays.
    pub fn into_index(self) -> Index<'a> {
        let total = self.postings_starts.last().copied().unwrap_or(0);
        let mut documents = vec![0u32; total];
        let mut impacts = vec![0u8; total];
        let ranges = self.ranges(rayon::current_num_threads() * 4);
        let mut parts = Vec::with_capacity(ranges.len());
        let (mut rest_documents, mut rest_impacts) = (&mut documents[..], &mut impacts[..]);
        for range in ranges {
            let len = self.postings_starts[range.end] - self.postings_starts[range.start];
            let (part_documents, after) = rest_documents.split_at_mut(len);
            rest_documents = after;
            let (part_impacts, after) = rest_impacts.split_at_mut(len);
            rest_impacts = after;
            parts.push((range, part_documents, part_impacts));
        }
        parts
            .into_par_iter()
            .for_each(|(range, part_documents, part_impacts)| {
                self.fill_into(range, part_documents, part_impacts);
            });
        Index {
            documents: self.documents,
            terms: Terms {
                texts: self.texts,
                postings_starts: self.postings_starts,
                documents,
                impacts,
            },
            quantizer: self.quantizer,
        }
    }
}

/// [`Quantizer::impact`] with [`Quantizer::log_max`] worked out.
fn impact(score: f64, log_max: f64) -> u8 {
    let scaled = (1.0 + score.max(0.0)).ln() / log_max * 255.0;
    // Rounded by adding a half and truncating (the cast), not by `round`,
    // a call into libm for every posting; `scaled` is never negative.
    (scaled + 0.5).clamp(1.0, 255.0) as u8
}

fn idf(n: usize, df: u32) -> f64 {
    let (n, df) = (n as f64, f64::from(df));
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Weighted sum of per-field BM25 scores of one term in one document.
/// Worked out straight, as the reference build in the tests does, which
/// the build with [`bm25_of`] must match impact for impact.
#[cfg(test)]
fn bm25(n: usize, df: u32, tf: &FieldCounts, lengths: &FieldCounts, average: &[f64]) -> f64 {
    let idf = idf(n, df);
    Field::ALL
        .iter()
        .map(|&field| {
            let f = field.index();
            let tf = f64::from(tf[f]);
            if tf == 0.0 {
                return 0.0;
            }
            let norm = 1.0 - B + B * f64::from(lengths[f]) / average[f];
            field.weight() * idf * tf * (K1 + 1.0) / (tf + K1 * norm)
        })
        .sum()
}

/// Each field's length normalization, the same for every term of a document.
fn norms(lengths: &FieldCounts, average: &[f64]) -> [f64; Field::COUNT] {
    std::array::from_fn(|f| 1.0 - B + B * f64::from(lengths[f]) / average[f])
}

/// `bm25` (the tests' straight computation) with the term's idf and the
/// document's norms worked out: the same operations in the same order,
/// so the same score.
fn bm25_of(idf: f64, tf: &FieldCounts, norms: &[f64; Field::COUNT]) -> f64 {
    Field::ALL
        .iter()
        .map(|&field| {
            let f = field.index();
            let tf = f64::from(tf[f]);
            if tf == 0.0 {
                return 0.0;
            }
            field_score(field, idf, tf, norms[f])
        })
        .sum()
}

/// One field's term in [`bm25_of`]'s sum.
fn field_score(field: Field, idf: f64, tf: f64, norm: f64) -> f64 {
    field.weight() * idf * tf * (K1 + 1.0) / (tf + K1 * norm)
}

/// A bound on any posting's score: a term in one document only, matched
/// in every field.
fn max_score(n: usize) -> f64 {
    let weights: f64 = Field::ALL.iter().map(|f| f.weight()).sum();
    idf(n.max(1), 1) * (K1 + 1.0) * weights
}

/// The exact-title and filter terms of every document, sorted by their
/// text, each with its postings in document order.
fn made_terms(documents: &[SearchDocument<'_>]) -> Vec<(String, Postings)> {
    // (term, document) pairs, once per document, sorted: a flat list
    // instead of a map of terms and a set per document.
    let mut pairs: Vec<(String, u32)> = documents
        .par_iter()
        .enumerate()
        .flat_map_iter(|(number, doc)| {
            let mut made: Vec<String> = doc.exact.iter().filter_map(|t| exact_term(t)).collect();
            made.push(filter_term("type", doc.kind));
            made.extend(doc.filters.iter().map(|(f, v)| filter_term(f, v)));
            made.sort_unstable();
            made.dedup();
            made.into_iter().map(move |term| (term, number as u32))
        })
        .collect();
    pairs.par_sort_unstable();
    let mut terms: Vec<(String, Postings)> = Vec::new();
    for (term, number) in pairs {
        match terms.last_mut() {
            Some((last, postings)) if *last == term => postings.push(number, u8::MAX),
            _ => {
                let mut postings = Postings::default();
                postings.push(number, u8::MAX);
                terms.push((term, postings));
            }
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_trip_in_both_forms() {
        let cases: [FieldCounts; 7] = [
            [1, 0, 0, 0, 0, 0],
            [0, 0, 0, 0, 0, 15],
            [0, 0, 0, 0, 16, 0],
            [0, 0, 0, 0, 300, 0],
            [2, 0, 0, 1, 7, 0],
            [0, 0, 0, 0, 0, 0],
            [u32::MAX, 1, 1, 1, 1, 200_000],
        ];
        let mut bytes = Vec::new();
        for counts in &cases {
            encode_counts(&mut bytes, counts);
        }
        // The usual case takes one byte.
        let mut one = Vec::new();
        encode_counts(&mut one, &[0, 0, 0, 0, 3, 0]);
        assert_eq!(one.len(), 1);
        let mut at = 0;
        for counts in &cases {
            assert_eq!(&decode_counts(&bytes, &mut at), counts);
        }
        assert_eq!(at, bytes.len());
    }

    fn doc(title: &str, description: &str) -> SearchDocument<'static> {
        crate::search::documents::test_document(title, "document", description, 1921)
    }

    #[test]
    fn quantizing_keeps_the_order_of_scores() {
        let q = Quantizer { max_score: 200.0 };
        let mut last = 0;
        for score in [0.01, 0.5, 1.0, 3.0, 10.0, 50.0, 199.0] {
            let impact = q.impact(score);
            assert!(impact >= last, "{score} → {impact}");
            last = impact;
            let back = q.score(impact);
            assert!(
                (back - score).abs() / score.max(0.2) < 0.1,
                "{score} ↔ {back}"
            );
        }
        assert_eq!(q.impact(0.0), 1);
        assert_eq!(q.impact(1e9), 255);
    }

    #[test]
    fn postings_are_in_document_order_with_impacts() {
        let documents: Vec<SearchDocument> = (0..3000)
            .map(|i| {
                doc(
                    &format!("文书{i}"),
                    if i % 2 == 0 { "渔阳里" } else { "南湖" },
                )
            })
            .collect();
        let index = Index::build(documents);
        let postings = index.postings("渔阳").expect("indexed");
        assert_eq!(postings.len(), 1500);
        assert!(postings.documents.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(postings.documents.len(), postings.impacts.len());
    }

    #[test]
    fn title_matches_score_above_description_matches() {
        let index = Index::build(vec![doc("陈望道", "翻译"), doc("翻译", "陈望道")]);
        let postings = index.postings("望道").expect("indexed");
        assert_eq!(postings.documents, [0, 1]);
        assert!(postings.impacts[0] > postings.impacts[1]);
    }

    #[test]
    fn rare_terms_score_above_common_ones() {
        let mut documents = vec![doc("甲", "渔阳里 共产党")];
        documents.extend((0..20).map(|i| doc(&format!("乙{i}"), "共产党")));
        let index = Index::build(documents);
        let rare = index.postings("渔阳").expect("indexed").impacts[0];
        let common = index.postings("共产").expect("indexed").impacts[0];
        assert!(rare > common);
    }

    #[test]
    fn exact_titles_and_filters_are_terms() {
        let index = Index::build(vec![doc("《共产党宣言》", "")]);
        assert!(index.postings("=共产党宣言").is_some());
        assert!(index.postings("~type:document").is_some());
        assert!(index.postings("~year:1921").is_some());
    }

    #[test]
    fn prefix_lookup_finds_longer_terms() {
        let index = Index::build(vec![doc("D2-1-1920-001", ""), doc("D2-2-1921-001", "")]);
        let found: Vec<&str> = index.terms_with_prefix("d2-1").map(|(t, _)| t).collect();
        assert_eq!(found, ["d2-1-1920-001"]);
    }

    /// The index as built before terms were numbered in one pass — every
    /// document tokenized twice, postings grown in a map — which the
    /// one-pass build must match posting for posting.
    fn reference(documents: &[SearchDocument<'_>]) -> BTreeMap<String, Postings> {
        let n = documents.len();
        let count = |doc: &SearchDocument<'_>| {
            let mut counts: BTreeMap<String, FieldCounts> = BTreeMap::new();
            let mut lengths = [0u32; Field::COUNT];
            for (field, text) in &doc.fields {
                let f = field.index();
                tokenize::index_terms(text, |term| {
                    if term.counts_for_length() {
                        lengths[f] += 1;
                    }
                    counts.entry(term.text()).or_insert([0; Field::COUNT])[f] += 1;
                });
            }
            (counts, lengths)
        };
        let mut df: BTreeMap<String, u32> = BTreeMap::new();
        let mut sums = [0u64; 2 * Field::COUNT];
        for doc in documents {
            let (counts, lengths) = count(doc);
            for term in counts.into_keys() {
                *df.entry(term).or_default() += 1;
            }
            for (f, len) in lengths.into_iter().enumerate() {
                sums[f] += u64::from(len);
                sums[Field::COUNT + f] += u64::from(len > 0);
            }
        }
        let average: Vec<f64> = (0..Field::COUNT)
            .map(|f| (sums[f] as f64 / sums[Field::COUNT + f].max(1) as f64).max(1.0))
            .collect();
        let quantizer = Quantizer {
            max_score: max_score(n),
        };
        let mut terms: BTreeMap<String, Postings> = BTreeMap::new();
        for (d, doc) in documents.iter().enumerate() {
            let (counts, lengths) = count(doc);
            for (term, tf) in counts {
                let score = bm25(n, df[&term], &tf, &lengths, &average);
                terms
                    .entry(term)
                    .or_default()
                    .push(d as u32, quantizer.impact(score));
            }
        }
        for (term, postings) in made_terms(documents) {
            let entry = terms.entry(term).or_default();
            entry.documents.extend(postings.documents);
            entry.impacts.extend(postings.impacts);
        }
        terms
    }

    #[test]
    fn one_pass_build_matches_the_reference() {
        let words = [
            "陈独秀",
            "陳獨秀",
            "渔阳里",
            "共产党宣言",
            "LA JEUNESSE",
            "co-operation",
            "D2-1-1920-001",
            "1921",
            "Ｄ２－１",
            "Sneevliet-Maring",
            "café",
            "ÉCOLE",
            "𠀀𠀁",
            "International",
            "abcdefgh",
            "abcdefghi",
            "新青年",
            "u.s.a.",
        ];
        let documents: Vec<SearchDocument> = (0..2600)
            .map(|i| {
                let pick = |k: usize| words[(i * 7 + k * 13 + i / 5) % words.len()];
                let mut d = doc(
                    &format!("{}{i}", pick(0)),
                    &format!("{} {}，{} {}", pick(1), pick(2), pick(3), pick(1)),
                );
                if i % 3 == 0 {
                    d.fields
                        .push((Field::Transcription, pick(4).repeat(i % 5 + 1).into()));
                }
                if i % 4 == 0 {
                    d.fields.push((Field::Meta, pick(5).into()));
                }
                d
            })
            .collect();
        let expected = reference(&documents);
        let index = Index::build(documents);
        assert!(expected == index.terms);
        assert!(index.terms.len() > 40);
    }

    #[test]
    fn an_empty_index_has_no_terms() {
        let index = Index::build(Vec::new());
        assert!(index.terms.is_empty());
        assert!(index.postings("陈").is_none());
        assert_eq!(index.terms_with_prefix("").count(), 0);
    }

    #[test]
    fn heads_sort_like_the_texts() {
        let mut texts = vec![
            "a",
            "a\0",
            "a\0b",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
            "陈",
            "陈独",
            "~x",
            "=y",
            "",
        ];
        let mut keys: Vec<(u64, Option<&str>, &str)> = texts
            .iter()
            .map(|t| {
                let (head, whole) = head(t.as_bytes());
                (head, (!whole).then_some(*t), *t)
            })
            .collect();
        keys.sort();
        texts.sort();
        assert_eq!(keys.iter().map(|k| k.2).collect::<Vec<_>>(), texts);
    }

    proptest::proptest! {
        /// The computed heads of characters and pairs are those of their
        /// UTF-8 bytes.
        #[test]
        fn char_heads_are_the_heads_of_the_bytes(a in proptest::char::any(), b in proptest::char::any()) {
            let mut buffer = [0u8; 8];
            let n = a.encode_utf8(&mut buffer).len();
            proptest::prop_assert_eq!(char_head(a), (head(&buffer[..n]).0, 8 * n as u32));
            let m = b.encode_utf8(&mut buffer[n..]).len();
            proptest::prop_assert_eq!(pair_head(a, b), head(&buffer[..n + m]).0);
        }

        /// Scores with the idf and norms worked out beforehand are those
        /// worked out straight, to the last bit.
        #[test]
        fn scores_with_parts_worked_out_are_the_same(
            n in 1usize..100_000,
            df in 1u32..1000,
            tf in proptest::array::uniform::<_, { Field::COUNT }>(0u32..50),
            lengths in proptest::array::uniform::<_, { Field::COUNT }>(0u32..5000),
            average in proptest::collection::vec(1.0f64..3000.0, Field::COUNT),
        ) {
            let straight = bm25(n, df, &tf, &lengths, &average);
            let parts = bm25_of(idf(n, df), &tf, &norms(&lengths, &average));
            proptest::prop_assert_eq!(straight.to_bits(), parts.to_bits());
            let quantizer = Quantizer { max_score: max_score(n) };
            proptest::prop_assert_eq!(quantizer.impact(straight), impact(parts, quantizer.log_max()));
        }

        /// The radix sort orders occurrences by key as a stable sort does,
        /// with keys spread over every digit or all in the lowest.
        #[test]
        fn occurrences_sort_by_key_as_a_stable_sort_does(
            keys in proptest::collection::vec(proptest::num::u32::ANY, 0..3000),
            narrow in proptest::bool::ANY,
        ) {
            let occurrences: Vec<Occurrence> = keys
                .iter()
                .enumerate()
                .map(|(i, &key)| occurrence(if narrow { key % 7 } else { key }, i as u64))
                .collect();
            let mut expected = occurrences.clone();
            expected.sort_by_key(|&o| o >> 32);
            let mut sorted = occurrences;
            sort_by_key(&mut sorted, &mut Vec::new());
            proptest::prop_assert_eq!(sorted, expected);
        }

        /// The keys of BMP characters and pairs sort as their texts do, and
        /// give their heads back.
        #[test]
        fn bmp_keys_sort_like_the_texts(
            a in proptest::char::range('\u{3007}', '\u{FAFF}'),
            b in proptest::option::of(proptest::char::range('\u{3007}', '\u{FAFF}')),
            c in proptest::char::range('\u{3007}', '\u{FAFF}'),
            d in proptest::option::of(proptest::char::range('\u{3007}', '\u{FAFF}')),
        ) {
            let text = |x: char, y: Option<char>| format!("{x}{}", y.map(String::from).unwrap_or_default());
            let (first, second) = (bmp_key(a, b), bmp_key(c, d));
            proptest::prop_assert!(first.is_some() && second.is_some());
            proptest::prop_assert_eq!(first.cmp(&second), text(a, b).cmp(&text(c, d)));
            let head_of = |key: Option<u32>| key.map(bmp_head);
            proptest::prop_assert_eq!(head_of(first), Some(head(text(a, b).as_bytes()).0));
            proptest::prop_assert_eq!(head_of(second), Some(head(text(c, d).as_bytes()).0));
        }

        #[test]
        fn heads_are_the_padded_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..12)) {
            let mut buffer = [0u8; 8];
            let n = bytes.len().min(8);
            buffer[..n].copy_from_slice(&bytes[..n]);
            let whole = bytes.len() <= 8 && !bytes.contains(&0);
            proptest::prop_assert_eq!(head(&bytes), (u64::from_be_bytes(buffer), whole));
        }
    }
}
