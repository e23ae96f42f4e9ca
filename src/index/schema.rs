//! The tantivy schema: one tantivy document per passage (what search ranks) plus one record
//! per source document (what `show`, `docs` and incremental sync read).
//!
//! Passages carry the document id in `doc_id`, document records in `doc_key`, so no query on
//! passage fields can ever match a document record; replacing a document deletes both terms.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use tantivy::IndexSettings;

use crate::analyzer::ANALYZER_NAME;
use crate::tag::{EntityKind, PerKind};

/// Index settings: doc-store blocks of 4 KiB rather than tantivy's 16 KiB, because a search
/// reads ten passages from ten blocks and decompressing each block is most of that cost
/// (the index grows by a few percent; see BENCHMARKS.md).
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: 4096,
        ..IndexSettings::default()
    }
}

/// Bumped whenever the schema, what records store (the extractors' rules included: stored
/// figures and event types would otherwise stay as an older durand read them) or durand's own
/// files change; an index of another format is rebuilt.
pub const FORMAT_VERSION: u32 = 54;

/// `kind` value of a passage record.
pub const KIND_PASSAGE: u64 = 1;
/// `kind` value of a document record.
pub const KIND_DOC: u64 = 0;

/// Handles to every field, resolved once per opened index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// [`KIND_PASSAGE`] or [`KIND_DOC`].
    pub kind: Field,
    /// Document id, on passages.
    pub doc_id: Field,
    /// Document id, on document records.
    pub doc_key: Field,
    /// The source file a document was read from (for keeping the documents of a file that
    /// could not be read this time).
    pub file: Field,
    /// `file` or `file:line`.
    pub path: Field,
    /// The article's address, when the source gave one (passages: hits link to it without
    /// reading the document record).
    pub url: Field,
    pub ord: Field,
    pub title: Field,
    pub text: Field,
    pub section: Field,
    /// Document date, ISO 8601 at its precision.
    pub date: Field,
    /// Document date bounds as `YYYYMMDD`, for range filters.
    pub date_lo: Field,
    pub date_hi: Field,
    /// Passage byte range in the cleaned text.
    pub start: Field,
    pub end: Field,
    /// Content fingerprint (document records).
    pub fingerprint: Field,
    /// Everything else about a document, as JSON (document records).
    pub meta: Field,
    /// Per entity kind, the facet fields of its tags.
    pub entities: PerKind<EntityFields>,
    /// Year of the document date (0 when undated), for the year facet.
    pub year: Field,
    /// Hash of the document id: passages of one document share it (facet counts count
    /// documents, not passages).
    pub doc_hash: Field,
    /// The passage's mentions as JSON.
    pub mentions: Field,
    /// One token per entity mention in the passage ([`crate::tag::Mention::key`]), with
    /// frequencies: a query naming an entity matches every spelling with one term.
    pub mention_keys: Field,
    /// The same for the document's title, on every passage.
    pub title_keys: Field,
    /// The document's event types, as facets (`/suicide bombing`), on every passage.
    pub event_type: Field,
    /// The passage's event types with their ranges, as JSON.
    pub events: Field,
    /// The passage's casualty figures, as JSON.
    pub casualties: Field,
    /// The document's conflict death toll (0 when none), on every passage.
    pub killed: Field,
    /// The document's story group, on passages and document records; indexed, so that
    /// "+N similar" finds a story's documents without scanning a column per hit.
    pub story: Field,
    /// The bands of the document's MinHash signature (document records, a column):
    /// documents sharing one are candidates for the same story (`sync::stories`).
    pub story_band: Field,
    /// The document's MinHash signature (document records).
    pub minhash: Field,
    /// A hash of the text a passage's vector is made from ([`crate::embed::key`]): the
    /// vector store's key (`super::vectors`), on passages whether or not the index is semantic.
    pub vector_key: Field,
}

/// The two facet fields of one entity kind.
#[derive(Debug, Clone, Copy)]
pub struct EntityFields {
    /// The document's tags, on every passage (stored: hits show them). Named like the kind.
    pub document: Field,
    /// What the passage itself mentions. Named `p_` and the kind.
    pub passage: Field,
}

impl Fields {
    /// The facet field of `kind`'s tags: the passage's own (`in_passage`) or its document's.
    pub fn entity(&self, kind: EntityKind, in_passage: bool) -> Field {
        let f = self.entities.get(kind);
        if in_passage { f.passage } else { f.document }
    }

    /// The term every passage record has (and no document record).
    pub fn passages_term(&self) -> tantivy::Term {
        tantivy::Term::from_field_u64(self.kind, KIND_PASSAGE)
    }

    /// The term every document record has.
    pub fn documents_term(&self) -> tantivy::Term {
        tantivy::Term::from_field_u64(self.kind, KIND_DOC)
    }
}

/// The name of the passage facet field of `kind`.
fn passage_field(kind: EntityKind) -> String {
    format!("p_{}", kind.name())
}

/// Indexed as whole values (one token each), with frequencies, not stored.
fn keys() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

fn analyzed(stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema of [`FORMAT_VERSION`].
pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    b.add_u64_field("kind", INDEXED | FAST);
    b.add_text_field("doc_id", STRING | STORED | FAST);
    b.add_text_field("doc_key", STRING | STORED | FAST);
    b.add_text_field("file", STORED | FAST);
    b.add_text_field("path", STORED);
    b.add_text_field("url", STORED);
    b.add_u64_field("ord", STORED | FAST);
    b.add_text_field("title", analyzed(true));
    b.add_text_field("text", analyzed(true));
    b.add_text_field("section", analyzed(true));
    b.add_text_field("date", STORED);
    b.add_u64_field("date_lo", INDEXED | FAST);
    b.add_u64_field("date_hi", INDEXED | FAST);
    b.add_u64_field("start", STORED);
    b.add_u64_field("end", STORED);
    b.add_u64_field("fingerprint", STORED | FAST);
    b.add_text_field("meta", STORED);
    for kind in EntityKind::all() {
        b.add_facet_field(kind.name(), FacetOptions::default().set_stored());
    }
    for kind in EntityKind::all() {
        b.add_facet_field(&passage_field(kind), FacetOptions::default());
    }
    b.add_u64_field("year", INDEXED | FAST);
    b.add_u64_field("doc_hash", FAST);
    b.add_text_field("mentions", STORED);
    b.add_text_field("mention_keys", keys());
    b.add_text_field("title_keys", keys());
    b.add_facet_field("type", FacetOptions::default());
    b.add_text_field("events", STORED);
    b.add_text_field("casualties", STORED);
    b.add_u64_field("killed", INDEXED | FAST);
    b.add_u64_field("story", INDEXED | FAST | STORED);
    b.add_u64_field("story_band", FAST);
    b.add_bytes_field("minhash", STORED);
    b.add_u64_field("vector_key", FAST);
    b.build()
}

impl Fields {
    /// Resolves the fields of `schema`; fails on a schema of another format.
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        let mut entities = Vec::with_capacity(crate::tag::kinds::KIND_COUNT);
        for kind in EntityKind::all() {
            entities.push(EntityFields {
                document: f(kind.name())?,
                passage: f(&passage_field(kind))?,
            });
        }
        let mut entities = entities.into_iter();
        Ok(Fields {
            kind: f("kind")?,
            doc_id: f("doc_id")?,
            doc_key: f("doc_key")?,
            file: f("file")?,
            path: f("path")?,
            url: f("url")?,
            ord: f("ord")?,
            title: f("title")?,
            text: f("text")?,
            section: f("section")?,
            date: f("date")?,
            date_lo: f("date_lo")?,
            date_hi: f("date_hi")?,
            start: f("start")?,
            end: f("end")?,
            fingerprint: f("fingerprint")?,
            meta: f("meta")?,
            entities: PerKind::from_fn(|_| entities.next().expect("one per kind")),
            year: f("year")?,
            doc_hash: f("doc_hash")?,
            mentions: f("mentions")?,
            mention_keys: f("mention_keys")?,
            title_keys: f("title_keys")?,
            event_type: f("type")?,
            events: f("events")?,
            casualties: f("casualties")?,
            killed: f("killed")?,
            story: f("story")?,
            story_band: f("story_band")?,
            minhash: f("minhash")?,
            vector_key: f("vector_key")?,
        })
    }
}
