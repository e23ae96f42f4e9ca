//! The registry of entity kinds: one entry per kind of thing durand tags from its tables
//! (provinces, armed groups, state forces). Everything else is derived from this list — the
//! index fields (`province`, `p_province`), the search filters (`--province`), the query
//! fields (`province:`), the facets, the table files and their columns, the `durand.toml`
//! sections, the keys of the JSON output (`provinces`) and the lines of `show`.
//!
//! Mentions that are not entities (dates) have a kind of their own: [`MentionKind`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A column of an entity table (`src/tag/data/*.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The canonical name (of the province, for places).
    Name,
    Country,
    /// The district or city below the province.
    Place,
    /// `province` for the province itself, else the kind of place (`district`, `city`).
    Level,
    Alias,
    Flags,
    /// Where the row came from (`geonames:adm2`, `ofac`, `curated`…); not read by the tagger.
    Source,
}

/// How a `ctx` alias (an ambiguous one) is confirmed by the words around it.
#[derive(Debug, Clone, Copy)]
pub enum Context {
    /// A place: a locative before it ("in Tank") or a place noun after it ("Tank district").
    Place,
    /// Any of these words within three words either side ("IS militants", "FC personnel").
    Near(&'static [&'static str]),
}

/// Everything about one kind of entity.
#[derive(Debug)]
pub struct KindSpec {
    /// The singular name: index field, query field, filter flag, facet, `kind` in JSON.
    pub name: &'static str,
    /// The plural: the JSON key of a document's canonical tags of this kind.
    pub plural: &'static str,
    /// Help for the `--NAME` filter.
    pub filter_help: &'static str,
    /// The built-in table and where it lives in the source tree.
    pub table: &'static str,
    pub table_path: &'static str,
    /// The table's columns, in order.
    pub columns: &'static [Column],
    /// Places: a hierarchy country › province › district or city, filtered by `--country`,
    /// with the checks that keep namesakes abroad and cricket teams out.
    pub places: bool,
    pub context: Context,
    /// The array of tables in a `durand.toml` that adds entities of this kind.
    pub user_section: &'static str,
    /// When a name in a query could be several kinds, the lowest rank wins.
    pub query_rank: u8,
    /// Whether a place or force named inside one of this kind's names is one the text refers
    /// to ("Sindh Police" work in Sindh) or only part of the name (the Balochistan Liberation
    /// Army names no place and is no army).
    pub names_others: bool,
    /// Actors of the state: the side that carries out air and drone strikes, shelling and
    /// military operations (ACLED's actor 1 for those), the other side's target otherwise.
    pub state: bool,
}

/// The kinds, in the order output lists them.
pub static KINDS: [KindSpec; 3] = [
    KindSpec {
        name: "province",
        plural: "provinces",
        filter_help: "Only documents tagged with this province, district or city (any spelling); repeatable",
        table: include_str!("data/places.tsv"),
        table_path: "src/tag/data/places.tsv",
        columns: &[
            Column::Country,
            Column::Name,
            Column::Place,
            Column::Level,
            Column::Alias,
            Column::Flags,
            Column::Source,
        ],
        places: true,
        context: Context::Place,
        user_section: "place",
        query_rank: 2,
        names_others: true,
        state: false,
    },
    KindSpec {
        name: "group",
        plural: "groups",
        filter_help: "Only documents mentioning this armed group (any alias); repeatable",
        table: include_str!("data/groups.tsv"),
        table_path: "src/tag/data/groups.tsv",
        columns: &[
            Column::Name,
            Column::Country,
            Column::Alias,
            Column::Flags,
            Column::Source,
        ],
        places: false,
        context: Context::Near(&[
            "militant",
            "militants",
            "fighter",
            "fighters",
            "group",
            "claimed",
            "claim",
            "affiliate",
            "branch",
            "cell",
            "commander",
            "commanders",
            "attack",
            "attacks",
            "bombing",
            "bomber",
            "insurgents",
            "jihadist",
            "jihadists",
            "faction",
            "members",
            "operatives",
            "terrorist",
            "terrorists",
        ]),
        user_section: "group",
        query_rank: 0,
        names_others: false,
        state: false,
    },
    KindSpec {
        name: "force",
        plural: "forces",
        filter_help: "Only documents mentioning this state force; repeatable",
        table: include_str!("data/forces.tsv"),
        table_path: "src/tag/data/forces.tsv",
        columns: &[
            Column::Name,
            Column::Country,
            Column::Alias,
            Column::Flags,
            Column::Source,
        ],
        places: false,
        context: Context::Near(&[
            "personnel",
            "soldier",
            "soldiers",
            "troops",
            "convoy",
            "post",
            "posts",
            "checkpoint",
            "official",
            "officials",
            "men",
            "commander",
            "forces",
            "operation",
            "operations",
            "paramilitary",
            "jawans",
            "chief",
            "spokesman",
        ]),
        user_section: "force",
        query_rank: 1,
        names_others: true,
        state: true,
    },
];

/// How many kinds there are (the size of per-kind arrays).
pub const KIND_COUNT: usize = KINDS.len();

/// One kind of entity: a position in [`KINDS`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityKind(u8);

impl EntityKind {
    /// The kinds the built-in tables hold, by name, for code and tests that mean one of them.
    pub const PROVINCE: EntityKind = EntityKind(0);
    pub const GROUP: EntityKind = EntityKind(1);
    pub const FORCE: EntityKind = EntityKind(2);

    /// Every kind, in registry order.
    pub fn all() -> impl Iterator<Item = EntityKind> + Clone {
        (0..KIND_COUNT as u8).map(EntityKind)
    }

    /// The kind named `name` (`province`, `group`, `force`).
    pub fn by_name(name: &str) -> Option<EntityKind> {
        KINDS
            .iter()
            .position(|k| k.name == name)
            .map(|i| EntityKind(i as u8))
    }

    /// The kind that holds places (with countries), if the registry has one.
    pub fn places() -> Option<EntityKind> {
        Self::all().find(|k| k.spec().places)
    }

    pub fn spec(self) -> &'static KindSpec {
        &KINDS[self.0 as usize]
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Position in registry order, for per-kind arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Debug for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a mention names: an entity of some kind, or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MentionKind {
    Entity(EntityKind),
    Date,
}

impl MentionKind {
    pub fn name(self) -> &'static str {
        match self {
            MentionKind::Entity(k) => k.name(),
            MentionKind::Date => "date",
        }
    }

    /// The entity kind, for an entity mention.
    pub fn entity(self) -> Option<EntityKind> {
        match self {
            MentionKind::Entity(k) => Some(k),
            MentionKind::Date => None,
        }
    }

    fn by_name(name: &str) -> Option<MentionKind> {
        match name {
            "date" => Some(MentionKind::Date),
            other => EntityKind::by_name(other).map(MentionKind::Entity),
        }
    }
}

impl From<EntityKind> for MentionKind {
    fn from(k: EntityKind) -> Self {
        MentionKind::Entity(k)
    }
}

impl Serialize for EntityKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for EntityKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        EntityKind::by_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown entity kind {name:?}")))
    }
}

impl Serialize for MentionKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for MentionKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        MentionKind::by_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown mention kind {name:?}")))
    }
}

/// One value per entity kind, in registry order: a document's canonical tags, facet counts,
/// index fields. Serialises as a map from each kind's `plural` name, in registry order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerKind<T>(pub [T; KIND_COUNT]);

impl<T: Default> Default for PerKind<T> {
    fn default() -> Self {
        PerKind(std::array::from_fn(|_| T::default()))
    }
}

impl<T> PerKind<T> {
    /// Builds one value per kind.
    pub fn from_fn(mut f: impl FnMut(EntityKind) -> T) -> Self {
        PerKind(std::array::from_fn(|i| f(EntityKind(i as u8))))
    }

    /// Builds one value per kind, stopping at the first error.
    pub fn try_from_fn<E>(mut f: impl FnMut(EntityKind) -> Result<T, E>) -> Result<Self, E>
    where
        T: Default,
    {
        let mut out = PerKind::default();
        for i in 0..KIND_COUNT {
            out.0[i] = f(EntityKind(i as u8))?;
        }
        Ok(out)
    }

    pub fn get(&self, kind: EntityKind) -> &T {
        &self.0[kind.index()]
    }

    pub fn get_mut(&mut self, kind: EntityKind) -> &mut T {
        &mut self.0[kind.index()]
    }

    /// `(kind, value)` in registry order.
    pub fn iter(&self) -> impl Iterator<Item = (EntityKind, &T)> {
        EntityKind::all().zip(self.0.iter())
    }
}

impl<T: Copy> Copy for PerKind<T> {}

/// Tags serialise under the kinds' plural names (`"provinces": […]`).
impl<T: Serialize> Serialize for PerKind<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(KIND_COUNT))?;
        for (kind, value) in self.iter() {
            map.serialize_entry(kind.spec().plural, value)?;
        }
        map.end()
    }
}

/// Reads what [`Serialize`] wrote; keys that name no kind are ignored (so a `PerKind` can be
/// flattened into a struct with other fields).
impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for PerKind<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Default> serde::de::Visitor<'de> for Visitor<T> {
            type Value = PerKind<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from entity kinds to values")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = PerKind::<T>::default();
                while let Some(key) = map.next_key::<String>()? {
                    match EntityKind::all().find(|k| k.spec().plural == key) {
                        Some(kind) => *out.get_mut(kind) = map.next_value()?,
                        None => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_found_by_name_and_serialise_by_name() {
        let group = EntityKind::by_name("group").unwrap();
        assert_eq!(group.name(), "group");
        assert_eq!(EntityKind::places().map(EntityKind::name), Some("province"));
        assert_eq!(
            serde_json::to_string(&MentionKind::Date).unwrap(),
            "\"date\""
        );
        let back: MentionKind = serde_json::from_str("\"force\"").unwrap();
        assert_eq!(back.name(), "force");
        assert!(serde_json::from_str::<MentionKind>("\"planet\"").is_err());
        let tags: PerKind<Vec<String>> = PerKind::from_fn(|k| vec![k.name().to_string()]);
        assert_eq!(
            serde_json::to_string(&tags).unwrap(),
            r#"{"provinces":["province"],"groups":["group"],"forces":["force"]}"#
        );
    }
}
