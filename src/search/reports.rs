//! Every document a query and filters match (not a ranked page): the reports incidents are
//! built from, and the dated documents a timeline counts. Ids and dates come from fast
//! fields; only reports read their document records.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher};

use super::{Filters, Mode, SearchError, compile, filter_query, query, type_filter};
use crate::analysis::casualty::CasualtyKind;
use crate::analysis::events::EventType;
use crate::analysis::toll;
use crate::date::PartialDate;
use crate::incidents::{Place, Report};
use crate::index::DurandIndex;
use crate::tag::{EntityKind, MentionKind};

/// One matching document, from fast fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub doc: String,
    pub date: Option<PartialDate>,
    pub story: u64,
}

/// The passages `query` (every passage when blank) and `filters` match; with `events_only`,
/// only passages of documents that report an event.
fn matching_passages(
    index: &DurandIndex,
    searcher: &Searcher,
    q: &str,
    filters: &Filters,
    events_only: bool,
) -> Result<Vec<DocAddress>, SearchError> {
    let filter = filter_query(index, filters)?;
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if q.trim().is_empty() {
        must.push((
            Occur::Must,
            Box::new(TermQuery::new(
                index.fields.passages_term(),
                IndexRecordOption::Basic,
            )),
        ));
        if let Some(f) = filter {
            must.push((Occur::Must, f));
        }
    } else {
        let node = query::parse(q)?;
        let mut compiled = compile(index, q, &node, Mode::All, filter.as_deref())?;
        if node.any_mode_differs()
            && searcher.search(&compiled.query, &tantivy::collector::Count)? == 0
        {
            compiled = compile(index, q, &node, Mode::Any, filter.as_deref())?;
        }
        must.push((Occur::Must, compiled.query));
    }
    if events_only {
        must.push((Occur::Must, type_filter(&index.fields, &EventType::ALL)));
    }
    let mut found: Vec<DocAddress> = searcher
        .search(&BooleanQuery::new(must), &DocSetCollector)?
        .into_iter()
        .collect();
    found.sort();
    Ok(found)
}

/// Every document with a passage that matches, once, with its date and story.
pub fn matching_documents(
    index: &DurandIndex,
    q: &str,
    filters: &Filters,
    events_only: bool,
) -> Result<Vec<Matched>, SearchError> {
    let run = || -> Result<Vec<Matched>, SearchError> {
        let searcher = index.reader.searcher();
        let found = matching_passages(index, &searcher, q, filters, events_only)?;
        let ids = index.id_terms()?;
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            columns.push((
                ff.str("doc_id")?,
                ff.u64("date_lo")?,
                ff.u64("date_hi")?,
                ff.u64("story")?,
            ));
        }
        let mut out: Vec<Matched> = Vec::new();
        let mut seen: HashMap<(u32, u64), ()> = HashMap::new();
        for address in found {
            let (Some(id_col), lo, hi, story) = &columns[address.segment_ord as usize] else {
                continue;
            };
            let Some(term) = id_col.term_ords(address.doc_id).next() else {
                continue;
            };
            if seen.insert((address.segment_ord, term), ()).is_some() {
                continue;
            }
            let date = match (lo.first(address.doc_id), hi.first(address.doc_id)) {
                (Some(lo), Some(hi)) => date_of_bounds(lo, hi),
                _ => None,
            };
            out.push(Matched {
                doc: ids[address.segment_ord as usize][term as usize].clone(),
                date,
                story: story.first(address.doc_id).unwrap_or(0),
            });
        }
        Ok(out)
    };
    run().map_err(|e| e.in_index(index))
}

/// A partial date from its `YYYYMMDD` bounds (as the index stores them).
fn date_of_bounds(lo: u64, hi: u64) -> Option<PartialDate> {
    let (y, m, d) = (
        (lo / 10_000) as i32,
        (lo / 100 % 100) as u8,
        (lo % 100) as u8,
    );
    if lo == hi {
        PartialDate::new(y, Some(m), Some(d))
    } else if lo / 100 == hi / 100 {
        PartialDate::new(y, Some(m), None)
    } else {
        PartialDate::new(y, None, None)
    }
}

/// The incidents the reports the query and filters match describe. `--min-killed` keeps
/// incidents whose best death toll reaches it, and `--from` / `--to` those whose date lies
/// in the window — both built from all their reports first, since a report that gives a
/// lower early toll (or none), or a follow-up dated after the window, is still one of the
/// incident's: an incident and its figures do not depend on where a window starts.
pub fn incidents_matching(
    index: &DurandIndex,
    q: &str,
    filters: &Filters,
) -> Result<Vec<crate::incidents::Incident>, SearchError> {
    let mut without = filters.clone();
    let min = without.min_killed.take();
    let window = filters.date_window();
    (without.from, without.to) = (None, None);
    let mut found = crate::incidents::incidents(&reports(index, q, &without)?);
    if let Some(min) = min {
        found.retain(|i| i.killed.best.is_some_and(|k| k >= min));
    }
    if let Some((lo, hi)) = window {
        found.retain(|i| {
            i.date
                .as_deref()
                .and_then(PartialDate::parse_iso)
                .is_some_and(|d| d.bounds().0 <= hi && d.bounds().1 >= lo)
        });
    }
    Ok(found)
}

/// Where in `title` the spellings an entity was found as stand, as whole words.
fn title_spans(title: &str, found: &[String]) -> Vec<std::ops::Range<usize>> {
    found
        .iter()
        .flat_map(|spelling| {
            title
                .match_indices(spelling.as_str())
                .map(|(at, s)| at..at + s.len())
        })
        .filter(|r| {
            let before = title[..r.start].chars().next_back();
            let after = title[r.end..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
        .collect()
}

/// The reports (documents that report violence) the query and filters match.
pub fn reports(
    index: &DurandIndex,
    q: &str,
    filters: &Filters,
) -> Result<Vec<Report>, SearchError> {
    let matched = matching_documents(index, q, filters, true)?;
    let searcher = index.reader.searcher();
    let names = index.names()?;
    let places_kind = EntityKind::places();
    let mut countries: HashMap<String, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(matched.len());
    for m in matched {
        let Some(doc) = index.document_record(&searcher, &m.doc)? else {
            continue;
        };
        let meta = &doc.meta;
        let mut places = Vec::new();
        let mut title_places = Vec::new();
        if let Some(kind) = places_kind {
            let entities: Vec<_> = meta
                .entities
                .iter()
                .filter(|e| e.kind == MentionKind::Entity(kind))
                .collect();
            // Where each place stands in the title; one inside another's longer name
            // ("Khyber" of "Khyber Pakhtunkhwa") is not named there.
            let spans: Vec<Vec<std::ops::Range<usize>>> = entities
                .iter()
                .map(|e| title_spans(&meta.title, &e.found))
                .collect();
            let inside_another = |r: &std::ops::Range<usize>| {
                spans
                    .iter()
                    .flatten()
                    .any(|o| o.start <= r.start && r.end <= o.end && o.len() > r.len())
            };
            for (e, spans) in entities.iter().zip(&spans) {
                let country = countries
                    .entry(e.value.clone())
                    .or_insert_with(|| {
                        names
                            .resolve(kind, &e.value)
                            .into_iter()
                            .find(|n| n.parts.len() == 2)
                            .map(|n| n.parts[0].clone())
                    })
                    .clone();
                let Some(country) = country else { continue };
                let place = Place {
                    country,
                    province: e.value.clone(),
                    place: e.place.clone(),
                };
                if spans.iter().any(|r| !inside_another(r)) && !title_places.contains(&place) {
                    title_places.push(place.clone());
                }
                if !places.contains(&place) {
                    places.push(place);
                }
            }
        }
        let mut actors: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (kind, values) in meta.tags.iter() {
            if !kind.spec().places && !values.is_empty() {
                actors.insert(kind.name(), values.clone());
            }
        }
        let conflict = !meta.event_types.is_empty();
        let title = meta.title.to_lowercase();
        let country_hint = if title.contains("pakistan") {
            Some("Pakistan".to_string())
        } else if title.contains("afghan") || title.contains("kabul") {
            Some("Afghanistan".to_string())
        } else {
            None
        };
        out.push(Report {
            doc: doc.doc_id.clone(),
            title: meta.title.clone(),
            date: m.date,
            source: meta.source.clone(),
            story: doc.story,
            types: meta.event_types.clone(),
            places,
            title_places,
            actors,
            killed: conflict
                .then(|| toll(&meta.casualties, CasualtyKind::Killed))
                .flatten(),
            wounded: conflict
                .then(|| toll(&meta.casualties, CasualtyKind::Wounded))
                .flatten(),
            country_hint,
            title_toll: meta.title_toll,
        });
    }
    Ok(out)
}
