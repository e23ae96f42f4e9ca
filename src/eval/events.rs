//! Quality of the casualty figures, event types and incidents against hand-labelled
//! documents and incidents: figure precision and recall (kind and numbers), `who` accuracy
//! on the figures found, event-type precision, recall and F1 (micro over documents, and per
//! type), and incident clustering as B-cubed precision and recall over the labelled reports.
//!
//! Labels are JSON lines of two shapes, in one file or several (see
//! `eval/events/README.md`): a document — `{"id", "split"?, "types": [...], "figures":
//! [{"kind","min","max","who","text",…}]}` — or an incident — `{"incident", "split"?,
//! "docs": [ids], …}`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::tags::{Scores, search_error};
use super::{EvalError, read, round4};
use crate::analysis::casualty::{CasualtyKind, Who, amount};
use crate::analysis::events::EventType;
use crate::index::DurandIndex;
use crate::search::Filters;
use crate::search::reports::incidents_matching;

/// A labelled figure.
#[derive(Debug, Clone, Deserialize)]
pub struct FigureLabel {
    pub kind: CasualtyKind,
    pub min: u32,
    pub max: Option<u32>,
    pub who: Who,
    #[serde(default)]
    pub text: String,
}

/// A labelled document.
#[derive(Debug, Clone, Deserialize)]
pub struct DocLabel {
    pub id: String,
    #[serde(default)]
    pub split: Option<String>,
    pub types: Vec<EventType>,
    pub figures: Vec<FigureLabel>,
}

/// A labelled incident: the documents that report it.
#[derive(Debug, Clone, Deserialize)]
pub struct IncidentLabel {
    pub incident: String,
    #[serde(default)]
    pub split: Option<String>,
    pub docs: Vec<String>,
}

/// Everything one or more label files hold.
#[derive(Debug, Clone, Default)]
pub struct EventLabels {
    pub documents: Vec<DocLabel>,
    pub incidents: Vec<IncidentLabel>,
}

/// Reads label files; a line of neither shape is an error naming it.
pub fn read_event_labels(paths: &[impl AsRef<Path>]) -> Result<EventLabels, EvalError> {
    let mut out = EventLabels::default();
    // Where each document and each incident report was labelled: twice would count twice.
    let mut labelled: HashMap<String, String> = HashMap::new();
    let mut reported: HashMap<String, String> = HashMap::new();
    let mut named: HashMap<String, String> = HashMap::new();
    for path in paths {
        let path = path.as_ref();
        let text = read(path)?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let error = |message: String| EvalError::Line {
                path: path.display().to_string(),
                line: i + 1,
                message,
            };
            let value: serde_json::Value = super::json_line(line).map_err(error)?;
            let here = format!("{}:{}", path.display(), i + 1);
            // Notes `key` as labelled here; labelled before, the message (given where) fails.
            let once = |seen: &mut HashMap<String, String>,
                        key: &str,
                        message: &dyn Fn(&str) -> String| {
                match seen.insert(key.to_string(), here.clone()) {
                    Some(first) => Err(error(message(&first))),
                    None => Ok(()),
                }
            };
            if value.get("incident").is_some() {
                let incident: IncidentLabel = super::json_value(value).map_err(error)?;
                once(&mut named, &incident.incident, &|first| {
                    format!(
                        "incident {:?} is labelled twice (first at {first})",
                        incident.incident
                    )
                })?;
                for doc in &incident.docs {
                    once(&mut reported, doc, &|first| {
                        format!("report {doc:?} is already in an incident (at {first})")
                    })?;
                }
                out.incidents.push(incident);
            } else if value.get("id").is_some() {
                let doc: DocLabel = super::json_value(value).map_err(error)?;
                once(&mut labelled, &doc.id, &|first| {
                    format!("document {:?} is labelled twice (first at {first})", doc.id)
                })?;
                if let Some(f) = doc
                    .figures
                    .iter()
                    .find(|f| f.max.is_some_and(|m| m < f.min))
                {
                    return Err(error(format!(
                        "a figure's max ({}) is below its min ({})",
                        f.max.unwrap_or_default(),
                        f.min
                    )));
                }
                out.documents.push(doc);
            } else {
                return Err(error(
                    "neither a document label (\"id\") nor an incident label (\"incident\")".into(),
                ));
            }
        }
    }
    Ok(out)
}

/// One wrong or missed figure or type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventMistake {
    pub doc: String,
    /// `wrong figure`, `missed figure`, `wrong who`, `wrong type`, `missed type`; for a
    /// labelled incident (`doc` is then its label), `split incident` and `merged incident`.
    pub what: &'static str,
    pub value: String,
    /// The text durand found it in, or the labeller's evidence; for an incident, the reports
    /// concerned.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// How the incidents fared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ClusterScores {
    /// Labelled incidents with a report in the index.
    pub incidents: usize,
    /// Their reports in the index.
    pub reports: usize,
    /// `None` (JSON `null`) when no labelled report is in the index.
    pub bcubed_precision: Option<f64>,
    pub bcubed_recall: Option<f64>,
    pub bcubed_f1: Option<f64>,
}

/// `durand eval --events`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReport {
    pub split: Option<String>,
    /// Labelled documents found in the index.
    pub documents: usize,
    /// Labelled documents (and incident reports) not in the index.
    pub missing: Vec<String>,
    pub casualties: Scores,
    /// Of the figures found right, how many have the labelled `who`.
    pub who_right: usize,
    /// `None` (JSON `null`) when no figure was found right.
    pub who_accuracy: Option<f64>,
    pub types: Scores,
    pub per_type: BTreeMap<&'static str, Scores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incidents: Option<ClusterScores>,
    pub mistakes: Vec<EventMistake>,
}

fn in_split(split: Option<&str>, label: Option<&String>) -> bool {
    split.is_none_or(|s| label.is_some_and(|l| l == s))
}

/// Scores the index against `labels` (only the `split` given, when given).
pub fn evaluate_events(
    index: &DurandIndex,
    labels: &EventLabels,
    split: Option<&str>,
) -> Result<EventReport, EvalError> {
    let searcher = index.reader.searcher();
    let mut report = EventReport {
        split: split.map(str::to_string),
        documents: 0,
        missing: Vec::new(),
        casualties: Scores::default(),
        who_right: 0,
        who_accuracy: None,
        types: Scores::default(),
        per_type: EventType::ALL
            .iter()
            .map(|t| (t.as_str(), Scores::default()))
            .collect(),
        incidents: None,
        mistakes: Vec::new(),
    };
    for label in labels
        .documents
        .iter()
        .filter(|l| in_split(split, l.split.as_ref()))
    {
        let Some(doc) = index
            .document_record(&searcher, &label.id)
            .map_err(search_error)?
        else {
            report.missing.push(label.id.clone());
            continue;
        };
        report.documents += 1;
        // Figures: each labelled figure matches at most one found figure of the same kind
        // and numbers.
        let mut open: Vec<&FigureLabel> = label.figures.iter().collect();
        for found in &doc.meta.casualties {
            let at = open
                .iter()
                .position(|g| g.kind == found.kind && g.min == found.min && g.max == found.max);
            let value = format!(
                "{} {}",
                amount(found.min, found.max, false),
                found.kind.as_str()
            );
            match at {
                Some(i) => {
                    let gold = open.remove(i);
                    report.casualties.add(1, 0, 0);
                    if gold.who == found.who {
                        report.who_right += 1;
                    } else {
                        report.mistakes.push(EventMistake {
                            doc: label.id.clone(),
                            what: "wrong who",
                            value: format!(
                                "{value}: {} (labelled {})",
                                found.who.as_str(),
                                gold.who.as_str()
                            ),
                            text: found.text.clone(),
                        });
                    }
                }
                None => {
                    report.casualties.add(0, 1, 0);
                    report.mistakes.push(EventMistake {
                        doc: label.id.clone(),
                        what: "wrong figure",
                        value,
                        text: found.text.clone(),
                    });
                }
            }
        }
        for gold in open {
            report.casualties.add(0, 0, 1);
            report.mistakes.push(EventMistake {
                doc: label.id.clone(),
                what: "missed figure",
                value: format!(
                    "{} {}",
                    amount(gold.min, gold.max, false),
                    gold.kind.as_str()
                ),
                text: gold.text.clone(),
            });
        }
        let found: HashSet<EventType> = doc.meta.event_types.iter().copied().collect();
        let gold: HashSet<EventType> = label.types.iter().copied().collect();
        for t in EventType::ALL {
            let (f, g) = (found.contains(&t), gold.contains(&t));
            let (tp, fp, fn_) = (
                usize::from(f && g),
                usize::from(f && !g),
                usize::from(g && !f),
            );
            report.types.add(tp, fp, fn_);
            if let Some(s) = report.per_type.get_mut(t.as_str()) {
                s.add(tp, fp, fn_);
            }
            if fp + fn_ > 0 {
                report.mistakes.push(EventMistake {
                    doc: label.id.clone(),
                    what: if fp > 0 { "wrong type" } else { "missed type" },
                    value: t.as_str().to_string(),
                    text: if fp > 0 {
                        doc.meta.title.clone()
                    } else {
                        String::new()
                    },
                });
            }
        }
    }
    report.casualties = report.casualties.finish();
    report.types = report.types.finish();
    for s in report.per_type.values_mut() {
        *s = s.finish();
    }
    report
        .per_type
        .retain(|_, s| s.true_positives + s.false_positives + s.false_negatives > 0);
    report.who_accuracy = super::ratio(report.who_right, report.casualties.true_positives);
    if !labels.incidents.is_empty() {
        report.incidents = Some(cluster_scores(
            index,
            labels,
            split,
            &mut report.missing,
            &mut report.mistakes,
        )?);
    }
    Ok(report)
}

/// B-cubed precision and recall of durand's incidents (over the whole index) on the labelled
/// reports of `split`. A report's precision is the share of the labelled reports in its
/// incident (from any labelled incident, of any split) that belong to its labelled incident;
/// its recall the share of its labelled incident's reports that are in its incident. A
/// labelled incident whose reports durand spreads over several incidents, or puts with
/// another labelled incident's, is listed in `mistakes`.
fn cluster_scores(
    index: &DurandIndex,
    labels: &EventLabels,
    split: Option<&str>,
    missing: &mut Vec<String>,
    mistakes: &mut Vec<EventMistake>,
) -> Result<ClusterScores, EvalError> {
    let searcher = index.reader.searcher();
    let found = incidents_matching(index, "", &Filters::default(), true)?;
    let mut cluster_of: HashMap<&str, usize> = HashMap::new();
    for (c, incident) in found.iter().enumerate() {
        for r in &incident.reports {
            cluster_of.insert(r.doc.as_str(), c);
        }
    }
    // Every labelled report in the index, with its labelled incident.
    let mut gold_of: HashMap<&str, usize> = HashMap::new();
    for (g, incident) in labels.incidents.iter().enumerate() {
        for doc in &incident.docs {
            if index
                .document_record(&searcher, doc)
                .map_err(search_error)?
                .is_some()
            {
                gold_of.insert(doc.as_str(), g);
            } else if in_split(split, incident.split.as_ref()) {
                missing.push(doc.clone());
            }
        }
    }
    // A report durand put in no incident (it found no event in it and it follows none up) is
    // an incident of its own.
    let cluster = |doc: &str| cluster_of.get(doc).map_or(usize::MAX, |c| *c);
    let mut members: HashMap<usize, Vec<&str>> = HashMap::new();
    for &doc in gold_of.keys() {
        if cluster(doc) != usize::MAX {
            members.entry(cluster(doc)).or_default().push(doc);
        }
    }
    let (mut precision, mut recall, mut n) = (0.0, 0.0, 0usize);
    let mut scored = 0;
    for (g, incident) in labels.incidents.iter().enumerate() {
        if !in_split(split, incident.split.as_ref()) {
            continue;
        }
        let gold: Vec<&str> = incident
            .docs
            .iter()
            .map(String::as_str)
            .filter(|d| gold_of.get(d) == Some(&g))
            .collect();
        if gold.is_empty() {
            continue;
        }
        scored += 1;
        mistakes.extend(incident_mistakes(
            incident,
            g,
            &gold,
            &labels.incidents,
            |d| (cluster(d) != usize::MAX).then(|| (cluster(d), members[&cluster(d)].as_slice())),
            &gold_of,
        ));
        for &doc in &gold {
            let together: Vec<&str> = match members.get(&cluster(doc)) {
                Some(m) if cluster(doc) != usize::MAX => m.clone(),
                _ => vec![doc],
            };
            let right = together
                .iter()
                .filter(|d| gold_of.get(*d) == Some(&g))
                .count();
            precision += right as f64 / together.len() as f64;
            recall += right as f64 / gold.len() as f64;
            n += 1;
        }
    }
    let (p, r) = if n == 0 {
        (None, None)
    } else {
        (
            Some(round4(precision / n as f64)),
            Some(round4(recall / n as f64)),
        )
    };
    Ok(ClusterScores {
        incidents: scored,
        reports: n,
        bcubed_precision: p,
        bcubed_recall: r,
        bcubed_f1: super::f1(p, r),
    })
}

/// How durand got one labelled incident wrong: its reports (`gold`, all in the index) spread
/// over several of durand's incidents (`cluster` gives a report's incident and the labelled
/// reports in it, `None` when durand put it in none), and the other labelled incidents
/// durand put with it.
fn incident_mistakes<'a>(
    incident: &IncidentLabel,
    g: usize,
    gold: &[&'a str],
    all: &[IncidentLabel],
    cluster: impl Fn(&str) -> Option<(usize, &'a [&'a str])>,
    gold_of: &HashMap<&str, usize>,
) -> Vec<EventMistake> {
    let mut out = Vec::new();
    // Reports by durand's incident, largest first; each report without one stands alone.
    let mut groups: BTreeMap<Option<usize>, Vec<&str>> = BTreeMap::new();
    let mut alone = Vec::new();
    for &doc in gold {
        match cluster(doc) {
            Some((c, _)) => groups.entry(Some(c)).or_default().push(doc),
            None => alone.push(doc),
        }
    }
    let mut groups: Vec<Vec<&str>> = groups.into_values().collect();
    groups.sort_by_key(|docs| std::cmp::Reverse(docs.len()));
    if groups.len() + alone.len() > 1 {
        let mut apart: Vec<String> = groups.iter().skip(1).map(|docs| docs.join(" ")).collect();
        apart.extend(alone.iter().map(|doc| format!("{doc} (no event)")));
        out.push(EventMistake {
            doc: incident.incident.clone(),
            what: "split incident",
            value: format!(
                "{} reports in {} incidents, {} together",
                gold.len(),
                groups.len() + alone.len(),
                groups.first().map_or(1, Vec::len)
            ),
            text: format!("apart: {}", apart.join(" | ")),
        });
    }
    let mut with: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for &doc in gold {
        let Some((c, members)) = cluster(doc) else {
            continue;
        };
        if !seen.insert(c) {
            continue;
        }
        for &other in members {
            if let Some(&o) = gold_of.get(other)
                && o != g
            {
                with.entry(o).or_default().push(other);
            }
        }
    }
    for (o, mut docs) in with {
        docs.sort_unstable();
        out.push(EventMistake {
            doc: incident.incident.clone(),
            what: "merged incident",
            value: format!("with {}", all[o].incident),
            text: docs.join(" "),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(name: &str, docs: &[&str]) -> IncidentLabel {
        IncidentLabel {
            incident: name.into(),
            split: Some("dev".into()),
            docs: docs.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn an_incident_spread_or_shared_is_listed_with_the_reports_concerned() {
        let all = [
            label("kabul", &["a1", "a2", "a3", "a4"]),
            label("mazar", &["b1"]),
        ];
        // durand's incidents: 0 = a1 a2 b1, 1 = a3; a4 has no event.
        let zero = ["a1", "a2", "b1"];
        let one = ["a3"];
        let cluster = |d: &str| match d {
            "a1" | "a2" | "b1" => Some((0, &zero[..])),
            "a3" => Some((1, &one[..])),
            _ => None,
        };
        let gold_of: HashMap<&str, usize> =
            [("a1", 0), ("a2", 0), ("a3", 0), ("a4", 0), ("b1", 1)].into();
        let found = incident_mistakes(
            &all[0],
            0,
            &["a1", "a2", "a3", "a4"],
            &all,
            cluster,
            &gold_of,
        );
        let lines: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|m| (m.what, m.value.as_str(), m.text.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (
                    "split incident",
                    "4 reports in 3 incidents, 2 together",
                    "apart: a3 | a4 (no event)"
                ),
                ("merged incident", "with mazar", "b1"),
            ]
        );
        // Kept whole and alone, an incident has nothing to list.
        let alone = |d: &str| (d == "b1").then_some((2, &["b1"][..]));
        assert!(incident_mistakes(&all[1], 1, &["b1"], &all, alone, &gold_of).is_empty());
    }
}
