//! Facet counts: how many matching *documents* (not passages) have each tag of each entity
//! kind, fall in each year, and (for places) lie in each country.
//!
//! A document's records are added as one batch, so its passages sit next to each other in
//! one segment; hits arrive in document order, so a passage whose `doc_hash` equals the
//! previous hit's belongs to a document already counted. Counting is then per facet ordinal
//! per segment (cheap integer increments), and ordinals become names once per segment.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde::ser::SerializeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::tag::{EntityKind, PerKind};

/// One facet value and how many documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

/// A facet that can be counted: an entity kind, the year of the document date, or the
/// country of the places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetField {
    Entity(EntityKind),
    Year,
    Country,
}

impl FacetField {
    /// Every facet, in the order listings show them.
    pub fn all() -> impl Iterator<Item = FacetField> {
        EntityKind::all()
            .map(FacetField::Entity)
            .chain([FacetField::Year, FacetField::Country])
    }

    /// The facets shown by default (`--facets`, `durand facets`): every kind and the year.
    pub fn shown() -> impl Iterator<Item = FacetField> {
        Self::all().filter(|f| *f != FacetField::Country)
    }

    pub fn name(self) -> &'static str {
        match self {
            FacetField::Entity(k) => k.name(),
            FacetField::Year => "year",
            FacetField::Country => "country",
        }
    }

    pub fn by_name(name: &str) -> Option<FacetField> {
        Self::all().find(|f| f.name() == name)
    }
}

/// Counts per facet, each sorted by count (then value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub entities: PerKind<Vec<FacetCount>>,
    pub year: Vec<FacetCount>,
    /// Countries of the places (not shown with `--facets`, used by `durand facets`).
    pub country: Vec<FacetCount>,
}

impl FacetCounts {
    /// The counts of one facet.
    pub fn field(&self, field: FacetField) -> &[FacetCount] {
        match field {
            FacetField::Entity(k) => self.entities.get(k),
            FacetField::Year => &self.year,
            FacetField::Country => &self.country,
        }
    }

    /// `{"province": […], …}` for the facets given, in that order.
    pub fn select(&self, fields: &[FacetField]) -> BTreeMap<&'static str, &[FacetCount]> {
        fields.iter().map(|f| (f.name(), self.field(*f))).collect()
    }
}

/// `--facets` output: every shown facet by name, in order.
impl Serialize for FacetCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for field in FacetField::shown() {
            map.serialize_entry(field.name(), self.field(field))?;
        }
        map.end()
    }
}

/// The collector.
pub struct DocFacets;

/// Per-segment state.
pub struct SegmentDocFacets {
    doc_hash: Column<u64>,
    year: Column<u64>,
    readers: Vec<FacetReader>,
    counts: Vec<Vec<u32>>,
    years: HashMap<u64, usize>,
    last: Option<u64>,
}

/// Names and counts gathered in one segment.
#[derive(Default)]
pub struct SegmentFruit {
    /// Per kind, (facet path parts, count).
    facets: PerKind<Vec<(Vec<String>, usize)>>,
    years: HashMap<u64, usize>,
}

fn sorted(mut list: Vec<FacetCount>) -> Vec<FacetCount> {
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list
}

impl Collector for DocFacets {
    type Fruit = FacetCounts;
    type Child = SegmentDocFacets;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentDocFacets> {
        let ff = segment.fast_fields();
        let mut readers = Vec::new();
        for kind in EntityKind::all() {
            readers.push(segment.facet_reader(kind.name())?);
        }
        let counts = readers.iter().map(|r| vec![0; r.num_facets()]).collect();
        Ok(SegmentDocFacets {
            doc_hash: ff.u64("doc_hash")?,
            year: ff.u64("year")?,
            readers,
            counts,
            years: HashMap::new(),
            last: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<FacetCounts> {
        let mut maps: PerKind<HashMap<Vec<String>, usize>> = PerKind::default();
        let mut years: HashMap<u64, usize> = HashMap::new();
        for fruit in fruits {
            for (kind, list) in fruit.facets.iter() {
                for (path, n) in list {
                    *maps.get_mut(kind).entry(path.clone()).or_insert(0) += n;
                }
            }
            for (y, n) in fruit.years {
                *years.entry(y).or_insert(0) += n;
            }
        }
        let mut countries: HashMap<String, usize> = HashMap::new();
        let entities = PerKind::from_fn(|kind| {
            // Places count at the unit level (below the country); the country level is a
            // facet of its own.
            let depth = if kind.spec().places { 2 } else { 1 };
            let mut list = Vec::new();
            for (path, n) in maps.get(kind) {
                if kind.spec().places && path.len() == 1 {
                    *countries.entry(path[0].clone()).or_insert(0) += n;
                }
                if path.len() == depth {
                    list.push(FacetCount {
                        value: path[depth - 1].clone(),
                        count: *n,
                    });
                }
            }
            sorted(list)
        });
        Ok(FacetCounts {
            entities,
            year: sorted(
                years
                    .into_iter()
                    .filter(|(y, _)| *y > 0)
                    .map(|(y, n)| FacetCount {
                        value: y.to_string(),
                        count: n,
                    })
                    .collect(),
            ),
            country: sorted(
                countries
                    .into_iter()
                    .map(|(value, count)| FacetCount { value, count })
                    .collect(),
            ),
        })
    }
}

impl SegmentCollector for SegmentDocFacets {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let hash = self.doc_hash.first(doc).unwrap_or(u64::MAX);
        if self.last == Some(hash) {
            return;
        }
        self.last = Some(hash);
        for (reader, counts) in self.readers.iter().zip(&mut self.counts) {
            for ord in reader.facet_ords(doc) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
        *self
            .years
            .entry(self.year.first(doc).unwrap_or(0))
            .or_insert(0) += 1;
    }

    fn harvest(self) -> SegmentFruit {
        let mut fruit = SegmentFruit {
            years: self.years,
            ..SegmentFruit::default()
        };
        let mut facet = Facet::root();
        for (kind, (reader, counts)) in EntityKind::all().zip(self.readers.iter().zip(&self.counts))
        {
            for (ord, &n) in counts.iter().enumerate() {
                if n == 0 || reader.facet_from_ord(ord as u64, &mut facet).is_err() {
                    continue;
                }
                let parts = facet.to_path().into_iter().map(str::to_string).collect();
                fruit.facets.get_mut(kind).push((parts, n as usize));
            }
        }
        fruit
    }
}
