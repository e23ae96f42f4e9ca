//! Tagging quality against hand-labelled documents: for each labelled document in an index,
//! the entity tags durand gave it against the ones a reader coded, per kind (precision,
//! recall and F1, micro over documents), the document date, and every date written in the
//! text. Each wrong and missed tag is listed with the text it was found as (durand's
//! spelling for a wrong tag, the labeller's evidence for a missed one), so the next person
//! can see why a number moved.
//!
//! Labels are JSON lines (see `eval/tags/README.md`): `{"id", "split"?, "provinces":
//! {"Kunar": ["Asadabad"]}, "groups": {…}, "forces": {…}, "date"?, "dates"?: [{"text",
//! "value"}]}`; the keys of the tag objects are the kinds' plural names.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{EvalError, read};
use crate::date::PartialDate;
use crate::index::{DurandIndex, StoredPassage};
use crate::tag::{EntityKind, MentionKind, PerKind};

/// One labelled document.
#[derive(Debug, Clone, Deserialize)]
pub struct TagLabel {
    pub id: String,
    #[serde(default)]
    pub split: Option<String>,
    /// Per kind: canonical name → the texts that made the labeller code it.
    #[serde(flatten)]
    pub tags: PerKind<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub dates: Vec<DateLabel>,
}

/// A date written in a labelled document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct DateLabel {
    pub text: String,
    pub value: String,
}

/// Reads labels; a line that does not parse is an error naming it.
pub fn read_tag_labels(path: &Path) -> Result<Vec<TagLabel>, EvalError> {
    let text = read(path)?;
    let mut out = Vec::new();
    // id → the line that labelled it: a document labelled twice would count twice.
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| EvalError::Line {
            path: path.display().to_string(),
            line: i + 1,
            message,
        };
        let label: TagLabel = super::json_line(line).map_err(error)?;
        if let Some(first) = lines.insert(label.id.clone(), i + 1) {
            return Err(error(format!(
                "document {:?} is labelled twice (first on line {first})",
                label.id
            )));
        }
        let dates = label
            .date
            .iter()
            .chain(label.dates.iter().map(|d| &d.value));
        if let Some(bad) = dates
            .into_iter()
            .find(|d| PartialDate::parse_iso(d).is_none())
        {
            return Err(error(format!(
                "{bad:?} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
            )));
        }
        out.push(label);
    }
    Ok(out)
}

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    /// `None` (JSON `null`) when nothing was found ([`super::ratio`]).
    pub precision: Option<f64>,
    /// `None` when nothing was labelled.
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

impl Scores {
    pub(crate) fn add(&mut self, tp: usize, fp: usize, fn_: usize) {
        self.true_positives += tp;
        self.false_positives += fp;
        self.false_negatives += fn_;
    }

    pub(crate) fn finish(mut self) -> Self {
        self.precision = super::ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        );
        self.recall = super::ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        );
        self.f1 = super::f1(self.precision, self.recall);
        self
    }
}

/// How the dates written in the texts fared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DateScores {
    /// Labelled dates found in the cleaned text (dates only in a title are not tagged).
    pub labelled: usize,
    /// Tagged at that place with the labelled value.
    pub right: usize,
    /// Tagged there with another value.
    pub wrong: usize,
    /// Not tagged there.
    pub missed: usize,
    /// Dates durand tagged where the labeller saw none.
    pub extra: usize,
    /// `right / labelled`; `None` (JSON `null`) when none was labelled.
    pub accuracy: Option<f64>,
}

/// One wrong or missed tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagMistake {
    pub doc: String,
    /// The kind's name (`province`), or `date`.
    pub kind: String,
    pub value: String,
    /// `wrong` (durand tagged it, the labeller did not) or `missed`.
    pub error: &'static str,
    /// The texts it was found as: durand's for a wrong tag, the labeller's for a missed one.
    pub found: Vec<String>,
    /// For a wrong date: the values durand gave the labelled text instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tagged: Vec<String>,
}

/// The outcome of a tag evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagReport {
    /// Labelled documents evaluated.
    pub documents: usize,
    /// Labelled documents that are not in the index (not counted).
    pub missing: Vec<String>,
    pub split: Option<String>,
    /// Per kind, keyed by the kind's name.
    pub kinds: BTreeMap<&'static str, Scores>,
    /// Documents whose date (metadata, dateline or inferred) is the labelled one.
    pub document_dates: Scores,
    pub dates: DateScores,
    pub mistakes: Vec<TagMistake>,
    /// Labelled values (of the documents evaluated) that are no canonical name of the index's
    /// tables: durand can never tag them, so each counts as missed — a typo in a label, an
    /// alias given for its canonical name, or a name the tables lack.
    pub unknown: Vec<UnknownValue>,
}

/// A labelled value the index's tables do not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownValue {
    pub kind: String,
    pub value: String,
    /// The closest name the tables know, when one is close.
    pub closest: Option<String>,
    /// The labelled documents (of the split) that give it.
    pub docs: Vec<String>,
}

/// Where a labelled date's text occurs in the passages: (passage, byte range in it).
fn occurrences<'a>(
    passages: &'a [StoredPassage],
    text: &'a str,
) -> impl Iterator<Item = (&'a StoredPassage, std::ops::Range<usize>)> + 'a {
    passages.iter().flat_map(move |p| {
        p.text
            .match_indices(text)
            .map(move |(at, m)| (p, at..at + m.len()))
    })
}

/// Evaluates the index's tags on the labelled documents of `split` (all when `None`).
pub fn evaluate_tags(
    index: &DurandIndex,
    labels: &[TagLabel],
    split: Option<&str>,
) -> Result<TagReport, EvalError> {
    let mut kinds: PerKind<Scores> = PerKind::default();
    let mut document_dates = Scores::default();
    let mut dates = DateScores::default();
    let mut mistakes = Vec::new();
    let mut missing = Vec::new();
    let mut documents = 0;
    // The labels of the documents found, whose values are checked against the tables.
    let mut evaluated: Vec<&TagLabel> = Vec::new();
    for label in labels
        .iter()
        .filter(|l| split.is_none_or(|s| l.split.as_deref() == Some(s)))
    {
        let Some((doc, passages)) = index.document(&label.id).map_err(search_error)? else {
            missing.push(label.id.clone());
            continue;
        };
        documents += 1;
        evaluated.push(label);
        for kind in EntityKind::all() {
            let gold: BTreeSet<&str> = label.tags.get(kind).keys().map(String::as_str).collect();
            let got: BTreeSet<&str> = doc.meta.tags.get(kind).iter().map(String::as_str).collect();
            let tp = gold.intersection(&got).count();
            let wrong: Vec<&str> = got.difference(&gold).copied().collect();
            let missed: Vec<&str> = gold.difference(&got).copied().collect();
            kinds.get_mut(kind).add(tp, wrong.len(), missed.len());
            for value in wrong {
                // The spellings durand found it as (a place below the unit counts for it).
                let found: Vec<String> = doc
                    .meta
                    .entities
                    .iter()
                    .filter(|e| e.kind == MentionKind::Entity(kind) && e.value == value)
                    .flat_map(|e| e.found.iter().cloned())
                    .collect();
                mistakes.push(TagMistake {
                    doc: label.id.clone(),
                    kind: kind.name().to_string(),
                    value: value.to_string(),
                    error: "wrong",
                    found,
                    tagged: Vec::new(),
                });
            }
            for value in missed {
                mistakes.push(TagMistake {
                    doc: label.id.clone(),
                    kind: kind.name().to_string(),
                    value: value.to_string(),
                    error: "missed",
                    found: label.tags.get(kind)[value].clone(),
                    tagged: Vec::new(),
                });
            }
        }
        if let Some(want) = &label.date {
            let right = doc.date.as_deref() == Some(want.as_str());
            document_dates.add(usize::from(right), usize::from(!right), 0);
            if !right {
                mistakes.push(TagMistake {
                    doc: label.id.clone(),
                    kind: "document date".to_string(),
                    value: want.clone(),
                    error: "wrong",
                    found: doc.date.iter().cloned().collect(),
                    tagged: Vec::new(),
                });
            }
        }
        // Dates in the text: each distinct labelled (text, value) once.
        let mut claimed: HashSet<(u32, usize)> = HashSet::new();
        let unique: BTreeSet<(&str, &str)> = label
            .dates
            .iter()
            .map(|d| (d.text.as_str(), d.value.as_str()))
            .collect();
        for (text, value) in unique {
            let places: Vec<_> = occurrences(&passages, text).collect();
            if places.is_empty() {
                continue;
            }
            dates.labelled += 1;
            let mut tagged_values = Vec::new();
            for (p, range) in &places {
                for m in p.mentions.iter().filter(|m| m.kind == MentionKind::Date) {
                    if m.start < range.end && range.start < m.end {
                        claimed.insert((p.ord, m.start));
                        tagged_values.push(m.value.clone());
                    }
                }
            }
            if tagged_values.iter().any(|v| v == value) {
                dates.right += 1;
                continue;
            }
            let error = if tagged_values.is_empty() {
                dates.missed += 1;
                "missed"
            } else {
                dates.wrong += 1;
                "wrong"
            };
            mistakes.push(TagMistake {
                doc: label.id.clone(),
                kind: "date".to_string(),
                value: value.to_string(),
                error,
                found: vec![text.to_string()],
                tagged: tagged_values,
            });
        }
        for p in &passages {
            for m in p.mentions.iter().filter(|m| m.kind == MentionKind::Date) {
                if !claimed.contains(&(p.ord, m.start)) {
                    dates.extra += 1;
                    mistakes.push(TagMistake {
                        doc: label.id.clone(),
                        kind: "date".to_string(),
                        value: m.value.clone(),
                        error: "wrong",
                        found: vec![p.text[m.start..m.end].to_string()],
                        tagged: Vec::new(),
                    });
                }
            }
        }
    }
    dates.accuracy = super::ratio(dates.right, dates.labelled);
    Ok(TagReport {
        documents,
        missing,
        split: split.map(str::to_string),
        kinds: kinds.iter().map(|(k, s)| (k.name(), s.finish())).collect(),
        document_dates: document_dates.finish(),
        dates,
        mistakes,
        unknown: unknown_values(index, &evaluated)?,
    })
}

/// The labelled values of the evaluated documents (`labels`) that no canonical name of the
/// index's tables matches, each with the name it most likely means: the one an alias names
/// ("Tehrik-i-Taliban Pakistan" for TTP), else the closest canonical name.
fn unknown_values(
    index: &DurandIndex,
    labels: &[&TagLabel],
) -> Result<Vec<UnknownValue>, EvalError> {
    let table = index.table().map_err(search_error)?;
    let mut out: Vec<UnknownValue> = Vec::new();
    for kind in EntityKind::all() {
        let known: BTreeSet<&str> = table.names(kind).into_iter().collect();
        let mut docs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for label in labels {
            for value in label.tags.get(kind).keys() {
                if !known.contains(value.as_str()) {
                    docs.entry(value).or_default().push(label.id.clone());
                }
            }
        }
        out.extend(docs.into_iter().map(|(value, docs)| {
            UnknownValue {
                kind: kind.name().to_string(),
                value: value.to_string(),
                closest: table
                    .canonical(kind, value)
                    .or_else(|| crate::text::closest(value, known.iter().map(|k| (*k, *k))))
                    .map(str::to_string),
                docs,
            }
        }));
    }
    Ok(out)
}

pub(crate) fn search_error(e: crate::index::IndexError) -> EvalError {
    EvalError::Search(crate::search::SearchError::Open(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{BORDER, TestIndex};

    #[test]
    fn tags_are_scored_per_kind_with_every_mistake_listed() {
        let t = TestIndex::new(BORDER);
        let labels: Vec<TagLabel> = [
            // Right province and force, a missed force, a wrong group (the labeller saw none).
            r#"{"id": "kunar", "split": "dev", "provinces": {"Kunar": ["Kunar province"]},
               "forces": {"Pakistan Army": ["Pakistan's troops"], "Frontier Corps": ["shelled"]},
               "date": "2014-12-20"}"#,
            r#"{"id": "quetta", "split": "test", "provinces": {"Balochistan": ["Quetta"]},
               "forces": {"police": ["Pakistan police"]}}"#,
            r#"{"id": "gone", "split": "dev"}"#,
        ]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
        let r = evaluate_tags(&t.index, &labels, Some("dev")).unwrap();
        assert_eq!(
            (r.documents, r.missing.clone()),
            (1, vec!["gone".to_string()])
        );
        let province = r.kinds["province"];
        assert_eq!(
            (province.true_positives, province.precision),
            (1, Some(1.0))
        );
        let group = r.kinds["group"];
        assert_eq!((group.false_positives, group.precision), (1, Some(0.0)));
        let wrong = r.mistakes.iter().find(|m| m.kind == "group").unwrap();
        assert_eq!((wrong.value.as_str(), wrong.error), ("TTP", "wrong"));
        assert_eq!(wrong.found, vec!["TTP"]);
        let missed = r.mistakes.iter().find(|m| m.kind == "force").unwrap();
        assert_eq!(
            (missed.value.as_str(), missed.error),
            ("Frontier Corps", "missed")
        );
        assert_eq!(missed.found, vec!["shelled"]);
        assert_eq!(r.kinds["force"].true_positives, 1);
        assert_eq!(r.document_dates.true_positives, 1);
        let all = evaluate_tags(&t.index, &labels, None).unwrap();
        assert_eq!(all.documents, 2);
        // No date was labelled in the text: its accuracy is undefined, not 1.0.
        assert_eq!((r.dates.labelled, r.dates.accuracy), (0, None));
    }
}
