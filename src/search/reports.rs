//! Every document a query and filters match (not a ranked page): the reports incidents are
//! built from, the documents that follow an incident up, and the dated documents a timeline
//! counts. Ids and dates come from fast fields; only reports and follow-up candidates read
//! their document records.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher};

use super::{Filters, Mode, SearchError, compile, filter_query, query, type_filter};
use crate::analysis::casualty::CasualtyKind;
use crate::analysis::events::EventType;
use crate::analysis::toll;
use crate::date::PartialDate;
use crate::incidents::{
    FOLLOW_UP_DAYS, Incident, MAX_DAYS_APART, Place, Report, TitleWord, follow_up_fit, title_region,
};
use crate::index::DurandIndex;
use crate::index::records::Records;
use crate::tag::{EntityKind, MentionKind};

/// One matching document, from fast fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub doc: String,
    pub date: Option<PartialDate>,
    pub story: u64,
}

/// The passages `query` (every passage when blank), `filters` and `extra` match; with
/// `events_only`, only passages of documents that report an event.
fn matching_passages(
    index: &DurandIndex,
    searcher: &Searcher,
    q: &str,
    filters: &Filters,
    events_only: bool,
    extra: Option<Box<dyn Query>>,
) -> Result<Vec<DocAddress>, SearchError> {
    let filter = filter_query(index, filters)?;
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(extra) = extra {
        must.push((Occur::Must, extra));
    }
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
    Ok(searcher.search(&BooleanQuery::new(must), &Records)?)
}

/// Every document with a passage that matches, once, with its date and story.
pub fn matching_documents(
    index: &DurandIndex,
    q: &str,
    filters: &Filters,
    events_only: bool,
) -> Result<Vec<Matched>, SearchError> {
    documents(index, q, filters, events_only, None)
}

/// [`matching_documents`], of the passages `extra` matches too.
fn documents(
    index: &DurandIndex,
    q: &str,
    filters: &Filters,
    events_only: bool,
    extra: Option<Box<dyn Query>>,
) -> Result<Vec<Matched>, SearchError> {
    let run = || -> Result<Vec<Matched>, SearchError> {
        let searcher = index.reader.searcher();
        let found = matching_passages(index, &searcher, q, filters, events_only, extra)?;
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

/// The incidents the reports the query and filters match describe, with (when `follow_ups`)
/// the documents that follow them up (`attach_follow_ups`). `--min-killed` keeps
/// incidents whose best death toll reaches it, and `--from` / `--to` those whose date lies
/// in the window — both built from all their reports first, since a report that gives a
/// lower early toll (or none), or a follow-up dated after the window, is still one of the
/// incident's: an incident and its figures do not depend on where a window starts.
pub fn incidents_matching(
    index: &DurandIndex,
    q: &str,
    filters: &Filters,
    follow_ups: bool,
) -> Result<Vec<crate::incidents::Incident>, SearchError> {
    let mut without = filters.clone();
    let min = without.min_killed.take();
    let window = filters.date_window();
    (without.from, without.to) = (None, None);
    let searcher = index.reader.searcher();
    let mut titles = TitleAnalyzer::new(index, &searcher)?;
    let mut found = crate::incidents::incidents(&reports(index, q, &without)?, |r| {
        Ok::<_, SearchError>(
            titles
                .words(&r.title)?
                .into_iter()
                .filter(|w| w.specific)
                .map(|w| w.term)
                .collect(),
        )
    })?;
    if follow_ups {
        attach_follow_ups(index, q, &without, &mut found, &mut titles)?;
    }
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
fn reports(index: &DurandIndex, q: &str, filters: &Filters) -> Result<Vec<Report>, SearchError> {
    let matched = matching_documents(index, q, filters, true)?;
    let mut reader = ReportReader::new(index)?;
    let mut out = Vec::with_capacity(matched.len());
    for m in matched {
        out.extend(reader.read(&m)?);
    }
    Ok(out)
}

/// Reads documents' records as reports, resolving each place's country once.
struct ReportReader<'a> {
    index: &'a DurandIndex,
    searcher: Searcher,
    names: &'a crate::tag::names::Names,
    countries: HashMap<String, Option<String>>,
}

impl<'a> ReportReader<'a> {
    fn new(index: &'a DurandIndex) -> Result<Self, SearchError> {
        Ok(ReportReader {
            index,
            searcher: index.reader.searcher(),
            names: index.names()?,
            countries: HashMap::new(),
        })
    }

    /// The report of one matched document (`None` when it is no longer in the index).
    fn read(&mut self, m: &Matched) -> Result<Option<Report>, SearchError> {
        let Some(doc) = self.index.document_record(&self.searcher, &m.doc)? else {
            return Ok(None);
        };
        let meta = &doc.meta;
        let mut places = Vec::new();
        let mut title_places = Vec::new();
        if let Some(kind) = EntityKind::places() {
            let entities: Vec<_> = meta
                .entities
                .iter()
                // (a file photo's places illustrate the report: it did not happen there)
                .filter(|e| e.kind == MentionKind::Entity(kind) && !e.file_photo)
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
                let names = self.names;
                let country = self
                    .countries
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
        // A region of one province ("northwest Pakistan") places a report that names no
        // place there, as its title says.
        let region = title_region(&meta.title);
        if places.is_empty()
            && region.len() == 1
            && let Some((country, province)) = region.first()
        {
            let place = Place {
                country: country.clone(),
                province: province.clone(),
                place: None,
            };
            title_places.push(place.clone());
            places.push(place);
        }
        let mut actors: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for (kind, values) in meta.tags.iter() {
            if !kind.spec().places && !values.is_empty() {
                actors.insert(kind.name(), values.clone());
            }
        }
        let conflict = !meta.event_types.is_empty();
        let title = meta.title.to_lowercase();
        // "Pakistani Taliban" (the TTP) are Pakistan's; the Taliban otherwise rule
        // Afghanistan.
        let ttp = title
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "ttp")
            || actors
                .get(EntityKind::GROUP.name())
                .is_some_and(|groups| groups.iter().any(|g| g == "TTP"));
        let country_hint = if title.contains("pakistan") || ttp && title.contains("taliban") {
            Some("Pakistan".to_string())
        } else if title.contains("afghan") || title.contains("kabul") || title.contains("taliban") {
            Some("Afghanistan".to_string())
        } else {
            None
        };
        Ok(Some(Report {
            doc: doc.doc_id.clone(),
            title: meta.title.clone(),
            url: meta.url.clone(),
            path: doc.path.clone(),
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
            region,
            title_toll: meta.title_toll,
        }))
    }
}

/// A word in the titles of at most this share of the documents — but always of
/// [`SPECIFIC_MIN`] (in a small collection about one incident, its words are in most
/// titles) and never of more than [`SPECIFIC_MAX`] (in a large general one, "explosion" is
/// in a thousand) — is specific enough to tie a follow-up to an incident.
const SPECIFIC_SHARE: f64 = 0.01;
const SPECIFIC_MIN: u64 = 5;
const SPECIFIC_MAX: u64 = 100;

/// Titles as follow-ups are matched on: analysed like the index, stop words and short words
/// out, each word once, with its rarity among the documents' titles. The title is indexed on
/// every passage, so a document is counted by its first passage alone (a long article is
/// one title, not twenty).
struct TitleAnalyzer<'a> {
    searcher: &'a Searcher,
    field: tantivy::schema::Field,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    documents: f64,
    specific: u64,
    idf: HashMap<String, (f64, bool)>,
}

impl<'a> TitleAnalyzer<'a> {
    fn new(index: &DurandIndex, searcher: &'a Searcher) -> Result<Self, SearchError> {
        let documents = first_passages(
            searcher,
            &TermQuery::new(index.fields.passages_term(), IndexRecordOption::Basic),
        )?
        .max(1);
        Ok(TitleAnalyzer {
            searcher,
            field: index.fields.title,
            analyzer: crate::analyzer::analyzer(),
            documents: documents as f64,
            specific: ((documents as f64 * SPECIFIC_SHARE) as u64)
                .clamp(SPECIFIC_MIN, SPECIFIC_MAX),
            idf: HashMap::new(),
        })
    }

    fn words(&mut self, title: &str) -> Result<Vec<TitleWord>, SearchError> {
        let mut out: Vec<TitleWord> = Vec::new();
        for term in crate::analyzer::terms(&mut self.analyzer, title) {
            if term.text.len() < super::like::MIN_WORD
                || super::like::STOP_WORDS.contains(&term.text.as_str())
                || out.iter().any(|w| w.term == term.text)
            {
                continue;
            }
            let (idf, specific) = match self.idf.get(&term.text) {
                Some(known) => *known,
                None => {
                    let df = first_passages(
                        self.searcher,
                        &TermQuery::new(
                            tantivy::Term::from_field_text(self.field, &term.text),
                            IndexRecordOption::Basic,
                        ),
                    )?
                    .max(1);
                    let known = ((self.documents / df as f64).ln(), df <= self.specific);
                    self.idf.insert(term.text.clone(), known);
                    known
                }
            };
            out.push(TitleWord {
                term: term.text,
                idf,
                specific,
            });
        }
        Ok(out)
    }
}

/// How many first passages (so documents) `query` matches.
fn first_passages(searcher: &Searcher, query: &dyn Query) -> Result<u64, SearchError> {
    let first = tantivy::collector::FilterCollector::new(
        "ord".to_string(),
        |ord: u64| ord == 0,
        tantivy::collector::Count,
    );
    Ok(searcher.search(query, &first)? as u64)
}

/// Adds to `found` the documents the query and filters match that follow one of them up
/// ([`crate::incidents::follow_up_fit`]): per incident of violence, the documents dated
/// from its first day to [`FOLLOW_UP_DAYS`] later whose titles share its reports' specific
/// words, dated to a day, not placed only in other countries than the incident's; each joins
/// the incident it fits best, unless more would join it than report it. Candidates are the
/// documents in no incident and, in the same pass, the incidents of one report dated after
/// another incident's days ([`MAX_DAYS_APART`]) that name its province and about its toll
/// ([`crate::incidents::late_report_fits`]): a report of violence that only its date kept
/// apart (the crossing reopened nine days after the guards' firing closed it). Such an
/// incident, once it follows another up, leaves the list, and what followed it up goes on
/// with it.
fn attach_follow_ups(
    index: &DurandIndex,
    q: &str,
    filters: &Filters,
    found: &mut Vec<Incident>,
    titles: &mut TitleAnalyzer,
) -> Result<(), SearchError> {
    // The incident's own filters (`--type`, as `--min-killed`) do not apply to what follows
    // it up: a follow-up reports no type.
    let mut filters = filters.clone();
    filters.types.clear();
    let filters = &filters;
    let mut reader = ReportReader::new(index)?;
    // The documents a query matches, decided once over the collection as for the reports
    // (every word, else any): a window's own fallback would let one word in.
    let allowed: Option<HashSet<String>> = if q.trim().is_empty() {
        None
    } else {
        Some(
            matching_documents(index, q, filters, false)?
                .into_iter()
                .map(|m| m.doc)
                .collect(),
        )
    };
    let alone: HashMap<String, usize> = found
        .iter()
        .enumerate()
        .filter(|(_, i)| i.reports.len() == 1)
        .map(|(at, i)| (i.reports[0].doc.clone(), at))
        .collect();
    let taken: HashSet<String> = found
        .iter()
        .flat_map(|i| i.reports.iter().map(|r| r.doc.clone()))
        .collect();
    let eligible = |doc: &str, at: usize, day: i32, first: i32| match alone.get(doc) {
        Some(&own) => own != at && day > first + MAX_DAYS_APART,
        None => !taken.contains(doc),
    };
    let fits = |incident: &Incident, report: &Report| {
        !alone.contains_key(&report.doc) || crate::incidents::late_report_fits(incident, report)
    };
    let joined = follow_ups(
        index,
        filters,
        &allowed,
        found,
        titles,
        &mut reader,
        &eligible,
        &fits,
    )?;
    // The incident each absorbed one joins; what follows an absorbed one up goes on with it
    // (to an earlier incident each time, so this ends).
    let absorbed: HashMap<usize, usize> = joined
        .iter()
        .flat_map(|(&at, reports)| {
            let alone = &alone;
            reports
                .iter()
                .filter_map(move |r| alone.get(&r.doc).map(|&own| (own, at)))
        })
        .collect();
    for (at, mut reports) in joined {
        let mut into = at;
        while let Some(&next) = absorbed.get(&into) {
            into = next;
        }
        // (still within the days an incident is followed up for)
        let last = found[into].first_day().map(|d| d + FOLLOW_UP_DAYS);
        reports.retain(|r| {
            into == at
                || r.date
                    .as_ref()
                    .and_then(PartialDate::day_number)
                    .zip(last)
                    .is_some_and(|(d, last)| d <= last)
        });
        found[into].add_follow_ups(reports.iter());
    }
    let mut at = 0;
    found.retain(|_| {
        at += 1;
        !absorbed.contains_key(&(at - 1))
    });
    Ok(())
}

/// The documents (`eligible` by id, incident, day and the incident's first day, and that
/// `fits` the incident as read) that follow the incidents of `found` up, by incident.
#[allow(clippy::too_many_arguments)]
fn follow_ups(
    index: &DurandIndex,
    filters: &Filters,
    allowed: &Option<HashSet<String>>,
    found: &[Incident],
    titles: &mut TitleAnalyzer,
    reader: &mut ReportReader,
    eligible: &dyn Fn(&str, usize, i32, i32) -> bool,
    fits: &dyn Fn(&Incident, &Report) -> bool,
) -> Result<BTreeMap<usize, Vec<Report>>, SearchError> {
    // Each candidate's report and title words, read once; its best fit so far.
    let mut candidates: HashMap<String, Option<(Report, Vec<TitleWord>)>> = HashMap::new();
    let mut best: HashMap<String, (f64, usize)> = HashMap::new();
    for (at, incident) in found.iter().enumerate() {
        let Some(first) = incident.first_day().filter(|_| incident.followed_up()) else {
            continue;
        };
        let report_titles: Vec<Vec<TitleWord>> = incident
            .reports
            .iter()
            .map(|r| titles.words(&r.title))
            .collect::<Result<_, _>>()?;
        let specific: BTreeSet<&str> = report_titles
            .iter()
            .flatten()
            .filter(|w| w.specific)
            .map(|w| w.term.as_str())
            .collect();
        if specific.len() < 2 {
            continue;
        }
        let words: Vec<(Occur, Box<dyn Query>)> = specific
            .iter()
            .map(|w| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(
                        tantivy::Term::from_field_text(index.fields.title, w),
                        IndexRecordOption::Basic,
                    )),
                )
            })
            .collect();
        let mut window = filters.clone();
        window.from = PartialDate::from_day_number(first);
        window.to = PartialDate::from_day_number(first + FOLLOW_UP_DAYS);
        let days = first..=first + FOLLOW_UP_DAYS;
        let matched = documents(
            index,
            "",
            &window,
            false,
            Some(Box::new(BooleanQuery::new(words))),
        )?;
        for m in matched {
            // A date known to the month only overlaps the window without lying in it.
            let Some(day) = m
                .date
                .and_then(|d| d.day_number())
                .filter(|d| days.contains(d))
            else {
                continue;
            };
            if !eligible(&m.doc, at, day, first)
                || allowed.as_ref().is_some_and(|a| !a.contains(&m.doc))
            {
                continue;
            }
            let candidate = match candidates.entry(m.doc.clone()) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let read = match reader.read(&m)? {
                        Some(report) => {
                            let words = titles.words(&report.title)?;
                            Some((report, words))
                        }
                        None => None,
                    };
                    e.insert(read)
                }
            };
            let Some((report, words)) = candidate else {
                continue;
            };
            let countries = report.countries();
            if incident
                .country
                .as_ref()
                .is_some_and(|c| !countries.is_empty() && !countries.contains(c))
                || !fits(incident, report)
            {
                continue;
            }
            if let Some(fit) = follow_up_fit(words, &report_titles)
                && best.get(&m.doc).is_none_or(|(f, _)| fit > *f)
            {
                best.insert(m.doc.clone(), (fit, at));
            }
        }
    }
    let mut joined: Vec<(String, usize)> = best.into_iter().map(|(d, (_, at))| (d, at)).collect();
    joined.sort();
    // More documents following an incident up than reporting it are a story of their own
    // that one of its reports touched (a prince's memoir recalling his kills beside a raid
    // that killed eight; a site's archive pages): none of them joins.
    let mut per_incident: HashMap<usize, usize> = HashMap::new();
    for (_, at) in &joined {
        *per_incident.entry(*at).or_default() += 1;
    }
    let mut out: BTreeMap<usize, Vec<Report>> = BTreeMap::new();
    for (doc, at) in joined {
        if per_incident[&at] > found[at].reports.len() {
            continue;
        }
        if let Some(Some((report, _))) = candidates.remove(&doc) {
            out.entry(at).or_default().push(report);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Doc, TestIndex};

    /// Two reports of the Bajaur rally bombing (30 July 2023), and unrelated items so that
    /// words have rarities.
    const BAJAUR: &[Doc] = &[
        (
            "b1",
            "Suicide bomber kills 54 at JUI-F rally in Bajaur",
            "2023-07-30",
            "KHAR: A suicide bomber blew himself up at a JUI-F workers' convention in Khar, \
             Bajaur district of Khyber Pakhtunkhwa, on Sunday, killing 54 people, police said.",
        ),
        (
            "b2",
            "Death toll from Bajaur rally bombing rises to 63",
            "2023-07-31",
            "PESHAWAR: The death toll from Sunday's suicide bombing at a JUI-F rally in Bajaur \
             district rose to 63 on Monday, hospital officials in Khyber Pakhtunkhwa said.",
        ),
        (
            "f1",
            "Wheat prices fall",
            "2023-07-20",
            "Wheat prices fell in Lahore markets.",
        ),
        (
            "f2",
            "Cricket team named",
            "2023-07-21",
            "The selectors named the squad.",
        ),
        (
            "f3",
            "Fuel levy raised",
            "2023-07-22",
            "The levy on petrol rose in Islamabad.",
        ),
        (
            "f4",
            "Heatwave warning issued",
            "2023-07-23",
            "Karachi residents were told to stay in.",
        ),
        (
            "f5",
            "Trade fair opens",
            "2023-07-24",
            "Exporters showed textiles in Karachi.",
        ),
    ];

    /// A document that only follows the bombing up (no violence of its own).
    fn follow_up<'a>(id: &'a str, date: &'a str, text: &'a str) -> Doc<'a> {
        (id, "Bajaur rally bomber identified", date, text)
    }

    const NEUTRAL: &str = "Investigators in Khar have named the man, officials said.";

    /// Each incident's reports, with whether each is a follow-up, as `events` lists them.
    fn incidents_of(extra: &[Doc], filters: &Filters) -> Vec<Vec<(String, bool)>> {
        let docs: Vec<Doc> = BAJAUR.iter().chain(extra).copied().collect();
        let t = TestIndex::new(&docs);
        incidents_matching(&t.index, "", filters, true)
            .unwrap()
            .into_iter()
            .map(|i| {
                i.reports
                    .into_iter()
                    .map(|r| (r.doc, r.follow_up))
                    .collect()
            })
            .collect()
    }

    fn bajaur(extra: &[Doc]) -> Vec<(String, bool)> {
        incidents_of(extra, &Filters::default())
            .into_iter()
            .find(|reports| reports.iter().any(|(d, _)| d == "b1"))
            .expect("the Bajaur incident")
    }

    fn reports(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|(d, f)| (d.to_string(), *f)).collect()
    }

    /// A title that names the Taliban and no place is Afghanistan's — unless the TTP, the
    /// Pakistani Taliban, are named.
    #[test]
    fn a_title_s_taliban_place_a_report_by_who_they_are() {
        let country = |title: &'static str, text: &'static str| {
            let t = TestIndex::new(&[("t1", title, "2023-05-02", text)]);
            incidents_matching(&t.index, "", &Filters::default(), false)
                .unwrap()
                .into_iter()
                .map(|i| i.country)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            country(
                "TTP Taliban claim attack that killed four soldiers",
                "Gunmen of the TTP attacked a post, killing four soldiers, officials said."
            ),
            [Some("Pakistan".to_string())]
        );
        assert_eq!(
            country(
                "Taliban fighters clash with border guards",
                "Taliban fighters clashed with border guards, killing four soldiers."
            ),
            [Some("Afghanistan".to_string())]
        );
    }

    /// A title's region of one province places a report that names no place; a region of
    /// many does not.
    #[test]
    fn a_region_of_one_province_places_a_report() {
        let province = |title: &'static str| {
            let text = "Gunmen opened fire on a police van, killing two officers, officials said.";
            let t = TestIndex::new(&[("t1", title, "2023-04-04", text)]);
            incidents_matching(&t.index, "", &Filters::default(), false)
                .unwrap()
                .into_iter()
                .map(|i| (i.country, i.province))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            province("Gunmen kill 2 police in northwest Pakistan"),
            [(
                Some("Pakistan".to_string()),
                Some("Khyber Pakhtunkhwa".to_string())
            )]
        );
        assert_eq!(
            province("Gunmen kill 2 police in eastern Afghanistan"),
            [(Some("Afghanistan".to_string()), None)]
        );
    }

    /// A report illustrated by a file photo of Kabul is not placed in Kabul: the same day's
    /// report of the toll in Pakistan joins the rally bombing.
    #[test]
    fn a_file_photo_does_not_place_a_report() {
        let illustrated = (
            "p",
            "Suicide bomber kills 54 at political rally in Pakistan",
            "2023-07-30",
            "Taliban fighters stand guard along a street in Kabul on Jan. 21, 2022. \
             (Mohd Rasfan/AFP via Getty Images)",
        );
        assert!(bajaur(&[illustrated]).contains(&("p".to_string(), false)));
        // Photographed the day before, it shows where the news happened: Kabul.
        let fresh = (
            "p",
            "Suicide bomber kills 54 at political rally in Pakistan",
            "2023-07-30",
            "Taliban fighters stand guard along a street in Kabul on July 29, 2023. \
             (Mohd Rasfan/AFP via Getty Images)",
        );
        assert!(!bajaur(&[fresh]).iter().any(|(d, _)| d == "p"));
    }

    /// Two days after the rally bombing, a report whose title shares its rare words joins it;
    /// a grenade in Khar, whose title shares none, is another incident.
    #[test]
    fn two_days_on_the_titles_rare_words_decide() {
        let buried = (
            "y",
            "Bajaur rally victims buried",
            "2023-08-01",
            "KHAR: Funerals were held in Bajaur on Tuesday for the victims of Sunday's suicide \
             bombing at the JUI-F rally.",
        );
        let grenade = (
            "x",
            "Grenade hits Khar market, three wounded",
            "2023-08-01",
            "KHAR: A grenade attack on a market in Khar, Bajaur district, wounded three people \
             on Tuesday, police said.",
        );
        let found = incidents_of(&[buried, grenade], &Filters::default());
        let with = |doc: &str| {
            found
                .iter()
                .find(|i| i.iter().any(|(d, _)| d == doc))
                .unwrap_or_else(|| panic!("{doc} in an incident: {found:?}"))
        };
        assert!(with("y").iter().any(|(d, _)| d == "b1"), "{found:?}");
        assert_eq!(with("x"), &reports(&[("x", false)]), "{found:?}");
    }

    /// A report of violence dated after the incident's days is an incident of its own
    /// unless its title follows the incident up; then it joins as a follow-up — not from
    /// another province, nor with another toll.
    #[test]
    fn a_late_report_of_violence_follows_the_incident_up() {
        let late =
            |title: &'static str, text: &'static str| bajaur(&[("z", title, "2023-08-05", text)]);
        assert_eq!(
            late(
                "JUI-F rally bombing toll in Bajaur rises to 63",
                "PESHAWAR: The toll of the suicide bombing at the JUI-F rally in Bajaur, \
                 Khyber Pakhtunkhwa, rose to 63, hospital officials said."
            ),
            reports(&[("b1", false), ("b2", false), ("z", true)])
        );
        let alone = reports(&[("b1", false), ("b2", false)]);
        assert_eq!(
            late(
                "JUI-F rally bombing in Quetta kills 63",
                "QUETTA: A suicide bombing at a JUI-F rally in Quetta, Balochistan, killed 63, \
                 officials said."
            ),
            alone
        );
        assert_eq!(
            late(
                "JUI-F rally bombing in Bajaur kills 3",
                "KHAR: A suicide bombing at a JUI-F rally in Bajaur, Khyber Pakhtunkhwa, killed \
                 3, officials said."
            ),
            alone
        );
    }

    #[test]
    fn a_follow_up_joins_from_the_first_day_to_fourteen_days_later() {
        let joined = reports(&[("b1", false), ("b2", false), ("x", true)]);
        // Listed by date: on the first day, before the next day's report.
        assert_eq!(
            bajaur(&[follow_up("x", "2023-07-30", NEUTRAL)]),
            reports(&[("b1", false), ("x", true), ("b2", false)])
        );
        assert_eq!(bajaur(&[follow_up("x", "2023-08-13", NEUTRAL)]), joined);
        let alone = reports(&[("b1", false), ("b2", false)]);
        assert_eq!(bajaur(&[follow_up("x", "2023-08-14", NEUTRAL)]), alone);
        assert_eq!(bajaur(&[follow_up("x", "2023-07-29", NEUTRAL)]), alone);
        // A month overlaps the window without lying in it.
        assert_eq!(bajaur(&[follow_up("x", "2023-08", NEUTRAL)]), alone);
    }

    #[test]
    fn a_follow_up_names_no_other_country() {
        let khar = "KHAR: Investigators in Khar have named the man, officials said.";
        let b = bajaur(&[("x", "Rally bomber identified", "2023-08-02", khar)]);
        assert_eq!(b, reports(&[("b1", false), ("b2", false), ("x", true)]));
        let kandahar = "KANDAHAR: Investigators in Kandahar have named the man, officials said.";
        let b = bajaur(&[("x", "Rally bomber identified", "2023-08-02", kandahar)]);
        assert_eq!(b, reports(&[("b1", false), ("b2", false)]));
    }

    #[test]
    fn more_follow_ups_than_reports_are_a_story_of_their_own() {
        let three = [
            follow_up("x", "2023-08-01", NEUTRAL),
            follow_up("y", "2023-08-02", NEUTRAL),
            follow_up("z", "2023-08-03", "Officials in Khar gave the man's name."),
        ];
        assert_eq!(bajaur(&three), reports(&[("b1", false), ("b2", false)]));
        assert_eq!(
            bajaur(&three[..2]),
            reports(&[("b1", false), ("b2", false), ("x", true), ("y", true)])
        );
    }

    #[test]
    fn a_protest_is_not_followed_up_and_a_type_filter_keeps_follow_ups() {
        let x = follow_up("x", "2023-08-02", NEUTRAL);
        let filters = Filters {
            types: vec![EventType::SuicideBombing],
            ..Filters::default()
        };
        let found = incidents_of(&[x], &filters);
        assert_eq!(
            found,
            vec![reports(&[("b1", false), ("b2", false), ("x", true)])]
        );
        // The same titles over a protest and over a bombing at a protest: only the bombing
        // is followed up.
        let rally = |first: &'static str, second: &'static str| {
            let docs = [
                (
                    "p1",
                    "Traders' tariffs protest in Lahore",
                    "2023-08-20",
                    first,
                ),
                ("p2", "Lahore tariffs protest ends", "2023-08-21", second),
                (
                    "p3",
                    "Lahore tariffs row",
                    "2023-08-23",
                    "Officials said the men had been detained.",
                ),
            ];
            incidents_of(&docs, &Filters::default())
                .into_iter()
                .find(|reports| reports.iter().any(|(d, _)| d == "p1"))
                .expect("the Lahore incident")
        };
        assert_eq!(
            rally(
                "LAHORE: Thousands of traders protested in Lahore against electricity tariffs.",
                "Traders in Lahore ended their protest against the tariffs on Monday."
            ),
            reports(&[("p1", false), ("p2", false)])
        );
        assert_eq!(
            rally(
                "LAHORE: A bomb exploded at a protest of traders in Lahore, killing five people.",
                "A bomb blast at the traders' protest in Lahore killed five people on Sunday."
            ),
            reports(&[("p1", false), ("p2", false), ("p3", true)])
        );
    }
}
