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

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::documents::{Field, SearchDocument};
use super::tokenize::{self, Term};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalization.
const B: f64 = 0.75;
/// Documents per parallel batch while building postings.
const BATCH: usize = 1024;

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
        let scaled = (1.0 + score.max(0.0)).ln() / (1.0 + self.max_score).ln() * 255.0;
        scaled.round().clamp(1.0, 255.0) as u8
    }

    pub fn score(&self, impact: u8) -> f64 {
        ((1.0 + self.max_score).ln() * f64::from(impact) / 255.0).exp() - 1.0
    }
}

/// The built index.
#[derive(Debug, Clone)]
pub struct Index {
    pub documents: Vec<SearchDocument>,
    /// Term text → postings.
    pub terms: BTreeMap<String, Postings>,
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

/// Counts every term of `document` per field into `counts` (emptied
/// first, and reused between documents to spare allocations), and returns
/// each field's length.
fn count_terms(
    document: &SearchDocument,
    counts: &mut FxHashMap<Term, FieldCounts>,
) -> FieldCounts {
    counts.clear();
    let mut lengths = [0u32; Field::COUNT];
    for (field, text) in &document.fields {
        let f = field.index();
        tokenize::index_terms(text, |term| {
            if term.counts_for_length() {
                lengths[f] += 1;
            }
            counts.entry(term).or_insert([0; Field::COUNT])[f] += 1;
        });
    }
    lengths
}

impl Index {
    /// Indexes `documents`, numbered in the order given.
    pub fn build(documents: Vec<SearchDocument>) -> Index {
        let n = documents.len();
        // First pass: document frequencies and field lengths.
        let (frequencies, length_sums) = documents
            .par_iter()
            .fold(
                || {
                    (
                        FxHashMap::default(),
                        [0u64; 2 * Field::COUNT],
                        FxHashMap::default(),
                    )
                },
                |(mut df, mut sums, mut counts), doc| {
                    let lengths = count_terms(doc, &mut counts);
                    for term in counts.drain().map(|(term, _)| term) {
                        *df.entry(term).or_default() += 1;
                    }
                    for (f, len) in lengths.into_iter().enumerate() {
                        sums[f] += u64::from(len);
                        sums[Field::COUNT + f] += u64::from(len > 0);
                    }
                    (df, sums, counts)
                },
            )
            .map(|(df, sums, _)| (df, sums))
            .reduce(
                || (FxHashMap::default(), [0; 2 * Field::COUNT]),
                |a, b| {
                    // Merge the smaller table into the larger.
                    if a.0.len() >= b.0.len() {
                        merge_frequencies(a, b)
                    } else {
                        merge_frequencies(b, a)
                    }
                },
            );
        // Averaged over the documents that have the field: most pages have
        // no transcription, and counting them would make every transcription
        // look long.
        let average: Vec<f64> = (0..Field::COUNT)
            .map(|f| {
                let having = length_sums[Field::COUNT + f].max(1) as f64;
                (length_sums[f] as f64 / having).max(1.0)
            })
            .collect();
        let quantizer = Quantizer {
            max_score: max_score(n),
        };
        // Number the terms, so the second pass emits flat (term, document,
        // impact) triples instead of growing a vector per term per batch.
        let mut numbers = frequencies;
        let mut frequency_of: Vec<u32> = Vec::with_capacity(numbers.len());
        let mut term_of: Vec<Term> = Vec::with_capacity(numbers.len());
        for (number, (term, value)) in numbers.iter_mut().enumerate() {
            frequency_of.push(*value);
            term_of.push(term.clone());
            *value = number as u32;
        }
        // Second pass: impacts, batch by batch, in document order.
        let batches: Vec<Vec<(u32, u32, u8)>> = documents
            .par_chunks(BATCH)
            .enumerate()
            .map(|(b, batch)| {
                let mut triples = Vec::new();
                let mut counts = FxHashMap::default();
                for (k, doc) in batch.iter().enumerate() {
                    let document = (b * BATCH + k) as u32;
                    let lengths = count_terms(doc, &mut counts);
                    for (term, tf) in counts.drain() {
                        let Some(&number) = numbers.get(&term) else {
                            continue;
                        };
                        let df = frequency_of[number as usize];
                        let score = bm25(n, df, &tf, &lengths, &average);
                        triples.push((number, document, quantizer.impact(score)));
                    }
                }
                triples
            })
            .collect();
        let mut terms = gather(&batches, &term_of);
        add_made_terms(&documents, &mut terms);
        Index {
            documents,
            terms,
            quantizer,
        }
    }

    /// Postings of a term, if any document holds it.
    pub fn postings(&self, term: &str) -> Option<&Postings> {
        self.terms.get(term)
    }

    /// Terms that start with `prefix` (itself included), in order.
    pub fn terms_with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Postings)> + 'a {
        self.terms
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(term, _)| term.starts_with(prefix))
    }
}

/// Postings from (term number, document, impact) triples given in
/// document order: a counting sort by term, which keeps document order.
fn gather(batches: &[Vec<(u32, u32, u8)>], term_of: &[Term]) -> BTreeMap<String, Postings> {
    let mut starts = vec![0usize; term_of.len() + 1];
    for &(term, _, _) in batches.iter().flatten() {
        starts[term as usize + 1] += 1;
    }
    for t in 1..starts.len() {
        starts[t] += starts[t - 1];
    }
    let total = starts[term_of.len()];
    let mut documents = vec![0u32; total];
    let mut impacts = vec![0u8; total];
    let mut next = starts.clone();
    for &(term, document, impact) in batches.iter().flatten() {
        let at = &mut next[term as usize];
        documents[*at] = document;
        impacts[*at] = impact;
        *at += 1;
    }
    term_of
        .iter()
        .enumerate()
        .map(|(t, term)| {
            let range = starts[t]..starts[t + 1];
            let postings = Postings {
                documents: documents[range.clone()].to_vec(),
                impacts: impacts[range].to_vec(),
            };
            (term.text(), postings)
        })
        .collect()
}

/// Document frequencies, then per field the sum of lengths and the number
/// of documents that have it, over a part of the documents.
type Frequencies = (FxHashMap<Term, u32>, [u64; 2 * Field::COUNT]);

fn merge_frequencies((mut a, mut sa): Frequencies, (b, sb): Frequencies) -> Frequencies {
    for (term, count) in b {
        *a.entry(term).or_default() += count;
    }
    for (x, y) in sa.iter_mut().zip(sb) {
        *x += y;
    }
    (a, sa)
}

fn idf(n: usize, df: u32) -> f64 {
    let (n, df) = (n as f64, f64::from(df));
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Weighted sum of per-field BM25 scores of one term in one document.
fn bm25(n: usize, df: u32, tf: &FieldCounts, lengths: &FieldCounts, average: &[f64]) -> f64 {
    let idf = idf(n, df);
    let fields = [
        Field::Title,
        Field::Reference,
        Field::Names,
        Field::Meta,
        Field::Description,
        Field::Transcription,
    ];
    fields
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

/// A bound on any posting's score: a term in one document only, matched
/// in every field.
fn max_score(n: usize) -> f64 {
    let weights: f64 = [
        Field::Title,
        Field::Reference,
        Field::Names,
        Field::Meta,
        Field::Description,
        Field::Transcription,
    ]
    .iter()
    .map(|f| f.weight())
    .sum();
    idf(n.max(1), 1) * (K1 + 1.0) * weights
}

/// Adds the exact-title and filter terms of every document.
fn add_made_terms(documents: &[SearchDocument], terms: &mut BTreeMap<String, Postings>) {
    for (number, doc) in documents.iter().enumerate() {
        let number = number as u32;
        let mut made: HashSet<String> = HashSet::new();
        made.extend(doc.exact.iter().filter_map(|t| exact_term(t)));
        made.insert(filter_term("type", doc.kind));
        made.extend(doc.filters.iter().map(|(f, v)| filter_term(f, v)));
        let mut made: Vec<String> = made.into_iter().collect();
        made.sort();
        for term in made {
            terms.entry(term).or_default().push(number, u8::MAX);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, description: &str) -> SearchDocument {
        SearchDocument {
            url: format!("/{title}/"),
            title: title.to_string(),
            kind: "document",
            kind_label: "文书",
            date: None,
            reference: None,
            fields: vec![
                (Field::Title, title.to_string()),
                (Field::Description, description.to_string()),
            ],
            exact: vec![title.to_string()],
            filters: vec![("year", "1921".to_string())],
        }
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
        let found: Vec<&String> = index.terms_with_prefix("d2-1").map(|(t, _)| t).collect();
        assert_eq!(found, ["d2-1-1920-001"]);
    }
}
