//! The one text analyzer shared by indexing, query building and highlighting, so a word in a
//! query, in the index and in a snippet is always cut and normalised the same way.
//!
//! Pipeline: Unicode word segmentation (UAX #29) → drop absurdly long tokens → lower-case →
//! normalise (possessive `'s`/`’s` off, inner apostrophes and invisible soft hyphens or
//! direction marks out, `U.S.` → `us`, `2,000` → `2000`) → ASCII folding (`Wazīristān` →
//! `waziristan`) → English Snowball stemming.
//! No stop words are removed, so `"hammer and anvil"` stays a phrase.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::{is_apostrophe, is_invisible};

/// Name under which the analyzer is registered on every opened index.
pub const ANALYZER_NAME: &str = "durand";

/// Bumped whenever the analyzer's output changes, so existing indexes get rebuilt.
pub const ANALYZER_VERSION: u32 = 3;

/// Tokens longer than this many bytes are dropped (base64 blobs, URLs glued together).
pub const MAX_TOKEN_BYTES: usize = 64;

/// Builds the analyzer. Cheap enough to call per thread; tantivy clones it per segment writer.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Normalizer)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// One analysed token: its normalised term and its byte range in the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub position: usize,
}

/// The analyzer without stemming, for prefixes: `Waziri*` is matched as typed.
pub fn prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Normalizer)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Runs `analyzer` over `text` and collects the terms with their byte offsets.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(Term {
            text: token.text.clone(),
            start: token.offset_from,
            end: token.offset_to,
            position: token.position,
        });
    }
    out
}

/// Splits text into UAX #29 words that contain at least one letter or digit.
#[derive(Clone, Default)]
pub(crate) struct WordTokenizer;

pub(crate) struct WordTokenStream<'a> {
    words: unicode_segmentation::UnicodeWordIndices<'a>,
    token: Token,
    position: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            words: text.unicode_word_indices(),
            token: Token::default(),
            position: 0,
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, word)) = self.words.next() else {
            return false;
        };
        self.token.offset_from = start;
        self.token.offset_to = start + word.len();
        self.token.position = self.position;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(word);
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Possessives, apostrophes, dotted acronyms and thousands separators.
#[derive(Clone)]
pub(crate) struct Normalizer;

impl TokenFilter for Normalizer {
    type Tokenizer<T: Tokenizer> = NormalizerWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> NormalizerWrapper<T> {
        NormalizerWrapper { inner: tokenizer }
    }
}

#[derive(Clone)]
pub(crate) struct NormalizerWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for NormalizerWrapper<T> {
    type TokenStream<'a> = NormalizerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        NormalizerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub(crate) struct NormalizerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for NormalizerStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            normalize_in_place(&mut self.tail.token_mut().text);
            if !self.tail.token().text.is_empty() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Normalises one lower-cased word in place (see the module comment).
pub(crate) fn normalize_in_place(word: &mut String) {
    // Possessive: "pakistan's", "pakistan’s" -> "pakistan".
    if let Some(stem) = word.strip_suffix('s')
        && let Some(apostrophe) = stem.chars().next_back().filter(|c| is_apostrophe(*c))
        && stem.len() > apostrophe.len_utf8()
    {
        word.truncate(stem.len() - apostrophe.len_utf8());
    }
    let has_letter = word.chars().any(char::is_alphabetic);
    let needs_work = word
        .chars()
        .any(|c| is_apostrophe(c) || c == '.' || c == ',' || is_invisible(c));
    if !needs_work {
        return;
    }
    // "qa'ida" -> "qaida"; "u.s" -> "us"; "2,000" -> "2000"; "mili\u{AD}tants" -> "militants".
    // Decimal points in numbers stay.
    word.retain(|c| !(is_apostrophe(c) || c == ',' || (c == '.' && has_letter) || is_invisible(c)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        terms(&mut analyzer(), s)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn possessives_match_the_bare_word() {
        assert_eq!(texts("Pakistan's"), texts("Pakistan"));
        assert_eq!(texts("Pakistan’s"), texts("Pakistan"));
    }

    #[test]
    fn stems_inflections_together() {
        assert_eq!(texts("killings"), texts("killed"));
        assert_eq!(texts("strikes"), texts("strike"));
    }

    #[test]
    fn folds_diacritics_and_case() {
        assert_eq!(texts("Wazīristān"), vec!["waziristan"]);
        assert_eq!(texts("KUNAR"), vec!["kunar"]);
    }

    #[test]
    fn keeps_stop_words_and_positions() {
        let t = terms(&mut analyzer(), "hammer and anvil");
        assert_eq!(t.len(), 3);
        assert_eq!(t[1].text, "and");
        assert_eq!(t[2].position, 2);
    }

    #[test]
    fn hyphenated_names_split_into_words() {
        assert_eq!(texts("Tehrik-i-Taliban"), vec!["tehrik", "i", "taliban"]);
    }

    #[test]
    fn acronyms_apostrophes_and_numbers() {
        assert_eq!(texts("U.S."), texts("US"));
        assert_eq!(texts("al-Qa'ida"), texts("al-Qaida"));
        assert_eq!(texts("2,000"), vec!["2000"]);
        assert_eq!(texts("1.5"), vec!["1.5"]);
    }

    #[test]
    fn invisible_characters_inside_a_word_do_not_change_it() {
        assert_eq!(texts("Mili\u{AD}tants"), texts("militants"));
        assert_eq!(texts("\u{200F}Taliban\u{200F}"), texts("Taliban"));
        assert_eq!(texts("Baj\u{200C}aur"), texts("Bajaur"));
        assert_eq!(texts("\u{FEFF}Kunar"), texts("Kunar"));
        // A zero-width space is a space, as for the tagger.
        assert_eq!(texts("Pakistan\u{200B}Army"), texts("Pakistan Army"));
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "“Take them out.” Pakistan’s army";
        for t in terms(&mut analyzer(), text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        let t = terms(&mut analyzer(), text);
        assert_eq!(&text[t[3].start..t[3].end], "Pakistan’s");
    }
}
