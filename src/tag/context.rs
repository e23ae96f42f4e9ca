//! The words around a name that decide what it names. A place name can be a person
//! (Prime Minister Kakar), a cricket team (Peshawar Zalmi), an institution (Khyber Medical
//! College), a government (Islamabad says) or a namesake abroad (Hyderabad, India); a bare
//! "Taliban" or "police" means different things in different places. These rules read the
//! words next to a match, its sentence, and the country evidence of its passage.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::text::{Folded, after_last, ends_sentence_at, is_apostrophe, is_hyphen};

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

pub(super) fn on_word_boundaries(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// The word before `at` (letters and apostrophes; spaces and hyphens skipped), as written.
fn raw_word_before(text: &str, at: usize) -> &str {
    &text[word_span_before(text, at)]
}

/// Where the word before `at` lies (empty when punctuation comes first).
fn word_span_before(text: &str, at: usize) -> Range<usize> {
    let head = text[..at].trim_end_matches(|c: char| c.is_whitespace() || is_hyphen(c));
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || is_apostrophe(*c))
        .last()
        .map_or(head.len(), |(i, _)| i);
    start..head.len()
}

/// The word before `at`, lower-cased.
pub(super) fn word_before(text: &str, at: usize) -> String {
    raw_word_before(text, at).to_lowercase()
}

/// The two words before `at`, lower-cased, nearest first.
fn words_before(text: &str, at: usize, n: usize) -> Vec<String> {
    let from = text.floor_char_boundary(at.saturating_sub(120));
    text[from..at]
        .split(|c: char| !c.is_alphanumeric() && !is_apostrophe(c))
        .filter(|w| !w.is_empty())
        .rev()
        .take(n)
        .map(str::to_lowercase)
        .collect()
}

/// The first `n` words after `at`, lower-cased, within one sentence.
fn words_after(text: &str, at: usize, n: usize) -> Vec<String> {
    let to = text.ceil_char_boundary((at + 120).min(text.len()));
    let tail = &text[at..to];
    let tail = &tail[..tail.find(['.', '!', '?', '\n']).unwrap_or(tail.len())];
    tail.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(n)
        .map(str::to_lowercase)
        .collect()
}

/// The word after `at` (hyphens and spaces skipped), lower-cased.
pub(super) fn word_after(text: &str, at: usize) -> String {
    text[word_span_after(text, at)].to_lowercase()
}

/// Where the word after `at` lies in `text` (past spaces and hyphens; empty when none).
fn word_span_after(text: &str, at: usize) -> Range<usize> {
    let tail = &text[at..];
    let start = at + tail.len()
        - tail
            .trim_start_matches(|c: char| c.is_whitespace() || is_hyphen(c))
            .len();
    let len: usize = text[start..]
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    start..start + len
}

/// The word after a possessive `'s` that follows `at`, if there is one ("Kabul's streets").
fn word_after_possessive(text: &str, at: usize) -> Option<String> {
    let rest = &text[at..];
    let mut chars = rest.chars();
    let apostrophe = chars.next().filter(|c| is_apostrophe(*c))?;
    let after = rest[apostrophe.len_utf8()..].strip_prefix('s')?;
    Some(word_after(after, 0))
}

/// Words within `n` words either side of a range.
pub(super) fn words_near(text: &str, range: &Range<usize>, n: usize) -> Vec<String> {
    let mut out = words_before(text, range.start, n);
    out.extend(
        text[range.end..text.ceil_char_boundary((range.end + 120).min(text.len()))]
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(n)
            .map(str::to_lowercase),
    );
    out
}

/// The sentence around a range: from the last sentence end before it to the next after it,
/// at most a few hundred bytes either way, ended as [`ends_sentence_at`] says.
fn sentence(text: &str, range: &Range<usize>) -> Range<usize> {
    let from = text.floor_char_boundary(range.start.saturating_sub(300));
    let to = text.ceil_char_boundary((range.end + 300).min(text.len()));
    let start = (from..range.start)
        .rev()
        .find(|&i| ends_sentence_at(text, i))
        .map_or(from, |i| i + 1);
    let end = (range.end..to)
        .find(|&i| ends_sentence_at(text, i))
        .unwrap_or(to);
    start..end
}

/// Words before a place that make it a place ("in Tank", "fled Kabul").
const LOCATIVES: &[&str] = &[
    "in", "at", "near", "around", "outside", "inside", "into", "within", "across", "from", "via",
    "fled", "towards", "toward", "of", "to",
];
/// Words after a place that make it a place ("Tank district").
const PLACE_NOUNS: &[&str] = &[
    "province",
    "district",
    "districts",
    "city",
    "valley",
    "agency",
    "region",
    "area",
    "town",
    "tehsil",
    "division",
    "cantonment",
    "airport",
    "village",
    "border",
    "police",
    "bazaar",
];
/// A place right after one of these is another country's (Indian Punjab).
const FOREIGN: &[&str] = &[
    "indian",
    "india's",
    "iranian",
    "iran's",
    "sistan",
    "bangladeshi",
];
/// "Hyderabad, India", "Panjab Province, Pakistan": a place followed by a country other than
/// its own is that country's.
const COUNTRIES: &[&str] = &[
    "afghanistan",
    "pakistan",
    "india",
    "iran",
    "bangladesh",
    "china",
    "nepal",
];
/// A city followed by one of these is a cricket team (Quetta Gladiators, Peshawar Zalmi).
const TEAM_NAMES: &[&str] = &[
    "gladiators",
    "zalmi",
    "qalandars",
    "kings",
    "united",
    "sultans",
];
/// Whether a place name ending at `end` names a cricket team ("Quetta Gladiators",
/// "Islamabad United", the team word capitalised): in a document that does, the city's bare
/// name is the team too ("Islamabad defeat Quetta Gladiators by 1 run … the victory for
/// Quetta").
pub(super) fn names_a_team(text: &str, end: usize) -> bool {
    let span = word_span_after(text, end);
    TEAM_NAMES.contains(&text[span.clone()].to_lowercase().as_str())
        && text[span].starts_with(char::is_uppercase)
}

/// A place name after a title is a person's name (Prime Minister Kakar, Maulana Shinwari).
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "dr",
    "pm",
    "cm",
    "governor",
    "gov",
    "senator",
    "sen",
    "maulana",
    "mufti",
    "general",
    "gen",
    "lt",
    "col",
    "colonel",
    "major",
    "brigadier",
    "minister",
    "president",
    "premier",
    "justice",
    "sheikh",
    "sardar",
    "nawab",
    "haq",
    "ul",
    "mullah",
    "qari",
    "hafiz",
    "syed",
    "sayed",
    // Baloch and Sindhi notables: "Mir Ali Mardan Khan Domki", "Mir Hazar Khan".
    "mir",
];
/// A place name before one of these names an institution, not the place (Khyber Medical
/// College is in Peshawar).
const INSTITUTION_WORDS: &[&str] = &[
    "medical",
    "teaching",
    "mail",
    "bank",
    "college",
    "university",
    "varsity",
    "news",
    "pro",
    "times",
    "express",
];
/// A capital before one of these stands for its government ("Islamabad says").
const GOVERNMENT_VERBS: &[&str] = &[
    "says",
    "said",
    "say",
    "denies",
    "denied",
    "deny",
    "accuses",
    "accused",
    "accuse",
    "wants",
    "wanted",
    "urges",
    "urged",
    "asks",
    "asked",
    "blames",
    "blamed",
    "rejects",
    "rejected",
    "claims",
    "claimed",
    "insists",
    "insisted",
    "warns",
    "warned",
    "demands",
    "demanded",
    "believes",
    "hopes",
    "expects",
    "fears",
    "refuses",
    "refused",
    "must",
    "should",
    "would",
    "will",
    "sees",
    "considers",
    "responded",
    "responds",
    "condemned",
    "condemns",
    "renewed",
    "renews",
    "reiterated",
    "reiterates",
    "called",
    "calls",
    "announced",
    "maintains",
    "maintained",
    "stressed",
    "argues",
    "argued",
    "agreed",
    "agrees",
    "reported",
    "reports",
];
/// Words between a capital and its verb that do not change who acts ("Kabul has denied").
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "was",
    "also",
    "again",
    "repeatedly",
    "always",
    "long",
    "not",
    "never",
    "now",
    "already",
    "previously",
];
/// A capital's possessive before one of these is its government's ("Islamabad's policy").
const GOVERNMENT_NOUNS: &[&str] = &[
    "policy",
    "policies",
    "government",
    "stance",
    "position",
    "relations",
    "decision",
    "demand",
    "demands",
    "response",
    "concerns",
    "approach",
    "allegations",
    "claims",
    "support",
    "ties",
    "efforts",
    "refusal",
    "request",
    "ability",
    "envoy",
    "ambassador",
    "officials",
    "accusations",
];
/// "a message to Kabul": sent to a government.
const MESSAGE_NOUNS: &[&str] = &[
    "message",
    "messages",
    "letter",
    "warning",
    "demand",
    "appeal",
    "signal",
    "request",
    "note",
    "call",
    "calls",
    "ultimatum",
    "pressure",
    "accusation",
    "accusations",
    "criticism",
    "reaction",
];
/// Words before a force's bare name that make it another country's ("Indian soldiers",
/// "Afghan police", "US troops") or another force ("paramilitary soldiers" are not the
/// army, and which paramilitary force is meant the word does not say).
const DEMONYMS: &[&str] = &[
    "indian",
    "india's",
    "afghan",
    "afghanistan's",
    "american",
    "us",
    "u",
    "british",
    "israeli",
    "israel's",
    "russian",
    "russia's",
    "ukrainian",
    "iranian",
    "iran's",
    "chinese",
    "china's",
    "saudi",
    "turkish",
    "kenyan",
    "french",
    "german",
    "syrian",
    "iraqi",
    "bangladeshi",
    "nato",
    "taliban",
    "foreign",
    "international",
    "coalition",
    "kashmiri",
    "sri",
    "lankan",
    "paramilitary",
    // Forces of the countries whose news mentions Afghanistan most ("Australian Federal
    // Police", "Royal Marines", "Metropolitan Police").
    "australian",
    "federal",
    "metropolitan",
    "royal",
    "canadian",
    "welsh",
    "scottish",
    "dorset",
    "york",
    // England's cricket supporters, the Barmy Army.
    "barmy",
];

/// An acronym in brackets right after the words it abbreviates ("Tech Transparency Project
/// (TTP)"): those words, if the acronym's letters are their initials.
pub(super) fn spelled_out<'t>(text: &'t str, range: &Range<usize>) -> Option<&'t str> {
    let acronym = &text[range.clone()];
    if acronym.len() < 2 || !acronym.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let head = text[..range.start].strip_suffix('(')?.trim_end();
    if !text[range.end..].starts_with(')') {
        return None;
    }
    let mut start = head.len();
    for letter in acronym.chars().rev() {
        let rest = head[..start].trim_end();
        let word_start = after_last(rest, |c| c.is_whitespace() || c == '-');
        let word = &rest[word_start..];
        if !word.starts_with(letter) {
            return None;
        }
        start = word_start;
    }
    Some(&head[start..])
}

/// Whether the word before a force's bare name gives it another country ("Indian army",
/// "Delhi police"), looking past "City" ("New York City police").
pub(super) fn foreign_qualifier(text: &str, range: &Range<usize>) -> bool {
    let mut span = word_span_before(text, range.start);
    if text[span.clone()].eq_ignore_ascii_case("city") {
        span = word_span_before(text, span.start);
    }
    let word = text[span].to_lowercase();
    DEMONYMS.contains(&word.as_str()) || FOREIGN_WORDS.contains(&word.as_str())
}

/// Whether the word before a name gives it `country` ("Pakistani police", "Pakistan's army").
pub(super) fn own_qualifier(text: &str, range: &Range<usize>, country: &str) -> bool {
    let before = word_before(text, range.start);
    let country = country.to_lowercase();
    let stem = country.strip_suffix("istan").unwrap_or(&country);
    before == country
        || crate::text::strip_possessive(&before) == Some(country.as_str())
        || before.starts_with(stem) && before.len() <= country.len() + 1
}

/// Words that place a sentence or passage in another country.
const FOREIGN_WORDS: &[&str] = &[
    "bangladesh",
    "bangladeshi",
    "britain",
    "british",
    "china",
    "chinese",
    "delhi",
    "dhaka",
    "france",
    "french",
    "gaza",
    "german",
    "germany",
    "india",
    "indian",
    "iran",
    "iranian",
    "iraq",
    "iraqi",
    "israel",
    "israeli",
    "jammu",
    "kenya",
    "kenyan",
    "ladakh",
    "lebanon",
    "london",
    "mumbai",
    "palestinian",
    "rajouri",
    "russia",
    "russian",
    "saudi",
    "sistan",
    "srinagar",
    "syria",
    "syrian",
    "tehran",
    "turkey",
    "turkish",
    "ukraine",
    "ukrainian",
    "yemen",
];

/// The words of [`FOREIGN_WORDS`] that speak of India.
const INDIA_WORDS: &[&str] = &[
    "delhi", "india", "indian", "jammu", "ladakh", "mumbai", "rajouri", "srinagar",
];

/// Which country a country word speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Country {
    Pakistan,
    Afghanistan,
    India,
    Foreign,
}

/// The country words of a text and where they stand, found in one pass so that the
/// evidence of any stretch of it (a paragraph, a sentence) is two binary searches.
///
/// The pass runs over every document, so it is one automaton search (SIMD-prefiltered by
/// the aho-corasick crate) rather than a look at every word.
pub(super) struct CountryWords {
    words: Vec<(usize, Country)>,
}

/// "pakistan…" and "afghan…" start words (Pakistani, Afghans); the foreign words are whole.
fn country_automaton() -> &'static (AhoCorasick, Vec<Country>) {
    static AUTOMATON: LazyLock<(AhoCorasick, Vec<Country>)> = LazyLock::new(|| {
        let mut patterns = vec!["pakistan", "afghan"];
        let mut countries = vec![Country::Pakistan, Country::Afghanistan];
        patterns.extend(FOREIGN_WORDS);
        countries.extend(FOREIGN_WORDS.iter().map(|w| {
            if INDIA_WORDS.contains(w) {
                Country::India
            } else {
                Country::Foreign
            }
        }));
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .expect("a few short literal patterns build");
        (automaton, countries)
    });
    &AUTOMATON
}

impl CountryWords {
    /// Searches the folded text (lower case, so the automaton needs no case folding and
    /// keeps its prefilter); positions are the original text's.
    pub fn new(folded: &Folded) -> CountryWords {
        let (automaton, countries) = country_automaton();
        let text = folded.text.as_str();
        let letter_before = |at: usize| text[..at].chars().next_back().is_some_and(is_word_char);
        let letter_after = |at: usize| text[at..].chars().next().is_some_and(is_word_char);
        let words = automaton
            .find_iter(text)
            .filter_map(|m| {
                let country = countries[m.pattern().as_usize()];
                let home = matches!(country, Country::Pakistan | Country::Afghanistan);
                let whole = home || !letter_after(m.end());
                (whole && !letter_before(m.start())).then_some((folded.origin[m.start()], country))
            })
            .collect();
        CountryWords { words }
    }

    /// The evidence of the words that start inside `range`.
    pub fn within(&self, range: &Range<usize>) -> Evidence {
        let from = self.words.partition_point(|(at, _)| *at < range.start);
        let to = self.words.partition_point(|(at, _)| *at < range.end);
        let mut e = Evidence::default();
        for (_, country) in &self.words[from..to.max(from)] {
            match country {
                Country::Pakistan => e.pakistan += 1,
                Country::Afghanistan => e.afghanistan += 1,
                Country::Foreign => e.foreign += 1,
                Country::India => {
                    e.foreign += 1;
                    e.india += 1;
                }
            }
        }
        e
    }
}

/// The checks every place name must pass wherever it stands: not a person's name after a
/// title, not a cricket team, not an institution named after a place, not another country's.
pub(super) fn place_is_plausible(
    text: &str,
    words: &CountryWords,
    range: &Range<usize>,
    country: &str,
    region: bool,
) -> bool {
    let before = word_before(text, range.start);
    let after = word_after(text, range.end);
    if FOREIGN.contains(&before.as_str())
        || after_title(text, range.start)
        || TEAM_NAMES.contains(&after.as_str())
        || INSTITUTION_WORDS.contains(&after.as_str())
        || another_country_after(text, range.end, &after, country)
        || before_izafe(text, range.end)
        || inside_titled_name(text, range)
    {
        return false;
    }
    // A name that is also a place abroad: not in a sentence about another country that says
    // nothing of Pakistan or Afghanistan (Hyderabad at a World Cup in India), nor in one that
    // names India as often as them in a text that names India as often ("Indian board says
    // Pakistan's match to be played … in Hyderabad", a story from India; India, because the
    // namesakes of the region's places are mostly there: "Chinese engineers in Dalbandin" and
    // "Pakistan and the Russian Federation" leave Dalbandin and Sindh Pakistan's); when the
    // sentence names no country, not in a paragraph that names others more often than these
    // two (Poonch in a story from Jammu and Rajouri that mentions Pakistan once).
    if region {
        let e = words.within(&sentence(text, range));
        let home = e.pakistan + e.afghanistan;
        if e.foreign > 0 && home == 0 {
            return false;
        }
        if e.india > 0 && e.india == home {
            let d = words.within(&(0..text.len()));
            if d.india >= d.pakistan + d.afghanistan {
                return false;
            }
        }
        if e == Evidence::default() {
            let p = words.within(&paragraph(text, range));
            if p.foreign >= 2 && p.foreign > p.pakistan + p.afghanistan {
                return false;
            }
        }
    }
    true
}

/// "Hyderabad, India", "Panjab Province, Pakistan": the place (or place and place noun) is
/// followed by a comma and a country other than `country`. A home country must close the
/// phrase ("Paktika, Pakistan." but not "Paktika, Pakistan's army said").
fn another_country_after(text: &str, at: usize, after: &str, country: &str) -> bool {
    let mut at = at;
    if PLACE_NOUNS.contains(&after) {
        at = word_span_after(text, at).end;
    }
    let Some(rest) = text[at..].trim_start().strip_prefix(',') else {
        return false;
    };
    let span = word_span_after(rest, 0);
    let named = rest[span.clone()].to_lowercase();
    if !COUNTRIES.contains(&named.as_str()) || country.eq_ignore_ascii_case(&named) {
        return false;
    }
    if !matches!(named.as_str(), "pakistan" | "afghanistan") {
        return true;
    }
    let closing = rest[span.end..].chars().next();
    closing.is_none_or(|c| matches!(c, ',' | '.' | ';' | ':' | ')' | '\n') || is_hyphen(c))
}

/// A name followed by a Persian izafe ("Gulistan-e-Jauhar", "Bagh-i-…") is the first part of a
/// longer name.
fn before_izafe(text: &str, at: usize) -> bool {
    let mut chars = text[at..].chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(h), Some('e' | 'i'), Some(n)) if is_hyphen(h) && (is_hyphen(n) || n == ' ')
    )
}

/// Whether a title stands right before `at`: a whole word ("Governor Kakar") or an
/// abbreviated one with its period ("Sen. Kakar", "Gen. Durrani") — not a sentence that ends
/// in a title ("met the governor. Quetta police said").
fn after_title(text: &str, at: usize) -> bool {
    let head = text[..at].trim_end();
    match head.strip_suffix('.') {
        Some(head) => {
            let word = word_before(head, head.len());
            TITLES.contains(&word.as_str()) && crate::text::is_abbreviation(&word)
        }
        None => TITLES.contains(&word_before(text, at).as_str()),
    }
}

/// A place name in the middle of a person's name that follows a title ("Chief Minister Mir
/// Ali Mardan Domki"): capitalised words between a title and the name, and another
/// capitalised word right after it. (A title right before the name is checked on its own.)
fn inside_titled_name(text: &str, range: &Range<usize>) -> bool {
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let next = text[range.end..].strip_prefix(' ').unwrap_or_default();
    if !capitalised(next) {
        return false;
    }
    let mut head = &text[..range.start];
    for run in 0..4 {
        let Some(rest) = head.strip_suffix(' ') else {
            return false;
        };
        let word_start = after_last(rest, |c| !(c.is_alphanumeric() || c == '.'));
        let word = &rest[word_start..];
        if run > 0 && TITLES.contains(&word.trim_end_matches('.').to_lowercase().as_str()) {
            return true;
        }
        if !capitalised(word) {
            return false;
        }
        head = &rest[..word_start];
    }
    false
}

/// How far the paragraph around a name reaches at most, each way: the scan stays linear on a
/// document that is one endless paragraph.
const PARAGRAPH_REACH: usize = 4096;

/// The paragraph around a range: between the blank lines before and after it, at most
/// [`PARAGRAPH_REACH`] bytes each way.
fn paragraph(text: &str, range: &Range<usize>) -> Range<usize> {
    let from = text.floor_char_boundary(range.start.saturating_sub(PARAGRAPH_REACH));
    let to = text.ceil_char_boundary((range.end + PARAGRAPH_REACH).min(text.len()));
    let start = text[from..range.start]
        .rfind("\n\n")
        .map_or(from, |i| from + i + 2);
    let end = text[range.end..to]
        .find("\n\n")
        .map_or(to, |i| range.end + i);
    start..end
}

/// A place with a local cue: a locative before it or a place noun after it.
pub(super) fn has_place_cue(text: &str, range: &Range<usize>) -> bool {
    LOCATIVES.contains(&word_before(text, range.start).as_str())
        || PLACE_NOUNS.contains(&word_after(text, range.end).as_str())
}

/// A dateline: the name in capitals opening a block, before a colon or dash
/// ("ISLAMABAD:", "KARACHI –", "KABUL, Afghanistan —").
pub(super) fn is_dateline(text: &str, range: &Range<usize>) -> bool {
    let name = &text[range.clone()];
    let opens_block = text[..range.start]
        .trim_end_matches([' ', '\t'])
        .chars()
        .next_back()
        .is_none_or(|c| c == '\n' || c == '|');
    let capitals = name.chars().any(char::is_alphabetic)
        && name.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    let then = text[range.end..].trim_start_matches(' ').chars().next();
    opens_block && capitals && matches!(then, Some(':' | '–' | '—' | '-' | ','))
}

/// True when a capital's name stands for its government here ("Islamabad says", "between
/// Kabul and Islamabad", "Islamabad's policy", "a message to Kabul"), not for the city.
/// `is_capital` says whether another word is a capital's name.
pub(super) fn capital_as_government(
    text: &str,
    range: &Range<usize>,
    is_capital: impl Fn(&str) -> bool,
) -> bool {
    if let Some(next) = word_after_possessive(text, range.end) {
        return GOVERNMENT_NOUNS.contains(&next.as_str());
    }
    let after = word_after(text, range.end);
    let verb = words_after(text, range.end, 4)
        .into_iter()
        .find(|w| !AUXILIARIES.contains(&w.as_str()));
    if verb.is_some_and(|v| GOVERNMENT_VERBS.contains(&v.as_str())) {
        return true;
    }
    let before = words_before(text, range.start, 3);
    let previous = before.first().map(String::as_str);
    if previous == Some("between") {
        return true;
    }
    // "Islamabad has asked Kabul", "Islamabad urged Kabul": one government addressing the other.
    if previous.is_some_and(|w| GOVERNMENT_VERBS.contains(&w))
        && before[1..]
            .iter()
            .any(|w| is_capital(w) || crate::text::strip_possessive(w).is_some_and(&is_capital))
    {
        return true;
    }
    // "Kabul and Islamabad", "Islamabad and Kabul"
    if previous == Some("and") && before.get(1).is_some_and(|w| is_capital(w)) {
        return true;
    }
    let rest = &text[range.end..];
    if after == "and" {
        let tail = rest.trim_start();
        let tail = tail.strip_prefix("and").unwrap_or(tail);
        if is_capital(&word_after(tail, 0)) {
            return true;
        }
    }
    // "a message to Kabul", "its call for Kabul", "pressure on Islamabad", "an accusation
    // from Islamabad"
    matches!(previous, Some("to" | "for" | "on" | "from"))
        && before
            .get(1)
            .is_some_and(|w| MESSAGE_NOUNS.contains(&w.as_str()))
}

/// How much a stretch of text says it is about Pakistan, Afghanistan or somewhere else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Evidence {
    pub pakistan: u32,
    pub afghanistan: u32,
    pub foreign: u32,
    /// Of the foreign words, India's: where most namesakes of the region's places lie
    /// (Punjab, Hyderabad, Poonch).
    pub india: u32,
}

impl Evidence {
    pub fn add_country(&mut self, country: &str) {
        match country {
            "Pakistan" => self.pakistan += 1,
            "Afghanistan" => self.afghanistan += 1,
            _ => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pakistan + self.afghanistan + self.foreign == 0
    }

    pub fn plus(self, other: Evidence) -> Evidence {
        Evidence {
            pakistan: self.pakistan + other.pakistan,
            afghanistan: self.afghanistan + other.afghanistan,
            foreign: self.foreign + other.foreign,
            india: self.india + other.india,
        }
    }

    fn of(&self, country: &str) -> Option<u32> {
        match country {
            "Pakistan" => Some(self.pakistan),
            "Afghanistan" => Some(self.afghanistan),
            _ => None,
        }
    }

    /// Whether this evidence is about `country` more than anywhere else.
    pub fn about(&self, country: &str) -> bool {
        let Some(mine) = self.of(country) else {
            return false;
        };
        let other = self.pakistan + self.afghanistan - mine;
        mine > 0 && mine >= other && mine > self.foreign
    }

    /// Whether this evidence places the text in Afghanistan or Pakistan.
    pub fn in_region(&self) -> bool {
        self.pakistan + self.afghanistan > self.foreign
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn at(text: &str, name: &str) -> Range<usize> {
        let i = text.find(name).unwrap();
        i..i + name.len()
    }

    #[test]
    fn capitals_as_governments() {
        let capital = |w: &str| matches!(w, "kabul" | "islamabad");
        for (text, name, government) in [
            ("Islamabad says the talks failed", "Islamabad", true),
            ("talks between Kabul and Islamabad stalled", "Kabul", true),
            ("Kabul and Islamabad traded blame", "Kabul", true),
            ("Islamabad's policy on refugees", "Islamabad", true),
            ("Pakistan sent a message to Kabul", "Kabul", true),
            ("Kabul has denied these allegations", "Kabul", true),
            (
                "Islamabad renewed its call for Kabul to act",
                "Islamabad",
                true,
            ),
            ("Islamabad renewed its call for Kabul to act", "Kabul", true),
            ("Kabul has a population of millions", "Kabul", false),
            ("a blast in Kabul killed five", "Kabul", false),
            ("Kabul's streets were empty", "Kabul", false),
            ("flights to Kabul resumed", "Kabul", false),
            ("outside an Islamabad court", "Islamabad", false),
        ] {
            assert_eq!(
                capital_as_government(text, &at(text, name), capital),
                government,
                "{name} in {text}"
            );
        }
    }

    #[test]
    fn datelines_open_a_block_in_capitals() {
        for (text, name, yes) in [
            ("ISLAMABAD: The talks", "ISLAMABAD", true),
            ("Title || KARACHI – rates", "KARACHI", true),
            ("KABUL, Afghanistan — A blast", "KABUL", true),
            ("He left ISLAMABAD: then", "ISLAMABAD", false),
            ("Islamabad: the capital", "Islamabad", false),
        ] {
            assert_eq!(is_dateline(text, &at(text, name)), yes, "{text}");
        }
    }

    #[test]
    fn people_teams_institutions_and_places_abroad_are_not_places() {
        let plausible = |text: &str, name: &str, country: &str, region: bool| {
            let words = CountryWords::new(&fold(text));
            place_is_plausible(text, &words, &at(text, name), country, region)
        };
        for (text, name, country) in [
            (
                "Caretaker Prime Minister Kakar said",
                "Kakar",
                "Afghanistan",
            ),
            ("Peshawar Zalmi won", "Peshawar", "Pakistan"),
            ("said Sen. Kakar on Monday", "Kakar", "Afghanistan"),
            ("Gen. Durrani said", "Durrani", "Afghanistan"),
            ("students of Khyber Medical College", "Khyber", "Pakistan"),
            ("Indian Punjab farmers", "Punjab", "Pakistan"),
            (
                "a police station in Sistan-Baluchistan",
                "Baluchistan",
                "Pakistan",
            ),
            (
                "Sardar Attique Ahmed Khan ex-Premier AJK said",
                "AJK",
                "Pakistan",
            ),
            (
                "Chief Minister Mir Ali Mardan Domki chaired",
                "Mardan",
                "Pakistan",
            ),
            ("Dr. Ali Mardan Khan spoke", "Mardan", "Pakistan"),
            (
                "Chief Minister of Balochistan, Mir Ali Mardan Khan Domki, said",
                "Mardan",
                "Pakistan",
            ),
            (
                "a park in Karachi's Gulistan-e-Jauhar",
                "Gulistan",
                "Afghanistan",
            ),
            ("the Gomal varsity syndicate", "Gomal", "Afghanistan"),
            ("Gwadar Pro reported on Wednesday", "Gwadar", "Pakistan"),
            (
                "the location of Panjab Province, Pakistan, on June 26",
                "Panjab",
                "Afghanistan",
            ),
            (
                "rains in Hyderabad, India on Sunday",
                "Hyderabad",
                "Pakistan",
            ),
        ] {
            assert!(!plausible(text, name, country, false), "{name} in {text}");
        }
        for (text, name, country) in [
            (
                "troops in Paktika, Pakistan's army said",
                "Paktika",
                "Afghanistan",
            ),
            (
                "Chief Minister visited Mardan on Monday",
                "Mardan",
                "Pakistan",
            ),
            ("General Headquarters Rawalpindi", "Rawalpindi", "Pakistan"),
            ("Kabul, Afghanistan, on Monday", "Kabul", "Afghanistan"),
            ("a rally in Bajaur-e", "Bajaur", "Pakistan"),
            (
                "He met the governor. Quetta police said",
                "Quetta",
                "Pakistan",
            ),
        ] {
            assert!(plausible(text, name, country, false), "{name} in {text}");
        }
        let t = "Pakistan won. India beat Australia in Hyderabad at the World Cup.";
        assert!(!plausible(t, "Hyderabad", "Pakistan", true));
        let t = "Police in Hyderabad, Sindh, said Pakistan's rangers";
        assert!(plausible(t, "Hyderabad", "Pakistan", true));
        // As many foreign words as home ones: the text as a whole decides.
        let t = "Indian board says Pakistan's match to be played behind closed doors in Hyderabad. India hosts the Cup.";
        assert!(!plausible(t, "Hyderabad", "Pakistan", true));
        let t =
            "Pakistan condemned the attack on Chinese engineers in Dalbandin. Pakistan will act.";
        assert!(plausible(t, "Dalbandin", "Pakistan", true));
        // A sentence naming no country defers to its paragraph.
        let t = "Indian troops from Jammu crossed from Pakistan. Four soldiers died in Poonch.";
        assert!(!plausible(t, "Poonch", "Pakistan", true));
        let t = "Indian troops from Jammu crossed.\n\nFour soldiers died in Poonch.";
        assert!(plausible(t, "Poonch", "Pakistan", true));
        let t = "Farmers in Sindh will get seeds. A Chinese firm made them.";
        assert!(plausible(t, "Sindh", "Pakistan", true));
    }

    fn of_words(text: &str) -> Evidence {
        CountryWords::new(&fold(text)).within(&(0..text.len()))
    }

    #[test]
    fn evidence_weighs_countries() {
        let e = of_words("Pakistani police said Afghan refugees in Pakistan");
        assert_eq!((e.pakistan, e.afghanistan), (2, 1));
        assert!(e.about("Pakistan") && !e.about("Afghanistan") && e.in_region());
        assert!(!of_words("Indian police in Delhi").in_region());
        assert!(
            FOREIGN_WORDS
                .iter()
                .all(|w| (4..=16).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_lowercase()))
        );
        let e = of_words("PAKISTANIS, Afghanistan’s neighbours and INDIA; Iran");
        assert_eq!((e.pakistan, e.afghanistan, e.foreign), (1, 1, 2));
        // Glued to a non-ASCII letter, a word is another word; a stretch counts its own.
        assert_eq!(of_words("Indiaé éIran"), Evidence::default());
        assert_eq!(of_words("Pakistanī").pakistan, 1);
        let text = "Iran said so. Pakistan said no.";
        let words = CountryWords::new(&fold(text));
        assert_eq!(words.within(&(0..13)).foreign, 1);
        assert_eq!(words.within(&(13..text.len())).pakistan, 1);
        assert_eq!(words.within(&(13..text.len())).foreign, 0);
    }

    #[test]
    fn a_paragraph_is_between_blank_lines_and_never_the_whole_of_an_endless_one() {
        let text = "Iran.\n\nTroops in Tank. Pakistan.\n\nIndia.";
        let tank = at(text, "Tank");
        assert_eq!(&text[paragraph(text, &tank)], "Troops in Tank. Pakistan.");
        let endless = format!("{} Tank {}", "é word ".repeat(5000), "é word ".repeat(5000));
        let tank = at(&endless, "Tank");
        let around = paragraph(&endless, &tank);
        assert!(around.start > 0 && around.end < endless.len(), "{around:?}");
        assert!(around.len() <= 2 * PARAGRAPH_REACH + 8, "{around:?}");
        assert!(endless.is_char_boundary(around.start) && endless.is_char_boundary(around.end));
    }
}
