//! The addresses of every record a query matches, each checked against its segment: a
//! damaged postings file can name records past a segment's end, which tantivy's own
//! `DocSetCollector` passes on and every later read skips without a word (or looks up and
//! fails on with "Failed to lookup Doc").

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyError};

/// Collects the matching records' addresses, in segment and record order. A record past its
/// segment's end is a [`TantivyError::DataCorruption`] (the index is damaged).
pub struct Records;

pub struct SegmentRecords {
    segment: SegmentOrdinal,
    max_doc: DocId,
    docs: Vec<DocId>,
    /// The first record seen past the segment's end.
    beyond: Option<DocId>,
}

impl Collector for Records {
    type Fruit = Vec<DocAddress>;
    type Child = SegmentRecords;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentRecords> {
        Ok(SegmentRecords {
            segment,
            max_doc: reader.max_doc(),
            docs: Vec::new(),
            beyond: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentRecords>) -> tantivy::Result<Vec<DocAddress>> {
        let mut out = Vec::with_capacity(fruits.iter().map(|f| f.docs.len()).sum());
        for f in fruits {
            if let Some(doc) = f.beyond {
                return Err(TantivyError::DataCorruption(
                    tantivy::error::DataCorruption::comment_only(format!(
                        "a query matched record {doc} of segment {}, which holds {}",
                        f.segment, f.max_doc
                    )),
                ));
            }
            out.extend(f.docs.into_iter().map(|d| DocAddress::new(f.segment, d)));
        }
        out.sort_unstable();
        Ok(out)
    }
}

impl SegmentCollector for SegmentRecords {
    type Fruit = SegmentRecords;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if doc < self.max_doc {
            self.docs.push(doc);
        } else if self.beyond.is_none() {
            self.beyond = Some(doc);
        }
    }

    fn harvest(self) -> SegmentRecords {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty collector of segment `ordinal`, which holds three records.
    fn segment(ordinal: SegmentOrdinal) -> SegmentRecords {
        SegmentRecords {
            segment: ordinal,
            max_doc: 3,
            docs: Vec::new(),
            beyond: None,
        }
    }

    #[test]
    fn a_record_past_its_segment_is_damage_not_a_match() {
        let mut fine = segment(0);
        fine.collect(2, 0.0);
        fine.collect(0, 0.0);
        let mut damaged = segment(1);
        damaged.collect(1, 0.0);
        damaged.collect(127, 0.0);
        let found = Records.merge_fruits(vec![fine.harvest()]).unwrap();
        assert_eq!(found, vec![DocAddress::new(0, 0), DocAddress::new(0, 2)]);
        let mut fine = segment(0);
        fine.collect(0, 0.0);
        let err = Records
            .merge_fruits(vec![fine, damaged.harvest()])
            .unwrap_err();
        assert!(matches!(err, TantivyError::DataCorruption(_)), "{err}");
    }
}
