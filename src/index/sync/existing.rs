//! What the index already holds: every document's stamp, and how to find its id and file
//! when a document turns out to be new, changed or gone.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::columnar::StrColumn;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, InvertedIndexReader, Searcher, TERMINATED, Term};

use crate::index::IndexError;
use crate::index::schema::{Fields, KIND_DOC};

/// What the index holds. Only stamps are loaded up front (the hot path: every unchanged
/// record of a re-read source is one stamp lookup); ids and files are looked up in the index
/// itself when a document is new or changed, or fetched in bulk for documents that vanished.
#[derive(Default)]
pub(super) struct Existing {
    /// Entry -> stamp.
    pub(super) stamps: Vec<u64>,
    /// Entry -> (segment, doc), in order, for binary search.
    places: Vec<(u32, DocId)>,
    pub(super) by_stamp: FxHashMap<u64, u32>,
    segments: Vec<ExistingSegment>,
}

struct ExistingSegment {
    keys: Arc<InvertedIndexReader>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    ids: StrColumn,
    files: StrColumn,
}

impl Existing {
    pub(super) fn len(&self) -> usize {
        self.stamps.len()
    }

    /// The entry of document `id`, looked up in the index's term dictionary.
    pub(super) fn find(
        &self,
        id: &str,
        field: tantivy::schema::Field,
    ) -> std::io::Result<Option<usize>> {
        let term = Term::from_field_text(field, id);
        for (s, seg) in self.segments.iter().enumerate() {
            let Some(mut postings) = seg.keys.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if seg.alive.as_ref().is_none_or(|a| a.is_alive(doc))
                    && let Ok(i) = self.places.binary_search(&(s as u32, doc))
                {
                    return Ok(Some(i));
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// The (id, file) of each of `entries`: one ordinal lookup each for a few, one pass over
    /// the dictionaries for many (a lookup decompresses a block).
    pub(super) fn ids_and_files(
        &self,
        entries: &[usize],
    ) -> std::io::Result<Vec<(String, String)>> {
        const BULK: usize = 64;
        let mut terms: Vec<Option<(Vec<String>, Vec<String>)>> = Vec::new();
        if entries.len() > BULK {
            for seg in &self.segments {
                terms.push(Some((column_terms(&seg.ids)?, column_terms(&seg.files)?)));
            }
        }
        let mut out = Vec::with_capacity(entries.len());
        for &e in entries {
            let (s, doc) = self.places[e];
            let seg = &self.segments[s as usize];
            let ord = |col: &StrColumn| col.term_ords(doc).next();
            let (id_ord, file_ord) = (ord(&seg.ids), ord(&seg.files));
            let mut id = String::new();
            let mut file = String::new();
            match terms.get(s as usize).and_then(Option::as_ref) {
                Some((ids, files)) => {
                    if let Some(o) = id_ord {
                        id = ids[o as usize].clone();
                    }
                    if let Some(o) = file_ord {
                        file = files[o as usize].clone();
                    }
                }
                None => {
                    if let Some(o) = id_ord {
                        seg.ids.ord_to_str(o, &mut id)?;
                    }
                    if let Some(o) = file_ord {
                        seg.files.ord_to_str(o, &mut file)?;
                    }
                }
            }
            out.push((id, file));
        }
        Ok(out)
    }
}

/// Every term of a string column, by ordinal. Streaming the dictionary once is far cheaper
/// than looking terms up one ordinal at a time (each lookup decompresses a block).
fn column_terms(column: &tantivy::columnar::StrColumn) -> std::io::Result<Vec<String>> {
    let mut terms = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while let Some((key, _)) = stream.next() {
        terms.push(String::from_utf8_lossy(key).into_owned());
    }
    Ok(terms)
}

/// Reads every document's stamp, and how to find its id and file later.
pub(super) fn existing_documents(
    searcher: &Searcher,
    fields: &Fields,
) -> Result<Existing, IndexError> {
    let mut out = Existing::default();
    for (s, segment) in searcher.segment_readers().iter().enumerate() {
        let ff = segment.fast_fields();
        let kind = ff.u64("kind")?;
        let fingerprint = ff.u64("fingerprint")?;
        let (Some(ids), Some(files)) = (ff.str("doc_key")?, ff.str("file")?) else {
            continue;
        };
        for doc in segment.doc_ids_alive() {
            if kind.first(doc) != Some(KIND_DOC) {
                continue;
            }
            let stamp = fingerprint.first(doc).unwrap_or(0);
            out.by_stamp.insert(stamp, out.stamps.len() as u32);
            out.stamps.push(stamp);
            out.places.push((s as u32, doc));
        }
        out.segments.push(ExistingSegment {
            keys: segment.inverted_index(fields.doc_key)?,
            alive: segment.alive_bitset().cloned(),
            ids,
            files,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestIndex;

    /// Every stored document is listed once with its stamp; its entry is found by id, and the
    /// ids and files of entries read back alike one at a time and in bulk.
    #[test]
    fn stored_documents_are_listed_found_by_id_and_named_alike_one_by_one_and_in_bulk() {
        let ids: Vec<String> = (0..70).map(|i| format!("doc-{i:02}")).collect();
        let docs: Vec<(&str, &str, &str, &str)> = ids
            .iter()
            .map(|id| (id.as_str(), "A title", "2024-01-01", "Text about Kunar."))
            .collect();
        let test = TestIndex::new(&docs);
        let searcher = test.index.reader.searcher();
        let fields = test.index.fields;
        let existing = existing_documents(&searcher, &fields).unwrap();
        assert_eq!(existing.len(), 70);
        let all: Vec<usize> = (0..existing.len()).collect();
        let bulk = existing.ids_and_files(&all).unwrap();
        let mut named: Vec<&str> = bulk.iter().map(|(id, _)| id.as_str()).collect();
        named.sort_unstable();
        assert_eq!(named, ids.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            bulk.iter().all(|(_, file)| file.ends_with("docs.jsonl")),
            "{bulk:?}"
        );
        for id in ["doc-00", "doc-41", "doc-69"] {
            let entry = existing.find(id, fields.doc_key).unwrap().expect("found");
            let one = existing.ids_and_files(&[entry]).unwrap();
            assert_eq!(one, vec![bulk[entry].clone()]);
            assert_eq!(one[0].0, id);
        }
        assert_eq!(existing.find("doc-70", fields.doc_key).unwrap(), None);
    }
}
