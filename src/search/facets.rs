//! Facet counts: how many matching *documents* (not passages) have each tag of each entity
//! kind, each event type, fall in each year, and (for places) lie in each country; by
//! default a story group (near-duplicate reports) counts once per value, when any of its
//! matching documents has the value — so a value's count is the number of stories a filter on
//! it shows, and a filter can only lower the counts of other values.
//!
//! A document's records are added as one batch, so its passages sit next to each other in
//! one segment; hits arrive in document order, so a passage whose `doc_hash` equals the
//! previous hit's belongs to a document already counted. Counting is then per facet ordinal
//! per segment (cheap integer increments), and ordinals become names once per segment. A
//! story whose documents lie in several segments is counted in each; the merge takes the
//! later segments' counts back out, from the (story, ordinal) pairs each segment kept.

use std::collections::{BTreeMap, HashMap, HashSet};

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

/// The name of the facet (and query field) derived from the places' countries.
pub const COUNTRY: &str = "country";

/// A facet that can be counted: an entity kind, the year of the document date, or the
/// country of the places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetField {
    Entity(EntityKind),
    /// The event types documents report.
    Type,
    Year,
    Country,
}

impl FacetField {
    /// Every facet, in the order listings show them.
    pub fn all() -> impl Iterator<Item = FacetField> {
        EntityKind::all().map(FacetField::Entity).chain([
            FacetField::Type,
            FacetField::Year,
            FacetField::Country,
        ])
    }

    /// The facets shown by default (`--facets`, `durand facets`): every kind and the year.
    pub fn shown() -> impl Iterator<Item = FacetField> {
        Self::all().filter(|f| *f != FacetField::Country)
    }

    pub fn name(self) -> &'static str {
        match self {
            FacetField::Entity(k) => k.name(),
            FacetField::Type => "type",
            FacetField::Year => "year",
            FacetField::Country => COUNTRY,
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
    /// Event types.
    pub types: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    /// Countries of the places (not shown with `--facets`, used by `durand facets`).
    pub country: Vec<FacetCount>,
}

impl FacetCounts {
    /// The counts of one facet.
    pub fn field(&self, field: FacetField) -> &[FacetCount] {
        match field {
            FacetField::Entity(k) => self.entities.get(k),
            FacetField::Type => &self.types,
            FacetField::Year => &self.year,
            FacetField::Country => &self.country,
        }
    }

    /// The counts of one facet, to fill in (a remote engine's answer).
    pub fn field_mut(&mut self, field: FacetField) -> &mut Vec<FacetCount> {
        match field {
            FacetField::Entity(k) => self.entities.get_mut(k),
            FacetField::Type => &mut self.types,
            FacetField::Year => &mut self.year,
            FacetField::Country => &mut self.country,
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

/// The collector; `by_story` counts a story group once.
pub struct DocFacets {
    pub by_story: bool,
}

/// Per-segment state. Facet readers: one per entity kind, then the event types.
pub struct SegmentDocFacets {
    doc_hash: Column<u64>,
    year: Column<u64>,
    story: Option<Column<u64>>,
    readers: Vec<FacetReader>,
    counts: Vec<Vec<u32>>,
    years: HashMap<u64, usize>,
    last: Option<u64>,
    /// With `by_story`: the (story, reader, ordinal) triples counted here.
    stories: HashSet<(u64, u8, u32)>,
    /// With `by_story`: the (story, year) pairs counted here.
    story_years: HashSet<(u64, u64)>,
}

/// Names and counts gathered in one segment.
#[derive(Default)]
pub struct SegmentFruit {
    /// Per reader, (facet path parts, count).
    facets: Vec<Vec<(Vec<String>, usize)>>,
    years: HashMap<u64, usize>,
    /// The (story, reader, ordinal) triples counted here.
    stories: HashSet<(u64, u8, u32)>,
    /// The (story, year) pairs counted here.
    story_years: HashSet<(u64, u64)>,
    /// Per reader, ordinal → path, for the ordinals counted.
    names: Vec<HashMap<u32, Vec<String>>>,
}

/// Counts in listing order: most documents first, then by value.
pub(crate) fn sorted(mut list: Vec<FacetCount>) -> Vec<FacetCount> {
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list
}

/// The facet field names read, in reader order: the entity kinds, then the event types.
fn reader_fields() -> impl Iterator<Item = &'static str> {
    EntityKind::all().map(EntityKind::name).chain(["type"])
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
        for field in reader_fields() {
            readers.push(segment.facet_reader(field)?);
        }
        let counts = readers.iter().map(|r| vec![0; r.num_facets()]).collect();
        Ok(SegmentDocFacets {
            doc_hash: ff.u64("doc_hash")?,
            year: ff.u64("year")?,
            story: if self.by_story {
                Some(ff.u64("story")?)
            } else {
                None
            },
            readers,
            counts,
            years: HashMap::new(),
            last: None,
            stories: HashSet::new(),
            story_years: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<FacetCounts> {
        let readers = reader_fields().count();
        let mut maps: Vec<HashMap<Vec<String>, i64>> = vec![HashMap::new(); readers];
        let mut years: HashMap<u64, i64> = HashMap::new();
        let mut counted: HashSet<(u64, u8, &[String])> = HashSet::new();
        let mut counted_years: HashSet<(u64, u64)> = HashSet::new();
        for fruit in &fruits {
            for (map, list) in maps.iter_mut().zip(&fruit.facets) {
                for (path, n) in list {
                    *map.entry(path.clone()).or_insert(0) += *n as i64;
                }
            }
            for (y, n) in &fruit.years {
                *years.entry(*y).or_insert(0) += *n as i64;
            }
        }
        // A story counted for a value in an earlier segment: take this segment's count of it
        // back out.
        for fruit in &fruits {
            for &(story, reader, ord) in &fruit.stories {
                let Some(path) = fruit.names[reader as usize].get(&ord) else {
                    continue;
                };
                if !counted.insert((story, reader, path)) {
                    *maps[reader as usize].get_mut(path).expect("counted above") -= 1;
                }
            }
            for &(story, year) in &fruit.story_years {
                if !counted_years.insert((story, year)) {
                    *years.get_mut(&year).expect("counted above") -= 1;
                }
            }
        }
        let mut countries: HashMap<String, usize> = HashMap::new();
        let to_list = |map: &HashMap<Vec<String>, i64>, depth: usize| {
            let list = map
                .iter()
                .filter(|(path, n)| path.len() == depth && **n > 0)
                .map(|(path, n)| FacetCount {
                    value: path[depth - 1].clone(),
                    count: *n as usize,
                })
                .collect();
            sorted(list)
        };
        let entities = PerKind::from_fn(|kind| {
            let map = &maps[kind.index()];
            // Places count at the unit level (below the country); the country level is a
            // facet of its own.
            if kind.spec().places {
                for (path, n) in map {
                    if path.len() == 1 && *n > 0 {
                        *countries.entry(path[0].clone()).or_insert(0) += *n as usize;
                    }
                }
                to_list(map, 2)
            } else {
                to_list(map, 1)
            }
        });
        Ok(FacetCounts {
            entities,
            types: to_list(&maps[readers - 1], 1),
            year: sorted(
                years
                    .into_iter()
                    .filter(|(y, n)| *y > 0 && *n > 0)
                    .map(|(y, n)| FacetCount {
                        value: y.to_string(),
                        count: n as usize,
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
        let year = self.year.first(doc).unwrap_or(0);
        let story = self.story.as_ref().map(|s| s.first(doc).unwrap_or(hash));
        for (i, (reader, counts)) in self.readers.iter().zip(&mut self.counts).enumerate() {
            for ord in reader.facet_ords(doc) {
                let Some(c) = counts.get_mut(ord as usize) else {
                    continue;
                };
                if story.is_none_or(|s| self.stories.insert((s, i as u8, ord as u32))) {
                    *c += 1;
                }
            }
        }
        if story.is_none_or(|s| self.story_years.insert((s, year))) {
            *self.years.entry(year).or_insert(0) += 1;
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut fruit = SegmentFruit {
            years: self.years,
            stories: self.stories,
            story_years: self.story_years,
            ..SegmentFruit::default()
        };
        let mut facet = Facet::root();
        for (reader, counts) in self.readers.iter().zip(&self.counts) {
            let mut list = Vec::new();
            let mut names = HashMap::new();
            for (ord, &n) in counts.iter().enumerate() {
                if n == 0 || reader.facet_from_ord(ord as u64, &mut facet).is_err() {
                    continue;
                }
                let parts: Vec<String> = facet.to_path().into_iter().map(str::to_string).collect();
                names.insert(ord as u32, parts.clone());
                list.push((parts, n as usize));
            }
            fruit.facets.push(list);
            fruit.names.push(names);
        }
        fruit
    }
}
