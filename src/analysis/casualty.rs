//! Casualty figures read from text: how many people a passage says were killed, wounded or
//! abducted, by whom, and whether the figure is a total or a past incident's, so that counts
//! built on them stay honest. Deterministic rules, no model; every figure keeps its byte range.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

use crate::date::month_number;

/// A figure's numbers as text: `59` (exactly), `10–12` (a range), `59+` (open-ended), with
/// `~` in front when approximate.
pub fn amount(min: u32, max: Option<u32>, approx: bool) -> String {
    let n = match max {
        Some(max) if max == min => min.to_string(),
        Some(max) => format!("{min}–{max}"),
        None => format!("{min}+"),
    };
    if approx { format!("~{n}") } else { n }
}

/// What happened to the people a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CasualtyKind {
    Killed,
    Wounded,
    Abducted,
}

impl CasualtyKind {
    /// The name in output and labels (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            CasualtyKind::Killed => "killed",
            CasualtyKind::Wounded => "wounded",
            CasualtyKind::Abducted => "abducted",
        }
    }
}

/// Who the people a figure counts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Who {
    #[serde(rename = "civilians")]
    Civilians,
    #[serde(rename = "security forces")]
    SecurityForces,
    #[serde(rename = "militants")]
    Militants,
    #[serde(rename = "unspecified")]
    Unspecified,
}

impl Who {
    /// The name in output and labels (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Who::Civilians => "civilians",
            Who::SecurityForces => "security forces",
            Who::Militants => "militants",
            Who::Unspecified => "unspecified",
        }
    }
}

/// One casualty figure found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub kind: CasualtyKind,
    pub min: u32,
    /// `None` when open-ended ("at least 59", "dozens").
    pub max: Option<u32>,
    pub approx: bool,
    pub who: Who,
    /// A total over a period or over many incidents.
    pub aggregate: bool,
    /// A figure about an earlier incident mentioned in passing.
    pub past: bool,
    /// Byte range in the text: the shortest stretch holding the number and the casualty word.
    pub range: Range<usize>,
}

// ---------------------------------------------------------------------------------------------
// Conventions (see `figures`):
// * kind: killed (also martyred, shot dead, gunned down, lost their lives, bodies of N, death
//   toll, died), wounded (injured, hurt, poisoned in an attack), abducted (kidnapped, taken
//   hostage). Arrests are not abductions; "casualties" alone is never a figure.
// * min/max: exact N → N..Some(N); "at least N" → N..None; "more than/over N" → N+1..None;
//   "nearly/about/around/some/up to N" → N..Some(N) approx; "N to M"/"N-M" → N..Some(M);
//   dozens 24, scores 40, several 3, hundreds 200, thousands 2000, tens of thousands 20000, all
//   open-ended and approx; "a/an/one" with a singular person noun → 1.
// * who: the head noun of the counted phrase (civilians, security forces, militants), else
//   unspecified; "Taliban" counts as militants unless a security noun is also named.
// * aggregate: totals over a period or many incidents; past: earlier incidents in passing.
// * Non-events (negations, threats, modals) and non-conflict deaths (accidents, disasters)
//   give nothing; a repeated toll (same kind, min, max, who) is listed once.
// ---------------------------------------------------------------------------------------------

/// Cheap prefilter: a text without any of these stems has no figure.
static PREFILTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "kill",
            "dead",
            "death",
            "die",
            "martyr",
            "injur",
            "wound",
            "hurt",
            "poisoned",
            "abduct",
            "kidnap",
            "hostage",
            "captive",
            "lives",
            "life",
            "bodies",
            "gunned",
            "shot",
            "massacr",
            "slaughter",
            "succumb",
            "execut",
            "hang",
            "neutrali",
            "slain",
            "murder",
            "assassinat",
            "lynch",
            "behead",
            "toll",
            "hell",
            "disappear",
            "fatalit",
            "loss of",
        ])
        .expect("static patterns")
});

// Lexicon flags.
const CIV: u32 = 1;
const SF: u32 = 1 << 1;
const MIL: u32 = 1 << 2;
const UNS: u32 = 1 << 3;
const TALIBAN: u32 = 1 << 4;
const SING: u32 = 1 << 5;
const AUX: u32 = 1 << 6;
const BRK: u32 = 1 << 7;
const PREP: u32 = 1 << 8;
const UNIT: u32 = 1 << 9;
const PRON: u32 = 1 << 10;
const DET: u32 = 1 << 11;
const NEG: u32 = 1 << 12;
const WHO_MASK: u32 = CIV | SF | MIL | UNS | TALIBAN;

static LEXICON: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, u32> = HashMap::new();
    let mut add = |words: &[&'static str], f: u32| {
        for w in words {
            *m.entry(w).or_insert(0) |= f;
        }
    };
    add(
        &[
            "civilians",
            "children",
            "kids",
            "boys",
            "girls",
            "women",
            "students",
            "pupils",
            "schoolchildren",
            "schoolgirls",
            "worshippers",
            "worshipers",
            "devotees",
            "pilgrims",
            "journalists",
            "reporters",
            "photographers",
            "officials",
            "teachers",
            "doctors",
            "engineers",
            "passengers",
            "shoppers",
            "labourers",
            "laborers",
            "workers",
            "tourists",
            "judges",
            "lawyers",
            "politicians",
            "interpreters",
            "employees",
            "villagers",
            "farmers",
            "traders",
            "shopkeepers",
            "businessmen",
            "refugees",
            "passers-by",
            "bystanders",
            "infants",
            "mourners",
            "voters",
            "clerics",
            "scholars",
            "elders",
            "nurses",
            "vaccinators",
            "ministers",
            "contractors",
            "miners",
            "polio",
            "schoolboys",
            "daughters",
            "sons",
            "colleagues",
            "staff",
            "staffers",
            "diplomats",
            "governors",
            "aid",
        ],
        CIV,
    );
    add(
        &[
            "civilian",
            "child",
            "kid",
            "boy",
            "girl",
            "woman",
            "student",
            "pupil",
            "worshipper",
            "worshiper",
            "pilgrim",
            "journalist",
            "reporter",
            "photographer",
            "photojournalist",
            "official",
            "teacher",
            "doctor",
            "engineer",
            "passenger",
            "shopper",
            "labourer",
            "laborer",
            "worker",
            "tourist",
            "judge",
            "lawyer",
            "politician",
            "interpreter",
            "employee",
            "villager",
            "farmer",
            "trader",
            "shopkeeper",
            "businessman",
            "refugee",
            "passer-by",
            "bystander",
            "infant",
            "cleric",
            "scholar",
            "elder",
            "nurse",
            "vaccinator",
            "minister",
            "contractor",
            "teenager",
            "imam",
            "priest",
            "schoolboy",
            "schoolgirl",
            "daughter",
            "son",
            "colleague",
            "pm",
            "premier",
            "legislator",
            "lawmaker",
            "candidate",
            "councillor",
            "mayor",
            "prisoner",
            "governor",
            "diplomat",
            "ambassador",
            "staffer",
        ],
        CIV | SING,
    );
    add(
        &[
            "soldiers",
            "army",
            "troops",
            "troopers",
            "police",
            "policemen",
            "policewomen",
            "cops",
            "constables",
            "officers",
            "fc",
            "levies",
            "rangers",
            "paramilitary",
            "paramilitaries",
            "personnel",
            "guards",
            "bodyguards",
            "forces",
            "servicemen",
            "marines",
            "sepoys",
            "jawans",
            "enforcers",
            "commandos",
            "ana",
            "military",
            "security",
            "frontier",
            "corps",
            "servicemembers",
            "cadets",
            "sailors",
            "airmen",
            "pilots",
            "martyrs",
            "service",
        ],
        SF,
    );
    add(
        &[
            "soldier",
            "trooper",
            "policeman",
            "policewoman",
            "cop",
            "constable",
            "officer",
            "guard",
            "bodyguard",
            "serviceman",
            "marine",
            "sepoy",
            "jawan",
            "enforcer",
            "commando",
            "major",
            "colonel",
            "captain",
            "lieutenant",
            "sergeant",
            "havildar",
            "naik",
            "subedar",
            "inspector",
            "sub-inspector",
            "asi",
            "sho",
            "cadet",
            "pilot",
            "brigadier",
            "general",
            "sailor",
            "airman",
        ],
        SF | SING,
    );
    add(
        &[
            "militants",
            "terrorists",
            "insurgents",
            "attackers",
            "bombers",
            "khawarij",
            "kharijis",
            "fighters",
            "gunmen",
            "extremists",
            "jihadists",
            "rebels",
            "assailants",
            "miscreants",
            "separatists",
            "ttp",
            "isis",
            "is-k",
            "daesh",
            "isil",
            "hijackers",
            "kidnappers",
            "abductors",
            "qaeda",
            "al-qaeda",
            "qaida",
            "al-qaida",
            "lashkar-e-taiba",
            "lashkar-e-toiba",
            "lashkar-e-jhangvi",
            "jaish-e-mohammed",
            "jaish-e-muhammad",
            "jaish-e-muhammed",
            "jaish-e-mohammad",
            "outlaws",
        ],
        MIL,
    );
    add(
        &[
            "militant",
            "terrorist",
            "insurgent",
            "attacker",
            "bomber",
            "khariji",
            "fighter",
            "gunman",
            "extremist",
            "jihadist",
            "rebel",
            "assailant",
            "mastermind",
            "separatist",
            "hijacker",
            "kidnapper",
            "abductor",
            "outlaw",
            "ringleader",
        ],
        MIL | SING,
    );
    add(&["taliban"], TALIBAN);
    add(
        &[
            "people",
            "persons",
            "others",
            "men",
            "individuals",
            "residents",
            "citizens",
            "victims",
            "afghans",
            "pakistanis",
            "iranians",
            "indians",
            "americans",
            "locals",
            "members",
            "relatives",
            "tribesmen",
            "youths",
            "shias",
            "shiites",
            "sunnis",
            "hazaras",
            "christians",
            "hindus",
            "sikhs",
            "ahmadis",
            "muslims",
            "migrants",
            "refugees",
            "nationals",
            "foreigners",
            "family",
            "families",
            "couple",
            // Armed robbers are criminals, not militants: "Six dacoits were shot dead".
            "dacoits",
            "robbers",
            "brothers",
            "crew",
            "pashtuns",
            "baloch",
            "them",
        ],
        UNS,
    );
    add(
        &[
            "person",
            "man",
            "youth",
            "resident",
            "citizen",
            "individual",
            "driver",
            "member",
            "activist",
            "leader",
            "commander",
            "chief",
            "husband",
            "wife",
            "dacoit",
            "robber",
            "father",
            "mother",
            "brother",
            "sister",
            "relative",
            "nephew",
            "cousin",
            "uncle",
            "owner",
            "tribesman",
            "local",
            "victim",
            "businessman",
            "chairman",
            "head",
            "president",
            "aide",
            "accomplice",
            "spokesman",
            "associate",
            "companion",
            "friend",
            "groom",
            "bridegroom",
            "bride",
        ],
        UNS | SING,
    );
    add(
        &[
            "were",
            "was",
            "have",
            "has",
            "had",
            "been",
            "being",
            "are",
            "is",
            "be",
            "got",
            "get",
            "reportedly",
            "allegedly",
            "also",
            "all",
            "both",
            "later",
            "critically",
            "seriously",
            "severely",
            "badly",
            "fatally",
            "mortally",
            "brutally",
            "reported",
            "confirmed",
            "found",
            "each",
            "subsequently",
            "initially",
            "already",
            "who",
            "apparently",
            "mercilessly",
            "now",
        ],
        AUX,
    );
    add(
        &[
            "that",
            "which",
            "said",
            "says",
            "say",
            "after",
            "when",
            "while",
            "as",
            "but",
            "if",
            "because",
            "than",
            "whom",
            "whose",
            "where",
            "told",
            "according",
            "since",
            "until",
            "before",
            "though",
            "although",
            "whereas",
            "plus",
            "so",
            "then",
            "per",
        ],
        BRK,
    );
    add(
        &[
            "in", "at", "on", "near", "during", "by", "from", "with", "for", "across", "inside",
            "into", "outside", "against", "amid", "over", "under", "within", "without", "to",
            "through", "behind", "off", "up", "out", "about", "around",
        ],
        PREP,
    );
    add(
        &[
            "years",
            "year",
            "days",
            "day",
            "months",
            "month",
            "weeks",
            "week",
            "hours",
            "hour",
            "minutes",
            "minute",
            "seconds",
            "km",
            "kilometres",
            "kilometers",
            "miles",
            "metres",
            "meters",
            "kg",
            "percent",
            "per",
            "pc",
            "rs",
            "rupees",
            "dollars",
            "million",
            "billion",
            "times",
            "am",
            "pm",
            "a.m",
            "p.m",
            "bn",
            "cent",
            "crore",
            "lakh",
            "points",
            "runs",
            "wickets",
            "overs",
            "balls",
            "goals",
            "seats",
            "votes",
            "cases",
            "incidents",
            "attacks",
            "blasts",
            "kilograms",
            "tonnes",
            "tons",
            "feet",
            "inches",
            "mm",
            "degrees",
            "decades",
            "centuries",
            "o'clock",
        ],
        UNIT,
    );
    add(&["he", "she", "him"], PRON);
    add(
        &[
            "a", "an", "the", "his", "her", "their", "its", "another", "one", "our", "my", "this",
        ],
        DET,
    );
    add(
        &[
            "could",
            "would",
            "will",
            "may",
            "might",
            "can",
            "cannot",
            "should",
            "must",
            "not",
            "never",
            "threatened",
            "threatening",
            "threatens",
            "vowed",
            "vows",
            "plot",
            "plotted",
            "plotting",
            "planned",
            "planning",
            "plans",
            "attempt",
            "attempted",
            "attempting",
            "tried",
            "trying",
            "bid",
            "escaped",
            "survived",
            "wanted",
            "intended",
            "sought",
            "aimed",
            "feared",
            "fears",
            "no",
            "nobody",
            "none",
            "neither",
            "nor",
            "didn't",
            "wasn't",
            "weren't",
            "won't",
            "couldn't",
            "wouldn't",
            "hadn't",
            "hasn't",
            "haven't",
            "narrowly",
            "almost",
            // "denies he was injured", "rejected reports that 20 were killed".
            "deny",
            "denies",
            "denied",
            "denying",
        ],
        NEG,
    );
    m
});

fn lex(w: &str) -> u32 {
    match LEXICON.get(w) {
        Some(&f) => f,
        // "suicide-bomber", "ex-soldier": the last part decides.
        None => match w.rsplit_once('-') {
            Some((_, last)) if !last.is_empty() => LEXICON.get(last).copied().unwrap_or(0),
            _ => 0,
        },
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tk {
    Word,
    Comma,
    /// Clause or sentence break.
    Stop,
    Open,
    Close,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    s: usize,
    e: usize,
    k: Tk,
    cap: bool,
    sent: u32,
}

fn tokenize(text: &str, lower: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 5 + 4);
    let mut sent = 0u32;
    let mut i = 0usize;
    let mut word_start: Option<usize> = None;
    let len = text.len();
    while i < len {
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let cl = c.len_utf8();
        if c.is_alphanumeric() {
            if word_start.is_none() {
                word_start = Some(i);
            }
            i += cl;
            continue;
        }
        if let Some(ws) = word_start {
            let next = text[i + cl..].chars().next();
            let prev = text[..i].chars().next_back();
            let joins = match c {
                '-' => next.is_some_and(|n| n.is_alphanumeric()),
                c if crate::text::is_apostrophe(c) => next.is_some_and(|n| n.is_alphanumeric()),
                ',' => {
                    prev.is_some_and(|p| p.is_ascii_digit()) && {
                        let rest = &text.as_bytes()[i + 1..];
                        rest.len() >= 3
                            && rest[..3].iter().all(u8::is_ascii_digit)
                            && !rest.get(3).is_some_and(u8::is_ascii_digit)
                    }
                }
                '.' => {
                    (prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit()))
                        || (prev.is_some_and(|p| p.is_ascii_uppercase())
                            && next.is_some_and(|n| n.is_ascii_uppercase())
                            && text[ws..i]
                                .rsplit('.')
                                .next()
                                .is_some_and(|seg| seg.len() == 1))
                }
                _ => false,
            };
            if joins {
                i += cl;
                continue;
            }
            let cap = text[ws..].chars().next().is_some_and(char::is_uppercase);
            toks.push(Tok {
                s: ws,
                e: i,
                k: Tk::Word,
                cap,
                sent,
            });
            word_start = None;
        }
        let k = match c {
            ',' => Some(Tk::Comma),
            '.' => {
                // An abbreviation's or initial's period does not end a sentence.
                let abbrev = toks.last().is_some_and(|t| {
                    t.k == Tk::Word && t.e == i && crate::text::is_abbreviation(&lower[t.s..t.e])
                });
                if abbrev { None } else { Some(Tk::Stop) }
            }
            '!' | '?' | ';' | ':' | '–' | '—' | '|' | '•' | '…' | '\n' | '\r' => {
                Some(Tk::Stop)
            }
            '-' => {
                // A free-standing dash (" - ") breaks a clause.
                let before_space = text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace);
                let after_space = text[i + cl..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace);
                (before_space && after_space).then_some(Tk::Stop)
            }
            '(' | '[' => Some(Tk::Open),
            ')' | ']' => Some(Tk::Close),
            _ => None,
        };
        if let Some(k) = k {
            toks.push(Tok {
                s: i,
                e: i + cl,
                k,
                cap: false,
                sent,
            });
            if matches!(c, '.' | '!' | '?' | '\n' | '…') {
                sent += 1;
            }
        }
        i += cl;
    }
    if let Some(ws) = word_start {
        let cap = text[ws..].chars().next().is_some_and(char::is_uppercase);
        toks.push(Tok {
            s: ws,
            e: len,
            k: Tk::Word,
            cap,
            sent,
        });
    }
    toks
}

/// The tokens of one text with their lower-case forms.
struct Doc<'a> {
    lower: &'a str,
    toks: Vec<Tok>,
}

impl Doc<'_> {
    fn w(&self, i: usize) -> &str {
        match self.toks.get(i) {
            Some(t) if t.k == Tk::Word => &self.lower[t.s..t.e],
            _ => "",
        }
    }
    fn is(&self, i: usize, word: &str) -> bool {
        self.w(i) == word
    }
    fn kind(&self, i: usize) -> Option<Tk> {
        self.toks.get(i).map(|t| t.k)
    }
    fn flags(&self, i: usize) -> u32 {
        lex(self.w(i))
    }
}

fn unit_num(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn tens_num(w: &str) -> Option<u32> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// A number written in words within one token: "seven", "forty", "twenty-five".
fn word_num(w: &str) -> Option<u32> {
    if let Some(n) = unit_num(w).or_else(|| tens_num(w)) {
        return Some(n);
    }
    let (a, b) = w.split_once('-')?;
    let t = tens_num(a)?;
    let u = unit_num(b)?;
    (u < 10).then_some(t + u)
}

/// Digits, possibly with thousands separators: "59", "1,600".
fn digit_num(w: &str) -> Option<(u32, bool)> {
    if w.is_empty() || w.len() > 12 || !w.bytes().next()?.is_ascii_digit() {
        return None;
    }
    let mut v: u32 = 0;
    let mut comma = false;
    for b in w.bytes() {
        match b {
            b'0'..=b'9' => v = v.checked_mul(10)?.checked_add(u32::from(b - b'0'))?,
            b',' => comma = true,
            _ => return None,
        }
    }
    let year_like = !comma && w.len() == 4 && (1900..=2099).contains(&v);
    Some((v, year_like))
}

/// A year, or a year run into the next word by a lost space ("in August 1998prompted his
/// family to flee"): the decades too ("the 1990s").
fn starts_with_year(w: &str) -> bool {
    year_at_start(w).is_some()
}

/// The year [`starts_with_year`] finds.
fn year_at_start(w: &str) -> Option<u32> {
    if w.len() < 4 || !w.is_char_boundary(4) || !w[4..].bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    match digit_num(&w[..4]) {
        Some((y, true)) => Some(y),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug)]
struct Qty {
    min: u32,
    max: Option<u32>,
    approx: bool,
    /// First token (including a modifier such as "at least").
    start: usize,
    /// One past the last token of the number.
    end: usize,
    /// "a", "an": counts one only before a singular person noun.
    needs_sing: bool,
    year_like: bool,
}

impl Qty {
    /// One person, named or pointed to by tokens `start..end` ("he", "a soldier", "Sarah
    /// Inaam").
    fn one(start: usize, end: usize) -> Qty {
        Qty {
            min: 1,
            max: Some(1),
            approx: false,
            start,
            end,
            needs_sing: false,
            year_like: false,
        }
    }
}

/// A plain number (without modifiers) starting at token `i`.
fn plain_num(d: &Doc, i: usize) -> Option<(u32, usize, bool)> {
    let w = d.w(i);
    if let Some((v, year)) = digit_num(w) {
        return Some((v, i + 1, year));
    }
    let mut v = if let Some(t) = tens_num(w) {
        match unit_num(d.w(i + 1)) {
            Some(u) if u < 10 => return Some(scale(d, t + u, i + 2)),
            _ => t,
        }
    } else {
        word_num(w)?
    };
    if d.is(i + 1, "dozen") {
        v *= 12;
        return Some((v, i + 2, false));
    }
    Some(scale(d, v, i + 1))
}

fn scale(d: &Doc, v: u32, j: usize) -> (u32, usize, bool) {
    match d.w(j) {
        "hundred" => (v * 100, j + 1, false),
        "thousand" => (v * 1000, j + 1, false),
        _ => (v, j, false),
    }
}

/// A quantity starting at token `i` (without a preceding modifier).
fn parse_qty(d: &Doc, i: usize) -> Option<Qty> {
    let w = d.w(i);
    if w.is_empty() {
        return None;
    }
    let mk = |min: u32, max: Option<u32>, approx: bool, end: usize| Qty {
        min,
        max,
        approx,
        start: i,
        end,
        needs_sing: false,
        year_like: false,
    };
    let vague = |v: u32, j: usize| {
        let end = if d.is(j, "of") { j + 1 } else { j };
        Some(mk(v, None, true, end))
    };
    match w {
        "dozens" => return vague(24, i + 1),
        "hundreds" if d.is(i + 1, "of") && d.is(i + 2, "thousands") => {
            return vague(200_000, i + 3);
        }
        "hundreds" => return vague(200, i + 1),
        "thousands" => return vague(2000, i + 1),
        "several" => return Some(mk(3, None, true, i + 1)),
        // "scores of people", "scores were injured", "wounds scores": not "scores a goal".
        "scores"
            if d.kind(i + 1) != Some(Tk::Word)
                || matches!(
                    d.w(i + 1),
                    "of" | "were" | "are" | "have" | "had" | "more" | "others" | "and"
                )
                || trigger_at(d, i + 1).is_some() =>
        {
            return vague(40, i + 1);
        }
        "tens" if d.is(i + 1, "of") && d.is(i + 2, "thousands") => return vague(20000, i + 3),
        "the" | "his" | "her" => {
            return Some(Qty {
                needs_sing: true,
                ..mk(1, Some(1), false, i + 1)
            });
        }
        "a" | "an" => {
            return match d.w(i + 1) {
                "dozen" => Some(mk(12, Some(12), true, i + 2)),
                "hundred" => Some(mk(100, Some(100), false, i + 2)),
                "thousand" => Some(mk(1000, Some(1000), false, i + 2)),
                // "a (married) couple" is two people; "a couple of" is a vague few.
                _ if let Some(n) = (1..=2).find(|&n| d.is(i + n, "couple"))
                    && !matches!(
                        d.w(i + n + 1),
                        "of" | "dozen" | "hundred" | "thousand" | "more"
                    )
                    && (n == 1 || lex(d.w(i + 1)) == 0) =>
                {
                    Some(mk(2, Some(2), false, i + n + 1))
                }
                _ => Some(Qty {
                    needs_sing: true,
                    ..mk(1, Some(1), false, i + 1)
                }),
            };
        }
        _ => {}
    }
    // "10-12" in one token.
    if let Some((a, b)) = w.split_once('-')
        && let (Some((x, _)), Some((y, _))) = (digit_num(a), digit_num(b))
        && y > x
    {
        return Some(mk(x, Some(y), false, i + 1));
    }
    let (v, end, year_like) = plain_num(d, i)?;
    // "between 10 and 12".
    if i >= 1
        && d.is(i - 1, "between")
        && d.is(end, "and")
        && let Some((y, e2, _)) = plain_num(d, end + 1)
        && y > v
    {
        return Some(Qty {
            start: i - 1,
            ..mk(v, Some(y), false, e2)
        });
    }
    // "10 to 12", "10 or 12".
    if matches!(d.w(end), "to" | "or")
        && let Some((y, e2, _)) = plain_num(d, end + 1)
        && y > v
        && y <= v.saturating_mul(10)
    {
        return Some(mk(v, Some(y), false, e2));
    }
    Some(Qty {
        year_like,
        ..mk(v, Some(v), false, end)
    })
}

/// "one of the infiltrators killed (was ...)": one member of a group counted elsewhere, no
/// toll. Only before the casualty word: "troops killed one of the attackers" reports a death.
fn one_of_the(d: &Doc, q: &Qty) -> bool {
    d.is(q.start, "one")
        && q.end == q.start + 1
        && d.is(q.end, "of")
        && matches!(d.w(q.end + 1), "the" | "those" | "these")
}

/// Applies a modifier written before the quantity ("at least", "more than", "nearly").
fn with_modifier(d: &Doc, mut q: Qty) -> Qty {
    let i = q.start;
    let w1 = if i >= 1 { d.w(i.wrapping_sub(1)) } else { "" };
    let w2 = if i >= 2 { d.w(i.wrapping_sub(2)) } else { "" };
    let w3 = if i >= 3 { d.w(i.wrapping_sub(3)) } else { "" };
    enum M {
        AtLeast,
        MoreThan,
        About,
    }
    let (m, n) = match (w3, w2, w1) {
        ("as", "many", "as") => (M::About, 3),
        ("no", "less" | "fewer", "than") | ("not", "less" | "fewer", "than") => (M::AtLeast, 3),
        ("in", "excess", "of") => (M::MoreThan, 3),
        (_, "at", "least") => (M::AtLeast, 2),
        (_, "more" | "greater", "than") => (M::MoreThan, 2),
        (_, "upwards", "of") => (M::MoreThan, 2),
        (_, "up", "to") | (_, "close", "to") | (_, "an", "estimated") => (M::About, 2),
        (_, _, "at-least" | "minimum") => (M::AtLeast, 1),
        (_, _, "over" | "above") => (M::MoreThan, 1),
        (_, _, "nearly" | "almost" | "about" | "around" | "approximately" | "roughly")
        | (_, _, "some" | "approx" | "estimated" | "circa") => (M::About, 1),
        _ => return q,
    };
    if q.needs_sing {
        return q;
    }
    q.start = i - n;
    match m {
        M::AtLeast => q.max = None,
        M::MoreThan => {
            q.min = q.max.unwrap_or(q.min).saturating_add(1);
            q.max = None;
        }
        M::About => {
            q.approx = true;
        }
    }
    q
}

/// What a noun phrase after a quantity says about who is counted.
#[derive(Clone, Copy, Debug, Default)]
struct Np {
    end: usize,
    who: u32,
    sing: bool,
    person: bool,
    unit: bool,
}

/// Scans a noun phrase starting at `j`, at most `limit` words, stopping at breaks, verbs we know,
/// prepositions (except one "of" and parenthesised abbreviations) and numbers.
fn np_forward(d: &Doc, j: usize, limit: usize) -> Np {
    let mut np = Np {
        end: j,
        ..Np::default()
    };
    let mut k = j;
    let mut words = 0;
    let mut seen_of = false;
    let mut head_who = 0u32;
    let mut of_who = 0u32;
    let mut stop_who = false;
    while k < d.toks.len() && words < limit {
        match d.kind(k) {
            Some(Tk::Word) => {}
            Some(Tk::Open) => {
                // "(ANA)": skip a short parenthesis.
                if d.kind(k + 2) == Some(Tk::Close) && d.kind(k + 1) == Some(Tk::Word) {
                    k += 3;
                    np.end = k;
                    continue;
                }
                break;
            }
            _ => break,
        }
        let w = d.w(k);
        // ("al Qaeda's leader": a group that owns the person names the side; a person who
        // does, "the gunman's brother", does not)
        let f = match lex(w) {
            0 => crate::text::strip_possessive(w)
                .map(lex)
                .filter(|f| f & WHO_MASK & (MIL | TALIBAN) != 0 && f & SING == 0)
                .unwrap_or(0),
            f => f,
        };
        if k == j && f & UNIT != 0 {
            np.unit = true;
            break;
        }
        if w == "including" || w == "among" {
            stop_who = true;
            k += 1;
            words += 1;
            continue;
        }
        if w == "of" {
            if seen_of {
                break;
            }
            seen_of = true;
            k += 1;
            words += 1;
            continue;
        }
        if f & (BRK | PREP | AUX) != 0
            || f & NEG != 0 && w != "one" && !describes_person(d, k)
            || trigger_at(d, k).is_some()
            || plain_num(d, k).is_some()
            || matches!(w, "and" | "or" | "while" | "others'" | "more") && !(w == "more" && k == j)
            // "terrorist Shabbir aka Doctor": an alias names no other group.
            || matches!(w, "aka" | "alias")
            || (w.ends_with("ing") && f & WHO_MASK == 0 && w != "working")
            || (w.ends_with("ed")
                && f & WHO_MASK == 0
                && w.len() > 4
                && !d.toks[k].cap
                && !describes_person(d, k))
        {
            if w == "more" && k == j {
                k += 1;
                continue;
            }
            break;
        }
        let who = f & WHO_MASK;
        if who != 0 && !stop_who {
            np.person = true;
            if seen_of {
                of_who = who;
            } else if who == TALIBAN && head_who != 0 {
                // "Taliban" never overrides a noun already read.
            } else if head_who != 0 && who == UNS {
                // "ISIS leader", "Taliban commander", "police members": the group decides.
            } else if head_who & SF != 0 && who & CIV != 0 && w.starts_with("official") {
                // "security officials" are security forces.
            } else {
                head_who = who;
            }
            if f & SING != 0 && !seen_of {
                np.sing = true;
            } else if !seen_of {
                np.sing = false;
            }
        }
        words += 1;
        k += 1;
        np.end = k;
    }
    np.who = if head_who != 0 && (head_who != UNS || of_who == 0) {
        head_who
    } else if of_who != 0 {
        of_who
    } else {
        head_who
    };
    np
}

/// A participle used as an adjective between a number and the people it counts: "seven
/// (most) wanted terrorists", "two armed men" — not a verb ("wanted to kill", "counted
/// civilian deaths") that ends the phrase.
fn describes_person(d: &Doc, k: usize) -> bool {
    let w = d.w(k);
    let counted = |j: usize| d.kind(j) == Some(Tk::Word) && plain_num(d, j).is_some();
    let after_number = k > 0 && counted(k - 1) || k > 1 && d.is(k - 1, "most") && counted(k - 2);
    w.ends_with("ed")
        && after_number
        && trigger_at(d, k).is_none()
        && d.kind(k + 1) == Some(Tk::Word)
        && d.flags(k + 1) & WHO_MASK != 0
        && trigger_at(d, k + 1).is_none()
}

fn is_month(w: &str) -> bool {
    month_number(w).is_some()
}

/// A day of the week, lower case.
pub(super) fn is_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

fn who_of(flags: u32) -> Who {
    if flags & SF != 0 {
        Who::SecurityForces
    } else if flags & CIV != 0 {
        Who::Civilians
    } else if flags & (MIL | TALIBAN) != 0 {
        Who::Militants
    } else {
        Who::Unspecified
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dir {
    /// The counted phrase precedes the word ("five soldiers were killed").
    Left,
    /// The counted phrase follows it ("killing at least 59").
    Right,
    /// Either, by voice ("killed").
    Both,
    /// "death toll ... to N".
    Toll,
}

#[derive(Clone, Copy, Debug)]
struct Trig {
    kind: CasualtyKind,
    dir: Dir,
    /// One past the trigger's last token.
    end: usize,
}

const VIOLENT_VERBS: &[&str] = &[
    "stabbed",
    "beaten",
    "tortured",
    "stoned",
    "hacked",
    "burnt",
    "burned",
    "bludgeoned",
    "shot",
    "lynched",
    "clubbed",
    "strangled",
];

/// Whether a number follows token `i`, perhaps after the words that modify it ("wounds at
/// least eight", "as many as 20"; [`with_modifier`]).
fn counted_after(d: &Doc, i: usize) -> bool {
    (1..=4).any(|n| parse_qty(d, i + n).is_some_and(|q| with_modifier(d, q).start == i + 1))
}

/// Whether "shot" at `i` reports someone hurt by a shot: passive ("was shot", "shot in the
/// leg"), not followed by what says it killed or missed ("shot dead", "shot at", "shot
/// down"), in a sentence where no other casualty word counts anyone ("shot and wounded" is
/// the word "wounded"'s figure, "shot in the head and died" a death) and nothing says the
/// shot was fatal ("fatally", "the deceased … was shot").
fn shot_wounded(d: &Doc, i: usize) -> bool {
    let n1 = d.w(i + 1);
    let passive = i > 0 && matches!(d.w(i.wrapping_sub(1)), "was" | "were" | "been" | "got");
    let body_part = n1 == "in"
        && matches!(
            d.w(i + 3),
            "leg" | "legs" | "foot" | "feet" | "arm" | "arms" | "shoulder" | "thigh" | "hand"
        );
    if !(passive || body_part) || matches!(n1, "dead" | "at" | "down" | "and" | "by" | "to") {
        return false;
    }
    let (a, b) = sentence_bounds(d, i);
    !(a..b).any(|k| {
        let w = d.w(k);
        matches!(w, "fatally" | "deceased" | "dead" | "death")
            // another "shot" is read here only as "shot dead" (the arm before this one's),
            // never by this test again
            || k != i && (w != "shot" || d.w(k + 1) == "dead") && trigger_at(d, k).is_some()
    })
}

/// The casualty word (or phrase) at token `i`, if any.
fn trigger_at(d: &Doc, i: usize) -> Option<Trig> {
    use CasualtyKind::{Abducted, Killed, Wounded};
    let w = d.w(i);
    if w.is_empty() {
        return None;
    }
    let t = |kind, dir, n: usize| {
        Some(Trig {
            kind,
            dir,
            end: i + n,
        })
    };
    let n1 = d.w(i + 1);
    // "the dead girl's father", "30 of the wounded", "a murdered man": an adjective or a noun,
    // not a report.
    // ("another injured" ending its clause is one more person hurt.)
    let another_reported = d.is(i.wrapping_sub(1), "another")
        && (d.kind(i + 1) != Some(Tk::Word) || lex(n1) & (PREP | AUX | BRK) != 0 || n1 == "and");
    if matches!(w, "dead" | "wounded" | "injured" | "deceased" | "murdered")
        && i > 0
        && lex(d.w(i.wrapping_sub(1))) & DET != 0
        && d.w(i.wrapping_sub(1)) != "one"
        && !another_reported
        // ("an injured Marine" is one person hurt, read after it — but not in a photo's
        // caption, where "a wounded man receives treatment" shows one of a count)
        && (!one_hurt(d, i) || has_photo_credit(d.lower))
    {
        return None;
    }
    match w {
        "killed" | "massacred" | "slaughtered" | "slain" | "murdered" | "assassinated"
        | "executed" | "beheaded" | "lynched" | "hanged" | "neutralised" | "neutralized" => {
            t(Killed, Dir::Both, 1)
        }
        "killing" | "killings" | "kidnapping" | "kidnappings" | "abduction" | "abductions"
            if n1 == "of" =>
        {
            t(
                if w.starts_with("killing") {
                    Killed
                } else {
                    Abducted
                },
                Dir::Right,
                2,
            )
        }
        "kill" | "kills" | "killing" | "hangs" | "executes" | "massacres" | "murders" => {
            t(Killed, Dir::Right, 1)
        }
        "murder" | "assassination" | "massacre" | "genocide" if n1 == "of" => {
            t(Killed, Dir::Right, 2)
        }
        "murder" if n1 == "case" && d.is(i + 2, "of") => t(Killed, Dir::Right, 3),
        // "the loss of 13 Americans": people lost are dead (not "loss of 300 jobs").
        "loss" | "losses"
            if n1 == "of"
                && plain_num(d, i + 2).is_some_and(|(_, end, _)| {
                    // The people noun ends the phrase: not "40 police posts".
                    let people_at = |k: usize| {
                        lex(d.w(k)) & WHO_MASK != 0
                            && !(d.kind(k + 1) == Some(Tk::Word) && lex(d.w(k + 1)) == 0)
                    };
                    people_at(end) || lex(d.w(end)) == 0 && people_at(end + 1)
                }) =>
        {
            t(Killed, Dir::Right, 2)
        }
        // "resulting in the deaths of at least 13 individuals"; "13 deaths of civilians".
        "death" | "deaths" if n1 == "of" => t(Killed, Dir::Both, 2),
        "dead" | "died" | "dies" | "die" | "martyred" | "succumbed" | "deaths" | "fatalities"
        | "killings" => t(Killed, Dir::Left, 1),
        "shot" if n1 == "dead" => t(Killed, Dir::Both, 2),
        // "Imran Khan was shot in the leg": hurt, when nothing in the sentence says the shot
        // killed ("shot and killed", "shot in the head and died") or that it missed ("shot
        // at"), and it is a person's ("the film was shot in Lahore" names no one).
        "shot" if shot_wounded(d, i) => t(Wounded, Dir::Left, 1),
        "gunned" if n1 == "down" => t(Killed, Dir::Both, 2),
        v if VIOLENT_VERBS.contains(&v) && n1 == "to" && d.is(i + 2, "death") => {
            t(Killed, Dir::Left, 3)
        }
        "lost" | "lose" | "losing" | "laid"
            if matches!(n1, "their" | "his" | "her" | "its")
                && matches!(d.w(i + 2), "lives" | "life") =>
        {
            t(Killed, Dir::Left, 3)
        }
        // "over 200 soldiers have laid down their lives".
        "laid" | "lay" | "laying"
            if n1 == "down"
                && matches!(d.w(i + 2), "their" | "his" | "her")
                && matches!(d.w(i + 3), "lives" | "life") =>
        {
            t(Killed, Dir::Left, 4)
        }
        "embraced" if matches!(n1, "martyrdom" | "shahadat") => t(Killed, Dir::Left, 2),
        "sent" if n1 == "to" && d.is(i + 2, "hell") => t(Killed, Dir::Left, 3),
        "claimed" | "claiming" | "claims" | "claim"
            if (n1 == "the" && d.is(i + 2, "lives") && d.is(i + 3, "of")) =>
        {
            t(Killed, Dir::Right, 4)
        }
        "claimed" | "claiming" | "claims" | "claim" if n1 == "lives" && d.is(i + 2, "of") => {
            t(Killed, Dir::Right, 3)
        }
        // "Blast claims 3 lives", "took at least 59 lives", "166 lives lost": the number
        // before "lives".
        "lives"
            if i >= 2
                && ((i.saturating_sub(4)..i - 1).any(|k| {
                    matches!(
                        d.w(k),
                        "claimed" | "claims" | "claiming" | "claim" | "took" | "takes" | "taking"
                    ) && (k + 1..i).all(|m| d.kind(m) == Some(Tk::Word))
                }) || n1 == "lost")
                && plain_num(d, i - 1).is_some() =>
        {
            t(Killed, Dir::Left, 1)
        }
        "bodies" if n1 == "of" => t(Killed, Dir::Right, 2),
        "bodies" => t(Killed, Dir::Left, 1),
        "toll" => t(Killed, Dir::Toll, 1),
        "injured" | "wounded" | "hurt" => t(Wounded, Dir::Both, 1),
        // "Nearly 80 girls were poisoned … in two separate attacks": harmed on purpose
        "poisoned" if poisoned_on_purpose(d, i) => t(Wounded, Dir::Left, 1),
        "injuring" | "wounding" | "injures" | "injure" => t(Wounded, Dir::Right, 1),
        "wounds" if matches!(n1, "to" | "others") => {
            t(Wounded, Dir::Right, 1 + usize::from(n1 == "to"))
        }
        // The verb: "kills 3, wounds 12", "wounds scores"; not the noun ("died of his wounds",
        // "gunshot wounds").
        "wounds"
            if counted_after(d, i)
                && (i == 0
                    || lex(d.w(i.wrapping_sub(1))) & DET == 0
                        && !matches!(
                            d.w(i.wrapping_sub(1)),
                            "of" | "from"
                                | "with"
                                | "gunshot"
                                | "bullet"
                                | "shrapnel"
                                | "stab"
                                | "minor"
                                | "serious"
                                | "severe"
                                | "critical"
                                | "fatal"
                                | "multiple"
                                | "head"
                                | "its"
                                | "these"
                                | "those"
                        )) =>
        {
            t(Wounded, Dir::Right, 1)
        }
        "sustained" | "received" | "suffered"
            if matches!(n1, "injuries" | "wounds")
                || (matches!(n1, "bullet" | "gunshot" | "serious" | "critical" | "severe")
                    && matches!(d.w(i + 2), "injuries" | "wounds")) =>
        {
            t(
                Wounded,
                Dir::Left,
                if matches!(n1, "injuries" | "wounds") {
                    2
                } else {
                    3
                },
            )
        }
        "abducted" | "kidnapped" => t(Abducted, Dir::Both, 1),
        "abducting" | "kidnapping" | "abducts" | "kidnaps" | "abduct" | "kidnap" => {
            t(Abducted, Dir::Right, 1)
        }
        "taken" | "held" if matches!(n1, "hostage" | "captive") => t(Abducted, Dir::Left, 2),
        "disappearances" => t(Abducted, Dir::Left, 1),
        _ => None,
    }
}

struct Found {
    kind: CasualtyKind,
    q: Qty,
    who: Who,
    range: Range<usize>,
    /// Token index of the casualty word, for context checks.
    at: usize,
}

/// Base (infinitive) forms of casualty verbs: after "to" or a modal they report no event.
const BASE_FORMS: &[&str] = &[
    "kill",
    "injure",
    "wound",
    "abduct",
    "kidnap",
    "die",
    "murder",
    "execute",
    "behead",
    "massacre",
    "lynch",
    "hang",
    "assassinate",
    "slaughter",
];

const MODALS: &[&str] = &[
    "will", "would", "could", "can", "may", "might", "should", "must", "shall", "cannot",
];

/// A base-form casualty verb governed by "to" or a modal earlier in its clause: "incited people
/// to kill", "will hunt him down and kill him", "could attack and kill".
fn base_form_unreal(d: &Doc, i: usize) -> bool {
    if !BASE_FORMS.contains(&d.w(i)) {
        return false;
    }
    let mut k = i;
    while k > 0 && i - k < 10 {
        k -= 1;
        if d.kind(k) != Some(Tk::Word) {
            return false;
        }
        let w = d.w(k);
        if w == "to" {
            // "said to kill", "reported to have": hearsay of a real event.
            let before = if k > 0 { d.w(k.wrapping_sub(1)) } else { "" };
            return !matches!(
                before,
                "said" | "reported" | "believed" | "thought" | "alleged" | "known" | "seen"
            );
        }
        if MODALS.contains(&w) {
            return true;
        }
        if lex(w) & BRK != 0 {
            return false;
        }
    }
    false
}

/// Is the trigger at `i` inside a clause that is denied: "police denied reports that 10
/// people had been killed", "the Taliban rejected claims that 20 civilians died"?
fn denied(d: &Doc, i: usize) -> bool {
    let lo = i.saturating_sub(12);
    (lo..i)
        .rev()
        .take_while(|&k| d.kind(k) == Some(Tk::Word))
        .find(|&k| d.w(k) == "that")
        .is_some_and(|k| {
            (k.saturating_sub(2)..k).any(|j| {
                matches!(
                    d.w(j),
                    "deny"
                        | "denies"
                        | "denied"
                        | "denying"
                        | "rejected"
                        | "rejects"
                        | "dismissed"
                        | "dismisses"
                        | "refuted"
                        | "refutes"
                )
            })
        })
}

/// Is the trigger at `i` negated, hypothetical, denied or a threat?
fn negated(d: &Doc, i: usize) -> bool {
    if base_form_unreal(d, i) || denied(d, i) {
        return true;
    }
    let mut k = i;
    let mut n = 0;
    while k > 0 && n < 4 {
        k -= 1;
        if d.kind(k) != Some(Tk::Word) {
            return false;
        }
        let w = d.w(k);
        // A relative clause starts afresh: "plotting the attack that wounded him".
        if matches!(w, "that" | "which") {
            return false;
        }
        if lex(w) & NEG != 0 && w != "almost" && w != "narrowly" && !describes_person(d, k)
            || w == "to"
        {
            // "to" only marks an infinitive before a base form ("vowed to kill").
            if w == "to" {
                let before = if k > 0 { d.w(k.wrapping_sub(1)) } else { "" };
                return lex(before) & NEG != 0
                    || matches!(
                        before,
                        "going"
                            | "want"
                            | "wants"
                            | "order"
                            | "orders"
                            | "ordered"
                            | "decided"
                            | "threat"
                            | "threats"
                            | "plan"
                            | "designed"
                            | "able"
                            | "try"
                            | "conspiracy"
                            | "conspired"
                            | "intends"
                            | "intend"
                            | "meant"
                            | "licence"
                            | "license"
                    );
            }
            return true;
        }
        if matches!(w, "narrowly" | "almost") {
            return true;
        }
        n += 1;
    }
    false
}

/// The quantity + noun phrase ending exactly before token `p1` (exclusive), scanning left;
/// with `modified`, people counted may be followed by a short modifier ([`short_modifier`]).
fn np_ending_at(d: &Doc, p1: usize, modified: bool) -> Option<(Qty, Np)> {
    if p1 == 0 {
        return None;
    }
    let lo = p1.saturating_sub(12);
    let mut j = p1;
    while j > lo {
        j -= 1;
        match d.kind(j) {
            Some(Tk::Word) => {}
            Some(Tk::Close) | Some(Tk::Open) => continue,
            _ => return None,
        }
        let f = d.flags(j);
        if f & (BRK | NEG) != 0 && !matches!(d.w(j), "no" | "one") && !describes_person(d, j) {
            return None;
        }
        if j + 1 < p1 && trigger_at(d, j).is_some() {
            return None;
        }
        let Some(mut q) = parse_qty(d, j) else {
            continue;
        };
        // Prefer a longer number ending at the same place ("twenty five", "10 to 12").
        for back in 1..=2 {
            if j >= back
                && let Some(q2) = parse_qty(d, j - back)
                && q2.end >= q.end
                && !q2.needs_sing
            {
                q = q2;
            }
        }
        if q.end > p1 {
            return None;
        }
        if one_of_the(d, &q) {
            return None;
        }
        if q.start > 0 && (matches!(d.w(q.start - 1), "no" | "not") || is_month(d.w(q.start - 1))) {
            return None;
        }
        // "Three people travelling in a car were killed", "two policemen on patrol were
        // martyred": people counted, then a short modifier before the verb.
        if modified && !q.needs_sing && !q.year_like {
            let np = np_forward(d, q.end, 12);
            if np.person && !np.unit && np.end < p1 && short_modifier(d, np.end, p1) {
                return Some((with_modifier(d, q), np));
            }
        }
        // "3 The Norse god ...": an article after the number starts another phrase.
        let before_of = (q.end..p1).take_while(|&k| !d.is(k, "of"));
        if before_of
            .clone()
            .any(|k| matches!(d.w(k), "a" | "an" | "the"))
        {
            if q.needs_sing {
                continue;
            }
            return None;
        }
        let np = np_forward(d, q.end, 12);
        if np.end != p1 && q.end != p1 {
            if q.needs_sing || d.is(j, "the") {
                continue;
            }
            return None;
        }
        if np.unit || (q.needs_sing && !np.sing) || (q.year_like && !np.person) {
            if q.needs_sing {
                continue;
            }
            return None;
        }
        let q = with_modifier(d, q);
        return Some((q, np));
    }
    None
}

/// Whether tokens `from..to` are a short modifier of a counted phrase: a participle or a
/// preposition and what follows ("travelling in a car", "on patrol", "deployed at the
/// checkpoint"), at most six words, none a number, a casualty word, a negation, an
/// auxiliary or a clause break.
fn short_modifier(d: &Doc, from: usize, to: usize) -> bool {
    let first = d.w(from);
    let opens = d.flags(from) & PREP != 0
        || first.len() > 5 && first.ends_with("ing") && first != "including"
        || matches!(first, "deployed" | "stationed" | "posted" | "aboard");
    opens
        && to - from <= 6
        && (from..to).all(|k| {
            d.kind(k) == Some(Tk::Word)
                && d.flags(k) & (BRK | NEG | AUX) == 0
                && !matches!(d.w(k), "of" | "and" | "or" | "including" | "among")
                && trigger_at(d, k).is_none()
                && plain_num(d, k).is_none()
        })
}

/// The token of an "including" a few words before `k` in the same clause, if any.
fn including_before(d: &Doc, k: usize) -> Option<usize> {
    let mut j = k;
    while j > 0 && k - j < 20 {
        j -= 1;
        match d.kind(j) {
            Some(Tk::Word) => {}
            Some(Tk::Comma | Tk::Open | Tk::Close) => continue,
            _ => return None,
        }
        let w = d.w(j);
        if w == "including" {
            return Some(j);
        }
        if lex(w) & BRK != 0 || trigger_at(d, j).is_some() {
            return None;
        }
    }
    None
}

/// "Six people" ending just before token `x` ("including").
fn total_before(d: &Doc, x: usize) -> Option<(Qty, Np)> {
    for j in (x.saturating_sub(4)..x).rev() {
        if d.kind(j) != Some(Tk::Word) {
            return None;
        }
        let Some(q) = parse_qty(d, j) else { continue };
        if q.needs_sing || q.year_like || q.end > x {
            continue;
        }
        let np = np_forward(d, q.end, x - q.end);
        // "Six people including ...", or a bare "Two including a woman".
        if np.end == x && (np.person || q.end == x) {
            return Some((with_modifier(d, q), np));
        }
        return None;
    }
    None
}

/// Figures for a trigger whose counted phrase precedes it.
fn left_figures(d: &Doc, i: usize, tr: Trig, out: &mut Vec<Found>) -> bool {
    // Skip auxiliaries and adverbs: "were reportedly", "have been", "who were shot and".
    let mut p = i;
    let mut saw_was = false;
    let mut saw_who = false;
    while p > 0 {
        let w = d.w(p.wrapping_sub(1));
        if lex(w) & AUX != 0
            || (w == "and" && d.is(p.wrapping_sub(2), "shot"))
            || (matches!(w, "believed" | "feared" | "thought" | "said" | "reported")
                && d.is(p, "to"))
            || (w == "to"
                && p >= 2
                && matches!(
                    d.w(p.wrapping_sub(2)),
                    "believed" | "feared" | "thought" | "said" | "reported"
                )
                && matches!(d.w(p), "be" | "have"))
            || w == "shot"
            || (w == "to" && d.is(i, "lose"))
            || matches!(
                w,
                "reportedly"
                    | "allegedly"
                    | "brutally"
                    | "critically"
                    | "seriously"
                    | "also"
                    | "unlawfully"
                    | "illegally"
                    | "summarily"
                    | "mistakenly"
                    | "wrongly"
                    | "deliberately"
                    | "fatally"
                    | "tragically"
                    | "mercilessly"
            )
        {
            saw_was |= matches!(w, "was" | "has");
            saw_who |= w == "who";
            p -= 1;
        } else {
            break;
        }
    }
    let end = d.toks[tr.end - 1].e;
    let mut found = false;
    let mut p1 = p;
    let mut first = true;
    let n_before = out.len();
    let mut earliest = p;
    for _ in 0..5 {
        let Some((q, np)) = np_ending_at(d, p1, first) else {
            break;
        };
        if !first && !np.person && !q.needs_sing {
            break;
        }
        // "the leader behind the bombing that killed 180 including 13 soldiers has been
        // killed": a plural count never agrees with a singular verb.
        if first && saw_was && q.min > 1 {
            break;
        }
        let range_end = if first {
            end
        } else {
            d.toks[np.end.max(q.end) - 1].e
        };
        out.push(Found {
            kind: tr.kind,
            q,
            who: who_of(np.who),
            range: d.toks[q.start].s..range_end,
            at: i,
        });
        found = true;
        first = false;
        earliest = q.start;
        // Coordination: "19 militants and three soldiers were killed".
        let mut s = q.start;
        let mut sep = false;
        while s > 0
            && (d.kind(s.wrapping_sub(1)) == Some(Tk::Comma) || d.is(s.wrapping_sub(1), "and"))
        {
            s -= 1;
            sep = true;
        }
        if !sep {
            break;
        }
        p1 = s;
    }
    // A total of people that a list after "including" details, up to the casualty word.
    let total = |q: Qty, np: Np| Found {
        kind: tr.kind,
        q,
        who: who_of(np.who),
        range: d.toks[q.start].s..end,
        at: i,
    };
    if found {
        // "Six people including a guard, his two sons and three women were injured": the
        // numbers after "including" are part of the total before it.
        if let Some(x) = including_before(d, earliest)
            && let Some((q, np)) = total_before(d, x)
        {
            out.truncate(n_before);
            out.push(total(q, np));
        }
        return true;
    }
    // "Four militants, including a commander, were gunned down": the total before an
    // appositive that lists some of them.
    if p > 1
        && d.kind(p - 1) == Some(Tk::Comma)
        && let Some(x) = including_before(d, p - 1)
        && x > 0
        && d.kind(x - 1) == Some(Tk::Comma)
        && let Some((q, np)) = total_before(d, x - 1)
        && np.person
        // The count agrees with the verb and is its subject, not the object of a preposition
        // or a participle ("the commander of 40 militants, including …", "guarding 5 polio
        // workers, including …"); after a word of saying it starts the clause ("claiming
        // nearly 50 civilians, including refugees, were killed").
        && !(saw_was && q.min > 1)
        && !(q.start > 0 && {
            let before = d.w(q.start - 1);
            before == "of"
                || d.flags(q.start - 1) & PREP != 0
                || before.ends_with("ing")
                    && !matches!(
                        before,
                        "claiming" | "saying" | "adding" | "stating" | "confirming" | "reporting"
                    )
        })
    {
        out.push(total(q, np));
        return true;
    }
    if p == 0 {
        return false;
    }
    // A plural noun ("civilian deaths", "police killings") counts only with a number.
    if matches!(
        d.w(i),
        "deaths" | "fatalities" | "killings" | "disappearances" | "bodies"
    ) {
        return false;
    }
    // "A police head constable, Ghulam Mohammed Dar, was shot and killed": the person noun
    // before a name set off by commas is the subject.
    let p = if saw_was && p > 3 && d.kind(p - 1) == Some(Tk::Comma) {
        let mut k = p - 1;
        while k > 0 && p - 1 - k < 4 && name_word(d, k - 1) {
            k -= 1;
        }
        if k < p - 1 && k > 1 && d.kind(k - 1) == Some(Tk::Comma) && lex(d.w(k - 2)) & SING != 0 {
            k - 1
        } else {
            p
        }
    } else {
        p
    };
    // A single person: "bank guard dead", "he was killed", "a journalist, who was killed".
    let w = d.w(p.wrapping_sub(1));
    // "I thought I was dead", "we will die": the speaker is no reported victim.
    if matches!(w, "i" | "we" | "you") {
        return false;
    }
    let f = lex(w);
    let one = |who: u32, start: usize| Found {
        kind: tr.kind,
        q: Qty::one(start, start + 1),
        who: who_of(who),
        range: d.toks[start].s..end,
        at: i,
    };
    // "Two men were shot dead, another injured", "… and another was wounded": one more.
    if w == "another"
        && (p == 1
            || matches!(d.kind(p - 2), Some(Tk::Comma | Tk::Stop))
            || matches!(d.w(p - 2), "and" | "while" | "whereas"))
    {
        out.push(one(0, p - 1));
        return true;
    }
    if f & SING != 0 && (saw_was || p == i) && !d.is(p.wrapping_sub(2), "every") {
        // Pull in a few modifiers for the range.
        let mut s = p - 1;
        let mut who = f & WHO_MASK;
        let mut n = 0;
        while s > 0 && n < 3 && d.kind(s.wrapping_sub(1)) == Some(Tk::Word) {
            let g = d.flags(s.wrapping_sub(1));
            if g & (BRK | PREP | AUX | NEG) != 0 || plain_num(d, s - 1).is_some() {
                break;
            }
            if trigger_at(d, s - 1).is_some() || d.w(s.wrapping_sub(1)) == "and" {
                break;
            }
            if g & (SF | CIV) != 0 && who & (SF | CIV) == 0 {
                who = g & WHO_MASK;
            }
            s -= 1;
            n += 1;
            if g & DET != 0 {
                break;
            }
        }
        // Plural nouns before ("soldiers' guard") or "of the" means a different structure.
        if s > 0 && d.is(s.wrapping_sub(1), "of") {
            return false;
        }
        out.push(one(who, s));
        return true;
    }
    if saw_who && saw_was && d.is(p, "who") {
        out.push(one(0, p));
        return true;
    }
    let strong = tr.end - i >= 2 || d.is(i, "succumbed");
    // "Sepoy Ahmed Ali 26, embraced martyrdom": a name, then the age.
    if strong
        && p == i
        && p >= 4
        && d.kind(p - 1) == Some(Tk::Comma)
        && d.w(p - 2)
            .parse::<u8>()
            .is_ok_and(|age| (15..=99).contains(&age))
        && d.toks[p - 3].cap
        && lex(d.w(p - 3)) == 0
        && !is_month(d.w(p - 3))
    {
        out.push(one(0, p - 3));
        return true;
    }
    if (saw_was || strong && p == i)
        && (f & PRON != 0 || saw_who || d.toks[p - 1].cap && f == 0 && p - 1 > 0)
    {
        if saw_who && !d.is(p, "who") {
            return false;
        }
        out.push(one(0, p - 1));
        return true;
    }
    false
}

/// One death named by its victim before the noun: "her murder", "Muzammil's killing", "the
/// Nijjar killing" — a singular murder, killing or assassination after "his" or "her", or
/// written in lower case after a capitalised name (not a headline in title case) that does
/// not open its sentence ("Targeted killing …"), and before no noun of its own ("his murder
/// trial", "her assassination attempt", "his killing spree"; "of" is the other reading:
/// "his killing of civilians").
fn victim_before(d: &Doc, i: usize) -> Option<Found> {
    if i == 0 || !matches!(d.w(i), "murder" | "killing" | "assassination") {
        return None;
    }
    let next_ok = match d.kind(i + 1) {
        Some(Tk::Word) => {
            let w = d.w(i + 1);
            // (after "killing" a preposition may start the verb's object: "Israel killing at
            // least 900"; a place after it is where: "the Nijjar killing in Canada")
            lex(w) & PREP != 0 && (d.w(i) != "killing" || d.toks.get(i + 2).is_some_and(|t| t.cap))
                || lex(w) & AUX != 0
                || matches!(w, "and" | "that" | "which" | "last" | "sparked" | "shocked")
        }
        _ => true,
    };
    let p = i - 1;
    let possessive = |w: &str| crate::text::strip_possessive(w).is_some();
    let named = !d.toks[i].cap
        && p > 0
        && d.toks[p - 1].sent == d.toks[p].sent
        && (name_word(d, p) || d.kind(p) == Some(Tk::Word) && d.toks[p].cap && possessive(d.w(p)));
    if !next_ok || !(matches!(d.w(p), "his" | "her") || named) {
        return None;
    }
    Some(Found {
        kind: CasualtyKind::Killed,
        q: Qty::one(p, p + 1),
        who: Who::Unspecified,
        range: d.toks[p].s..d.toks[i].e,
        at: i,
    })
}

/// Whether the word at `i` is "injured" or "wounded" after "a" or "an": "an injured Marine",
/// one person hurt, the adjective's own.
fn one_hurt(d: &Doc, i: usize) -> bool {
    i > 0 && matches!(d.w(i.wrapping_sub(1)), "a" | "an") && matches!(d.w(i), "injured" | "wounded")
}

/// Whether a text carries a photo's credit in brackets ("(Saifullah Karimi/AP Photo)",
/// "(… via Getty Images)"): a caption, or an item that holds one.
fn has_photo_credit(lower: &str) -> bool {
    ["photo)", "getty images)", "/afp)", "(afp)", "/reuters)"]
        .iter()
        .any(|c| lower.contains(c))
}

/// Whether token `t` may be a word of a person's name: capitalised, no other word the
/// extractor knows, no month.
fn name_word(d: &Doc, t: usize) -> bool {
    d.kind(t) == Some(Tk::Word) && d.toks[t].cap && lex(d.w(t)) == 0 && !is_month(d.w(t))
}

/// The end of a person's name starting at token `k`: one to four capitalised words that are
/// no other word the extractor knows ("Sarah Inaam", "Naqeebullah"), not followed by a noun
/// for people ("Pakistani soldiers"), no possessive ("Israel's hostages", "Osama bin Laden's
/// courier"), and one word only when it is no plural ("Palestinians", "Kashmiris"). Not in a
/// headline written in title case ("Killing Of Stray Dogs"), where every word is capitalised.
fn named_person(d: &Doc, k: usize) -> Option<usize> {
    if k > 0 && d.toks[k - 1].cap {
        return None;
    }
    // "Osama bin Laden", "Zia ul Haq": a particle between two capitalised words.
    let particle = |t: usize| {
        t > k && matches!(d.w(t), "bin" | "ibn" | "al" | "ul" | "ud" | "e") && name_word(d, t + 1)
    };
    let mut e = k;
    while e < k + 5 && (name_word(d, e) || particle(e)) {
        e += 1;
    }
    // "the soldiers' convoy" too.
    let possessive = |w: &str| {
        crate::text::strip_possessive(w).is_some()
            || w.chars()
                .next_back()
                .is_some_and(crate::text::is_apostrophe)
    };
    let people_after = d.kind(e) == Some(Tk::Word) && lex(d.w(e)) & WHO_MASK != 0;
    let owner = (k..=e.min(d.toks.len().saturating_sub(1))).any(|t| possessive(d.w(t)));
    let plural = e == k + 1 && d.w(k).ends_with('s');
    (e > k && !people_after && !owner && !plural).then_some(e)
}

/// Figures for a trigger whose counted phrase follows it ("killing at least 59").
fn right_figures(d: &Doc, i: usize, tr: Trig, out: &mut Vec<Found>) -> bool {
    let start_byte = d.toks[i].s;
    let mut k = tr.end;
    let mut found = false;
    for _ in 0..3 {
        let mut got: Option<(Qty, Np)> = None;
        for j in k..(k + 4).min(d.toks.len()) {
            if d.kind(j) != Some(Tk::Word) {
                break;
            }
            if let Some(q) = parse_qty(d, j) {
                let q = with_modifier(d, q);
                if q.needs_sing && j == k && !found {
                    continue;
                }
                if q.start != k
                    && !(q.start == k + 1 && matches!(d.w(k), "his" | "her" | "their" | "the"))
                {
                    break;
                }
                let np = np_forward(d, q.end, 6);
                if np.unit || (q.year_like && !np.person) || (q.needs_sing && !np.sing) {
                    break;
                }
                if trigger_at(d, np.end).is_some() && np.end == q.end {
                    break; // "killed 3 injured": the number belongs to the next word.
                }
                got = Some((q, np));
                break;
            }
        }
        // ("the killing of a journalist" is a noun with its article, not an adjective)
        let adjective = i > 0
            && lex(d.w(i.wrapping_sub(1))) & DET != 0
            && !(d.is(tr.end - 1, "of")
                && matches!(d.w(i), "murder" | "killing" | "assassination"));
        // "the murder (case) of Sarah Inaam", "the killing of Arshad Sharif": a person named.
        if got.is_none()
            && !found
            && d.is(tr.end - 1, "of")
            && matches!(d.w(i), "murder" | "killing" | "assassination")
            && let Some(end) = named_person(d, k)
        {
            out.push(Found {
                kind: tr.kind,
                q: Qty::one(k, end),
                who: Who::Unspecified,
                range: start_byte..d.toks[end - 1].e,
                at: i,
            });
            return true;
        }
        if got.is_none() && !found && (!adjective || one_hurt(d, i)) {
            // A single person: "kills police officer", "killing of a journalist", "injured him".
            let mut j = k;
            if lex(d.w(j)) & PRON != 0 && d.w(j) != "he" && d.w(j) != "she" {
                out.push(Found {
                    kind: tr.kind,
                    q: Qty::one(j, j + 1),
                    who: Who::Unspecified,
                    range: start_byte..d.toks[j].e,
                    at: i,
                });
                return true;
            }
            if lex(d.w(j)) & DET != 0 && d.w(j) != "one" {
                j += 1;
            }
            let np = np_forward(d, j, 4);
            if np.sing && np.end > j && !d.is(np.end, "of") && !d.is(np.end, "'s") {
                out.push(Found {
                    kind: tr.kind,
                    q: Qty::one(j, np.end),
                    who: who_of(np.who),
                    range: start_byte..d.toks[np.end - 1].e,
                    at: i,
                });
                return true;
            }
        }
        let Some((q, np)) = got else { break };
        let last = np.end.max(q.end);
        let rs = if found { d.toks[q.start].s } else { start_byte };
        out.push(Found {
            kind: tr.kind,
            q,
            who: who_of(np.who),
            range: rs..d.toks[last - 1].e,
            at: i,
        });
        found = true;
        // "killed 13 soldiers and more than 150 civilians".
        if d.is(last, "and") {
            k = last + 1;
        } else {
            break;
        }
    }
    found
}

/// How many tokens after "toll" its number may come ("the death toll from a suspected suicide
/// bomb that ripped through a mosque at a police compound in northwestern Pakistan Monday has
/// risen to at least 88"): the scan stops earlier at the end of a clause.
const TOLL_WINDOW: usize = 30;

fn toll_figure(d: &Doc, i: usize, out: &mut Vec<Found>) -> bool {
    // A "casualty toll" counts the wounded too; it is no death toll.
    if i > 0 && matches!(d.w(i.wrapping_sub(1)), "casualty" | "casualties") {
        return false;
    }
    let mut best: Option<Qty> = None;
    let mut k = i + 1;
    while k < d.toks.len() && k < i + TOLL_WINDOW {
        // "the death toll from a bombing in Peshawar, Pakistan, has risen to 90": a comma
        // sets off a place, not a new clause
        if d.kind(k) == Some(Tk::Comma) {
            k += 1;
            continue;
        }
        if d.kind(k) != Some(Tk::Word) {
            break;
        }
        // "the toll will amount to ...", "could rise to ...": a forecast, not a count.
        if MODALS.contains(&d.w(k)) || lex(d.w(k)) & NEG != 0 {
            return false;
        }
        if d.is(k.wrapping_sub(1), "from") {
            k += 1; // "rose from 27 to 34": the newest toll counts.
            continue;
        }
        if let Some(q) = parse_qty(d, k) {
            let q = with_modifier(d, q);
            let before = if q.start > 0 { d.w(q.start - 1) } else { "" };
            if !q.needs_sing
                && !q.year_like
                && matches!(
                    before,
                    "to" | "at" | "is" | "was" | "of" | "reached" | "hit" | "now" | "crossed"
                )
            {
                best = Some(q);
            }
            k = q.end.max(k + 1);
            continue;
        }
        k += 1;
    }
    let Some(q) = best else { return false };
    let np = np_forward(d, q.end, 3);
    if np.unit {
        return false; // "more than seven times the number"
    }
    let s = if i > 0 && d.is(i.wrapping_sub(1), "death") {
        i - 1
    } else {
        i
    };
    out.push(Found {
        kind: CasualtyKind::Killed,
        q,
        who: if np.person {
            who_of(np.who)
        } else {
            Who::Unspecified
        },
        range: d.toks[s].s..d.toks[q.end - 1].e,
        at: i,
    });
    true
}

const ACCIDENT_CUES: &[&str] = &[
    "accident",
    "accidents",
    "crash",
    "crashed",
    "crashes",
    "collision",
    "collided",
    "flood",
    "floods",
    "flooding",
    "flooded",
    "rains",
    "rain",
    "downpour",
    "earthquake",
    "earthquakes",
    "quake",
    "tremors",
    "landslide",
    "landslides",
    "avalanche",
    "avalanches",
    "heatwave",
    "drowned",
    "drowning",
    "drown",
    "capsized",
    "capsizes",
    "sank",
    "sinking",
    "stampede",
    "stampedes",
    "blaze",
    "electrocuted",
    "lightning",
    "cyclone",
    "disease",
    "cholera",
    "dengue",
    "covid",
    "covid-19",
    "outbreak",
    "implosion",
    "ravine",
    "cylinder",
    "snowfall",
    "snowstorm",
    "snowstorms",
    "blizzard",
    "blizzards",
    "smog",
    "poisoning",
    "unexploded",
    "leak",
    "heatstroke",
    "shipwreck",
    "torrential",
    "accidentally",
    "pregnancy",
    "childbirth",
    "maternal",
    "ashore",
    "quakes",
    "seismic",
    "aftershock",
    "aftershocks",
    "toxic",
    "fumes",
    "mishap",
    "mishaps",
    "collides",
    "monsoon",
    "circuit",
    "circuits",
    "short-circuit",
    "derailed",
    "derails",
    "derail",
    "derailment",
    "accidental",
    "mudslide",
    "mudslides",
    "climbing",
    "climber",
    "climbers",
    "mountaineer",
    "mountaineers",
    "illness",
    "cancer",
    "cardiac",
    "malnutrition",
    "hypothermia",
    "wintry",
    // "electrical shorts caused the blasts"
    "shorts",
];

/// Words of a non-violent death that count only in a sentence without any sign of violence.
const WEAK_ACCIDENT_CUES: &[&str] = &[
    // diseases: "the virus has claimed 16 lives", but "polio workers killed … the polio virus"
    "virus",
    "fever",
    "measles",
    "malaria",
    "epidemic",
    "pandemic",
    "diarrhoea",
    "diarrhea",
    "tuberculosis",
    "hepatitis",
    "boat",
    "boats",
    "vessel",
    "coast",
    "temperatures",
    "freezing",
    "cold",
    "winter",
    "weather",
    "heat",
    "train",
    "bus",
    "vehicle",
    "truck",
    "lorry",
    "tanker",
    "mine",
    "factory",
    "building",
    "playing",
    "missing",
    "collapse",
    "collapsed",
    "crush",
    "storm",
    "plunged",
    "overturned",
    "canal",
    "river",
    "tractor",
    "trolley",
    "fell",
    "beach",
];

const VIOLENCE_CUES: &[&str] = &[
    "attack",
    "attacks",
    "attacked",
    "blast",
    "blasts",
    "bomb",
    "bombing",
    "bomber",
    "suicide",
    "gunmen",
    "gunman",
    "militants",
    "militant",
    "terrorist",
    "terrorists",
    "insurgents",
    "shooting",
    "firing",
    "gunfire",
    "clash",
    "clashes",
    "ambush",
    "ambushed",
    "strike",
    "airstrike",
    "drone",
    "shelling",
    "mortar",
    "rocket",
    "grenade",
    "ied",
    "explosive",
    "operation",
    "raid",
    "martyred",
    "assailants",
    "murder",
    "murdered",
    "killings",
    "execution",
    "executed",
    "abducted",
    "kidnapped",
    "shot",
    "gunned",
    "gunpoint",
    "explosion",
    "explosions",
    "exploded",
    "bombs",
    "bombings",
    "bombed",
    "bullet",
    "bullets",
    "gunshot",
    "opened",
    "opening",
    "opens",
    "fired",
    "stabbed",
    "terror",
    "attackers",
    "gunfight",
    "shootout",
];

fn fire_is_accident(d: &Doc, k: usize) -> bool {
    let prev = if k > 0 { d.w(k.wrapping_sub(1)) } else { "" };
    let next = d.w(k + 1);
    !matches!(
        prev,
        "opened"
            | "open"
            | "opening"
            | "of"
            | "cross"
            | "returned"
            | "return"
            | "set"
            | "under"
            | "heavy"
    ) && (matches!(
        next,
        "rips"
            | "ripped"
            | "broke"
            | "erupted"
            | "tore"
            | "engulfed"
            | "gutted"
            | "swept"
            | "raged"
    ) || matches!(prev, "a" | "massive" | "huge" | "devastating" | "major"))
}

/// "killed himself", "shot herself" in a sentence without violence: a suicide, which no
/// attacker caused. A gunman who killed himself after a shooting, or a leader who did during
/// a raid, died in the violence.
fn self_inflicted(d: &Doc, i: usize, tr: &Trig) -> bool {
    if !matches!(
        d.w(tr.end),
        "himself" | "herself" | "themselves" | "themself"
    ) {
        return false;
    }
    let (a, b) = sentence_bounds(d, i);
    !(a..b).any(|k| VIOLENCE_CUES.contains(&d.w(k)))
}

/// "dead or wounded", "killed or injured", "kills and wounds at least 100": a count of
/// casualties, not of one kind.
fn killed_or_wounded(d: &Doc, i: usize, tr: &Trig) -> bool {
    let joins = |k: usize| matches!(d.w(k), "or" | "and");
    (joins(tr.end) && trigger_at(d, tr.end + 1).is_some())
        || (i >= 2 && joins(i.wrapping_sub(1)) && trigger_at(d, i - 2).is_some())
}

/// Whether the sentence around token `i` tells of a poisoning done on purpose, as the event
/// types read it ([`crate::analysis::events::poison_attack`]).
fn poisoned_on_purpose(d: &Doc, i: usize) -> bool {
    let (a, b) = sentence_bounds(d, i);
    crate::analysis::events::poison_attack(&d.lower[d.toks[a].s..d.toks[b - 1].e])
}

/// "was found dead" says nothing of violence unless its sentence does ("found dead with bullet
/// wounds", "found shot dead").
fn found_dead_without_violence(d: &Doc, i: usize) -> bool {
    if !(d.is(i, "dead") && i > 0 && d.is(i.wrapping_sub(1), "found")) {
        return false;
    }
    let (a, b) = sentence_bounds(d, i);
    !(a..b).any(|k| {
        let w = d.w(k);
        VIOLENCE_CUES.contains(&w)
            || VIOLENT_VERBS.contains(&w)
            || w.starts_with("bullet")
            || matches!(w, "gunshot" | "tortured" | "slit" | "strangled")
    })
}

fn sentence_bounds(d: &Doc, at: usize) -> (usize, usize) {
    let sent = d.toks[at].sent;
    let mut a = at;
    while a > 0 && at - a < 80 && d.toks[a - 1].sent == sent {
        a -= 1;
    }
    let mut b = at;
    while b + 1 < d.toks.len() && b - at < 80 && d.toks[b + 1].sent == sent {
        b += 1;
    }
    (a, b + 1)
}

/// Whether the death word at `at` (in the sentence `a..b`) says only that people died —
/// "died", "deaths" — with no violence in its sentence or the one before ("Kodama has died",
/// "more than 5,000 patients died", "his uncle died"): no conflict casualty. A bomb in the
/// sentence before still explains "At least 17 people died." ("Dead" is left alone: "left
/// six people dead", "bank guard dead" tell of someone's doing.)
fn dies_without_violence(d: &Doc, at: usize, a: usize, b: usize) -> bool {
    if !matches!(d.w(at), "died" | "dies" | "die" | "deaths" | "death") {
        return false;
    }
    let before = if a > 0 {
        sentence_bounds(d, a - 1).0
    } else {
        a
    };
    !(before..b).any(|k| {
        let w = d.w(k);
        VIOLENCE_CUES.contains(&w)
            || VIOLENT_VERBS.contains(&w)
            || w.starts_with("kill")
            || matches!(
                w,
                "war"
                    | "fighting"
                    | "battle"
                    | "conflict"
                    | "violence"
                    | "violent"
                    | "unrest"
                    | "riots"
                    | "rioting"
                    | "militancy"
                    | "insurgency"
                    | "terrorism"
                    | "wounds"
                    | "injuries"
            )
    })
}

/// Whether tokens `a..b` tell of an accident or disaster; `weak` also reads the words that need
/// a violence-free context (a bus, a boat, the cold).
fn has_accident(d: &Doc, a: usize, b: usize, weak: bool) -> bool {
    let mut violent: Option<bool> = None;
    (a..b).any(|k| {
        let w = d.w(k);
        let mut no_violence =
            || !*violent.get_or_insert_with(|| (a..b).any(|j| VIOLENCE_CUES.contains(&d.w(j))));
        ACCIDENT_CUES.contains(&w) && !(w == "poisoning" && poisoned_on_purpose(d, k))
            // "a fuel tanker explosion in a tunnel", "fuel tanker tunnel blast" — with no
            // other sign of violence ("a tanker bomb blast", "gunmen set a tanker on fire")
            || w == "tanker"
                && (k + 1..k + 3).any(|j| {
                    matches!(
                        d.w(j),
                        "explosion" | "blast" | "fire" | "exploded" | "explodes" | "exploding"
                    )
                })
                && !(a..b).any(|j| {
                    let v = d.w(j);
                    (VIOLENCE_CUES.contains(&v) || VIOLENT_VERBS.contains(&v))
                        && !matches!(
                            v,
                            "blast"
                                | "blasts"
                                | "explosion"
                                | "fire"
                                | "exploded"
                                | "explodes"
                                | "exploding"
                        )
                })
            || (w == "fire" || w == "flames")
                && (fire_is_accident(d, k) || !fire_by_attacker(d, k) && no_violence())
            || weak && WEAK_ACCIDENT_CUES.contains(&w) && no_violence()
    })
}

/// "opened fire", "set on fire", "fire on the convoy": fire by an attacker.
fn fire_by_attacker(d: &Doc, k: usize) -> bool {
    let prev = if k > 0 { d.w(k.wrapping_sub(1)) } else { "" };
    matches!(
        prev,
        "opened"
            | "open"
            | "opening"
            | "opens"
            | "of"
            | "cross"
            | "returned"
            | "return"
            | "set"
            | "under"
            | "heavy"
            | "indiscriminate"
            | "sniper"
            | "gun"
            | "rocket"
            | "mortar"
            | "artillery"
    ) || (matches!(d.w(k + 1), "on" | "at")
        && !matches!(prev, "in" | "a" | "the" | "caught" | "catches" | "catch"))
}

/// Whether the sentence around a figure makes it a total or an earlier incident's.
fn context_flags(d: &Doc, f: &Found, setting: Setting) -> (bool, bool) {
    let published = setting.published;
    // A year (and month) dates an earlier incident when it lies before the publication's:
    // "killed in Quetta in 2023" in an article of December 2023 is this year's news.
    let earlier = |year: &str, month: Option<u8>| {
        let Some(y) = year_at_start(year) else {
            return false;
        };
        match published {
            None => true,
            Some((py, pm)) => y < py || y == py && month.zip(pm).is_some_and(|(m, pm)| m < pm),
        }
    };
    let (a, b) = sentence_bounds(d, f.at);
    let lo = a.max(f.at.saturating_sub(25));
    let hi = b.min(f.at + 25);
    let mut aggregate = false;
    let mut past = false;
    let mut verdict = false;
    // A year or a month and year: an earlier incident's date, or the period of a total.
    let mut dated = false;
    for k in lo..hi {
        let w = d.w(k);
        let n1 = d.w(k + 1);
        match w {
            "this" if matches!(n1, "year" | "month") => aggregate = true,
            "so" if n1 == "far" && k + 1 < f.at => aggregate |= matches!(d.w(k + 2), "this" | "in"),
            "since" | "nationwide" | "countrywide" | "alone" | "annually" | "tally" | "series"
            | "conflict" | "war" | "inception" | "elsewhere" => aggregate = true,
            "past" | "last" | "recent"
                if matches!(n1, "year" | "years" | "decade" | "decades") && w != "last" =>
            {
                aggregate = true
            }
            "across" if !matches!(n1, "the") || matches!(d.w(k + 2), "country" | "province") => {
                aggregate = true
            }
            "cases" if n1 == "of" => aggregate = true,
            // "earlier on Monday", "the previous night": the same news, not history.
            "previous" | "earlier"
                if matches!(
                    n1,
                    "day" | "night" | "evening" | "morning" | "today" | "tonight" | "on" | "this"
                ) || is_weekday(n1) => {}
            "ago" | "anniversary" | "similar" | "previous" | "previously" | "earlier"
            | "history" | "historic" => past = true,
            // a court's verdict on an earlier killing: "found guilty of killing a young man"
            "guilty" | "convicted" | "acquitted" if k < f.at => verdict = true,
            "last" if n1 == "year" => past = true,
            "in" | "the" | "back" if starts_with_year(n1) => dated |= earlier(n1, None),
            // "the August 2021 bombing", "in December 2014": a month and year without a day
            // date an earlier incident (a full date is usually the news itself).
            m if is_month(m) && m != "may" && starts_with_year(n1) => {
                dated |= earlier(n1, month_number(m))
            }
            _ => {}
        }
    }
    // "in December" (no day, no year) in an article of January: an incident of one of the
    // six months before the month of the news, in the figure's own sentence or in the
    // sentence before that sets its scene ("Tensions intensified in December when Pakistan
    // conducted airstrikes … Taliban authorities said nearly 50 civilians were killed").
    // Not a month ahead ("ahead of elections in February"), not "march" the noun, not a
    // sentence that dates itself to the last few days ("on Tuesday").
    if let Some(month) = setting.month {
        let earlier_month = |k: usize| {
            let m = d.w(k + 1);
            d.is(k, "in")
                && m != "may"
                && d.toks.get(k + 1).is_some_and(|t| t.cap)
                && month_number(m).is_some_and(|n| (1..=6).contains(&((12 + month - n) % 12)))
                && plain_num(d, k + 2).is_none()
                && !starts_with_year(d.w(k + 2))
        };
        let scene = if a > 0 {
            let (pa, pb) = sentence_bounds(d, a - 1);
            (pa..pb).any(|k| earlier_month(k) && (d.is(k + 2, "when") || d.is(k + 3, "when")))
        } else {
            false
        };
        dated |= !tells_of_recent_days(d, a, b) && (scene || (lo..hi).any(earlier_month));
    }
    past |= planned_earlier(d, f, a);
    // (not "a man convicted of blasphemy … shot dead on Monday")
    past |= verdict && !tells_of_recent_days(d, a, b);
    if let (Some(first), Some(last)) = (d.toks.get(a), d.toks.get(b.saturating_sub(1))) {
        let sentence = &d.lower[first.s..last.e];
        past |= super::events::in_the_2021_withdrawal(sentence, published.map(|(y, _)| y));
    }
    // "1,600 deaths across Pakistan in 2024": the year is the total's period, not history.
    (aggregate, past || dated && !aggregate)
}

/// Words for who planned an attack or was punished for it, or their part in it. Not blame
/// ("accused officials of plotting the attack that wounded him" is the news) nor a claim
/// ("responsible for the attack that killed five").
const PLOT_WORDS: &[&str] = &[
    "mastermind",
    "masterminds",
    "masterminded",
    "masterminding",
    "behind",
    "planner",
    "planners",
    "planned",
    "plotted",
    "orchestrated",
    "role",
    "convicted",
    "sentenced",
];

/// Words of a reprisal, which answers an earlier attack named after "for", "after" or "over":
/// "in retaliation for the airport attack that killed 13" (not "retaliatory strikes, which
/// killed eight": the reprisal's own toll).
const REPRISAL_WORDS: &[&str] = &[
    "retaliation",
    "retaliated",
    "retaliates",
    "retaliatory",
    "revenge",
    "avenge",
    "avenged",
    "avenging",
];

/// A figure in a relative clause on an attack that someone planned or took part in ("the
/// militant who masterminded the airport bombing that left 13 US service members dead", "his
/// role in the attack that killed 13"): the attack is the earlier one the news is about the
/// planner of. Not when the sentence dates itself to the days of the report ("the men behind
/// Monday's attack that killed five").
fn planned_earlier(d: &Doc, f: &Found, sentence_start: usize) -> bool {
    let first = f.q.start.min(f.at);
    let Some(rel) = (first.saturating_sub(3).max(sentence_start)..first)
        .rev()
        .find(|&k| matches!(d.w(k), "that" | "which"))
    else {
        return false;
    };
    let (_, sentence_end) = sentence_bounds(d, f.at);
    let recent = tells_of_recent_days(d, sentence_start, sentence_end);
    // "strikes back at ISIS-K for Kabul attack that killed nearly 200".
    let reprisal = |k: usize| {
        let strikes_back = d.is(k, "back")
            && k > 0
            && matches!(
                d.w(k - 1),
                "strikes" | "strike" | "struck" | "striking" | "hits" | "hit" | "hitting"
            );
        (strikes_back || REPRISAL_WORDS.contains(&d.w(k)))
            && (k + 1..rel).any(|m| matches!(d.w(m), "for" | "after" | "over"))
    };
    !recent
        && (rel.saturating_sub(10).max(sentence_start)..rel)
            .any(|k| PLOT_WORDS.contains(&d.w(k)) || reprisal(k))
}

/// Whether tokens `from..to` date what they tell to the last few days: a day of the week
/// ("Monday's attack"), "yesterday", "today", "tonight".
fn tells_of_recent_days(d: &Doc, from: usize, to: usize) -> bool {
    (from..to).any(|k| {
        let w = d.w(k);
        let w = crate::text::strip_possessive(w).unwrap_or(w);
        is_weekday(w) || matches!(w, "yesterday" | "today" | "tonight")
    })
}

/// The words of a figure's text that name who it counts: person nouns and capitalised names
/// (not the first word of a sentence, not pronouns, not casualty words).
fn naming_words<'a>(d: &Doc<'a>, range: &Range<usize>) -> Vec<&'a str> {
    let first = d.toks.partition_point(|t| t.s < range.start);
    let mut out = Vec::new();
    for k in first..d.toks.len() {
        let t = d.toks[k];
        if t.e > range.end || out.len() >= 8 {
            break;
        }
        if t.k != Tk::Word || trigger_at(d, k).is_some() {
            continue;
        }
        let w = &d.lower[t.s..t.e];
        let f = lex(w);
        let sentence_start = k == 0 || d.toks[k - 1].sent != t.sent;
        if f & (PRON | DET | AUX | PREP | BRK) != 0 {
            continue;
        }
        if f & WHO_MASK != 0 || (t.cap && f == 0 && !sentence_start) {
            out.push(w);
        }
    }
    out
}

/// Every casualty figure `text` reports, in order of position.
///
/// Reads numbers in digits ("1,600"), in words ("twenty-five", "two hundred"), vague counts
/// (dozens, scores, several, hundreds) and a single person ("a soldier was martyred") next to a
/// casualty word, before it ("19 militants and three soldiers were killed") or after it
/// ("killing at least 59", "kidnapped three engineers", "the death toll rose to 90"). See the
/// conventions at the top of this module for how min/max, who, aggregate and past are set.
pub fn figures(text: &str) -> Vec<Figure> {
    figures_in(text, Setting::default())
}

/// What the rest of a document tells [`figures_in`] about a stretch of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Setting {
    /// The document's title tells of a disaster and of no violence ([`tells_of_disaster`]).
    pub disaster: bool,
    /// Its year and month of publication, when known: a figure dated in an earlier year or
    /// month is history, one dated in the year of publication is not.
    pub published: Option<(u32, Option<u8>)>,
    /// The month the document's news is of: its publication's, else that of its date read
    /// from the text. A month named alone ("in December") other than this is history.
    pub month: Option<u8>,
}

/// Whether a text (a title) tells of an accident or disaster and of no violence: the rest of
/// its document is read as about that disaster ([`figures_in`]).
pub fn tells_of_disaster(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let d = Doc {
        lower: &lower,
        toks: tokenize(text, &lower),
    };
    let n = d.toks.len();
    !(0..n).any(|k| VIOLENCE_CUES.contains(&d.w(k))) && has_accident(&d, 0, n, false)
}

/// [`figures`] of a stretch of a document, in its [`Setting`]. When the title tells of a
/// disaster then, as when the stretch itself names one, a figure is only read where the
/// stretch shows violence ("Earthquake kills 2,000" over "Around 10,000 people were
/// injured").
pub fn figures_in(text: &str, setting: Setting) -> Vec<Figure> {
    if text.is_empty() || !PREFILTER.is_match(text) {
        return Vec::new();
    }
    let lower = text.to_ascii_lowercase();
    let d = Doc {
        lower: &lower,
        toks: tokenize(text, &lower),
    };
    let mut found: Vec<Found> = Vec::new();
    let mut i = 0;
    while i < d.toks.len() {
        if let Some(f) = victim_before(&d, i) {
            if !negated(&d, i) {
                found.push(f);
            }
            i += 1;
            continue;
        }
        let Some(tr) = trigger_at(&d, i) else {
            i += 1;
            continue;
        };
        if negated(&d, i)
            || found_dead_without_violence(&d, i)
            || killed_or_wounded(&d, i, &tr)
            || self_inflicted(&d, i, &tr)
        {
            i = tr.end;
            continue;
        }
        let passive = i > 0 && {
            let mut p = i;
            while p > 0
                && matches!(
                    d.w(p.wrapping_sub(1)),
                    "reportedly"
                        | "allegedly"
                        | "also"
                        | "all"
                        | "later"
                        | "critically"
                        | "seriously"
                        | "brutally"
                )
            {
                p -= 1;
            }
            p > 0
                && matches!(
                    d.w(p.wrapping_sub(1)),
                    "was" | "were" | "been" | "being" | "be" | "is" | "are" | "get" | "got"
                )
        };
        match tr.dir {
            Dir::Left => {
                left_figures(&d, i, tr, &mut found);
            }
            Dir::Right => {
                right_figures(&d, i, tr, &mut found);
            }
            Dir::Both => {
                if passive || !right_figures(&d, i, tr, &mut found) {
                    left_figures(&d, i, tr, &mut found);
                }
            }
            Dir::Toll => {
                toll_figure(&d, i, &mut found);
            }
        }
        i = tr.end;
    }
    if found.is_empty() {
        return Vec::new();
    }
    // A text about a disaster or accident with no sign of violence reports no figure.
    let any_violence = (0..d.toks.len()).any(|k| VIOLENCE_CUES.contains(&d.w(k)));
    // "25 soldiers were martyred and several others injured": "others" are of the same kind.
    for k in 1..found.len() {
        let (prev, rest) = found.split_at_mut(k);
        let f = &mut rest[0];
        let p = &prev[k - 1];
        if f.who == Who::Unspecified
            && d.toks[f.at].sent == d.toks[p.at].sent
            && d.lower[f.range.clone()]
                .split_whitespace()
                .any(|w| w == "others")
        {
            f.who = p.who;
        }
    }
    let mut out: Vec<(Figure, u32)> = Vec::with_capacity(found.len());
    for f in &found {
        let (a, b) = sentence_bounds(&d, f.at);
        if has_accident(&d, a, b, true) {
            continue;
        }
        if dies_without_violence(&d, f.at, a, b) {
            continue;
        }
        if !any_violence && (setting.disaster || has_accident(&d, 0, d.toks.len(), false)) {
            continue;
        }
        let (aggregate, past) = context_flags(&d, f, setting);
        out.push((
            Figure {
                kind: f.kind,
                min: f.q.min,
                max: f.q.max,
                approx: f.q.approx,
                who: f.who,
                aggregate,
                past,
                range: f.range.clone(),
            },
            d.toks[f.at].sent,
        ));
    }
    out.sort_by_key(|(f, _)| (f.range.start, f.range.end));
    // One fact, one figure. A toll repeated is the same fact; one person killed in each of two
    // distant sentences is the same person only when the second names nobody new ("he was
    // killed") or names the same noun or name. Hash maps keep this linear in the figures.
    type Key = (CasualtyKind, u32, Option<u32>, Who);
    let mut seen: HashMap<Key, Vec<(u32, Vec<&str>)>> = HashMap::new();
    let mut ranges: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    let mut kept: Vec<Figure> = Vec::with_capacity(out.len());
    // Sentences with a count of two or more, by kind and people: where named people are
    // among them.
    let mut counted: Vec<(CasualtyKind, Who, u32)> = Vec::new();
    for (f, sent) in out {
        if !ranges.insert((f.range.start, f.range.end)) {
            continue;
        }
        let key = (f.kind, f.min, f.max, f.who);
        let single = f.min == 1 && f.max == Some(1);
        let names = if single {
            naming_words(&d, &f.range)
        } else {
            Vec::new()
        };
        // "Two troops were martyred. … Sepoy Banaras Khan and Sepoy Abdul Karim embraced
        // martyrdom": people named right after a count are among those counted.
        let among_counted = single
            && f.who == Who::Unspecified
            && !names.is_empty()
            && names.iter().all(|w| lex(w) & WHO_MASK == 0)
            // Not militants: "Three terrorists were killed, while Sepoy Ali Khan embraced
            // martyrdom" counts the soldier too.
            && counted.iter().rev().take(4).any(|&(kind, who, s)| {
                kind == f.kind && who != Who::Militants && s <= sent && sent - s <= 1
            });
        if f.min >= 2 {
            counted.push((f.kind, f.who, sent));
        }
        let earlier = seen.entry(key).or_default();
        let dup = if !single {
            !earlier.is_empty()
        } else {
            among_counted
                || earlier.iter().rev().take(8).any(|(gs, gn)| {
                    sent.abs_diff(*gs) <= 1
                        || names.is_empty()
                        || names.iter().any(|w| gn.contains(w))
                })
        };
        if earlier.len() < 64 {
            earlier.push((sent, names));
        }
        if !dup {
            kept.push(f);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Figure {
        let f = figures(text);
        assert_eq!(f.len(), 1, "{text:?} gave {f:?}");
        f.into_iter().next().unwrap()
    }

    fn span(text: &str, f: &Figure) -> String {
        text[f.range.clone()].to_string()
    }

    #[test]
    fn two_groups_in_one_clause() {
        let t = "Officials said 19 militants and three soldiers were killed in the raid.";
        let f = figures(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[0].min, f[0].max, f[0].who),
            (19, Some(19), Who::Militants)
        );
        assert_eq!(span(t, &f[0]), "19 militants");
        assert_eq!(
            (f[1].min, f[1].max, f[1].who),
            (3, Some(3), Who::SecurityForces)
        );
        assert_eq!(span(t, &f[1]), "three soldiers were killed");
        assert!(f[0].range.start < f[1].range.start);
    }

    #[test]
    fn modifiers() {
        let t = "A bomb ripped through the market, killing at least 59.";
        let f = one(t);
        assert_eq!(
            (f.kind, f.min, f.max, f.approx),
            (CasualtyKind::Killed, 59, None, false)
        );
        assert_eq!(span(t, &f), "killing at least 59");
        let f = one("Gunmen stormed the hotel and more than 100 people died in the attack.");
        assert_eq!((f.min, f.max), (101, None));
        let f = one("Over 100 were injured by the blast.");
        assert_eq!((f.kind, f.min, f.max), (CasualtyKind::Wounded, 101, None));
        let f = one("Nearly 20 people were wounded in the shelling.");
        assert_eq!((f.min, f.max, f.approx), (20, Some(20), true));
        let f = one("The suicide attack killed up to 20 people.");
        assert_eq!((f.min, f.max, f.approx), (20, Some(20), true));
    }

    #[test]
    fn shot_and_hurt() {
        for t in [
            "Former prime minister Imran Khan was shot in the leg at a rally.",
            "A journalist was shot in Karachi on Monday.",
        ] {
            let f = one(t);
            assert_eq!((f.kind, f.min), (CasualtyKind::Wounded, 1), "{t:?}");
        }
        // An adverb between the people and the verb; "at least" after the verb.
        let f = one("Three guests reportedly shot dead in Afghanistan");
        assert_eq!((f.kind, f.min), (CasualtyKind::Killed, 3));
        let f = one("Suicide bombing in Peshawar wounds at least eight");
        assert_eq!((f.kind, f.min, f.max), (CasualtyKind::Wounded, 8, None));
        assert!(figures("Explosion at mosque kills and wounds at least 100").is_empty());
        let f = one("Two policemen were shot in the legs during the protest.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Wounded, 2));
        for t in [
            "The film was shot in Lahore last year.",
            "Police shot at the protesters.",
            "He was shot in the head and died in hospital.",
            "A policeman was shot and killed in Quetta.",
            "The drone was shot down over Kunar.",
        ] {
            assert!(
                figures(t).iter().all(|f| f.kind != CasualtyKind::Wounded),
                "{t:?} gave {:?}",
                figures(t)
            );
        }
        let f = figures("A policeman was shot and wounded in Quetta.");
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn ranges_and_words() {
        let f = one("Between clashes, 10 to 12 insurgents were killed.");
        assert_eq!((f.min, f.max, f.who), (10, Some(12), Who::Militants));
        let f = one("The ambush left 10-12 policemen injured.");
        assert_eq!(
            (f.kind, f.min, f.max),
            (CasualtyKind::Wounded, 10, Some(12))
        );
        let f = one("Twenty-five worshippers were martyred in the bombing.");
        assert_eq!((f.min, f.who), (25, Who::Civilians));
        let f = one("The blast killed 1,600 people.");
        assert_eq!(f.min, 1600);
        let f = one("A gunman shot a businessman dead in Quetta.");
        assert_eq!((f.min, f.who), (1, Who::Civilians));
        let f = one("Gunmen killed two hundred villagers.");
        assert_eq!((f.min, f.who), (200, Who::Civilians));
        let f = one("Between 10 and 12 soldiers were killed in the raid.");
        assert_eq!((f.min, f.max, f.who), (10, Some(12), Who::SecurityForces));
        let f = one("Between ten and 12 people were injured.");
        assert_eq!(
            (f.kind, f.min, f.max),
            (CasualtyKind::Wounded, 10, Some(12))
        );
    }

    #[test]
    fn vague_counts() {
        let f = one("Dozens were wounded when the bomb went off.");
        assert_eq!(
            (f.kind, f.min, f.max, f.approx),
            (CasualtyKind::Wounded, 24, None, true)
        );
        let f = one("The attack killed scores of people.");
        assert_eq!((f.min, f.max, f.approx), (40, None, true));
        let f = one("Several soldiers were injured in the ambush.");
        assert_eq!((f.min, f.max, f.who), (3, None, Who::SecurityForces));
        let f = one("The raid killed hundreds of fighters.");
        assert_eq!((f.min, f.max, f.approx), (200, None, true));
        assert!(figures("Many people were killed in the attack.").is_empty());
        assert!(figures("The attack caused casualties.").is_empty());
        assert!(figures("A number of people were killed in the attack.").is_empty());
    }

    #[test]
    fn single_people() {
        let f = one("A soldier was martyred in the attack on the checkpoint.");
        assert_eq!((f.min, f.max, f.who), (1, Some(1), Who::SecurityForces));
        let f = one("Two police personnel shot dead in Quetta");
        assert_eq!((f.min, f.who), (2, Who::SecurityForces));
        let f = one("Gunmen kidnapped three engineers on the highway.");
        assert_eq!(
            (f.kind, f.min, f.who),
            (CasualtyKind::Abducted, 3, Who::Civilians)
        );
        let f = one("The car bomb kills police officer in Bannu");
        assert_eq!((f.min, f.who), (1, Who::SecurityForces));
    }

    #[test]
    fn people_named_after_a_count_are_among_those_counted() {
        let t = "Two Pakistan Army troops were martyred in an IED blast. The ISPR said Sepoy \
                 Banaras Khan and Sepoy Abdul Karim embraced martyrdom in the attack.";
        let f = one(t);
        assert_eq!((f.min, f.who), (2, Who::SecurityForces));
        // A name on its own, with an age, is one person.
        let t = "Sepoy Ahmed Ali 26, embraced martyrdom while fighting terrorists.";
        let f = one(t);
        assert_eq!((f.min, f.max), (1, Some(1)));
        assert_eq!(span(t, &f), "Ali 26, embraced martyrdom");
        // "another" after a count is one more person.
        let t = "Two men were shot dead over a land dispute, another injured.";
        let f = figures(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[1].kind, f[1].min, f[1].max),
            (CasualtyKind::Wounded, 1, Some(1))
        );
        assert_eq!(span(t, &f[1]), "another injured");
        // A person named after "murder of", "killing of".
        let t = "A court sentenced him in the high-profile murder case of Sarah Inaam.";
        let f = one(t);
        assert_eq!((f.kind, f.min, f.max), (CasualtyKind::Killed, 1, Some(1)));
        assert_eq!(span(t, &f), "murder case of Sarah Inaam");
        assert_eq!(
            one("Kenya police probe the killing of Arshad Sharif.").min,
            1
        );
        // a groom is a person; an adverb between the verb and its count is skipped
        let t = "A 22-year-old groom was shot dead by gunmen in Peshawar.";
        assert_eq!((one(t).min, one(t).max), (1, Some(1)));
        let t = "The inquiry found 39 civilians were unlawfully killed by soldiers.";
        assert_eq!((one(t).min, one(t).who), (39, Who::Civilians));
        // a group that owns the person names the side; a person who does, not
        assert_eq!(
            one("The US killed al Qaeda's leader in a drone strike.").who,
            Who::Militants
        );
        assert_eq!(
            one("The gunman's brother was killed in the raid.").who,
            Who::Unspecified
        );
        // an adjective's one person
        let t = "An injured Marine who survived the bombing testified.";
        assert_eq!(
            (one(t).kind, one(t).min, one(t).who),
            (CasualtyKind::Wounded, 1, Who::SecurityForces)
        );
        assert!(figures("He showed an injured hand to the court.").is_empty());
        assert!(
            figures(
                "A wounded man receives treatment at a hospital after a bomb blast in Aybak. \
                 (Saifullah Karimi/AP Photo)"
            )
            .is_empty()
        );
        // the plural noun with its count, as the singular
        let t = "The inquiry heard of the unlawful killings of four Afghans.";
        assert_eq!(span(t, &one(t)), "killings of four Afghans");
        let t = "Police are investigating the kidnappings of three engineers.";
        assert_eq!((one(t).kind, one(t).min), (CasualtyKind::Abducted, 3));
        let t = "It was the year after the killing of Osama bin Laden in Abbottabad.";
        assert_eq!(span(t, &one(t)), "killing of Osama bin Laden");
        for t in [
            "They condemned the killing of Pakistani soldiers.",
            "Rights groups condemned the killing of Israel's hostages.",
            "Thousands protested against the killing of Palestinians in Gaza.",
            "Protests Erupt Over Killing Of Stray Dogs In Lahore",
            "They mourned the killing of Osama bin Laden's courier.",
        ] {
            assert!(figures(t).is_empty(), "{t}: {:?}", figures(t));
        }
        // Armed robbers are no militants.
        assert_eq!(one("Six dacoits were shot dead.").who, Who::Unspecified);
        let f = one("Hundreds of thousands of Kashmiris were martyred in 1947.");
        assert_eq!((f.min, f.max, f.approx), (200_000, None, true));
        // After a count of militants, a named martyr is one more.
        let t = "Three terrorists were killed in the exchange of fire, while Sepoy Ali Khan \
                 embraced martyrdom.";
        assert_eq!(figures(t).len(), 2);
        // A month and a day are no name and age.
        let t = "On March 26, gunned down by militants, the officer fell.";
        assert!(figures(t).iter().all(|f| !span(t, f).contains("March")));
        // Named far from any count, a person is one more.
        let t = "Two soldiers were martyred on Monday. Police said the bodies were moved. \
                 Roads were closed. Later, Naik Ali Khan embraced martyrdom in hospital.";
        assert_eq!(figures(t).len(), 2);
    }

    #[test]
    fn other_killed_phrases() {
        let f = one("The firing left 12 injured.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Wounded, 12));
        let t = "After the bombing the death toll rose from 27 to 34.";
        let f = one(t);
        assert_eq!((f.kind, f.min, f.max), (CasualtyKind::Killed, 34, Some(34)));
        assert_eq!(span(t, &f), "death toll rose from 27 to 34");
        let f = one("Police recovered the bodies of four men shot by gunmen.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Killed, 4));
        let f = one("Seven labourers lost their lives in the militant attack.");
        assert_eq!(
            (f.kind, f.min, f.who),
            (CasualtyKind::Killed, 7, Who::Civilians)
        );
        let f = one("Three students died in the attack.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Killed, 3));
        let t = "Officials say a suicide bomber detonated his vehicle, killing a married couple.";
        let f = one(t);
        assert_eq!((f.kind, f.min, f.max), (CasualtyKind::Killed, 2, Some(2)));
        assert_eq!(span(t, &f), "killing a married couple");
        assert!(figures("The attack killed a couple of hours of talks.").is_empty());
        for t in [
            "Militants killed a couple dozen villagers.",
            "The blast killed a couple more soldiers.",
        ] {
            assert!(figures(t).iter().all(|f| f.max != Some(2)), "{t}");
        }
        let f = one("Nothing justifies the loss of 13 Americans at the gate.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Killed, 13));
        assert!(figures("The strike led to the loss of 300 jobs.").is_empty());
        assert!(figures("It meant the loss of 40 police posts.").is_empty());
    }

    #[test]
    fn who() {
        assert_eq!(
            one("Five Taliban fighters were killed in the raid.").who,
            Who::Militants
        );
        assert_eq!(
            one("Two Taliban security forces were killed in the blast.").who,
            Who::SecurityForces
        );
        assert_eq!(
            one("Three Pakistanis were kidnapped by gunmen.").who,
            Who::Unspecified
        );
        assert_eq!(
            one("Four FC personnel were injured in the attack.").who,
            Who::SecurityForces
        );
        assert_eq!(
            one("Six khawarij were sent to hell by troops.").who,
            Who::Militants
        );
    }

    #[test]
    fn negation_and_non_events() {
        for t in [
            "No casualties were reported in the blast.",
            "No one was hurt when the grenade exploded.",
            "The group threatened to kill 10 hostages.",
            "The minister narrowly escaped being killed.",
            "The bomb could have killed 50 people.",
            "Police foiled a plot to kill five judges.",
            "The militants vowed to kill more soldiers.",
            "Police arrested three suspects and detained two others.",
            "The commander denies he was injured in any clash.",
            "Police denied reports that 10 people had been killed.",
            "The Taliban denied that 20 civilians were killed in the air strike.",
            "The army rejected claims that five soldiers died in the raid.",
        ] {
            assert!(figures(t).is_empty(), "{t:?} gave {:?}", figures(t));
        }
        // A denial of something else leaves the toll standing.
        let f = one("The group denied that it planned the blast, which killed 7 people.");
        assert_eq!(f.min, 7);
    }

    #[test]
    fn bare_scores_next_to_a_casualty_word() {
        for t in [
            "Scores were injured in the blast.",
            "The bomb killed 27 and wounded scores.",
            "The attack injured scores and damaged shops.",
            "Pakistan mosque bomb kills at least 27 and wounds scores",
        ] {
            let f = figures(t);
            let scores = f.iter().find(|f| f.kind == CasualtyKind::Wounded);
            assert_eq!(
                scores.map(|f| (f.min, f.max, f.approx)),
                Some((40, None, true)),
                "{t:?} gave {f:?}"
            );
        }
        assert!(figures("Babar scores a century as Pakistan win.").is_empty());
        // "wounds" the verb, not the noun.
        let f = figures("Blast kills 3, wounds 12 in Quetta.");
        assert_eq!(f.iter().map(|f| f.min).collect::<Vec<_>>(), vec![3, 12]);
        for t in [
            "He died of his wounds two days later.",
            "The soldier succumbed to gunshot wounds 3 hours after the raid.",
        ] {
            assert!(
                figures(t).iter().all(|f| f.kind != CasualtyKind::Wounded),
                "{t:?}"
            );
        }
    }

    #[test]
    fn a_year_of_publication_is_no_history() {
        let past = |t: &str, published| {
            let setting = Setting {
                disaster: false,
                published,
                month: published.and_then(|(_, m)| m),
            };
            figures_in(t, setting)[0].past
        };
        let t = "Three soldiers were killed in Quetta in 2023.";
        assert!(past(t, None));
        assert!(!past(t, Some((2023, Some(12)))));
        assert!(past(t, Some((2024, Some(1)))));
        // The withdrawal from Afghanistan ended in 2021: later texts tell its dead as history.
        let t = "Her brother was one of 13 Marines killed during the chaotic Afghan withdrawal.";
        assert!(past(t, Some((2023, Some(3)))));
        assert!(!past(t, Some((2021, Some(8)))));
        let t = "Emboldened by the U.S. withdrawal from Afghanistan, militants killed 12 soldiers.";
        assert!(!past(t, Some((2023, Some(3)))));
        // A month and year before the month of publication is history; the same month is not.
        let t = "The June 2023 bombing killed 12 people.";
        assert!(past(t, Some((2023, Some(12)))));
        assert!(!past(t, Some((2023, Some(6)))));
        assert!(!past(t, Some((2023, None))));
        // A month alone, in the sentence or the one before: another month's is history.
        let t = "Tensions rose in December when jets struck hideouts. Officials said nearly 50 \
                 civilians were killed.";
        assert!(past(t, Some((2025, Some(1)))));
        assert!(!past(t, Some((2024, Some(12)))));
        assert!(!past(t, None));
        for t in [
            "Gunmen killed five people in Quetta on 3 December.",
            "A bomb killed five people in December 2024 in Quetta.",
            // A month in the sentence before that does not set this one's scene.
            "The TTP ended its ceasefire in November. A suicide bomber killed 23 soldiers in \
             Dera Ismail Khan.",
            // A month ahead, "march" the noun, a sentence of the last few days.
            "A bomb killed 20 people at a rally ahead of elections in February.",
            "Police killed three protesters during the last march on Islamabad.",
            "Police said on Tuesday that the attack in November killed 12 people.",
        ] {
            assert!(!past(t, Some((2024, Some(12)))), "{t}");
        }
        let t = "A bomb killed five people in Quetta in November.";
        assert!(past(t, Some((2024, Some(12)))));
        assert!(!past(
            "A bomb killed 20 people at a rally in February.",
            Some((2024, Some(1)))
        ));
    }

    #[test]
    fn accidents_and_disasters() {
        for t in [
            "Twelve people were killed when a bus fell into a ravine.",
            "At least 30 people died in floods after heavy rain.",
            "The earthquake killed 2,000 people.",
            "Nine passengers died in a road accident on the highway.",
            "Five people drowned when their boat capsized.",
            "A fire ripped through the mall, leaving 10 dead.",
            "A fuel tanker explosion in a tunnel has killed at least 19 people.",
            "Fuel tanker tunnel blast kills at least 19 in Afghanistan",
            "At least 19 people were killed and 32 injured when a fuel tanker exploded in a \
             tunnel.",
            "A former head of the Royal Marines killed himself after losing his role.",
            "Wintry weather leaves 78 dead in Afghanistan, Taliban says",
            "Police say the twin blasts that killed 13 people were caused by electrical shorts \
             and not a terror attack.",
            // deaths told with no violence near them, in a text that has some elsewhere
            "The raid was over by noon. Officials met in the capital. More than 5,000 patients \
             died in the hospitals that year.",
            "Police fired on the crowd. Reports then came in. His uncle died last week.",
            "Snowstorm kills at least 21 tourists at Pakistani resort",
        ] {
            assert!(figures(t).is_empty(), "{t:?} gave {:?}", figures(t));
        }
        // A bomb in the sentence before explains the deaths; the war in theirs does too, and
        // violent protests theirs.
        for t in [
            "A bomb went off in the market. At least 17 people died.",
            "Four soldiers died in the war on Monday.",
            "At least four people have died during violent protests over the arrest.",
        ] {
            assert_eq!(figures(t).len(), 1, "{t:?} gave {:?}", figures(t));
        }
        // A tanker an attacker used or hit is violence.
        assert_eq!(
            one("A tanker bomb blast killed 20 people in Kabul.").min,
            20
        );
        // Fire by an attacker is violence.
        let f = one("Gunmen opened fire on a van, killing four passengers.");
        assert_eq!((f.min, f.who), (4, Who::Civilians));
        // A gunman's suicide after his attack is a death in it.
        let f = one("The gunman killed himself at the tournament after the shooting.");
        assert_eq!(f.min, 1);
        // Poisoned in an attack is harmed; food poisoning, or a poisoning alleged, is not.
        let f = one("Nearly 80 girls were poisoned and hospitalized in two separate attacks.");
        assert_eq!(
            (f.kind, f.min, f.approx, f.who),
            (CasualtyKind::Wounded, 80, true, Who::Civilians)
        );
        let f = one("In a poisoning attack on a school, 60 students were injured.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Wounded, 60));
        for t in [
            "Forty guests were poisoned after eating at a wedding.",
            "Twelve people died of carbon monoxide poisoning.",
        ] {
            assert!(figures(t).is_empty(), "{t:?} gave {:?}", figures(t));
        }
    }

    #[test]
    fn a_passage_under_a_disaster_title_needs_violence_of_its_own() {
        let title = "Earthquake devastates western Afghanistan, killing over 2,000";
        assert!(tells_of_disaster(title));
        assert!(!tells_of_disaster(
            "Blast kills 12 after earthquake relief rally"
        ));
        assert!(!tells_of_disaster(
            "Suicide bomber kills 59 in Peshawar mosque"
        ));
        let body = "Around 10,000 people were injured, according to the government.";
        assert_eq!(figures(body).len(), 1);
        let disaster = Setting {
            disaster: true,
            ..Setting::default()
        };
        assert!(figures_in(body, disaster).is_empty());
        // Violence in the passage itself still reads.
        let attack = "Gunmen opened fire on a relief convoy, killing four people.";
        assert_eq!(figures_in(attack, disaster).len(), 1);
    }

    #[test]
    fn an_operation_s_total_over_places_is_an_aggregate() {
        let t = "As a result over 2000 terrorists have been killed in North Waziristan and \
                 elsewhere, he added that over 200 soldiers have laid down their lives.";
        let f = figures(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(f.iter().all(|f| f.aggregate), "{f:?}");
    }

    #[test]
    fn aggregate_and_past() {
        let f = one("Over 1,600 deaths across Pakistan in 2024 were blamed on militancy.");
        assert!(f.aggregate && !f.past, "{f:?}");
        let f = one("Militants killed 10 soldiers in a series of attacks this month.");
        assert!(f.aggregate && !f.past);
        let f = one("The group has killed 300 civilians since 2021.");
        assert!(f.aggregate);
        let t = "It recalled the 2014 school attack that killed 145.";
        let f = one(t);
        assert!(f.past, "{f:?}");
        let f = one("A similar blast last year killed 20 people.");
        assert!(f.past && !f.aggregate);
        let f = one("A bomb killed 20 people in the market on Monday.");
        assert!(!f.past && !f.aggregate);
    }

    #[test]
    fn one_fact_one_figure() {
        let t = "Five soldiers were killed in the attack. The five soldiers killed were buried.";
        let f = figures(t);
        assert_eq!(f.len(), 1, "{f:?}");
        let t = "The blast killed 5 and injured 12.";
        let f = figures(t);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!((f[0].kind, f[0].min), (CasualtyKind::Killed, 5));
        assert_eq!((f[1].kind, f[1].min), (CasualtyKind::Wounded, 12));
    }

    #[test]
    fn unicode_and_odd_input_never_panics() {
        let odd = [
            "",
            "killed",
            "“Five” soldiers—were killed… «at least» 9 injured ‘dozens’",
            "١٢ killed — ९ injured",
            "killing at least",
            "the death toll rose to",
            "naïve café 12 killed, 3 wounded é́́",
            "𝟙𝟚 killed 🙂 5 people 🙂 were killed",
            "10-",
            "-5 killed",
            "99999999999999999999 people were killed",
            "a\u{0301} soldier was killed\u{200d}",
            ",,,..;;;killed;;;...",
        ];
        for t in odd {
            for f in figures(t) {
                assert!(t.is_char_boundary(f.range.start) && t.is_char_boundary(f.range.end));
                assert!(f.range.start < f.range.end && f.range.end <= t.len());
            }
        }
        // Every char boundary prefix of a text with figures.
        let t = "“Tres” — 3 soldados… 19 militants and three soldiers were killed ✓";
        for (i, _) in t.char_indices() {
            let _ = figures(&t[..i]);
            let _ = figures(&t[i..]);
        }
        let f = figures("Après l’attaque, 12 civilians were killed “near” Quetta.");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn output_is_sorted() {
        let t =
            "Gunmen killed 4 guards. Later 7 policemen were injured and 2 engineers were abducted.";
        let f = figures(t);
        assert_eq!(f.len(), 3, "{f:?}");
        assert!(f.windows(2).all(|w| w[0].range.start <= w[1].range.start));
        assert_eq!(f[2].kind, CasualtyKind::Abducted);
    }

    #[test]
    fn base_forms_after_to_or_a_modal_report_nothing() {
        for t in [
            "The cleric urged his followers to kill the blogger.",
            "He fears the gang will track him down and kill him.",
            "Officials warned that the militants could storm the jail and kill 30 guards.",
        ] {
            assert!(figures(t).is_empty(), "{t:?} gave {:?}", figures(t));
        }
        // Hearsay of a real event still counts.
        let f = one("Army said to kill two fighters in a night raid.");
        assert_eq!((f.min, f.who), (2, Who::Militants));
    }

    #[test]
    fn adjectives_and_nouns_are_not_reports() {
        for t in [
            "Ten cousins of the dead girl were questioned by police.",
            "A brother of a murdered shopkeeper met the minister.",
            "Doctors treated the injured at the district hospital after the blast.",
            "The army counted civilian deaths in the border shelling.",
            "I thought I was dead, the survivor of the attack said.",
        ] {
            assert!(figures(t).is_empty(), "{t:?} gave {:?}", figures(t));
        }
    }

    #[test]
    fn one_of_the_is_no_toll() {
        let t = "Four attackers died in the gunfight. One of the attackers killed was a commander.";
        let f = figures(t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].min, 4);
        // After the casualty word it still reports a death.
        let f = one("Guards killed one of the attackers at the gate.");
        assert_eq!((f.min, f.who), (1, Who::Militants));
    }

    #[test]
    fn people_counted_then_a_short_modifier_then_the_verb() {
        for (t, n, span_) in [
            (
                "Three people travelling in a car were killed in an explosion on Sunday.",
                3,
                "Three people travelling in a car were killed",
            ),
            (
                "Two policemen on patrol were martyred.",
                2,
                "Two policemen on patrol were martyred",
            ),
            (
                "Five labourers working at a site were killed.",
                5,
                "Five labourers working at a site were killed",
            ),
        ] {
            let f = one(t);
            assert_eq!((f.min, f.max), (n, Some(n)), "{t}");
            assert_eq!(span(t, &f), span_);
        }
        // Coordinated phrases take no modifier: the first men are the attackers.
        let t = "Two men on a motorcycle opened fire and three people were wounded.";
        let f = one(t);
        assert_eq!((f.kind, f.min), (CasualtyKind::Wounded, 3));
        // The subject of an active verb is the killer, modifier or not.
        let f = one("Two gunmen on a motorcycle killed three people.");
        assert_eq!(f.min, 3);
    }

    #[test]
    fn a_year_run_into_the_next_word_still_dates_a_figure() {
        let f = one(
            "He was born months before a massacre of 2,000 Hazaras there by the Taliban in \
             August 1998prompted his family to flee.",
        );
        assert!(f.past, "{f:?}");
        assert!(!one("A bomb killed 5 people in the market on Monday.").past);
    }

    #[test]
    fn a_verdict_is_on_an_earlier_killing() {
        let f = one("A man was found guilty of killing a young man in Dorset.");
        assert!(f.past, "{f:?}");
        // the verdict after the killing says nothing of it, nor one of another day
        assert!(!one("Gunmen killed two men; one was later convicted.").past);
        assert!(
            !one("A man convicted of blasphemy and four relatives were shot dead on Monday.").past
        );
    }

    #[test]
    fn the_attack_someone_planned_is_an_earlier_one() {
        for t in [
            "Taliban kill Islamic State leader who masterminded airport bombing that left 13 US \
             service members dead",
            "Officials declined to describe his role in the attack that killed 13 U.S. service \
             members.",
            "The Taliban killed the mastermind of the Kabul airport bombing, which killed 170 \
             Afghans.",
            "US strikes back at ISIS-K for Kabul attack that killed nearly 200",
            "The drone strike was in retaliation for the airport attack that killed 13 troops.",
        ] {
            let f: Vec<(u32, bool)> = figures(t)
                .iter()
                .filter(|f| f.min > 1)
                .map(|f| (f.min, f.past))
                .collect();
            assert!(
                !f.is_empty() && f.iter().all(|(_, past)| *past),
                "{t}: {f:?}"
            );
        }
        // News of the days of the report, and attacks nobody is said to have planned.
        for t in [
            "Police arrested the men behind Monday's attack that killed five people.",
            "A bomb hit the market that killed five people.",
            "He accused officials of plotting the attack that wounded him.",
            "Troops struck back at the militants after Tuesday's attack that killed five.",
            "Pakistan's retaliatory air strikes, which killed eight women and children, drew \
             condemnation.",
        ] {
            let f = one(t);
            assert!(!f.past, "{t}");
        }
    }

    #[test]
    fn lives_claimed_or_taken_are_killed() {
        for (t, min, max) in [
            ("Blast claims 3 lives", 3, Some(3)),
            ("The blast claimed three lives.", 3, Some(3)),
            ("The attack took at least 59 lives.", 59, None),
            (
                "The terror attack left its mark: 166 lives lost.",
                166,
                Some(166),
            ),
        ] {
            let f = one(t);
            assert_eq!(
                (f.kind, f.min, f.max),
                (CasualtyKind::Killed, min, max),
                "{t}"
            );
        }
        assert!(figures("He saved 3 lives.").is_empty());
        assert!(figures("The floods claimed 30 lives.").is_empty());
        assert!(
            figures("The virus has claimed around 16 lives, including a doctor.").is_empty(),
            "a disease kills no one in a conflict"
        );
        let f = one("Gunmen killed two polio workers in a drive against the polio virus.");
        assert_eq!(
            f.min, 2,
            "a disease word beside violence is no disease death"
        );
    }

    #[test]
    fn including_lists_belong_to_the_total() {
        let t =
            "Seven people including a guard, his two sons and three women were hurt in the blast.";
        let f = one(t);
        assert_eq!((f.kind, f.min, f.max), (CasualtyKind::Wounded, 7, Some(7)));
        let f = one("Three including a child were killed when gunmen opened fire.");
        assert_eq!(f.min, 3);
    }

    #[test]
    fn plural_count_never_takes_a_singular_verb() {
        let t = "The commander behind the raid that killed 40 people including 9 guards has been \
                 killed, officials said.";
        let f = figures(t);
        assert!(f.iter().all(|f| f.min != 9), "{f:?}");
        assert!(f.iter().any(|f| f.min == 40), "{f:?}");
    }

    #[test]
    fn found_dead_needs_a_sign_of_violence() {
        assert!(figures("The boy was found dead at his home on Sunday.").is_empty());
        let f = one("The trader was found dead with bullet wounds near the canal.");
        assert_eq!(f.min, 1);
    }

    #[test]
    fn more_non_violent_deaths() {
        for t in [
            "The train derailed near the station, killing at least 20 passengers.",
            "Two climbers died on the peak after a fall.",
            "Eight people died when a boat carrying migrants sank off the coast.",
            "A fire in the apartment building killed six people.",
            "The blasts that killed 11 people were caused by an electrical short circuit.",
            "Freezing temperatures killed 40 people in the north.",
            "The child died of a long illness in hospital.",
        ] {
            assert!(figures(t).is_empty(), "{t:?} gave {:?}", figures(t));
        }
        // Weak cues give way to violence in the same sentence.
        let f = one("Gunmen opened fire on a bus, killing five passengers.");
        assert_eq!((f.min, f.who), (5, Who::Civilians));
        let f = one("A bomb exploded on the train, killing three people.");
        assert_eq!(f.min, 3);
    }

    #[test]
    fn who_of_group_members_and_officials() {
        assert_eq!(
            one("Troops killed a senior ISIS leader in the raid.").who,
            Who::Militants
        );
        assert_eq!(
            one("The bomb killed four security officials.").who,
            Who::SecurityForces
        );
        assert_eq!(
            one("Two embassy staff were killed in the blast.").who,
            Who::Civilians
        );
        assert_eq!(
            one("The provincial governor was killed in a car bombing.").who,
            Who::Civilians
        );
    }

    #[test]
    fn relative_clause_is_not_negated_by_the_main_clause() {
        let f = one("He accused officials of plotting the attack that wounded him.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Wounded, 1));
    }

    #[test]
    fn past_by_month_and_year_not_by_the_previous_day() {
        let f = one("The August 2019 bombing killed 30 people at the wedding.");
        assert!(f.past, "{f:?}");
        let f = one("Police hunted the gunmen who wounded 12 civilians the previous day.");
        assert!(!f.past, "{f:?}");
        let f = one("The blast earlier on Monday killed 8 people.");
        assert!(!f.past, "{f:?}");
    }

    #[test]
    fn distinct_single_victims_in_distant_sentences() {
        let t = "A cleric was gunned down in the bazaar. Police blamed a banned group. The \
                 district has seen worse. Last month a teacher was shot dead near the school.";
        let f = figures(t);
        assert_eq!(f.len(), 2, "{f:?}");
        // The same person named again, or by a pronoun, is one figure.
        let t = "A policeman was injured in the blast. Rescuers arrived. Traffic was halted. \
                 Later a policeman was injured, the report repeated.";
        assert_eq!(figures(t).len(), 1, "{:?}", figures(t));
        let t = "Mr Khan was shot dead at his shop. His family wept. Police came. He was killed \
                 by two gunmen on motorcycles.";
        assert_eq!(figures(t).len(), 1, "{:?}", figures(t));
    }

    #[test]
    fn a_death_named_by_its_victim() {
        for (text, want) in [
            ("Her murder shocked the country.", "Her murder"),
            (
                "Police probe Mohammad Dawood Muzammil's killing.",
                "Muzammil's killing",
            ),
            (
                "Jaishankar spoke on the Nijjar killing in London.",
                "Nijjar killing",
            ),
            (
                "He condemned the killing of a journalist in Peshawar.",
                "killing of a journalist",
            ),
        ] {
            let f = one(text);
            assert_eq!((f.min, f.max), (1, Some(1)), "{text}");
            assert_eq!(span(text, &f), want);
        }
        // the verb's object, not its victim's name
        let f = one("Israel killing at least 900 in Gaza");
        assert_eq!((f.min, f.max), (900, None));
        for none in [
            "His murder trial opens on Monday.",
            "Her assassination attempt failed.",
            "Targeted killing is on the rise.",
            "His killing of civilians was condemned.",
            "Police Probe Karachi Killing Spree",
            "There was no murder, police said.",
            // a death of no stated cause is none
            "He mourned the death of his father.",
        ] {
            assert!(figures(none).is_empty(), "{none}: {:?}", figures(none));
        }
    }

    #[test]
    fn participles_appositives_and_deaths_of() {
        for (text, want) in [
            (
                "At least seven most wanted terrorists were gunned down on Wednesday.",
                "At least seven most wanted terrorists were gunned down",
            ),
            (
                "Two armed men were killed in the exchange of fire.",
                "Two armed men were killed",
            ),
            (
                "Four militants, including a high-value commander, were gunned down in Peshawar.",
                "Four militants, including a high-value commander, were gunned down",
            ),
            (
                "The bomber struck a memorial, resulting in the deaths of at least 13 individuals.",
                "deaths of at least 13 individuals",
            ),
            (
                "Officials confirmed 13 deaths of civilians in the blast.",
                "13 deaths of",
            ),
        ] {
            assert_eq!(span(text, &one(text)), want);
        }
        let f = one("Four militants, including a high-value commander, were gunned down.");
        assert_eq!((f.min, f.max, f.who), (4, Some(4), Who::Militants));
        // A name set off by commas after the person it names.
        let text = "An off-duty police head constable, Ghulam Mohammed Dar, was shot and killed.";
        let f = one(text);
        assert_eq!((f.min, f.who), (1, Who::SecurityForces));
        assert!(
            span(text, &f).ends_with("head constable, Ghulam Mohammed Dar, was shot and killed"),
            "{}",
            span(text, &f)
        );
        let f = one("On Monday the four militants, including a commander, were killed.");
        assert_eq!(f.min, 4);
        // The people counted are not the subject, or not of the verb's number.
        let f = one(
            "Officials said on Monday, claiming nearly 50 civilians, including \
                     refugees, were killed.",
        );
        assert_eq!(f.min, 50);
        for text in [
            "A policeman guarding 5 polio workers, including two women, was shot dead.",
            "The commander of 40 militants, including two suicide bombers, was killed.",
            "The leaders of 40 militants, including two suicide bombers, were killed.",
            "Troops guarding 5 polio workers, including two women, were shot dead.",
        ] {
            assert!(
                figures(text).iter().all(|f| f.min <= 1),
                "{text}: {:?}",
                figures(text)
            );
        }
        // "wanted" before an infinitive still says nobody was killed; a death of no number
        // or of an idea is no figure; deaths in stampedes are no violence.
        for text in [
            "Three militants wanted to kill the governor.",
            "The death of democracy was mourned.",
            "Pakistan says 11 people have been killed in stampedes at food centres.",
        ] {
            assert!(figures(text).is_empty(), "{text}: {:?}", figures(text));
        }
    }

    #[test]
    fn long_repetitive_input_stays_fast() {
        let t = "A man was killed and a cleric was shot dead. ".repeat(20_000);
        let start = std::time::Instant::now();
        let f = figures(&t);
        assert!(!f.is_empty());
        assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    }

    #[test]
    fn forecasts_and_casualty_tolls_are_no_death_toll() {
        for t in [
            "Officials fear the death toll could rise to 50 after the blast.",
            "The toll will amount to more than seven times the number of soldiers lost.",
            "The casualty toll of the war reached 500,000 dead or wounded.",
        ] {
            assert!(figures(t).is_empty(), "{t:?} gave {:?}", figures(t));
        }
        let t = "The death toll from a suicide bombing at a mosque in Peshawar, Pakistan, has \
                 risen to 90, a hospital spokesperson said Tuesday.";
        let f = one(t);
        assert_eq!((f.min, f.max), (90, Some(90)));
        assert_eq!(span(t, &f), &t[4..t.find(" 90").unwrap() + 3]);
        let f = one("The death toll from the mosque bombing rose to 61 on Tuesday.");
        assert_eq!((f.kind, f.min), (CasualtyKind::Killed, 61));
        // A long description of the attack between the toll and its number.
        let f = one(
            "The death toll from a suspected suicide bomb that ripped through a mosque at a \
             police compound in northwestern Pakistan Monday has risen to at least 88, as the \
             Pakistani Taliban walked back its claim.",
        );
        assert_eq!((f.min, f.max), (88, None));
    }

    #[test]
    fn alias_names_no_other_group() {
        let f = one("Police executed terrorist Rahim alias Doctor in the jail.");
        assert_eq!(f.who, Who::Militants);
    }
}
