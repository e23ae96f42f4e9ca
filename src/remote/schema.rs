//! The remote collection's schema, derived from the entity-kind registry like the local
//! index's fields, and the check that a collection found on a cluster is one durand made.
//!
//! Only what is searched, filtered, faceted, grouped or sorted is declared; the rest of a
//! [`super::record::Record`] (title, path, mentions, events, casualties…) is stored as sent
//! and comes back with each hit.

use serde_json::{Value, json};

use super::{Method, Remote, RemoteError};
use crate::tag::EntityKind;

/// The longest collection name.
const MAX_NAME: usize = 64;
/// How often, and how long apart, a collection the leader has but the asked node does not
/// show yet is looked for again (about five seconds in all).
pub(crate) const REPLICATION_WAITS: usize = 20;
pub(crate) const REPLICATION_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// One declared field: name, Typesense type, facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: String,
    pub kind: &'static str,
    pub facet: bool,
}

fn spec(name: &str, kind: &'static str, facet: bool) -> FieldSpec {
    FieldSpec {
        name: name.to_string(),
        kind,
        facet,
    }
}

/// The declared fields, in order.
pub fn fields() -> Vec<FieldSpec> {
    let mut out = vec![
        spec("terms", "string", false),
        spec("text", "string", false),
        spec("doc_id", "string", true),
        spec("passage", "int32", false),
        spec("story", "string", true),
        spec("dated", "int32", false),
        spec("date_lo", "int64", false),
        spec("date_hi", "int64", false),
        spec("year", "int32", true),
    ];
    for kind in EntityKind::all() {
        out.push(spec(kind.spec().plural, "string[]", true));
    }
    out.extend([
        spec("countries", "string[]", true),
        spec("facet_paths", "string[]", true),
        spec("type", "string[]", true),
        spec("killed", "int64", false),
    ]);
    out
}

/// The body of the request that creates the collection `name`.
pub fn create_body(name: &str) -> Value {
    let fields: Vec<Value> = fields()
        .into_iter()
        .map(|f| json!({"name": f.name, "type": f.kind, "facet": f.facet}))
        .collect();
    json!({"name": name, "fields": fields})
}

/// What keeps `existing` (a collection as the cluster describes it) from being durand's,
/// or `None` when every field durand needs is there with its type and facet flag.
pub fn mismatch(existing: &Value) -> Option<String> {
    let declared = existing.get("fields").and_then(Value::as_array)?;
    for want in fields() {
        let found = declared
            .iter()
            .find(|f| f.get("name").and_then(Value::as_str) == Some(want.name.as_str()));
        let Some(found) = found else {
            return Some(format!("it has no field {:?}", want.name));
        };
        let kind = found.get("type").and_then(Value::as_str).unwrap_or("?");
        if kind != want.kind {
            return Some(format!(
                "its field {:?} is {kind}, durand's is {}",
                want.name, want.kind
            ));
        }
        if found.get("facet").and_then(Value::as_bool) != Some(want.facet) {
            return Some(format!(
                "its field {:?} is {}a facet",
                want.name,
                if want.facet { "not " } else { "" }
            ));
        }
    }
    None
}

/// Checks a collection name: letters, digits, `_`, `-` and `.`, at most 64.
pub fn check_collection_name(name: &str) -> Result<(), RemoteError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        // In a URL path, `.` and `..` name the folder or its parent, not a collection.
        && name.chars().any(|c| c != '.');
    if ok {
        Ok(())
    } else {
        Err(RemoteError::BadCollection {
            name: name.to_string(),
            reason: format!(
                "a collection name is 1 to {MAX_NAME} letters, digits, `_`, `-` or `.`, not dots alone"
            ),
        })
    }
}

/// The collection as the cluster describes it, `None` when it does not exist; an error when
/// it exists with another schema.
pub fn describe(remote: &Remote) -> Result<Option<Value>, RemoteError> {
    let path = remote.collection_path();
    let answer = remote.request(Method::Get, &path, &[], None)?;
    match answer.status {
        // Typesense's "Not Found" is JSON; another server's page is not the cluster saying so.
        404 if serde_json::from_str::<Value>(&answer.body).is_ok() => Ok(None),
        200 => {
            let v: Value = remote.parse("the collection's description", &answer.body)?;
            match mismatch(&v) {
                None => Ok(Some(v)),
                Some(detail) => Err(RemoteError::OtherSchema {
                    url: remote.url().to_string(),
                    collection: remote.collection.clone(),
                    detail,
                }),
            }
        }
        _ => Err(remote.http_error("the collection's description", &answer)),
    }
}

/// The collection, made first when it does not exist. Returns its description and whether
/// it was made now.
pub fn ensure(remote: &Remote) -> Result<(Value, bool), RemoteError> {
    if let Some(v) = describe(remote)? {
        return Ok((v, false));
    }
    let body = create_body(&remote.collection).to_string();
    let answer = remote.request(Method::Post, "/collections", &[], Some(&body))?;
    match answer.status {
        200 | 201 => Ok((remote.parse("the new collection", &answer.body)?, true)),
        // Made meanwhile (by a retried request, another push, or just before through another
        // node that this one has not heard from yet): use it once it shows, if durand's.
        409 => {
            for _ in 0..REPLICATION_WAITS {
                if let Some(v) = describe(remote)? {
                    return Ok((v, false));
                }
                std::thread::sleep(REPLICATION_PAUSE);
            }
            Err(remote.http_error("creating the collection", &answer))
        }
        _ => Err(remote.http_error("creating the collection", &answer)),
    }
}

/// A collection that must exist (for searching).
pub fn require(remote: &Remote) -> Result<Value, RemoteError> {
    describe(remote)?.ok_or_else(|| RemoteError::NoCollection {
        url: remote.url().to_string(),
        collection: remote.collection.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_is_durands_only_with_every_field_as_declared() {
        let ours = create_body("durand");
        assert_eq!(mismatch(&ours), None);
        let mut other = ours.clone();
        other["fields"][0]["type"] = json!("int32");
        assert_eq!(
            mismatch(&other).unwrap(),
            "its field \"terms\" is int32, durand's is string"
        );
        let books = json!({"name": "books", "fields": [{"name": "title", "type": "string"}]});
        assert_eq!(mismatch(&books).unwrap(), "it has no field \"terms\"");
        // One field per entity kind, named like the JSON output's tags.
        for kind in EntityKind::all() {
            assert!(fields().iter().any(|f| f.name == kind.spec().plural));
        }
        assert!(check_collection_name("durand-2023.v1").is_ok());
        assert!(check_collection_name("a/b").is_err());
        assert!(check_collection_name("").is_err());
        assert!(check_collection_name(".").is_err() && check_collection_name("..").is_err());
        assert!(check_collection_name(".v1").is_ok());
    }
}
