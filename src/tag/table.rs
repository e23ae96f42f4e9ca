//! The entity tables: every province, district and city, armed group and state force with all
//! its spellings. Built-in tables come from `src/tag/data/*.tsv` (derived from GeoNames, OFAC
//! and UCDP by `scripts/build_tables.py`); a user file (`--gazetteer FILE` or `durand.toml` in
//! a source folder) adds or removes entries. The effective table is saved with each index
//! generation so searches resolve names exactly as indexing did.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use super::kinds::{Column, EntityKind, KINDS};
use crate::text::{closest, fold_key};

/// A named thing of some kind: a province (or a place within one), a group, a force.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entity {
    pub kind: EntityKind,
    /// Province, group or force name.
    pub name: String,
    /// Country of a province or force.
    pub country: String,
    /// District or city below the province, if the entity is one.
    pub place: Option<String>,
}

impl Entity {
    /// The facet path: `[Afghanistan, Kunar]`, `[Afghanistan, Kunar, Dangam]` for places (a
    /// country, the unit, the place below it), `[TTP]` for the others.
    pub fn facet_parts(&self) -> Vec<String> {
        if !self.kind.spec().places {
            return vec![self.name.clone()];
        }
        let mut parts = vec![self.country.clone(), self.name.clone()];
        parts.extend(self.place.clone());
        parts
    }

    /// The term that stands for this exact entity in the index (see `entity_key`).
    pub fn key(&self) -> String {
        entity_key(self.kind, &self.facet_parts())
    }

    /// The facet path as text, for messages and tests: `/Afghanistan/Kunar/Dangam`.
    pub fn facet_path(&self) -> String {
        format!("/{}", self.facet_parts().join("/"))
    }
}

/// The index term of an entity: its kind and facet path, `group:TTP`,
/// `province:Afghanistan/Kunar/Dangam`.
pub(crate) fn entity_key(kind: EntityKind, parts: &[String]) -> String {
    format!("{}:{}", kind.name(), parts.join("/"))
}

/// How strictly an alias must be confirmed before it counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Flags {
    /// Match the exact case.
    pub cs: bool,
    /// Needs a local cue ("in Tank", "IS militants").
    pub ctx: bool,
    /// Needs a document that refers to Pakistan or Afghanistan (by name or by a place that
    /// can only be there).
    pub region: bool,
    /// A capital: a place, unless it stands for its government ("Islamabad says", "talks
    /// between Kabul and Islamabad", "a message to Kabul").
    pub capital: bool,
    /// The name of a part of the unit, not of all of it (a region within a province: FATA,
    /// Waziristan). Tagging counts it as the unit; a filter by it, which stands for the
    /// whole unit, says so.
    pub part: bool,
    /// In a passage about this group (or, when the passage says nothing either way, a
    /// document naming this group and not the alias's own entity), the alias means this
    /// group instead (bare "Taliban" → TTP).
    pub defer: Option<String>,
    /// Counts only in a passage (else a document) about this country: bare "police" is
    /// Pakistan's police only in Pakistani news.
    pub within: Option<String>,
    /// In a passage placed in Afghanistan or Pakistan, the alias means this entity instead
    /// ("Islamic State" attacks in Kabul are IS-K's).
    pub local: Option<String>,
    /// Counts only in a document dated before (after) this day: "Afghan forces" are the
    /// republic's army before 15 August 2021 and the Taliban's after.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What a flag may be, for messages.
const FLAG_NAMES: &str =
    "cs, ctx, region, capital, part, defer:G, in:COUNTRY, local:G, before:DATE, after:DATE";

impl Flags {
    pub(crate) fn parse(s: &str) -> Result<Flags, String> {
        let mut f = Flags::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let date = |v: &str| {
                crate::date::PartialDate::parse_iso(v)
                    .map(|d| d.iso())
                    .ok_or_else(|| format!("flag {part:?}: {v:?} is not a date (YYYY-MM-DD)"))
            };
            match part.split_once(':') {
                None => match part {
                    "cs" => f.cs = true,
                    "ctx" => f.ctx = true,
                    "region" => f.region = true,
                    "capital" => f.capital = true,
                    "part" => f.part = true,
                    other => return Err(format!("unknown flag {other:?} ({FLAG_NAMES})")),
                },
                Some(("defer", g)) => f.defer = Some(g.to_string()),
                Some(("in", c)) => f.within = Some(c.to_string()),
                Some(("local", g)) => f.local = Some(g.to_string()),
                Some(("before", d)) => f.before = Some(date(d)?),
                Some(("after", d)) => f.after = Some(date(d)?),
                Some(_) => return Err(format!("unknown flag {part:?} ({FLAG_NAMES})")),
            }
        }
        Ok(f)
    }

    fn render(&self) -> String {
        let mut parts = Vec::new();
        for (on, name) in [
            (self.cs, "cs"),
            (self.ctx, "ctx"),
            (self.region, "region"),
            (self.capital, "capital"),
            (self.part, "part"),
        ] {
            if on {
                parts.push(name.to_string());
            }
        }
        for (value, name) in [
            (&self.defer, "defer"),
            (&self.within, "in"),
            (&self.local, "local"),
            (&self.before, "before"),
            (&self.after, "after"),
        ] {
            if let Some(v) = value {
                parts.push(format!("{name}:{v}"));
            }
        }
        parts.join(",")
    }
}

/// One spelling of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    pub text: String,
    pub entity: usize,
    pub flags: Flags,
}

impl Alias {
    /// Matched case-sensitively: flagged `cs`, or written as an acronym (`TTP`, `IS-K`).
    pub fn case_sensitive(&self) -> bool {
        self.flags.cs || is_acronym(&self.text)
    }
}

fn is_acronym(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.len() <= 6 && letters.iter().all(|c| c.is_uppercase())
}

/// A problem in a table file.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{path}:{line}: {msg}")]
    Row {
        path: String,
        line: usize,
        msg: String,
    },
    #[error("{path}: {msg}")]
    File { path: String, msg: String },
}

/// Every entity and alias.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub(crate) entities: Vec<Entity>,
    pub(crate) aliases: Vec<Alias>,
    index: HashMap<Entity, usize>,
    /// (entity, alias text) -> position in `aliases`, to replace rather than duplicate.
    alias_index: HashMap<(usize, String), usize>,
    /// Name lookups, built on first use.
    lookup: std::sync::OnceLock<Lookup>,
}

/// Entities by folded name (aliases that fold, canonical names) and by exact name
/// (case-sensitive aliases).
#[derive(Debug, Clone, Default)]
struct Lookup {
    folded: HashMap<String, Vec<usize>>,
    exact: HashMap<String, Vec<usize>>,
}

/// Rows of a built-in or saved TSV: comment lines (`#`) and the header are skipped.
/// The header row of the effective table an index keeps.
const EFFECTIVE_HEADER: &str = "kind\tcountry\tname\tplace\talias\tflags";

pub(crate) fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

/// One entry of a `durand.toml` section (`[[place]]`, `[[group]]`, `[[force]]`): the unit it
/// names (`name`, or the kind's own name: `province = "…"`), its spellings, and for places the
/// district or city below the unit.
#[derive(Debug, Default)]
struct UserEntry {
    name: String,
    aliases: Vec<String>,
    place: Option<String>,
    country: Option<String>,
    flags: String,
}

/// Reads the entries of one section, refusing keys it does not know.
fn user_entries(kind: EntityKind, value: &toml::Value) -> Result<Vec<UserEntry>, String> {
    let spec = kind.spec();
    let section = spec.user_section;
    let list = value
        .as_array()
        .ok_or_else(|| format!("[[{section}]] must be an array of tables"))?;
    let text = |v: &toml::Value, key: &str| -> Result<String, String> {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("[[{section}]] {key} must be a string"))
    };
    // A name, alias, place or country of nothing would match nothing (or name nothing).
    let words = |v: &toml::Value, key: &str| -> Result<String, String> {
        let s = text(v, key)?;
        if s.trim().is_empty() {
            return Err(format!("[[{section}]] {key} must not be blank"));
        }
        Ok(s)
    };
    let mut out = Vec::new();
    for item in list {
        let table = item
            .as_table()
            .ok_or_else(|| format!("[[{section}]] entries must be tables"))?;
        let mut e = UserEntry::default();
        for (key, v) in table {
            match key.as_str() {
                "name" => e.name = words(v, key)?,
                k if k == spec.name => e.name = words(v, key)?,
                "alias" => e.aliases.push(words(v, key)?),
                "aliases" => {
                    let list = v
                        .as_array()
                        .ok_or_else(|| format!("[[{section}]] aliases must be a list"))?;
                    for a in list {
                        e.aliases.push(words(a, key)?);
                    }
                }
                "place" if spec.places => e.place = Some(words(v, key)?),
                "country" => e.country = Some(words(v, key)?),
                "flags" => e.flags = text(v, key)?,
                other => {
                    let name_key = if spec.places { spec.name } else { "name" };
                    let mut keys = vec![name_key, "alias", "aliases", "country", "flags"];
                    if spec.places {
                        keys.push("place");
                    }
                    return Err(format!(
                        "unknown key {other:?} in [[{section}]] (keys: {})",
                        keys.join(", ")
                    ));
                }
            }
        }
        if e.name.is_empty() {
            let key = if spec.places { spec.name } else { "name" };
            return Err(format!("[[{section}]] needs {key} = \"…\""));
        }
        out.push(e);
    }
    Ok(out)
}

/// The column names of a kind's table, for messages.
fn column_names(kind: EntityKind) -> String {
    let spec = kind.spec();
    let names: Vec<&str> = spec
        .columns
        .iter()
        .map(|c| match c {
            Column::Name => spec.name,
            Column::Country => "country",
            Column::Place => "place",
            Column::Level => "level",
            Column::Alias => "alias",
            Column::Flags => "flags",
            Column::Source => "source",
        })
        .collect();
    format!("{} ({})", names.len(), names.join(", "))
}

impl Table {
    /// The built-in tables, one per kind of the registry (compiled in; a test reads them
    /// all, so a broken one fails the build's tests, never a user's run).
    pub fn builtin() -> Table {
        let mut t = Table::default();
        for kind in EntityKind::all() {
            let spec = kind.spec();
            t.load_tsv(kind, spec.table, spec.table_path)
                .expect("built-in tables are valid (tables_round_trip_through_tsv reads them)");
        }
        t
    }

    /// The built-in tables with the user's files applied in order.
    pub fn with_user_files(files: &[PathBuf]) -> Result<Table, GazetteerError> {
        let mut t = Table::builtin();
        for f in files {
            t.apply_user_file(f)?;
        }
        Ok(t)
    }

    fn entity(&mut self, e: Entity) -> usize {
        if let Some(&i) = self.index.get(&e) {
            return i;
        }
        self.entities.push(e.clone());
        self.index.insert(e, self.entities.len() - 1);
        self.entities.len() - 1
    }

    fn push(&mut self, entity: Entity, text: &str, flags: Flags) {
        self.lookup = std::sync::OnceLock::new();
        let entity = self.entity(entity);
        let text = text.trim().to_string();
        if text.is_empty() {
            return;
        }
        if let Some(&i) = self.alias_index.get(&(entity, text.clone())) {
            self.aliases[i].flags = flags;
            return;
        }
        self.alias_index
            .insert((entity, text.clone()), self.aliases.len());
        self.aliases.push(Alias {
            text,
            entity,
            flags,
        });
    }

    fn load_tsv(&mut self, kind: EntityKind, text: &str, path: &str) -> Result<(), GazetteerError> {
        let spec = kind.spec();
        for (line, cols) in rows(text) {
            let err = |msg: String| GazetteerError::Row {
                path: path.to_string(),
                line,
                msg,
            };
            if cols.len() != spec.columns.len() {
                return Err(err(format!("expected {} columns", column_names(kind))));
            }
            let (mut name, mut country, mut place, mut level, mut alias, mut flags) =
                ("", "", "", "", "", "");
            for (column, value) in spec.columns.iter().zip(&cols) {
                let slot = match column {
                    Column::Name => &mut name,
                    Column::Country => &mut country,
                    Column::Place => &mut place,
                    Column::Level => &mut level,
                    Column::Alias => &mut alias,
                    Column::Flags => &mut flags,
                    Column::Source => continue,
                };
                *slot = value;
            }
            // A row of the unit itself says so in its level (`province`); others name a place.
            let place = (spec.places && level != spec.name).then(|| place.to_string());
            let entity = Entity {
                kind,
                name: name.to_string(),
                country: country.to_string(),
                place,
            };
            let flags = Flags::parse(flags).map_err(err)?;
            self.push(entity, alias, flags);
        }
        Ok(())
    }

    fn apply_user_file(&mut self, path: &Path) -> Result<(), GazetteerError> {
        let shown = path.display().to_string();
        let file_err = |msg: String| GazetteerError::File {
            path: shown.clone(),
            msg,
        };
        let text = std::fs::read_to_string(path).map_err(|e| file_err(e.to_string()))?;
        let user: toml::Table = toml::from_str(&text).map_err(|e| {
            // toml's own message draws the line with a caret over several lines; one line
            // with the position reads better as a `durand:` error.
            let at = e.span().map(|span| {
                let before = text.get(..span.start).unwrap_or(&text);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                format!("line {line}, column {column}: ")
            });
            let message: Vec<&str> = e.message().split_whitespace().collect();
            file_err(format!("{}{}", at.unwrap_or_default(), message.join(" ")))
        })?;
        let mut remove: Vec<String> = Vec::new();
        for (key, value) in &user {
            if key == "remove" {
                let aliases = value
                    .get("aliases")
                    .and_then(toml::Value::as_array)
                    .ok_or_else(|| file_err("[remove] needs aliases = [\"…\"]".to_string()))?;
                for a in aliases {
                    let a = a
                        .as_str()
                        .ok_or_else(|| file_err("[remove] aliases must be strings".to_string()))?;
                    remove.push(fold_key(a));
                }
                continue;
            }
            let Some(kind) = EntityKind::all().find(|k| k.spec().user_section == key) else {
                let sections: Vec<String> = KINDS
                    .iter()
                    .map(|k| format!("[[{}]]", k.user_section))
                    .chain(["[remove]".to_string()])
                    .collect();
                return Err(file_err(format!(
                    "unknown section {key:?} (sections: {})",
                    sections.join(", ")
                )));
            };
            for entry in user_entries(kind, value).map_err(&file_err)? {
                self.add_user_entry(kind, entry).map_err(&file_err)?;
            }
        }
        self.aliases
            .retain(|a| !remove.contains(&fold_key(&a.text)));
        self.alias_index = self
            .aliases
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.entity, a.text.clone()), i))
            .collect();
        self.lookup = std::sync::OnceLock::new();
        Ok(())
    }

    /// Adds one `durand.toml` entry. A place must lie in a known unit of its kind (with that
    /// unit's country); other entities may be new.
    fn add_user_entry(&mut self, kind: EntityKind, e: UserEntry) -> Result<(), String> {
        let spec = kind.spec();
        let known = self
            .entities
            .iter()
            .find(|x| x.kind == kind && x.place.is_none() && x.name == e.name)
            .cloned();
        let label = e.aliases.first().unwrap_or(&e.name).clone();
        if spec.places && known.is_none() {
            let hint = self
                .closest(kind, &e.name)
                .map(|c| format!("; did you mean {c}?"))
                .unwrap_or_default();
            return Err(format!(
                "{} {label:?}: unknown {} {:?}{hint}",
                spec.user_section, spec.name, e.name
            ));
        }
        if let (Some(c), Some(k)) = (&e.country, &known)
            && spec.places
            && *c != k.country
        {
            return Err(format!(
                "{} {label:?}: {} is in {}, not {c}",
                spec.user_section, e.name, k.country
            ));
        }
        let flags = Flags::parse(&e.flags)?;
        let country = e
            .country
            .clone()
            .or_else(|| known.as_ref().map(|k| k.country.clone()))
            .unwrap_or_default();
        let entity = Entity {
            kind,
            name: e.name.clone(),
            country,
            place: e.place.clone(),
        };
        let mut aliases = e.aliases;
        if aliases.is_empty() {
            aliases.push(e.place.unwrap_or(e.name));
        } else if known.is_none() && e.place.is_none() && !aliases.contains(&e.name) {
            // A new entity's own name is one of its spellings too ("Zorbat Lashkar" with
            // aliases = ["ZL"]), as a filter by that name expects.
            aliases.push(e.name);
        }
        for a in aliases {
            self.push(entity.clone(), &a, flags.clone());
        }
        Ok(())
    }

    /// The canonical names of one kind.
    pub fn names(&self, kind: EntityKind) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .entities
            .iter()
            .filter(|e| e.kind == kind && e.place.is_none())
            .map(|e| e.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The closest canonical name or alias to `query`, for "did you mean".
    pub fn closest(&self, kind: EntityKind, query: &str) -> Option<String> {
        closest(
            query,
            self.aliases
                .iter()
                .filter(|a| self.entities[a.entity].kind == kind)
                .map(|a| {
                    let e = &self.entities[a.entity];
                    (a.text.as_str(), e.place.as_deref().unwrap_or(&e.name))
                }),
        )
        .map(str::to_string)
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.get_or_init(|| {
            let mut l = Lookup::default();
            for a in &self.aliases {
                let (map, key) = if a.case_sensitive() {
                    (&mut l.exact, a.text.clone())
                } else {
                    (&mut l.folded, fold_key(&a.text))
                };
                map.entry(key).or_default().push(a.entity);
            }
            for (i, e) in self.entities.iter().enumerate() {
                let name = e.place.as_deref().unwrap_or(&e.name);
                l.folded.entry(fold_key(name)).or_default().push(i);
            }
            l
        })
    }

    /// Entities an alias (or canonical name) of `kind` names, in any case: a value given as
    /// a filter is known to be a name, so the exact-case aliases (`KP`, `ISKP`) fold too.
    pub fn resolve(&self, kind: EntityKind, text: &str) -> Vec<usize> {
        let l = self.lookup();
        let key = fold_key(text);
        let exact = l
            .exact
            .iter()
            .filter(|(alias, _)| fold_key(alias) == key)
            .flat_map(|(_, ids)| ids);
        let folded = l.folded.get(&key).into_iter().flatten();
        let mut out: Vec<usize> = exact
            .chain(folded)
            .copied()
            .filter(|&e| self.entities[e].kind == kind)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The one canonical name an alias (or canonical name) of `kind` stands for, when it
    /// stands for one: `Tehrik-i-Taliban Pakistan` → `TTP`.
    pub fn canonical(&self, kind: EntityKind, text: &str) -> Option<&str> {
        let mut names: Vec<&str> = self
            .resolve(kind, text)
            .into_iter()
            .map(|e| self.entities[e].name.as_str())
            .collect();
        names.dedup();
        match names.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Every alias of entity `e`.
    pub(crate) fn aliases_of(&self, e: usize) -> impl Iterator<Item = &Alias> {
        self.aliases.iter().filter(move |a| a.entity == e)
    }

    /// The effective table as TSV (saved with the index, and fingerprinted).
    pub fn to_tsv(&self) -> String {
        let mut out = format!("# durand effective entity table\n{EFFECTIVE_HEADER}\n");
        for a in &self.aliases {
            let e = &self.entities[a.entity];
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}",
                e.kind.name(),
                e.country,
                e.name,
                e.place.as_deref().unwrap_or(""),
                a.text,
                a.flags.render()
            );
        }
        out
    }

    /// Reads what [`Table::to_tsv`] wrote.
    pub fn from_tsv(text: &str, path: &str) -> Result<Table, GazetteerError> {
        // The header and at least one row: a file cut short or overwritten is not an empty
        // table.
        let header = text
            .lines()
            .enumerate()
            .find(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        match header {
            Some((_, l)) if l == EFFECTIVE_HEADER => {}
            found => {
                return Err(GazetteerError::Row {
                    path: path.to_string(),
                    line: found.map_or(1, |(i, _)| i + 1),
                    msg: format!("expected the header {EFFECTIVE_HEADER:?}"),
                });
            }
        }
        let mut t = Table::default();
        for (line, cols) in rows(text) {
            let err = |msg: String| GazetteerError::Row {
                path: path.to_string(),
                line,
                msg,
            };
            let [kind, country, name, place, alias, flags] = cols.as_slice() else {
                return Err(err("expected 6 columns".into()));
            };
            let Some(kind) = EntityKind::by_name(kind) else {
                return Err(err(format!("unknown kind {kind:?}")));
            };
            let entity = Entity {
                kind,
                name: name.to_string(),
                country: country.to_string(),
                place: (!place.is_empty()).then(|| place.to_string()),
            };
            t.push(entity, alias, Flags::parse(flags).map_err(err)?);
        }
        if t.aliases.is_empty() {
            return Err(GazetteerError::Row {
                path: path.to_string(),
                line: 1,
                msg: "no entities".into(),
            });
        }
        Ok(t)
    }

    /// Fingerprint of the effective table; a change re-tags the collection.
    pub fn fingerprint(&self) -> String {
        format!("{:016x}", xxh3_64(self.to_tsv().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROVINCE: EntityKind = EntityKind::PROVINCE;
    const GROUP: EntityKind = EntityKind::GROUP;
    const FORCE: EntityKind = EntityKind::FORCE;

    #[test]
    fn builtin_tables_resolve_spellings_to_canonical_names() {
        let t = Table::builtin();
        let name = |k, s| {
            t.resolve(k, s)
                .iter()
                .map(|&i| t.entities[i].facet_path())
                .collect::<Vec<_>>()
        };
        assert_eq!(name(PROVINCE, "Konar"), vec!["/Afghanistan/Kunar"]);
        assert_eq!(name(PROVINCE, "baluchistan"), vec!["/Pakistan/Balochistan"]);
        assert_eq!(name(PROVINCE, "KPK"), vec!["/Pakistan/Khyber Pakhtunkhwa"]);
        assert_eq!(name(PROVINCE, "NWFP"), vec!["/Pakistan/Khyber Pakhtunkhwa"]);
        assert_eq!(name(PROVINCE, "Dangam"), vec!["/Afghanistan/Kunar/Dangam"]);
        assert_eq!(name(GROUP, "Tehreek-e-Taliban"), vec!["/TTP"]);
        assert_eq!(name(GROUP, "pakistani taliban"), vec!["/TTP"]);
        assert_eq!(name(GROUP, "ttp"), vec!["/TTP"], "canonical names fold");
        assert_eq!(name(GROUP, "ISKP"), vec!["/IS-K"]);
        assert_eq!(name(FORCE, "Frontier Corps"), vec!["/Frontier Corps"]);
        // A filter value is known to be a name: exact-case aliases resolve in any case.
        assert_eq!(name(GROUP, "iskp"), vec!["/IS-K"]);
        assert_eq!(name(GROUP, "is"), vec!["/Islamic State"]);
        assert!(name(PROVINCE, "is").is_empty());
    }

    #[test]
    fn tables_round_trip_through_tsv() {
        let t = Table::builtin();
        let back = Table::from_tsv(&t.to_tsv(), "x").unwrap();
        assert_eq!(back.to_tsv(), t.to_tsv());
        assert_eq!(back.fingerprint(), t.fingerprint());
    }

    #[test]
    fn user_files_add_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("durand.toml");
        std::fs::write(
            &path,
            r#"
[[place]]
alias = "Bara"
province = "Khyber Pakhtunkhwa"
place = "Bara"

[[group]]
name = "TTP"
alias = "Khawarij"
flags = "ctx"

[remove]
aliases = ["Haqqanis"]
"#,
        )
        .unwrap();
        let t = Table::with_user_files(std::slice::from_ref(&path)).unwrap();
        assert_eq!(t.resolve(PROVINCE, "Bara").len(), 1);
        assert_eq!(t.resolve(GROUP, "khawarij").len(), 1);
        assert!(t.resolve(GROUP, "Haqqanis").is_empty());
        assert_ne!(t.fingerprint(), Table::builtin().fingerprint());

        // A new group's own name is a spelling of it too, beside its aliases.
        std::fs::write(
            &path,
            "[[group]]\nname = \"Zorbat Lashkar\"\naliases = [\"ZL\"]\n",
        )
        .unwrap();
        let t = Table::with_user_files(std::slice::from_ref(&path)).unwrap();
        let tagger = crate::tag::Tagger::new(t).unwrap();
        for text in [
            "Zorbat Lashkar attacked a post in Bajaur.",
            "ZL attacked a post in Bajaur.",
        ] {
            let tagged = tagger.tag_document("Attack", text, None);
            assert_eq!(tagged.values(GROUP), vec!["Zorbat Lashkar"], "{text}");
        }

        std::fs::write(
            &path,
            "[[place]]\nalias = \"X\"\nprovince = \"Khyber Pakhtunkwa\"\n",
        )
        .unwrap();
        let err = Table::with_user_files(std::slice::from_ref(&path))
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean Khyber Pakhtunkhwa?"), "{err}");

        // A blank name or alias would match nothing: said, not taken.
        for (toml, key) in [
            ("[[group]]\nname = \"TTP\"\naliases = [\"\"]\n", "aliases"),
            ("[[group]]\nname = \"  \"\n", "name"),
            ("[[force]]\nname = \"Levies\"\ncountry = \"\"\n", "country"),
        ] {
            std::fs::write(&path, toml).unwrap();
            let err = Table::with_user_files(std::slice::from_ref(&path))
                .unwrap_err()
                .to_string();
            assert!(err.contains(&format!("{key} must not be blank")), "{err}");
        }
    }
}
