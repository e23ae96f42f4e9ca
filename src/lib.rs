//! durand: a full-text search engine for a folder of conflict-news articles about the
//! Afghanistan–Pakistan border.
//!
//! A document travels through the modules in this order:
//!
//! ```text
//! corpus   -> find sources, read .txt/.md/.jsonl(.gz), front matter   -> RawDoc
//! analysis -> the pipeline from raw text to facts:                    -> Analysed
//!   clean    -> title, page chrome and comments out, infobox, sections  -> CleanDoc
//!   passage  -> paragraphs and sentences, ~120 words at most            -> Passage
//!   tag      -> entities (kinds from tag::kinds) and dates              -> Mention
//!   analysis::events, ::casualty -> event types, casualty figures   -> Reported
//!   analysis::story -> MinHash signature for story groups              -> Signature
//! index    -> stores what analysis found: schema, records, generations, sync (story ids)
//! search   -> query language, filters, ranking, facets, snippets      -> SearchResults
//! incidents -> reports grouped into incidents; timelines              -> Incident
//! render   -> one writer per output format over any io::Write
//! remote   -> the passages as flat records on a Typesense cluster (push, search there)
//!             or for other engines (export)
//! ```
//!
//! `cli` holds clap's types and `app` one function per subcommand; they are the only layers
//! that know the command line or use `anyhow`, and `app` turns flags into the library's
//! options (`app/options.rs`). The binary (`src/main.rs`) only parses arguments and maps
//! errors to exit codes.
//!
//! Where things go:
//! - **a new entity kind**: an entry in `tag/kinds.rs` and its table in `tag/data/` (the four
//!   files it touches are listed in [`tag`]); fields, filters, query fields, facets and output
//!   follow from the registry;
//! - **a new fact about passages** (a figure, an event type): `analysis/`, stored by
//!   `index/document.rs`;
//! - **a new output format**: one file in `render/` implementing `render::Render`, a
//!   `render::Format` variant, the flag in `cli.rs` that picks it and its case where
//!   `app/options.rs` turns the flags into a format;
//! - **a new query operator**: the grammar in `search/query.rs` (a [`search::QueryError`]
//!   with a column for every mistake), its tantivy query in `search/build.rs`, and its
//!   Typesense translation, or a refusal naming it, in `remote/query.rs`.

pub mod analysis;
pub mod analyzer;
pub mod app;
pub mod bench;
pub mod clean;
pub mod cli;
pub(crate) mod corpus;
pub mod date;
pub mod embed;
pub(crate) mod eval;
pub(crate) mod incidents;
pub mod index;
pub mod passage;
pub(crate) mod remote;
pub(crate) mod render;
pub mod report;
pub(crate) mod saved;
pub mod search;
pub mod tag;
#[cfg(test)]
mod testing;
mod text;
pub use corpus::RawDoc;
pub use index::DurandIndex;
pub use search::{Hit, SearchOptions, SearchResults};
