//! Answering a query: the rules `static/js/search.js` follows in the
//! browser, here over the in-memory [`Index`] so that ranking can be tested
//! in Rust. The constants travel to the browser in the manifest, so both
//! rank alike.
//!
//! 1. The query is tokenized like the text (see `tokenize.rs`). A document
//!    matches a term when it holds it; numbers, codes and longer Latin
//!    words also match terms that start with them, at [`PREFIX_WEIGHT`].
//! 2. Results are the documents that match every required term, scored by
//!    the sum of their impacts, plus the impacts of the optional pairs that
//!    join words typed apart (so `共产党 宣言` ranks 共产党宣言 first), plus
//!    [`EXACT_BONUS`] when the whole query is the document's title or one of
//!    its names. When no document matches every required term, the documents
//!    matching the most are shown, marked partial.
//! 3. Filters keep the documents that hold every filter term (for a year
//!    range: any year of the range).

use std::collections::{HashMap, HashSet};

use super::index::{Index, exact_term, filter_term};
use super::tokenize::{QueryTerm, query_terms};

/// What a prefix match counts, against an exact match of the same term.
pub const PREFIX_WEIGHT: f64 = 0.5;
/// Added when the query is a document's whole title or name.
pub const EXACT_BONUS: f64 = 1000.0;
/// At most this many terms are looked up for one prefix, in term order.
pub const PREFIX_TERMS: usize = 64;

/// The filters a visitor can set, as in the URL of the search page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// `letter`, `exhibit`, `person`…
    pub kind: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// Slugs.
    pub tag: Option<String>,
    pub person: Option<String>,
    pub place: Option<String>,
}

impl Filters {
    fn terms(&self) -> Vec<String> {
        let mut terms = Vec::new();
        let pairs = [
            ("type", &self.kind),
            ("tag", &self.tag),
            ("person", &self.person),
            ("place", &self.place),
        ];
        for (name, value) in pairs {
            if let Some(value) = value {
                terms.push(filter_term(name, value));
            }
        }
        terms
    }

    fn has_years(&self) -> bool {
        self.year_from.is_some() || self.year_to.is_some()
    }
}

/// One result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub document: u32,
    pub score: f64,
}

/// The results of a query, best first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// No document matched every term; these match some.
    pub partial: bool,
}

/// Answers `text` with `filters` over `index`.
pub fn search(index: &Index, text: &str, filters: &Filters) -> Results {
    let allowed = allowed_documents(index, filters);
    let terms = query_terms(text);
    if terms.is_empty() {
        // Filters alone list what they select, in catalogue order.
        let Some(allowed) = allowed else {
            return Results::default();
        };
        let mut documents: Vec<u32> = allowed.into_iter().collect();
        documents.sort_unstable();
        let hits = documents
            .into_iter()
            .map(|document| Hit {
                document,
                score: 0.0,
            })
            .collect();
        return Results {
            hits,
            partial: false,
        };
    }
    let required = terms.iter().filter(|t| t.required).count();
    // Per document: how many required terms it matches, and its score.
    let mut matched: HashMap<u32, (usize, f64)> = HashMap::new();
    for query_term in terms.iter().filter(|t| t.required) {
        for (d, score) in term_scores(index, query_term) {
            let entry = matched.entry(d).or_insert((0, 0.0));
            entry.0 += 1;
            entry.1 += score;
        }
    }
    if let Some(allowed) = &allowed {
        matched.retain(|d, _| allowed.contains(d));
    }
    let partial = !matched.values().any(|(count, _)| *count == required);
    if !partial {
        matched.retain(|_, (count, _)| *count == required);
    }
    // Optional terms only add to documents already found.
    for query_term in terms.iter().filter(|t| !t.required) {
        for (d, score) in term_scores(index, query_term) {
            if let Some(entry) = matched.get_mut(&d) {
                entry.1 += score;
            }
        }
    }
    let exact: HashSet<u32> = exact_term(text)
        .and_then(|t| index.postings(&t))
        .map(|p| p.documents.iter().copied().collect())
        .unwrap_or_default();
    let mut ranked: Vec<(usize, Hit)> = matched
        .into_iter()
        .map(|(document, (count, score))| {
            let bonus = if exact.contains(&document) {
                EXACT_BONUS
            } else {
                0.0
            };
            (
                count,
                Hit {
                    document,
                    score: score + bonus,
                },
            )
        })
        .collect();
    ranked.sort_by(|(ca, a), (cb, b)| {
        cb.cmp(ca)
            .then(b.score.total_cmp(&a.score))
            .then(a.document.cmp(&b.document))
    });
    Results {
        hits: ranked.into_iter().map(|(_, hit)| hit).collect(),
        partial,
    }
}

/// The score of each document matching one query term: its impact, or
/// for a prefix the best impact of the longer terms, at [`PREFIX_WEIGHT`].
fn term_scores(index: &Index, query_term: &QueryTerm) -> HashMap<u32, f64> {
    let q = index.quantizer;
    let term = query_term.term.text();
    let mut scores: HashMap<u32, f64> = HashMap::new();
    if let Some(postings) = index.postings(&term) {
        for (&d, &impact) in postings.documents.iter().zip(postings.impacts) {
            scores.insert(d, q.score(impact));
        }
    }
    if query_term.prefix {
        let longer = index
            .terms_with_prefix(&term)
            .filter(|(t, _)| *t != term)
            .take(PREFIX_TERMS);
        for (_, postings) in longer {
            for (&d, &impact) in postings.documents.iter().zip(postings.impacts) {
                let score = q.score(impact) * PREFIX_WEIGHT;
                let entry = scores.entry(d).or_insert(score);
                *entry = entry.max(score);
            }
        }
    }
    scores
}

/// The documents the filters allow, or `None` without filters.
fn allowed_documents(index: &Index, filters: &Filters) -> Option<HashSet<u32>> {
    let mut sets: Vec<HashSet<u32>> = filters
        .terms()
        .iter()
        .map(|term| {
            index
                .postings(term)
                .map(|p| p.documents.iter().copied().collect())
                .unwrap_or_default()
        })
        .collect();
    if filters.has_years() {
        let from = filters.year_from.unwrap_or(i32::MIN);
        let to = filters.year_to.unwrap_or(i32::MAX);
        let prefix = filter_term("year", "");
        let years: HashSet<u32> = index
            .terms_with_prefix(&prefix)
            .filter(|(term, _)| {
                term[prefix.len()..]
                    .parse::<i32>()
                    .is_ok_and(|year| (from..=to).contains(&year))
            })
            .flat_map(|(_, p)| p.documents.iter().copied())
            .collect();
        sets.push(years);
    }
    let mut sets = sets.into_iter();
    let first = sets.next()?;
    Some(sets.fold(first, |acc, set| acc.intersection(&set).copied().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::documents::SearchDocument;

    fn doc(
        title: &str,
        kind: &'static str,
        description: &str,
        year: i32,
    ) -> SearchDocument<'static> {
        crate::search::documents::test_document(title, kind, description, year)
    }

    fn index() -> Index<'static> {
        Index::build(vec![
            doc("共产党宣言译本", "document", "陈望道翻译共产党宣言", 1920),
            doc("陈望道", "person", "翻译家", 1891),
            doc(
                "渔阳里旧址",
                "photograph",
                "共产党早期组织在此发表宣言",
                1920,
            ),
            doc("南湖", "photograph", "D2-1-1921-001 红船", 1921),
        ])
    }

    fn titles(index: &Index, results: &Results) -> Vec<String> {
        results
            .hits
            .iter()
            .map(|h| index.documents[h.document as usize].title.to_string())
            .collect()
    }

    #[test]
    fn every_term_must_match() {
        let index = index();
        let results = search(&index, "共产党宣言", &Filters::default());
        // 渔阳里 has 共产党 and 宣言 apart, so not the pair 党宣.
        assert_eq!(titles(&index, &results), ["共产党宣言译本"]);
        assert!(!results.partial);
    }

    #[test]
    fn words_typed_apart_rank_higher_where_they_stand_together() {
        let index = Index::build(vec![
            // Shorter, so it would come first on the words alone.
            doc("甲", "document", "共产党发表宣言", 1920),
            doc("乙", "document", "共产党宣言的中文译本在上海出版", 1920),
        ]);
        let results = search(&index, "共产党 宣言", &Filters::default());
        assert_eq!(titles(&index, &results), ["乙", "甲"]);
        assert!(!results.partial);
    }

    #[test]
    fn an_exact_title_comes_first() {
        let index = index();
        let results = search(&index, "陈望道", &Filters::default());
        assert_eq!(titles(&index, &results), ["陈望道", "共产党宣言译本"]);
    }

    #[test]
    fn codes_match_by_prefix() {
        let index = index();
        let results = search(&index, "d2-1-19", &Filters::default());
        assert_eq!(titles(&index, &results), ["南湖"]);
    }

    #[test]
    fn partial_matches_when_nothing_matches_all() {
        let index = index();
        let results = search(&index, "陈望道 红船", &Filters::default());
        assert!(results.partial);
        assert_eq!(results.hits.len(), 3);
    }

    #[test]
    fn filters_narrow_and_list() {
        let index = index();
        let by_type = Filters {
            kind: Some("photograph".into()),
            ..Filters::default()
        };
        assert_eq!(
            titles(&index, &search(&index, "", &by_type)),
            ["渔阳里旧址", "南湖"]
        );
        let by_year = Filters {
            year_from: Some(1921),
            year_to: Some(1930),
            ..Filters::default()
        };
        assert_eq!(titles(&index, &search(&index, "", &by_year)), ["南湖"]);
        assert!(search(&index, "陈望道", &by_year).hits.is_empty());
    }

    #[test]
    fn no_terms_and_no_filters_find_nothing() {
        assert!(
            search(&index(), " ，。", &Filters::default())
                .hits
                .is_empty()
        );
    }
}
