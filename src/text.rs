//! Character rules every stage shares, each defined once: what counts as an apostrophe or a
//! hyphen, which period ends a sentence, how names are folded for matching (case, diacritics,
//! hyphens, apostrophes), and how a mistyped name finds its closest known spelling.

use unicode_normalization::UnicodeNormalization;

/// An apostrophe in any of the forms the collection writes: `'`, `’`, `‘`, `ʼ`, `` ` ``, `´`.
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}'
    )
}

/// `w` without a possessive `'s` (any apostrophe), when it ends with one: "Monday's" →
/// "Monday".
pub fn strip_possessive(w: &str) -> Option<&str> {
    let bare = w.strip_suffix('s')?;
    let apostrophe = bare.chars().next_back().filter(|c| is_apostrophe(*c))?;
    Some(&bare[..bare.len() - apostrophe.len_utf8()])
}

/// The byte offset just past the last character of `s` that `pred` accepts (0 when none
/// does): where the word after a separator starts, on a character boundary whatever the
/// separator's width (a no-break space is two bytes).
pub fn after_last(s: &str, pred: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .rev()
        .find(|(_, c)| pred(*c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// True for a character a terminal would act on rather than show: control characters
/// other than the line break and the tab (escape sequences, bells, C1 controls), and the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
/// reorder the rest of the line they are printed on. (The right-to-left and left-to-right
/// marks that Urdu and Pashto text carries reorder nothing and are kept.)
pub fn is_unprintable(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`is_unprintable`] character shown as `�`, for a terminal: names that
/// come from file names, ids and metadata, which cleaning does not touch.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    replaced(s, is_unprintable)
}

/// `s` as one line for a terminal: [`printable`], and its line breaks and tabs shown as `�`
/// too — an id or a title in a table, which a newline from a file name would break.
pub fn printable_line(s: &str) -> std::borrow::Cow<'_, str> {
    replaced(s, |c| c.is_control() || is_unprintable(c))
}

/// `s` with every character `hide` picks shown as `�` (borrowed when there is none).
fn replaced(s: &str, hide: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if s.chars().any(&hide) {
        s.chars()
            .map(|c| if hide(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// Lower-case words whose period marks an abbreviation, not the end of a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "capt", "maj", "sgt", "no", "vs", "rs",
    "prof", "sr", "jr", "brig", "insp", "govt", "dept", "ltd", "co", "sep", "sept", "oct", "nov",
    "dec", "jan", "feb", "mar", "apr", "aug", "sen", "rep", "gov", "supt", "adm", "cdr", "hon",
    "rev",
];

/// Whether a period right after `word` (the letters and periods before it, any case)
/// marks an abbreviation or an initial rather than the end of a sentence: "U.S.", "D.I.",
/// "a.m.", "Gen.", "Mr.", "A. Khan" — a single letter, initials of one or two letters each,
/// or a listed title or month. Not "Dawn.com." nor the last dot of "Bannu...".
pub fn is_abbreviation(word: &str) -> bool {
    let letters =
        |part: &str| (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphabetic());
    word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic()
        || word.contains('.') && word.split('.').all(letters)
        || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Whether the period at byte `dot` of `text` (which must be a `.`) ends a sentence: not
/// after an abbreviation or an initial ([`is_abbreviation`]). Reads at most a few bytes back:
/// a longer word is no abbreviation.
pub fn period_ends_sentence(text: &str, dot: usize) -> bool {
    const LONGEST: usize = 12;
    let from = text.floor_char_boundary(dot.saturating_sub(LONGEST + 1));
    let head = &text[from..dot];
    let start = match head.rfind(|c: char| !(c.is_alphanumeric() || c == '.')) {
        Some(i) => i + head[i..].chars().next().map_or(1, char::len_utf8),
        // the word runs past the window: too long, unless the text starts with it
        None if from > 0 => return true,
        None => 0,
    };
    let word = &head[start..];
    word.is_empty() || !is_abbreviation(word)
}

/// Whether the character at byte `i` of `text` ends a sentence: a line break; "!" or "?"
/// followed by a space or the end; a period so followed that ends no abbreviation or
/// initial ([`period_ends_sentence`]) — not the point of "2.5" nor of "Dawn.com".
pub fn ends_sentence_at(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let spaced = b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
    match b.get(i) {
        Some(b'\n') => true,
        Some(b'!' | b'?') => spaced,
        Some(b'.') => spaced && period_ends_sentence(text, i),
        _ => false,
    }
}

/// A hyphen or dash that joins or separates words in names (`Tehreek‑e‑Taliban`).
pub fn is_hyphen(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}'
    )
}

/// An invisible formatting character that can sit inside a word without ending it: the soft
/// hyphen of scraped pages (`&shy;`), zero-width joiners, direction marks and embeddings, the
/// word joiner and the byte-order mark. Matching and searching read words without them. (A
/// zero-width space is a space: word segmentation ends a word there, and so does [`fold`].)
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200C}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Text folded for matching, with a map back to the original byte offsets.
pub struct Folded {
    pub text: String,
    /// `origin[i]` is the original offset of folded byte `i`; one extra entry for the end.
    pub origin: Vec<usize>,
}

/// Folds text for matching: lower case, diacritics off, every run of whitespace and hyphens
/// one space, every apostrophe `'`. Keeps, for each folded byte, where it came from.
pub fn fold(text: &str) -> Folded {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    let mut space = false;
    let push = |out: &mut String, origin: &mut Vec<usize>, c: char, at: usize| {
        let before = out.len();
        out.push(c);
        origin.extend(std::iter::repeat_n(at, out.len() - before));
    };
    for (i, c) in text.char_indices() {
        // ASCII, nearly all of the news, decided without the Unicode tables below (the same
        // classes: whitespace, '-', the two ASCII apostrophes, nothing invisible)
        if c.is_ascii() {
            match c {
                ' ' | '\t'..='\r' | '-' => {
                    if !space {
                        out.push(' ');
                        origin.push(i);
                    }
                    space = true;
                }
                '\'' | '`' => {
                    out.push('\'');
                    origin.push(i);
                    space = false;
                }
                _ => {
                    out.push(c.to_ascii_lowercase());
                    origin.push(i);
                    space = false;
                }
            }
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c == '\u{200B}' || is_hyphen(c) {
            if !space {
                push(&mut out, &mut origin, ' ', i);
            }
            space = true;
            continue;
        }
        space = false;
        if is_apostrophe(c) {
            push(&mut out, &mut origin, '\'', i);
            continue;
        }
        for l in c.to_lowercase() {
            for m in std::iter::once(l).nfd() {
                if !unicode_normalization::char::is_combining_mark(m) {
                    push(&mut out, &mut origin, m, i);
                }
            }
        }
    }
    origin.push(text.len());
    Folded { text: out, origin }
}

/// A name folded for comparison ([`fold`] without the leading and trailing space), so
/// `Tehreek‑e‑Taliban`, ` tehreek e taliban ` and `Tehreek-e-Taliban` compare equal.
pub fn fold_key(s: &str) -> String {
    fold(s).text.trim_matches(' ').to_string()
}

/// How alike two spellings must be (Jaro–Winkler) for one to be offered for the other.
pub const SUGGEST_SIMILARITY: f64 = 0.75;

/// The candidate most like `typed` (compared folded), if any is alike enough to suggest:
/// the one "did you mean" rule for fields, names and document ids.
pub fn closest<'a, I>(typed: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let typed = fold_key(typed);
    candidates
        .into_iter()
        .map(|(compared, shown)| (strsim::jaro_winkler(&typed, &fold_key(compared)), shown))
        .filter(|(score, _)| *score > SUGGEST_SIMILARITY)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, shown)| shown)
}

/// What a JSON value is, as a reader says it ("an array"), for messages about input that is
/// JSON of the wrong shape; `None` for an object.
pub(crate) fn json_kind(value: &serde_json::Value) -> Option<&'static str> {
    use serde_json::Value;
    match value {
        Value::Object(_) => None,
        Value::Null => Some("null"),
        Value::Bool(_) => Some("true or false"),
        Value::Number(_) => Some("a number"),
        Value::String(_) => Some("a string"),
        Value::Array(_) => Some("an array"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`fold`] one character at a time through the Unicode classes alone, as the oracle of
    /// its ASCII shortcut.
    fn fold_by_char(text: &str) -> (String, Vec<usize>) {
        let (mut out, mut origin, mut space) = (String::new(), Vec::new(), false);
        for (i, c) in text.char_indices() {
            if is_invisible(c) {
                continue;
            }
            let folded: String = if c.is_whitespace() || c == '\u{200B}' || is_hyphen(c) {
                if space {
                    continue;
                }
                space = true;
                " ".into()
            } else {
                space = false;
                if is_apostrophe(c) {
                    "'".into()
                } else {
                    c.to_lowercase()
                        .flat_map(|l| std::iter::once(l).nfd())
                        .filter(|m| !unicode_normalization::char::is_combining_mark(*m))
                        .collect()
                }
            };
            origin.extend(std::iter::repeat_n(i, folded.len()));
            out.push_str(&folded);
        }
        origin.push(text.len());
        (out, origin)
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_shortcut_folds_as_the_unicode_classes_do(
            text in "[ -~\t\n\r\x0B\x0C\x1C’‐–—\u{AD}\u{200B}\u{200F}\u{85}\u{A0}éİẞ]{0,60}|\\PC{0,30}"
        ) {
            let f = fold(&text);
            let (text_by_char, origin_by_char) = fold_by_char(&text);
            proptest::prop_assert_eq!(f.text, text_by_char);
            proptest::prop_assert_eq!(f.origin, origin_by_char);
        }
    }

    #[test]
    fn a_possessive_comes_off_whatever_its_apostrophe() {
        for w in ["Monday's", "Monday’s", "Mondayʼs", "Monday`s", "Monday´s"] {
            assert_eq!(strip_possessive(w), Some("Monday"), "{w}");
        }
        for w in ["Mondays", "s", "'s'", "Monday"] {
            assert_eq!(strip_possessive(w), None, "{w}");
        }
        assert_eq!(strip_possessive("'s"), Some(""));
    }

    #[test]
    fn folding_ignores_case_diacritics_hyphens_and_apostrophes() {
        assert_eq!(fold_key("Tehreek‑e‑Taliban"), "tehreek e taliban");
        assert_eq!(fold_key("North  Wazīristān"), "north waziristan");
        assert_eq!(fold_key("Afghanistan’s Taliban"), "afghanistan's taliban");
        assert_eq!(fold_key("  al–Qa`ida - "), "al qa'ida");
    }

    #[test]
    fn invisible_characters_fold_away() {
        let text = "Baj\u{AD}aur and \u{200F}Taliban\u{200F}";
        let f = fold(text);
        assert_eq!(f.text, "bajaur and taliban");
        assert_eq!(f.origin.len(), f.text.len() + 1);
        let t = f.text.find("taliban").unwrap();
        assert_eq!(&text[f.origin[t]..], "Taliban\u{200F}");
        // A zero-width space separates words, for the tagger as for search.
        assert_eq!(fold("Pakistan\u{200B}Army").text, "pakistan army");
    }

    #[test]
    fn bidirectional_overrides_are_not_printed_and_marks_are() {
        assert_eq!(printable("evil\u{202E}txt.exe"), "evil\u{FFFD}txt.exe");
        assert_eq!(printable("a\u{2066}b\u{2069}"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(printable("\u{200F}پشاور\n"), "\u{200F}پشاور\n");
        assert_eq!(printable_line("a\u{202B}b\n"), "a\u{FFFD}b\u{FFFD}");
    }

    #[test]
    fn folded_offsets_point_back_into_the_text() {
        let text = "Wazīristān’s";
        let f = fold(text);
        assert_eq!(f.text, "waziristan's");
        assert_eq!(f.origin.len(), f.text.len() + 1);
        assert_eq!(&text[f.origin[3]..], "īristān’s");
        assert_eq!(&text[f.origin[4]..], "ristān’s");
    }

    #[test]
    fn a_period_after_an_abbreviation_or_an_initial_does_not_end_a_sentence() {
        let t = "Troops of the U.S. Army and Gen. Ali met. Then 5. Done.";
        let ends = |w: &str| period_ends_sentence(t, t.find(w).unwrap() + w.len());
        assert!(!ends("U.S"));
        assert!(!ends("U"));
        assert!(!ends("Gen"));
        assert!(ends("met"));
        assert!(ends("Then 5"));
        assert!(ends("Done"));
        // Titles of lawmakers, governors and officers.
        let t = "Sen. Raza Rabbani, Gov. Ali and Supt. Khan met Rep. Smith. Done.";
        let ends = |w: &str| period_ends_sentence(t, t.find(w).unwrap() + w.len());
        assert!(!ends("Sen"));
        assert!(!ends("Gov"));
        assert!(!ends("Supt"));
        assert!(!ends("Rep"));
        assert!(ends("Smith"));
        // Not a web address, not the last dot of an ellipsis.
        let t = "Read it on Dawn.com. Police in Bannu... said so.";
        let ends = |w: &str| period_ends_sentence(t, t.find(w).unwrap() + w.len());
        assert!(ends("Dawn.com"));
        assert!(ends("Bannu.."));
        assert!(!is_abbreviation("bannu.."));
        assert!(is_abbreviation("a.m"));
        let t = "Some 2.5 million fled. Why? Ask U.S. officials!";
        let stops: Vec<usize> = (0..t.len()).filter(|&i| ends_sentence_at(t, i)).collect();
        assert_eq!(
            stops,
            [t.find(". W").unwrap(), t.find('?').unwrap(), t.len() - 1]
        );
    }

    #[test]
    fn suggestions_need_a_close_spelling() {
        let names = [
            ("Khyber Pakhtunkhwa", "Khyber Pakhtunkhwa"),
            ("Kunar", "Kunar"),
        ];
        assert_eq!(
            closest("Khyber Pakhtunkwa", names),
            Some("Khyber Pakhtunkhwa")
        );
        assert_eq!(closest("zzz", names), None);
    }
}
