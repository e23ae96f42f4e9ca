//! What durand knows about a document, from its raw text: the cleaned text, its passages,
//! the entities and dates it mentions, and its date and where that date came from. This is the
//! whole of the pipeline between reading a source and storing it; the index only stores what
//! it is given ([`crate::index::document`]) and search only reads it.
//!
//! New facts about passages (casualty figures, event types) are added here, as fields of
//! [`Analysed`] computed from the cleaned text.

pub mod casualty;
pub mod events;
pub mod story;

/// Bumped whenever the casualty-figure or event-type rules change, so existing indexes get
/// their events extracted again (1 was every index before the version was kept).
pub const EVENTS_VERSION: u32 = 36;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::clean::{CleanDoc, clean};
use crate::corpus::RawDoc;
use crate::date::{PartialDate, parse_date_value};
use crate::passage::{Passage, split};
use crate::tag::{EntityKind, Mention, MentionKind, PerKind, TaggedDoc, Tagger};
use casualty::{CasualtyKind, Figure, Setting, Who, figures_in, tells_of_disaster};
use events::{EventMention, EventType, event_types_in};
use story::Signature;

/// Where a document's date came from, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Front matter or the JSONL `date`.
    Metadata,
    /// A publication line or dateline in the text.
    Dateline,
    /// A wiki infobox `Date:` line.
    Infobox,
    /// The latest date the text mentions (see `crate::date::latest_date`).
    Inferred,
}

impl DateSource {
    /// How `show` says where the date came from.
    pub fn phrase(self) -> &'static str {
        match self {
            DateSource::Metadata => "from the metadata",
            DateSource::Dateline => "from the dateline",
            DateSource::Infobox => "from the infobox",
            DateSource::Inferred => "inferred from the dates in the text",
        }
    }
}

/// One entity a document mentions, with the spellings it was found as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntitySummary {
    pub kind: MentionKind,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Distinct texts it was found as, in order of first appearance.
    pub found: Vec<String>,
    pub count: usize,
    /// Every mention of it is in a file photo's caption (`file_photo`): it illustrates the
    /// document, and is not where its news happened.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub file_photo: bool,
}

/// What a stretch of text (a passage or the title) reports: event types and casualty
/// figures, with ranges relative to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reported {
    pub events: Vec<EventMention>,
    pub figures: Vec<Figure>,
}

/// What the whole document tells the extractors about each stretch of it.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// The title tells of a disaster and of no violence ([`tells_of_disaster`]); the year and
    /// month of publication (an event cue in a year two or more before it is history).
    setting: Setting,
    /// The title recalls an earlier incident ([`events::dates_a_cue_to_history`], or violence
    /// it places in the 2021 withdrawal, [`events::in_the_2021_withdrawal`]) and reports
    /// nothing new (no event, no figure that counts): the document's figures are that
    /// incident's, history (the Pentagon's new interviews over the 2021 Kabul airport bombing
    /// "which killed 183 people"), and so is the act its body points back at ("injured in
    /// the blast", [`anaphoric`]), as is any bombing or strike of the kind the title recalls
    /// (a veteran's account of the bomber and the test blast before it) — not an operation
    /// or a killing, which may be the news of the planner's end. A title that tells of a
    /// verdict or an extradition ([`events::tells_of_verdict`]) and reports nothing new
    /// recalls the crime it judges: then the killings and other violence its body tells
    /// (the murder being judged) are that crime too. A title that speaks of Gold Star
    /// families ([`events::mourns_the_fallen`]) recalls the deaths they mourn: every bombing
    /// and strike its body tells. Commentary ([`events::is_commentary`]) recalls every type:
    /// it reports no event, and its figures are history.
    recalled: bool,
    /// The types of the recalled act: the bombings and strikes the title's cues would be,
    /// read as news ([`bit`]), and after a verdict the killings ([`type_bit`]).
    recalled_types: u16,
}

impl Reported {
    fn of(text: &str, context: Context) -> Reported {
        let mut figures = figures_in(text, context.setting);
        if context.recalled {
            for f in &mut figures {
                f.past = true;
            }
        }
        let mut events = event_types_in(text, context.setting.published.map(|(year, _)| year));
        if context.recalled {
            // "injured in the blast": the recalled incident again, not a new one
            events.retain(|e| {
                !anaphoric(text, e.range.start) && context.recalled_types & type_bit(e.kind) == 0
            });
        }
        Reported { events, figures }
    }
}

/// Whether a passage is a photo's caption: it ends with the photo's credit in brackets
/// ("(Arshad Butt/AP Photo)", "(Hoshang Hashimi/AFP via Getty Images)", "(Reuters/Screenshot
/// via Reuters)").
fn photo_caption(text: &str) -> bool {
    let text = text.trim_end().trim_end_matches('.').trim_end();
    let Some(inner) = text.strip_suffix(')') else {
        return false;
    };
    let Some(open) = inner.rfind('(') else {
        return false;
    };
    let credit = &inner[open + 1..];
    credit.len() <= 80
        && [
            "Photo",
            "Getty Images",
            "AFP",
            "Reuters",
            "EPA",
            "Xinhua",
            "Anadolu",
        ]
        .iter()
        .any(|w| credit.contains(w))
}

/// How many days before publication a photo must have been taken for its caption to be a
/// file photo's ([`file_photo`]): a week covers an incident's own pictures, published as its
/// reports come in.
const FILE_PHOTO_DAYS: i32 = 7;

/// Whether the passage at `range` of a document published on `published` is a file photo's
/// caption: a photo's caption ([`photo_caption`]) whose latest date lies more than
/// [`FILE_PHOTO_DAYS`] before publication ("Taliban extremists stand guard along a street in
/// Kabul on Jan. 21, 2022. (…/AFP via Getty Images)" under a 2023 report of a blast in
/// Mazar-i-Sharif). What it shows happened then, not in the news it illustrates.
fn file_photo(
    text: &str,
    range: &std::ops::Range<usize>,
    mentions: &[Mention],
    published: Option<PartialDate>,
) -> bool {
    let Some(published) = published.as_ref().and_then(PartialDate::day_number) else {
        return false;
    };
    let taken = mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Date && range.start <= m.start && m.end <= range.end)
        .filter_map(|m| PartialDate::parse_iso(&m.value).and_then(|d| d.day_number()))
        .max();
    taken.is_some_and(|day| published - day > FILE_PHOTO_DAYS)
        && photo_caption(&text[range.clone()])
}

/// The bit a title's cue of a bombing or strike sets in [`Context::recalled_types`]; other
/// types set none (an operation or a killing may be the news of the planner's end).
fn bit(kind: EventType) -> u16 {
    match kind {
        EventType::SuicideBombing
        | EventType::Bombing
        | EventType::AirStrike
        | EventType::DroneStrike
        | EventType::Shelling => type_bit(kind),
        _ => 0,
    }
}

/// The bit of a type in [`Context::recalled_types`] (a bombing and a suicide bombing share
/// theirs: one act, told either way).
fn type_bit(kind: EventType) -> u16 {
    match kind {
        EventType::SuicideBombing => type_bit(EventType::Bombing),
        _ => 1 << kind as usize,
    }
}

/// Whether the words before `at` point back at an act already told: "the blast", "that
/// attack", "the suspected suicide bomber".
fn anaphoric(text: &str, at: usize) -> bool {
    let mut words = text[..at]
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let is = |word: Option<&str>, list: &[&str]| {
        word.is_some_and(|w| list.iter().any(|l| w.eq_ignore_ascii_case(l)))
    };
    let mut word = words.next();
    if is(word, &["suspected", "alleged", "same", "deadly"]) {
        word = words.next();
    }
    is(word, &["the", "that", "this"])
}

/// An event type and where a passage shows it, as stored and printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    #[serde(rename = "type")]
    pub kind: EventType,
    pub start: usize,
    pub end: usize,
}

/// A casualty figure as stored and printed: `passage` is the passage's number, `None` for
/// the title; `start` and `end` are byte offsets into that passage (or the title).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasualtyRecord {
    pub kind: CasualtyKind,
    pub min: u32,
    pub max: Option<u32>,
    pub approx: bool,
    pub who: Who,
    pub aggregate: bool,
    pub past: bool,
    pub passage: Option<u32>,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl CasualtyRecord {
    fn new(f: &Figure, passage: Option<u32>, text: &str) -> CasualtyRecord {
        CasualtyRecord {
            kind: f.kind,
            min: f.min,
            max: f.max,
            approx: f.approx,
            who: f.who,
            aggregate: f.aggregate,
            past: f.past,
            passage,
            start: f.range.start,
            end: f.range.end,
            text: text[f.range.clone()].to_string(),
        }
    }

    /// Whether the figure counts toward this report's toll: about the incident reported,
    /// not a total over a period nor an earlier incident.
    pub fn counts(&self) -> bool {
        !self.aggregate && !self.past
    }
}

/// A report's toll of one kind from its figures: per kind of people the largest figure,
/// summed over kinds of people; an unspecified figure ("59 people") already covers the
/// others when it is larger than their sum. `None` without a figure of that kind.
pub fn toll(figures: &[CasualtyRecord], kind: CasualtyKind) -> Option<u32> {
    let mut per_who: Vec<(Who, u32)> = Vec::new();
    for f in figures.iter().filter(|f| f.kind == kind && f.counts()) {
        match per_who.iter_mut().find(|(w, _)| *w == f.who) {
            Some((_, n)) => *n = (*n).max(f.min),
            None => per_who.push((f.who, f.min)),
        }
    }
    if per_who.is_empty() {
        return None;
    }
    let unspecified = per_who
        .iter()
        .find(|(w, _)| *w == Who::Unspecified)
        .map_or(0, |(_, n)| *n);
    // Saturating: a text may claim any number (a typo of billions).
    let named: u32 = per_who
        .iter()
        .filter(|(w, _)| *w != Who::Unspecified)
        .fold(0, |sum, (_, n)| sum.saturating_add(*n));
    Some(unspecified.max(named))
}

/// A document analysed.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub doc: CleanDoc,
    pub passages: Vec<Passage>,
    pub tagged: TaggedDoc,
    /// The document date and where it came from.
    pub date: Option<(PartialDate, DateSource)>,
    /// What the title reports.
    pub title_reported: Reported,
    /// What each passage reports, in passage order.
    pub reported: Vec<Reported>,
    /// The MinHash signature of the title and text, for story groups.
    pub signature: Signature,
    /// The byte ranges of the text that are file photos' captions (`file_photo`).
    pub file_photos: Vec<std::ops::Range<usize>>,
}

/// The date a document was published, if it says: metadata, else its dateline. Yearless
/// dates in the text take their year from it.
pub fn publication_date(raw: &RawDoc, doc: &CleanDoc) -> Option<(PartialDate, DateSource)> {
    if let Some(d) = raw.date.as_deref().and_then(parse_date_value) {
        return Some((d, DateSource::Metadata));
    }
    doc.dateline
        .as_deref()
        .and_then(parse_date_value)
        .map(|d| (d, DateSource::Dateline))
}

/// The document date, by trust: the publication date ([`publication_date`]), the infobox,
/// else the latest dated mention.
pub fn document_date(
    published: Option<(PartialDate, DateSource)>,
    doc: &CleanDoc,
    tagged: &TaggedDoc,
) -> Option<(PartialDate, DateSource)> {
    published
        .or_else(|| {
            doc.infobox_value("date")
                .and_then(parse_date_value)
                .map(|d| (d, DateSource::Infobox))
        })
        .or_else(|| tagged.latest_date.map(|d| (d, DateSource::Inferred)))
}

/// Cleans, splits and tags `raw`.
pub fn analyse(raw: &RawDoc, tagger: &Tagger) -> Analysed {
    let doc = clean(&raw.text, raw.title.as_deref());
    let passages = split(&doc);
    let published = publication_date(raw, &doc);
    let tagged = tagger.tag_document(&doc.title, &doc.text, published.map(|(d, _)| d));
    let date = document_date(published, &doc, &tagged);
    let year = published.and_then(|(d, _)| u32::try_from(d.year).ok());
    let mut context = Context {
        setting: Setting {
            disaster: tells_of_disaster(&doc.title),
            published: year.map(|y| (y, published.and_then(|(d, _)| d.month))),
            month: date.and_then(|(d, _)| d.month),
        },
        recalled: false,
        recalled_types: 0,
    };
    // The title is read first; whether it only recalls history decides how the body is read
    // (and a verdict's title figures are the crime's, history too).
    let mut title_reported = Reported::of(&doc.title, context);
    // A story of Gold Star families mourns deaths of the past: its title's bombings and
    // strikes, and its figures, are theirs.
    let mourned = events::mourns_the_fallen(&doc.title, year);
    let mourned_types = EventType::ALL.iter().fold(0, |bits, t| bits | bit(*t));
    if mourned {
        title_reported
            .events
            .retain(|e| mourned_types & type_bit(e.kind) == 0);
        for f in &mut title_reported.figures {
            f.past = true;
        }
    }
    // Commentary (a column, an editorial, letters) tells of violence reported elsewhere.
    let commentary = events::is_commentary(&doc.title);
    if commentary {
        title_reported.events.clear();
        for f in &mut title_reported.figures {
            f.past = true;
        }
    }
    let verdict = title_reported.events.is_empty() && events::tells_of_verdict(&doc.title);
    context.recalled = commentary
        || verdict
        || title_reported.events.is_empty()
            && title_reported.figures.iter().all(|f| f.past)
            && (mourned
                || events::dates_a_cue_to_history(&doc.title, year)
                || events::in_the_2021_withdrawal(&doc.title.to_lowercase(), year));
    if context.recalled {
        context.recalled_types = event_types_in(&doc.title, None)
            .iter()
            .fold(0, |bits, e| bits | bit(e.kind));
    }
    if mourned {
        context.recalled_types |= mourned_types;
    }
    if commentary {
        context.recalled_types |= EventType::ALL.iter().fold(0, |bits, t| bits | type_bit(*t));
    }
    if verdict {
        context.recalled_types |=
            type_bit(EventType::OtherViolence) | type_bit(EventType::TargetedKilling);
        for f in &mut title_reported.figures {
            f.past = true;
        }
    }
    let title_tells_of_violence =
        !title_reported.events.is_empty() || !title_reported.figures.is_empty();
    let published_day = published.map(|(d, _)| d);
    let file_photos: Vec<std::ops::Range<usize>> = passages
        .iter()
        .map(|p| p.range.clone())
        .filter(|r| file_photo(&doc.text, r, &tagged.mentions, published_day))
        .collect();
    let reported = passages
        .iter()
        .map(|p| {
            let text = &doc.text[p.range.clone()];
            let mut reported = Reported::of(text, context);
            // A photo's caption under a title that tells of no violence is an illustration
            // (a truck "damaged by a suicide bombing" above a list of designated terrorists),
            // not the document's news; so is a file photo's under any title: what it shows
            // is history.
            if file_photos.contains(&p.range) {
                reported.events.clear();
                for f in &mut reported.figures {
                    f.past = true;
                }
            } else if !title_tells_of_violence && photo_caption(text) {
                reported.events.clear();
            }
            reported
        })
        .collect();
    let signature = Signature::of(&[&doc.title, &doc.text]);
    Analysed {
        doc,
        passages,
        tagged,
        date,
        title_reported,
        reported,
        signature,
        file_photos,
    }
}

impl Analysed {
    /// Each passage with the mentions inside it, their ranges made relative to the passage.
    /// Mentions are sorted by position and passages do not overlap: one sweep hands each
    /// passage its own, so this is linear in the document's size.
    pub fn passage_mentions(&self) -> impl Iterator<Item = (&Passage, Vec<Mention>)> {
        let mentions = &self.tagged.mentions;
        let mut next = 0;
        self.passages.iter().map(move |p| {
            while mentions.get(next).is_some_and(|m| m.start < p.range.start) {
                next += 1;
            }
            let own = mentions[next..]
                .iter()
                .take_while(|m| m.start < p.range.end)
                .filter(|m| m.end <= p.range.end)
                .map(|m| Mention {
                    start: m.start - p.range.start,
                    end: m.end - p.range.start,
                    ..m.clone()
                })
                .collect();
            (p, own)
        })
    }

    /// The event types the document reports (title and passages), sorted. One act told in
    /// several parts of the document is one event: a blast that another part says was a
    /// suicide attack is that suicide bombing ("Blast kills 12" over "a suicide bomber blew
    /// himself up"); an "attack on a mosque inside a police facility" under a "mosque blast"
    /// headline is that bombing, not an armed clash too; and "other violence", the type of
    /// violence no other type describes, is not listed beside one that does ("wounded in an
    /// assassination attempt … he was shot in the foot") — though beside a protest, which
    /// describes no killing, it is (a crowd's lynching).
    pub fn event_types(&self) -> Vec<EventType> {
        let mentions = || {
            std::iter::once(&self.title_reported)
                .chain(&self.reported)
                .flat_map(|r| r.events.iter())
        };
        let mut out: Vec<EventType> = mentions().map(|e| e.kind).collect();
        out.sort();
        out.dedup();
        if out.contains(&EventType::SuicideBombing) {
            out.retain(|t| *t != EventType::Bombing);
        }
        // The headline names the act; the body's bare "attack" is that act. (A headline's
        // "attack on police headquarters" over a body's "firearm and grenade attack" is
        // both.)
        let title_bombing = self
            .title_reported
            .events
            .iter()
            .any(|e| matches!(e.kind, EventType::SuicideBombing | EventType::Bombing));
        if title_bombing
            && mentions()
                .filter(|e| e.kind == EventType::ArmedClash)
                .all(|e| e.bare_attack)
        {
            out.retain(|t| *t != EventType::ArmedClash);
        }
        // (A protest describes no killing: a mob's lynching beside it stays.)
        if out
            .iter()
            .any(|t| !matches!(t, EventType::OtherViolence | EventType::Protest))
        {
            out.retain(|t| *t != EventType::OtherViolence);
        }
        out
    }

    /// Whether the title gives a toll of the incident it reports: a figure that is neither a
    /// total nor history ("Suicide bomber kills at least 17 at mosque").
    pub fn title_gives_toll(&self) -> bool {
        self.title_reported
            .figures
            .iter()
            .any(|f| !f.aggregate && !f.past)
    }

    /// A passage's event types as stored.
    pub fn passage_events(&self, ord: usize) -> Vec<EventRecord> {
        self.reported[ord]
            .events
            .iter()
            .map(|e| EventRecord {
                kind: e.kind,
                start: e.range.start,
                end: e.range.end,
            })
            .collect()
    }

    /// A passage's casualty figures as stored.
    pub fn passage_casualties(&self, ord: usize) -> Vec<CasualtyRecord> {
        let text = &self.doc.text[self.passages[ord].range.clone()];
        self.reported[ord]
            .figures
            .iter()
            .map(|f| CasualtyRecord::new(f, Some(ord as u32), text))
            .collect()
    }

    /// Every casualty figure of the document, title first; the same figure stated again is
    /// listed once: the same kind, flags and lower number, an upper number that agrees or is
    /// left open ("Kills 80" and "at least 80"), and the same people or unspecified ones; a
    /// word for a number ("dozens") and a number no lower (and under ten times it) are one
    /// figure, the number. A figure the headline repeats is listed as the body tells it.
    pub fn casualties(&self) -> Vec<CasualtyRecord> {
        let per_passage: Vec<Vec<CasualtyRecord>> = (0..self.passages.len())
            .map(|i| self.passage_casualties(i))
            .collect();
        self.casualties_of(&per_passage)
    }

    /// [`Analysed::casualties`] from the passages' figures already built (indexing stores
    /// them per passage too).
    pub fn casualties_of(&self, per_passage: &[Vec<CasualtyRecord>]) -> Vec<CasualtyRecord> {
        let title = self
            .title_reported
            .figures
            .iter()
            .map(|f| CasualtyRecord::new(f, None, &self.doc.title));
        let passages = per_passage.iter().flatten().cloned();
        let mut out: Vec<CasualtyRecord> = Vec::new();
        // A word for a number ("dozens", "scores") and a number no lower and less than ten
        // times as large are one toll told twice ("Blast kills dozens" over "killed at least
        // 52"; "several" is not 300): the number is kept.
        let vague = |f: &CasualtyRecord| f.approx && f.max.is_none();
        let told = |word: u32, number: u32| number >= word && number < word.saturating_mul(10);
        for r in title.chain(passages) {
            let alike = |o: &CasualtyRecord| {
                (o.kind, o.aggregate, o.past) == (r.kind, r.aggregate, r.past)
                    && (o.who == r.who || o.who == Who::Unspecified || r.who == Who::Unspecified)
            };
            let same = |o: &CasualtyRecord| {
                alike(o)
                    && (o.min == r.min && (o.max == r.max || o.max.is_none() || r.max.is_none())
                        || vague(o) && !vague(&r) && told(o.min, r.min)
                        || vague(&r) && !vague(o) && told(r.min, o.min))
            };
            match out.iter_mut().find(|o| same(o)) {
                Some(o) => {
                    let who = if o.who == Who::Unspecified {
                        r.who
                    } else {
                        o.who
                    };
                    // A number beats a word for it; the body's telling beats the headline's,
                    // which drops "at least" and rounds ("Blast kills 5" over "killed at
                    // least five people").
                    let headline = o.passage.is_none() && r.passage.is_some();
                    let number_for_word = vague(o) && !vague(&r);
                    let word_for_number = vague(&r) && !vague(o);
                    if number_for_word || headline && !word_for_number {
                        *o = r;
                    }
                    // The repetition may say who they were.
                    o.who = who;
                }
                None => out.push(r),
            }
        }
        out
    }

    /// The document's canonical tags per kind, sorted.
    pub fn tags(&self) -> PerKind<Vec<String>> {
        PerKind::from_fn(|kind: EntityKind| self.tagged.values(kind))
    }

    /// Mentions grouped by entity (and dates by value), with the spellings they were found
    /// as, title first; sorted by kind and value.
    pub fn entities(&self) -> Vec<EntitySummary> {
        let (text, title) = (&self.doc.text, &self.doc.title);
        let mut out: Vec<EntitySummary> = Vec::new();
        let mut by_entity: HashMap<(MentionKind, &str, Option<&str>), usize> = HashMap::new();
        let mut spellings: HashSet<(usize, &str)> = HashSet::new();
        let found = self
            .tagged
            .title_mentions
            .iter()
            .map(|m| (m, &title[m.start..m.end], false))
            .chain(self.tagged.mentions.iter().map(|m| {
                let in_file_photo = self
                    .file_photos
                    .iter()
                    .any(|r| r.start <= m.start && m.end <= r.end);
                (m, &text[m.start..m.end], in_file_photo)
            }));
        for (m, surface, in_file_photo) in found {
            let key = (m.kind, m.value.as_str(), m.place.as_deref());
            let i = *by_entity.entry(key).or_insert_with(|| {
                out.push(EntitySummary {
                    kind: m.kind,
                    value: m.value.clone(),
                    place: m.place.clone(),
                    found: Vec::new(),
                    count: 0,
                    file_photo: true,
                });
                out.len() - 1
            });
            out[i].count += 1;
            out[i].file_photo &= in_file_photo;
            if spellings.insert((i, surface)) {
                out[i].found.push(surface.to_string());
            }
        }
        out.sort_by(|a, b| (a.kind, &a.value, &a.place).cmp(&(b.kind, &b.value, &b.place)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::casualty::figures;
    use crate::analysis::events::event_types;
    use crate::tag::Table;

    fn raw(text: &str, date: Option<&str>) -> RawDoc {
        RawDoc {
            id: "d".into(),
            file: "d.txt".into(),
            line: None,
            title: Some("Raid in Kunar".into()),
            date: date.map(str::to_string),
            source: None,
            url: None,
            text: text.into(),
            stamp: 0,
        }
    }

    fn tagger() -> Tagger {
        Tagger::new(Table::builtin()).unwrap()
    }

    /// One act told in title and body is one event type.
    #[test]
    fn one_act_told_twice_is_one_event_type() {
        let types = |title: &str, text: &str| {
            let mut doc = raw(text, Some("2023-01-31"));
            doc.title = Some(title.into());
            analyse(&doc, &tagger()).event_types()
        };
        // The body's "attack" on the mosque is the headline's blast.
        assert_eq!(
            types(
                "Dead now more than 90 in Pakistan mosque blast",
                "More than 150 people were injured in the attack on a mosque inside a major \
                 police facility in Peshawar."
            ),
            [EventType::Bombing]
        );
        // A headline's attack on police headquarters and a body's grenades are both.
        assert_eq!(
            types(
                "Taliban claim attack on police headquarters in Karachi",
                "The firearm and grenade attack left two attackers dead."
            ),
            [EventType::Bombing, EventType::ArmedClash]
        );
        // The shooting is the assassination attempt, not other violence besides.
        assert_eq!(
            types(
                "Imran Khan wounded in assassination attempt",
                "Gunmen opened fire on the former prime minister's convoy. He was shot in \
                 the foot."
            ),
            [EventType::TargetedKilling]
        );
        // A crowd's lynching beside its protest is both.
        assert_eq!(
            types(
                "Muslims descend on police station to grab blasphemy suspect and lynch him",
                "Hundreds of Muslim protestors stormed the police station on Saturday."
            ),
            [EventType::Protest, EventType::OtherViolence]
        );
    }

    #[test]
    fn a_toll_of_absurd_figures_saturates_instead_of_wrapping() {
        let doc = raw(
            "Gunmen killed 3000000000 soldiers and 3000000000 civilians in Bajaur district on Monday.",
            Some("2023-05-01"),
        );
        let a = analyse(&doc, &tagger());
        assert_eq!(toll(&a.casualties(), CasualtyKind::Killed), Some(u32::MAX));
    }

    #[test]
    fn a_toll_told_as_a_word_and_as_a_number_is_one_figure_the_number() {
        let mut doc = raw(
            "A suicide bomber killed at least 52 people at a rally in Mastung.\n\n\
             Dozens of people were injured. Later officials said 70 people were injured.",
            None,
        );
        doc.title = Some("Suicide blast kills dozens in Mastung".into());
        let a = analyse(&doc, &tagger());
        let figures: Vec<(CasualtyKind, u32, Option<u32>)> = a
            .casualties()
            .iter()
            .map(|f| (f.kind, f.min, f.max))
            .collect();
        assert_eq!(
            figures,
            [
                (CasualtyKind::Killed, 52, None),
                (CasualtyKind::Wounded, 70, Some(70))
            ]
        );
        // A number lower than the word, or ten times it, is another figure.
        for other in ["Three", "300"] {
            doc.text = format!("{other} policemen were killed in Quetta on the same day.");
            let a = analyse(&doc, &tagger());
            assert_eq!(a.casualties().len(), 2, "{other}");
        }
    }

    #[test]
    fn a_figure_the_headline_repeats_is_listed_as_the_body_tells_it() {
        let mut doc = raw(
            "A roadside bomb killed at least five people in Bajaur on Monday.",
            None,
        );
        let figures = |doc: &RawDoc| -> Vec<(u32, Option<u32>, Option<u32>)> {
            analyse(doc, &tagger())
                .casualties()
                .iter()
                .map(|f| (f.min, f.max, f.passage))
                .collect()
        };
        doc.title = Some("Blast kills 5 in Bajaur".into());
        assert_eq!(figures(&doc), [(5, None, Some(0))]);
        // The title still gives the toll (an incident is headed by such a title).
        assert!(analyse(&doc, &tagger()).title_gives_toll());
        // And the other way round: the body's exact figure under an "at least" headline.
        doc.title = Some("At least five killed in Bajaur blast".into());
        doc.text = "The blast killed five people in Bajaur on Monday.".into();
        assert_eq!(figures(&doc), [(5, Some(5), Some(0))]);
        // A headline's number still beats the body's word for it.
        doc.title = Some("Blast kills 52 in Mastung".into());
        doc.text = "Dozens of people were killed in Mastung on Friday.".into();
        assert_eq!(figures(&doc), [(52, Some(52), None)]);
    }

    #[test]
    fn a_title_that_recalls_an_earlier_incident_makes_its_figures_history() {
        let text = "Critics say the assault, which killed 183 people at the airport gate, \
                    could have been stopped.";
        let mut doc = raw(text, Some("2023-09-15"));
        doc.title = Some(
            "Pentagon to interview more troops over 2021 Kabul airport suicide bombing".into(),
        );
        let a = analyse(&doc, &tagger());
        let past: Vec<(u32, bool)> = a.casualties().iter().map(|f| (f.min, f.past)).collect();
        assert_eq!(past, [(183, true)]);
        // Its body's "the blast" is that bombing again, no incident of its own.
        doc.text = format!("{text} A service member injured in the blast spoke out.");
        assert!(analyse(&doc, &tagger()).event_types().is_empty());
        doc.text = text.into();
        doc.title = Some("New inquiry into the airport bombing of 2021".into());
        assert!(analyse(&doc, &tagger()).casualties()[0].past);
        // So does a title that places its violence in the 2021 withdrawal.
        doc.title = Some(
            "Marine explains what led to suicide bombing during Biden's Afghanistan withdrawal"
                .into(),
        );
        doc.text = format!(
            "{text} Days before, they saw an IED test-run being performed by ISIS. The \
             suspected suicide bomber then disappeared. Then the blast went off."
        );
        let a = analyse(&doc, &tagger());
        assert!(a.casualties()[0].past);
        assert!(a.event_types().is_empty(), "{:?}", a.event_types());
        doc.text = text.into();
        // Published in 2022 the year is not yet history; a title with news of its own keeps
        // the body's figures news.
        for (title, date) in [
            (
                "Pentagon to interview more troops over 2021 Kabul airport suicide bombing",
                "2022-03-01",
            ),
            (
                "Blast kills 4 in Kabul a year after the 2021 airport bombing",
                "2023-09-15",
            ),
            (
                "Pentagon to interview more troops over Kabul airport suicide bombing",
                "2023-09-15",
            ),
            (
                "Weapons used in Israel attack... just as Biden predicted in 2007",
                "2023-10-09",
            ),
        ] {
            let mut doc = raw(text, Some(date));
            doc.title = Some(title.into());
            let a = analyse(&doc, &tagger());
            let body: Vec<bool> = a
                .casualties()
                .iter()
                .filter(|f| f.passage.is_some())
                .map(|f| f.past)
                .collect();
            assert_eq!(body, [false], "{title} ({date})");
        }
    }

    #[test]
    fn a_photo_caption_is_news_only_under_a_title_of_violence() {
        let caption = "Pakistani security officials inspect a truck carrying police officers \
                       damaged by a suicide bombing on the outskirts of Quetta, Pakistan, on \
                       Nov. 30, 2022. (Arshad Butt/AP Photo)";
        let mut doc = raw(caption, Some("2022-12-05"));
        doc.title = Some("US adds four terrorists to its list of global terrorists".into());
        assert!(analyse(&doc, &tagger()).event_types().is_empty());
        // Under a title of violence (or of its dead) it shows the news; without the credit
        // it is text.
        for title in [
            "Suicide bomber kills three police officers near Quetta",
            "Militant who killed 101 at Pakistan mosque wore uniform",
        ] {
            doc.title = Some(title.into());
            assert!(
                !analyse(&doc, &tagger()).event_types().is_empty(),
                "{title}"
            );
        }
        doc.title = Some("US adds four terrorists to its list of global terrorists".into());
        doc.text = caption.replace(" (Arshad Butt/AP Photo)", "");
        assert!(!analyse(&doc, &tagger()).event_types().is_empty());
        assert!(photo_caption(
            "People gather in Herat. (AFP via Getty Images)"
        ));
        assert!(!photo_caption(
            "The blast killed 12 (including two children)."
        ));
    }

    #[test]
    fn a_gold_star_story_mourns_bombings_of_the_past() {
        let body = "Army Staff Sgt. Ryan Knauss was killed when a bomber detonated a vest at \
                    the airport gate.";
        let told = |title: &str, date: &str| {
            let mut doc = raw(body, Some(date));
            doc.title = Some(title.into());
            let a = analyse(&doc, &tagger());
            let types: Vec<EventType> = a
                .title_reported
                .events
                .iter()
                .chain(a.reported.iter().flat_map(|r| &r.events))
                .map(|e| e.kind)
                .collect();
            let past = a
                .title_reported
                .figures
                .iter()
                .chain(a.reported.iter().flat_map(|r| &r.figures))
                .all(|f| f.past);
            (types, past)
        };
        let title = "Afghanistan Gold Star Mom: I Wept, Wanted Comfort From Biden";
        assert_eq!(told(title, "2023-08-21"), (vec![], true));
        // The title's own toll is theirs too.
        let (types, past) = told(
            "Mothers of Marines killed in Kabul blast say Biden lies: Gold Star families",
            "2023-08-21",
        );
        assert!(types.is_empty() && past, "{types:?}");
        // In the war's own time the same words are news; without Gold Star, so they are.
        assert_eq!(told(title, "2021-08-28").0, vec![EventType::Bombing]);
        assert_eq!(
            told("A mother's grief", "2023-08-21").0,
            vec![EventType::Bombing]
        );
    }

    #[test]
    fn commentary_reports_no_event_and_its_figures_are_history() {
        let body = "Nine people died when protesters clashed with police last month, and a \
                    suicide bomber killed 12 in Quetta.";
        let told = |title: &str| {
            let mut doc = raw(body, Some("2023-05-28"));
            doc.title = Some(title.into());
            let a = analyse(&doc, &tagger());
            let past = a.casualties().iter().all(|f| f.past);
            (a.event_types(), past)
        };
        let (types, past) =
            told("Even this violence won't shake the army's hold over Pakistan | Mustafa Khokhar");
        assert!(types.is_empty() && past, "{types:?}");
        // The same words under a report's title are news.
        let (types, past) = told("Suicide bomber kills 12 in Quetta");
        assert!(
            types.contains(&EventType::SuicideBombing) && !past,
            "{types:?}"
        );
    }

    #[test]
    fn a_file_photo_shows_history_and_not_where_the_news_happened() {
        // A photo of Kabul taken fourteen months before a report of a blast in Mazar.
        let caption = "A Taliban fighter stands guard after a suicide bombing along a street \
                       in Kabul on Jan. 21, 2022. (Mohd Rasfan/AFP via Getty Images)";
        let mut doc = raw(caption, Some("2023-03-11"));
        doc.title = Some("Blast at Afghanistan journalist event kills at least 1".into());
        let a = analyse(&doc, &tagger());
        assert_eq!(a.file_photos, vec![0..caption.len()]);
        let kabul = a
            .entities()
            .into_iter()
            .find(|e| e.value == "Kabul")
            .unwrap();
        assert!(kabul.file_photo);
        assert!(a.reported[0].events.is_empty());
        // The same photo published within the week shows the news: its places and its
        // bombing are the document's; so is a dated sentence that is no caption.
        for (text, date) in [
            (caption, "2022-01-25"),
            (
                &caption.replace(" (Mohd Rasfan/AFP via Getty Images)", ""),
                "2023-03-11",
            ),
        ] {
            let mut doc = raw(text, Some(date));
            doc.title = Some("Blast at Afghanistan journalist event kills at least 1".into());
            let a = analyse(&doc, &tagger());
            assert!(a.file_photos.is_empty(), "{date}");
            assert!(a.entities().iter().all(|e| !e.file_photo), "{date}");
            assert!(!a.reported[0].events.is_empty(), "{date}");
        }
        // A place the title (or the text beyond the caption) names is no file photo's.
        doc.title = Some("Blast in Kabul kills at least 1".into());
        let a = analyse(&doc, &tagger());
        let kabul = a
            .entities()
            .into_iter()
            .find(|e| e.value == "Kabul")
            .unwrap();
        assert!(!kabul.file_photo);
    }

    #[test]
    fn a_verdict_in_the_title_makes_the_crime_it_judges_history() {
        let text = "Tahir Zarif murdered a warehouse manager in Birmingham during an armed \
                    robbery before he fled to Pakistan.";
        let mut doc = raw(text, Some("2023-01-26"));
        for title in [
            "Man jailed for life for murder of warehouse manager",
            "Man jailed for 55 years in US after road rage killing of Muslim",
        ] {
            doc.title = Some(title.into());
            let a = analyse(&doc, &tagger());
            assert!(a.event_types().is_empty(), "{title}: {:?}", a.event_types());
            assert!(a.casualties().iter().all(|f| f.past), "{title}");
        }
        // Without the verdict the murder is news; a charge follows an attack within days.
        for title in [
            "Warehouse manager murdered in Birmingham",
            "Teen charged over machete attack on police",
        ] {
            doc.title = Some(title.into());
            let a = analyse(&doc, &tagger());
            assert!(!a.event_types().is_empty(), "{title}");
        }
    }

    #[test]
    fn passages_get_their_own_mentions_with_relative_ranges() {
        let text = "Troops moved into Kunar on 3 March 2024.\n\nLater the TTP attacked a post in Bajaur, Pakistan.";
        let a = analyse(&raw(text, None), &tagger());
        let per: Vec<(String, Vec<String>)> = a
            .passage_mentions()
            .map(|(p, ms)| {
                let ptext = &a.doc.text[p.range.clone()];
                (
                    ptext.to_string(),
                    ms.iter()
                        .map(|m| ptext[m.start..m.end].to_string())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(per.len(), 2);
        assert_eq!(per[0].1, vec!["Kunar", "3 March 2024"]);
        assert_eq!(per[1].1, vec!["TTP", "Bajaur"]);
        // Undated metadata: the date comes from the text.
        assert_eq!(
            a.date.map(|(d, s)| (d.iso(), s)),
            Some(("2024-03-03".to_string(), DateSource::Inferred))
        );
        let tags = a.tags();
        assert_eq!(tags.get(EntityKind::GROUP), &vec!["TTP".to_string()]);
    }

    /// Words the figure and event rules look at, glued into random texts with random
    /// punctuation and non-ASCII letters: neither extractor may panic (debug builds check
    /// every subtraction) nor return a range that is not on character boundaries.
    const VOCABULARY: &[&str] = &[
        "killed",
        "kills",
        "killing",
        "dead",
        "died",
        "martyred",
        "injured",
        "wounded",
        "hurt",
        "abducted",
        "kidnapped",
        "shot",
        "toll",
        "rose",
        "to",
        "from",
        "at",
        "least",
        "more",
        "than",
        "over",
        "nearly",
        "about",
        "dozens",
        "scores",
        "several",
        "hundreds",
        "a",
        "an",
        "one",
        "two",
        "twenty-five",
        "19",
        "1,600",
        "10-12",
        "militants",
        "soldiers",
        "police",
        "civilians",
        "people",
        "and",
        "were",
        "was",
        "no",
        "not",
        "threatened",
        "every",
        "the",
        "suicide",
        "bomber",
        "blast",
        "attack",
        "attacks",
        "drone",
        "strike",
        "raid",
        "operation",
        "protest",
        "gunmen",
        "ambush",
        "shelling",
        "in",
        "2014",
        "last",
        "year",
        "this",
        "since",
        "flood",
        "accident",
        "Taliban",
        "TTP",
        "Peshawar",
        "including",
        "his",
        "of",
        "on",
        "that",
        "which",
        "hostages",
        "hostage",
        "holding",
        "poisoned",
        "poisoning",
        "é",
        "—",
        "“",
        "”",
        "(",
        ")",
        ".",
        ",",
        ":",
        "'s",
        "-",
        "\n\n",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn the_extractors_take_any_text(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(VOCABULARY),
                    1 => proptest::sample::select(&["x", "Ünïcødé", "٣", "日本", "🙂"][..]),
                ],
                0..60,
            ),
            glue in proptest::collection::vec(proptest::sample::select(&[" ", "", " ", ", ", "\n"][..]), 60),
        ) {
            let mut text = String::new();
            for (w, g) in words.iter().zip(&glue) {
                text.push_str(w);
                text.push_str(g);
            }
            for f in figures(&text) {
                proptest::prop_assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
                proptest::prop_assert!(f.range.start <= f.range.end && f.range.end <= text.len());
            }
            for e in event_types(&text) {
                proptest::prop_assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
                proptest::prop_assert!(e.range.start <= e.range.end && e.range.end <= text.len());
            }
        }
    }

    #[test]
    fn names_in_output_are_the_serialised_names() {
        use casualty::{CasualtyKind::*, Who::*};
        let json = |v: serde_json::Value| v.as_str().unwrap().to_string();
        for k in [Killed, Wounded, Abducted] {
            assert_eq!(k.as_str(), json(serde_json::to_value(k).unwrap()));
        }
        for w in [Civilians, SecurityForces, Militants, Unspecified] {
            assert_eq!(w.as_str(), json(serde_json::to_value(w).unwrap()));
        }
        for t in EventType::ALL {
            assert_eq!(t.as_str(), json(serde_json::to_value(t).unwrap()));
        }
    }

    #[test]
    fn the_entity_summary_counts_spellings_title_first() {
        let text = "Fighting in Konar. More fighting in Kunar province, and in Konar again.";
        let a = analyse(&raw(text, Some("2024-01-01")), &tagger());
        let kunar = a
            .entities()
            .into_iter()
            .find(|e| e.value == "Kunar")
            .unwrap();
        assert_eq!(kunar.found, vec!["Kunar", "Konar"]);
        assert_eq!(kunar.count, 4);
        assert_eq!(a.date.unwrap().1, DateSource::Metadata);
    }
}
