//! Snippets: the stretch of a passage (about 240 characters) that shows the most of what the
//! query matched, with every match highlighted — stemmed forms, prefixes and whole phrases.
//!
//! Matching re-analyses the passage with the index's analyzer, so a highlight is exactly a
//! place where the index would match: "killings" lights up for `killed`, `"hot pursuit"`
//! lights up as one span and only where the words are adjacent, and `"a b"~N` lights up each
//! of its words where all of them stand within N positions.

use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer::{Term, analyzer, terms};

/// One word of a pattern: an analysed term, or a prefix of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Piece {
    pub term: String,
    pub prefix: bool,
}

/// What to highlight: single words and phrases, each a sequence of pieces, and words near
/// each other (`"a b"~N`: the pieces in any order, N positions of slack).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patterns {
    pub patterns: Vec<Vec<Piece>>,
    pub near: Vec<(Vec<Piece>, u32)>,
}

impl Patterns {
    pub fn push(&mut self, pattern: Vec<Piece>) {
        if !pattern.is_empty() && !self.patterns.contains(&pattern) {
            self.patterns.push(pattern);
        }
    }

    pub fn push_near(&mut self, pattern: Vec<Piece>, within: u32) {
        let entry = (pattern, within);
        if !entry.0.is_empty() && !self.near.contains(&entry) {
            self.near.push(entry);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty() && self.near.is_empty()
    }

    fn len(&self) -> usize {
        self.patterns.len() + self.near.len()
    }
}

/// The words of one occurrence of `pieces` in any order whose positions span at most
/// `pieces.len() - 1 + within`, starting at token `i`; byte ranges of each word.
fn near_at(tokens: &[Term], i: usize, pieces: &[Piece], within: u32) -> Option<Vec<Range<usize>>> {
    let first = tokens[i].position;
    let last = first + pieces.len() - 1 + within as usize;
    let mut used = vec![false; pieces.len()];
    let mut found = Vec::with_capacity(pieces.len());
    for t in tokens[i..].iter().take_while(|t| t.position <= last) {
        if let Some(k) = (0..pieces.len()).find(|&k| !used[k] && piece_matches(&pieces[k], t)) {
            used[k] = true;
            found.push(t.start..t.end);
        } else if found.is_empty() {
            return None;
        }
    }
    (found.len() == pieces.len()).then_some(found)
}

/// A snippet and the byte ranges of its highlights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

/// Finds matches and cuts snippets; holds its own analyzer.
pub struct Highlighter {
    patterns: Patterns,
    analyzer: TextAnalyzer,
}

fn piece_matches(piece: &Piece, term: &Term) -> bool {
    if piece.prefix {
        term.text.starts_with(&piece.term)
    } else {
        term.text == piece.term
    }
}

impl Highlighter {
    pub fn new(patterns: Patterns) -> Self {
        Highlighter {
            patterns,
            analyzer: analyzer(),
        }
    }

    /// Byte ranges of every match in `text`, sorted and merged, each with the index of the
    /// pattern that matched first there.
    pub fn matches(&mut self, text: &str) -> Vec<(Range<usize>, usize)> {
        if self.patterns.is_empty() || text.is_empty() {
            return Vec::new();
        }
        let tokens = terms(&mut self.analyzer, text);
        let mut found: Vec<(Range<usize>, usize)> = Vec::new();
        for i in 0..tokens.len() {
            for (p, pattern) in self.patterns.patterns.iter().enumerate() {
                let Some(window) = tokens.get(i..i + pattern.len()) else {
                    continue;
                };
                let adjacent = window
                    .iter()
                    .enumerate()
                    .all(|(k, t)| t.position == window[0].position + k);
                if adjacent
                    && window
                        .iter()
                        .zip(pattern)
                        .all(|(t, pc)| piece_matches(pc, t))
                {
                    found.push((window[0].start..window[window.len() - 1].end, p));
                }
            }
            for (j, (pieces, within)) in self.patterns.near.iter().enumerate() {
                if let Some(words) = near_at(&tokens, i, pieces, *within) {
                    let p = self.patterns.patterns.len() + j;
                    found.extend(words.into_iter().map(|r| (r, p)));
                }
            }
        }
        merge(found)
    }

    /// Cuts a snippet of about `max_chars` characters from `text` around its best matches.
    /// `extra` are more byte ranges to highlight (an entity's tagged mentions), each counted
    /// as a match of its own pattern.
    pub fn snippet(&mut self, text: &str, max_chars: usize, extra: &[Range<usize>]) -> Snippet {
        let mut matches = self.matches(text);
        if !extra.is_empty() {
            let base = self.patterns.len();
            matches.extend(
                extra
                    .iter()
                    .filter(|r| r.start < r.end && text.get(r.start..r.end).is_some())
                    .enumerate()
                    .map(|(i, r)| (r.clone(), base + i)),
            );
            matches = merge(matches);
        }
        let window = choose_window(text, &matches, max_chars);
        render(text, window, &matches)
    }
}

/// Sorts ranges and merges the overlapping and touching ones; a merged range keeps the pattern
/// of the range that starts it (the longest, when several start together).
fn merge(mut ranges: Vec<(Range<usize>, usize)>) -> Vec<(Range<usize>, usize)> {
    ranges.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<(Range<usize>, usize)> = Vec::with_capacity(ranges.len());
    for (r, p) in ranges {
        match merged.last_mut() {
            Some((last, _)) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push((r, p)),
        }
    }
    merged
}

/// Characters of context kept before the first match when the passage has to be cut.
const LEAD: usize = 60;

fn choose_window(text: &str, matches: &[(Range<usize>, usize)], max_chars: usize) -> Range<usize> {
    let total_chars = text.chars().count();
    if total_chars <= max_chars {
        return 0..text.len();
    }
    // Byte offset of every char boundary, so windows can be measured in characters.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
    let mut best: Option<((usize, usize), Range<usize>)> = None;
    let candidates: Vec<usize> = if matches.is_empty() {
        vec![0]
    } else {
        matches
            .iter()
            .map(|(r, _)| char_at(r.start).saturating_sub(LEAD))
            .collect()
    };
    for start_char in candidates {
        let start_char = start_char.min(total_chars.saturating_sub(max_chars));
        let end_char = (start_char + max_chars).min(total_chars);
        let range = bounds[start_char]..bounds[end_char];
        let inside: Vec<&(Range<usize>, usize)> = matches
            .iter()
            .filter(|(r, _)| r.start >= range.start && r.end <= range.end)
            .collect();
        let mut distinct: Vec<usize> = inside.iter().map(|(_, p)| *p).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let score = (distinct.len(), inside.len());
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, range));
        }
    }
    let range = best.map(|(_, r)| r).unwrap_or(0..text.len());
    snap_to_words(text, range, matches)
}

/// Moves a window's edges off the middle of words, and its start to a sentence start when one
/// is close before the first match.
fn snap_to_words(
    text: &str,
    range: Range<usize>,
    matches: &[(Range<usize>, usize)],
) -> Range<usize> {
    let mut start = range.start;
    let mut end = range.end;
    if start > 0 {
        let first_match = matches
            .iter()
            .find(|(r, _)| r.start >= start)
            .map_or(end, |(r, _)| r.start);
        let sentence = text[start..first_match].rfind(". ").map(|i| start + i + 2);
        start = match sentence {
            Some(s) => s,
            None => match text[start..].find(char::is_whitespace) {
                Some(i) if start + i < first_match => start + i,
                _ => start,
            },
        };
        while let Some(c) = text[start..].chars().next() {
            if !c.is_whitespace() {
                break;
            }
            start += c.len_utf8();
        }
    }
    if start >= end {
        // Snapping ate the whole window (a tiny one): keep it as measured.
        return range;
    }
    if end < text.len() {
        let last_match = matches
            .iter()
            .rev()
            .find(|(r, _)| r.end <= end)
            .map_or(start, |(r, _)| r.end)
            .clamp(start, end);
        if let Some(i) = text[last_match..end].rfind(char::is_whitespace) {
            end = last_match + i;
        }
        end = start + text[start..end].trim_end().len();
    }
    if start >= end { range } else { start..end }
}

/// Builds the snippet text (whitespace runs collapsed, `…` where cut) and maps the matches
/// into it.
fn render(text: &str, window: Range<usize>, matches: &[(Range<usize>, usize)]) -> Snippet {
    let mut out = String::with_capacity(window.len() + 8);
    if window.start > 0 {
        out.push('…');
    }
    // out_at[i] = offset in `out` of byte `window.start + i` of `text`.
    let slice = &text[window.clone()];
    let mut out_at = vec![0usize; slice.len() + 1];
    let mut in_space = false;
    for (i, c) in slice.char_indices() {
        out_at[i] = out.len();
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out_at[slice.len()] = out.len();
    if window.end < text.len() {
        out.push('…');
    }
    let highlights = matches
        .iter()
        .filter(|(r, _)| r.start >= window.start && r.end <= window.end)
        .map(|(r, _)| [out_at[r.start - window.start], out_at[r.end - window.start]])
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn merge_joins_overlapping_and_touching_ranges() {
        let merged = merge(vec![
            (8..12, 2),
            (0..3, 0),
            (3..5, 1),
            (9..10, 3),
            (8..9, 4),
        ]);
        assert_eq!(merged, vec![(0..5, 0), (8..12, 2)]);
    }

    fn patterns(words: &[&[&str]]) -> Patterns {
        let mut a = analyzer();
        let mut p = Patterns::default();
        for phrase in words {
            let pieces = phrase
                .iter()
                .flat_map(|w| terms(&mut a, w))
                .map(|t| Piece {
                    term: t.text,
                    prefix: false,
                })
                .collect();
            p.push(pieces);
        }
        p
    }

    fn highlighted(s: &Snippet) -> Vec<&str> {
        s.highlights.iter().map(|[a, b]| &s.text[*a..*b]).collect()
    }

    #[test]
    fn stemmed_forms_are_highlighted() {
        let mut h = Highlighter::new(patterns(&[&["killed"]]));
        let s = h.snippet("The killings continued; three were killed.", 240, &[]);
        assert_eq!(highlighted(&s), vec!["killings", "killed"]);
    }

    #[test]
    fn phrases_highlight_only_adjacent_words() {
        let mut h = Highlighter::new(patterns(&[&["hot", "pursuit"]]));
        let s = h.snippet("a hot day; pursuit later; then a “hot pursuit.”", 240, &[]);
        assert_eq!(highlighted(&s), vec!["hot pursuit"]);
    }

    #[test]
    fn near_words_light_up_in_any_order_within_the_distance() {
        let mut p = patterns(&[]);
        let pieces = patterns(&[&["drone", "strike"]]).patterns.remove(0);
        p.push_near(pieces, 2);
        let mut h = Highlighter::new(p);
        let s = h.snippet(
            "A strike by US drones; later a drone hit far from any strike.",
            240,
            &[],
        );
        // "strike … drones" is 3 positions apart (within 1 + 2); "drone hit far from any
        // strike" is 5 apart, too far.
        assert_eq!(highlighted(&s), vec!["strike", "drones"]);
    }

    #[test]
    fn prefixes_match_the_start_of_terms() {
        let mut h = Highlighter::new(Patterns {
            patterns: vec![vec![Piece {
                term: "waz".into(),
                prefix: true,
            }]],
            ..Patterns::default()
        });
        let s = h.snippet("North Wazīristān and Waziri tribes", 240, &[]);
        assert_eq!(highlighted(&s), vec!["Wazīristān", "Waziri"]);
    }

    #[test]
    fn long_passages_are_cut_around_the_matches() {
        let filler = "Lorem ipsum dolor sit amet. ".repeat(30);
        let text = format!("{filler}The Haqqani network was named. {filler}");
        let mut h = Highlighter::new(patterns(&[&["haqqani"]]));
        let s = h.snippet(&text, 240, &[]);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert!(s.text.chars().count() <= 245);
        assert_eq!(highlighted(&s), vec!["Haqqani"]);
    }

    #[test]
    fn whitespace_is_collapsed_and_offsets_follow() {
        let mut h = Highlighter::new(patterns(&[&["kunar"]]));
        let s = h.snippet("In\n\n  Kunar  province", 240, &[]);
        assert_eq!(s.text, "In Kunar province");
        assert_eq!(highlighted(&s), vec!["Kunar"]);
    }

    #[test]
    fn extra_ranges_are_highlighted_too() {
        let mut h = Highlighter::new(patterns(&[&["attack"]]));
        let text = "The TTP claimed the attack.";
        let ttp = std::iter::once(4..7).collect::<Vec<_>>();
        let s = h.snippet(text, 240, &ttp);
        assert_eq!(highlighted(&s), vec!["TTP", "attack"]);
    }

    proptest! {
        #[test]
        fn highlights_stay_in_bounds_on_char_boundaries(
            text in "(\\PC|[ \n’“”é]){0,400}",
            word in "[a-zé]{1,6}",
            max in 20usize..300,
        ) {
            let mut h = Highlighter::new(patterns(&[&[word.as_str()]]));
            let s = h.snippet(&text, max, &[]);
            for [a, b] in &s.highlights {
                prop_assert!(a < b && *b <= s.text.len());
                prop_assert!(s.text.is_char_boundary(*a) && s.text.is_char_boundary(*b));
            }
        }
    }
}
