//! Searches, facet counts and document lists run on a remote collection and read back into
//! the shapes local search returns, so every writer prints them unchanged.
//!
//! One search is one `multi_search` request: the first page of hits and the facet counts,
//! grouped by story or document (Typesense counts a group once, as durand counts documents,
//! not passages). Story groups are collapsed as locally — only the first document of each
//! story shows its passages — on the hits as they arrive, reading further pages if the first
//! did not hold enough. Snippets are Typesense's highlight windows of the passage text, their
//! marks completed by durand's analyzer; scores are Typesense's text-match scores, not BM25,
//! and order hits only within one answer.

use std::time::Instant;

use serde_json::{Map, Value, json};

use super::query::{TranslateError, Translated, Vocabulary, filters_only, translate};
use super::record::Record;
use super::{Method, Remote, RemoteError, schema};
use crate::analysis::events::EventType;
use crate::analysis::story::parse_story;
use crate::analyzer::{analyzer, terms};
use crate::date::PartialDate;
use crate::index::{DocMeta, StoredDoc};
use crate::search::{
    FacetCount, FacetCounts, FacetField, Filters, Hit, Mode, Ranker, SearchOptions, SearchResults,
    sorted_counts,
};

/// The most hits Typesense returns per page.
const PAGE: usize = 250;
/// The most searches sent in one `multi_search` request.
const SEARCHES_PER_REQUEST: usize = 20;
/// The most pages a collapsed remote search reads looking for enough distinct stories.
const MAX_COLLAPSED_PAGES: usize = 100;

/// Marks a highlighted word in Typesense's snippets: control characters no cleaned text has.
const MARK_START: char = '\u{2}';
const MARK_END: char = '\u{3}';
/// The most facet values counted per field.
const MAX_FACET_VALUES: usize = 10_000;

/// The parameters every search shares: how words match (exactly, every word, as analysed).
fn base(remote: &Remote, t: &Translated) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("collection".into(), json!(remote.collection));
    m.insert("q".into(), json!(t.q));
    m.insert("query_by".into(), json!("terms"));
    m.insert("num_typos".into(), json!(0));
    m.insert("prefix".into(), json!(false));
    m.insert("drop_tokens_threshold".into(), json!(0));
    m.insert("typo_tokens_threshold".into(), json!(0));
    m.insert("exclude_fields".into(), json!("terms"));
    if !t.filter_by.is_empty() {
        m.insert("filter_by".into(), json!(t.filter_by));
    }
    m
}

/// The remote field that holds a facet (entity kinds under their plural, as in records).
fn remote_field(f: FacetField) -> &'static str {
    match f {
        FacetField::Entity(k) => k.spec().plural,
        FacetField::Country => "countries",
        other => other.name(),
    }
}

/// A search counting facets, grouped by story (`by_story`) or document.
fn facet_search(base: &Map<String, Value>, by_story: bool) -> Value {
    let mut m = base.clone();
    let fields: Vec<&str> = FacetField::all().map(remote_field).collect();
    m.insert("facet_by".into(), json!(fields.join(",")));
    m.insert("max_facet_values".into(), json!(MAX_FACET_VALUES));
    m.insert("per_page".into(), json!(0));
    m.insert(
        "group_by".into(),
        json!(if by_story { "story" } else { "doc_id" }),
    );
    m.insert("group_limit".into(), json!(1));
    Value::Object(m)
}

/// Runs `searches` in as few requests as allowed; one result per search, in order.
fn multi(remote: &Remote, searches: Vec<Value>) -> Result<Vec<Value>, RemoteError> {
    let mut out = Vec::with_capacity(searches.len());
    for chunk in searches.chunks(SEARCHES_PER_REQUEST) {
        let body = json!({ "searches": chunk }).to_string();
        let v = remote.json(Method::Post, "/multi_search", &[], Some(&body), "a search")?;
        let results =
            v.get("results")
                .and_then(Value::as_array)
                .ok_or_else(|| RemoteError::Protocol {
                    url: remote.url().to_string(),
                    what: "a search".into(),
                    detail: "no results".into(),
                })?;
        for r in results {
            if let Some(code) = r.get("code").and_then(Value::as_u64) {
                // Say why in durand's words: a missing or foreign collection.
                schema::require(remote)?;
                let message = r.get("error").and_then(Value::as_str).unwrap_or("");
                return Err(RemoteError::Http {
                    url: remote.url().to_string(),
                    what: "a search".into(),
                    status: code as u16,
                    message: message.to_string(),
                });
            }
            out.push(r.clone());
        }
    }
    Ok(out)
}

fn found(result: &Value) -> usize {
    result.get("found").and_then(Value::as_u64).unwrap_or(0) as usize
}

/// The hits of a result: plain, or the first of each group.
fn hits_of(result: &Value) -> Vec<&Value> {
    if let Some(groups) = result.get("grouped_hits").and_then(Value::as_array) {
        return groups
            .iter()
            .filter_map(|g| g.get("hits").and_then(Value::as_array)?.first())
            .collect();
    }
    result
        .get("hits")
        .and_then(Value::as_array)
        .map(|h| h.iter().collect())
        .unwrap_or_default()
}

/// Runs a search on the remote collection.
pub fn search(
    remote: &Remote,
    options: &SearchOptions,
    vocabulary: &Vocabulary,
) -> Result<SearchResults, TranslateError> {
    let started = Instant::now();
    let t = translate(options, vocabulary)?;
    let base = base(remote, &t);
    let snippet_tokens = (options.snippet_chars / 12).clamp(4, 100);
    let mut hits_search = base.clone();
    hits_search.insert("sort_by".into(), json!(t.sort_by));
    hits_search.insert("highlight_fields".into(), json!("text"));
    hits_search.insert("highlight_start_tag".into(), json!(MARK_START.to_string()));
    hits_search.insert("highlight_end_tag".into(), json!(MARK_END.to_string()));
    hits_search.insert("highlight_affix_num_tokens".into(), json!(snippet_tokens));
    let wanted = options.offset.saturating_add(options.limit);
    // Collapsed, pages are read from the first until enough hits are kept; otherwise the
    // pages that cover [offset, offset + limit).
    let (per_page, pages) = if options.collapse && options.limit > 0 {
        let per_page = wanted.saturating_mul(4).clamp(20, PAGE);
        // However many stories the total promises, the walk reads at most this many pages
        // (a collection of one enormous story must not keep it going).
        (per_page, 1..MAX_COLLAPSED_PAGES + 1)
    } else {
        pages(options.offset, options.limit)
    };
    let page_search = |page: usize| {
        let mut m = hits_search.clone();
        m.insert("per_page".into(), json!(per_page));
        m.insert("page".into(), json!(page));
        Value::Object(m)
    };
    let first_page = pages.start;
    let mut searches = vec![page_search(first_page)];
    if options.facets {
        searches.push(facet_search(&base, options.collapse));
    }
    let mut results = multi(remote, searches)?.into_iter();
    let first = results.next().unwrap_or(Value::Null);
    let facets = options
        .facets
        .then(|| results.next().map(|r| facet_counts(&r)).unwrap_or_default());
    let total = found(&first);
    let mut page_hits: Vec<Value> = Vec::new();
    let mut page = first_page;
    let mut result = first;
    // story → the document that shows it (as local search collapses: the passages of the
    // first document of each story).
    let mut shown: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    loop {
        let hits = hits_of(&result);
        // A page without hits ends the walk, whatever the total says.
        let exhausted = hits.is_empty();
        for v in hits {
            let story = v.pointer("/document/story").and_then(Value::as_str);
            let doc = v.pointer("/document/doc_id").and_then(Value::as_str);
            let keep = match (options.collapse, story, doc) {
                (true, Some(story), Some(doc)) => {
                    shown
                        .entry(story.to_string())
                        .or_insert_with(|| doc.to_string())
                        == doc
                }
                _ => true,
            };
            if keep {
                page_hits.push(v.clone());
            }
        }
        let done = page + 1 >= pages.end || (options.collapse && page_hits.len() >= wanted);
        if done || exhausted || per_page == 0 || page.saturating_mul(per_page) >= total {
            break;
        }
        page += 1;
        let Some(next) = multi(remote, vec![page_search(page)])?.into_iter().next() else {
            break;
        };
        result = next;
    }
    let skip = if options.collapse {
        options.offset
    } else {
        options.offset - (first_page - 1) * per_page.max(1)
    };
    let mut hits = Vec::new();
    let mut marker = Marker {
        words: &t.marked,
        analyzer: analyzer(),
    };
    for v in page_hits.iter().skip(skip).take(options.limit) {
        hits.push(hit(remote, v, options.snippet_chars, &mut marker)?);
    }
    Ok(SearchResults {
        query: options.query.clone(),
        mode: Mode::All,
        ranker: Ranker::Bm25,
        sort: options.sort,
        like: None,
        fallback: false,
        total_hits: total,
        words: None,
        took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        unembedded: 0,
        collapsed_hits: None,
        hits,
        facets,
    })
}

/// Page size and the 1-based pages that cover `limit` hits from `offset`.
fn pages(offset: usize, limit: usize) -> (usize, std::ops::Range<usize>) {
    if limit == 0 {
        return (0, 1..2);
    }
    if limit <= PAGE && offset.is_multiple_of(limit) {
        let page = offset / limit + 1;
        return (limit, page..page + 1);
    }
    let first = offset / PAGE + 1;
    let last = (offset.saturating_add(limit) - 1) / PAGE + 1;
    (PAGE, first..last + 1)
}

/// A remote hit as a local one.
fn hit(
    remote: &Remote,
    v: &Value,
    snippet_chars: usize,
    marker: &mut Marker,
) -> Result<Hit, RemoteError> {
    let document = v.get("document").cloned().unwrap_or(Value::Null);
    let r: Record = serde_json::from_value(document).map_err(|e| RemoteError::Protocol {
        url: remote.url().to_string(),
        what: "a hit".into(),
        detail: e.to_string(),
    })?;
    let snippet = v
        .pointer("/highlight/text/snippet")
        .and_then(Value::as_str)
        .or_else(|| {
            v.get("highlights")?
                .as_array()?
                .iter()
                .find(|h| h.get("field").and_then(Value::as_str) == Some("text"))?
                .get("snippet")?
                .as_str()
        });
    let (snippet, mut highlights) = match snippet {
        Some(s) => {
            let (snippet, highlights) = unmark(s);
            framed(&r.text, snippet, highlights)
        }
        None => (cut(&r.text, snippet_chars), Vec::new()),
    };
    marker.complete(&snippet, &mut highlights);
    let score = v.get("text_match").and_then(Value::as_f64).unwrap_or(0.0) as f32;
    Ok(Hit {
        date_precision: r
            .date
            .as_deref()
            .and_then(PartialDate::parse_iso)
            .map(|d| d.precision()),
        doc: r.doc_id,
        title: r.title,
        path: r.path,
        url: r.url,
        passage: r.passage,
        start: r.start as usize,
        end: r.end as usize,
        section: r.section,
        score,
        date: r.date,
        tags: r.tags,
        text: r.text,
        snippet,
        highlights,
        mentions: r.mentions,
        words_matched: None,
        events: r.events,
        casualties: r.casualties,
        story: r.story,
        similar: None,
    })
}

/// A snippet with marks as plain text and the byte ranges the marks enclosed.
fn unmark(marked: &str) -> (String, Vec<[usize; 2]>) {
    let mut text = String::with_capacity(marked.len());
    let mut ranges = Vec::new();
    let mut open = None;
    for c in marked.chars() {
        match c {
            MARK_START => open = Some(text.len()),
            MARK_END => {
                if let Some(start) = open.take()
                    && start < text.len()
                {
                    ranges.push([start, text.len()]);
                }
            }
            c => text.push(c),
        }
    }
    (text, ranges)
}

/// A snippet cut from `text` with `…` where text was left out before or after it, as local
/// snippets have, its highlights moved past the leading one.
fn framed(text: &str, snippet: String, highlights: Vec<[usize; 2]>) -> (String, Vec<[usize; 2]>) {
    let (before, after) = match text.find(&snippet) {
        Some(at) => (at > 0, at + snippet.len() < text.len()),
        None => (!text.starts_with(&snippet), !text.ends_with(&snippet)),
    };
    if snippet.is_empty() || (!before && !after) {
        return (snippet, highlights);
    }
    let shift = if before { '…'.len_utf8() } else { 0 };
    let mut out = String::with_capacity(snippet.len() + 2 * '…'.len_utf8());
    if before {
        out.push('…');
    }
    out.push_str(&snippet);
    if after {
        out.push('…');
    }
    let highlights = highlights
        .into_iter()
        .map(|[a, b]| [a + shift, b + shift])
        .collect();
    (out, highlights)
}

/// Completes Typesense's marks: it marks the query's analysed words where the text has them
/// as written, so `strike` is marked and `strikes` not; durand's analyzer (built once per
/// search) finds every word of the snippet that analyses to one of them.
struct Marker<'a> {
    words: &'a [String],
    analyzer: tantivy::tokenizer::TextAnalyzer,
}

impl Marker<'_> {
    fn complete(&mut self, snippet: &str, highlights: &mut Vec<[usize; 2]>) {
        if self.words.is_empty() {
            return;
        }
        for t in terms(&mut self.analyzer, snippet) {
            let overlaps = highlights.iter().any(|[a, b]| t.start < *b && *a < t.end);
            if self.words.contains(&t.text) && !overlaps {
                highlights.push([t.start, t.end]);
            }
        }
        highlights.sort_unstable();
    }
}

/// The first `chars` characters of `text`, cut at a word when one ends near.
fn cut(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        None => text.to_string(),
        Some((end, _)) => {
            let head = &text[..end];
            let at = head.rfind(char::is_whitespace).unwrap_or(end);
            format!("{}…", head[..at].trim_end())
        }
    }
}

/// Facet counts from a result, sorted as local counts are (by count, then value).
fn facet_counts(result: &Value) -> FacetCounts {
    let mut counts = FacetCounts::default();
    for f in result
        .get("facet_counts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = f.get("field_name").and_then(Value::as_str).unwrap_or("");
        let Some(field) = FacetField::all().find(|f| remote_field(*f) == name) else {
            continue;
        };
        let values: Vec<FacetCount> = f
            .get("counts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| {
                Some(FacetCount {
                    value: c.get("value")?.as_str()?.to_string(),
                    count: c.get("count")?.as_u64()? as usize,
                })
            })
            // Undated documents have year 0; local counts leave them out.
            .filter(|c| !(field == FacetField::Year && c.value == "0"))
            .collect();
        *counts.field_mut(field) = sorted_counts(values);
    }
    counts
}

/// Document counts per facet over the collection, or the documents `filters` keep.
pub fn facets(
    remote: &Remote,
    filters: &Filters,
    by_story: bool,
    vocabulary: &Vocabulary,
) -> Result<FacetCounts, TranslateError> {
    let mut options = SearchOptions::new("");
    options.filters = filters.clone();
    let t = filters_only(&options, vocabulary)?;
    let result = multi(remote, vec![facet_search(&base(remote, &t), by_story)])?;
    Ok(facet_counts(&result[0]))
}

/// Every document of the collection, sorted by id, from its first passage's record (one
/// export request: Typesense's grouped paging is not reliable past the first pages).
pub fn documents(remote: &Remote) -> Result<Vec<StoredDoc>, RemoteError> {
    schema::require(remote)?;
    let path = format!("{}/documents/export", remote.collection_path());
    let answer = remote.request(
        Method::Get,
        &path,
        &[
            ("filter_by", "passage:=0"),
            ("exclude_fields", "terms,text,mentions,events,casualties"),
        ],
        None,
    )?;
    if answer.status != 200 {
        return Err(remote.http_error("the export of the documents", &answer));
    }
    let mut docs = Vec::new();
    for line in answer.body.lines().filter(|l| !l.trim().is_empty()) {
        let document: Value = remote.parse("a document", line)?;
        let r: Record = serde_json::from_value(document).map_err(|e| RemoteError::Protocol {
            url: remote.url().to_string(),
            what: "a document".into(),
            detail: e.to_string(),
        })?;
        docs.push(StoredDoc {
            doc_id: r.doc_id,
            file: r.path.clone(),
            path: r.path,
            date: r.date,
            fingerprint: 0,
            story: parse_story(&r.story).unwrap_or(0),
            meta: DocMeta {
                title: r.title,
                url: r.url,
                passages: r.doc_passages,
                tags: r.tags,
                event_types: r.types.iter().filter_map(|t| EventType::parse(t)).collect(),
                ..DocMeta::default()
            },
        });
    }
    docs.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_byte_ranges_and_pages_cover_the_window() {
        let (text, ranges) = unmark("a \u{2}Kunar\u{3} strike in \u{2}Kūnar\u{3}");
        assert_eq!(text, "a Kunar strike in Kūnar");
        let words: Vec<&str> = ranges.iter().map(|[a, b]| &text[*a..*b]).collect();
        assert_eq!(words, vec!["Kunar", "Kūnar"]);
        assert_eq!(pages(0, 10), (10, 1..2));
        assert_eq!(pages(20, 10), (10, 3..4));
        assert_eq!(pages(5, 10), (PAGE, 1..2));
        assert_eq!(pages(240, 20), (20, 13..14));
        assert_eq!(pages(245, 20), (PAGE, 1..3));
        assert_eq!(pages(0, 1000), (PAGE, 1..5));
        assert_eq!(pages(0, 0), (0, 1..2));
        assert_eq!(cut("one two three", 6), "one…");
        // Typesense marked the analysed form; every word analysed to it is marked too, as
        // locally (Snowball makes `striking` `strike`), and other words are not.
        let (text, mut ranges) = unmark("\u{2}strike\u{3} and strikes, Striking stroke");
        let words = ["strike".to_string()];
        let mut marker = Marker {
            words: &words,
            analyzer: analyzer(),
        };
        marker.complete(&text, &mut ranges);
        let words: Vec<&str> = ranges.iter().map(|[a, b]| &text[*a..*b]).collect();
        assert_eq!(words, vec!["strike", "strikes", "Striking"]);
        assert_eq!(cut("ūū", 5), "ūū");
    }

    #[test]
    fn a_snippet_says_where_text_was_left_out_and_keeps_its_marks() {
        let text = "Militants attacked a check post in Kunar. Two soldiers died.";
        let (snippet, ranges) = unmark("attacked a check post in \u{2}Kunar\u{3}.");
        let (snippet, ranges) = framed(text, snippet, ranges);
        assert_eq!(snippet, "…attacked a check post in Kunar.…");
        assert_eq!(&snippet[ranges[0][0]..ranges[0][1]], "Kunar");
        let (whole, ranges) = framed(text, text.to_string(), vec![[0, 9]]);
        assert_eq!((whole.as_str(), ranges), (text, vec![[0, 9]]));
        let (head, _) = framed(text, "Militants attacked".into(), vec![]);
        assert_eq!(head, "Militants attacked…");
        let (tail, ranges) = framed(text, "soldiers died.".into(), vec![[0, 8]]);
        assert_eq!(tail, "…soldiers died.");
        assert_eq!(&tail[ranges[0][0]..ranges[0][1]], "soldiers");
    }
}
