//! The search-side view of the entity tables: which entity a name in a query or a filter
//! stands for, and every spelling to search for it by.
//!
//! Indexing writes it once per generation, already folded, as one file (`names.bin`, one
//! read even on a cold cache): an FST of `f<folded name>\0<id>` and `x<exact name>\0<id>`
//! keys, then one JSON line per entity. A search folds only its own words and never parses
//! or folds the whole table: looking a word up is a range scan in the FST, and an entity's
//! line is parsed only when a name matches.

use std::io;
use std::path::Path;

use fst::{IntoStreamer, Set, Streamer};
use serde::{Deserialize, Serialize};

use super::table::{Kind, Table, fold_key};

const FILE: &str = "names.bin";

/// One entity as searches need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameEntity {
    pub kind: Kind,
    /// Facet path: `[Pakistan, Khyber Pakhtunkhwa]`, `[TTP]`.
    pub parts: Vec<String>,
    /// Spellings safe to search for (aliases that need a cue to be tagged are left out).
    pub spellings: Vec<String>,
}

/// The name index of one generation.
pub struct Names {
    set: Set<Vec<u8>>,
    /// `names.jsonl`: line `i` is entity `i`.
    entities: Vec<u8>,
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
            };
            serde_json::to_writer(&mut entities, &entity).expect("entity serialises");
            entities.push(b'\n');
        }
        Names { set, entities }
    }

    /// Writes the name index of `table` into a generation directory: the FST's length (8
    /// bytes, little-endian), the FST, the entity lines.
    pub fn write(table: &Table, dir: &Path) -> io::Result<()> {
        let names = Names::build(table);
        let fst = names.set.as_fst().as_bytes();
        let mut out = Vec::with_capacity(8 + fst.len() + names.entities.len());
        out.extend_from_slice(&(fst.len() as u64).to_le_bytes());
        out.extend_from_slice(fst);
        out.extend_from_slice(&names.entities);
        std::fs::write(dir.join(FILE), out)
    }

    /// Reads the name index of a generation directory.
    pub fn open(dir: &Path) -> io::Result<Names> {
        let bytes = std::fs::read(dir.join(FILE))?;
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "names.bin is truncated");
        let len = bytes.get(..8).ok_or_else(bad)?;
        let len = u64::from_le_bytes(len.try_into().map_err(|_| bad())?) as usize;
        let fst = bytes.get(8..8 + len).ok_or_else(bad)?.to_vec();
        let entities = bytes[8 + len..].to_vec();
        let set = Set::new(fst).map_err(io::Error::other)?;
        Ok(Names { set, entities })
    }

    fn ids(&self, tag: u8, name: &str, out: &mut Vec<usize>) {
        let mut lo = vec![tag];
        lo.extend_from_slice(name.as_bytes());
        lo.push(0);
        let mut hi = lo.clone();
        *hi.last_mut().expect("non-empty") = 1;
        let mut stream = self.set.range().ge(&lo).lt(&hi).into_stream();
        while let Some(k) = stream.next() {
            if let Ok(id) = k[k.len() - 8..].try_into().map(u64::from_be_bytes) {
                out.push(id as usize);
            }
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
    pub fn resolve(&self, kind: Kind, text: &str) -> Vec<NameEntity> {
        let key = fold_key(text);
        let mut ids = Vec::new();
        self.ids(b'f', &key, &mut ids);
        // The exact-case aliases are a few hundred keys: compare them all folded.
        let mut stream = self.set.range().ge([b'x']).lt([b'y']).into_stream();
        while let Some(k) = stream.next() {
            let Some(name) = k.get(1..k.len().saturating_sub(9)) else {
                continue;
            };
            if fold_key(&String::from_utf8_lossy(name)) == key
                && let Ok(id) = k[k.len() - 8..].try_into().map(u64::from_be_bytes)
            {
                ids.push(id as usize);
            }
        }
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
    pub fn containing(&self, kind: Kind, word: &str) -> Vec<NameEntity> {
        let word = fold_key(word);
        let mut ids = Vec::new();
        let mut stream = self.set.range().ge([b'f']).lt([b'g']).into_stream();
        while let Some(k) = stream.next() {
            let Some(name) = k.get(1..k.len().saturating_sub(9)) else {
                continue;
            };
            let name = String::from_utf8_lossy(name);
            if name != word
                && name.split(' ').any(|w| w == word)
                && let Ok(id) = k[k.len() - 8..].try_into().map(u64::from_be_bytes)
            {
                ids.push(id as usize);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|i| self.entity(i))
            .filter(|e| e.kind == kind)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_like_the_table_after_a_round_trip() {
        let table = Table::builtin();
        let dir = tempfile::tempdir().unwrap();
        Names::write(&table, dir.path()).unwrap();
        let names = Names::open(dir.path()).unwrap();
        let paths = |k, s| -> Vec<Vec<String>> {
            names.resolve(k, s).into_iter().map(|e| e.parts).collect()
        };
        assert_eq!(
            paths(Kind::Province, "Konar"),
            vec![vec!["Afghanistan", "Kunar"]]
        );
        assert_eq!(
            paths(Kind::Province, "nwfp"),
            vec![vec!["Pakistan", "Khyber Pakhtunkhwa"]],
            "a filter value names a place in any case"
        );
        assert!(
            names
                .lookup("nwfp")
                .iter()
                .all(|e| e.kind != Kind::Province),
            "free text keeps exact-case aliases exact"
        );
        assert_eq!(
            paths(Kind::Province, "NWFP"),
            vec![vec!["Pakistan", "Khyber Pakhtunkhwa"]]
        );
        assert_eq!(
            paths(Kind::Group, "ttp"),
            vec![vec!["TTP"]],
            "canonical names fold"
        );
        assert_eq!(paths(Kind::Group, "Tehreek‑e‑Taliban"), vec![vec!["TTP"]]);
        let ttp = &names.resolve(Kind::Group, "TTP")[0];
        assert!(ttp.spellings.iter().any(|s| s == "Pakistani Taliban"));
        for k in [Kind::Province, Kind::Group, Kind::Force] {
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
