//! Turns a parsed query into a tantivy query (and the patterns to highlight), resolving field
//! names, analysing words with the index's analyzer and applying the `all` / `any` mode.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur as TOccur, PhrasePrefixQuery, PhraseQuery,
    Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::query::{Literal, Node, Occur, QueryError};
use super::snippet::{Patterns, Piece};
use super::{Mode, SearchError};
use crate::analyzer::{analyzer, prefix_analyzer, terms};
use crate::index::{DurandIndex, Fields, IndexError};
use crate::tag::EntityKind;
use crate::tag::Table;
use crate::tag::kinds::KINDS;
use crate::tag::names::Names;
use crate::tag::table::entity_key;
use crate::text::closest;

/// Weight of a title match relative to a match in the passage text: a passage that only
/// matches through its document's title ranks below passages that say the words themselves.
pub const TITLE_BOOST: f32 = 0.5;
/// Weight of a section-heading match.
pub const SECTION_BOOST: f32 = 0.25;
/// Weight of the proximity clause: the query's words near each other in the passage.
pub const PROXIMITY_BOOST: f32 = 1.0;
/// How far apart (in positions) the words may be for the proximity clause to match.
pub const PROXIMITY_SLOP: u32 = 3;
/// How many index terms a prefix may expand to.
const PREFIX_EXPANSIONS: u32 = 256;
/// In any-word mode, what each query word (or concept: a phrase, a name, an `OR` group) a
/// passage has adds to its score. It dwarfs any BM25 score, so passages are ranked by how
/// many of the words they have first and by BM25 among those with as many: one rare word no
/// longer outranks two (`Bajaur blast rally`).
pub const COORDINATION: f32 = 1000.0;
/// Coordination applies to queries of at most this many words: an analyst's few words, where
/// each one counts. A longer query (a sentence, a question) is ranked by BM25 alone, whose
/// word rarity already weighs what matches; counting words there ranked documents that share
/// many common words first (SciFact nDCG@10 0.690 → 0.576, Cranfield 0.393 → 0.279). Chosen
/// on SciFact's training queries (BENCHMARKS.md): up to 3 words no document ranking changes.
pub const MAX_COORDINATED: usize = 3;

/// Fields a query may name besides the entity kinds' (`province:` …) and `country:`.
const TEXT_FIELDS: &[&str] = &["text", "title", "section", "doc", "date", "year"];

/// Every field a query may name, in the order messages list them.
pub fn query_fields() -> Vec<&'static str> {
    TEXT_FIELDS
        .iter()
        .copied()
        .chain(KINDS.iter().map(|k| k.name))
        .chain([super::facets::COUNTRY])
        .collect()
}
/// A field value that restricts which documents match (`province:…`, `year:…`, `doc:…`)
/// rather than a word to look for (`title:…`, `text:…`, `section:…`).
fn is_filter(node: &Node) -> bool {
    matches!(node, Node::Literal(l)
        if l.field.as_deref().is_some_and(|f| !matches!(f, "text" | "title" | "section")))
}

/// The longest alias, in words, looked for across consecutive query words.
const MAX_ALIAS_WORDS: usize = 6;

/// A query ready to run.
pub struct Compiled {
    /// What must match; ranks by BM25.
    pub query: Box<dyn Query>,
    /// The words near each other: added to the scores of the best matches only (see
    /// [`crate::search`]'s rescoring).
    pub proximity: Option<Box<dyn Query>>,
    pub patterns: Patterns,
    /// Entities the query names (not under a negation): their tagged mentions are
    /// highlighted whatever the spelling.
    pub entities: Vec<(EntityKind, Vec<String>)>,
    /// In any-word mode, the query's optional top-level words and concepts (when there are
    /// two or more), each as its own query: every hit says how many of them it has.
    pub concepts: Vec<Box<dyn Query>>,
    /// Whether `query` ranks by how many of `concepts` a passage has first (up to
    /// [`MAX_COORDINATED`] of them): its scores then hold [`COORDINATION`] per concept.
    pub coordinated: bool,
}

pub(crate) struct Builder<'a> {
    q: &'a str,
    fields: &'a Fields,
    index: &'a DurandIndex,
    /// The names a word may stand for (read once per search).
    names: &'a Names,
    analyzer: TextAnalyzer,
    /// Same as the index analyzer without stemming: a prefix is matched as typed.
    prefix_analyzer: TextAnalyzer,
    patterns: Patterns,
    entities: Vec<(EntityKind, Vec<String>)>,
    /// Nesting depth of the node being compiled (0 is the whole query).
    depth: usize,
    concepts: Vec<Box<dyn Query>>,
}

/// The most words `"…"~N` takes in any order; a longer one must keep its order.
pub const NEAR_ANY_ORDER: usize = 4;

/// `terms` within `slop` positions of each other in any order: a sloppy phrase per order
/// (tantivy's slop counts a swap as two moves, so one order is not enough).
fn near(terms: Vec<Term>, slop: u32) -> Box<dyn Query> {
    let phrase = |order: Vec<Term>| -> Box<dyn Query> {
        Box::new(PhraseQuery::new_with_offset_and_slop(
            order.into_iter().enumerate().collect(),
            slop,
        ))
    };
    if terms.len() > NEAR_ANY_ORDER {
        return phrase(terms);
    }
    let mut orders: Vec<Vec<Term>> = Vec::new();
    permutations(
        &terms,
        &mut Vec::new(),
        &mut vec![false; terms.len()],
        &mut orders,
    );
    orders.dedup();
    let alternatives = orders
        .into_iter()
        .map(|order| (TOccur::Should, phrase(order)))
        .collect();
    Box::new(BooleanQuery::new(alternatives))
}

fn permutations(
    terms: &[Term],
    prefix: &mut Vec<Term>,
    used: &mut [bool],
    out: &mut Vec<Vec<Term>>,
) {
    if prefix.len() == terms.len() {
        if !out.contains(prefix) {
            out.push(prefix.clone());
        }
        return;
    }
    for i in 0..terms.len() {
        if !used[i] {
            used[i] = true;
            prefix.push(terms[i].clone());
            permutations(terms, prefix, used, out);
            prefix.pop();
            used[i] = false;
        }
    }
}

pub(crate) fn const_score(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// Matches every passage (for queries that only exclude).
fn all_passages(fields: &Fields) -> Box<dyn Query> {
    const_score(Box::new(TermQuery::new(
        fields.passages_term(),
        IndexRecordOption::Basic,
    )))
}

impl<'a> Builder<'a> {
    pub fn new(q: &'a str, index: &'a DurandIndex) -> Result<Self, IndexError> {
        Ok(Builder {
            q,
            fields: &index.fields,
            index,
            names: index.names()?,
            analyzer: analyzer(),
            prefix_analyzer: prefix_analyzer(),
            patterns: Patterns::default(),
            entities: Vec::new(),
            depth: 0,
            concepts: Vec::new(),
        })
    }

    /// Compiles `node` in `mode`. Fails on unknown fields and queries that leave nothing to
    /// search for.
    pub fn compile(mut self, node: &Node, mode: Mode) -> Result<Compiled, SearchError> {
        let mut query = self.node(node, mode, false)?.ok_or_else(|| {
            QueryError::at(self.q, 0, "nothing to search for").with_hint(format!(
                "a query needs at least one word with letters or digits, shorter than {} \
                     bytes (longer words are not indexed)",
                crate::analyzer::MAX_TOKEN_BYTES
            ))
        })?;
        // One word has nothing to count.
        if self.concepts.len() < 2 {
            self.concepts.clear();
        }
        let coordinated = self.concepts.len() <= MAX_COORDINATED && !self.concepts.is_empty();
        if coordinated {
            let mut clauses = vec![(TOccur::Must, query)];
            clauses.extend(self.concepts.iter().map(|c| {
                let coord: Box<dyn Query> =
                    Box::new(ConstScoreQuery::new(c.box_clone(), COORDINATION));
                (TOccur::Should, coord)
            }));
            query = Box::new(BooleanQuery::new(clauses));
        }
        let proximity = self.proximity(node);
        Ok(Compiled {
            query,
            proximity,
            patterns: self.patterns,
            entities: self.entities,
            concepts: self.concepts,
            coordinated,
        })
    }

    /// What a query demands of every hit whatever ranks it: its fielded values
    /// (`province:…`, `year:…`, `title:…`) and its required (`+word`, `AND`) and excluded
    /// (`-word`, `NOT …`) clauses. A search by meaning ranks passages without the query's
    /// free words, but never outside these. `None` when the query has only free words.
    pub fn restriction(mut self, node: &Node) -> Result<Option<Box<dyn Query>>, SearchError> {
        let restricts = |occur: Occur, node: &Node| {
            occur != Occur::Default || matches!(node, Node::Literal(l) if l.field.is_some())
        };
        let kept: Vec<(Occur, Node)> = match node {
            Node::And(clauses) => clauses
                .iter()
                .filter(|(occur, n)| restricts(*occur, n))
                .cloned()
                .collect(),
            n if restricts(Occur::Default, n) => vec![(Occur::Must, n.clone())],
            _ => Vec::new(),
        };
        if kept.is_empty() {
            return Ok(None);
        }
        self.node(&Node::And(kept), Mode::All, false)
    }

    /// A sloppy phrase of the top-level words, so passages where they stand close together
    /// rank above passages that merely contain them (Lucene's "phrase fields"). It only
    /// rescores passages the query already matched.
    fn proximity(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        let Node::And(clauses) = node else {
            return None;
        };
        let mut terms = Vec::new();
        for (occur, n) in clauses {
            if let (Occur::Default | Occur::Must, Node::Literal(lit)) = (occur, n)
                && lit.field.is_none()
                && !lit.prefix
            {
                for t in terms_of(&mut self.analyzer, &lit.text) {
                    terms.push(Term::from_field_text(self.fields.text, &t));
                }
            }
        }
        if terms.len() < 2 {
            return None;
        }
        let offsets = terms.into_iter().enumerate().collect();
        let phrase = PhraseQuery::new_with_offset_and_slop(offsets, PROXIMITY_SLOP);
        Some(Box::new(BoostQuery::new(Box::new(phrase), PROXIMITY_BOOST)))
    }

    fn node(
        &mut self,
        node: &Node,
        mode: Mode,
        negated: bool,
    ) -> Result<Option<Box<dyn Query>>, SearchError> {
        match node {
            Node::Literal(lit) => self.literal(lit, negated),
            Node::Or(nodes) => {
                let mut subs = Vec::new();
                self.depth += 1;
                for n in nodes {
                    if let Some(q) = self.node(n, mode, negated)? {
                        subs.push((TOccur::Should, q));
                    }
                }
                self.depth -= 1;
                Ok(match subs.len() {
                    0 => None,
                    1 => subs.pop().map(|(_, q)| q),
                    _ => Some(Box::new(BooleanQuery::new(subs))),
                })
            }
            Node::And(clauses) => {
                let top = self.depth == 0;
                self.depth += 1;
                let mut subs = Vec::new();
                let mut filtered = false;
                let mut word_required = false;
                let mut i = 0;
                while i < clauses.len() {
                    let (occur, n) = &clauses[i];
                    let is_not = *occur == Occur::MustNot;
                    // "Pakistani Taliban" typed as two words still names one group.
                    let (q, used) = match self.alias_run(&clauses[i..], negated ^ is_not) {
                        Some((q, used)) => (Some(q), used),
                        None => (self.node(n, mode, negated ^ is_not)?, 1),
                    };
                    i += used;
                    let Some(q) = q else {
                        continue;
                    };
                    let occur = match occur {
                        Occur::MustNot => TOccur::MustNot,
                        // A field value (`province:…`, `year:…`) is a filter in either mode.
                        _ if used == 1 && is_filter(n) => {
                            filtered = true;
                            TOccur::Must
                        }
                        Occur::Must => {
                            word_required = true;
                            TOccur::Must
                        }
                        Occur::Default => match mode {
                            Mode::All => TOccur::Must,
                            Mode::Any => TOccur::Should,
                        },
                    };
                    if top && occur == TOccur::Should {
                        self.concepts.push(q.box_clone());
                    }
                    subs.push((occur, q));
                }
                self.depth -= 1;
                if subs.is_empty() {
                    return Ok(None);
                }
                // Beside a filter, the optional words would be optional to the filter too (a
                // required clause makes the rest optional): at least one of them is required,
                // unless a `+word` already is.
                if filtered && !word_required {
                    let (optional, rest): (Vec<_>, Vec<_>) =
                        subs.into_iter().partition(|(o, _)| *o == TOccur::Should);
                    subs = rest;
                    match optional.len() {
                        0 => {}
                        1 => subs.extend(optional.into_iter().map(|(_, q)| (TOccur::Must, q))),
                        _ => subs.push((TOccur::Must, Box::new(BooleanQuery::new(optional)))),
                    }
                }
                if subs.iter().all(|(o, _)| *o == TOccur::MustNot) {
                    subs.push((TOccur::Must, all_passages(self.fields)));
                }
                Ok(Some(Box::new(BooleanQuery::new(subs))))
            }
        }
    }

    fn literal(
        &mut self,
        lit: &Literal,
        negated: bool,
    ) -> Result<Option<Box<dyn Query>>, SearchError> {
        let f = self.fields;
        let targets: Vec<(Field, f32)> = match lit.field.as_deref() {
            None => self.text_targets(),
            Some("text") => vec![(f.text, 1.0)],
            Some("title") => vec![(f.title, 1.0)],
            Some("section") => vec![(f.section, 1.0)],
            Some("doc") | Some("id") => {
                return Ok(Some(const_score(Box::new(TermQuery::new(
                    Term::from_field_text(f.doc_id, &lit.text),
                    IndexRecordOption::Basic,
                )))));
            }
            Some("date") | Some("year") => return self.date(lit).map(Some),
            Some(super::facets::COUNTRY) => {
                let paths = resolve_country(&lit.text).map_err(|e| self.bad_value(lit, e))?;
                return Ok(
                    EntityKind::places().map(|kind| facet_filter(self.fields, kind, &paths, false))
                );
            }
            Some(name) => {
                let Some(kind) = EntityKind::by_name(name) else {
                    return Err(self.unknown_field(lit, name).into());
                };
                let paths = resolve_entity(self.index, kind, &lit.text)?
                    .map_err(|e| self.bad_value(lit, e))?;
                return Ok(Some(facet_filter(self.fields, kind, &paths, false)));
            }
        };
        // A name's other spellings stand for the words in their order; `"a b"~N` asks for
        // the words themselves near each other, in any order, so it is never a name.
        if lit.field.is_none()
            && !lit.prefix
            && lit.within.is_none()
            && let Some(q) = self.expansion(&lit.text, negated)
        {
            return Ok(Some(q));
        }
        Ok(self.text_query(lit, &targets, negated))
    }

    /// A field value that names nothing, as an error at its column.
    fn bad_value(&self, lit: &Literal, e: Unknown) -> QueryError {
        QueryError::at(self.q, lit.span.start, e.message).with_hint(e.hint)
    }

    /// An alias of a group, force or place in a run of plain query words, longest first:
    /// the query for every spelling of it, and how many clauses it used.
    fn alias_run(
        &mut self,
        clauses: &[(Occur, Node)],
        negated: bool,
    ) -> Option<(Box<dyn Query>, usize)> {
        let words: Vec<&str> = clauses
            .iter()
            .take(MAX_ALIAS_WORDS)
            .map_while(|(occur, n)| match (occur, n) {
                (Occur::Default | Occur::Must, Node::Literal(l))
                    if l.field.is_none() && !l.quoted && !l.prefix =>
                {
                    Some(l.text.as_str())
                }
                _ => None,
            })
            .collect();
        if words.len() < 2
            || clauses[1..words.len()]
                .iter()
                .any(|(o, _)| *o != clauses[0].0)
        {
            return None;
        }
        (2..=words.len()).rev().find_map(|n| {
            self.expansion(&words[..n].join(" "), negated)
                .map(|q| (q, n))
        })
    }

    /// If `text` names one group, force or place: the words as typed, or any passage where
    /// the tagger found that entity under any spelling (one term on the mention keys), or a
    /// document whose title names it.
    fn expansion(&mut self, text: &str, negated: bool) -> Option<Box<dyn Query>> {
        let found = self.names.lookup(text);
        let mut kinds: Vec<EntityKind> = EntityKind::all().collect();
        kinds.sort_by_key(|k| k.spec().query_rank);
        let entity = kinds
            .into_iter()
            .map(|k| found.iter().filter(|e| e.kind == k).collect::<Vec<_>>())
            .find(|of_kind| !of_kind.is_empty())
            .filter(|of_kind| of_kind.len() == 1)?[0];
        let key = entity_key(entity.kind, &entity.parts);
        let typed = Literal {
            field: None,
            text: text.to_string(),
            quoted: true,
            prefix: false,
            within: None,
            span: 0..0,
            field_span: None,
        };
        let targets = self.text_targets();
        let mut alternatives: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = self.text_query(&typed, &targets, negated) {
            alternatives.push((TOccur::Should, q));
        }
        let term = |field| {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &key),
                IndexRecordOption::WithFreqs,
            )) as Box<dyn Query>
        };
        alternatives.push((TOccur::Should, term(self.fields.mention_keys)));
        alternatives.push((
            TOccur::Should,
            Box::new(BoostQuery::new(term(self.fields.title_keys), TITLE_BOOST)),
        ));
        if !negated {
            self.entities.push((entity.kind, entity.parts.clone()));
        }
        Some(Box::new(BooleanQuery::new(alternatives)))
    }

    fn text_targets(&self) -> Vec<(Field, f32)> {
        let f = self.fields;
        vec![
            (f.text, 1.0),
            (f.title, TITLE_BOOST),
            (f.section, SECTION_BOOST),
        ]
    }

    /// Words, a phrase or a prefix in the given fields.
    fn text_query(
        &mut self,
        lit: &Literal,
        targets: &[(Field, f32)],
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let pieces: Vec<Piece> = if lit.prefix {
            let mut t = terms(&mut self.prefix_analyzer, &lit.text);
            let last = t.pop();
            // Whole words before the prefix are stemmed like the index.
            let mut pieces: Vec<Piece> = t
                .iter()
                .flat_map(|w| terms(&mut self.analyzer, &lit.text[w.start..w.end]))
                .map(|w| Piece {
                    term: w.text,
                    prefix: false,
                })
                .collect();
            pieces.extend(last.map(|w| Piece {
                term: w.text,
                prefix: true,
            }));
            pieces
        } else {
            terms(&mut self.analyzer, &lit.text)
                .into_iter()
                .map(|t| Piece {
                    term: t.text,
                    prefix: false,
                })
                .collect()
        };
        if pieces.is_empty() {
            return None;
        }
        if !negated && matches!(lit.field.as_deref(), None | Some("text")) {
            match lit.within {
                Some(n) if pieces.len() > 1 => self.patterns.push_near(pieces.clone(), n),
                _ => self.patterns.push(pieces.clone()),
            }
        }
        let mut per_field: Vec<(TOccur, Box<dyn Query>)> = Vec::new();
        for &(field, boost) in targets {
            let terms: Vec<Term> = pieces
                .iter()
                .map(|p| Term::from_field_text(field, &p.term))
                .collect();
            let q: Box<dyn Query> = if lit.prefix {
                let mut q = PhrasePrefixQuery::new(terms);
                q.set_max_expansions(PREFIX_EXPANSIONS);
                Box::new(q)
            } else if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms.into_iter().next().expect("one term"),
                    IndexRecordOption::WithFreqs,
                ))
            } else if let Some(slop) = lit.within {
                near(terms, slop)
            } else {
                Box::new(PhraseQuery::new(terms))
            };
            let q: Box<dyn Query> = if boost == 1.0 {
                q
            } else {
                Box::new(BoostQuery::new(q, boost))
            };
            per_field.push((TOccur::Should, q));
        }
        Some(if per_field.len() == 1 {
            per_field.pop().expect("one field").1
        } else {
            Box::new(BooleanQuery::new(per_field))
        })
    }

    /// `date:2014`, `date:2014-12`, `year:2014`: passages whose document date overlaps.
    fn date(&self, lit: &Literal) -> Result<Box<dyn Query>, SearchError> {
        let date = super::query::date_value(self.q, lit)?;
        let (lo, hi) = date.bounds();
        // Document records carry dates too; a query clause must match passages only.
        Ok(Box::new(BooleanQuery::intersection(vec![
            date_overlap(self.fields, lo, hi),
            all_passages(self.fields),
        ])))
    }

    fn unknown_field(&self, lit: &Literal, name: &str) -> QueryError {
        let at = lit.field_span.as_ref().map_or(lit.span.start, |s| s.start);
        let err = QueryError::at(self.q, at, format!("unknown field {name:?}"));
        let fields = query_fields();
        match closest(name, fields.iter().map(|f| (*f, *f))) {
            Some(f) => err.with_hint(format!("did you mean {f}:?")),
            None => err.with_hint(format!(
                "fields are {}; put text with a colon in quotes",
                fields.join(", ")
            )),
        }
    }
}

/// A filter value that matched nothing, with advice.
pub(crate) struct Unknown {
    pub message: String,
    pub hint: String,
}

/// The facet paths a user's name for an entity of `kind` stands for; `Ok(Err(…))` when it
/// names nothing (with a suggestion), `Err` when the index's tables cannot be read.
pub(crate) fn resolve_entity(
    index: &DurandIndex,
    kind: EntityKind,
    value: &str,
) -> Result<Result<Vec<Vec<String>>, Unknown>, IndexError> {
    let found = index.names()?.resolve(kind, value);
    if found.is_empty() {
        // Only a mistake pays for loading the whole table.
        return Ok(Err(unknown_entity(index.table()?, kind, value)));
    }
    Ok(Ok(found.into_iter().map(|e| e.parts).collect()))
}

/// A name `table` does not know for `kind`, with the closest it does.
pub(crate) fn unknown_entity(table: &Table, kind: EntityKind, value: &str) -> Unknown {
    let hint = match table.closest(kind, value) {
        Some(name) => format!("did you mean {name}?"),
        None => format!("`durand facets {kind}` lists the known values"),
    };
    Unknown {
        message: format!("unknown {kind} {value:?}"),
        hint,
    }
}

/// The facet path of a country name.
pub(crate) fn resolve_country(value: &str) -> Result<Vec<Vec<String>>, Unknown> {
    ["Afghanistan", "Pakistan"]
        .iter()
        .find(|c| c.eq_ignore_ascii_case(value.trim()))
        .map(|c| vec![vec![c.to_string()]])
        .ok_or_else(|| Unknown {
            message: format!("unknown country {value:?}"),
            hint: "countries are Afghanistan and Pakistan".to_string(),
        })
}

/// Passages of documents (or, `in_passage`, passages) tagged with any of `paths`.
pub(crate) fn facet_filter(
    fields: &Fields,
    kind: EntityKind,
    paths: &[Vec<String>],
    in_passage: bool,
) -> Box<dyn Query> {
    let field = fields.entity(kind, in_passage);
    let alternatives = paths
        .iter()
        .map(|p| {
            let term = Term::from_facet(field, &Facet::from_path(p));
            (
                TOccur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    const_score(Box::new(BooleanQuery::new(alternatives)))
}

fn terms_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    terms(analyzer, text).into_iter().map(|t| t.text).collect()
}

/// Passages whose document date interval overlaps `[lo, hi]` (both `YYYYMMDD`).
pub(crate) fn date_overlap(fields: &Fields, lo: u64, hi: u64) -> Box<dyn Query> {
    let starts_before_end = RangeQuery::new(
        Bound::Unbounded,
        Bound::Included(Term::from_field_u64(fields.date_lo, hi)),
    );
    let ends_after_start = RangeQuery::new(
        Bound::Included(Term::from_field_u64(fields.date_hi, lo)),
        Bound::Unbounded,
    );
    const_score(Box::new(BooleanQuery::intersection(vec![
        Box::new(starts_before_end),
        Box::new(ends_after_start),
    ])))
}
