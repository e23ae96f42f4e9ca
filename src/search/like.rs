//! "More like this" (`durand similar DOC`): the passages of other documents that share a
//! document's distinctive words — its terms weighted by frequency in the document times
//! rarity in the collection (tantivy's `MoreLikeThisQuery`, Lucene's method) — and, when the
//! index keeps vectors, near its meaning: the mean of its passages' vectors. The result goes
//! through the same ranking, filters, story collapsing and writers as a search.

use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};

use super::SearchError;
use super::build::Compiled;
use crate::index::DurandIndex;

/// The most terms the query keeps (Lucene's default is 25).
const TERMS: usize = 30;
/// Words shorter than this are rarely what a document is about.
pub(super) const MIN_WORD: usize = 3;
/// Words no document is about: Lucene's English stop words (the index keeps them, for
/// phrases).
pub(super) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// `filter` (or every passage) without the passages of `doc_id`: a constant-score filter.
pub(super) fn excluding(
    index: &DurandIndex,
    doc_id: &str,
    filter: Option<Box<dyn Query>>,
) -> Box<dyn Query> {
    let base: Box<dyn Query> = filter.unwrap_or_else(|| {
        Box::new(TermQuery::new(
            index.fields.passages_term(),
            IndexRecordOption::Basic,
        ))
    });
    let itself = TermQuery::new(
        tantivy::Term::from_field_text(index.fields.doc_id, doc_id),
        IndexRecordOption::Basic,
    );
    super::build::const_score(Box::new(BooleanQuery::new(vec![
        (Occur::Must, base),
        (Occur::MustNot, Box::new(itself)),
    ])))
}

/// The query for documents like `doc_id` (the caller's `filter` leaves the document out).
pub(super) fn compile(
    index: &DurandIndex,
    doc_id: &str,
    filter: Option<&dyn Query>,
) -> Result<Compiled, SearchError> {
    let (doc, passages) = index
        .document(doc_id)?
        .ok_or_else(|| SearchError::NoDocument(doc_id.to_string()))?;
    let text: Vec<OwnedValue> = passages
        .iter()
        .map(|p| OwnedValue::Str(p.text.clone()))
        .collect();
    // tantivy's IDF for "more like this" divides by the live records while a term's count
    // still holds deleted ones until their segment merges, and asserts the order
    // (quickwit-oss/tantivy#2964): a term in more records than are alive is left out, as
    // the least distinctive of all.
    let alive: u64 = index
        .reader
        .searcher()
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.num_docs()))
        .sum();
    let like = MoreLikeThisQuery::builder()
        // A word of this document alone says nothing about any other.
        .with_min_doc_frequency(2)
        .with_max_doc_frequency(alive)
        .with_min_term_frequency(1)
        .with_max_query_terms(TERMS)
        .with_min_word_length(MIN_WORD)
        .with_stop_words(STOP_WORDS.iter().map(|w| w.to_string()).collect())
        .with_document_fields(vec![
            (
                index.fields.title,
                vec![OwnedValue::Str(doc.meta.title.clone())],
            ),
            (index.fields.text, text),
        ]);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(like))];
    if let Some(filter) = filter {
        clauses.push((Occur::Must, filter.box_clone()));
    }
    Ok(Compiled {
        query: Box::new(BooleanQuery::new(clauses)),
        proximity: None,
        patterns: Default::default(),
        entities: Vec::new(),
        concepts: Vec::new(),
        coordinated: false,
    })
}

/// The direction of `doc_id`'s meaning: the normalised mean of its passages' vectors, when
/// the index keeps them.
pub fn document_vector(index: &DurandIndex, doc_id: &str) -> Result<Option<Vec<f32>>, SearchError> {
    let Some(vectors) = index.vectors()? else {
        return Ok(None);
    };
    let (doc, passages) = index
        .document(doc_id)?
        .ok_or_else(|| SearchError::NoDocument(doc_id.to_string()))?;
    let keys: rustc_hash::FxHashSet<u64> = passages
        .iter()
        .map(|p| crate::embed::key(&doc.meta.title, &p.text))
        .collect();
    let mut sum: Vec<f32> = Vec::new();
    for stored in vectors.iter().filter(|v| keys.contains(&v.key)) {
        let v = stored.vector();
        if sum.is_empty() {
            sum = v;
        } else {
            sum.iter_mut().zip(v).for_each(|(s, x)| *s += x);
        }
    }
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm == 0.0 {
        return Ok(None);
    }
    sum.iter_mut().for_each(|x| *x /= norm);
    Ok(Some(sum))
}

#[cfg(test)]
mod tests {
    use crate::search::{SearchOptions, search};
    use crate::testing::TestIndex;

    #[test]
    fn finds_documents_that_share_rare_words_and_never_the_document_itself() {
        let t = TestIndex::new(&[
            (
                "a",
                "Drone strike in Kunar",
                "2023-01-05",
                "A drone strike hit a compound in Kunar. The drone strike killed militants near Asadabad.",
            ),
            (
                "b",
                "Another drone strike",
                "2023-02-01",
                "Officials said a drone strike near Asadabad in Kunar killed two militants.",
            ),
            (
                "c",
                "Cricket",
                "2023-02-02",
                "The cricket team won the final in Lahore after a long innings.",
            ),
            (
                "d",
                "Wheat prices",
                "2023-02-03",
                "Wheat prices rose in Lahore markets as the harvest failed.",
            ),
        ]);
        let mut o = SearchOptions::new("");
        o.like = Some("a".to_string());
        let r = search(&t.index, &o).unwrap();
        let docs: Vec<&str> = r.hits.iter().map(|h| h.doc.as_str()).collect();
        assert_eq!(docs.first(), Some(&"b"), "{docs:?}");
        assert!(!docs.contains(&"a"), "{docs:?}");
        assert!(!docs.contains(&"c"), "{docs:?}");

        o.like = Some("nope".to_string());
        assert!(search(&t.index, &o).is_err());
    }
}
