//! The JSON-lines writer: one JSON object per line — a hit, a document, a facet value, an
//! incident, a period, a batch row — each flushed as soon as it is written, so a consumer
//! (`jq`, a script reading a pipe) can start before the command ends. The objects have the
//! same keys as their counterparts in the JSON writer's lists.

use std::io::{self, Write};

use super::json::{BatchJson, DocRow, FacetRow, write};
use super::{Format, Render};
use crate::incidents::Incident;
use crate::incidents::timeline::Timeline;
use crate::index::StoredDoc;
use crate::search::census::BatchRow;
use crate::search::{FacetCounts, FacetField, SearchResults};

/// The JSON-lines writer.
pub struct Jsonl<W: Write> {
    w: W,
}

impl<W: Write> Jsonl<W> {
    pub fn new(w: W) -> Self {
        Jsonl { w }
    }

    fn lines<T: serde::Serialize>(&mut self, items: impl IntoIterator<Item = T>) -> io::Result<()> {
        for item in items {
            write(&mut self.w, &item)?;
            self.w.flush()?;
        }
        Ok(())
    }
}

impl<W: Write> Render for Jsonl<W> {
    fn format(&self) -> Format {
        Format::Jsonl
    }

    fn search(&mut self, r: &SearchResults, _offset: usize) -> io::Result<()> {
        self.lines(&r.hits)
    }

    fn docs(&mut self, docs: &[StoredDoc]) -> io::Result<()> {
        self.lines(docs.iter().map(DocRow::new))
    }

    fn facets(&mut self, counts: &FacetCounts, fields: &[FacetField]) -> io::Result<()> {
        self.lines(FacetRow::all(counts, fields))
    }

    fn events(&mut self, events: &[Incident], _total: usize) -> io::Result<()> {
        self.lines(events)
    }

    fn timeline(&mut self, t: &Timeline) -> io::Result<()> {
        self.lines(&t.buckets)
    }

    fn batch(&mut self, rows: &mut dyn Iterator<Item = BatchRow>) -> io::Result<()> {
        for row in rows {
            self.lines([BatchJson::new(&row)])?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}
