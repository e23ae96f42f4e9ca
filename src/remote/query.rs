//! durand's query language and filters as Typesense parameters: words and phrases become
//! `q` over the records' analysed `terms` (so `strikes` matches `strike` as it does locally),
//! exclusions become `-word` / `-"a phrase"`, field values and filters become `filter_by`
//! over the same facet paths the local index filters on, and the order becomes `sort_by`.
//!
//! What has no remote equivalent is refused with a [`RemoteError::Unsupported`] naming it:
//! `OR`, `( … )` groups, `prefix*`, `"words near"~N`, words scoped to `title:` / `text:` /
//! `section:`, `--any`, `--in-passage`, `--hybrid` / `--semantic` and `similar`. A word that
//! names an entity matches as typed (locally it also matches the entity's other spellings).

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use super::RemoteError;
use super::record::path_key;
use crate::analyzer::{analyzer, terms};
use crate::search::query::{Literal, Node, Occur, QueryError, date_value, parse, parse_plain};
use crate::search::{
    ModeChoice, SearchError, SearchOptions, Sort, resolve_country, unknown_entity,
};
use crate::tag::names::Names;
use crate::tag::{EntityKind, Table};

/// The entity names filters and field values are resolved against: the local index's tables
/// when there is one (they tagged what was pushed), else the built-in ones. Read on first use:
/// a search that names no entity never pays for it. A local index that does not open, or
/// whose saved table is damaged, is an error: resolving names differently from how they were
/// tagged would be worse.
pub struct Vocabulary {
    index: Option<PathBuf>,
    loaded: OnceCell<(Table, Names)>,
}

impl Vocabulary {
    /// The built-in tables alone (the tests' vocabulary).
    #[cfg(test)]
    pub fn builtin() -> Vocabulary {
        Vocabulary {
            index: None,
            loaded: OnceCell::new(),
        }
    }

    /// The tables of the index at `dir`, or the built-in ones when no index is there.
    pub fn of_index_dir(dir: &Path) -> Vocabulary {
        Vocabulary {
            index: Some(dir.to_path_buf()),
            loaded: OnceCell::new(),
        }
    }

    fn get(&self) -> Result<&(Table, Names), SearchError> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let local = self
            .index
            .as_deref()
            .filter(|dir| crate::index::exists(dir));
        let table = match local {
            Some(dir) => crate::index::open(dir)?.table()?.clone(),
            None => Table::builtin(),
        };
        let names = Names::build(&table);
        Ok(self.loaded.get_or_init(|| (table, names)))
    }

    /// The facet paths a user's name for an entity stands for (as local filters resolve it).
    fn resolve(&self, kind: EntityKind, value: &str) -> Result<Vec<Vec<String>>, SearchError> {
        let (table, names) = self.get()?;
        let found = names.resolve(kind, value);
        if found.is_empty() {
            return Err(unknown_entity(table, kind, value).into());
        }
        Ok(found.into_iter().map(|e| e.parts).collect())
    }
}

/// The Typesense side of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// `*` when the query has no words.
    pub q: String,
    /// Clauses joined by ` && `; empty when nothing is filtered.
    pub filter_by: String,
    pub sort_by: String,
    /// The analysed words the hits must have (not the excluded ones): what snippets mark.
    pub marked: Vec<String>,
}

/// Errors of translation: the query's own mistakes keep their local wording.
#[derive(Debug, thiserror::Error)]
pub enum TranslateError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Remote(#[from] RemoteError),
}

impl From<QueryError> for TranslateError {
    fn from(e: QueryError) -> Self {
        TranslateError::Search(SearchError::Query(e))
    }
}

/// Translates `options` (query, filters, order) for a remote search.
pub fn translate(
    options: &SearchOptions,
    vocabulary: &Vocabulary,
) -> Result<Translated, TranslateError> {
    refuse_options(options)?;
    let node = if options.plain {
        parse_plain(&options.query)?
    } else {
        parse(&options.query)?
    };
    let mut t = Translator {
        query: &options.query,
        vocabulary,
        analyzer: analyzer(),
        words: Vec::new(),
        marked: Vec::new(),
        filters: Vec::new(),
    };
    match &node {
        Node::And(clauses) => {
            for (occur, clause) in clauses {
                match clause {
                    Node::Literal(lit) => t.literal(lit, *occur == Occur::MustNot)?,
                    Node::Or(_) => return Err(unsupported_or()),
                    Node::And(_) => {
                        return Err(RemoteError::unsupported(
                            "`( … )` grouping",
                            "write the words without parentheses",
                        )
                        .into());
                    }
                }
            }
        }
        Node::Literal(lit) => t.literal(lit, false)?,
        Node::Or(_) => return Err(unsupported_or()),
    }
    t.filters.extend(filter_clauses(options, vocabulary)?);
    Ok(Translated {
        q: if t.words.is_empty() {
            "*".to_string()
        } else {
            t.words.join(" ")
        },
        filter_by: t.filters.join(" && "),
        sort_by: sort_by(options.sort).to_string(),
        marked: t.marked,
    })
}

/// The filters and order of `options` alone, matching every record (facet counts).
pub fn filters_only(
    options: &SearchOptions,
    vocabulary: &Vocabulary,
) -> Result<Translated, TranslateError> {
    refuse_options(options)?;
    Ok(Translated {
        q: "*".to_string(),
        filter_by: filter_clauses(options, vocabulary)?.join(" && "),
        sort_by: sort_by(options.sort).to_string(),
        marked: Vec::new(),
    })
}

fn unsupported_or() -> TranslateError {
    RemoteError::unsupported("OR", "run one search per alternative").into()
}

fn refuse_options(options: &SearchOptions) -> Result<(), RemoteError> {
    if options.semantic.is_some() {
        return Err(RemoteError::unsupported(
            "--hybrid or --semantic",
            "passage vectors stay in the local index",
        ));
    }
    if options.like.is_some() {
        return Err(RemoteError::unsupported(
            "`durand similar`",
            "run it on the local index",
        ));
    }
    if options.mode == ModeChoice::Any {
        return Err(RemoteError::unsupported(
            "--any",
            "a remote search requires every word",
        ));
    }
    if options.filters.in_passage {
        return Err(RemoteError::unsupported(
            "--in-passage",
            "remote filters apply to documents",
        ));
    }
    Ok(())
}

fn sort_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "_text_match:desc,dated:desc,date_lo:desc",
        Sort::Newest => "dated:desc,date_lo:desc,_text_match:desc",
        Sort::Oldest => "dated:desc,date_lo:asc,_text_match:desc",
    }
}

struct Translator<'a> {
    query: &'a str,
    vocabulary: &'a Vocabulary,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    words: Vec<String>,
    marked: Vec<String>,
    filters: Vec<String>,
}

impl Translator<'_> {
    fn literal(&mut self, lit: &Literal, negated: bool) -> Result<(), TranslateError> {
        let at = |message: String, hint: &str| -> TranslateError {
            RemoteError::unsupported(
                format!(
                    "{message} (column {})",
                    QueryError::at(self.query, lit.span.start, "").column
                ),
                hint,
            )
            .into()
        };
        if lit.prefix {
            return Err(at("`prefix*`".into(), "write the whole word"));
        }
        if lit.within.is_some() {
            return Err(at(
                "`\"words near\"~N`".into(),
                "write the words, or a \"phrase\"",
            ));
        }
        match lit.field.as_deref() {
            None => {
                let words: Vec<String> = terms(&mut self.analyzer, &lit.text)
                    .into_iter()
                    .map(|t| t.text)
                    .collect();
                let text = match words.len() {
                    0 => return Ok(()),
                    1 if !lit.quoted => words[0].clone(),
                    _ => format!("\"{}\"", words.join(" ")),
                };
                if !negated {
                    self.marked.extend(words);
                }
                self.words
                    .push(if negated { format!("-{text}") } else { text });
            }
            Some(field @ ("text" | "title" | "section")) => {
                return Err(at(
                    format!("`{field}:`"),
                    "remote words match the heading, title and text together",
                ));
            }
            Some("doc" | "id") => {
                let v = quote(&lit.text)?;
                self.filters.push(equals("doc_id", &[v], negated));
            }
            Some("date" | "year") => {
                let date = date_value(self.query, lit)?;
                if negated {
                    return Err(at(
                        "an excluded date".into(),
                        "filter on the dates around it instead",
                    ));
                }
                let (lo, hi) = date.bounds();
                self.filters.push(date_clause(lo, hi));
            }
            Some(crate::search::COUNTRY) => {
                let paths = country_paths(&lit.text)?;
                self.filters.push(paths_clause(&paths, negated)?);
            }
            Some(name) => {
                let Some(kind) = EntityKind::by_name(name) else {
                    // The local parser's message, with its suggestion.
                    let err = QueryError::at(
                        self.query,
                        lit.span.start,
                        format!("unknown field {name:?}"),
                    );
                    return Err(err.into());
                };
                let paths = self.vocabulary.resolve(kind, &lit.text)?;
                let keys: Vec<String> = paths.iter().map(|p| path_key(kind, p)).collect();
                self.filters.push(paths_clause(&keys, negated)?);
            }
        }
        Ok(())
    }
}

/// The `facet_paths` keys of a country.
fn country_paths(value: &str) -> Result<Vec<String>, SearchError> {
    let paths = resolve_country(value)?;
    Ok(EntityKind::places()
        .map(|places| paths.iter().map(|p| path_key(places, p)).collect())
        .unwrap_or_default())
}

fn paths_clause(keys: &[String], negated: bool) -> Result<String, RemoteError> {
    let quoted = keys
        .iter()
        .map(|k| quote(k))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(equals("facet_paths", &quoted, negated))
}

/// `field:=[a,b]` (any of them) or `field:!=[a,b]` (none of them).
pub(crate) fn equals(field: &str, quoted: &[String], negated: bool) -> String {
    let op = if negated { ":!=" } else { ":=" };
    format!("{field}{op}[{}]", quoted.join(","))
}

/// A value in backticks, as Typesense filters quote values with commas or spaces.
pub(crate) fn quote(value: &str) -> Result<String, RemoteError> {
    if value.contains('`') {
        return Err(RemoteError::unsupported(
            format!("the value {value:?} (with a backtick)"),
            "Typesense filters cannot quote it",
        ));
    }
    Ok(format!("`{value}`"))
}

/// Documents dated within `[lo, hi]` (both `YYYYMMDD`) or overlapping it.
fn date_clause(lo: u64, hi: u64) -> String {
    format!("dated:=1 && date_lo:<={hi} && date_hi:>={lo}")
}

/// The filters of `options` as `filter_by` clauses.
fn filter_clauses(
    options: &SearchOptions,
    vocabulary: &Vocabulary,
) -> Result<Vec<String>, TranslateError> {
    let f = &options.filters;
    let mut out = Vec::new();
    for (kind, values) in f.entities.iter() {
        if values.is_empty() {
            continue;
        }
        let mut keys = Vec::new();
        for v in values {
            keys.extend(
                vocabulary
                    .resolve(kind, v)?
                    .iter()
                    .map(|p| path_key(kind, p)),
            );
        }
        out.push(paths_clause(&keys, false)?);
    }
    if !f.countries.is_empty() {
        let mut keys = Vec::new();
        for c in &f.countries {
            keys.extend(country_paths(c)?);
        }
        out.push(paths_clause(&keys, false)?);
    }
    if !f.types.is_empty() {
        let types: Vec<String> = f
            .types
            .iter()
            .map(|t| format!("`{}`", t.as_str()))
            .collect();
        out.push(equals("type", &types, false));
    }
    if let Some(n) = f.min_killed {
        out.push(format!("killed:>={n}"));
    }
    if let Some(ids) = &f.docs {
        let quoted = ids
            .iter()
            .map(|i| quote(i))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(equals("doc_id", &quoted, false));
    }
    if f.from.is_some() || f.to.is_some() {
        let lo = f.from.map_or(0, |d| d.bounds().0);
        let hi = f.to.map_or(99_991_231, |d| d.bounds().1);
        out.push(date_clause(lo, hi));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::PartialDate;

    fn t(q: &str) -> Result<Translated, TranslateError> {
        translate(&SearchOptions::new(q), &Vocabulary::builtin())
    }

    #[test]
    fn words_phrases_and_exclusions_become_q_over_analysed_words() {
        let r = t("Drone strikes -civilians \"hot pursuit\" -\"peace talks\"").unwrap();
        assert_eq!(r.q, "drone strike -civilian \"hot pursuit\" -\"peac talk\"");
        assert_eq!(r.filter_by, "");
        assert!(t("").is_err());
        let only = filters_only(&SearchOptions::new(""), &Vocabulary::builtin()).unwrap();
        assert_eq!(only.q, "*");
        assert!(r.sort_by.starts_with("_text_match:desc"));
    }

    #[test]
    fn field_values_and_filters_become_filter_by_on_the_local_facet_paths() {
        let r = t("kunar province:Konar -group:ttp country:afghanistan doc:abc year:2023").unwrap();
        assert_eq!(r.q, "kunar");
        assert_eq!(
            r.filter_by,
            "facet_paths:=[`province/Afghanistan/Kunar`] && facet_paths:!=[`group/TTP`] \
             && facet_paths:=[`province/Afghanistan`] && doc_id:=[`abc`] \
             && dated:=1 && date_lo:<=20231231 && date_hi:>=20230101"
        );
        let mut o = SearchOptions::new("blast");
        o.filters.from = PartialDate::parse_iso("2023-03");
        o.filters.min_killed = Some(5);
        o.sort = Sort::Newest;
        let r = translate(&o, &Vocabulary::builtin()).unwrap();
        assert_eq!(
            r.filter_by,
            "killed:>=5 && dated:=1 && date_lo:<=99991231 && date_hi:>=20230301"
        );
        assert!(r.sort_by.starts_with("dated:desc,date_lo:desc"));
    }

    #[test]
    fn what_has_no_remote_equivalent_is_refused_by_name() {
        for (q, what) in [
            ("kunar OR khost", "OR"),
            ("drone (strike -kunar)", "grouping"),
            ("waziri*", "prefix*"),
            ("\"drone strike\"~3", "near"),
            ("title:blast", "title:"),
        ] {
            let e = t(q).unwrap_err().to_string();
            assert!(e.contains(what) && e.contains("no equivalent"), "{q}: {e}");
        }
        let mut o = SearchOptions::new("x");
        o.mode = ModeChoice::Any;
        let e = translate(&o, &Vocabulary::builtin()).unwrap_err();
        assert!(e.to_string().contains("--any"));
        // Mistakes keep the local wording.
        let e = t("\"open").unwrap_err().to_string();
        assert!(e.starts_with("bad query: unclosed quote"), "{e}");
        let e = t("province:Zzyzx").unwrap_err().to_string();
        assert!(e.starts_with("unknown province \"Zzyzx\""), "{e}");
    }

    #[test]
    fn a_local_index_with_a_damaged_table_is_an_error_not_the_builtin_names() {
        let test = crate::testing::TestIndex::new(crate::testing::BORDER);
        let vocabulary = Vocabulary::of_index_dir(&test.index.dir);
        let o = SearchOptions::new("blast province:Kunar");
        assert!(translate(&o, &vocabulary).is_ok());
        std::fs::write(
            test.index.generation.join(crate::index::TABLE_FILE),
            "not a table",
        )
        .expect("damage the table");
        let fresh = Vocabulary::of_index_dir(&test.index.dir);
        let e = translate(&o, &fresh).unwrap_err().to_string();
        assert!(
            e.contains("damaged") && e.contains("index --rebuild"),
            "{e}"
        );
        // A search that names no entity never reads the table.
        assert!(translate(&SearchOptions::new("blast"), &fresh).is_ok());
    }
}
