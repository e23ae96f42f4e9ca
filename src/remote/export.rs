//! The records `durand push` sends, written for other engines — NDJSON (Quickwit, Typesense,
//! `jq`) or an Elasticsearch / OpenSearch `_bulk` body — and those engines' index
//! configurations with the same fields and facets, so the collection can move to whichever
//! cluster a team already runs.
//!
//! Every configuration keeps durand's matching: `terms` (durand's analysed words) is split on
//! whitespace only, so a query analysed by durand matches there as it does locally; `text`
//! gets the engine's English analysis for people who query it directly; facets are exact
//! keywords; mentions, events and casualties are stored, not indexed.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::record::DocRecords;
use crate::tag::EntityKind;

/// The longest index name [`check_index_name`] accepts.
const MAX_INDEX_NAME: usize = 64;

/// An index name another engine would refuse.
#[derive(Debug, thiserror::Error)]
#[error(
    "bad index name {0:?}: an index name is 3 to {MAX_INDEX_NAME} lower-case letters, digits, `_`, `-` or `.`, starting with a letter (Elasticsearch and Quickwit both take it)"
)]
pub struct BadIndexName(pub String);

/// Checks an index name for both targets: Elasticsearch wants it lower-case and not starting
/// with `-`, `_` or `+`; Quickwit wants a letter first and at least three characters.
pub fn check_index_name(name: &str) -> Result<(), BadIndexName> {
    let ok = (3..=MAX_INDEX_NAME).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(BadIndexName(name.to_string()))
    }
}

/// The configuration formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Quickwit,
    Elasticsearch,
}

/// How the record's fields are kept, engine-neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Full text, analysed as English.
    Text,
    /// durand's analysed words: split on whitespace.
    Terms,
    /// An exact value (ids, facets, paths); `many`: a list of them.
    Keyword {
        many: bool,
    },
    Integer,
    /// Stored JSON, not searched.
    Stored,
}

/// Every field of a record, in the record's order.
fn fields() -> Vec<(&'static str, Kind)> {
    let one = Kind::Keyword { many: false };
    let many = Kind::Keyword { many: true };
    let mut out = vec![
        ("id", one),
        ("doc_id", one),
        ("passage", Kind::Integer),
        ("title", Kind::Text),
        ("text", Kind::Text),
        ("terms", Kind::Terms),
        ("section", Kind::Text),
        ("path", one),
        ("url", one),
        ("date", one),
        ("dated", Kind::Integer),
        ("date_lo", Kind::Integer),
        ("date_hi", Kind::Integer),
        ("year", Kind::Integer),
        ("doc_passages", Kind::Integer),
        ("start", Kind::Integer),
        ("end", Kind::Integer),
    ];
    out.extend(EntityKind::all().map(|k| (k.spec().plural, many)));
    out.extend([
        ("countries", many),
        ("facet_paths", many),
        ("type", many),
        ("killed", Kind::Integer),
        ("story", one),
        ("mentions", Kind::Stored),
        ("events", Kind::Stored),
        ("casualties", Kind::Stored),
    ]);
    out
}

/// Writes one document's records, one per line; returns how many.
pub fn ndjson<W: Write + ?Sized>(doc: &DocRecords, out: &mut W) -> io::Result<usize> {
    for line in &doc.json {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(doc.json.len())
}

/// Writes one document's records as an Elasticsearch / OpenSearch `_bulk` body indexing each
/// into `index` under its id; returns how many records.
pub fn es_bulk<W: Write + ?Sized>(doc: &DocRecords, index: &str, out: &mut W) -> io::Result<usize> {
    for (r, line) in doc.records.iter().zip(&doc.json) {
        let action = json!({"index": {"_index": index, "_id": r.id}});
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(doc.records.len())
}

/// The index configuration of `engine` for an index named `name`.
pub fn config(engine: Engine, name: &str) -> Value {
    match engine {
        Engine::Quickwit => quickwit(name),
        Engine::Elasticsearch => elasticsearch(),
    }
}

/// A Quickwit index config (0.7+): every field mapped, facets fast for aggregations.
fn quickwit(name: &str) -> Value {
    let mappings: Vec<Value> = fields()
        .into_iter()
        .map(|(field, kind)| match kind {
            Kind::Text => {
                json!({"name": field, "type": "text", "tokenizer": "en_stem", "record": "position"})
            }
            Kind::Terms => {
                json!({"name": field, "type": "text", "tokenizer": "default", "record": "position"})
            }
            Kind::Keyword { many: false } => {
                json!({"name": field, "type": "text", "tokenizer": "raw", "fast": true})
            }
            Kind::Keyword { many: true } => {
                json!({"name": field, "type": "array<text>", "tokenizer": "raw", "fast": true})
            }
            Kind::Integer => json!({"name": field, "type": "i64", "fast": true}),
            Kind::Stored => json!({"name": field, "type": "json", "indexed": false}),
        })
        .collect();
    json!({
        "version": "0.7",
        "index_id": name,
        "doc_mapping": {
            "mode": "lenient",
            "field_mappings": mappings,
        },
        "search_settings": {"default_search_fields": ["terms"]},
    })
}

/// An Elasticsearch / OpenSearch index body (`PUT /NAME`): settings and strict mappings.
fn elasticsearch() -> Value {
    let mut properties = serde_json::Map::new();
    for (field, kind) in fields() {
        let mapping = match kind {
            Kind::Text => json!({"type": "text", "analyzer": "english"}),
            Kind::Terms => json!({"type": "text", "analyzer": "whitespace"}),
            // A keyword field holds one value or a list alike.
            Kind::Keyword { .. } => json!({"type": "keyword"}),
            Kind::Integer => json!({"type": "long"}),
            Kind::Stored => json!({"type": "object", "enabled": false}),
        };
        properties.insert(field.to_string(), mapping);
    }
    json!({
        "settings": {"index": {"number_of_shards": 1}},
        "mappings": {"dynamic": "strict", "properties": properties},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::record::collection;
    use crate::testing::{BORDER, TestIndex};

    #[test]
    fn every_record_field_is_configured_and_bulk_pairs_actions_with_records() {
        let t = TestIndex::new(BORDER);
        let docs = collection(&t.index).unwrap();
        let mut bulk = Vec::new();
        let n: usize = docs
            .iter()
            .map(|d| es_bulk(d, "news", &mut bulk).unwrap())
            .sum();
        let lines: Vec<Value> = String::from_utf8(bulk)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2 * n);
        assert_eq!(lines[0]["index"]["_index"], "news");
        assert_eq!(lines[0]["index"]["_id"], lines[1]["id"]);
        // The strict mapping names every key a record has (or it would be refused).
        let es = config(Engine::Elasticsearch, "news");
        let qw = config(Engine::Quickwit, "news");
        for line in lines.iter().skip(1).step_by(2) {
            for key in line.as_object().unwrap().keys() {
                assert!(es["mappings"]["properties"].get(key).is_some(), "{key}");
                let mapped = qw["doc_mapping"]["field_mappings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["name"] == *key);
                assert!(mapped, "{key}");
            }
        }
        let mut nd = Vec::new();
        let m: usize = docs.iter().map(|d| ndjson(d, &mut nd).unwrap()).sum();
        assert_eq!(m, n);
        assert_eq!(String::from_utf8(nd).unwrap().lines().count(), n);
    }
}
