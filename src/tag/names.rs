//! The search-side view of the entity tables: which entity a name in a query or a filter
//! stands for, and every spelling to search for it by.
//!
//! Indexing writes it once per generation, already folded, as one file (`names.bin`, one
//! read even on a cold cache): an FST of `f<folded name>\0<id>` and `x<exact name>\0<id>`
//! keys, then one JSON line per entity, then a checksum (the FST crate trusts its bytes and
//! panics on damaged ones, so nothing is parsed before the checksum holds). A search folds only its own words and never parses
//! or folds the whole table: looking a word up is a range scan in the FST, and an entity's
//! line is parsed only when a name matches.

use std::io;
use std::path::Path;

use fst::{IntoStreamer, Set, Streamer};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::kinds::EntityKind;
use super::table::Table;
use crate::text::fold_key;

/// The name of the file in a generation folder.
pub const NAMES_FILE: &str = "names.bin";
const FILE: &str = NAMES_FILE;

/// One entity as searches need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameEntity {
    pub kind: EntityKind,
    /// Facet path: `[Pakistan, Khyber Pakhtunkhwa]`, `[TTP]`.
    pub parts: Vec<String>,
    /// Spellings safe to search for (aliases that need a cue to be tagged are left out).
    pub spellings: Vec<String>,
    /// The names of parts of it that are no unit of their own (FATA, Waziristan): a filter
    /// by one stands for the whole entity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts_named: Vec<String>,
}

/// The name index of one generation.
pub struct Names {
    set: Set<Vec<u8>>,
    /// `names.jsonl`: line `i` is entity `i`.
    entities: Vec<u8>,
}

/// The entity id at the end of a key (`tag name \0 id`).
fn key_id(key: &[u8]) -> Option<usize> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    usize::try_from(u64::from_be_bytes(tail)).ok()
}

/// The name in a key (`tag name \0 id`).
fn key_name(key: &[u8]) -> Option<&[u8]> {
    key.get(1..key.len().checked_sub(9)?)
}

fn key(tag: u8, name: &str, id: usize) -> Vec<u8> {
    let mut k = Vec::with_capacity(name.len() + 10);
    k.push(tag);
    k.extend_from_slice(name.as_bytes());
    k.push(0);
    k.extend_from_slice(&(id as u64).to_be_bytes());
    k
}

impl Names {
    /// Builds the name index of `table` in memory.
    pub fn build(table: &Table) -> Names {
        let mut keys: Vec<Vec<u8>> = Vec::with_capacity(table.aliases.len() + table.entities.len());
        for a in &table.aliases {
            keys.push(if a.case_sensitive() {
                key(b'x', a.text.trim(), a.entity)
            } else {
                key(b'f', &fold_key(&a.text), a.entity)
            });
        }
        for (i, e) in table.entities.iter().enumerate() {
            keys.push(key(
                b'f',
                &fold_key(e.place.as_deref().unwrap_or(&e.name)),
                i,
            ));
        }
        keys.sort_unstable();
        keys.dedup();
        let set = Set::from_iter(keys).expect("sorted, deduplicated keys");
        let mut entities = Vec::new();
        for (i, e) in table.entities.iter().enumerate() {
            let entity = NameEntity {
                kind: e.kind,
                parts: e.facet_parts(),
                spellings: table
                    .aliases_of(i)
                    .filter(|a| !a.flags.ctx)
                    .map(|a| a.text.clone())
                    .collect(),
                parts_named: table
                    .aliases_of(i)
                    .filter(|a| a.flags.part)
                    .map(|a| a.text.clone())
                    .collect(),
            };
            serde_json::to_writer(&mut entities, &entity).expect("entity serialises");
            entities.push(b'\n');
        }
        Names { set, entities }
    }

    /// Writes the name index of `table` into a generation directory: the FST's length (8
    /// bytes, little-endian), the FST, the entity lines, and the xxh3 of all that (8 bytes,
    /// little-endian).
    pub fn write(table: &Table, dir: &Path) -> io::Result<()> {
        let names = Names::build(table);
        let fst = names.set.as_fst().as_bytes();
        let mut out = Vec::with_capacity(16 + fst.len() + names.entities.len());
        out.extend_from_slice(&(fst.len() as u64).to_le_bytes());
        out.extend_from_slice(fst);
        out.extend_from_slice(&names.entities);
        let sum = xxh3_64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        std::fs::write(dir.join(FILE), out)
    }

    /// Reads the name index of a generation directory. A file that is cut short, fails its
    /// checksum or does not hold what [`Names::write`] wrote is `InvalidData`, never a panic.
    pub fn open(dir: &Path) -> io::Result<Names> {
        let mut bytes = std::fs::read(dir.join(FILE))?;
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("{FILE} {what}"));
        let body = bytes
            .len()
            .checked_sub(8)
            .ok_or_else(|| bad("is truncated"))?;
        let sum: [u8; 8] = bytes[body..].try_into().map_err(|_| bad("is truncated"))?;
        if xxh3_64(&bytes[..body]) != u64::from_le_bytes(sum) {
            return Err(bad("failed its checksum"));
        }
        bytes.truncate(body);
        let len: [u8; 8] = bytes
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("is truncated"))?;
        let len = usize::try_from(u64::from_le_bytes(len)).map_err(|_| bad("is damaged"))?;
        let end = 8usize.checked_add(len).ok_or_else(|| bad("is damaged"))?;
        let fst = bytes
            .get(8..end)
            .ok_or_else(|| bad("is truncated"))?
            .to_vec();
        let entities = bytes.get(end..).unwrap_or_default().to_vec();
        let set = Set::new(fst).map_err(|e| bad(&format!("is damaged ({e})")))?;
        let names = Names { set, entities };
        // Every entity line the keys point to must be there and read back.
        let lines = names.entities.split(|&b| b == b'\n').count();
        let mut stream = names.set.stream();
        while let Some(k) = stream.next() {
            let id = key_id(k).ok_or_else(|| bad("is damaged"))?;
            if id >= lines {
                return Err(bad("is damaged (a name points past the entities)"));
            }
        }
        if names
            .entities
            .split(|&b| b == b'\n')
            .any(|l| !l.is_empty() && serde_json::from_slice::<NameEntity>(l).is_err())
        {
            return Err(bad("is damaged (an entity does not read back)"));
        }
        Ok(names)
    }

    fn ids(&self, tag: u8, name: &str, out: &mut Vec<usize>) {
        let mut lo = vec![tag];
        lo.extend_from_slice(name.as_bytes());
        lo.push(0);
        let mut hi = lo.clone();
        *hi.last_mut().expect("non-empty") = 1;
        let mut stream = self.set.range().ge(&lo).lt(&hi).into_stream();
        while let Some(k) = stream.next() {
            out.extend(key_id(k));
        }
    }

    fn entity(&self, id: usize) -> Option<NameEntity> {
        let line = self.entities.split(|&b| b == b'\n').nth(id)?;
        serde_json::from_slice(line).ok()
    }

    /// Every entity `text` names: an exact-case alias, or a folded alias or canonical name.
    pub fn lookup(&self, text: &str) -> Vec<NameEntity> {
        let mut ids = Vec::new();
        self.ids(b'x', text.trim(), &mut ids);
        self.ids(b'f', &fold_key(text), &mut ids);
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().filter_map(|i| self.entity(i)).collect()
    }

    /// The entities of one kind `text` names, in any case (as [`Table::resolve`]): a filter
    /// value is known to be a name, so `kp` means KP.
    pub fn resolve(&self, kind: EntityKind, text: &str) -> Vec<NameEntity> {
        let key = fold_key(text);
        let mut ids = Vec::new();
        self.ids(b'f', &key, &mut ids);
        // The exact-case aliases are a few hundred keys: compare them all folded.
        ids.extend(self.scan(b'x', |name| fold_key(name) == key));
        self.of_kind(ids, kind)
    }

    /// Ids of the keys with `tag` whose name passes `keep`.
    fn scan(&self, tag: u8, keep: impl Fn(&str) -> bool) -> Vec<usize> {
        let mut ids = Vec::new();
        let mut stream = self.set.range().ge([tag]).lt([tag + 1]).into_stream();
        while let Some(k) = stream.next() {
            if let (Some(name), Some(id)) = (key_name(k), key_id(k))
                && keep(&String::from_utf8_lossy(name))
            {
                ids.push(id);
            }
        }
        ids
    }

    /// The entities of `ids` of one kind, each once.
    fn of_kind(&self, mut ids: Vec<usize>, kind: EntityKind) -> Vec<NameEntity> {
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|i| self.entity(i))
            .filter(|e| e.kind == kind)
            .collect()
    }
}

impl Names {
    /// Entities of `kind` with a name of several words one of which is `word` (folded):
    /// `North Waziristan` and `South Waziristan` for `waziristan`. For suggestions.
    pub fn containing(&self, kind: EntityKind, word: &str) -> Vec<NameEntity> {
        let word = fold_key(word);
        let ids = self.scan(b'f', |name| {
            name != word && name.split(' ').any(|w| w == word)
        });
        self.of_kind(ids, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROVINCE: EntityKind = EntityKind::PROVINCE;
    const GROUP: EntityKind = EntityKind::GROUP;

    #[test]
    fn a_damaged_names_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        Names::write(&Table::builtin(), dir.path()).unwrap();
        let good = std::fs::read(dir.path().join(FILE)).unwrap();
        for bad in [
            good[..4].to_vec(),
            good[..good.len() / 2].to_vec(),
            [u64::MAX.to_le_bytes().as_slice(), &good[8..]].concat(),
            [&good[..good.len() - 200], b"{not json}\n".as_slice()].concat(),
        ]
        .into_iter()
        // Overwritten bytes inside the FST, where the FST crate would panic reading them.
        .chain((0..good.len() - 8).step_by(97).map(|at| {
            let mut bad = good.clone();
            bad[at..at + 7.min(good.len() - at)].fill(0xa5);
            bad
        })) {
            std::fs::write(dir.path().join(FILE), bad).unwrap();
            let err = Names::open(dir.path()).err().expect("an error");
            assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{err}");
        }
    }

    #[test]
    fn names_resolve_like_the_table_after_a_round_trip() {
        let table = Table::builtin();
        let dir = tempfile::tempdir().unwrap();
        Names::write(&table, dir.path()).unwrap();
        let names = Names::open(dir.path()).unwrap();
        let paths = |k, s| -> Vec<Vec<String>> {
            names.resolve(k, s).into_iter().map(|e| e.parts).collect()
        };
        assert_eq!(paths(PROVINCE, "Konar"), vec![vec!["Afghanistan", "Kunar"]]);
        assert_eq!(
            paths(PROVINCE, "nwfp"),
            vec![vec!["Pakistan", "Khyber Pakhtunkhwa"]],
            "a filter value names a place in any case"
        );
        assert!(
            names.lookup("nwfp").iter().all(|e| e.kind != PROVINCE),
            "free text keeps exact-case aliases exact"
        );
        assert_eq!(
            paths(PROVINCE, "NWFP"),
            vec![vec!["Pakistan", "Khyber Pakhtunkhwa"]]
        );
        assert_eq!(
            paths(GROUP, "ttp"),
            vec![vec!["TTP"]],
            "canonical names fold"
        );
        assert_eq!(paths(GROUP, "Tehreek‑e‑Taliban"), vec![vec!["TTP"]]);
        let ttp = &names.resolve(GROUP, "TTP")[0];
        assert!(ttp.spellings.iter().any(|s| s == "Pakistani Taliban"));
        for k in EntityKind::all() {
            for probe in [
                "Kunar",
                "TTP",
                "ISAF",
                "Dangam",
                "al-Qaida",
                "Swat",
                "kp",
                "iskp",
                "fc",
                "nato",
                "nothing at all",
            ] {
                let from_table: Vec<Vec<String>> = table
                    .resolve(k, probe)
                    .into_iter()
                    .map(|i| table.entities[i].facet_parts())
                    .collect();
                assert_eq!(paths(k, probe), from_table, "{probe}");
            }
        }
    }
}
