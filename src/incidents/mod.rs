//! From reports to incidents: the documents a search finds that report violence are grouped
//! into the incidents they describe — near-duplicates (one story) always together, other
//! reports when their event types are compatible, their places agree (or, on the first day,
//! the same sizeable toll outweighs another town's name), their dates lie within
//! a few days of the incident's first report (of its latest, capped, for a protest, which
//! lasts) and their death tolls do not contradict (shared
//! armed groups count in favour; different ones do not veto, since a Peshawar bombing is
//! tagged TTP by one outlet and "Taliban" by another) — and each incident gets a date, a place,
//! types, actors and casualty figures (low, best, high) backed by its reports. Reports that
//! follow an incident up without reporting violence themselves — the bomber identified, the
//! killer arrested, the crossing reopened — join it afterwards by their titles
//! ([`follow_up_fit`]), flagged, adding no type, place or figure. The timeline
//! ([`timeline`]) counts documents, stories, incidents or the killed over time.

pub mod timeline;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::analysis::events::EventType;
use crate::analysis::story::story_name;
use crate::date::{PartialDate, Precision};
use crate::tag::EntityKind;

/// A report more than this many days after the day an incident is measured from (its first
/// report's; a protest's latest, [`Cluster::anchor`]) is not one of its reports.
pub const MAX_DAYS_APART: i32 = 3;

/// From this many days after the day an incident is measured from, a report joins it only if
/// its title shares a rare word with the incident's titles: a new burst of reports in the same
/// town two days on (a bombing at a press award two days after the governor's) is a new
/// incident. A title without rare words ("Death toll rises to 64"), or a report that names the
/// incident's town (or no town) and about its toll, is not held to it.
const LATE_DAYS: i32 = 2;

/// How many rare words a report's title must share with one of an incident's titles to join
/// it although their places disagree ([`Apart::Places`]).
const TITLE_TIE: usize = 2;

/// The smallest death toll that, given the same day and type, ties a report to an incident
/// whose town it does not name: small tolls agree by chance.
const SAME_TOLL_MIN: u32 = 5;

/// One place a report names: country, province and (when known) the district or city.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    pub country: String,
    pub province: String,
    pub place: Option<String>,
}

/// A document that reports violence, as incidents are built from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub doc: String,
    pub title: String,
    /// The article's address, when its source gave one, and the file it was read from: what
    /// a link on its title opens.
    pub url: Option<String>,
    pub path: String,
    pub date: Option<PartialDate>,
    pub source: Option<String>,
    pub story: u64,
    pub types: Vec<EventType>,
    pub places: Vec<Place>,
    /// Those of its places its title names: where the report says it happened, before a
    /// dateline's city or a place mentioned in passing.
    pub title_places: Vec<Place>,
    /// Armed groups and state forces, by entity kind name (`group`, `force`).
    pub actors: BTreeMap<&'static str, Vec<String>>,
    /// The report's conflict tolls ([`crate::analysis::toll`]).
    pub killed: Option<u32>,
    pub wounded: Option<u32>,
    /// The country the title names (Pakistan, Afghanistan), for reports that name no place
    /// durand knows.
    pub country_hint: Option<String>,
    /// The provinces (country, province) of the part of a country its title places it in
    /// ("Explosions in northern Afghanistan kill 15"): [`title_region`]; empty when it names
    /// none.
    pub region: BTreeSet<(String, String)>,
    /// Whether the title itself gives a toll of the incident ("Suicide bomber kills at least
    /// 17 at mosque"): such a title heads an incident before an explainer's.
    pub title_toll: bool,
}

impl Report {
    /// The countries of its places, else the one its title names.
    pub fn countries(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self.places.iter().map(|p| p.country.clone()).collect();
        if out.is_empty() {
            out.extend(self.country_hint.clone());
        }
        out
    }
}

/// Low, best and high of the figures an incident's reports give. `best` is the figure of the
/// most recent report that gives one (tolls grow as the dead are counted; a later report
/// knows more); ties go to the larger figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Range3 {
    pub low: Option<u32>,
    pub best: Option<u32>,
    pub high: Option<u32>,
}

/// A report as an incident lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRef {
    pub doc: String,
    pub title: String,
    pub date: Option<String>,
    pub source: Option<String>,
    /// Joined as a follow-up ([`follow_up_fit`]): its title resembles the incident's reports',
    /// it reports no violence of its own (or names no place to found an incident on).
    pub follow_up: bool,
}

/// One incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// The story id of its first report of violence (stable while that report is indexed;
    /// a follow-up of the same day may be listed before it).
    pub id: String,
    pub date: Option<String>,
    pub date_precision: Option<Precision>,
    pub types: Vec<EventType>,
    pub country: Option<String>,
    pub province: Option<String>,
    pub place: Option<String>,
    /// Groups, forces (by the registry's plural names).
    #[serde(flatten)]
    pub actors: BTreeMap<&'static str, Vec<String>>,
    pub killed: Range3,
    pub wounded: Range3,
    /// The title of the report most often repeated (its story has the most copies) among the
    /// reports whose titles give a toll, else among all; else the first.
    pub headline: String,
    /// The headline's report's article address and file, for a link on the headline (its
    /// `doc` is among `reports`).
    #[serde(skip)]
    pub headline_url: Option<String>,
    #[serde(skip)]
    pub headline_path: String,
    /// Distinct sources among the reports.
    pub sources: usize,
    pub reports: Vec<ReportRef>,
}

/// Types that describe one incident from different angles: a blast whose attacker is
/// later said to have been a suicide bomber; a gunfight that is also called an operation.
fn family(t: EventType) -> u8 {
    match t {
        EventType::SuicideBombing | EventType::Bombing => 0,
        EventType::ArmedClash | EventType::MilitaryOperation | EventType::TargetedKilling => 1,
        EventType::AirStrike | EventType::DroneStrike | EventType::Shelling => 2,
        EventType::Abduction => 3,
        EventType::Protest => 4,
        EventType::OtherViolence => 5,
    }
}

/// Why a report cannot join an incident as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Apart {
    /// Other days, another kind, another country, a contradicting toll.
    Never,
    /// Only their places disagree: a title may still tie them ([`TITLE_TIE`]).
    Places,
}

/// A group of reports on its way to being an incident.
struct Cluster {
    members: Vec<usize>,
    /// The day of its earliest report.
    first: i32,
    /// The day of its latest report.
    last: i32,
    types: BTreeSet<EventType>,
    /// The type families ([`family`]) of the story it was founded on: what it is an incident
    /// of. A report joins only if it shares one, so an article that also recalls another
    /// kind of attack (a drone strike's report naming the bombing it answered) does not open
    /// the incident to every report of that kind.
    families: BTreeSet<u8>,
    /// The story it was founded on.
    founder: Option<u64>,
    countries: BTreeSet<String>,
    provinces: BTreeSet<(String, String)>,
    /// Districts and cities, with how many reports name each.
    places: BTreeMap<String, usize>,
    /// The country and province of each of them.
    place_of: BTreeMap<String, (String, String)>,
    groups: BTreeSet<String>,
    /// The smallest and largest death toll its reports give.
    killed: Option<(u32, u32)>,
}

/// How well a report's death toll fits the tolls an incident's reports gave: about the same
/// (within half again) fits best; otherwise it still fits when it is not far smaller (early
/// and rounded tolls are low: "dozens" against 52) nor more than tenfold larger (tolls grow
/// as the dead are counted: 17 at first, 101 three days later).
fn toll_fit(toll: u32, (low, high): (u32, u32)) -> Option<u32> {
    let (toll, low, high) = (u64::from(toll), u64::from(low), u64::from(high));
    if 3 * toll >= 2 * low && 2 * toll <= 3 * high {
        Some(3)
    } else if 3 * toll >= low && toll <= 10 * high.max(1) {
        Some(1)
    } else {
        None
    }
}

impl Cluster {
    fn empty(day: i32) -> Cluster {
        Cluster {
            members: Vec::new(),
            first: day,
            last: day,
            types: BTreeSet::new(),
            families: BTreeSet::new(),
            founder: None,
            countries: BTreeSet::new(),
            provinces: BTreeSet::new(),
            places: BTreeMap::new(),
            place_of: BTreeMap::new(),
            groups: BTreeSet::new(),
            killed: None,
        }
    }

    fn add(&mut self, i: usize, r: &Report) {
        self.members.push(i);
        if let Some(d) = r.date.as_ref().and_then(PartialDate::day_number) {
            self.last = self.last.max(d);
        }
        self.types.extend(r.types.iter().copied());
        if *self.founder.get_or_insert(r.story) == r.story {
            self.families.extend(r.types.iter().map(|t| family(*t)));
        }
        self.countries.extend(r.countries());
        for p in &r.places {
            self.provinces
                .insert((p.country.clone(), p.province.clone()));
            if let Some(place) = &p.place {
                *self.places.entry(place.clone()).or_insert(0) += 1;
                self.place_of
                    .entry(place.clone())
                    .or_insert_with(|| (p.country.clone(), p.province.clone()));
            }
        }
        self.groups.extend(
            r.actors
                .get(EntityKind::GROUP.name())
                .into_iter()
                .flatten()
                .cloned(),
        );
        if let Some(k) = r.killed {
            self.killed = Some(
                self.killed
                    .map_or((k, k), |(lo, hi)| (lo.min(k), hi.max(k))),
            );
        }
    }

    /// The day later reports are measured from ([`MAX_DAYS_APART`], [`LATE_DAYS`]): its
    /// first report's — a bombing does not drift along a chain of reports — unless it was
    /// founded on a protest (a story of no other type), which lasts (supporters fighting the
    /// police at a leader's house for two days, the court's pause reported on the third):
    /// then its latest report's, but no later than [`MAX_DAYS_APART`] days after its first.
    fn anchor(&self) -> i32 {
        if self
            .families
            .iter()
            .all(|f| *f == family(EventType::Protest))
        {
            self.last.min(self.first + MAX_DAYS_APART)
        } else {
            self.first
        }
    }

    /// The town its reports name most.
    fn own_place(&self) -> Option<&String> {
        self.places
            .iter()
            .max_by_key(|(name, n)| (**n, std::cmp::Reverse(*name)))
            .map(|(name, _)| name)
    }

    /// Whether `place` may be the incident's own town ([`one_place`]).
    fn is_own(&self, own: &str, place: &Place) -> bool {
        let Some(town) = place.place.as_deref() else {
            return false;
        };
        town == own
            || self.place_of.get(own).is_some_and(|(country, province)| {
                one_place(
                    (&place.country, &place.province, town),
                    (country, province, own),
                )
            })
    }

    /// Whether `r` gives about its toll, [`SAME_TOLL_MIN`] dead or more (small tolls agree
    /// by chance).
    fn same_toll(&self, r: &Report) -> bool {
        matches!(
            (r.killed, self.killed),
            (Some(k), Some(range)) if k >= SAME_TOLL_MIN && toll_fit(k, range) == Some(3)
        )
    }

    /// Whether `r` names its own town (or no town at all: "A Pakistani city, crushed by a
    /// suicide bomb") and about its toll: a tie no title is needed for.
    fn same_town_and_toll(&self, r: &Report) -> bool {
        let town = self.own_place().is_some_and(|own| {
            r.places.iter().all(|p| p.place.is_none())
                || r.places.iter().any(|p| self.is_own(own, p))
        });
        town && self.same_toll(r)
    }

    /// Whether `r` names a town and not the incident's own, both having one, without about
    /// its toll: "Policeman shot dead in Peshawar" and "… in Mardan" on one day are two
    /// incidents however alike their titles.
    fn another_town(&self, r: &Report) -> bool {
        let towns: Vec<&Place> = r.places.iter().filter(|p| p.place.is_some()).collect();
        self.own_place()
            .is_some_and(|own| !towns.is_empty() && !towns.iter().any(|p| self.is_own(own, p)))
            && !self.same_toll(r)
    }

    /// How well `r` fits, or why it cannot be the same incident.
    fn fit(&self, r: &Report, day: i32) -> Result<u32, Apart> {
        if day + 1 < self.first || day > self.anchor() + MAX_DAYS_APART {
            return Err(Apart::Never);
        }
        let same_type = r.types.iter().filter(|t| self.types.contains(t)).count() as u32;
        // A report that says only "an attack" (other violence) may be of any kind, when more
        // than its type ties it to the incident: about the same toll, or the same town.
        let kin = r.types.iter().any(|t| self.families.contains(&family(*t)));
        let vague = !kin && r.types.iter().all(|t| *t == EventType::OtherViolence);
        if !kin && !vague {
            return Err(Apart::Never);
        }
        let groups: Vec<&String> = r
            .actors
            .get(EntityKind::GROUP.name())
            .into_iter()
            .flatten()
            .collect();
        let shared_groups = groups.iter().filter(|g| self.groups.contains(**g)).count() as u32;
        let countries = r.countries();
        if !countries.is_empty()
            && !self.countries.is_empty()
            && countries.iter().all(|c| !self.countries.contains(c))
        {
            return Err(Apart::Never);
        }
        // "Explosions in northern Afghanistan" are not a bombing in Kabul, whatever the body
        // names in passing.
        if !r.region.is_empty()
            && !self.provinces.is_empty()
            && r.region.is_disjoint(&self.provinces)
        {
            return Err(Apart::Never);
        }
        // `None`: the tolls contradict; `Some(0)`: nothing to compare.
        let tolls = match (r.killed, self.killed) {
            (Some(k), Some(range)) => toll_fit(k, range),
            _ => Some(0),
        };
        let types = 2 * same_type + 1;
        let provinces: BTreeSet<(String, String)> = r
            .places
            .iter()
            .map(|p| (p.country.clone(), p.province.clone()))
            .collect();
        if provinces.is_empty() || self.provinces.is_empty() {
            // No place to compare: the same country and tolls that do not contradict; a
            // weaker fit than any place in common.
            let tolls = tolls.ok_or(Apart::Never)?;
            if countries.is_empty() || vague && tolls < 3 {
                return Err(Apart::Never);
            }
            return Ok(types + tolls + shared_groups);
        }
        // Only the places keep it apart when it is of the incident's kind and country and
        // its toll does not contradict.
        let by_places =
            if kin && tolls.is_some() && countries.iter().any(|c| self.countries.contains(c)) {
                Apart::Places
            } else {
                Apart::Never
            };
        let places: Vec<&Place> = r.places.iter().filter(|p| p.place.is_some()).collect();
        let shared_provinces = provinces.intersection(&self.provinces).count() as u32;
        let shared_places = places
            .iter()
            .filter(|p| self.places.keys().any(|own| self.is_own(own, p)))
            .count() as u32;
        if shared_provinces == 0 || vague && shared_places == 0 && tolls.unwrap_or(0) < 3 {
            return Err(by_places);
        }
        // Both name districts or cities and the report does not name the incident's own (the
        // one its reports name most): two incidents in one province, or a report of another
        // incident that mentions this one — unless it reports the same type and about the
        // same toll, five dead or more, on the incident's first day (one outlet names the
        // city it reports from, another the town where it happened; one-victim killings in
        // two towns on one day are two incidents).
        let own = self.own_place();
        let same_toll = day == self.first && same_type > 0 && self.same_toll(r);
        // Where the report says it happened: the towns its title names in the incident's
        // provinces, if any ("seven terrorists killed in Tank" is not the Peshawar operation
        // its reporter's byline city hosts; "Peshawar-bound train attacked" in Balochistan is
        // where its body says), else every town it names.
        let titled: Vec<&Place> = r
            .title_places
            .iter()
            .filter(|p| {
                p.place.is_some()
                    && self
                        .provinces
                        .contains(&(p.country.clone(), p.province.clone()))
            })
            .collect();
        let said = if titled.is_empty() { &places } else { &titled };
        if !said.is_empty()
            && own.is_some_and(|own| !said.iter().any(|p| self.is_own(own, p)))
            && !same_toll
        {
            return Err(by_places);
        }
        Ok(6 + types + shared_provinces + 2 * shared_places + shared_groups + tolls.unwrap_or(0))
    }
}

/// Whether two towns, each `(country, province, town)`, may be one place: the same, or one
/// lies within the other — a town in its district (Jaranwala in Faisalabad, Miranshah in North
/// Waziristan: [`crate::tag::within`]), or any town of a province in the town that bears the
/// province's name (a report from "Sar-e Pol" may mean the province, Sancharak included).
fn one_place(a: (&str, &str, &str), b: (&str, &str, &str)) -> bool {
    let inside = |(country, province, town): (&str, &str, &str), outer: &str| {
        outer == province || crate::tag::within::district_of(country, province, town) == Some(outer)
    };
    a.2 == b.2 || a.0 == b.0 && a.1 == b.1 && (inside(a, b.2) || inside(b, a.2))
}

/// Whether a report of violence dated after an incident's days may still follow it up: it
/// names the incident's province (or none), and its death toll, if both have one, is about
/// the incident's — by then the dead are counted ("Forces raid hideout, kill 12" five days
/// after a raid that killed two is another raid).
pub fn late_report_fits(incident: &Incident, r: &Report) -> bool {
    let province = incident
        .province
        .as_ref()
        .is_none_or(|p| r.places.is_empty() || r.places.iter().any(|place| &place.province == p));
    let toll = match (r.killed, incident.killed.low, incident.killed.high) {
        (Some(k), Some(low), Some(high)) => toll_fit(k, (low, high)) == Some(3),
        _ => true,
    };
    province && toll
}

/// Groups `reports` into incidents. Reports of one story always go together; the others
/// join the best-fitting incident, taken in date order. `title_words` gives a report's
/// title's rare words; it is asked only of the reports a story may join through them — a
/// later story ([`LATE_DAYS`]) or one whose places disagree ([`TITLE_TIE`]) — each once.
pub fn incidents<E>(
    reports: &[Report],
    mut title_words: impl FnMut(&Report) -> Result<Vec<String>, E>,
) -> Result<Vec<Incident>, E> {
    // Reports in one order whatever order they came in (the index's order depends on how
    // its writing threads interleaved): by date, then id.
    let mut canonical: Vec<usize> = (0..reports.len()).collect();
    canonical.sort_by_cached_key(|&i| {
        let r = &reports[i];
        (
            r.date.as_ref().and_then(PartialDate::day_number),
            r.doc.clone(),
        )
    });
    // Stories first, each as the reports it holds, placed at its earliest dated report.
    let mut stories: Vec<Vec<usize>> = Vec::new();
    let mut by_story: HashMap<u64, usize> = HashMap::new();
    for i in canonical {
        let r = &reports[i];
        let at = *by_story.entry(r.story).or_insert_with(|| {
            stories.push(Vec::new());
            stories.len() - 1
        });
        stories[at].push(i);
    }
    let day_of = |members: &[usize]| {
        members
            .iter()
            .filter_map(|&i| reports[i].date.as_ref().and_then(PartialDate::day_number))
            .min()
    };
    // By day; within a day, stories that name a district or city first, then a province,
    // then none: incidents are founded on the reports that say where they happened.
    let vagueness = |members: &[usize]| {
        let r = &reports[members[0]];
        if r.places.iter().any(|p| p.place.is_some()) {
            0
        } else if r.places.is_empty() {
            2
        } else {
            1
        }
    };
    let mut order: Vec<(Option<i32>, u8, usize)> = stories
        .iter()
        .enumerate()
        .map(|(s, members)| (day_of(members), vagueness(members), s))
        .collect();
    order.sort();

    let mut clusters: Vec<Cluster> = Vec::new();
    let mut undated: Vec<Vec<usize>> = Vec::new();
    // Title words asked so far, by report.
    let mut words: HashMap<usize, Vec<String>> = HashMap::new();
    for (day, _, s) in order {
        let members = &stories[s];
        // A story none of whose reports names a place or a country ("FirstFT: Russia not
        // complying…", an award story recalling "a Taliban raid") says nowhere happened.
        if members.iter().all(|&i| reports[i].countries().is_empty()) {
            continue;
        }
        let Some(day) = day else {
            undated.push(members.clone());
            continue;
        };
        let first = members[0];
        // The story's title words, copied out of the cache once if a late incident asks.
        let mut ours: Option<Vec<String>> = None;
        let mut best: Option<(u32, usize)> = None;
        for (c, cluster) in clusters.iter().enumerate() {
            let f = match cluster.fit(&reports[first], day) {
                Ok(f) => f,
                // Only the places disagree (one outlet names the court that issued a warrant,
                // another the town where the police met the crowd): a title that shares
                // [`TITLE_TIE`] rare words with one of the incident's still joins it, as
                // weakly as anything can.
                Err(Apart::Places) if !cluster.another_town(&reports[first]) => {
                    if ours.is_none() {
                        ours =
                            Some(words_of(reports, first, &mut words, &mut title_words)?.to_vec());
                    }
                    let ours = ours.as_deref().unwrap_or_default();
                    let mut tied = false;
                    for &m in &cluster.members {
                        let theirs = words_of(reports, m, &mut words, &mut title_words)?;
                        if ours.iter().filter(|w| theirs.contains(w)).count() >= TITLE_TIE {
                            tied = true;
                            break;
                        }
                    }
                    if !tied {
                        continue;
                    }
                    1
                }
                Err(_) => continue,
            };
            // equal fits: the incident that began nearest the report's day, then the first
            let key = |(f, c): (u32, usize)| {
                let apart = (day - clusters[c].first).abs();
                (f, std::cmp::Reverse(apart), std::cmp::Reverse(c))
            };
            if best.is_some_and(|b| key(b) >= key((f, c))) {
                continue;
            }
            // two days on, a title with rare words must share one (a title with none, or a
            // report of the incident's town, or of no town, and toll needs no title to join)
            if day >= cluster.anchor() + LATE_DAYS && !cluster.same_town_and_toll(&reports[first]) {
                if ours.is_none() {
                    ours = Some(words_of(reports, first, &mut words, &mut title_words)?.to_vec());
                }
                let ours = ours.as_deref().unwrap_or_default();
                let mut shared = ours.is_empty();
                for &m in &cluster.members {
                    let theirs = words_of(reports, m, &mut words, &mut title_words)?;
                    if theirs.iter().any(|w| ours.contains(w)) {
                        shared = true;
                        break;
                    }
                }
                if !shared {
                    continue;
                }
            }
            best = Some((f, c));
        }
        let c = match best {
            Some((_, c)) => c,
            None => {
                clusters.push(Cluster::empty(day));
                clusters.len() - 1
            }
        };
        for &i in members {
            clusters[c].add(i, &reports[i]);
        }
    }
    Ok(clusters
        .into_iter()
        .map(|c| c.members)
        .chain(undated)
        .map(|members| summarise(reports, &members))
        .collect())
}

/// Report `i`'s title words, asked of `ask` the first time.
fn words_of<'w, E>(
    reports: &[Report],
    i: usize,
    words: &'w mut HashMap<usize, Vec<String>>,
    ask: &mut impl FnMut(&Report) -> Result<Vec<String>, E>,
) -> Result<&'w [String], E> {
    if let std::collections::hash_map::Entry::Vacant(e) = words.entry(i) {
        e.insert(ask(&reports[i])?);
    }
    Ok(&words[&i])
}

/// Each value of the reports' lists once, by how many reports give it (a report naming it
/// twice counts once), most first — an incident's first type and actors are the CSV's event
/// type and actor 1 — ties in the values' own order.
fn by_reports<'a, T: Ord + Clone + 'a>(lists: impl Iterator<Item = &'a [T]>) -> Vec<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    for list in lists {
        let own: BTreeSet<&T> = list.iter().collect();
        for v in own {
            *counts.entry(v.clone()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(T, usize)> = counts.into_iter().collect();
    ranked.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    ranked.into_iter().map(|(v, _)| v).collect()
}

/// The most common value, ties to the first seen.
fn most_common<T: Clone + Eq + std::hash::Hash>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(w, _)| *w == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    let top = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == top).map(|(v, _)| v)
}

/// Low, best and high of the figures `figure` gives of the reports, in date order.
fn range3(reports: &[&Report], figure: impl Fn(&Report) -> Option<u32>) -> Range3 {
    let given: Vec<(Option<i32>, u32)> = reports
        .iter()
        .filter_map(|r| figure(r).map(|n| (r.date.as_ref().and_then(PartialDate::day_number), n)))
        .collect();
    Range3 {
        low: given.iter().map(|(_, n)| *n).min(),
        best: given.iter().max_by_key(|(d, n)| (*d, *n)).map(|(_, n)| *n),
        high: given.iter().map(|(_, n)| *n).max(),
    }
}

fn summarise(all: &[Report], members: &[usize]) -> Incident {
    let mut reports: Vec<&Report> = members.iter().map(|&i| &all[i]).collect();
    reports.sort_by_key(|r| {
        (
            r.date.as_ref().and_then(PartialDate::day_number),
            r.doc.clone(),
        )
    });
    let first = reports[0];
    let date = reports
        .iter()
        .filter_map(|r| r.date)
        .find(|d| d.precision() == Precision::Day)
        .or(first.date);
    let mut types: Vec<EventType> = by_reports(reports.iter().map(|r| r.types.as_slice()));
    // A suicide bombing is a bombing: list the more precise type only.
    if types.contains(&EventType::SuicideBombing) {
        types.retain(|t| *t != EventType::Bombing);
    }
    // Each report names its places once, those of its title three times: "Five labourers
    // shot dead in South Waziristan" under a "PESHAWAR –" dateline happened in South
    // Waziristan.
    let weighted = || {
        reports.iter().flat_map(|r| {
            r.places
                .iter()
                .chain(r.title_places.iter())
                .chain(r.title_places.iter())
        })
    };
    let province = most_common(weighted().map(|p| (p.country.clone(), p.province.clone())));
    let place = province.as_ref().and_then(|(c, p)| {
        most_common(
            weighted()
                .filter(|q| &q.country == c && &q.province == p)
                .filter_map(|q| q.place.clone()),
        )
    });
    // Every kind of actor is listed, empty or not: scripts read `groups` and `forces`.
    let actors: BTreeMap<&'static str, Vec<String>> = EntityKind::all()
        .filter(|k| !k.spec().places)
        .map(|k| {
            let named = reports
                .iter()
                .filter_map(|r| r.actors.get(k.name()).map(Vec::as_slice));
            (k.spec().plural, by_reports(named))
        })
        .collect();
    // The most-copied story among the reports whose titles give a toll, else among all.
    let tolled: Vec<&Report> = reports.iter().copied().filter(|r| r.title_toll).collect();
    let heading = if tolled.is_empty() { &reports } else { &tolled };
    let copies = most_common(heading.iter().map(|r| r.story)).unwrap_or(first.story);
    let head = heading
        .iter()
        .find(|r| r.story == copies)
        .copied()
        .unwrap_or(first);
    Incident {
        id: story_name(first.story),
        date: date.map(|d| d.iso()),
        date_precision: date.map(|d| d.precision()),
        types,
        // The country of its most-named province, else the one its reports' titles name.
        country: province
            .as_ref()
            .map(|(c, _)| c.clone())
            .or_else(|| most_common(reports.iter().filter_map(|r| r.country_hint.clone()))),
        province: province.map(|(_, p)| p),
        place,
        actors,
        killed: range3(&reports, |r| r.killed),
        wounded: range3(&reports, |r| r.wounded),
        headline: head.title.clone(),
        headline_url: head.url.clone(),
        headline_path: head.path.clone(),
        sources: distinct_sources(reports.iter().map(|r| r.source.as_deref())),
        reports: reports.iter().map(|r| report_ref(r)).collect(),
    }
}

impl Incident {
    /// Whether it is, first of all (by its most reported type), violence that has an
    /// aftermath to follow up — a bombing, a clash, a strike, an abduction, or other violence
    /// or a protest that [`CORROBORATED`] sources report (a mob's attack on churches, the
    /// clashes of a leader's supporters with the police come to arrest him) — not a protest
    /// only one or two outlets noticed (whose leader's court hearings are a story of their
    /// own).
    pub fn followed_up(&self) -> bool {
        self.types.first().is_some_and(|t| {
            family(*t) <= family(EventType::Abduction)
                || matches!(t, EventType::OtherViolence | EventType::Protest)
                    && self.sources >= CORROBORATED
        })
    }

    /// The day of its earliest report dated to the day (its date, when that is a day).
    pub fn first_day(&self) -> Option<i32> {
        self.date
            .as_deref()
            .and_then(PartialDate::parse_iso)
            .and_then(|d| d.day_number())
    }

    /// Lists `reports` among its reports as follow-ups, in date order, their sources counted.
    pub fn add_follow_ups<'a>(&mut self, reports: impl IntoIterator<Item = &'a Report>) {
        self.reports.extend(reports.into_iter().map(|r| ReportRef {
            follow_up: true,
            ..report_ref(r)
        }));
        self.reports.sort_by_cached_key(|r| {
            (
                r.date
                    .as_deref()
                    .and_then(PartialDate::parse_iso)
                    .and_then(|d| d.day_number()),
                r.doc.clone(),
            )
        });
        self.sources = distinct_sources(self.reports.iter().map(|r| r.source.as_deref()));
    }
}

/// A report as an incident lists it (not a follow-up).
fn report_ref(r: &Report) -> ReportRef {
    ReportRef {
        doc: r.doc.clone(),
        title: r.title.clone(),
        date: r.date.map(|d| d.iso()),
        source: r.source.clone(),
        follow_up: false,
    }
}

/// How many distinct sources reports name (reports from files name none).
fn distinct_sources<'a>(sources: impl Iterator<Item = Option<&'a str>>) -> usize {
    sources.flatten().collect::<BTreeSet<&str>>().len()
}

/// The parts of each country the news names by compass ("northern Afghanistan",
/// "northwest Pakistan", "Pakistan's southwest") and the provinces each may mean — generous
/// where usage varies (Ghazni is called eastern and central), since a region only keeps
/// apart what lies outside it.
const REGIONS: &[(&str, &str, &[&str])] = &[
    (
        "Afghanistan",
        "north",
        &[
            "Badakhshan",
            "Baghlan",
            "Balkh",
            "Faryab",
            "Jowzjan",
            "Kunduz",
            "Samangan",
            "Sar-e Pol",
            "Takhar",
        ],
    ),
    (
        "Afghanistan",
        "northeast",
        &[
            "Badakhshan",
            "Baghlan",
            "Kunar",
            "Kunduz",
            "Nuristan",
            "Panjshir",
            "Takhar",
        ],
    ),
    (
        "Afghanistan",
        "northwest",
        &["Badghis", "Faryab", "Herat", "Jowzjan"],
    ),
    (
        "Afghanistan",
        "east",
        &[
            "Ghazni",
            "Kapisa",
            "Khost",
            "Kunar",
            "Laghman",
            "Logar",
            "Nangarhar",
            "Nuristan",
            "Paktia",
            "Paktika",
            "Wardak",
        ],
    ),
    (
        "Afghanistan",
        "southeast",
        &["Ghazni", "Khost", "Logar", "Paktia", "Paktika", "Zabul"],
    ),
    (
        "Afghanistan",
        "south",
        &[
            "Daykundi", "Helmand", "Kandahar", "Nimroz", "Uruzgan", "Zabul",
        ],
    ),
    (
        "Afghanistan",
        "southwest",
        &["Farah", "Helmand", "Kandahar", "Nimroz"],
    ),
    (
        "Afghanistan",
        "west",
        &["Badghis", "Farah", "Ghor", "Herat", "Nimroz"],
    ),
    (
        "Afghanistan",
        "central",
        &[
            "Bamyan", "Daykundi", "Ghazni", "Ghor", "Kabul", "Kapisa", "Logar", "Panjshir",
            "Parwan", "Uruzgan", "Wardak",
        ],
    ),
    ("Pakistan", "northwest", &["Khyber Pakhtunkhwa"]),
    (
        "Pakistan",
        "north",
        &[
            "Azad Kashmir",
            "Gilgit-Baltistan",
            "Islamabad Capital Territory",
            "Khyber Pakhtunkhwa",
        ],
    ),
    (
        "Pakistan",
        "northeast",
        &[
            "Azad Kashmir",
            "Gilgit-Baltistan",
            "Islamabad Capital Territory",
            "Punjab",
        ],
    ),
    ("Pakistan", "west", &["Balochistan", "Khyber Pakhtunkhwa"]),
    ("Pakistan", "southwest", &["Balochistan"]),
    ("Pakistan", "south", &["Balochistan", "Punjab", "Sindh"]),
    ("Pakistan", "southeast", &["Punjab", "Sindh"]),
    (
        "Pakistan",
        "east",
        &["Azad Kashmir", "Islamabad Capital Territory", "Punjab"],
    ),
    ("Pakistan", "central", &["Punjab"]),
];

/// "northern Afghanistan", "north-west Pakistan", "southwestern Pakistan", "Pakistan's
/// northwest", "a north Afghan province": the compass word and the country ("East Pakistan"
/// and "West Pakistan", the country's two wings before 1971, are not regions).
static REGION: LazyLock<Regex> = LazyLock::new(|| {
    let compass = r"(?:(?:north|south)[- ]?(?:east|west)|north|south|east|west)(?:ern)?|central";
    Regex::new(&format!(
        r"(?i)\b(?:(?:{compass})\s+(?:pakistan|afghanistan|afghan)|(?:pakistan|afghanistan)['’]s\s+(?:{compass}))\b"
    ))
    .expect("the region pattern is valid")
});

/// The provinces of the region a title places a report in ([`REGIONS`]); empty when it names
/// none, or two that share no province.
pub fn title_region(title: &str) -> BTreeSet<(String, String)> {
    let mut out: Option<BTreeSet<(String, String)>> = None;
    for m in REGION.find_iter(title) {
        let text = m.as_str().to_lowercase().replace(['-', ' '], "");
        if text == "eastpakistan" || text == "westpakistan" {
            continue;
        }
        let country = if text.contains("pakistan") {
            "Pakistan"
        } else {
            "Afghanistan"
        };
        let Some((_, _, provinces)) = REGIONS
            .iter()
            .filter(|(c, _, _)| *c == country)
            // The longest compass word the phrase holds ("northwest" before "north").
            .filter(|(_, part, _)| text.contains(part))
            .max_by_key(|(_, part, _)| part.len())
        else {
            continue;
        };
        let these: BTreeSet<(String, String)> = provinces
            .iter()
            .map(|p| (country.to_string(), p.to_string()))
            .collect();
        out = Some(match out {
            None => these,
            Some(before) => before.union(&these).cloned().collect(),
        });
    }
    out.unwrap_or_default()
}

/// How many distinct sources make other violence an incident with an aftermath.
const CORROBORATED: usize = 3;

/// How many days after an incident's first report a follow-up may come (the labelled
/// incidents' arrests, funerals and reopened crossings come within about two weeks).
pub const FOLLOW_UP_DAYS: i32 = 14;

/// The share of a follow-up's title (by rarity) that one report title of the incident must
/// hold.
const FOLLOW_UP_SHARE: f64 = 0.45;

/// How many specific words ([`TitleWord::specific`]) that report title must share with it:
/// "Pakistan", "killed" and "police" are in every other title.
const FOLLOW_UP_SPECIFIC: usize = 2;

/// A word of a title, as the index analyses it, with its rarity in the collection.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleWord {
    pub term: String,
    /// Inverse document frequency, `ln(N / df)`.
    pub idf: f64,
    /// Rare enough to tie two titles ("uniform", "footballers", "mastermind").
    pub specific: bool,
}

/// How well a report that does not found an incident follows up one: the best, over the
/// incident's report titles, share of its own title's rarity that title holds — `None` below
/// [`FOLLOW_UP_SHARE`] or with fewer than [`FOLLOW_UP_SPECIFIC`] specific words in common.
/// "Pakistan mosque bomber wore police uniform" holds most of its rarity in "mosque",
/// "bomber" and "uniform", which "Pakistan mosque blast: Bomber used police uniform as
/// disguise" shares; "Bus crash kills 39 people in Pakistan" shares only common words with
/// "Blast in mosque in Pakistan kills at least 25 people".
pub fn follow_up_fit(candidate: &[TitleWord], titles: &[Vec<TitleWord>]) -> Option<f64> {
    let total: f64 = candidate.iter().map(|w| w.idf).sum();
    if total <= 0.0 {
        return None;
    }
    titles
        .iter()
        .filter_map(|title| {
            let shared: Vec<&TitleWord> = candidate
                .iter()
                .filter(|w| title.iter().any(|t| t.term == w.term))
                .collect();
            let specific = shared.iter().filter(|w| w.specific).count();
            let share = shared.iter().map(|w| w.idf).sum::<f64>() / total;
            (specific >= FOLLOW_UP_SPECIFIC && share >= FOLLOW_UP_SHARE).then_some(share)
        })
        .max_by(f64::total_cmp)
}

/// Orders incidents: newest first, or most killed (best figure) first then newest.
pub fn sort(incidents: &mut [Incident], by_killed: bool) {
    let key = |i: &Incident| i.date.clone().unwrap_or_default();
    if by_killed {
        incidents.sort_by(|a, b| {
            b.killed
                .best
                .cmp(&a.killed.best)
                .then_with(|| key(b).cmp(&key(a)))
        });
    } else {
        incidents.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.id.cmp(&b.id)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Incidents whose reports' title words are the words of their titles (but for the
    /// "title of" every made-up title holds: a title's words here are its rare ones).
    fn incidents(reports: &[Report]) -> Vec<Incident> {
        super::incidents(reports, |r| {
            Ok::<_, std::convert::Infallible>(
                r.title
                    .split_whitespace()
                    .filter(|w| !matches!(*w, "title" | "of"))
                    .map(str::to_lowercase)
                    .collect(),
            )
        })
        .unwrap_or_else(|e| match e {})
    }

    fn report(doc: &str, date: &str, types: &[EventType], place: (&str, Option<&str>)) -> Report {
        Report {
            doc: doc.into(),
            title: format!("title of {doc}"),
            url: None,
            path: format!("news/{doc}.txt"),
            date: PartialDate::parse_iso(date),
            source: Some(format!("{doc}.example")),
            story: xxhash_rust::xxh3::xxh3_64(doc.as_bytes()),
            types: types.to_vec(),
            places: vec![Place {
                country: "Pakistan".into(),
                province: place.0.into(),
                place: place.1.map(str::to_string),
            }],
            title_places: Vec::new(),
            actors: BTreeMap::new(),
            killed: None,
            wounded: None,
            country_hint: None,
            region: BTreeSet::new(),
            title_toll: false,
        }
    }

    /// Incidents do not depend on the order reports come in: two towns' reports of one day
    /// tie, and a report that names only their province joins one of them, the same one
    /// whichever came first.
    #[test]
    fn the_order_reports_come_in_changes_nothing() {
        use EventType::*;
        let all = vec![
            report(
                "tank",
                "2023-12-15",
                &[SuicideBombing],
                ("Khyber Pakhtunkhwa", Some("Tank")),
            ),
            report(
                "peshawar",
                "2023-12-15",
                &[SuicideBombing],
                ("Khyber Pakhtunkhwa", Some("Peshawar")),
            ),
            report(
                "province",
                "2023-12-15",
                &[SuicideBombing],
                ("Khyber Pakhtunkhwa", None),
            ),
        ];
        let groups = |reports: &[Report]| {
            let mut g: Vec<Vec<String>> = incidents(reports)
                .iter()
                .map(|i| {
                    let mut docs: Vec<String> = i.reports.iter().map(|r| r.doc.clone()).collect();
                    docs.sort();
                    docs
                })
                .collect();
            g.sort();
            g
        };
        let first = groups(&all);
        assert_eq!(first.len(), 2, "{first:?}");
        for rotation in 1..all.len() {
            let mut other = all.clone();
            other.rotate_left(rotation);
            assert_eq!(groups(&other), first);
            other.reverse();
            assert_eq!(groups(&other), first);
        }
    }

    #[test]
    fn an_incident_takes_reports_of_the_kind_it_was_founded_on() {
        use EventType::*;
        let kabul = ("Kabul", Some("Kabul"));
        let mut bombing = report("bombing", "2021-08-26", &[SuicideBombing], kabul);
        // A report of the reprisal that also recalls the bombing belongs with it; a report
        // of the reprisal alone is another incident, not the bombing's.
        let mut both = report("both", "2021-08-27", &[SuicideBombing, DroneStrike], kabul);
        let strike = report("strike", "2021-08-28", &[DroneStrike], kabul);
        bombing.actors.insert("group", vec!["TTP".into()]);
        both.actors
            .insert("group", vec!["Afghan Taliban".into(), "TTP".into()]);
        let found = incidents(&[bombing, both, strike]);
        let groups: Vec<Vec<&str>> = found
            .iter()
            .map(|i| i.reports.iter().map(|r| r.doc.as_str()).collect())
            .collect();
        assert_eq!(groups, [vec!["bombing", "both"], vec!["strike"]]);
        // Types and actors by how many reports give them: the bombing first, the TTP first.
        assert_eq!(found[0].types, [SuicideBombing, DroneStrike]);
        assert_eq!(found[0].actors["groups"], ["TTP", "Afghan Taliban"]);
    }

    #[test]
    fn a_report_of_an_attack_of_no_stated_kind_joins_when_its_toll_or_town_ties_it() {
        use EventType::*;
        let peshawar = ("Khyber Pakhtunkhwa", Some("Peshawar"));
        let mut bombing = report("bombing", "2023-01-30", &[SuicideBombing], peshawar);
        bombing.killed = Some(100);
        // "Pakistan grapples with terrorist attack that left 101 dead": the toll ties it.
        let mut grapples = report("grapples", "2023-01-31", &[OtherViolence], peshawar);
        grapples.places.clear();
        grapples.country_hint = Some("Pakistan".into());
        grapples.killed = Some(101);
        // An attack in the province with no toll and no town: nothing ties it.
        let mut loose = report(
            "loose",
            "2023-01-31",
            &[OtherViolence],
            ("Khyber Pakhtunkhwa", None),
        );
        loose.killed = None;
        let found = incidents(&[bombing, grapples, loose]);
        let mut groups: Vec<Vec<&str>> = found
            .iter()
            .map(|i| i.reports.iter().map(|r| r.doc.as_str()).collect())
            .collect();
        groups.sort();
        assert_eq!(groups, [vec!["bombing", "grapples"], vec!["loose"]]);
    }

    /// A lynching the day after a roadside bombing that named no place: two dead against one
    /// is no tie for a report that says only other violence.
    #[test]
    fn a_vague_report_needs_about_the_same_toll_to_join_a_placeless_incident() {
        use EventType::*;
        let mut bomb = report("bomb", "2023-02-10", &[Bombing], ("", None));
        bomb.places.clear();
        bomb.country_hint = Some("Pakistan".into());
        bomb.killed = Some(2);
        let mut lynching = report("lynching", "2023-02-11", &[OtherViolence], ("Punjab", None));
        lynching.killed = Some(1);
        let mut grown = report("grown", "2023-02-11", &[OtherViolence], ("Punjab", None));
        grown.killed = Some(2);
        let found = incidents(&[bomb.clone(), lynching]);
        assert_eq!(found.len(), 2);
        // about the same toll still ties it
        let found = incidents(&[bomb, grown]);
        assert_eq!(found.len(), 1);
    }

    /// A governor killed by a bomb in Mazar-i-Sharif on the 9th; a bomb at a press award in
    /// the same city on the 11th: the second burst of reports shares no rare title word with
    /// the first and is another incident; a claim for the first, two days on, still joins.
    #[test]
    fn two_days_on_a_report_joins_only_through_its_title() {
        use EventType::*;
        let mazar = ("Balkh", Some("Mazar-e Sharif"));
        let mut governor = report("governor", "2023-03-09", &[SuicideBombing], mazar);
        governor.title = "Governor killed at his office".into();
        let mut award = report("award", "2023-03-11", &[Bombing], mazar);
        award.title = "Bomb hits press award".into();
        let mut claim = report("claim", "2023-03-11", &[SuicideBombing], mazar);
        claim.title = "IS claim attack on governor".into();
        let found = incidents(&[governor, award, claim]);
        let mut groups: Vec<Vec<&str>> = found
            .iter()
            .map(|i| {
                let mut g: Vec<&str> = i.reports.iter().map(|r| r.doc.as_str()).collect();
                g.sort();
                g
            })
            .collect();
        groups.sort();
        assert_eq!(groups, [vec!["award"], vec!["claim", "governor"]]);
    }

    /// The same days and town for a protest and for a bombing, titles sharing no rare word:
    /// the clashes at a leader's house reported from the 14th to the 17th and the court's
    /// pause on the 18th are one protest, each report within two days of the one before,
    /// though counted from the 17th at the latest (three days after its first), so the 19th
    /// is another; the bombing's later reports are counted from its first day.
    #[test]
    fn a_protest_lasts_and_a_bombing_does_not_drift() {
        use EventType::*;
        let lahore = ("Punjab", Some("Lahore"));
        let days = [
            "2023-03-14",
            "2023-03-15",
            "2023-03-16",
            "2023-03-17",
            "2023-03-18",
            "2023-03-19",
        ];
        let chain = |kind: EventType| -> Vec<Vec<String>> {
            let reports: Vec<Report> = days
                .iter()
                .enumerate()
                .map(|(n, day)| {
                    let mut r = report(&format!("day{n}"), day, &[kind], lahore);
                    r.title = format!("word{n}");
                    r
                })
                .collect();
            let mut groups: Vec<Vec<String>> = incidents(&reports)
                .iter()
                .map(|i| i.reports.iter().map(|r| r.doc.clone()).collect())
                .collect();
            groups.sort();
            groups
        };
        assert_eq!(
            chain(Protest),
            [vec!["day0", "day1", "day2", "day3", "day4"], vec!["day5"]]
        );
        assert_eq!(
            chain(Bombing),
            [
                vec!["day0", "day1"],
                vec!["day2", "day3"],
                vec!["day4", "day5"]
            ]
        );
    }

    /// A train bombing at Sibi: the next day "Peshawar-bound passengers mourn" names Peshawar
    /// (another province) in its title and Sibi in its body; two days on "Death toll rises to
    /// 64" shares no title word but names Sibi and about the toll. Both join.
    #[test]
    fn a_later_report_of_the_town_and_toll_or_a_title_town_elsewhere_still_joins() {
        use EventType::*;
        let town = |province: &str, t: &str| Place {
            country: "Pakistan".into(),
            province: province.into(),
            place: Some(t.into()),
        };
        let mut train = report("train", "2023-03-06", &[SuicideBombing], ("", None));
        train.places = vec![town("Balochistan", "Sibi")];
        train.title = "Suicide bomber strikes police truck".into();
        train.killed = Some(60);
        let mut bound = report("bound", "2023-03-07", &[SuicideBombing], ("", None));
        bound.places = vec![
            town("Balochistan", "Sibi"),
            town("Khyber Pakhtunkhwa", "Peshawar"),
        ];
        bound.title_places = vec![town("Khyber Pakhtunkhwa", "Peshawar")];
        bound.title = "Peshawar-bound passengers mourn".into();
        let mut toll = report("toll", "2023-03-08", &[SuicideBombing], ("", None));
        toll.places = vec![town("Balochistan", "Sibi")];
        toll.title = "Death toll rises to 64".into();
        toll.killed = Some(64);
        let found = incidents(&[train.clone(), bound.clone(), toll.clone()]);
        assert_eq!(found.len(), 1, "{found:?}");
        // two days on, a report that names no town ("A Pakistani city, crushed by a suicide
        // bomb") and about the toll needs no title either
        let mut city = report("city", "2023-03-08", &[SuicideBombing], ("", None));
        city.places.clear();
        city.country_hint = Some("Pakistan".into());
        city.title = "Mourning in every street".into();
        city.killed = Some(60);
        // but one that names another town does
        let mut other = report("other", "2023-03-09", &[SuicideBombing], ("", None));
        other.places = vec![town("Balochistan", "Quetta")];
        other.title = "Grief in the valley".into();
        other.killed = Some(60);
        let found = incidents(&[train, bound, toll, city, other]);
        assert_eq!(found.len(), 2, "{found:?}");
        let docs: Vec<BTreeSet<&str>> = found
            .iter()
            .map(|i| i.reports.iter().map(|r| r.doc.as_str()).collect())
            .collect();
        assert!(docs.contains(&BTreeSet::from(["other"])), "{docs:?}");
        assert!(
            docs.contains(&BTreeSet::from(["train", "bound", "toll", "city"])),
            "{docs:?}"
        );
    }

    /// Four police killed in the northwest on the 30th, four border guards on the 1st: a
    /// report of the 1st that names no place fits both alike and joins the 1st's.
    #[test]
    fn an_equal_fit_goes_to_the_incident_nearest_in_days() {
        use EventType::*;
        let mut peshawar = report(
            "peshawar",
            "2023-03-30",
            &[ArmedClash],
            ("Khyber Pakhtunkhwa", None),
        );
        peshawar.killed = Some(4);
        let mut kech = report("kech", "2023-04-01", &[ArmedClash], ("Balochistan", None));
        kech.killed = Some(4);
        let mut guards = report("guards", "2023-04-01", &[ArmedClash], ("", None));
        guards.places.clear();
        guards.country_hint = Some("Pakistan".into());
        guards.killed = Some(4);
        let found = incidents(&[peshawar, kech, guards]);
        let with_guards = found
            .iter()
            .find(|i| i.reports.iter().any(|r| r.doc == "guards"))
            .unwrap();
        let mut docs: Vec<&str> = with_guards.reports.iter().map(|r| r.doc.as_str()).collect();
        docs.sort();
        assert_eq!(docs, ["guards", "kech"]);
    }

    #[test]
    fn other_violence_and_protests_are_followed_up_when_three_sources_report_them() {
        use EventType::*;
        let place = ("Punjab", Some("Jaranwala"));
        let reports: Vec<Report> = ["a", "b", "c"]
            .iter()
            .map(|d| report(d, "2023-08-16", &[OtherViolence], place))
            .collect();
        let three = incidents(&reports);
        assert_eq!(three.len(), 1);
        assert!(three[0].followed_up());
        let two = incidents(&reports[..2]);
        assert!(!two[0].followed_up());
        let protests: Vec<Report> = ["a", "b", "c"]
            .iter()
            .map(|d| report(d, "2023-08-16", &[Protest], place))
            .collect();
        assert!(incidents(&protests)[0].followed_up());
        assert!(!incidents(&protests[..2])[0].followed_up());
    }

    #[test]
    fn same_place_days_apart_join_and_other_towns_stay_apart() {
        use EventType::*;
        let mut a = report(
            "a",
            "2023-09-29",
            &[SuicideBombing],
            ("Balochistan", Some("Mastung")),
        );
        a.killed = Some(52);
        let mut b = report(
            "b",
            "2023-09-30",
            &[Bombing],
            ("Balochistan", Some("Mastung")),
        );
        b.killed = Some(60);
        a.title = "Blast at Mastung procession".into();
        // Two days on, its title shares a rare word with the incident's.
        let mut c = report("c", "2023-10-01", &[SuicideBombing], ("Balochistan", None));
        c.killed = Some(57);
        c.title = "Mastung toll rises".into();
        let hangu = report(
            "d",
            "2023-09-29",
            &[SuicideBombing],
            ("Khyber Pakhtunkhwa", Some("Hangu")),
        );
        let later = report(
            "e",
            "2023-10-20",
            &[SuicideBombing],
            ("Balochistan", Some("Mastung")),
        );
        let protest = report(
            "f",
            "2023-09-30",
            &[Protest],
            ("Balochistan", Some("Mastung")),
        );
        let all = vec![a, b, c, hangu, later, protest];
        let found = incidents(&all);
        let groups: Vec<Vec<&str>> = found
            .iter()
            .map(|i| i.reports.iter().map(|r| r.doc.as_str()).collect())
            .collect();
        assert!(groups.contains(&vec!["a", "b", "c"]), "{groups:?}");
        assert_eq!(found.len(), 4, "{groups:?}");
        let mastung = found.iter().find(|i| i.reports.len() == 3).unwrap();
        // best: the most recent report's figure
        assert_eq!(
            mastung.killed,
            Range3 {
                low: Some(52),
                best: Some(57),
                high: Some(60)
            }
        );
        assert_eq!(mastung.types, vec![SuicideBombing]);
        assert_eq!(mastung.place.as_deref(), Some("Mastung"));
        assert_eq!(mastung.date.as_deref(), Some("2023-09-29"));
        assert_eq!(mastung.sources, 3);
    }

    /// A town and the district it lies in are one place; two towns of one district are not,
    /// nor is a district and a town of another; a town named after its province is the
    /// province.
    #[test]
    fn a_town_lies_in_its_district_and_a_province_s_namesake_holds_its_towns() {
        use EventType::*;
        let at = |doc: &str, province: &str, town: &str| {
            report(doc, "2023-08-16", &[OtherViolence], (province, Some(town)))
        };
        let groups = |all: &[Report]| -> Vec<Vec<String>> {
            let mut g: Vec<Vec<String>> = incidents(all)
                .iter()
                .map(|i| i.reports.iter().map(|r| r.doc.clone()).collect())
                .collect();
            g.sort();
            g
        };
        let jaranwala = at("a", "Punjab", "Jaranwala");
        let faisalabad = at("b", "Punjab", "Faisalabad");
        assert_eq!(
            groups(&[jaranwala.clone(), faisalabad.clone()]),
            vec![vec!["a".to_string(), "b".to_string()]]
        );
        assert_eq!(
            groups(&[faisalabad, jaranwala.clone()]),
            vec![vec!["a".to_string(), "b".to_string()]]
        );
        let tandlianwala = at("c", "Punjab", "Tandlianwala");
        assert_eq!(groups(&[jaranwala.clone(), tandlianwala]).len(), 2);
        let lahore = at("d", "Punjab", "Lahore");
        assert_eq!(groups(&[jaranwala, lahore]).len(), 2);
        let mut sancharak = at("e", "Sar-e Pol", "Sancharak");
        let mut sar_e_pol = at("f", "Sar-e Pol", "Sar-e Pol");
        for r in [&mut sancharak, &mut sar_e_pol] {
            r.places[0].country = "Afghanistan".into();
        }
        assert_eq!(groups(&[sancharak, sar_e_pol]).len(), 1);
    }

    /// One outlet places a suicide bombing at the dateline's city, another where it
    /// happened: the same day, type and toll outweigh the other town. A day later, or with
    /// another toll, the other town is another incident.
    #[test]
    fn the_same_day_type_and_toll_outweigh_another_town() {
        use EventType::*;
        let at = |doc: &str, date: &str, town: &str, killed: u32| {
            let mut r = report(doc, date, &[SuicideBombing], ("Balochistan", Some(town)));
            r.killed = Some(killed);
            r
        };
        let all = vec![
            at("quetta", "2023-03-06", "Quetta", 9),
            at("sibi", "2023-03-06", "Sibi", 10),
            at("zhob", "2023-03-07", "Zhob", 9),
            at("turbat", "2023-03-06", "Turbat", 30),
            // one dead in each of two towns on one day: two incidents
            at("bannu", "2023-05-02", "Bannu", 1),
            at("lakki", "2023-05-02", "Lakki Marwat", 1),
        ];
        let groups: Vec<Vec<String>> = incidents(&all)
            .iter()
            .map(|i| i.reports.iter().map(|r| r.doc.clone()).collect())
            .collect();
        assert!(
            groups.contains(&vec!["quetta".to_string(), "sibi".to_string()]),
            "{groups:?}"
        );
        assert_eq!(groups.len(), 5, "{groups:?}");
    }

    #[test]
    fn one_story_is_one_incident_and_reports_without_a_place_join_by_country_and_toll() {
        use EventType::*;
        let mut a = report(
            "a",
            "2023-01-30",
            &[SuicideBombing],
            ("Khyber Pakhtunkhwa", Some("Peshawar")),
        );
        a.actors.insert("group", vec!["TTP".into()]);
        a.killed = Some(28);
        // A copy of `a` published later, under another type: one story, one incident.
        let mut b = report("b", "2023-02-10", &[Protest], ("Punjab", None));
        b.story = a.story;
        // Another outlet blames another group: no veto.
        let mut c = report(
            "c",
            "2023-01-30",
            &[SuicideBombing],
            ("Khyber Pakhtunkhwa", Some("Peshawar")),
        );
        c.actors.insert("group", vec!["Afghan Taliban".into()]);
        // No place, the same country in the title, a grown toll: the same incident.
        let mut d = report("d", "2023-01-31", &[Bombing], ("", None));
        d.places.clear();
        d.country_hint = Some("Pakistan".into());
        d.killed = Some(90);
        // No place, another country: not.
        let mut e = report("e", "2023-01-30", &[SuicideBombing], ("", None));
        e.places.clear();
        e.country_hint = Some("Afghanistan".into());
        // No place, a much smaller toll: not.
        let mut f = d.clone();
        f.doc = "f".into();
        f.story = 99;
        f.killed = Some(3);
        // The day before, no place and no country: no incident, and it takes in nothing.
        let mut g = report("g", "2023-01-29", &[Bombing], ("", None));
        g.places.clear();
        let found = incidents(&[a, b, c, d, e, f, g]);
        let groups: Vec<Vec<&str>> = found
            .iter()
            .map(|i| i.reports.iter().map(|r| r.doc.as_str()).collect())
            .collect();
        assert!(groups.contains(&vec!["a", "c", "d", "b"]), "{groups:?}");
        // g names nowhere: no incident. e names its country in the title only.
        assert!(!groups.iter().flatten().any(|d| *d == "g"), "{groups:?}");
        assert_eq!(found.len(), 3, "{groups:?}");
        let e = found.iter().find(|i| i.reports[0].doc == "e").unwrap();
        assert_eq!(e.country.as_deref(), Some("Afghanistan"));
        let mut sorted = found.clone();
        sort(&mut sorted, false);
        assert!(sorted[0].date >= sorted[1].date);
    }

    #[test]
    fn a_title_names_a_region_by_compass_and_country() {
        let provinces = |title: &str| -> Vec<String> {
            title_region(title).into_iter().map(|(_, p)| p).collect()
        };
        assert!(
            provinces("Explosions in northern Afghanistan kill at least 15")
                .contains(&"Balkh".to_string())
        );
        assert!(
            !provinces("Explosions in northern Afghanistan kill at least 15")
                .contains(&"Kabul".to_string())
        );
        assert_eq!(
            provinces("Gunmen kill 2 police in northwest Pakistan"),
            ["Khyber Pakhtunkhwa"]
        );
        assert_eq!(
            provinces("Bomb in south-western Pakistan kills soldier"),
            ["Balochistan"]
        );
        assert_eq!(
            provinces("Militants raid a post in Pakistan's southwest"),
            ["Balochistan"]
        );
        assert!(
            provinces("Clashes in north-eastern Afghanistan").contains(&"Badakhshan".to_string())
        );
        // The country's wings before 1971, a district, a people: no region.
        assert!(provinces("The 1971 war in East Pakistan").is_empty());
        assert!(provinces("Drone strike in North Waziristan").is_empty());
        assert!(provinces("Southern Pakistanis vote").is_empty());
    }

    /// Every province a region names is one the gazetteer knows, in its country.
    #[test]
    fn regions_name_known_provinces() {
        let table = crate::tag::Table::builtin();
        let known: BTreeSet<(&str, &str)> = table
            .entities
            .iter()
            .filter(|e| e.kind.spec().places && e.place.is_none())
            .map(|e| (e.country.as_str(), e.name.as_str()))
            .collect();
        for (country, part, provinces) in REGIONS {
            for province in *provinces {
                assert!(known.contains(&(*country, *province)), "{part}: {province}");
            }
        }
    }

    #[test]
    fn a_report_placed_in_a_region_joins_no_incident_outside_it() {
        use EventType::*;
        let mut kabul = report("kabul", "2022-04-19", &[Bombing], ("", Some("Kabul")));
        kabul.places[0].country = "Afghanistan".into();
        kabul.places[0].province = "Kabul".into();
        kabul.killed = Some(6);
        // Two days later, no place named, "in northern Afghanistan": another incident.
        let mut north = report("north", "2022-04-21", &[Bombing], ("", None));
        north.places.clear();
        north.country_hint = Some("Afghanistan".into());
        north.region = title_region("Explosions in northern Afghanistan kill at least 15");
        north.killed = Some(15);
        // The same day, "in central Afghanistan", where the incident lies: it joins.
        let mut central = north.clone();
        central.doc = "central".into();
        central.story = 7;
        central.date = PartialDate::parse_iso("2022-04-19");
        central.region = title_region("Blasts in central Afghanistan kill six");
        central.killed = Some(6);
        let found = incidents(&[kabul, north, central]);
        let groups: Vec<Vec<&str>> = found
            .iter()
            .map(|i| i.reports.iter().map(|r| r.doc.as_str()).collect())
            .collect();
        assert_eq!(groups.len(), 2, "{groups:?}");
        assert!(groups.contains(&vec!["north"]), "{groups:?}");
    }

    #[test]
    fn an_incident_is_headed_by_a_title_that_gives_its_toll() {
        let place = ("Khyber Pakhtunkhwa", Some("Peshawar"));
        let explainer = |doc: &str| {
            let mut r = report(doc, "2023-01-30", &[EventType::SuicideBombing], place);
            r.story = 7;
            r.title = "What's behind the Pakistani Taliban's insurgency?".into();
            r
        };
        let mut news = report("n", "2023-01-30", &[EventType::SuicideBombing], place);
        news.title = "Suicide bomber kills at least 17 at mosque in Pakistan".into();
        news.title_toll = true;
        let reports = [explainer("x1"), explainer("x2"), news.clone()];
        let found = incidents(&reports);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].headline, news.title);
        // Without a title that gives a toll, the most-copied story heads it.
        news.title_toll = false;
        let found = incidents(&[explainer("x1"), explainer("x2"), news]);
        assert_eq!(
            found[0].headline,
            "What's behind the Pakistani Taliban's insurgency?"
        );
    }

    #[test]
    fn an_incident_lies_where_its_titles_say_not_at_the_dateline() {
        let place = |province: &str, town: &str| Place {
            country: "Pakistan".into(),
            province: province.into(),
            place: Some(town.into()),
        };
        // "PESHAWAR – Five labourers were shot dead in South Waziristan …", titled "Five
        // labourers shot dead in South Waziristan".
        let mut r = report(
            "labourers",
            "2023-06-01",
            &[EventType::TargetedKilling],
            ("Khyber Pakhtunkhwa", Some("Peshawar")),
        );
        let waziristan = place("Khyber Pakhtunkhwa", "South Waziristan");
        r.places.push(waziristan.clone());
        r.title_places.push(waziristan);
        let found = incidents(&[r]);
        assert_eq!(found[0].place.as_deref(), Some("South Waziristan"));
    }

    /// "Security forces kill four terrorists in Peshawar operation", and the next day's
    /// "Forces mow down seven terrorists in Tank gun-battle" under a reporter's "Peshawar"
    /// byline: two operations.
    #[test]
    fn a_report_whose_title_names_another_town_is_another_incident() {
        use EventType::*;
        let kp = "Khyber Pakhtunkhwa";
        let town = |t: &str| Place {
            country: "Pakistan".into(),
            province: kp.into(),
            place: Some(t.into()),
        };
        let mut peshawar = report("peshawar", "2023-11-16", &[MilitaryOperation], (kp, None));
        peshawar.places = vec![town("Peshawar")];
        peshawar.title_places = vec![town("Peshawar")];
        let mut tank = report("tank", "2023-11-16", &[MilitaryOperation], (kp, None));
        tank.places = vec![town("Peshawar"), town("Tank")];
        tank.title_places = vec![town("Tank")];
        assert_eq!(incidents(&[peshawar.clone(), tank.clone()]).len(), 2);
        // Without a town in its title, the towns it names tie it.
        tank.title_places.clear();
        assert_eq!(incidents(&[peshawar, tank]).len(), 1);
    }

    /// One outlet places the police's clash with a crowd where it happened (Lahore), another
    /// by the court whose warrant the police came to serve (Islamabad): titles that share
    /// two rare words tie them; one word is chance.
    #[test]
    fn titles_sharing_rare_words_tie_reports_whose_places_disagree() {
        use EventType::*;
        let titled =
            |doc: &str, date: &str, t: EventType, place: (&str, Option<&str>), title: &str| {
                let mut r = report(doc, date, &[t], place);
                r.title = title.into();
                r
            };
        let lahore = titled(
            "lahore",
            "2023-03-14",
            Protest,
            ("Punjab", Some("Lahore")),
            "supporters clash with police at zaman park",
        );
        let ict = ("Islamabad Capital Territory", None);
        let mut court = titled(
            "court",
            "2023-03-14",
            Protest,
            ict,
            "teargas as supporters clash outside the home",
        );
        assert_eq!(incidents(&[lahore.clone(), court.clone()]).len(), 1);
        court.title = "teargas as supporters gather outside the home".into();
        assert_eq!(incidents(&[lahore.clone(), court.clone()]).len(), 2);
        // Two towns named, one-victim killings: two incidents however alike the titles.
        let kp = "Khyber Pakhtunkhwa";
        let peshawar = titled(
            "p",
            "2023-05-02",
            TargetedKilling,
            (kp, Some("Peshawar")),
            "policeman shot dead in peshawar",
        );
        let mardan = titled(
            "m",
            "2023-05-02",
            TargetedKilling,
            (kp, Some("Mardan")),
            "policeman shot dead in mardan",
        );
        assert_eq!(incidents(&[peshawar, mardan]).len(), 2);
        // Nor do titles tie what its kind or days keep apart.
        court.title = "teargas as supporters clash outside the home".into();
        court.types = vec![SuicideBombing];
        assert_eq!(incidents(&[lahore.clone(), court.clone()]).len(), 2);
        court.types = vec![Protest];
        court.date = PartialDate::parse_iso("2023-03-20");
        assert_eq!(incidents(&[lahore, court]).len(), 2);
    }

    #[test]
    fn tolls_fit_when_close_or_grown_not_when_far_smaller() {
        assert_eq!(toll_fit(30, (28, 28)), Some(3));
        assert_eq!(toll_fit(100, (17, 34)), Some(1));
        assert_eq!(toll_fit(5, (52, 52)), None);
        assert_eq!(toll_fit(1000, (17, 34)), None);
        assert_eq!(toll_fit(0, (0, 0)), Some(3));
    }

    fn words(list: &[(&str, f64, bool)]) -> Vec<TitleWord> {
        list.iter()
            .map(|&(term, idf, specific)| TitleWord {
                term: term.to_string(),
                idf,
                specific,
            })
            .collect()
    }

    #[test]
    fn a_follow_up_shares_most_of_its_rare_words_with_one_report_title() {
        let incident = [
            words(&[
                ("suicid", 3.0, true),
                ("bomber", 4.0, true),
                ("mosqu", 4.0, true),
            ]),
            words(&[
                ("mosqu", 4.0, true),
                ("blast", 3.0, true),
                ("uniform", 6.0, true),
            ]),
        ];
        // Mosque, bomber and uniform — but the two report titles split them: the better one
        // holds mosque and uniform, 10 of 15.
        let follow = words(&[
            ("mosqu", 4.0, true),
            ("bomber", 4.0, true),
            ("uniform", 6.0, true),
            ("pakistan", 1.0, false),
        ]);
        let fit = follow_up_fit(&follow, &incident).expect("fits");
        assert!((fit - 10.0 / 15.0).abs() < 1e-9, "{fit}");
        // Only common words in common, however many.
        let bus = words(&[
            ("bus", 5.0, true),
            ("crash", 5.0, true),
            ("kill", 1.0, false),
            ("pakistan", 1.0, false),
        ]);
        let common = [words(&[
            ("kill", 1.0, false),
            ("pakistan", 1.0, false),
            ("mosqu", 4.0, true),
        ])];
        assert_eq!(follow_up_fit(&bus, &common), None);
        // One rare word in common is not enough, even when it is most of the title.
        let one = words(&[("uniform", 6.0, true), ("pakistan", 1.0, false)]);
        assert_eq!(follow_up_fit(&one, &incident), None);
        // Two rare words that are a small part of a long title are not enough either.
        let long = words(&[
            ("mosqu", 4.0, true),
            ("uniform", 6.0, true),
            ("budget", 5.0, true),
            ("tariff", 5.0, true),
            ("fuel", 5.0, true),
        ]);
        assert_eq!(follow_up_fit(&long, &incident), None);
        assert_eq!(follow_up_fit(&[], &incident), None);
    }
}
