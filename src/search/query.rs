//! The query language: words, `"phrases"`, `"words near"~N` (within N positions, any order),
//! `-exclude` / `NOT`, `+require`, `AND`, `OR`, `( … )`, `field:value`, `prefix*`.
//!
//! durand parses it itself rather than through tantivy's grammar because the grammar reads a
//! lone `AND` as a word and carries no positions, while durand's users need every mistake
//! reported with its column ("unclosed quote at column 1") and field values resolved against
//! durand's own fields. The parser never panics (see the proptest below).

use std::fmt;
use std::ops::Range;

/// A malformed query. `column` is 1-based and counts characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad query: {message} at column {column}{hint}")]
pub struct QueryError {
    pub message: String,
    pub column: usize,
    /// Optional advice, already prefixed with "; ".
    pub hint: String,
}

impl QueryError {
    pub fn at(query: &str, byte: usize, message: impl Into<String>) -> Self {
        let column = query
            .get(..byte.min(query.len()))
            .map_or(1, |s| s.chars().count() + 1);
        QueryError {
            message: message.into(),
            column,
            hint: String::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl fmt::Display) -> Self {
        self.hint = format!("; {hint}");
        self
    }
}

/// How a clause takes part in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occur {
    /// Plain juxtaposition: required in `all` mode, optional in `any` mode.
    Default,
    /// `+word`, or an operand of `AND`.
    Must,
    /// `-word` or `NOT word`.
    MustNot,
}

/// One literal: a word, a phrase or a prefix, maybe for a named field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub field: Option<String>,
    pub text: String,
    pub quoted: bool,
    pub prefix: bool,
    /// `"a b"~N`: the words within N positions of each other, in any order.
    pub within: Option<u32>,
    /// Byte range of the whole literal in the query (field name included).
    pub span: Range<usize>,
    /// Byte range of the field name, when there is one.
    pub field_span: Option<Range<usize>>,
}

/// The date a `date:` or `year:` literal names, or the error at its column.
pub fn date_value(query: &str, lit: &Literal) -> Result<crate::date::PartialDate, QueryError> {
    crate::date::PartialDate::parse_iso(&lit.text).ok_or_else(|| {
        QueryError::at(
            query,
            lit.span.start,
            format!("{:?} is not a date", lit.text),
        )
        .with_hint("write YYYY, YYYY-MM or YYYY-MM-DD")
    })
}

/// The parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Literal(Literal),
    /// Clauses combined by juxtaposition / `AND`.
    And(Vec<(Occur, Node)>),
    /// Alternatives; at least two.
    Or(Vec<Node>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    /// Text, prefix `*`, proximity `~N`.
    Phrase(String, bool, Option<u32>),
    Field(String, Range<usize>),
    Plus,
    Minus,
    And,
    Or,
    Not,
    Open,
    Close,
}

/// What separates words in a query: white space, and control characters (an escape pasted
/// from a terminal), which cleaning also turns into spaces in the documents.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn lex(q: &str) -> Result<Vec<(Tok, Range<usize>)>, QueryError> {
    let mut out = Vec::new();
    let mut chars = q.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if is_space(c) {
            chars.next();
            continue;
        }
        match c {
            '(' | ')' => {
                chars.next();
                let tok = if c == '(' { Tok::Open } else { Tok::Close };
                out.push((tok, i..i + 1));
                if c == ')'
                    && let Some(&(j, d)) = chars.peek().filter(|(_, d)| matches!(d, '~' | '^'))
                {
                    return Err(QueryError::at(q, j, format!("'{d}' cannot follow a group"))
                        .with_hint(suffix_hint(d)));
                }
            }
            '"' => {
                chars.next();
                let mut end = None;
                for (j, d) in chars.by_ref() {
                    if d == '"' {
                        end = Some(j);
                        break;
                    }
                }
                let Some(end) = end else {
                    return Err(QueryError::at(q, i, "unclosed quote")
                        .with_hint("add the closing \" after the phrase"));
                };
                let prefix = chars.peek().is_some_and(|&(_, d)| d == '*');
                let mut stop = end + 1;
                if prefix {
                    chars.next();
                    stop += 1;
                }
                let mut within = None;
                if chars.peek().is_some_and(|&(_, d)| d == '~') {
                    let tilde = stop;
                    chars.next();
                    stop += 1;
                    let mut digits = String::new();
                    while let Some(&(_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                        digits.push(d);
                        chars.next();
                        stop += 1;
                    }
                    // A fraction is not a distance ("~1.5").
                    if chars.peek().is_some_and(|&(_, d)| d == '.') {
                        digits.push('x');
                    }
                    let hint = format!("write \"word1 word2\"~N with N from 0 to {MAX_WITHIN}");
                    if digits.is_empty() || digits.ends_with('x') {
                        return Err(
                            QueryError::at(q, tilde, "'~' needs a distance").with_hint(hint)
                        );
                    }
                    let Some(n) = digits.parse::<u32>().ok().filter(|n| *n <= MAX_WITHIN) else {
                        let message =
                            format!("a distance of {digits} words is more than {MAX_WITHIN}");
                        return Err(QueryError::at(q, tilde, message).with_hint(hint));
                    };
                    if prefix {
                        return Err(QueryError::at(q, tilde, "a prefix phrase cannot be sloppy")
                            .with_hint("drop the * or the ~N"));
                    }
                    within = Some(n);
                }
                if let Some(&(j, '^')) = chars.peek() {
                    return Err(QueryError::at(
                        q,
                        j,
                        "'^' (boosting) is not part of the query language",
                    )
                    .with_hint(suffix_hint('^')));
                }
                out.push((
                    Tok::Phrase(q[i + 1..end].to_string(), prefix, within),
                    i..stop,
                ));
            }
            '+' | '-' => {
                chars.next();
                let attached = chars.peek().is_some_and(|&(_, d)| !is_space(d) && d != ')');
                if !attached {
                    return Err(
                        QueryError::at(q, i, format!("'{c}' is not followed by a word"))
                            .with_hint(format!("write {c}word with no space")),
                    );
                }
                out.push((if c == '+' { Tok::Plus } else { Tok::Minus }, i..i + 1));
            }
            _ => {
                let start = i;
                let mut end = start;
                while let Some(&(j, d)) = chars.peek() {
                    if is_space(d) || matches!(d, '(' | ')' | '"') {
                        break;
                    }
                    // `field:` ends a word so a phrase or group may follow.
                    chars.next();
                    end = j + d.len_utf8();
                    if d == ':' && is_field_name(&q[start..j]) {
                        break;
                    }
                }
                let word = &q[start..end];
                // Other engines' fuzzy (`word~2`) and boost (`word^2`) suffixes: not durand's
                // (read as words, they would find nothing and say nothing).
                // A number or a symbol before the mark is text ("2^10", "mc^2").
                for (mark, what) in [
                    ('~', "'~N' follows a quoted phrase, not a word"),
                    ('^', "'^' (boosting) is not part of the query language"),
                ] {
                    if let Some((head, tail)) = word.rsplit_once(mark)
                        && head
                            .rsplit(|c: char| !c.is_alphanumeric())
                            .next()
                            .is_some_and(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
                        && tail
                            .chars()
                            .all(|c| c.is_ascii_digit() || c == '.' || c == '*')
                    {
                        return Err(QueryError::at(q, start + head.len(), what)
                            .with_hint(suffix_hint(mark)));
                    }
                }
                let tok = match word {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    w if w.ends_with(':') && is_field_name(&w[..w.len() - 1]) => {
                        Tok::Field(w[..w.len() - 1].to_ascii_lowercase(), start..end - 1)
                    }
                    w => Tok::Word(w.to_string()),
                };
                out.push((tok, start..end));
            }
        }
    }
    Ok(out)
}

/// What to write instead of another engine's `~` (fuzzy, or proximity) or `^` (boost).
fn suffix_hint(mark: char) -> &'static str {
    if mark == '~' {
        "write \"word1 word2\"~N for words near each other; names match their other spellings already"
    } else {
        "drop the ^ (and any number after it)"
    }
}

fn is_field_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

struct Parser<'q> {
    q: &'q str,
    toks: Vec<(Tok, Range<usize>)>,
    pos: usize,
    /// Brackets open at this point.
    depth: usize,
}

/// Deepest bracket nesting accepted: far beyond any real query, and shallow enough that
/// parsing and compiling the tree cannot exhaust the stack.
const MAX_DEPTH: usize = 32;
/// The most words a query may hold (Lucene's default clause limit): each becomes clauses over
/// several fields, and a pasted book of a query would take gigabytes to compile.
pub const MAX_WORDS: usize = 1024;
/// The largest distance `"a b"~N` takes.
pub const MAX_WITHIN: u32 = 100;

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn span(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.q.len()..self.q.len(), |(_, s)| s.clone())
    }

    fn err(&self, message: impl Into<String>) -> QueryError {
        QueryError::at(self.q, self.span().start, message)
    }

    fn or_expr(&mut self) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.and_expr(false)?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            alternatives.push(self.and_expr(true)?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().expect("one alternative")
        } else {
            Node::Or(alternatives)
        })
    }

    /// A run of clauses; `after_or` when an `OR` precedes it (for error messages).
    fn and_expr(&mut self, after_or: bool) -> Result<Node, QueryError> {
        let mut clauses: Vec<(Occur, Node)> = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close) | Some(Tok::Or) => break,
                Some(Tok::And) => {
                    if clauses.is_empty() {
                        return Err(self.err("AND needs a term on each side"));
                    }
                    self.pos += 1;
                    if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
                        let at = self.toks[self.pos - 1].1.start;
                        return Err(QueryError::at(self.q, at, "AND needs a term on each side"));
                    }
                    if let Some(last) = clauses.last_mut()
                        && last.0 == Occur::Default
                    {
                        last.0 = Occur::Must;
                    }
                    let (occur, node) = self.unary()?;
                    let occur = if occur == Occur::Default {
                        Occur::Must
                    } else {
                        occur
                    };
                    clauses.push((occur, node));
                }
                _ => clauses.push(self.unary()?),
            }
        }
        if clauses.is_empty() {
            return Err(self.empty_clause(after_or));
        }
        Ok(if clauses.len() == 1 && clauses[0].0 == Occur::Default {
            clauses.pop().expect("one clause").1
        } else {
            Node::And(clauses)
        })
    }

    /// The error for a place where a clause was expected and none came.
    fn empty_clause(&self, after_or: bool) -> QueryError {
        let previous = self.pos.checked_sub(1).map(|i| &self.toks[i]);
        if after_or {
            let at = previous.map_or(0, |(_, s)| s.start);
            return QueryError::at(self.q, at, "OR needs a term on each side");
        }
        match (self.peek(), previous) {
            (Some(Tok::Or), _) => self.err("OR needs a term on each side"),
            (Some(Tok::Close), Some((Tok::Open, _))) => self.err("nothing inside ( )"),
            (Some(Tok::Close), _) => self.err("unmatched )"),
            (None, Some((Tok::Open, s))) => QueryError::at(self.q, s.start, "unclosed ("),
            _ => self.err("empty query"),
        }
    }

    fn unary(&mut self) -> Result<(Occur, Node), QueryError> {
        let occur = match self.peek() {
            Some(Tok::Plus) => Occur::Must,
            Some(Tok::Minus) | Some(Tok::Not) => Occur::MustNot,
            _ => return Ok((Occur::Default, self.primary()?)),
        };
        let op = self.toks[self.pos].clone();
        self.pos += 1;
        let name = if op.0 == Tok::Not {
            "NOT"
        } else {
            "'-' or '+'"
        };
        // "NOT NOT kabul", "-+kabul": a term does follow, past a second operator.
        if matches!(self.peek(), Some(Tok::Not | Tok::Plus | Tok::Minus)) {
            let next = self.toks[self.pos].1.clone();
            return Err(QueryError::at(
                self.q,
                next.start,
                format!("{} cannot follow {name}: give one", &self.q[next]),
            ));
        }
        if matches!(self.peek(), None | Some(Tok::Close | Tok::Or | Tok::And)) {
            return Err(QueryError::at(
                self.q,
                op.1.start,
                format!("{name} needs a term after it"),
            ));
        }
        Ok((occur, self.primary()?))
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        let (tok, span) = self.toks[self.pos].clone();
        self.pos += 1;
        match tok {
            Tok::Open => {
                if self.depth == MAX_DEPTH {
                    return Err(QueryError::at(
                        self.q,
                        span.start,
                        format!("brackets nested more than {MAX_DEPTH} deep"),
                    ));
                }
                self.depth += 1;
                let node = self.or_expr()?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::Close) {
                    return Err(QueryError::at(self.q, span.start, "unclosed ("));
                }
                self.pos += 1;
                Ok(node)
            }
            Tok::Word(w) => literal(self.q, None, w, false, span),
            Tok::Phrase(p, prefix, within) => Ok(Node::Literal(Literal {
                field: None,
                text: p,
                quoted: true,
                prefix,
                within,
                span: span.clone(),
                field_span: None,
            })),
            Tok::Field(name, name_span) => {
                let value = self.toks.get(self.pos).cloned();
                match value {
                    Some((Tok::Word(w), vspan)) if vspan.start == span.end => {
                        self.pos += 1;
                        literal(
                            self.q,
                            Some((name, name_span)),
                            w,
                            false,
                            span.start..vspan.end,
                        )
                    }
                    Some((Tok::Phrase(p, prefix, within), vspan)) if vspan.start == span.end => {
                        self.pos += 1;
                        Ok(Node::Literal(Literal {
                            field: Some(name),
                            text: p,
                            quoted: true,
                            prefix,
                            within,
                            span: span.start..vspan.end,
                            field_span: Some(name_span),
                        }))
                    }
                    _ => Err(
                        QueryError::at(self.q, span.start, format!("{name}: needs a value"))
                            .with_hint(format!("write {name}:word or {name}:\"some words\"")),
                    ),
                }
            }
            Tok::Close => Err(QueryError::at(self.q, span.start, "unmatched )")),
            Tok::And | Tok::Or => Err(QueryError::at(
                self.q,
                span.start,
                format!("{} needs a term on each side", &self.q[span]),
            )),
            Tok::Plus | Tok::Minus | Tok::Not => Err(QueryError::at(
                self.q,
                span.start,
                "operator needs a term after it",
            )),
        }
    }
}

fn literal(
    q: &str,
    field: Option<(String, Range<usize>)>,
    word: String,
    quoted: bool,
    span: Range<usize>,
) -> Result<Node, QueryError> {
    let (text, prefix) = match word.strip_suffix('*') {
        Some(stem) => (stem.to_string(), true),
        None => (word, false),
    };
    if prefix && (text.is_empty() || text.ends_with('*')) {
        return Err(QueryError::at(
            q,
            span.start,
            "a prefix needs letters before the *",
        ));
    }
    let (field, field_span) = match field {
        Some((f, s)) => (Some(f), Some(s)),
        None => (None, None),
    };
    Ok(Node::Literal(Literal {
        field,
        text,
        quoted,
        prefix,
        within: None,
        span,
        field_span,
    }))
}

/// Parses a query.
pub fn parse(query: &str) -> Result<Node, QueryError> {
    let toks = lex(query)?;
    let words: usize = toks
        .iter()
        .map(|(t, _)| match t {
            Tok::Word(_) => 1,
            Tok::Phrase(text, ..) => text.split_whitespace().count(),
            _ => 0,
        })
        .sum();
    too_many_words(query, words)?;
    let mut parser = Parser {
        q: query,
        toks,
        pos: 0,
        depth: 0,
    };
    let node = parser.or_expr()?;
    match parser.peek() {
        None => Ok(node),
        Some(Tok::Close) => Err(parser.err("unmatched )")),
        Some(_) => Err(parser.err("unexpected input")),
    }
}

/// A query of more than [`MAX_WORDS`] words is refused.
fn too_many_words(query: &str, words: usize) -> Result<(), QueryError> {
    if words > MAX_WORDS {
        return Err(QueryError::at(
            query,
            0,
            format!("the query has {words} words; at most {MAX_WORDS} are searched — shorten it"),
        ));
    }
    Ok(())
}

/// Reads `text` as plain words, with no query syntax at all: quotes, brackets, colons,
/// `+`/`-` and `AND`/`OR`/`NOT` are just text (evaluation queries are sentences).
pub fn parse_plain(text: &str) -> Result<Node, QueryError> {
    let mut clauses = Vec::new();
    let mut offset = 0;
    for piece in text.split_inclusive(is_space) {
        let word = piece.trim_end_matches(is_space);
        if !word.is_empty() {
            clauses.push((
                Occur::Default,
                Node::Literal(Literal {
                    field: None,
                    text: word.to_string(),
                    quoted: false,
                    prefix: false,
                    within: None,
                    span: offset..offset + word.len(),
                    field_span: None,
                }),
            ));
        }
        offset += piece.len();
    }
    too_many_words(text, clauses.len())?;
    match clauses.len() {
        0 => Err(QueryError::at(text, 0, "empty query")),
        1 => Ok(clauses.pop().expect("one clause").1),
        _ => Ok(Node::And(clauses)),
    }
}

impl Node {
    /// Every literal, with whether it sits under a negation.
    pub fn literals(&self) -> Vec<(&Literal, bool)> {
        let mut out = Vec::new();
        self.walk(false, &mut out);
        out
    }

    fn walk<'a>(&'a self, negated: bool, out: &mut Vec<(&'a Literal, bool)>) {
        match self {
            Node::Literal(l) => out.push((l, negated)),
            Node::And(clauses) => {
                for (occur, node) in clauses {
                    node.walk(negated ^ (*occur == Occur::MustNot), out);
                }
            }
            Node::Or(nodes) => {
                for node in nodes {
                    node.walk(negated, out);
                }
            }
        }
    }

    /// Whether "any word" mode can match more than "all words": some top-level clause is
    /// optional in it (a plain word) and something else is positive beside it
    /// (`hot pursuit`, `drone +haqqani`; not `drone` or `drone -strike`).
    pub fn any_mode_differs(&self) -> bool {
        match self {
            Node::And(clauses) => {
                let plain = clauses.iter().filter(|(o, _)| *o == Occur::Default).count();
                let positive = clauses.iter().filter(|(o, _)| *o != Occur::MustNot).count();
                plain >= 1 && positive >= 2
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn err(q: &str) -> QueryError {
        parse(q).expect_err(q)
    }

    fn words(node: &Node) -> Vec<String> {
        node.literals()
            .iter()
            .map(|(l, neg)| format!("{}{}", if *neg { "-" } else { "" }, l.text))
            .collect()
    }

    #[test]
    fn words_phrases_and_operators() {
        let n = parse("hot pursuit").unwrap();
        assert!(n.any_mode_differs());
        assert!(parse("drone +haqqani").unwrap().any_mode_differs());
        assert!(!parse("drone -strike").unwrap().any_mode_differs());
        assert!(!parse("+drone +strike").unwrap().any_mode_differs());
        assert!(!parse("drone").unwrap().any_mode_differs());
        let n = parse("\"hammer and anvil\" -drone +kunar").unwrap();
        assert_eq!(words(&n), vec!["hammer and anvil", "-drone", "kunar"]);
        let Node::And(clauses) = &n else { panic!() };
        assert_eq!(clauses[2].0, Occur::Must);
        let n = parse("ttp OR taliban").unwrap();
        assert!(matches!(n, Node::Or(ref v) if v.len() == 2));
        let n = parse("a AND b").unwrap();
        let Node::And(clauses) = &n else { panic!() };
        assert!(clauses.iter().all(|(o, _)| *o == Occur::Must));
        assert_eq!(
            words(&parse("NOT drone strike").unwrap()),
            vec!["-drone", "strike"]
        );
    }

    #[test]
    fn control_characters_separate_words() {
        assert_eq!(words(&parse("kunar\x1bfoo").unwrap()), vec!["kunar", "foo"]);
        // A control character after `-` is a space: the sign is followed by no word.
        assert!(parse("-\x07kunar").is_err());
        assert_eq!(
            words(&parse_plain("kunar\x1bfoo\x00").unwrap()),
            vec!["kunar", "foo"]
        );
    }

    #[test]
    fn fields_and_prefixes() {
        let n = parse("title:kunar \"cross bord\"* kill*").unwrap();
        let lits = n.literals();
        assert_eq!(lits[0].0.field.as_deref(), Some("title"));
        assert!(lits[1].0.prefix && lits[1].0.quoted);
        assert!(lits[2].0.prefix && lits[2].0.text == "kill");
        let n = parse("section:\"Pakistani pressure\"").unwrap();
        assert_eq!(n.literals()[0].0.text, "Pakistani pressure");
    }

    #[test]
    fn hyphenated_and_clock_words_are_words() {
        let n = parse("Tehrik-i-Taliban 10:30").unwrap();
        assert_eq!(words(&n), vec!["Tehrik-i-Taliban", "10:30"]);
    }

    #[test]
    fn malformed_queries_name_the_column() {
        assert_eq!(err("\"unclosed").column, 1);
        assert!(err("\"unclosed").message.contains("unclosed quote"));
        assert!(err("AND").message.contains("AND needs a term"));
        assert!(err("kunar AND").message.contains("AND needs a term"));
        assert_eq!(err("kunar AND").column, 7);
        assert!(err("title:").message.contains("title: needs a value"));
        assert!(err("OR ttp").message.contains("OR needs a term"));
        assert!(err("ttp OR").message.contains("OR needs a term"));
        assert!(err("(ttp").message.contains("unclosed ("));
        assert!(err("ttp)").message.contains("unmatched )"));
        assert!(err("- ttp").message.contains("not followed"));
        assert!(err("*").message.contains("prefix"));
        assert!(err("").message.contains("empty query"));
        assert!(err("   ").message.contains("empty query"));
        assert!(err("()").message.contains("nothing inside"));
        assert!(err("NOT").message.contains("NOT needs"));
        assert_eq!(err("café \"x").column, 6);
        assert!(err("\"a b\"~").message.contains("'~' needs a distance"));
        assert!(err("\"a b\"~101").message.contains("more than 100"));
        assert!(err("\"a b\"~4294967296").message.contains("more than 100"));
        assert!(err("kunar~3").message.contains("follows a quoted phrase"));
        assert!(err("kunar~").message.contains("follows a quoted phrase"));
        assert!(err("kunar^2").message.contains("boosting"));
        assert!(err("kunar~2*").message.contains("follows a quoted phrase"));
        assert!(err("\"hot pursuit\"^2").message.contains("boosting"));
        assert!(err("\"hot pursuit\"~2^3").message.contains("boosting"));
        assert!(err("(kunar)^2").message.contains("cannot follow a group"));
        assert!(
            err("(kunar OR bajaur)~2")
                .message
                .contains("cannot follow a group")
        );
        assert!(
            err("\"hot pursuit\"~1.5")
                .message
                .contains("'~' needs a distance")
        );
        // A number or a symbol before the mark is text.
        assert!(parse("2^10 strikes").is_ok());
        assert!(parse("e=mc^2 C^2 x~2").is_ok());
        assert_eq!(err("\"a b\"~").column, 6);
        assert!(err("\"a b\"*~2").message.contains("cannot be sloppy"));
    }

    #[test]
    fn near_phrases_carry_their_distance() {
        let n = parse("\"drone strike\"~3 kunar").unwrap();
        let lits = n.literals();
        assert_eq!(lits[0].0.within, Some(3));
        assert_eq!(lits[0].0.text, "drone strike");
        assert_eq!(lits[1].0.within, None);
        let n = parse("title:\"drone strike\"~0").unwrap();
        assert_eq!(n.literals()[0].0.within, Some(0));
    }

    #[test]
    fn plain_text_has_no_syntax() {
        let n = parse_plain("AMPK (AND) -activation: \"reduces\" NOT fibrosis*").unwrap();
        assert_eq!(
            words(&n),
            vec![
                "AMPK",
                "(AND)",
                "-activation:",
                "\"reduces\"",
                "NOT",
                "fibrosis*"
            ]
        );
        assert!(parse_plain("  ").is_err());
    }

    #[test]
    fn a_query_of_more_than_max_words_is_refused() {
        let words = |n: usize| "kabul ".repeat(n);
        assert!(parse(&words(MAX_WORDS)).is_ok());
        assert!(parse_plain(&words(MAX_WORDS)).is_ok());
        for q in [
            words(MAX_WORDS + 1),
            format!("\"{}\"", words(MAX_WORDS + 1)),
            words(100_000),
        ] {
            assert!(
                err(&q).message.contains("at most 1024"),
                "{}",
                err(&q).message
            );
        }
        let e = parse_plain(&words(MAX_WORDS + 1)).unwrap_err();
        assert!(e.message.contains("has 1025 words"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = |n: usize, open: &str| format!("{}a{}", open.repeat(n), ")".repeat(n));
        assert!(parse(&deep(MAX_DEPTH, "(")).is_ok());
        for q in [
            deep(MAX_DEPTH + 1, "("),
            deep(100_000, "("),
            deep(100_000, "-("),
            "(".repeat(100_000) + "a",
        ] {
            assert!(err(&q).message.contains("nested"), "{}", err(&q).message);
        }
    }

    proptest! {
        #[test]
        fn never_panics(q in "\\PC{0,40}") {
            let _ = parse(&q);
        }

        #[test]
        fn never_panics_on_operator_soup(q in "[a-z\"()*:+\\- ]{0,12}|(AND|OR|NOT|title:|x| |\\(|\\)|\"){0,8}") {
            let _ = parse(&q);
        }
    }
}
