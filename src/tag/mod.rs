//! Tags text with the entities analysts filter by: provinces (districts and cities mapped to
//! their province), armed groups, state forces and dates — whatever spelling a source used.
//!
//! Matching is aho-corasick over a folded copy of the text (case, diacritics, hyphens and
//! apostrophes folded; byte offsets mapped back to the original) plus a second automaton,
//! on the original text, for case-sensitive aliases (`TTP`, `IS`, `KP`). Every match must
//! stand on word boundaries. Then, because a wrong facet misleads an analyst:
//! - `ctx` aliases need a local cue: a locative before a place ("in Tank") or a place noun
//!   after it ("Tank district"), a group or force word near a group or force ("IS militants");
//! - `region` aliases need a document that mentions Pakistan or Afghanistan;
//! - a place right after "Indian" or "Iranian" is someone else's (Indian Punjab), and one
//!   right before "Gladiators", "Zalmi"… is a cricket team;
//! - bare "Taliban" (`defer:TTP`) means the TTP in a document that names the TTP and never
//!   the Afghan movement ("Afghan Taliban", "Taliban government", "Islamic Emirate"…),
//!   otherwise the Afghan Taliban.
//!
//! The automata are built once per process, and only when indexing: search never needs them.
//!
//! Entity kinds are data ([`kinds`]). Adding a kind touches four files: its entry in
//! `src/tag/kinds.rs` (names, table columns, how an ambiguous alias is confirmed), its table
//! in `src/tag/data/`, `scripts/build_tables.py` when the table is derived from public data,
//! and the README's list of entities. Index fields, filters, query fields, facets, `show` and
//! both writers follow from the registry.

pub mod kinds;
pub(crate) mod names;
pub mod table;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use crate::date::{PartialDate, find_dates, latest_date, resolve_years};
use crate::text::{Folded, fold, fold_key, is_apostrophe, is_hyphen};
use kinds::Context;
pub use kinds::{EntityKind, MentionKind, PerKind};
pub use table::{Entity, Table};

/// Bumped whenever matching rules change, so existing indexes get re-tagged.
pub const TAGGER_VERSION: u32 = 2;

/// Why tagging cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TagError {
    #[error(
        "the entity tables are too large to match ({0}); remove names from the --gazetteer files"
    )]
    TooLarge(String),
}

/// One entity or date found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub kind: MentionKind,
    /// Canonical name (province, group, force) or ISO date.
    pub value: String,
    /// The district or city, for a place below province level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Byte range in the tagged text.
    pub start: usize,
    pub end: usize,
    /// Facet path (`[Pakistan, Khyber Pakhtunkhwa, Peshawar]`, `[TTP]`); empty for dates.
    #[serde(skip)]
    pub facet: Vec<String>,
}

impl Mention {
    /// The index term of the entity this names (none for dates).
    pub fn key(&self) -> Option<String> {
        self.kind
            .entity()
            .map(|kind| table::entity_key(kind, &self.facet))
    }

    /// True when this mention names the entity with facet path `parts` (not one above or
    /// below it).
    pub fn names(&self, kind: EntityKind, parts: &[String]) -> bool {
        if self.kind != MentionKind::Entity(kind) {
            return false;
        }
        if kind.spec().places {
            parts.get(1) == Some(&self.value) && parts.get(2) == self.place.as_ref()
        } else {
            parts.first() == Some(&self.value) && self.place.is_none()
        }
    }
}

/// A document's tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaggedDoc {
    /// Mentions in the cleaned text, sorted by position.
    pub mentions: Vec<Mention>,
    /// Mentions in the title.
    pub title_mentions: Vec<Mention>,
    /// The latest date the text mentions, other than ones it looks back to ("since 2021"):
    /// the document date of last resort.
    pub latest_date: Option<PartialDate>,
}

impl TaggedDoc {
    /// Canonical values of one kind over title and text, sorted.
    pub fn values(&self, kind: EntityKind) -> Vec<String> {
        let set: BTreeSet<&str> = self
            .mentions
            .iter()
            .chain(&self.title_mentions)
            .filter(|m| m.kind == MentionKind::Entity(kind))
            .map(|m| m.value.as_str())
            .collect();
        set.into_iter().map(str::to_string).collect()
    }

    /// Facet paths of one kind; a place below province level also yields its province.
    pub fn facets(&self, kind: EntityKind) -> BTreeSet<Vec<String>> {
        facets_of(self.mentions.iter().chain(&self.title_mentions), kind)
    }
}

/// Facet paths of `kind` among `mentions` with all their ancestors: a place yields its
/// country, province and itself (`[Afghanistan]`, `[Afghanistan, Kunar]`,
/// `[Afghanistan, Kunar, Dangam]`), so counts and filters work at every level.
pub fn facets_of<'a>(
    mentions: impl Iterator<Item = &'a Mention>,
    kind: EntityKind,
) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for m in mentions.filter(|m| m.kind == MentionKind::Entity(kind)) {
        for depth in 1..=m.facet.len() {
            out.insert(m.facet[..depth].to_vec());
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn on_word_boundaries(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// The word before `at` (letters and apostrophes), lower-cased.
fn word_before(text: &str, at: usize) -> String {
    let head = text[..at].trim_end_matches(|c: char| c.is_whitespace());
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || is_apostrophe(*c))
        .last()
        .map_or(head.len(), |(i, _)| i);
    head[start..].to_lowercase()
}

/// The word after `at`, lower-cased.
fn word_after(text: &str, at: usize) -> String {
    let tail = text[at..].trim_start_matches(|c: char| c.is_whitespace() || is_hyphen(c));
    tail.chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// The word after `at` when a comma comes first ("Hyderabad, India" → "india").
fn word_after_comma(text: &str, at: usize) -> String {
    match text[at..].trim_start().strip_prefix(',') {
        Some(rest) => word_after(rest, 0),
        None => String::new(),
    }
}

/// Words within `n` words either side of a range.
fn words_near(text: &str, range: &Range<usize>, n: usize) -> Vec<String> {
    let before: Vec<String> = text[..range.start]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(n)
        .map(str::to_lowercase)
        .collect();
    let after = text[range.end..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_lowercase);
    before.into_iter().chain(after).collect()
}

const LOCATIVES: &[&str] = &[
    "in", "at", "near", "around", "outside", "inside", "into", "within", "across", "across",
];
const PLACE_NOUNS: &[&str] = &[
    "province",
    "district",
    "districts",
    "city",
    "valley",
    "agency",
    "region",
    "area",
    "town",
    "tehsil",
    "division",
    "cantonment",
    "airport",
    "village",
    "border",
];
const FOREIGN: &[&str] = &["indian", "india's", "iranian", "iran's"];
/// "Hyderabad, India": a place followed by another country is that country's.
const OTHER_COUNTRIES: &[&str] = &["india", "iran", "bangladesh", "china", "nepal"];
/// A city followed by one of these is a cricket team (Quetta Gladiators, Peshawar Zalmi).
const TEAM_NAMES: &[&str] = &[
    "gladiators",
    "zalmi",
    "qalandars",
    "kings",
    "united",
    "sultans",
];

/// Tags documents. Build once (the automata take a few milliseconds) and share.
pub struct Tagger {
    table: Table,
    /// Entities by kind and name (the targets of deferred aliases).
    by_name: HashMap<(EntityKind, String), usize>,
    folded: AhoCorasick,
    folded_alias: Vec<usize>,
    exact: AhoCorasick,
    exact_alias: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Candidate {
    range: Range<usize>,
    alias: usize,
}

impl Tagger {
    /// Builds the automata for `table`. Fails only for a table too large to match.
    pub fn new(table: Table) -> Result<Self, TagError> {
        let mut folded_patterns = Vec::new();
        let mut folded_alias = Vec::new();
        let mut exact_patterns = Vec::new();
        let mut exact_alias = Vec::new();
        for (i, a) in table.aliases.iter().enumerate() {
            if a.case_sensitive() {
                exact_patterns.push(a.text.clone());
                exact_alias.push(i);
            } else {
                let key = fold_key(&a.text);
                if !key.is_empty() {
                    folded_patterns.push(key);
                    folded_alias.push(i);
                }
            }
        }
        let build = |patterns: &[String]| {
            // A full DFA: a few MB for ~1,300 aliases, and the fastest overlapping search.
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(patterns)
                .map_err(|e| TagError::TooLarge(e.to_string()))
        };
        let by_name = table
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.place.is_none())
            .map(|(i, e)| ((e.kind, e.name.clone()), i))
            .rev()
            .collect();
        Ok(Tagger {
            by_name,
            folded: build(&folded_patterns)?,
            folded_alias,
            exact: build(&exact_patterns)?,
            exact_alias,
            table,
        })
    }

    pub fn table(&self) -> &Table {
        &self.table
    }

    /// Every alias occurrence on word boundaries that passes its local (`ctx`, foreign)
    /// checks, before choosing between overlaps.
    fn candidates(&self, text: &str, folded: &Folded) -> Vec<Candidate> {
        let mut out = Vec::new();
        for m in self.folded.find_overlapping_iter(&folded.text) {
            // The match ends with the original char its last folded byte came from.
            let range = folded.origin[m.start()]..end_of_char_at(text, folded.origin[m.end() - 1]);
            out.push(Candidate {
                range,
                alias: self.folded_alias[m.pattern().as_usize()],
            });
        }
        for m in self.exact.find_overlapping_iter(text) {
            out.push(Candidate {
                range: m.start()..m.end(),
                alias: self.exact_alias[m.pattern().as_usize()],
            });
        }
        out.retain(|c| on_word_boundaries(text, &c.range) && self.locally_plausible(text, c));
        out
    }

    fn locally_plausible(&self, text: &str, c: &Candidate) -> bool {
        let alias = &self.table.aliases[c.alias];
        let spec = self.table.entities[alias.entity].kind.spec();
        if spec.places
            && (FOREIGN.contains(&word_before(text, c.range.start).as_str())
                || TEAM_NAMES.contains(&word_after(text, c.range.end).as_str())
                || OTHER_COUNTRIES.contains(&word_after_comma(text, c.range.end).as_str()))
        {
            return false;
        }
        if !alias.flags.ctx {
            return true;
        }
        match spec.context {
            Context::Place => {
                LOCATIVES.contains(&word_before(text, c.range.start).as_str())
                    || PLACE_NOUNS.contains(&word_after(text, c.range.end).as_str())
            }
            Context::Near(cues) => words_near(text, &c.range, 3)
                .iter()
                .any(|w| cues.contains(&w.as_str())),
        }
    }

    /// Keeps the leftmost-longest of overlapping candidates.
    fn select(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
        candidates.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
        let mut out: Vec<Candidate> = Vec::with_capacity(candidates.len());
        for c in candidates {
            if out
                .last()
                .is_none_or(|last| c.range.start >= last.range.end)
            {
                out.push(c);
            }
        }
        out
    }

    /// Tags a document's title and cleaned text. `published` (front matter, dateline) gives
    /// yearless dates their year.
    pub fn tag_document(
        &self,
        title: &str,
        text: &str,
        published: Option<PartialDate>,
    ) -> TaggedDoc {
        let folded_title = fold(title);
        let folded_text = fold(text);
        let title_found = Tagger::select(self.candidates(title, &folded_title));
        let text_found = Tagger::select(self.candidates(text, &folded_text));

        // Region evidence: the document names either country (or a demonym).
        let in_region = |f: &Folded| f.text.contains("pakistan") || f.text.contains("afghan");
        let region = in_region(&folded_title) || in_region(&folded_text);

        // Deferred aliases (bare "Taliban"): which entities are named outright?
        let all: Vec<&Candidate> = title_found.iter().chain(&text_found).collect();
        let named_outright: BTreeSet<usize> = all
            .iter()
            .map(|c| &self.table.aliases[c.alias])
            .filter(|a| a.flags.defer.is_none())
            .map(|a| a.entity)
            .collect();
        let resolve = |c: &Candidate| -> Option<usize> {
            let alias = &self.table.aliases[c.alias];
            if alias.flags.region && !region {
                return None;
            }
            let Some(target) = &alias.flags.defer else {
                return Some(alias.entity);
            };
            let kind = self.table.entities[alias.entity].kind;
            let target = self.by_name.get(&(kind, target.clone())).copied();
            match target {
                Some(t)
                    if named_outright.contains(&t) && !named_outright.contains(&alias.entity) =>
                {
                    Some(t)
                }
                _ => Some(alias.entity),
            }
        };
        let to_mentions = |found: &[Candidate]| -> Vec<Mention> {
            found
                .iter()
                .filter_map(|c| {
                    let e = &self.table.entities[resolve(c)?];
                    Some(Mention {
                        kind: MentionKind::Entity(e.kind),
                        value: e.name.clone(),
                        place: e.place.clone(),
                        start: c.range.start,
                        end: c.range.end,
                        facet: e.facet_parts(),
                    })
                })
                .collect()
        };
        let mut mentions = to_mentions(&text_found);
        let title_mentions = to_mentions(&title_found);

        let found_dates = find_dates(text);
        let dates = resolve_years(&found_dates, published);
        let latest_date = latest_date(&found_dates, &dates);
        mentions.extend(dates.into_iter().map(|(range, d)| Mention {
            kind: MentionKind::Date,
            value: d.iso(),
            place: None,
            start: range.start,
            end: range.end,
            facet: Vec::new(),
        }));
        mentions.sort_by_key(|m| (m.start, m.end));
        TaggedDoc {
            mentions,
            title_mentions,
            latest_date,
        }
    }
}

/// The end of the char starting at `at` in `text`.
fn end_of_char_at(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn tagger() -> &'static Tagger {
        static T: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
        T.get_or_init(|| Tagger::new(Table::builtin()).unwrap())
    }

    const PROVINCE: EntityKind = EntityKind::PROVINCE;
    const GROUP: EntityKind = EntityKind::GROUP;

    /// (kind, value, matched text) of every non-date mention.
    fn found(text: &str) -> Vec<(MentionKind, String, String)> {
        tagger()
            .tag_document("", text, None)
            .mentions
            .into_iter()
            .filter(|m| m.kind != MentionKind::Date)
            .map(|m| (m.kind, m.value, text[m.start..m.end].to_string()))
            .collect()
    }

    fn values(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(_, v, _)| v).collect()
    }

    #[test]
    fn every_spelling_of_the_ttp() {
        for s in [
            "Tehrik-i-Taliban Pakistan",
            "Tehreek-e-Taliban Pakistan",
            "Tehrik-e-Taliban",
            "Pakistani Taliban",
            "TTP",
            "Tehreek‑e‑Taliban",
            "Pakistan’s Taliban",
        ] {
            let text = format!("Officials in Pakistan blamed the {s} for the attack.");
            assert_eq!(values(&text), vec!["TTP"], "{s}");
        }
    }

    #[test]
    fn group_alias_families() {
        let cases = [
            ("fighters of the Islamic State-Khorasan in Pakistan", "IS-K"),
            ("ISKP claimed the bombing in Kabul, Afghanistan", "IS-K"),
            ("al-Qaida leaders in Afghanistan", "al-Qaeda"),
            ("Al Qaeda in Afghanistan", "al-Qaeda"),
            ("the Haqqani network in Afghanistan", "Haqqani network"),
            ("Lashkar-e-Taiba, a Pakistani group", "Lashkar-e-Taiba"),
            ("Jaish-e-Mohammed of Pakistan", "Jaish-e-Mohammed"),
            ("the Balochistan Liberation Army in Pakistan", "BLA"),
            ("Jamaat-ul-Ahrar of Pakistan", "Jamaat-ul-Ahrar"),
        ];
        for (text, group) in cases {
            let groups: Vec<String> = found(text)
                .into_iter()
                .filter(|(k, _, _)| *k == MentionKind::Entity(GROUP))
                .map(|(_, v, _)| v)
                .collect();
            assert_eq!(groups, vec![group.to_string()], "{text}");
        }
    }

    #[test]
    fn word_boundaries_are_required() {
        assert!(values("The Kunari tribe and Statesman newspaper in Pakistan").is_empty());
        assert_eq!(values("in Kunar, Pakistan said"), vec!["Kunar"]);
        assert!(values("THIS IS A HEADLINE about Pakistan").is_empty());
    }

    #[test]
    fn ambiguous_aliases_need_context() {
        // "IS" needs a group word; "Tank" a locative or place noun; "Kabul" likewise.
        assert_eq!(
            values("IS militants attacked a shrine in Afghanistan"),
            vec!["Islamic State"]
        );
        assert!(values("It IS true, said Pakistan's minister").is_empty());
        assert!(values("a tank rolled into Pakistan").is_empty());
        assert!(values("Pakistan sent a message to Kabul").is_empty());
        assert_eq!(values("a blast in Kabul, Afghanistan"), vec!["Kabul"]);
        assert_eq!(
            values("militants in Tank district, Pakistan"),
            vec!["Khyber Pakhtunkhwa"]
        );
        assert!(values("Mo Farah won the race").is_empty());
        assert!(values("FC Barcelona won again").is_empty());
        assert_eq!(
            values("FC personnel were killed in Pakistan"),
            vec!["Frontier Corps"]
        );
    }

    #[test]
    fn region_aliases_need_a_document_about_the_region() {
        assert!(values("Peace talks in Punjab, India's farmers said").is_empty());
        assert!(values("Hyderabad is a city").is_empty());
        assert_eq!(
            values("Floods hit Punjab, Pakistan officials said"),
            vec!["Punjab"]
        );
        assert!(
            values("Indian Punjab and Pakistan").is_empty(),
            "foreign qualifier"
        );
        assert!(values("Pakistan: Quetta Gladiators beat Peshawar Zalmi").is_empty());
        assert!(values("Pakistan's rival: floods in Hyderabad, India").is_empty());
    }

    #[test]
    fn places_map_to_their_current_province() {
        let got =
            found("Raids in Dangam, Peshawar, North Waziristan, Rawalpindi and Konar, Pakistan");
        let pairs: Vec<(String, String)> = got.into_iter().map(|(_, v, t)| (t, v)).collect();
        assert_eq!(
            pairs,
            vec![
                ("Dangam".into(), "Kunar".into()),
                ("Peshawar".into(), "Khyber Pakhtunkhwa".into()),
                ("North Waziristan".into(), "Khyber Pakhtunkhwa".into()),
                ("Rawalpindi".into(), "Punjab".into()),
                ("Konar".into(), "Kunar".into()),
            ]
        );
        assert_eq!(
            values("Baluchistan and NWFP and KPK, Pakistan"),
            vec!["Balochistan", "Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa"]
        );
    }

    #[test]
    fn bare_taliban_follows_the_document() {
        let afghan = tagger().tag_document(
            "",
            "The Taliban government denied it. The Taliban said the TTP was not in Afghanistan.",
            None,
        );
        assert_eq!(afghan.values(GROUP), vec!["Afghan Taliban", "TTP"]);
        let pakistani = tagger().tag_document(
            "",
            "The Pakistani Taliban attacked. Later the Taliban retreated into Afghanistan.",
            None,
        );
        assert_eq!(pakistani.values(GROUP), vec!["TTP"]);
        let plain =
            tagger().tag_document("", "The Taliban took Kabul province, Afghanistan.", None);
        assert_eq!(plain.values(GROUP), vec!["Afghan Taliban"]);
    }

    #[test]
    fn dates_take_their_year_from_context() {
        let doc = tagger().tag_document(
            "",
            "On 16 December 2014 the attack came. On 17 December, talks. In June 2014 too.",
            None,
        );
        let dates: Vec<String> = doc
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Date)
            .map(|m| m.value.clone())
            .collect();
        assert_eq!(dates, vec!["2014-12-16", "2014-12-17", "2014-06"]);
        // The latest date mentioned, a yearless one included once it has its year.
        assert_eq!(doc.latest_date.unwrap().iso(), "2014-12-17");
    }

    #[test]
    fn facets_include_the_province_of_a_place() {
        let doc = tagger().tag_document("", "Fighting in Dangam, Afghanistan.", None);
        let facets: Vec<String> = doc
            .facets(PROVINCE)
            .into_iter()
            .map(|p| p.join("/"))
            .collect();
        assert_eq!(
            facets,
            vec![
                "Afghanistan",
                "Afghanistan/Kunar",
                "Afghanistan/Kunar/Dangam"
            ]
        );
    }

    proptest! {
        #[test]
        fn mention_spans_are_char_boundaries_in_bounds(text in "(\\PC|[ ’‑é—]|Kunar|TTP|Taliban ){0,60}") {
            let doc = tagger().tag_document("", &text, None);
            for m in doc.mentions {
                prop_assert!(m.start < m.end && m.end <= text.len());
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
        }
    }
}
