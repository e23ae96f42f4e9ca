//! What durand knows about a document, from its raw text: the cleaned text, its passages,
//! the entities and dates it mentions, and its date and where that date came from. This is the
//! whole of the pipeline between reading a source and storing it; the index only stores what
//! it is given ([`crate::index::document`]) and search only reads it.
//!
//! New facts about passages (casualty figures, event types) are added here, as fields of
//! [`Analysed`] computed from the cleaned text.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::clean::{CleanDoc, clean};
use crate::corpus::RawDoc;
use crate::date::{PartialDate, parse_date_value};
use crate::passage::{Passage, split};
use crate::tag::{EntityKind, Mention, MentionKind, PerKind, TaggedDoc, Tagger};

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
}

/// A document analysed.
#[derive(Debug, Clone)]
pub struct Analysed {
    pub doc: CleanDoc,
    pub passages: Vec<Passage>,
    pub tagged: TaggedDoc,
    /// The document date and where it came from.
    pub date: Option<(PartialDate, DateSource)>,
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

/// The document date, by trust: metadata, dateline, infobox, else the latest dated mention.
pub fn document_date(
    raw: &RawDoc,
    doc: &CleanDoc,
    tagged: &TaggedDoc,
) -> Option<(PartialDate, DateSource)> {
    publication_date(raw, doc)
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
    let published = publication_date(raw, &doc).map(|(d, _)| d);
    let tagged = tagger.tag_document(&doc.title, &doc.text, published);
    let date = document_date(raw, &doc, &tagged);
    Analysed {
        doc,
        passages,
        tagged,
        date,
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
            .map(|m| (m, &title[m.start..m.end]))
            .chain(
                self.tagged
                    .mentions
                    .iter()
                    .map(|m| (m, &text[m.start..m.end])),
            );
        for (m, surface) in found {
            let key = (m.kind, m.value.as_str(), m.place.as_deref());
            let i = *by_entity.entry(key).or_insert_with(|| {
                out.push(EntitySummary {
                    kind: m.kind,
                    value: m.value.clone(),
                    place: m.place.clone(),
                    found: Vec::new(),
                    count: 0,
                });
                out.len() - 1
            });
            out[i].count += 1;
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
