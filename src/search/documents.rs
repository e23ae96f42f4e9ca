//! Whole-document BM25 computed from the passages' postings, for ranking documents (as
//! `durand eval` does) without indexing every document a second time: a document's term
//! frequency is the sum over its passages (its title counted once), its length the sum of its
//! passages' lengths, and its document frequency the number of documents with the term.

use std::collections::HashMap;

use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use crate::analyzer::{analyzer, terms};
use crate::index::{DurandIndex, IndexError};

/// No document: a record that is not a live passage.
const NONE: u32 = u32::MAX;

/// Document lengths and the passage → document map, read once per index; then any number of
/// queries.
pub struct DocumentScorer<'a> {
    index: &'a DurandIndex,
    searcher: Searcher,
    /// Document ids by dense number.
    ids: Vec<String>,
    /// Per segment, per record: the document number of a live passage, or [`NONE`].
    owner: Vec<Vec<u32>>,
    /// Per document: title words plus the words of every passage.
    lengths: Vec<u32>,
    average: f32,
}

impl<'a> DocumentScorer<'a> {
    /// Reads the passage → document map and the document lengths (from the field norms).
    pub fn new(index: &'a DurandIndex) -> Result<Self, IndexError> {
        let searcher = index.reader.searcher();
        let f = &index.fields;
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let mut ids: Vec<String> = Vec::new();
        let mut text_len: Vec<u32> = Vec::new();
        let mut title_len: Vec<u32> = Vec::new();
        let mut owner = Vec::with_capacity(searcher.segment_readers().len());
        let id_terms = index.id_terms()?;
        for (segment, names) in searcher.segment_readers().iter().zip(id_terms) {
            // Dense numbers for this segment's id terms, shared with other segments.
            let by_ord: Vec<u32> = names
                .iter()
                .map(|name| {
                    *numbers.entry(name.as_str()).or_insert_with(|| {
                        ids.push(name.clone());
                        text_len.push(0);
                        title_len.push(0);
                        (ids.len() - 1) as u32
                    })
                })
                .collect();
            let column = segment.fast_fields().str("doc_id")?;
            let text_norms = segment.get_fieldnorms_reader(f.text)?;
            let title_norms = segment.get_fieldnorms_reader(f.title)?;
            let alive = segment.alive_bitset();
            let mut of_segment = vec![NONE; segment.max_doc() as usize];
            for record in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(record)) {
                    continue;
                }
                let Some(ord) = column.as_ref().and_then(|c| c.term_ords(record).next()) else {
                    continue;
                };
                let n = by_ord[ord as usize];
                of_segment[record as usize] = n;
                text_len[n as usize] += text_norms.fieldnorm(record);
                title_len[n as usize] = title_len[n as usize].max(title_norms.fieldnorm(record));
            }
            owner.push(of_segment);
        }
        let lengths: Vec<u32> = text_len
            .iter()
            .zip(&title_len)
            .map(|(text, title)| text + title)
            .collect();
        let total: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
        let average = (total as f32 / lengths.len().max(1) as f32).max(1.0);
        Ok(DocumentScorer {
            index,
            searcher,
            ids,
            owner,
            lengths,
            average,
        })
    }

    /// Documents containing any (or, with `all`, every) word of `query`, best first, with
    /// their BM25 scores; ties by id. Words are analysed as the index analyses text; there is
    /// no query syntax.
    pub fn rank(&self, query: &str, all: bool) -> tantivy::Result<Vec<(&str, f32)>> {
        let mut words: Vec<String> = terms(&mut analyzer(), query)
            .into_iter()
            .map(|t| t.text)
            .collect();
        words.sort_unstable();
        words.dedup();
        let f = &self.index.fields;
        // Per document: score and how many of the words it has.
        let mut scores: HashMap<u32, (f32, usize)> = HashMap::new();
        for word in &words {
            // Term frequencies per document: passages add up, the title counts once.
            let mut tf: HashMap<u32, u32> = HashMap::new();
            self.each_posting(f.text, word, |doc, freq| {
                *tf.entry(doc).or_default() += freq
            })?;
            let mut title_tf: HashMap<u32, u32> = HashMap::new();
            self.each_posting(f.title, word, |doc, freq| {
                let t = title_tf.entry(doc).or_default();
                *t = (*t).max(freq);
            })?;
            for (doc, freq) in title_tf {
                *tf.entry(doc).or_default() += freq;
            }
            let weight = Bm25Weight::for_one_term_without_explain(
                tf.len() as u64,
                self.ids.len() as u64,
                self.average,
            );
            for (doc, freq) in tf {
                let norm = tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(
                    self.lengths[doc as usize],
                );
                let s = scores.entry(doc).or_default();
                s.0 += weight.score(norm, freq);
                s.1 += 1;
            }
        }
        let mut ranked: Vec<(&str, f32)> = scores
            .into_iter()
            .filter(|(_, (_, found))| !all || *found == words.len())
            .map(|(doc, (score, _))| (self.ids[doc as usize].as_str(), score))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        Ok(ranked)
    }

    /// Calls `each(document, term frequency)` for every live passage with `word` in `field`.
    fn each_posting(
        &self,
        field: Field,
        word: &str,
        mut each: impl FnMut(u32, u32),
    ) -> tantivy::Result<()> {
        let term = Term::from_field_text(field, word);
        for (segment, owner) in self.searcher.segment_readers().iter().zip(&self.owner) {
            let inverted = segment.inverted_index(field)?;
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            let mut record = postings.doc();
            while record != TERMINATED {
                let doc = owner[record as usize];
                if doc != NONE {
                    each(doc, postings.term_freq());
                }
                record = postings.advance();
            }
        }
        Ok(())
    }
}
