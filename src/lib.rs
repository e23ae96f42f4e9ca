//! durand: a full-text search engine for a folder of conflict-news articles about the
//! Afghanistan–Pakistan border.
//!
//! A document travels through the modules in this order:
//!
//! ```text
//! corpus  -> find sources, read .txt/.md/.jsonl(.gz), front matter   -> RawDoc
//! clean   -> title, page chrome and comments out, infobox, sections  -> CleanDoc
//! passage -> paragraphs and sentences, ~120 words at most            -> Passage
//! tag     -> provinces, armed groups, forces, dates                  -> Mention
//! index   -> tantivy schema, analyzer, open(), build and sync
//! search  -> query language, filters, ranking, facets, snippets      -> Hits
//! render  -> terminal and JSON writers over any io::Write
//! ```
//!
//! `app` holds one function per subcommand and is the only layer that uses `anyhow`; the
//! binary (`src/main.rs`) only parses arguments and maps errors to exit codes.

pub mod analyzer;
pub mod app;
pub mod bench;
pub mod clean;
pub mod cli;
pub mod corpus;
pub mod date;
pub mod eval;
pub mod index;
pub mod passage;
pub mod render;
pub mod report;
pub mod search;
pub mod tag;
pub use corpus::RawDoc;
pub use index::DurandIndex;
pub use search::{Hit, SearchOptions, SearchResults};
