//! The index as files the browser fetches on demand.
//!
//! A query needs the postings of a few terms and the records of the ten
//! documents it shows, never the whole index. So:
//! - terms, sorted, are cut into *shards* of about [`Layout::shard_bytes`];
//!   the manifest lists where each shard starts (a short separator), so the browser finds
//!   the one shard that holds a term (or the few that hold the terms
//!   starting with a prefix) by binary search. A term with more postings
//!   than a shard holds gets a shard of its own.
//! - documents are stored in chunks of a fixed number of documents, so the
//!   browser computes the chunk of a document from its number.
//!
//! Terms are sorted by their UTF-16 code units, the order in which
//! JavaScript compares strings, so the browser's binary search agrees.
//!
//! A shard file (`search/terms/N.bin`) is binary, all integers unsigned
//! LEB128 varints:
//! ```text
//! "LTS1"  count
//! count × (shared  suffix-length  suffix  postings-count  postings-bytes)
//! count × postings: postings-count document-number gaps (the first from 0),
//!                   then postings-count impact bytes
//! ```
//! where a term is the first `shared` bytes of the previous term's UTF-8
//! followed by `suffix`.
//!
//! The files are made in parallel and each is handed to a writer as soon
//! as it is made, then dropped, so that the index's bytes (tens of
//! megabytes on a large site) are never all in memory.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::hash::Hasher;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde::Serialize;

use super::documents::SearchDocument;
use super::index::{FILTER_PREFIX, Postings, PostingsRef, Scored, TermTexts};
use super::query::{EXACT_BONUS, PREFIX_TERMS, PREFIX_WEIGHT};

/// The version of the file format, checked by the browser.
pub const FORMAT: u32 = 1;
const SHARD_MAGIC: &[u8; 4] = b"LTS1";

/// How the index is cut into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Target size of a shard, in bytes before compression.
    pub shard_bytes: usize,
    /// Target size of a chunk of documents, in bytes before compression.
    pub chunk_bytes: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            shard_bytes: 32 * 1024,
            chunk_bytes: 12 * 1024,
        }
    }
}

/// One output file: path relative to the output root, and its bytes.
pub type File = (String, Vec<u8>);

/// Takes each file as it is made: its path relative to the output root,
/// and its bytes. Called from any thread.
pub type WriteFile<'w, E> = dyn Fn(&str, &[u8]) -> Result<(), E> + Sync + 'w;

/// What the browser reads first: where everything is, and how to rank.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    format: u32,
    /// Changes whenever any index file changes; appended to file URLs so
    /// that a browser never mixes a cached shard with a new manifest.
    version: String,
    documents: usize,
    /// Documents per chunk: document `n` is in chunk `n / chunk_size`.
    chunk_size: usize,
    /// Where each shard starts: shard `n` holds the terms from
    /// `shards[n]` (included) to `shards[n + 1]` (excluded).
    shards: Vec<&'a str>,
    max_score: f64,
    prefix_weight: f64,
    exact_bonus: f64,
    prefix_terms: usize,
    /// Traditional → simplified pairs the query needs, as one string:
    /// traditional, simplified, traditional, simplified…
    fold: String,
    /// The earliest and latest year of the year filter.
    years: Option<(i32, i32)>,
}

/// A document as the results list shows it.
#[derive(Debug, Serialize)]
struct StoredDocument<'a> {
    /// URL.
    u: &'a str,
    /// Title.
    t: &'a str,
    /// Kind: the type filter's value.
    k: &'a str,
    /// Kind label.
    l: &'a str,
    /// Displayed date.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    /// 档号.
    #[serde(skip_serializing_if = "Option::is_none")]
    r: Option<&'a str>,
    /// Texts to cut the snippet from.
    x: Vec<&'a str>,
}

/// The value and label of one filter choice, with how many documents it selects.
#[derive(Debug, Serialize, PartialEq)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: usize,
}

/// The choices of the filters, fetched when a visitor opens them.
#[derive(Debug, Serialize, Default, PartialEq)]
pub struct Facets {
    pub types: Vec<FacetValue>,
    pub tags: Vec<FacetValue>,
    pub people: Vec<FacetValue>,
    pub places: Vec<FacetValue>,
}

/// The files of `index` under `search/`, all in memory, by path.
pub fn files(index: &Scored<'_>, facets: &Facets, fold: String, layout: Layout) -> Vec<File> {
    collect_files(|write| write_files(index, facets, fold, layout, write))
}

/// The files that `make` hands to its writer, by path.
pub fn collect_files(
    make: impl FnOnce(&WriteFile<'_, Infallible>) -> Result<(), Infallible>,
) -> Vec<File> {
    let files = Mutex::new(Vec::new());
    let Ok(()) = make(&|path, bytes| {
        let mut files = files.lock().unwrap_or_else(PoisonError::into_inner);
        files.push((path.to_string(), bytes.to_vec()));
        Ok(())
    });
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Writes `index` as files under `search/`, handing each to `write` as
/// soon as it is made; stops at the first error `write` returns.
pub fn write_files<E: Send>(
    index: &Scored<'_>,
    facets: &Facets,
    fold: String,
    layout: Layout,
    write: &WriteFile<'_, E>,
) -> Result<(), E> {
    let terms = utf16_order(index.texts());
    let shards = cut_shards(&term_sizes(index, &terms), layout.shard_bytes);
    let mut fences: Vec<&str> = Vec::new();
    let mut last: &str = "";
    for (n, shard) in shards.iter().enumerate() {
        let first = terms.first_of(shard.clone()).unwrap_or_default();
        fences.push(if n == 0 { "" } else { separator(last, first) });
        last = terms.last_of(shard.clone()).unwrap_or_default();
    }
    // The version hashes every file's hash, in order.
    let mut version = Version::default();
    version.stream(
        shards.len(),
        &|n| {
            let shard = shard_bytes(index, &terms, shards[n].clone());
            (format!("search/terms/{n}.bin"), shard)
        },
        write,
    )?;
    drop(shards);
    let chunk_size = chunk_size(&index.documents, layout.chunk_bytes);
    let chunks: Vec<&[SearchDocument<'_>]> = index.documents.chunks(chunk_size).collect();
    version.stream(
        chunks.len(),
        &|n| {
            let stored: Vec<StoredDocument> = chunks[n].iter().map(stored).collect();
            (format!("search/docs/{n}.json"), to_json(&stored))
        },
        write,
    )?;
    let (path, bytes) = ("search/facets.json", to_json(facets));
    write(path, &bytes)?;
    version.add(file_hash(path, &bytes));
    let manifest = Manifest {
        format: FORMAT,
        version: version.finish(),
        documents: index.documents.len(),
        chunk_size,
        shards: fences,
        max_score: index.quantizer.max_score,
        prefix_weight: PREFIX_WEIGHT,
        exact_bonus: EXACT_BONUS,
        prefix_terms: PREFIX_TERMS,
        fold,
        years: year_range(index),
    };
    write("search/index.json", &to_json(&manifest))
}

/// The manifest's version: a hash of the files' hashes, in order, so that
/// the same index always gets the same version, while each file is hashed
/// in parallel, by the thread that made it.
#[derive(Default)]
struct Version {
    hasher: FxHasher,
}

impl Version {
    fn add(&mut self, file_hash: u64) {
        self.hasher.write_u64(file_hash);
    }

    /// The version as the manifest gives it: 16 hex digits.
    fn finish(&self) -> String {
        format!("{:016x}", self.hasher.finish())
    }

    /// Makes files `0..count` with `make`, in parallel, and writes them.
    fn stream<E: Send>(
        &mut self,
        count: usize,
        make: &(dyn Fn(usize) -> File + Sync),
        write: &WriteFile<'_, E>,
    ) -> Result<(), E> {
        let hashes: Vec<u64> = (0..count)
            .into_par_iter()
            .map(|n| {
                let (path, bytes) = make(n);
                write(&path, &bytes).map(|()| file_hash(&path, &bytes))
            })
            .collect::<Result<_, E>>()?;
        for hash in hashes {
            self.add(hash);
        }
        Ok(())
    }
}

/// A file's path and bytes, hashed: stable for the same build of lantai.
fn file_hash(path: &str, bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(path.as_bytes());
    hasher.write_usize(bytes.len());
    hasher.write(bytes);
    hasher.finish()
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

fn stored<'d>(doc: &'d SearchDocument<'_>) -> StoredDocument<'d> {
    StoredDocument {
        u: &doc.url,
        t: &doc.title,
        k: doc.kind,
        l: doc.kind_label,
        d: doc.date.as_deref(),
        r: doc.reference.as_deref(),
        x: doc.snippet_texts(),
    }
}

/// Documents per chunk, so that an average chunk is about `target` bytes.
fn chunk_size(documents: &[SearchDocument<'_>], target: usize) -> usize {
    if documents.is_empty() {
        return 1;
    }
    let total: usize = documents
        .iter()
        .map(|d| {
            d.title.len()
                + d.url.len()
                + d.snippet_texts().iter().map(|t| t.len()).sum::<usize>()
                + 64
        })
        .sum();
    (target * documents.len() / total.max(1)).max(1)
}

fn year_range(index: &Scored<'_>) -> Option<(i32, i32)> {
    let prefix = format!("{FILTER_PREFIX}year:");
    let texts = index.texts();
    let years: Vec<i32> = texts
        .with_prefix(&prefix)
        .filter_map(|t| texts.term(t)[prefix.len()..].parse().ok())
        .collect();
    Some((*years.iter().min()?, *years.iter().max()?))
}

/// The terms in the order of their UTF-16 code units. The index keeps
/// them in UTF-8 order, which is the same unless a term holds a character
/// beyond U+FFFF (4 bytes in UTF-8, a surrogate pair in UTF-16).
fn utf16_order(terms: &TermTexts) -> Ordered<'_> {
    let astral = (0..terms.len()).any(|t| terms.term(t).bytes().any(|b| b >= 0xF0));
    let order = astral.then(|| {
        let mut order: Vec<u32> = (0..terms.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (terms.term(a as usize), terms.term(b as usize));
            a.encode_utf16().cmp(b.encode_utf16())
        });
        order
    });
    Ordered { terms, order }
}

/// The terms of an index in another order, by position.
struct Ordered<'a> {
    terms: &'a TermTexts,
    /// The term at each position, when not the index's own order.
    order: Option<Vec<u32>>,
}

impl<'a> Ordered<'a> {
    /// The number of the term at position `n`.
    fn number(&self, n: usize) -> usize {
        self.order.as_ref().map_or(n, |order| order[n] as usize)
    }

    /// The term at position `n`.
    fn get(&self, n: usize) -> &'a str {
        self.terms.term(self.number(n))
    }

    fn first_of(&self, range: Range<usize>) -> Option<&'a str> {
        (!range.is_empty()).then(|| self.get(range.start))
    }

    fn last_of(&self, range: Range<usize>) -> Option<&'a str> {
        (!range.is_empty()).then(|| self.get(range.end - 1))
    }
}

/// The bytes each term takes in a shard ([`term_bytes`]), in the order of
/// `terms`. The postings are copied out a few thousand terms at a time.
fn term_sizes(index: &Scored<'_>, terms: &Ordered<'_>) -> Vec<u32> {
    let texts = index.texts();
    let by_number: Vec<u32> = index
        .ranges(rayon::current_num_threads() * 64)
        .into_par_iter()
        .flat_map_iter(|range| {
            let filled = index.fill(range.clone());
            range
                .enumerate()
                .map(|(i, t)| {
                    // A term of 4 GiB gets a shard of its own either way.
                    u32::try_from(term_bytes(texts.term(t), filled.postings(i))).unwrap_or(u32::MAX)
                })
                .collect::<Vec<u32>>()
        })
        .collect();
    match &terms.order {
        None => by_number,
        Some(order) => order.iter().map(|&t| by_number[t as usize]).collect(),
    }
}

/// The shard of the terms at positions `shard`, their postings copied out
/// a run of consecutive terms at a time: one run, unless a term beyond
/// the basic plane moved.
fn shard_bytes(index: &Scored<'_>, terms: &Ordered<'_>, shard: Range<usize>) -> Vec<u8> {
    let mut runs = Vec::new();
    let mut at = shard.start;
    while at < shard.end {
        let first = terms.number(at);
        let mut end = at + 1;
        while end < shard.end && terms.number(end) == first + (end - at) {
            end += 1;
        }
        runs.push((first, index.fill(first..first + (end - at))));
        at = end;
    }
    let texts = index.texts();
    let terms: Vec<(&str, PostingsRef<'_>)> = runs
        .iter()
        .flat_map(|(first, filled)| {
            (0..filled.len()).map(move |i| (texts.term(first + i), filled.postings(i)))
        })
        .collect();
    encode_shard(terms)
}

/// Bytes a term takes in a shard (its head counted without front coding).
fn term_bytes(term: &str, postings: PostingsRef<'_>) -> usize {
    let mut previous = 0;
    let gaps: usize = postings
        .documents
        .iter()
        .map(|&d| {
            let gap = d - previous;
            previous = d;
            varint_len(u64::from(gap))
        })
        .sum();
    term.len() + 8 + gaps + postings.len()
}

fn varint_len(value: u64) -> usize {
    (64 - value.leading_zeros() as usize).max(1).div_ceil(7)
}

fn utf16(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

/// The shortest start of `first` that sorts after `previous`: enough for
/// the browser to tell which shard a term is in, and shorter than whole
/// terms, so the manifest stays small.
fn separator<'a>(previous: &str, first: &'a str) -> &'a str {
    let previous = utf16(previous);
    for (end, _) in first.char_indices().skip(1) {
        if utf16(&first[..end]) > previous {
            return &first[..end];
        }
    }
    first
}

/// Cuts the terms, given the bytes each takes, into shards of about
/// `target` bytes: the ranges of positions each shard holds.
fn cut_shards(sizes: &[u32], target: usize) -> Vec<Range<usize>> {
    let mut shards = Vec::new();
    let mut start = 0;
    let mut size = 0usize;
    for (n, &bytes) in sizes.iter().enumerate() {
        let bytes = bytes as usize;
        if n > start && size + bytes > target {
            shards.push(start..n);
            start = n;
            size = 0;
        }
        size += bytes;
    }
    if start < sizes.len() || shards.is_empty() {
        shards.push(start..sizes.len());
    }
    shards
}

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn encode_postings(out: &mut Vec<u8>, postings: PostingsRef<'_>) {
    let mut previous = 0u32;
    for &document in postings.documents {
        varint(out, u64::from(document - previous));
        previous = document;
    }
    out.extend_from_slice(postings.impacts);
}

fn encode_shard<'a, I>(terms: I) -> Vec<u8>
where
    I: IntoIterator<Item = (&'a str, PostingsRef<'a>)>,
    I::IntoIter: ExactSizeIterator,
{
    let terms = terms.into_iter();
    let mut head = Vec::new();
    let mut blobs = Vec::new();
    head.extend_from_slice(SHARD_MAGIC);
    varint(&mut head, terms.len() as u64);
    let mut previous: &[u8] = &[];
    for (term, postings) in terms {
        let bytes = term.as_bytes();
        let shared = previous
            .iter()
            .zip(bytes)
            .take_while(|(a, b)| a == b)
            .count();
        varint(&mut head, shared as u64);
        varint(&mut head, (bytes.len() - shared) as u64);
        head.extend_from_slice(&bytes[shared..]);
        let start = blobs.len();
        encode_postings(&mut blobs, postings);
        varint(&mut head, postings.len() as u64);
        varint(&mut head, (blobs.len() - start) as u64);
        previous = bytes;
    }
    head.extend_from_slice(&blobs);
    head
}

/// Decodes a shard back into terms and postings: the reader the browser
/// implements, kept here to test the format.
pub fn decode_shard(bytes: &[u8]) -> Option<BTreeMap<String, Postings>> {
    fn read(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let byte = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
            shift += 7;
            if shift > 63 {
                return None;
            }
        }
    }
    if bytes.get(..4)? != SHARD_MAGIC {
        return None;
    }
    let mut at = 4;
    let count = read(bytes, &mut at)? as usize;
    let mut heads = Vec::with_capacity(count);
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let shared = read(bytes, &mut at)? as usize;
        let suffix = read(bytes, &mut at)? as usize;
        let mut term = previous.get(..shared)?.to_vec();
        term.extend_from_slice(bytes.get(at..at + suffix)?);
        at += suffix;
        let n = read(bytes, &mut at)? as usize;
        let len = read(bytes, &mut at)? as usize;
        heads.push((term.clone(), n, len));
        previous = term;
    }
    let mut terms = BTreeMap::new();
    for (term, n, len) in heads {
        let blob = bytes.get(at..at + len)?;
        at += len;
        let mut inner = 0;
        let mut postings = Postings::default();
        let mut document = 0u64;
        for _ in 0..n {
            document += read(blob, &mut inner)?;
            postings.documents.push(u32::try_from(document).ok()?);
        }
        postings.impacts = blob.get(inner..inner + n)?.to_vec();
        terms.insert(String::from_utf8(term).ok()?, postings);
    }
    Some(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(documents: &[u32]) -> Postings {
        Postings {
            documents: documents.to_vec(),
            impacts: documents.iter().map(|&d| (d % 250) as u8 + 1).collect(),
        }
    }

    #[test]
    fn shards_round_trip() {
        let (a, b, c) = ("陈望", "陈独", "d2-1-1920-001");
        let (pa, pb, pc) = (
            postings(&[0, 5, 300]),
            postings(&[7]),
            postings(&[1, 2, 100000]),
        );
        let encoded = encode_shard([(c, pc.as_ref()), (a, pa.as_ref()), (b, pb.as_ref())]);
        let decoded = decode_shard(&encoded).expect("a valid shard");
        assert_eq!(decoded.len(), 3);
        assert_eq!(decoded[a], pa);
        assert_eq!(decoded[b], pb);
        assert_eq!(decoded[c], pc);
    }

    #[test]
    fn shards_are_cut_by_size_and_big_terms_stand_alone() {
        let names: Vec<String> = (0..100).map(|i| format!("t{i:03}")).collect();
        let small = postings(&[1, 2, 3]);
        let big = postings(&(0..1000).collect::<Vec<u32>>());
        let mut terms: Vec<(&str, PostingsRef)> =
            names.iter().map(|n| (n.as_str(), small.as_ref())).collect();
        terms[50].1 = big.as_ref();
        let sizes: Vec<u32> = terms
            .iter()
            .map(|&(term, postings)| term_bytes(term, postings) as u32)
            .collect();
        let shards = cut_shards(&sizes, 200);
        assert!(shards.len() > 5);
        assert!(
            shards
                .iter()
                .any(|s| s.len() == 1 && terms[s.start].0 == "t050")
        );
        let total: usize = shards.iter().map(ExactSizeIterator::len).sum();
        assert_eq!(total, 100);
    }

    #[test]
    fn separators_are_short_and_between_shards() {
        assert_eq!(separator("陈望道", "陈独秀"), "陈独");
        assert_eq!(separator("d2-1-1920", "d2-2-1921"), "d2-2");
        assert_eq!(separator("abc", "abd"), "abd");
        assert_eq!(separator("a", "b"), "b");
    }

    #[test]
    fn term_bytes_are_exact_for_the_postings() {
        let term = "t";
        let p = postings(&[0, 5, 300, 100_000]);
        let encoded = encode_shard([(term, p.as_ref())]);
        // Magic, count, shared, suffix length, suffix, count, blob length: 10 bytes.
        assert_eq!(encoded.len() - 10 + 1 + 8, term_bytes(term, p.as_ref()));
    }

    #[test]
    fn terms_beyond_the_basic_plane_sort_as_in_javascript() {
        use crate::search::documents::{Field, SearchDocument};
        use crate::search::index::Index;
        let document = SearchDocument {
            url: "/a/".to_string(),
            title: "a".into(),
            kind: "page",
            kind_label: "页面",
            date: None,
            reference: None,
            fields: vec![(Field::Description, "𠀀 \u{FFE8}x ｱ".into())],
            exact: Vec::new(),
            filters: Vec::new(),
        };
        let index = Index::build(vec![document]);
        let order = utf16_order(index.terms.texts());
        let ordered: Vec<Vec<u16>> = (0..index.terms.len())
            .map(|n| utf16(order.get(n)))
            .collect();
        assert!(ordered.windows(2).all(|w| w[0] < w[1]));
        let utf8: Vec<&str> = index.terms.iter().map(|(t, _)| t).collect();
        assert!(utf8.windows(2).all(|w| w[0] < w[1]));
        assert_ne!(ordered, utf8.iter().map(|t| utf16(t)).collect::<Vec<_>>());
    }

    #[test]
    fn varints_encode_little_endian_groups() {
        let mut out = Vec::new();
        varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
    }

    #[test]
    fn an_empty_site_gets_a_valid_empty_index() {
        let index = Scored::build(Vec::new());
        let files = files(&index, &Facets::default(), String::new(), Layout::default());
        let manifest = files
            .iter()
            .find(|(path, _)| path == "search/index.json")
            .map(|(_, bytes)| serde_json::from_slice::<serde_json::Value>(bytes))
            .and_then(Result::ok)
            .expect("a manifest");
        assert_eq!(manifest["documents"], 0);
        assert_eq!(manifest["shards"], serde_json::json!([""]));
        assert_eq!(manifest["years"], serde_json::Value::Null);
        let shard = files
            .iter()
            .find(|(path, _)| path == "search/terms/0.bin")
            .and_then(|(_, bytes)| decode_shard(bytes))
            .expect("one shard");
        assert!(shard.is_empty());
    }

    #[test]
    fn the_version_follows_the_bytes_of_every_file() {
        use crate::search::documents::{Field, SearchDocument};
        let version = |texts: &[&str]| {
            let documents = texts
                .iter()
                .enumerate()
                .map(|(n, text)| SearchDocument {
                    url: format!("/{n}/"),
                    title: "题".into(),
                    kind: "page",
                    kind_label: "页面",
                    date: None,
                    reference: None,
                    fields: vec![(Field::Description, (*text).into())],
                    exact: Vec::new(),
                    filters: Vec::new(),
                })
                .collect();
            let index = Scored::build(documents);
            // Small files, so that the index is many of them.
            let layout = Layout {
                shard_bytes: 16,
                chunk_bytes: 16,
            };
            let files = files(&index, &Facets::default(), String::new(), layout);
            assert!(files.len() > 6);
            files
                .iter()
                .find(|(path, _)| path == "search/index.json")
                .and_then(|(_, bytes)| serde_json::from_slice::<serde_json::Value>(bytes).ok())
                .map(|manifest| manifest["version"].clone())
                .expect("a manifest")
        };
        let texts = ["陈独秀", "李大钊", "毛泽东", "周恩来"];
        assert_eq!(version(&texts), version(&texts));
        // A change in a shard, and one in a stored document only.
        assert_ne!(
            version(&texts),
            version(&["陈独秀", "李大钊", "毛泽东", "朱德"])
        );
        assert_ne!(
            version(&texts),
            version(&["陈独秀", "李大钊", "毛泽东", "周恩来 "])
        );
    }

    #[test]
    fn truncated_shards_are_rejected() {
        let encoded = encode_shard([("渔阳", postings(&[1, 2, 3]).as_ref())]);
        assert!(decode_shard(&encoded[..encoded.len() - 2]).is_none());
        assert!(decode_shard(b"nope").is_none());
    }
}
