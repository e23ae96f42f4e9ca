//! JSON output: exactly one JSON document per command on stdout, key names stable because
//! scripts depend on them.

use std::io::{self, Write};

use serde::Serialize;

use crate::date::Precision;
use crate::index::document::{DateSource, EntitySummary, RemovedText};
use crate::index::{StoredDoc, StoredPassage};
use crate::search::{FacetCount, FacetCounts};

/// Writes `value` as one line of JSON.
pub fn write<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    // `From` keeps the I/O error's kind, so a closed pipe is still recognised as one.
    serde_json::to_writer(&mut *w, value).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

/// A row of `durand docs --json`.
#[derive(Debug, Serialize)]
pub struct DocRow<'a> {
    pub doc: &'a str,
    pub title: &'a str,
    pub path: &'a str,
    pub date: Option<&'a str>,
    pub date_precision: Option<Precision>,
    pub passages: u32,
    pub provinces: &'a [String],
    pub groups: &'a [String],
    pub forces: &'a [String],
}

impl<'a> DocRow<'a> {
    pub fn new(d: &'a StoredDoc) -> Self {
        DocRow {
            doc: &d.doc_id,
            title: &d.meta.title,
            path: &d.path,
            date: d.date.as_deref(),
            date_precision: d.date_precision(),
            passages: d.meta.passages,
            provinces: &d.meta.provinces,
            groups: &d.meta.groups,
            forces: &d.meta.forces,
        }
    }
}

/// `durand docs --json`.
#[derive(Debug, Serialize)]
pub struct DocList<'a> {
    pub documents: Vec<DocRow<'a>>,
}

/// A passage in `durand show --json`.
#[derive(Debug, Serialize)]
pub struct ShowPassage<'a> {
    pub passage: u32,
    pub section: Option<&'a str>,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// `durand show --json`.
#[derive(Debug, Serialize)]
pub struct ShowDoc<'a> {
    pub doc: &'a str,
    pub title: &'a str,
    pub path: &'a str,
    pub date: Option<&'a str>,
    pub date_precision: Option<Precision>,
    pub date_source: Option<DateSource>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub byline: Option<&'a str>,
    pub dateline: Option<&'a str>,
    pub infobox: &'a [(String, String)],
    pub provinces: &'a [String],
    pub groups: &'a [String],
    pub forces: &'a [String],
    /// Every entity and date with the texts it was found as.
    pub entities: &'a [EntitySummary],
    pub passages: Vec<ShowPassage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<&'a [RemovedText]>,
}

impl<'a> ShowDoc<'a> {
    pub fn new(d: &'a StoredDoc, passages: &'a [StoredPassage], raw: bool) -> Self {
        ShowDoc {
            doc: &d.doc_id,
            title: &d.meta.title,
            path: &d.path,
            date: d.date.as_deref(),
            date_precision: d.date_precision(),
            date_source: d.meta.date_source,
            source: d.meta.source.as_deref(),
            url: d.meta.url.as_deref(),
            byline: d.meta.byline.as_deref(),
            dateline: d.meta.dateline.as_deref(),
            infobox: &d.meta.infobox,
            provinces: &d.meta.provinces,
            groups: &d.meta.groups,
            forces: &d.meta.forces,
            entities: &d.meta.entities,
            passages: passages
                .iter()
                .map(|p| ShowPassage {
                    passage: p.ord,
                    section: p.section.as_deref(),
                    start: p.start,
                    end: p.end,
                    text: &p.text,
                })
                .collect(),
            removed: raw.then_some(d.meta.removed.as_slice()),
        }
    }
}

/// `durand facets --json`: `{"facets":{"province":[{"value","count"}],…}}`.
#[derive(Debug, Serialize)]
pub struct Facets<'a> {
    pub facets: std::collections::BTreeMap<&'a str, &'a [FacetCount]>,
}

impl<'a> Facets<'a> {
    pub fn new(counts: &'a FacetCounts, fields: &[&'a str]) -> Self {
        Facets {
            facets: fields
                .iter()
                .filter_map(|f| counts.field(f).map(|c| (*f, c)))
                .collect(),
        }
    }
}
