//! Facet counts: how many matching *documents* (not passages) mention each province, group
//! and force, and fall in each year.
//!
//! A document's records are added as one batch, so its passages sit next to each other in
//! one segment; hits arrive in document order, so a passage whose `doc_hash` equals the
//! previous hit's belongs to a document already counted. Counting is then per facet ordinal
//! per segment (cheap integer increments), and ordinals become names once per segment.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// One facet value and how many documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

/// Counts per facet, each sorted by count (then value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    pub province: Vec<FacetCount>,
    pub group: Vec<FacetCount>,
    pub force: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
    /// Countries of the provinces (not shown with `--facets`, used by `durand facets`).
    #[serde(skip)]
    pub country: Vec<FacetCount>,
}

impl FacetCounts {
    /// The counts of one facet by name.
    pub fn field(&self, name: &str) -> Option<&[FacetCount]> {
        Some(match name {
            "province" => &self.province,
            "group" => &self.group,
            "force" => &self.force,
            "year" => &self.year,
            "country" => &self.country,
            _ => return None,
        })
    }
}

/// The collector.
pub struct DocFacets;

/// Per-segment state.
pub struct SegmentDocFacets {
    doc_hash: Column<u64>,
    year: Column<u64>,
    readers: [FacetReader; 3],
    counts: [Vec<u32>; 3],
    years: HashMap<u64, usize>,
    last: Option<u64>,
}

/// Names and counts gathered in one segment.
#[derive(Default)]
pub struct SegmentFruit {
    /// (facet path parts, count) for provinces, groups, forces.
    facets: [Vec<(Vec<String>, usize)>; 3],
    years: HashMap<u64, usize>,
}

const FIELDS: [&str; 3] = ["province", "group", "force"];

impl Collector for DocFacets {
    type Fruit = FacetCounts;
    type Child = SegmentDocFacets;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentDocFacets> {
        let ff = segment.fast_fields();
        let readers = [
            segment.facet_reader(FIELDS[0])?,
            segment.facet_reader(FIELDS[1])?,
            segment.facet_reader(FIELDS[2])?,
        ];
        let counts = [
            vec![0; readers[0].num_facets()],
            vec![0; readers[1].num_facets()],
            vec![0; readers[2].num_facets()],
        ];
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
        let mut maps: [HashMap<Vec<String>, usize>; 3] = Default::default();
        let mut years: HashMap<u64, usize> = HashMap::new();
        for fruit in fruits {
            for (i, list) in fruit.facets.into_iter().enumerate() {
                for (path, n) in list {
                    *maps[i].entry(path).or_insert(0) += n;
                }
            }
            for (y, n) in fruit.years {
                *years.entry(y).or_insert(0) += n;
            }
        }
        let [provinces, groups, forces] = maps;
        let mut countries: HashMap<String, usize> = HashMap::new();
        let mut province = Vec::new();
        for (path, n) in provinces {
            match path.len() {
                1 => *countries.entry(path[0].clone()).or_insert(0) += n,
                2 => province.push(FacetCount {
                    value: path[1].clone(),
                    count: n,
                }),
                _ => {}
            }
        }
        let flat = |m: HashMap<Vec<String>, usize>| -> Vec<FacetCount> {
            m.into_iter()
                .filter(|(p, _)| p.len() == 1)
                .map(|(p, n)| FacetCount {
                    value: p[0].clone(),
                    count: n,
                })
                .collect()
        };
        let mut out = FacetCounts {
            province,
            group: flat(groups),
            force: flat(forces),
            year: years
                .into_iter()
                .filter(|(y, _)| *y > 0)
                .map(|(y, n)| FacetCount {
                    value: y.to_string(),
                    count: n,
                })
                .collect(),
            country: countries
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
        };
        for list in [
            &mut out.province,
            &mut out.group,
            &mut out.force,
            &mut out.year,
            &mut out.country,
        ] {
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        }
        Ok(out)
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
        for i in 0..3 {
            for ord in self.readers[i].facet_ords(doc) {
                if let Some(c) = self.counts[i].get_mut(ord as usize) {
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
        for i in 0..3 {
            for (ord, &n) in self.counts[i].iter().enumerate() {
                if n == 0
                    || self.readers[i]
                        .facet_from_ord(ord as u64, &mut facet)
                        .is_err()
                {
                    continue;
                }
                let parts = facet.to_path().into_iter().map(str::to_string).collect();
                fruit.facets[i].push((parts, n as usize));
            }
        }
        fruit
    }
}
