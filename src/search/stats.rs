//! BM25 statistics over one kind of record. An index holds passage records and whole-document
//! records side by side; tantivy's defaults would count both in every field's document count,
//! understating average lengths and skewing IDF. Each query is scored against the records it
//! can match.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::index::Fields;

/// [`Bm25StatisticsProvider`] whose document count is the number of passages.
pub(crate) struct RecordStatistics<'a> {
    searcher: &'a Searcher,
    records: u64,
}

impl<'a> RecordStatistics<'a> {
    /// Statistics over passages.
    pub fn passages(searcher: &'a Searcher, fields: &Fields) -> tantivy::Result<Self> {
        let records = searcher.doc_freq(&fields.passages_term())?;
        Ok(RecordStatistics {
            searcher,
            // An index of empty records still divides by something.
            records: records.max(1),
        })
    }
}

impl Bm25StatisticsProvider for RecordStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_tokens(self.searcher, field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.records)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}
