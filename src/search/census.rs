//! Counts what a query matches in the whole collection, without ranking: passages, documents,
//! story groups and the first and last document date. These are the rows of `search --batch`
//! (a watchlist of names run at once) and the documents a saved search has already seen.

use tantivy::collector::Count;

use super::{Filters, Mode, ModeChoice, SearchError, SearchOptions, compile, filter_query, parse};
use crate::analysis::story::story_name;
use crate::date::PartialDate;
use crate::index::DurandIndex;
use crate::index::records::Records;

/// What one query matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Census {
    pub query: String,
    pub mode: Mode,
    /// Nothing had every word, so any word counted (as `search` falls back).
    pub fallback: bool,
    pub passages: usize,
    /// The ids of the documents, sorted.
    pub documents: Vec<String>,
    /// The story group of each of `documents` (same order), as [`crate::analysis::story::story_name`]
    /// names it in hits.
    pub document_stories: Vec<String>,
    /// Story groups (near-duplicate reports counted once).
    pub stories: usize,
    /// The earliest and latest document dates among the matches.
    pub first: Option<PartialDate>,
    pub last: Option<PartialDate>,
}

/// One line of a batch (`search --batch`): where it was, what it said, what it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    /// 1-based line number in the file.
    pub line: usize,
    /// The line as written (query and flags).
    pub text: String,
    pub census: Census,
}

/// Checks, without counting, that `options` can be counted over `index`: the query parses
/// and the filters resolve (a batch refuses a bad line before any row is written).
/// Checks filters alone (a batch's own, before they meet its lines): their values must name
/// what the index knows.
pub fn check_filters(index: &DurandIndex, filters: &Filters) -> Result<(), SearchError> {
    filter_query(index, filters).map(|_| ())
}

pub fn check(index: &DurandIndex, options: &SearchOptions) -> Result<(), SearchError> {
    let node = parse(options)?;
    let filter = filter_query(index, &options.filters)?;
    compile(index, &options.query, &node, Mode::All, filter.as_deref())?;
    Ok(())
}

/// Counts the matches of `options`' query and filters (its limit, offset and order do not
/// matter). Searches by meaning rank and have no count, so they are refused.
pub fn census(index: &DurandIndex, options: &SearchOptions) -> Result<Census, SearchError> {
    count(index, options).map_err(|e| e.in_index(index))
}

fn count(index: &DurandIndex, options: &SearchOptions) -> Result<Census, SearchError> {
    if options.semantic.is_some() {
        return Err(SearchError::Semantic(
            "a search by meaning ranks every passage and has no count; count by words".into(),
        ));
    }
    let searcher = index.reader.searcher();
    let node = parse(options)?;
    let filter = filter_query(index, &options.filters)?;
    let mut mode = match options.mode {
        ModeChoice::Any => Mode::Any,
        _ => Mode::All,
    };
    let mut compiled = compile(index, &options.query, &node, mode, filter.as_deref())?;
    let mut fallback = false;
    if options.mode == ModeChoice::Auto
        && node.any_mode_differs()
        && searcher.search(&compiled.query, &Count)? == 0
    {
        let any = compile(index, &options.query, &node, Mode::Any, filter.as_deref())?;
        if searcher.search(&any.query, &Count)? > 0 {
            (compiled, mode, fallback) = (any, Mode::Any, true);
        }
    }
    let addresses = searcher.search(&compiled.query, &Records)?;
    let ids = index.id_terms()?;
    let mut columns = Vec::with_capacity(searcher.segment_readers().len());
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        columns.push((
            ff.str("doc_id")?,
            ff.u64("story")?,
            ff.u64("date_lo").ok(),
            ff.u64("date_hi").ok(),
        ));
    }
    let mut documents = std::collections::BTreeMap::new();
    let mut stories = rustc_hash::FxHashSet::default();
    // Date bounds (`YYYYMMDD` from, to) of the earliest and the latest document.
    let mut first: Option<(u64, u64)> = None;
    let mut last: Option<(u64, u64)> = None;
    for address in &addresses {
        let (doc_ids, story, lo, hi) = &columns[address.segment_ord as usize];
        let doc = address.doc_id;
        let story = story.first(doc);
        if let Some(term) = doc_ids.as_ref().and_then(|c| c.term_ords(doc).next()) {
            documents.insert(
                ids[address.segment_ord as usize][term as usize].as_str(),
                story.unwrap_or_default(),
            );
        }
        if let Some(s) = story {
            stories.insert(s);
        }
        if let (Some(lo), Some(hi)) = (
            lo.as_ref().and_then(|c| c.first(doc)),
            hi.as_ref().and_then(|c| c.first(doc)),
        ) {
            if first.is_none_or(|f| (lo, hi) < f) {
                first = Some((lo, hi));
            }
            if last.is_none_or(|l| (hi, lo) > (l.1, l.0)) {
                last = Some((lo, hi));
            }
        }
    }
    let date = |b: Option<(u64, u64)>| b.and_then(|(lo, hi)| PartialDate::from_bounds(lo, hi));
    Ok(Census {
        query: options.query.clone(),
        mode,
        fallback,
        passages: addresses.len(),
        document_stories: documents.values().map(|&s| story_name(s)).collect(),
        documents: documents.into_keys().map(str::to_string).collect(),
        stories: stories.len(),
        first: date(first),
        last: date(last),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestIndex;

    #[test]
    fn counts_passages_documents_stories_and_dates() {
        let t = TestIndex::new(&[
            (
                "a",
                "Shelling in Kunar",
                "2023-01-05",
                "Shells fell on a village in Kunar.",
            ),
            (
                "b",
                "Kunar once more",
                "2023-03",
                "Kunar saw fighting near the border again.",
            ),
            (
                "c",
                "Elsewhere",
                "2022",
                "Nothing about the border here at all.",
            ),
            ("d", "Undated", "", "A report from Kunar with no date."),
        ]);
        let c = census(&t.index, &SearchOptions::new("kunar")).unwrap();
        assert_eq!(c.documents, ["a", "b", "d"]);
        assert!(c.passages >= 3);
        assert!((1..=3).contains(&c.stories));
        assert_eq!(c.first.unwrap().to_string(), "2023-01-05");
        assert_eq!(c.last.unwrap().to_string(), "2023-03");
        assert!(!c.fallback);

        let none = census(&t.index, &SearchOptions::new("zzyzx")).unwrap();
        assert_eq!((none.passages, none.documents.len()), (0, 0));
        assert_eq!(none.first, None);

        // All words, then any word, as search does.
        let any = census(&t.index, &SearchOptions::new("kunar zzyzx")).unwrap();
        assert!(any.fallback);
        assert_eq!(any.documents.len(), 3);

        // Filters apply; and a search by meaning has no count.
        let mut o = SearchOptions::new("border");
        o.filters.docs = Some(vec!["c".into()]);
        assert_eq!(census(&t.index, &o).unwrap().documents, ["c"]);
        o.semantic = Some(crate::search::hybrid::SemanticQuery {
            vector: vec![],
            only: true,
            fusion: crate::search::hybrid::DEFAULT_FUSION,
        });
        assert!(census(&t.index, &o).is_err());
    }
}
